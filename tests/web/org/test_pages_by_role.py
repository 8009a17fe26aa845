"""The organisation pages as each role sees them, on the hand-made small county.

The data is dated for today's real date, so the small county's fixed dates (2024-11-15 onwards,
open-ended) are all valid today except the ones that ended in the past.
"""

from __future__ import annotations

import re

import pytest
from small_county import NAMES

SCHOOL_A = "/org/schools/SCH-A"
SCHOOL_B = "/org/schools/SCH-B"
SCHOOL_C = "/org/schools/SCH-C"


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def _normalised(body: str, *ids: str) -> str:
    """The body with the requested id and the per-request CSRF token blanked out."""
    for value in ids:
        body = body.replace(value, "ID")
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', body)


@pytest.mark.parametrize("path", ["/", "/org/towns", "/org/towns/T01", "/org/schools", SCHOOL_A, "/org/schools/NOPE"])
def test_anonymous_is_sent_to_the_login_page(county_app, path: str) -> None:  # type: ignore[no-untyped-def]
    response = county_app.test_client().get(path)
    assert response.status_code == 302
    assert response.headers["Location"].split("?")[0].endswith("/login")


class TestPrincipal:
    def test_home_shows_the_school_and_duties_in_chinese(self, login) -> None:  # type: ignore[no-untyped-def]
        body = _text(login("P-PRIN").get("/"))
        assert 'lang="zh-CN"' in body
        assert "我的学校" in body
        assert f'href="{SCHOOL_A}"' in body
        assert "校长（园长）安全职责一" in body  # the safety duties of their post
        assert "校长" in body and "网格长" in body  # roles in the header, in Chinese
        assert SCHOOL_B not in body

    def test_school_page(self, login) -> None:  # type: ignore[no-untyped-def]
        response = login("P-PRIN").get(SCHOOL_A)
        assert response.status_code == 200
        body = _text(response)
        assert "岚川县城关第一小学" in body
        leaders = body.split('id="leaders"')[1].split('id="liaison"')[0]
        for person in ("P-PRIN", "P-SEC", "P-SAFE"):
            assert NAMES[person] in leaders
        for heading in ("校长", "党组织书记", "分管安全副校长", "网格", "一楼一案-SCH-A-一号教学楼", "安全稳定股"):
            assert heading in body, heading
        assert "寄宿" in body and "食堂" in body  # features in Chinese
        assert "分管安全副校长（副园长）安全职责二" in body  # 一岗双责 listed per post
        # the grid tree nests: G-A3 inside G-A2 inside G-A1
        a1, a2, a3 = (body.index(f'id="grid-{g}"') for g in ("G-A1", "G-A2", "G-A3"))
        assert a1 < a2 < a3
        assert body[a1:a3].count('<ul class="grid-tree">') == 2 and "</li>" not in body[a1:a3]
        # the former principal is history, not a holder today
        assert NAMES["P-OLD"] not in leaders
        # owners on the grid tree: P-TEACH owns G-A3 today (P-OLD did until 2024-09-01)
        a3_node = body[a3 : body.index("</li>", a3)]
        assert NAMES["P-TEACH"] in a3_node and NAMES["P-OLD"] not in a3_node
        assert NAMES["P-TEACH"] in body[a2:a3]  # member of G-A2

    def test_other_school_is_exactly_like_a_missing_one(self, login) -> None:  # type: ignore[no-untyped-def]
        client = login("P-PRIN")
        hidden = client.get(SCHOOL_B)
        missing = client.get("/org/schools/NOPE")
        assert hidden.status_code == missing.status_code == 404
        assert "岚川县城关幼儿园" not in _text(hidden)
        assert _normalised(_text(hidden), "SCH-B") == _normalised(_text(missing), "NOPE")

    def test_towns_show_only_the_towns_with_visible_schools(self, login) -> None:  # type: ignore[no-untyped-def]
        client = login("P-PRIN")
        towns = _text(client.get("/org/towns"))
        assert "城关镇" in towns and "青石镇" not in towns
        town = client.get("/org/towns/T01")
        assert town.status_code == 200
        assert SCHOOL_A in _text(town) and SCHOOL_B not in _text(town)
        assert client.get("/org/towns/T02").status_code == 404
        assert client.get("/org/towns/T99").status_code == 404

    def test_history_by_date(self, login) -> None:  # type: ignore[no-untyped-def]
        client = login("P-PRIN")
        old = _text(client.get(SCHOOL_A + "?on=2024-08-01"))
        leaders = old.split('id="leaders"')[1].split('id="liaison"')[0]
        assert NAMES["P-OLD"] in leaders  # P-OLD was principal until 2024-09-01
        assert NAMES["P-PRIN"] not in leaders
        assert client.get(SCHOOL_A + "?on=2024-13-45").status_code == 400

    def test_logout_is_a_post_form_with_a_csrf_token(self, login) -> None:  # type: ignore[no-untyped-def]
        body = _text(login("P-PRIN").get("/"))
        form = re.search(r'<form method="post" action="/logout"[^>]*>(.*?)</form>', body, re.S)
        assert form is not None
        assert 'name="csrf_token"' in form.group(1)


class TestSectionStaff:
    def test_liaison_person_sees_the_liaised_school(self, login) -> None:  # type: ignore[no-untyped-def]
        client = login("P-LIA")
        home = _text(client.get("/"))
        assert "包抓" in home or "联系" in home
        assert f'href="{SCHOOL_A}"' in home
        assert SCHOOL_B not in home and SCHOOL_C not in home
        assert client.get(SCHOOL_A).status_code == 200
        assert client.get(SCHOOL_B).status_code == 404
        assert client.get(SCHOOL_C).status_code == 404  # SEC-1's liaison with SCH-C has ended

    def test_other_section_chief_sees_its_schools(self, login) -> None:  # type: ignore[no-untyped-def]
        client = login("P-S2CHIEF")
        listing = _text(client.get("/org/schools"))
        assert SCHOOL_B in listing and SCHOOL_C in listing and SCHOOL_A not in listing
        assert client.get(SCHOOL_A).status_code == 404


@pytest.mark.parametrize("username", ["P-CHIEF", "auditor", "admin"])
def test_county_wide_readers_see_every_school(login, username: str) -> None:  # type: ignore[no-untyped-def]
    client = login(username)
    listing = _text(client.get("/org/schools"))
    for path in (SCHOOL_A, SCHOOL_B, SCHOOL_C):
        assert path in listing
        assert client.get(path).status_code == 200
    towns = _text(client.get("/org/towns"))
    assert "城关镇" in towns and "青石镇" in towns
    home = _text(client.get("/"))
    assert "全县概况" in home


def test_admin_home_links_to_the_account_pages(login) -> None:  # type: ignore[no-untyped-def]
    home = _text(login("admin").get("/"))
    assert 'href="/admin/users"' in home


def test_grid_owner_sees_their_grids(login) -> None:  # type: ignore[no-untyped-def]
    client = login("P-GRID")
    home = _text(client.get("/"))
    assert "我的网格" in home
    assert f"{SCHOOL_B}#grid-G-B1" in home
    assert client.get(SCHOOL_B).status_code == 200  # owns a grid there


def test_english_switch(login) -> None:  # type: ignore[no-untyped-def]
    client = login("P-PRIN")
    english = _text(client.get(SCHOOL_A + "?lang=en"))
    assert 'lang="en"' in english
    assert "Principal" in english and "Grid tree" in english and "Boarding" in english
    assert "网格树" not in english
    # remembered for the next page
    assert "My posts and duties" in _text(client.get("/"))
    # and back
    chinese = _text(client.get("/?lang=zh_CN"))
    assert "我的岗位与职责" in chinese


def test_school_page_marks_a_holder_who_has_left_on_the_day_shown(county_app, login) -> None:  # type: ignore[no-untyped-def]
    """P-SAFE transferred on 2025-01-10 but still holds S03: shown plainly before that day,
    marked with the date and the reason (its label) from that day on."""
    import datetime as dt

    from sqlalchemy import select

    from responsibility.extensions import db
    from responsibility.models import Person

    with county_app.app_context():
        person = db.session.execute(select(Person).where(Person.source_id == "P-SAFE")).scalar_one()
        person.left_on, person.left_reason = dt.date(2025, 1, 10), "transferred"
        db.session.commit()
    client = login("P-PRIN")
    posts = _text(client.get(SCHOOL_A + "?on=2025-01-09")).split('id="posts"')[1]
    assert NAMES["P-SAFE"] in posts and "离岗" not in posts
    posts = _text(client.get(SCHOOL_A + "?on=2025-01-10")).split('id="posts"')[1]
    assert "已于 2025-01-10 离岗（调离）" in posts
    posts = _text(client.get(SCHOOL_A + "?on=2025-01-10&lang=en")).split('id="posts"')[1]
    assert "left service on 2025-01-10 (Transferred)" in posts
