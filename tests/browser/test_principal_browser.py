"""A principal logs in with a real browser, sees their school, and gets 404 for another."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

SCREENSHOT = Path(os.environ.get("SCREENSHOT_DIR", "/tmp")) / "responsibility-school-page.png"


def _schools(app, username: str) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """(own school id, own school name, another school id) for the principal ``username``."""
    from responsibility.extensions import db
    from responsibility.models import Person, PostAssignment, School

    with app.app_context():
        own_id, own_name = db.session.execute(
            select(School.source_id, School.name)
            .join(PostAssignment, PostAssignment.org_id == School.id)
            .join(Person, Person.id == PostAssignment.person_id)
            .where(Person.source_id == username, PostAssignment.post_code == "S01")
        ).one()
        other = db.session.scalar(select(School.source_id).where(School.source_id != own_id).order_by(School.source_id))
    return own_id, own_name, other


def _log_in(page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server("/"))
    assert page.url.startswith(live_server("/login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", live_server.app.config["DEMO_PASSWORD"])
    page.click("form [type=submit]")
    page.wait_for_url(live_server("/"))


def test_principal_sees_own_school_and_404_for_another(page, live_server) -> None:  # type: ignore[no-untyped-def]
    own_id, own_name, other_id = _schools(live_server.app, "P00027")
    _log_in(page, live_server, "P00027")

    page.click(f"a[href='/org/schools/{own_id}']")
    page.wait_for_url(live_server(f"/org/schools/{own_id}"))
    assert own_name in page.inner_text("h1")
    assert page.locator("#grids .grid-tree li").count() > 1
    assert "校长" in page.inner_text("#leaders")
    page.screenshot(path=str(SCREENSHOT), full_page=False)

    response = page.goto(live_server(f"/org/schools/{other_id}"))
    assert response is not None and response.status == 404
    assert "页面不存在" in page.inner_text("h1")
    missing = page.goto(live_server("/org/schools/SCH-NOT-THERE"))
    assert missing is not None and missing.status == 404
    assert "页面不存在" in page.inner_text("h1")


def test_language_switch_and_logout(page, live_server) -> None:  # type: ignore[no-untyped-def]
    _log_in(page, live_server, "P00027")
    page.click("text=English")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "My posts and duties" in page.inner_text("main")
    page.click("text=中文")
    assert "我的岗位与职责" in page.inner_text("main")
    page.click("form.logout-form [type=submit]")  # a POST carrying the CSRF token
    page.wait_for_url(live_server("/login"))
    page.goto(live_server("/"))
    assert page.url.startswith(live_server("/login"))
