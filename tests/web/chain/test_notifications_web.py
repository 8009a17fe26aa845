"""The header bell, /notifications and marking read; the campaign board's chain-gap column."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from trace_data import DUE, make_agreement, make_campaign

from responsibility.chain.escalation import run_escalation
from responsibility.clock import today as county_today
from responsibility.models import LiaisonAssignment, Organization, Person


def _liaised_school(s, person_sid: str) -> Organization:
    person = s.scalars(select(Person).where(Person.source_id == person_sid)).one()
    la = s.scalars(select(LiaisonAssignment).where(LiaisonAssignment.liaison_person_id == person.id)).first()
    return s.get(Organization, la.school_id)


def _bell(html: str) -> int | None:
    found = re.search(r'class="notification-bell"[^>]*>.*?<span class="count[^"]*">(\d+)</span>', html, re.S)
    return int(found.group(1)) if found else None


def test_bell_page_and_mark_read(demo_app, demo_session, login):
    s = demo_session
    school = _liaised_school(s, "P00010")
    make_agreement(s, make_campaign(s), school, "issued")
    summary = run_escalation(s, at=DUE + dt.timedelta(days=1), config={"ESCALATION_DAYS": 3})
    s.commit()
    assert any("P00010" in r.recipients for r in summary.raised)
    client = login("P00010")
    home = client.get("/").get_data(as_text=True)
    assert _bell(home) == 1
    page = client.get("/notifications").get_data(as_text=True)
    assert school.name in page and f"/chain?school={school.source_id}" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/notifications/read", data={"csrf_token": token}).status_code == 302
    assert _bell(client.get("/").get_data(as_text=True)) == 0
    from responsibility.notify import unread_count

    other = s.scalars(select(Person).where(Person.source_id == "P00047")).one()
    assert unread_count(s, other.id) == 0  # not a recipient


def test_campaign_board_shows_chain_gaps(demo_app, demo_session, login):
    s = demo_session
    school = _liaised_school(s, "P00010")
    campaign = make_campaign(s)
    make_agreement(s, campaign, school, "issued")
    s.commit()
    auditor = login("auditor")
    from responsibility.chain import ChainSubject, chain_at

    expected = len(chain_at(s, ChainSubject.school(school.source_id), county_today()).gaps)
    # The page answers at once with the column pending; stale.json (campaign.js) brings the
    # counts, and without JavaScript ?check=1 renders them in place.
    pending = auditor.get(f"/campaigns/{campaign.id}")
    assert pending.status_code == 200, pending.get_data(as_text=True)[:500]
    cell = f'<td class="num chain-gaps" data-school="{school.source_id}"><a href="/chain?school={school.source_id}"'
    assert cell in pending.get_data(as_text=True)
    assert pending.get_data(as_text=True).split(cell)[1].split("</a>")[0].endswith(">…")
    assert auditor.get(f"/campaigns/{campaign.id}/stale.json").get_json()["chain_gaps"] == {school.source_id: expected}
    html = auditor.get(f"/campaigns/{campaign.id}?check=1").get_data(as_text=True)
    found = re.search(re.escape(cell) + r"[^>]*>(\d+)</a>", html)
    assert found and int(found.group(1)) == expected


def test_each_link_says_what_it_opens(demo_app, demo_session, login):
    """A hazard notification links with 查看隐患, an agreement's with 查看责任书, an escalation with
    查看责任链; in English too."""
    from flask_babel import refresh

    from responsibility.agreements.notices import MSG_ISSUED
    from responsibility.hazards.supervision import KIND as SUPERVISED
    from responsibility.notify import Event, publish

    s = demo_session
    person = s.scalars(select(Person).where(Person.source_id == "P00010")).one()
    params = {"number": "X-1", "school": "某校", "summary": "s", "supervisor": "某人"}
    for kind, url in ((SUPERVISED, "/hazards/H-1"), ("agreement_issued", "/sign/1"), ("overdue_signature", "/chain")):
        publish(s, Event(kind=kind, key=f"{kind}:t", recipients=[person.id], msgid=MSG_ISSUED, params=params, url=url))
    s.commit()
    client = login("P00010")
    page = client.get("/notifications").get_data(as_text=True)
    links = dict(re.findall(r'<a href="(/hazards/H-1|/sign/1|/chain)">([^<]+)</a>', page))
    assert links == {"/hazards/H-1": "查看隐患", "/sign/1": "查看责任书", "/chain": "查看责任链"}
    refresh()  # the demo session's app context outlives requests and would keep the cached locale
    english = client.get("/notifications?lang=en").get_data(as_text=True)
    links = dict(re.findall(r'<a href="(/hazards/H-1|/sign/1|/chain)">([^<]+)</a>', english))
    assert links == {"/hazards/H-1": "See the hazard", "/sign/1": "See the agreement", "/chain": "See the chain"}
