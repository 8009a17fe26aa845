"""The season board read from its stored figures (issue 16): the demo county as a province
(``LIVE_REPORT_SCHOOLS`` 0) shows no figures until the board is computed, then the very figures
the live board shows, with the time they were computed; school people cannot compute it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from responsibility import clock
from responsibility.extensions import db
from responsibility.instance import install_instance
from responsibility.models import BoardSnapshot

CHIEF = "P00001"
PRINCIPAL = "P00027"
FIGURES = ("round", "patrols", "attendance", "fire", "visits", "fraud", "incidents")


def _campaign(demo_runner) -> None:  # type: ignore[no-untyped-def]
    today = clock.today(clock.DEFAULT_ZONE)
    start, end = (today - dt.timedelta(days=30)).isoformat(), (today + dt.timedelta(days=120)).isoformat()
    assert demo_runner.invoke(args=["campaign", "create", "看板批次", "--start", start, "--end", end]).exit_code == 0


def _sections(page: str) -> dict[str, str]:
    """The county figures, the town table and the school table of a board page."""
    out = {key: page.split(f'id="fig-{key}"')[1].split("</div>")[0] for key in FIGURES}
    out["by-town"] = page.split('id="by-town"')[1].split("</section>")[0]
    out["schools"] = page.split('id="schools"')[1].split("</section>")[0]
    return out


def test_the_stored_board_shows_the_live_figures_once_computed(demo_app, demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    _campaign(demo_runner)
    chief = demo_login(CHIEF)
    live = chief.get("/season?lang=en").get_data(as_text=True)
    assert 'id="stored-board"' not in live
    demo_app.config["LIVE_REPORT_SCHOOLS"] = 0
    install_instance(demo_app)  # the settings are frozen: rebuild them after the change
    before = chief.get("/season?lang=en").get_data(as_text=True)
    assert "The board of this day has not been computed yet." in before
    assert 'id="county-figures"' not in before and 'id="refresh-board"' in before
    assert "该日的看板尚未计算" in chief.get("/season?lang=zh_CN").get_data(as_text=True)
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(BoardSnapshot.id))) == 0
    done = chief.post("/season/refresh?lang=en", follow_redirects=True).get_data(as_text=True)
    assert "Season board computed in" in done and "This one was computed at" in done
    assert _sections(done) == _sections(live)
    again = chief.get("/season?lang=en&page=1").get_data(as_text=True)
    assert _sections(again) == _sections(live)
    bad = chief.post("/season/refresh?at=2026-13-01&lang=en")
    assert bad.status_code == 400


def test_school_people_cannot_compute_the_board(demo_app, demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    _campaign(demo_runner)
    demo_app.config["LIVE_REPORT_SCHOOLS"] = 0
    install_instance(demo_app)
    assert demo_login(PRINCIPAL).post("/season/refresh").status_code == 404
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(BoardSnapshot.id))) == 0


def test_with_redis_a_worker_computes_the_board(demo_app, demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    from fixtures.rq_workers import refresh_on_a_worker

    _campaign(demo_runner)
    chief = demo_login(CHIEF)
    live = chief.get("/season?lang=en").get_data(as_text=True)
    refresh_on_a_worker(
        demo_app,
        chief,
        "/season/refresh?lang=en",
        "responsibility.jobs.tasks.refresh_board_task",
        LIVE_REPORT_SCHOOLS=0,
    )
    assert _sections(chief.get("/season?lang=en").get_data(as_text=True)) == _sections(live)
