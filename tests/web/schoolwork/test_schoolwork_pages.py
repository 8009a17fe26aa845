"""The school's home-visit and education pages and the bureau's county table: recording moves the
rate, both languages, an outsider who can see the school gets 403 on a write, one who cannot 404,
a stale form 409 with nothing written."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from responsibility.clock import today as county_today
from responsibility.extensions import db
from responsibility.models import AuditEvent, EducationSession, HomeVisitCount

PRINCIPAL = "P00027"  # SCH001 principal
CHIEF = "P00001"  # bureau chief: sees every school, belongs to none


def _campaign(demo_runner) -> tuple[int, dt.date]:  # type: ignore[no-untyped-def]
    today = county_today()
    start, end = (today - dt.timedelta(days=30)).isoformat(), (today + dt.timedelta(days=120)).isoformat()
    made = demo_runner.invoke(args=["campaign", "create", "家访教育页面批次", "--start", start, "--end", end])
    assert made.exit_code == 0, made.output
    return int(made.output.split()[-1]), today - dt.timedelta(days=3)


def _count(demo_app, what) -> int:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(what)) or 0)


def test_recording_visits_moves_the_rate_in_both_languages(demo_runner, demo_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    _campaign(demo_runner)
    principal = demo_login(PRINCIPAL)
    page = principal.get("/schools/SCH001/visits").get_data(as_text=True)
    assert "家访" in page and 'id="record-visits"' in page
    sent = principal.post("/schools/SCH001/visits", data={"class_name": "七年级1班", "category": "留守儿童",
                                                           "planned": "4", "done": "3", "version": "0"})  # fmt: skip
    assert sent.status_code == 302
    page = principal.get("/schools/SCH001/visits").get_data(as_text=True)
    assert 'data-class="七年级1班"' in page and "75.0%" in page
    english = principal.get("/schools/SCH001/visits?lang=en").get_data(as_text=True)
    assert "Left-behind children" in english and "Visit rate" in english and ">留守儿童<" not in english
    stale = principal.post("/schools/SCH001/visits?lang=zh_CN", data={"class_name": "七年级1班", "category": "留守儿童",
                                                            "planned": "4", "done": "4", "version": "0"})  # fmt: skip
    assert stale.status_code == 409 and "已被他人修改" in stale.get_data(as_text=True)
    bad = principal.post("/schools/SCH001/visits?lang=en", data={"class_name": "七年级2班", "category": "留守儿童",
                                                                  "planned": "2", "done": "3", "version": "0"})  # fmt: skip
    assert bad.status_code == 400 and "exceeds planned" in bad.get_data(as_text=True)
    with demo_app.app_context():
        (row,) = db.session.scalars(select(HomeVisitCount).where(HomeVisitCount.class_name.like("七年级%"))).all()
        assert (row.planned, row.visited, row.version) == (4, 3, 1)
    chief = demo_login(CHIEF)
    county = chief.get("/education/county").get_data(as_text=True)
    school_row = county.split('data-school="SCH001"')[1].split("</tr>")[0]
    assert "visit-rate" in school_row and "家访" in county


def test_education_sessions_record_refuse_and_delete(demo_runner, demo_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    campaign, day = _campaign(demo_runner)
    principal = demo_login(PRINCIPAL)
    form = {"topic": "anti_fraud", "date": day.isoformat(), "class_name": "七年级1班", "attendance": "38",
            "enrolled": "40", "note": ""}  # fmt: skip
    assert principal.post("/schools/SCH001/education", data=form).status_code == 302
    page = principal.get("/schools/SCH001/education").get_data(as_text=True)
    assert "反诈" in page and "38/40" in page
    assert "Anti-fraud" in principal.get("/schools/SCH001/education?lang=en").get_data(as_text=True)
    county = demo_login(CHIEF).get("/education/county").get_data(as_text=True)
    assert "95.0%" in county.split('data-school="SCH001"')[1].split("</tr>")[0]
    card = principal.get(f"/targets/{campaign}/SCH001?lang=zh_CN").get_data(as_text=True)
    fraud = card.split('id="target-anti_fraud_coverage"')[1].split("</li>\n  \n")[0]
    assert 'data-status="behind"' in fraud[:40] and "七年级1班：2 名学生未覆盖" in fraud
    assert "/schools/SCH001/education" in fraud
    over = principal.post("/schools/SCH001/education?lang=en", data={**form, "attendance": "41"})
    assert over.status_code == 400 and "more than the 40 enrolled" in over.get_data(as_text=True)
    future = principal.post("/schools/SCH001/education?lang=zh_CN", data={**form, "date": "2099-01-01"})
    assert future.status_code == 400 and "晚于今天" in future.get_data(as_text=True)
    assert _count(demo_app, EducationSession) == 1
    with demo_app.app_context():
        session_id = db.session.scalar(select(EducationSession.id))
    edited = principal.post(
        f"/schools/SCH001/education/{session_id}", data={**form, "attendance": "40", "version": "1"}
    )
    assert edited.status_code == 302 and "40/40" in principal.get("/schools/SCH001/education").get_data(as_text=True)
    late = principal.post(f"/schools/SCH001/education/{session_id}?lang=zh_CN", data={**form, "version": "1"})
    assert late.status_code == 409 and "已被他人修改" in late.get_data(as_text=True)
    with demo_app.app_context():
        assert db.session.get(EducationSession, session_id).attendance == 40  # type: ignore[union-attr]
    stale = principal.post(f"/schools/SCH001/education/{session_id}/delete", data={"version": "1"})
    assert stale.status_code == 409 and _count(demo_app, EducationSession) == 1
    gone = principal.post(f"/schools/SCH001/education/{session_id}/delete", data={"version": "2"})
    assert gone.status_code == 302 and _count(demo_app, EducationSession) == 0
    with demo_app.app_context():
        actors = set(db.session.scalars(select(AuditEvent.actor).where(AuditEvent.action.like("education.%"))))
        assert actors == {f"person:{PRINCIPAL}"}


def test_outsiders_cannot_write(demo_runner, demo_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    _, day = _campaign(demo_runner)
    form = {"topic": "fire", "date": day.isoformat(), "attendance": "10", "enrolled": "20"}
    chief = demo_login(CHIEF)
    assert chief.get("/schools/SCH001/education").status_code == 200  # the bureau may look
    assert chief.post("/schools/SCH001/education", data=form).status_code == 403
    assert chief.post("/schools/SCH001/visits", data={"class_name": "一班", "category": "留守儿童",
                                                       "planned": "1", "done": "1"}).status_code == 403  # fmt: skip
    other = demo_login(PRINCIPAL)  # SCH016 is not the principal's school: it does not exist for them
    assert other.get("/schools/SCH016/visits").status_code == 404
    assert other.post("/schools/SCH016/education", data=form).status_code == 404
    assert _count(demo_app, EducationSession) == 0
