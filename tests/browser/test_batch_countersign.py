"""The bureau chief's batch countersign in a real browser: the board, tick agreements, PIN once,
the progress page refreshes until every agreement is countersigned and archived."""

from __future__ import annotations

from fixtures.screens import shoot
from fixtures.signing_browser import log_in, prepare
from fixtures.signing_workflow import PIN
from playwright.sync_api import expect


def test_chief_countersigns_a_batch_with_progress(page, live_server, instance_pki_template) -> None:  # type: ignore[no-untyped-def]
    ids = prepare(live_server.app, instance_pki_template, ["SCH001", "SCH002"], sign_schools=True)
    log_in(page, live_server, ids["chief"])

    page.goto(live_server(f"/sign/board/{ids['campaign']}"))
    assert page.locator("#progress-by-town .town-bar").count() >= 1
    boxes = page.locator("#board input[name=agreement]")
    assert boxes.count() == 2
    expect(page.locator("#batch-count")).to_have_text("0")
    boxes.nth(0).check()
    expect(page.locator("#batch-count")).to_have_text("1")  # the live count (static board.js)
    page.check("#select-all")
    expect(page.locator("#batch-count")).to_have_text("2")
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    shoot(page, "board")
    page.check("#batch input[name=confirm]")
    page.fill("#batch input[name=pin]", PIN)
    page.click("#batch button[type=submit]")
    page.wait_for_url("**/sign/jobs/**")
    # A locator assertion, not wait_for_function("…"): the CSP (no 'unsafe-eval') refuses string eval.
    expect(page.locator("#progress .percent")).to_have_text("100%", timeout=120_000)
    assert "已处理 2 / 2 份，0 份被拒绝" in page.inner_text("#progress")
    assert page.locator("#batch-items tr[data-status=signed]").count() == 2
    shoot(page, "countersign-job")

    from responsibility.extensions import db
    from responsibility.models import Agreement

    with live_server.app.app_context():
        states = {db.session.get(Agreement, i).state for i in ids["agreements"]}
    assert states == {"archived"}


def test_on_a_phone_the_batch_runs_on_the_rq_workers(phone_page, live_server, instance_pki_template) -> None:  # type: ignore[no-untyped-def]
    """With REDIS_URL set the same journey at 390 px: the workers prepare and complete, the server
    signs what they prepared; the progress page follows them to 100 %."""
    import os
    import signal
    import uuid

    from fixtures.rq_workers import REDIS_URL, redis_connection, start_worker
    from rq import Queue

    from responsibility.instance import install_instance

    connection = redis_connection()
    ids = prepare(live_server.app, instance_pki_template, ["SCH001", "SCH002"], sign_schools=True)
    queue_name = f"test-browser-countersign-{uuid.uuid4().hex}"
    live_server.app.config.update(REDIS_URL=REDIS_URL, RQ_QUEUE=queue_name)
    install_instance(live_server.app)
    worker = start_worker(queue_name, burst=False)
    try:
        log_in(phone_page, live_server, ids["chief"])
        phone_page.goto(live_server(f"/sign/board/{ids['campaign']}"))
        phone_page.check("#select-all")
        expect(phone_page.locator("#batch-count")).to_have_text("2")
        phone_page.check("#batch input[name=confirm]")
        phone_page.fill("#batch input[name=pin]", PIN)
        phone_page.click("#batch button[type=submit]")
        phone_page.wait_for_url("**/sign/jobs/**")
        expect(phone_page.locator("#progress .percent")).to_have_text("100%", timeout=120_000)
        assert "已处理 2 / 2 份，0 份被拒绝" in phone_page.inner_text("#progress")
        assert phone_page.locator("#batch-items tr[data-status=signed]").count() == 2
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(30)
        Queue(queue_name, connection=connection).delete(delete_jobs=True)

    from responsibility.extensions import db
    from responsibility.models import Agreement, BatchJob

    with live_server.app.app_context():
        assert {db.session.get(Agreement, i).state for i in ids["agreements"]} == {"archived"}
        assert {job.backend for job in db.session.query(BatchJob).filter_by(kind="countersign")} == {"rq"}
