"""The patrol pages by role: the grid owner logs 巡查正常 from the QR page and sees it in the
history (both languages); a second tap the same day is a clear 409; a staff member who does not
patrol the grid gets no button and a 403; staff of another school get 403 on the history and the
school page; a hazard reported from the QR page logs a patrol with result hazard.

Demo county (demo logins): G00043 (高一（1）班, SCH001) owned by P00047; P00028 (SCH001's party
secretary) is a member of G00001, not of G00043; the principal P00027 sees only SCH001 (G00111 is
of SCH002); P00002 (bureau deputy in charge of safety) sees every school."""

from __future__ import annotations

from sqlalchemy import select

from responsibility.extensions import db
from responsibility.models import AuditEvent, GridPatrol, Hazard

GRID = "G00043"


def _patrols(app) -> list[GridPatrol]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(db.session.scalars(select(GridPatrol)).all())


def test_owner_logs_patrol_normal_from_the_qr_page(demo_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    owner = demo_login("P00047")
    page = owner.get(f"/hazards/report?grid={GRID}&lang=zh_CN").get_data(as_text=True)
    assert 'id="patrol-normal"' in page and "巡查正常" in page and "巡查本网格" in page
    english = owner.get(f"/hazards/report?grid={GRID}&lang=en").get_data(as_text=True)
    assert "Patrol normal" in english and "巡查正常" not in english
    sent = owner.post("/patrols/log", data={"grid": GRID, "note": "门窗完好"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/patrols/grids/{GRID}")
    (patrol,) = _patrols(demo_app)
    assert patrol.result == "normal" and patrol.note == "门窗完好"
    history = owner.get(f"/patrols/grids/{GRID}?lang=zh_CN").get_data(as_text=True)
    assert "巡查记录" in history and "巡查正常" in history and "门窗完好" in history
    history_en = owner.get(f"/patrols/grids/{GRID}?lang=en").get_data(as_text=True)
    assert "Patrol history" in history_en and "Patrol normal" in history_en and "Grid owner" in history_en
    again_page = owner.get(f"/hazards/report?grid={GRID}&lang=en").get_data(as_text=True)
    assert 'id="patrolled"' in again_page and 'id="patrol-normal"' not in again_page
    twice = owner.post("/patrols/log?lang=en", data={"grid": GRID})
    assert twice.status_code == 409 and "already logged a patrol of grid G00043" in twice.get_data(as_text=True)
    twice_zh = owner.post("/patrols/log?lang=zh_CN", data={"grid": GRID})
    assert twice_zh.status_code == 409 and "已于" in twice_zh.get_data(as_text=True)
    assert len(_patrols(demo_app)) == 1
    with demo_app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "patrol.log")) == "patrol.log"


def test_history_highlights_gaps(demo_login) -> None:  # type: ignore[no-untyped-def]
    page = demo_login("P00047").get(f"/patrols/grids/{GRID}?start=2026-11-02&end=2026-11-15&lang=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'class="gap" data-day="2026-11-15"' in text and "Missing patrol" in text  # the owner's weekly gaps
    assert "2026-11-09–2026-11-15" in text


def test_staff_who_do_not_patrol_the_grid_get_no_button_and_403(demo_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    other_owner = demo_login("P00028")
    page = other_owner.get(f"/hazards/report?grid={GRID}").get_data(as_text=True)
    assert 'id="patrol-normal"' not in page and 'id="report-form"' in page  # may still report a hazard
    refused = other_owner.post("/patrols/log?lang=en", data={"grid": GRID})
    assert refused.status_code == 403 and "neither the owner nor a member" in refused.get_data(as_text=True)
    reported = other_owner.post(f"/hazards/report?grid={GRID}", data={"grid": GRID, "area": "R03", "description": "窗"})
    assert reported.status_code == 302  # the hazard is reported, but it is nobody's patrol
    assert _patrols(demo_app) == []
    long_note = demo_login("P00047").post("/patrols/log?lang=en", data={"grid": GRID, "note": "x" * 2001})
    assert long_note.status_code == 400 and "more than 2000 characters" in long_note.get_data(as_text=True)
    assert _patrols(demo_app) == []


def test_outsiders_get_403_and_the_bureau_sees_the_school(demo_login) -> None:  # type: ignore[no-untyped-def]
    outsider = demo_login("P00027")  # SCH001's principal: SCH002 is not theirs
    assert outsider.get("/patrols/grids/G00111").status_code == 403
    assert outsider.get("/patrols/schools/SCH002").status_code == 403
    assert outsider.post("/patrols/log", data={"grid": "G00111"}).status_code == 403
    bureau = demo_login("P00002")
    zh = bureau.get("/patrols/schools/SCH001?start=2026-11-02&end=2026-11-08&lang=zh_CN").get_data(as_text=True)
    assert "网格巡查" in zh and 'id="school-patrols"' in zh and f"/patrols/grids/{GRID}" in zh
    en = bureau.get("/patrols/schools/SCH001?start=2026-11-02&end=2026-11-08&lang=en").get_data(as_text=True)
    assert "Grid patrols" in en and "grids," in en
    assert bureau.get("/patrols/schools/SCH001?start=nope").status_code == 400
    assert bureau.get("/patrols/schools/SCH001?start=2026-11-08&end=2026-11-01").status_code == 400
    assert bureau.get("/patrols/grids/G99999").status_code == 404


def test_a_hazard_reported_from_the_qr_page_logs_a_patrol(demo_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    owner = demo_login("P00047")
    assert owner.post("/patrols/log", data={"grid": GRID}).status_code == 302  # 巡查正常 first …
    sent = owner.post(f"/hazards/report?grid={GRID}", data={"grid": GRID, "area": "R03", "description": "灯不亮"})
    assert sent.status_code == 302, sent.get_data(as_text=True)[:500]
    (patrol,) = _patrols(demo_app)  # … then the day's patrol says a hazard was found
    with demo_app.app_context():
        hazard = db.session.scalars(select(Hazard).where(Hazard.description == "灯不亮")).one()
        assert db.session.get(GridPatrol, patrol.id).hazard_id == hazard.id
    assert patrol.result == "hazard"
    history = owner.get(f"/patrols/grids/{GRID}?lang=en").get_data(as_text=True)
    assert "Hazard reported" in history and hazard.file_no in history
