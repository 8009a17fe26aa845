"""The translation crawl: every page every role can reach, in both languages.

The demo county with the instance PKI, one campaign with SCH001's agreement issued (certified by
the seal), the school party head signed, a countersign batch queued, a generation job finished. Logged in
as each role of ``accounts/roles.py`` (admin, auditor, bureau leader, section staff, both school
heads, a grid owner) and anonymously, the crawl visits every GET route of ``app.url_map`` with
sample arguments from that data, and the links found on the pages (a few per endpoint).

- In ``zh_CN`` a page fails on an English word outside ids, hashes, file names, addresses, the
  page's data and the short allowlist of ``fixtures/crawl_text.py``.
- In ``en`` a page fails on Chinese text that is not data (names from the county file, document
  content, the campaign's name): every message is in the catalogue.
- Every GET endpoint that answers with a page must have been seen (with a 200) by some role, so a
  new page without sample arguments is noticed rather than silently skipped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from fixtures.crawl_text import chinese_runs, english_words, visible_text
from support import DEMO_PASSWORD

ROLES = ("admin", "auditor", "P00001", "P00002", "P00010", "P00027", "P00028", "P00047", None)
"""Demo accounts (README: Demo logins), one per role; None is a visitor who is not logged in."""
PER_ENDPOINT = 3
"""Distinct URLs visited per endpoint and role: enough to see each kind of page with data."""
SKIP_ENDPOINTS = {"static", "auth.logout", "auth.activate"}
FILE_ENDPOINTS = {
    "campaigns.agreement_pdf", "sign.pdf", "audit.gaps_xlsx", "pki.crl", "pki.root_der", "pki.root_pem",
    "campaigns.job_json", "campaigns.stale_json", "sign.job_json", "sign.page_image", "hazards.dossier",
    "firefiles.plan",
    "rosters.template",
}  # fmt: skip
"""GET endpoints that answer with a file or JSON, not a page."""
_HREF = re.compile(r'href="(/[^"#]*)')
_NOT_PAGES = (".pdf", ".zip", ".xlsx", ".json", ".crl", ".crt", ".pem")


@pytest.fixture
def crawl_app(pki_demo_app):  # type: ignore[no-untyped-def]
    """The demo county with an issued, half-signed agreement, a queued countersign batch, a
    finished generation job, and a countersigned school (SCH002) with a queued cascade issue."""
    from fixtures import signing_workflow as wf

    from responsibility.extensions import db
    from responsibility.jobs.batches import queue_generation, run_generation
    from responsibility.jobs.countersign import queue_countersign
    from responsibility.jobs.issuing import queue_cascade_issue

    app = pki_demo_app
    with app.app_context():
        issued = wf.issue_schools(app, db.session, [wf.TWO_HEADS, "SCH002"])
        agreement, other = sorted(issued, key=lambda a: a.school.source_id)
        people, others = wf.signers_of(db.session, agreement), wf.signers_of(db.session, other)
        enrolled = set()
        for who in (people.party_head, people.principal, people.chief, others.principal, others.party_head):
            if who.id not in enrolled:
                enrolled.add(who.id)
                wf.enrol_person(app, db.session, who)
        wf.sign_as(app, db.session, agreement.id, people.party_head)
        for who in {p.id: p for p in (others.principal, others.party_head, others.chief)}.values():
            wf.sign_as(app, db.session, other.id, who)
        queue_countersign(db.session, agreement.campaign, [agreement.id], actor=f"user:{people.chief.source_id}")
        campaign = wf.make_campaign(db.session, name="第二期测试责任书")
        job = queue_generation(db.session, campaign, actor="test", backend="foreground", school=agreement.school)
        db.session.commit()
        run_generation(db.session, job.id, _job_settings(app), today=wf.TODAY)
        db.session.commit()
        queue_cascade_issue(db.session, wf.school(db.session, "SCH002"), actor="test")
        db.session.commit()
        _edit_fire_file(app)
        _incident(app, db.session)
        _answered_round(app, db.session)
        db.session.remove()
    return app


def _edit_fire_file(app) -> None:  # type: ignore[no-untyped-def]
    """BLD0001's fire file edited once with an evacuation plan (its history and download link)."""
    from pathlib import Path

    from fire_pdfs import plan_pdf

    from responsibility import season
    from responsibility.clock import today
    from responsibility.extensions import db

    building = season.find_building(db.session, "BLD0001")
    fields = season.FireFileFields(**{**season.current_fields(building).__dict__, "extinguishers": 99})
    plan = season.check_plan_pdf(plan_pdf(), name="plan.pdf", max_bytes=10**7)
    store = season.plan_store(Path(app.instance_path))
    season.edit_fire_file(
        db.session, "BLD0001", by="P00027", fields=fields, today=today(), actor="test", plan=plan, store=store
    )
    db.session.commit()


def _incident(app, session) -> None:  # type: ignore[no-untyped-def]
    """A late report of SCH001 (the incident pages show its status and lateness)."""
    import datetime as dt

    from responsibility import incidents
    from responsibility.instance import instance_of

    facts = incidents.IncidentFacts(school="SCH001", kind="E02", occurred_at=dt.datetime(2025, 1, 15, 0, 30, tzinfo=dt.UTC),
                                    place="G00002", severity="ordinary", description="配电箱冒烟")  # fmt: skip
    incidents.report_incident(session, facts, limits=instance_of(app).settings.incidents, reporter="P00027")


def _answered_round(app, session) -> None:  # type: ignore[no-untyped-def]
    """An inspection round (R05) in which SCH001's deputy failed an item (a hazard opened)."""
    from responsibility import clock, hazards, inspections
    from responsibility.instance import instance_of

    today = clock.today(clock.DEFAULT_ZONE)
    the_round = inspections.open_round(
        session, name="冬季安全大排查", start=today, end=today, areas=["R05"], town="T01", actor="test"
    )
    config = instance_of(app).settings
    inspections.answer_item(
        session, the_round.id, "SCH001", "R05-06", by="P00029", on=today, result="fail", note="无减速带",
        limits=config.hazards, store=hazards.photo_store(config.storage),
    )  # fmt: skip
    session.commit()


def _job_settings(app):  # type: ignore[no-untyped-def]
    from responsibility.instance import instance_of
    from responsibility.jobs.batches import JobSettings

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    return JobSettings.from_settings(instance_of(app).settings, url, workers=1)


def _samples(app) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Values to try for each URL argument name, from the crawl's data."""
    from sqlalchemy import select

    from responsibility.extensions import db
    from responsibility.models import Agreement, BatchJob, Campaign, Incident, InspectionRound, School, Town

    with app.app_context():
        s = db.session
        agreements = s.scalars(select(Agreement).order_by(Agreement.id)).all()
        out = {
            "agreement_id": [str(a.id) for a in agreements],
            "document_number": [a.document_number for a in agreements],
            "campaign_id": [str(i) for i in s.scalars(select(Campaign.id))],
            "job_id": [str(i) for i in s.scalars(select(BatchJob.id))],
            "school_id": ["SCH001"],
            "grid_id": ["G00043"],
            "org_id": ["SCH001"],
            "source_id": ["SCH001", *s.scalars(select(Town.source_id).order_by(Town.id).limit(1))],
            "ca": ["issuing", "root"],
            "incident_number": list(s.scalars(select(Incident.number))),
            "round_id": [str(i) for i in s.scalars(select(InspectionRound.id))],
        }
        assert s.scalars(select(School).where(School.source_id == "SCH001")).one()
    return out


def _start_urls(app) -> list[str]:  # type: ignore[no-untyped-def]
    samples = _samples(app)
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in SKIP_ENDPOINTS:
            continue
        if not rule.arguments:
            urls.append(rule.rule)
            continue
        first, *others = sorted(rule.arguments, key=lambda name: name != next(iter(rule.arguments)))
        rest = {name: samples.get(name, [None])[0] for name in others}  # other arguments: their first sample
        if None in rest.values():
            continue
        for value in samples.get(first, [])[:PER_ENDPOINT]:
            with app.test_request_context():
                from flask import url_for

                urls.append(url_for(rule.endpoint, **{first: value, **rest}))
    # The chain page needs a subject; the gap report a campaign.
    urls += ["/chain?school=SCH001", "/chain?person=P00047", "/chain?grid=G00002", "/chain/dossier?grid=G00002"]
    # A grid's report form; the cascade of the countersigned school and its issue job.
    urls += ["/hazards/report?grid=G00002", "/hazards/report?grid=G00043", "/cascade/SCH002/issue"]
    urls += ["/incidents/report", "/incidents/record"]
    with app.app_context():
        from sqlalchemy import select

        from responsibility.extensions import db
        from responsibility.jobs.issuing import CASCADE_ISSUE
        from responsibility.models import BatchJob

        urls += [
            f"/cascade/jobs/{i}" for i in db.session.scalars(select(BatchJob.id).where(BatchJob.kind == CASCADE_ISSUE))
        ]
    return urls


def _data_texts(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Every text value stored in the database: what a page shows as data, not as a message."""
    from sqlalchemy import JSON, String, Text, select

    from responsibility.extensions import db
    from responsibility.models.base import Base

    texts: list[str] = []
    with app.app_context():
        for mapper in Base.registry.mappers:
            table = mapper.local_table
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if not columns or table.name.startswith("audit"):
                continue
            for row in db.session.execute(select(*columns)).all():
                for value in row:
                    texts += _strings(value)
    from responsibility.inspections import load_catalogue

    texts += [item.text for item in load_catalogue().items]  # the checklist catalogue is data too
    return texts


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def _login(app, username: str | None, lang: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from responsibility.accounts.passwords import set_password
    from responsibility.extensions import db
    from responsibility.models import User

    client = app.test_client()
    client.get(f"/login?lang={lang}")
    if username is not None:
        with app.app_context():
            user = db.session.scalars(select(User).where(User.username == username)).one()
            set_password(user, DEMO_PASSWORD, must_change=False)
            db.session.commit()
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
    return client


def _endpoint(app, url: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(urlsplit(url).path, method="GET")
    except Exception:
        return None
    return str(endpoint)


def _crawl(app, lang: str, check, shown: set[str] | None = None) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """``{"ROLE URL": [problems]}`` over every role; also fails on a 5xx or a traceback.
    ``shown`` collects the endpoints that answered with a page."""
    problems: dict[str, list[str]] = {}
    shown = set() if shown is None else shown
    start = _start_urls(app)
    for username in ROLES:
        client = _login(app, username, lang)
        queue, seen, per_endpoint = list(start), set(), defaultdict(int)
        while queue:
            url = queue.pop(0)
            endpoint = _endpoint(app, url)
            if url in seen or endpoint is None or endpoint in SKIP_ENDPOINTS or urlsplit(url).path.endswith(_NOT_PAGES):
                continue
            seen.add(url)
            if per_endpoint[endpoint] >= PER_ENDPOINT and url not in start:
                continue
            per_endpoint[endpoint] += 1
            response = client.get(url)
            assert response.status_code < 500, (username, url, response.status_code)
            if response.status_code in (301, 302, 303) or response.mimetype != "text/html":
                continue
            body = response.get_data(as_text=True)
            assert "Traceback" not in body, (username, url)
            if response.status_code == 200:
                shown.add(endpoint)
            found = check(visible_text(body))
            if found:
                problems[f"{username} {url}"] = sorted(set(found))
            queue += [href.replace("&amp;", "&") for href in _HREF.findall(body) if "lang=" not in href]
    return problems


def test_chinese_pages_show_no_english(crawl_app) -> None:  # type: ignore[no-untyped-def]
    data = set()
    for text in _data_texts(crawl_app):
        data.update(re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*", text))
    shown: set[str] = set()
    problems = _crawl(crawl_app, "zh_CN", lambda text: english_words(text, data), shown)
    _dump(problems)
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in sorted(problems.items()))
    pages = {
        rule.endpoint
        for rule in crawl_app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.endpoint not in SKIP_ENDPOINTS | FILE_ENDPOINTS
    }
    assert pages - shown == set(), "pages the crawl never saw (give them sample arguments)"


def test_english_pages_show_no_chinese_outside_data(crawl_app) -> None:  # type: ignore[no-untyped-def]
    data = "\n".join(_data_texts(crawl_app))
    problems = _crawl(crawl_app, "en", lambda text: [run for run in chinese_runs(text) if run not in data])
    _dump(problems)
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in sorted(problems.items()))


def _dump(problems: dict[str, list[str]]) -> None:
    """With ``CRAWL_REPORT=FILE``, write each offending word with the first page showing it (the
    list to work through after a merge brings new pages)."""
    import json
    import os

    target = os.environ.get("CRAWL_REPORT")
    if not target:
        return
    first: dict[str, str] = {}
    for page, words in sorted(problems.items()):
        for word in words:
            first.setdefault(word, page)
    with open(target, "w", encoding="utf-8") as out:
        json.dump(first, out, ensure_ascii=False, indent=0)
