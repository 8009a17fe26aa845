"""报局 in the browser: the principal's button with the PIN on the roster page (refused while a day
has no leader, 403 for anyone else and on a wrong PIN, nothing written), the signed 值班表 linked
once reported, and the bureau's list of reported rosters per school and town."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from responsibility.accounts.passwords import set_password
from responsibility.clock import today as county_today
from responsibility.extensions import db
from responsibility.models import User, WorkDocument

SCHOOL, PRINCIPAL, DEPUTY, GUARD, CHIEF = "SCH001", "P00027", "P00029", "P00038", "P00001"
PIN = "739184"
TODAY = county_today()
START, END = TODAY - dt.timedelta(days=2), TODAY + dt.timedelta(days=2)


@pytest.fixture
def login(pki_demo_app, demo_login):  # type: ignore[no-untyped-def]
    from fixtures.campaign_pages import DEMO_PASSWORD

    def _login(username: str):  # type: ignore[no-untyped-def]
        with pki_demo_app.app_context():
            user = db.session.scalars(select(User).where(User.username == username)).one()
            set_password(user, DEMO_PASSWORD, must_change=False)
            db.session.commit()
        return demo_login(username)

    return _login


def _cli(app, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def _roster(app, tmp_path: Path, days: list[dt.date]) -> None:  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["日期", "班次", "带班领导", "值班人员", "门卫", "宿管"])
    for day in days:
        sheet.append([day.isoformat(), "24h", DEPUTY, GUARD, GUARD, ""])
    path = tmp_path / f"r{len(days)}.xlsx"
    book.save(path)
    _cli(app, "roster", "import", SCHOOL, str(path))


def _season_with_principal(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The campaign of the term, and the principal enrolled with ``PIN``."""
    _cli(app, "campaign", "create", "值班批次", "--start", START.isoformat(), "--end", END.isoformat(),
         "--due", END.isoformat())  # fmt: skip
    pin = tmp_path / "pin"
    pin.write_text(PIN + "\n", encoding="utf-8")
    _cli(app, "keys", "enroll", PRINCIPAL, "--pin-file", str(pin))


def _documents(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count(WorkDocument.id)).where(WorkDocument.kind == "roster")) or 0


def test_the_principal_reports_and_the_bureau_sees_it(pki_demo_app, login, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = pki_demo_app
    _season_with_principal(app, tmp_path)
    _roster(app, tmp_path, [START, TODAY])

    principal = login(PRINCIPAL)
    page = principal.get(f"/rosters/{SCHOOL}?lang=en").get_data(as_text=True)
    assert 'id="report-submit"' in page and "Not reported yet" in page and 'id="report-blocked"' in page
    gaps = principal.post(f"/rosters/{SCHOOL}/report?lang=en", data={"pin": PIN})
    assert gaps.status_code == 400
    assert (START + dt.timedelta(days=1)).isoformat() in gaps.get_data(as_text=True)
    _roster(app, tmp_path, [START + dt.timedelta(days=i) for i in range((END - START).days + 1)])

    deputy = login(DEPUTY)
    assert 'id="report-submit"' not in deputy.get(f"/rosters/{SCHOOL}").get_data(as_text=True)
    assert deputy.post(f"/rosters/{SCHOOL}/report", data={"pin": PIN}).status_code == 403
    assert principal.post(f"/rosters/{SCHOOL}/report", data={"pin": "000000"}).status_code == 403
    assert _documents(app) == 0

    done = principal.post(f"/rosters/{SCHOOL}/report", data={"pin": PIN})
    assert done.status_code == 302 and done.headers["Location"].endswith("#report")
    page = principal.get(f"/rosters/{SCHOOL}?lang=en").get_data(as_text=True)
    assert 'id="report-pdf"' in page and "Reported on" in page
    assert _documents(app) == 1
    number = page.split('id="report-pdf">')[1].split("<")[0]
    pdf = principal.get(page.split('" id="report-pdf"')[0].rsplit('href="', 1)[1])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")

    bureau = login(CHIEF)
    table = bureau.get("/rosters/reported?lang=en").get_data(as_text=True)
    row = table.split(f'data-org="{SCHOOL}"')[1].split("</tr>")[0]
    assert 'class="reported"' in table.split(f'data-org="{SCHOOL}"')[1][:30] and number in row
    assert "Not reported yet" in table.split('data-org="SCH002"')[1].split("</tr>")[0]
    assert 'href="/rosters/reported"' in bureau.get("/rosters/attendance").get_data(as_text=True)
    assert "已报局" in bureau.get("/rosters/reported?lang=zh_CN").get_data(as_text=True)
    assert login(GUARD).get("/rosters/reported").status_code == 403
    own = bureau.get("/rosters/ORG-BUREAU?lang=en").get_data(as_text=True)  # the chief reports the bureau's
    assert 'id="report-submit"' in own and 'id="report-blocked"' in own
    assert 'id="report-submit"' not in bureau.get(f"/rosters/{SCHOOL}").get_data(as_text=True)


def _edit_day(client, app, day: dt.date, leader: str):  # type: ignore[no-untyped-def]
    from responsibility.models import DutyRoster, Organization

    with app.app_context():
        org = db.session.scalars(select(Organization).where(Organization.source_id == SCHOOL)).one()
        version = db.session.scalars(
            select(DutyRoster.version).where(DutyRoster.org_id == org.id, DutyRoster.date == day)
        ).one()
    return client.post(
        f"/rosters/{SCHOOL}/day",
        data={"day": day.isoformat(), "version": str(version), "shift": "24h", "leader": leader, "staff": [GUARD],
              "post-0": GUARD},
    )  # fmt: skip


def test_an_edit_after_the_report_is_shown_and_told_until_it_matches_again(pki_demo_app, login, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from responsibility.models import AuditEvent, Notification, Person

    app = pki_demo_app
    _season_with_principal(app, tmp_path)
    _roster(app, tmp_path, [START + dt.timedelta(days=i) for i in range((END - START).days + 1)])
    principal = login(PRINCIPAL)
    assert principal.post(f"/rosters/{SCHOOL}/report", data={"pin": PIN}).status_code == 302
    page = principal.get(f"/rosters/{SCHOOL}?lang=en").get_data(as_text=True)
    assert "Reported on" in page and 'id="report-changed"' not in page

    def told() -> tuple[int, int, set[str]]:
        with app.app_context():
            events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("roster.%"))).all()
            notes = db.session.execute(
                select(Person.source_id).join(Notification, Notification.recipient_person_id == Person.id)
                .where(Notification.kind == "roster_changed")
            ).scalars().all()  # fmt: skip
        return events.count("roster.changed_after_report"), events.count("roster.matches_report"), set(notes)

    assert _edit_day(principal, app, TODAY, PRINCIPAL).status_code == 302  # the same day, another leader
    page = principal.get(f"/rosters/{SCHOOL}?lang=en").get_data(as_text=True)
    assert 'id="report-changed"' in page and "Report it again" in page
    assert "报局后已修改" in principal.get(f"/rosters/{SCHOOL}?lang=zh_CN").get_data(as_text=True)
    changed, matched, recipients = told()
    assert (changed, matched) == (1, 0) and PRINCIPAL in recipients and len(recipients) >= 2  # and the office
    bureau = login(CHIEF)
    table = bureau.get("/rosters/reported?lang=en").get_data(as_text=True)
    assert 'id="changed-total"' in table and 'class="changed"' in table.split(f'data-org="{SCHOOL}"')[1][:30]

    assert _edit_day(principal, app, START, PRINCIPAL).status_code == 302  # a second change: told once only
    assert told()[:2] == (1, 0)
    for day in (TODAY, START):  # both days as reported again
        assert _edit_day(principal, app, day, DEPUTY).status_code == 302
    assert told()[:2] == (1, 1)
    assert 'id="report-changed"' not in principal.get(f"/rosters/{SCHOOL}?lang=en").get_data(as_text=True)
    assert 'id="changed-total"' not in bureau.get("/rosters/reported?lang=en").get_data(as_text=True)
