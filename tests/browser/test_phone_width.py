"""At 390 px nothing scrolls sideways: every page each role can reach (one of each kind: the
school pages of 60 schools are one kind) is visited and ``scrollWidth`` must stay ≤ 390. The
header menu folds behind one button; the sign page shows the agreement as page images.

With ``SCREENSHOTS=1`` the phone views of the journeys are saved into ``docs/screens/``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fixtures.screens import PHONE_WIDTH, shoot
from fixtures.signing_browser import log_in, prepare
from playwright.sync_api import expect

SKIP = re.compile(r"(/logout|/static/|download=1|\.pdf$|\.xlsx|\.zip$|\.png$|\.json$|\.pem$|\.crl$|[?&]lang=)")
#: Pages of the journeys whose phone view goes into the README (SCREENSHOTS=1), by page kind.
SHOTS = {"/sign/board/*?": "board", "/audit/gaps?": "gaps", "/chain?building": "chain", "/sign/inbox?": "inbox"}
MAX_PAGES = 45  # per role: one page of each kind is enough, the cap only bounds a runaway crawl


def _shape(url: str) -> str:
    """One visit per kind of page: ids (anything with a digit) and query values folded."""
    parts = urlsplit(url)
    path = "/".join("*" if re.search(r"\d", seg) else seg for seg in parts.path.split("/"))
    query = "&".join(sorted(q.split("=", 1)[0] for q in parts.query.split("&") if q))
    return f"{path}?{query}"


def _crawl(page, live_server, start: list[str]) -> tuple[list[str], list[tuple[str, int]]]:  # type: ignore[no-untyped-def]
    """(pages visited, pages wider than the phone with their scrollWidth)."""
    base = live_server("")
    queue, seen, visited, wide = [live_server(p) for p in start], set(), [], []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        shape = _shape(url)
        if shape in seen or SKIP.search(url):
            continue
        seen.add(shape)
        response = page.goto(url)
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited.append(url)
        if shape in SHOTS:
            shoot(page, SHOTS[shape])
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            wide.append((url, width))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            href = href.split("#", 1)[0]
            if href.startswith(base) and _shape(href) not in seen:
                queue.append(href)
    return visited, wide


@pytest.fixture
def issued(live_server, instance_pki_template):  # type: ignore[no-untyped-def]
    """Two schools' agreements issued and signed by the schools: the board, sign pages, jobs."""
    return prepare(live_server.app, instance_pki_template, ["SCH001", "SCH002"], sign_schools=True)


@pytest.mark.parametrize("role", ["admin", "auditor", "chief", "principal"])
def test_no_page_scrolls_sideways_at_390_px(phone_page, live_server, issued, role: str) -> None:  # type: ignore[no-untyped-def]
    username = issued.get(role, role)
    log_in(phone_page, live_server, username)
    start = ["/", f"/sign/board/{issued['campaign']}", f"/sign/{issued['agreements'][0]}", "/verify"]
    visited, wide = _crawl(phone_page, live_server, start)
    assert len(visited) >= 5, visited
    assert wide == [], wide


def test_the_menu_folds_and_the_preview_is_page_images_on_a_phone(phone_page, live_server, issued) -> None:  # type: ignore[no-untyped-def]
    page = phone_page
    log_in(page, live_server, issued["principal"])
    menu = page.locator("#site-menu")
    expect(menu).to_be_hidden()
    shoot(page, "home")
    page.click(".menu-toggle")
    expect(menu).to_be_visible()
    expect(page.locator(".menu-toggle")).to_have_attribute("aria-expanded", "true")
    page.click(".menu-toggle")
    expect(menu).to_be_hidden()

    page.goto(live_server(f"/sign/{issued['agreements'][0]}"))
    assert page.locator("iframe").count() == 0
    first = page.locator("#page-1")
    expect(first).to_be_visible()
    assert page.evaluate("document.getElementById('page-1').naturalWidth") > 0  # the PNG loaded
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shoot(page, "sign")


def test_desktop_keeps_the_menu_open(page, live_server, issued) -> None:  # type: ignore[no-untyped-def]
    log_in(page, live_server, "admin")
    expect(page.locator("#site-menu")).to_be_visible()
    expect(page.locator(".menu-toggle")).to_be_hidden()
    shoot(page, "home")
    page.goto(live_server("/audit/gaps?at=2025-01-31"))
    expect(page.locator("h1")).to_be_visible()
    shoot(page, "gaps")
    page.goto(live_server("/chain?school=SCH001"))
    signed, missing = page.locator(".badge.state-signed"), page.locator(".badge.state-missing")
    if signed.count() and missing.count():  # 已签 and 未签 are coloured apart, not only worded
        colour = "el => getComputedStyle(el).backgroundColor"
        assert signed.first.evaluate(colour) != missing.first.evaluate(colour)
    shoot(page, "chain")
