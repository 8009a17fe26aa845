"""The roster pages: the plan with uncovered days and holiday flags, editing a day (refusals in the
reader's language, 409 on a stale version), the .xlsx upload and template, who may plan (403),
the phone's 到岗 and the bureau's 到岗率 table."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from responsibility.accounts.passwords import set_password
from responsibility.clock import today as county_today
from responsibility.extensions import db
from responsibility.models import DutyCheckin, DutyRoster, Organization, Section, User

SCHOOL = "SCH001"
PRINCIPAL = "P00027"  # SCH001 校长 (S01)
DEPUTY = "P00029"  # SCH001 分管安全副校长 (S03)
GUARD = "P00038"  # SCH001 门卫 (S16)
DORM = "P00043"  # SCH001 宿管 (S15)
DAY = "2025-03-01"


@pytest.fixture
def login(demo_app, demo_login):  # type: ignore[no-untyped-def]
    """``login(person_id)``: any demo person's account, given the demo password first."""
    from fixtures.campaign_pages import DEMO_PASSWORD

    def _login(username: str):  # type: ignore[no-untyped-def]
        with demo_app.app_context():
            user = db.session.scalars(select(User).where(User.username == username)).one()
            set_password(user, DEMO_PASSWORD, must_change=False)
            db.session.commit()
        return demo_login(username)

    return _login


def _version(demo_app, day: str = DAY) -> int:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        org = db.session.scalar(select(Organization.id).where(Organization.source_id == SCHOOL))
        found = db.session.scalar(
            select(DutyRoster.version).where(DutyRoster.org_id == org, DutyRoster.date == dt.date.fromisoformat(day))
        )
        return found or 0


def _form(version: int, leader: str = DEPUTY, day: str = DAY, **extra: object) -> dict[str, object]:
    return {"day": day, "shift": "24h", "version": str(version), "leader": leader, "staff": [GUARD], **extra}


def test_the_plan_shows_days_flags_and_the_edit_form(demo_app, make_campaign, login) -> None:  # type: ignore[no-untyped-def]
    demo_app.config["ROSTER_WINTER_BREAK"] = "2025-01-15/2025-02-15"
    make_campaign()
    principal = login(PRINCIPAL)
    page = principal.get(f"/rosters/{SCHOOL}?day={DAY}").get_data(as_text=True)
    assert "值班表" in page and 'id="day-form"' in page and 'data-day="2024-11-15"' in page
    assert 'name="leader"' in page and f'value="{GUARD}"' in page
    leaders = page.split('name="leader"')[1].split("</select>")[0]
    assert PRINCIPAL in leaders and GUARD not in leaders  # only leading posts offered
    english = principal.get(f"/rosters/{SCHOOL}?day={DAY}&lang=en").get_data(as_text=True)
    assert "Leader on duty" in english and "带班领导" not in english


def test_edit_a_day_refusals_and_the_conflict(demo_app, make_campaign, login) -> None:  # type: ignore[no-untyped-def]
    make_campaign()
    deputy = login(DEPUTY)
    read = _version(demo_app)
    no_leader = deputy.post(f"/rosters/{SCHOOL}/day", data=_form(read, leader=""))
    assert no_leader.status_code == 400 and "没有带班领导" in no_leader.get_data(as_text=True)
    not_leading = deputy.post(f"/rosters/{SCHOOL}/day?lang=en", data=_form(read, leader=GUARD))
    text = not_leading.get_data(as_text=True)
    assert not_leading.status_code == 400 and "holds no leading post" in text and "不担任" not in text
    unknown = deputy.post(f"/rosters/{SCHOOL}/day?lang=zh_CN", data=_form(read, staff=["P99999"]))
    assert unknown.status_code == 404 and "P99999" in unknown.get_data(as_text=True)
    outside = deputy.post(f"/rosters/{SCHOOL}/day", data=_form(0, day="2025-06-01"))
    assert outside.status_code == 400 and "不在本季" in outside.get_data(as_text=True)
    assert _version(demo_app) == read  # nothing written
    saved = deputy.post(f"/rosters/{SCHOOL}/day", data=_form(read, **{"post-0": GUARD, "post-1": DORM}))
    assert saved.status_code == 302 and _version(demo_app) == read + 1
    stale = login(PRINCIPAL).post(f"/rosters/{SCHOOL}/day", data=_form(read, leader=PRINCIPAL))
    assert stale.status_code == 409 and "已被他人修改" in stale.get_data(as_text=True)
    row = deputy.get(f"/rosters/{SCHOOL}?day={DAY}").get_data(as_text=True).split(f'id="d-{DAY}"')[1].split("</tr>")[0]
    assert DEPUTY in row and DORM in row and PRINCIPAL not in row


def _xlsx(rows: list[tuple[object, ...]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["日期", "班次", "带班领导", "值班人员", "门卫", "宿管"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_upload_refuses_a_bad_file_whole_and_takes_a_good_one(demo_app, make_campaign, login) -> None:  # type: ignore[no-untyped-def]
    make_campaign()
    principal = login(PRINCIPAL)
    template = principal.get("/rosters/template.xlsx")
    assert template.status_code == 200 and template.mimetype.endswith("spreadsheetml.sheet")
    header = [c.value for c in next(load_workbook(io.BytesIO(template.data)).worksheets[0].iter_rows())]
    assert header[:3] == ["日期 date", "班次 shift", "带班领导 leader"]
    before = _version(demo_app, "2025-03-02")
    bad = _xlsx([("2025-03-02", "24h", PRINCIPAL, "", "", ""), ("2025-03-03", "24h", GUARD, "", "", "")])
    refused = principal.post(f"/rosters/{SCHOOL}/upload", data={"roster": (bad, "r.xlsx")})
    assert refused.status_code == 400 and "第3行" in refused.get_data(as_text=True)
    assert _version(demo_app, "2025-03-02") == before
    good = _xlsx([("2025-03-02", "24h", PRINCIPAL, GUARD, GUARD, DORM)])
    accepted = principal.post(f"/rosters/{SCHOOL}/upload", data={"roster": (good, "r.xlsx")}, follow_redirects=True)
    assert accepted.status_code == 200 and "已导入 1 个班次" in accepted.get_data(as_text=True)
    assert _version(demo_app, "2025-03-02") == before + 1


def test_who_may_plan_and_read(demo_app, make_campaign, login) -> None:  # type: ignore[no-untyped-def]
    make_campaign()
    with demo_app.app_context():
        bureau = db.session.scalar(select(Organization.source_id).where(Organization.kind == "bureau"))
        office = db.session.scalar(select(Section).where(Section.name == "办公室"))
        other = db.session.scalar(select(Section).where(Section.name != "办公室").order_by(Section.source_id))
        office_chief = db.session.get(type(office.chief), office.chief_person_id).source_id  # type: ignore[union-attr]
        other_chief = other.chief.source_id  # type: ignore[union-attr]
    guard = login(GUARD)  # school staff, no planning post
    page = guard.get(f"/rosters/{SCHOOL}").get_data(as_text=True)
    assert 'id="days"' in page and 'id="day-form"' not in page  # read-only
    assert guard.post(f"/rosters/{SCHOOL}/day", data=_form(0)).status_code == 403
    assert guard.get(f"/rosters/{bureau}").status_code == 403
    assert guard.get("/rosters/attendance").status_code == 403
    assert login(PRINCIPAL).get("/rosters/SCH016").status_code == 404  # another school: invisible
    chief = login(office_chief)
    assert 'id="day-form"' in chief.get(f"/rosters/{bureau}").get_data(as_text=True)
    stranger = login(other_chief)
    assert 'id="day-form"' not in stranger.get(f"/rosters/{bureau}").get_data(as_text=True)
    assert stranger.post(f"/rosters/{bureau}/day", data=_form(0)).status_code == 403


def test_check_in_today_and_the_attendance_table(demo_app, demo_runner, login) -> None:  # type: ignore[no-untyped-def]
    today = county_today()  # the app's zone decides below; run far from midnight in Beijing is not needed
    made = demo_runner.invoke(
        args=["campaign", "create", "今日批次", "--start", str(today - dt.timedelta(days=30)),
              "--end", str(today + dt.timedelta(days=60))]
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    principal = login(PRINCIPAL)
    page = principal.get(f"/rosters/{SCHOOL}").get_data(as_text=True)
    local = page.split('name="day" value="')[1][:10]  # the form opens on today (local)
    saved = principal.post(f"/rosters/{SCHOOL}/day", data=_form(0, leader=PRINCIPAL, day=local, **{"post-1": DORM}))
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    dorm = login(DORM)
    duty = dorm.get("/duty").get_data(as_text=True)
    assert "今日值班" in duty and "checkin-button" in duty
    done = dorm.post("/duty/checkin", data={"org": SCHOOL, "shift": "24h"}, follow_redirects=True)
    assert done.status_code == 200 and "已于" in done.get_data(as_text=True)
    again = dorm.post("/duty/checkin?lang=en", data={"org": SCHOOL, "shift": "24h"})
    assert again.status_code == 409 and "already checked in" in again.get_data(as_text=True)
    outsider = login(DEPUTY).post("/duty/checkin", data={"org": SCHOOL, "shift": "24h"})
    assert outsider.status_code == 400 and "不在" in outsider.get_data(as_text=True)
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(DutyCheckin.id))) == 1
    table = login("P00001").get("/rosters/attendance").get_data(as_text=True)
    row = table.split(f'data-org="{SCHOOL}"')[1].split("</tr>")[0]
    assert "(1/" in row  # one check-in of the rostered person-shifts so far
    english = login("P00001").get("/rosters/attendance?lang=en").get_data(as_text=True)
    assert "Per town" in english and "按乡镇" not in english
