"""The header menu links to the hazard ledger and board for the roles that see hazards (bureau,
liaison sections, school leaders, grid owners), and not for an account with no role."""

from __future__ import annotations

import re

import pytest


def _nav(html: str) -> dict[str, str]:
    menu = html.split('class="site-nav"')[1].split("</nav>")[0]
    return {text: href for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu)}


@pytest.mark.parametrize("username", ["auditor", "P00002", "P00010", "P00027", "P00047"])
def test_the_menu_links_to_the_ledger_and_the_board(demo_login, username: str) -> None:  # type: ignore[no-untyped-def]
    client = demo_login(username)
    nav = _nav(client.get("/").get_data(as_text=True))
    assert nav.get("隐患台账") == "/hazards" and nav.get("隐患治理看板") == "/hazards/board"
    assert client.get(nav["隐患台账"]).status_code == 200
    assert client.get(nav["隐患治理看板"]).status_code == 200
    english = _nav(client.get("/?lang=en").get_data(as_text=True))
    assert english.get("Hazard ledger") == "/hazards" and english.get("Hazard board") == "/hazards/board"


def test_no_hazard_links_without_a_role(demo_app) -> None:  # type: ignore[no-untyped-def]
    from responsibility.web.org.viewer import nav_items as nav_for

    with demo_app.test_request_context("/"):
        links = {href for _, href in nav_for(frozenset())}
        county = {href for _, href in nav_for(frozenset({"auditor"}))}
    assert "/hazards" not in links and "/hazards/board" not in links
    assert {"/hazards", "/hazards/board"} <= county
