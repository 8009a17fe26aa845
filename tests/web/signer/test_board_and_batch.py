"""The bureau's campaign board (who signed when, who is missing, filters, overdue rows, progress by
town) and the batch countersign: the PIN once, a background job signs each agreement with its
own timestamp, with a progress page."""

from __future__ import annotations

import re

from fixtures.signing_workflow import PIN, holder, three_school_signed
from sqlalchemy import select

from responsibility.models import Agreement, AuditEvent, BatchJob


def test_board_shows_who_signed_and_who_is_missing(signer_app, login) -> None:  # type: ignore[no-untyped-def]
    ids, campaign_id, chief = three_school_signed(signer_app)
    client = login(chief)
    page = client.get(f"/sign/board/{campaign_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('class="overdue"') == 3  # due date passed, none countersigned yet
    assert 'id="progress-by-town"' in html and '<rect class="seg-complete" x="0"' in html
    assert html.count('name="agreement"') == 2  # only the school-signed ones can be countersigned
    # the batch panel (select-all, live count) comes before the long list, its script is a static file
    assert html.index('id="batch"') < html.index('id="board"')
    assert 'id="select-all"' in html and '<output id="batch-count"' in html and "/ 2</p>" in html
    assert "/static/board.js" in html and "<script>" not in html
    assert "未签" in html and "党组书记、局长" in html and "待学校签署" in html
    from responsibility.extensions import db
    from responsibility.models import School

    with signer_app.app_context():
        school = db.session.scalars(select(School).where(School.source_id == "SCH001")).one()
        town_id, school_type = school.town_id, school.school_type
    filtered = client.get(f"/sign/board/{campaign_id}?town={town_id}&type={school_type}").get_data(as_text=True)
    assert 'data-school="SCH001"' in filtered
    assert filtered.count("data-school=") <= html.count("data-school=")


def test_batch_countersign_signs_each_with_progress(signer_app, login) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.web.sign.board import RUNNERS_KEY

    ids, campaign_id, chief = three_school_signed(signer_app)
    client = login(chief)
    refused = client.post(
        f"/sign/board/{campaign_id}/countersign", data={"agreement": ids[:2], "pin": "000001", "confirm": "y"}
    )
    assert refused.status_code == 403 and "签名密码错误" in refused.get_data(as_text=True)
    started = client.post(f"/sign/board/{campaign_id}/countersign", data={"agreement": ids, "pin": PIN, "confirm": "y"})
    assert started.status_code == 302 and "/sign/jobs/" in started.headers["Location"]
    job_id = int(started.headers["Location"].rsplit("/", 1)[1])
    assert signer_app.extensions[RUNNERS_KEY][job_id].join(timeout=300)
    progress = client.get(f"/sign/jobs/{job_id}.json").get_json()
    assert progress["state"] == "finished" and progress["done"] == 3 and progress["failed"] == 1
    assert "学校方签署完成后" in progress["errors"][0]["message"]
    page = client.get(f"/sign/jobs/{job_id}").get_data(as_text=True)
    assert "100%" in page and 'id="refused"' in page
    with signer_app.app_context():
        named = [(a.document_number, a.school.name) for a in (db.session.get(Agreement, i) for i in ids)]
    # the job page names what it signed: document number, school and outcome of each agreement
    for number, school in named:
        assert number in page and school in page
    outcome = dict(re.findall(r'data-agreement="(\d+)" data-status="(\w+)"', page))
    assert outcome == {str(ids[0]): "signed", str(ids[1]): "signed", str(ids[2]): "refused"}
    with signer_app.app_context():
        states = [db.session.get(Agreement, i).state for i in ids]
        archived = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "agreement.archived")).all()
        job = db.session.get(BatchJob, job_id)
        assert job.kind == "countersign"
    assert states == ["archived", "archived", "issued"] and len(archived) == 2


def test_a_batch_notifies_everyone_and_mails_at_its_end(signer_app, login, smtp_sink, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import dataclasses
    import time

    from responsibility.extensions import db
    from responsibility.instance import instance_of
    from responsibility.models import MailAddress, Notification
    from responsibility.settings import MailSettings
    from responsibility.web.sign.board import RUNNERS_KEY

    sink, port = smtp_sink
    ids, campaign_id, chief = three_school_signed(signer_app)
    context = instance_of(signer_app)
    mail = MailSettings(host="127.0.0.1", port=port)
    monkeypatch.setattr(context, "settings", dataclasses.replace(context.settings, mail=mail))
    with signer_app.app_context():
        principal = holder(db.session, db.session.get(Agreement, ids[0]).school, "S01")
        db.session.add(MailAddress(person_id=principal.id, email="head@example.cn"))
        db.session.commit()
        principal_id = principal.id
    client = login(chief)
    started = client.post(f"/sign/board/{campaign_id}/countersign", data={"agreement": ids, "pin": PIN, "confirm": "y"})
    job_id = int(started.headers["Location"].rsplit("/", 1)[1])
    assert signer_app.extensions[RUNNERS_KEY][job_id].join(timeout=300)
    with signer_app.app_context():
        complete = db.session.scalars(
            select(Notification.agreement_id).where(Notification.kind == "agreement_complete")
        ).all()
        assert set(complete) == set(ids[:2])  # the refused third one tells nobody it is complete
        mine = db.session.scalars(select(Notification).where(Notification.recipient_person_id == principal_id)).all()
        assert {n.kind for n in mine} >= {"agreement_issued", "agreement_complete", "cascade_needed"}
    deadline = time.monotonic() + 20
    while len(sink.messages) < len(mine) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert {tuple(to) for _, to, _ in sink.messages} == {("head@example.cn",)} and len(sink.messages) == len(mine)


def test_board_pages_in_the_database_and_counts_every_town(signer_app, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: the board shows one page (keyset on the school id, filters kept in the links)
    while the progress by town counts the whole filtered board from an aggregate query."""
    from responsibility.agreements import signing_queries

    ids, campaign_id, chief = three_school_signed(signer_app)
    monkeypatch.setattr(signing_queries, "BOARD_PAGE", 2)
    client = login(chief)
    first = client.get(f"/sign/board/{campaign_id}?type=")
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert html.count("data-school=") == 2 and 'data-school="SCH003"' not in html
    assert 'id="board-pager"' in html and "after=SCH002" in html and "下一页" in html
    assert 'title="0/3"' in html  # the town's three agreements, though the page shows two
    second = client.get(f"/sign/board/{campaign_id}?after=SCH002").get_data(as_text=True)
    assert second.count("data-school=") == 1 and 'data-school="SCH003"' in second
    assert "第一页" in second and "下一页" not in second


def test_inbox_pages_in_the_database(signer_app, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: the chief's inbox shows a page of what awaits them, with a keyset link onward."""
    import re

    from responsibility.agreements import signing_queries

    ids, campaign_id, chief = three_school_signed(signer_app)
    monkeypatch.setattr(signing_queries, "INBOX_PAGE", 1)
    client = login(chief)

    def shown(html: str) -> list[int]:
        return [int(n) for n in re.findall(r'class="button" href="/sign/(\d+)"', html)]

    first = client.get("/sign/inbox").get_data(as_text=True)
    assert len(shown(first)) == 1 and 'id="inbox-pager"' in first and "下一页" in first
    link = re.search(r'href="(/sign/inbox\?[^"]+)" rel="next"', first)
    assert link is not None
    second = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert len(shown(second)) == 1 and "第一页" in second and "下一页" not in second
    assert sorted(shown(first) + shown(second)) == sorted(ids[:2])  # the two school-signed ones, once each


def test_a_province_s_progress_chart_draws_the_towns_furthest_behind(signer_app, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Above MAX_CHART_BARS towns (a province has thousands) the chart draws the least complete
    ones, in the towns' order, and says how many there are."""
    from responsibility.agreements.signing_queries import TownProgress
    from responsibility.web.sign import board

    towns = [TownProgress(f"T{i}", total, 0, 0, complete) for i, (total, complete) in
             enumerate([(10, 10), (10, 2), (10, 9), (20, 2), (10, 5)])]  # fmt: skip
    monkeypatch.setattr(board, "MAX_CHART_BARS", 3)
    assert [t.town for t in board._charted(towns)] == ["T1", "T3", "T4"]  # 20 %, 10 %, 50 %
    assert board._charted(towns[:3]) == towns[:3]
    _ids, campaign_id, chief = three_school_signed(signer_app)
    monkeypatch.setattr(board, "MAX_CHART_BARS", 0)
    html = login(chief).get(f"/sign/board/{campaign_id}?lang=en").get_data(as_text=True)
    assert "The 0 towns furthest behind of 1." in html and 'title="0/3"' not in html
