"""The organisation pages on the generated demo county, logged in with the documented demo
logins; plus the bound on the number of SQL statements a school page issues."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from sqlalchemy import event, func, select

from responsibility.demo import DEMO_LOGINS


def _login(app, username: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": app.config["DEMO_PASSWORD"]})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def _school_led_by(app, username: str, post_code: str = "S01") -> str:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.models import Organization, Person, PostAssignment

    with app.app_context():
        return db.session.scalar(
            select(Organization.source_id)
            .join(PostAssignment, PostAssignment.org_id == Organization.id)
            .join(Person, Person.id == PostAssignment.person_id)
            .where(
                Person.source_id == username, PostAssignment.post_code == post_code, PostAssignment.valid_to.is_(None)
            )
        )


def _school_ids_by_grid_count(app) -> list[str]:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.models import Grid, School

    with app.app_context():
        rows = db.session.execute(
            select(School.source_id, func.count(Grid.id))
            .outerjoin(Grid, Grid.school_id == School.id)
            .group_by(School.source_id)
            .order_by(func.count(Grid.id), School.source_id)
        ).all()
    return [source_id for source_id, _ in rows]


@contextlib.contextmanager
def _counting(app):  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_demo_logins_are_the_documented_ones() -> None:
    usernames = [username for username, _, _ in DEMO_LOGINS]
    assert {"P00027", "P00010", "P00001", "admin", "auditor"} <= set(usernames)


def test_demo_principal_sees_their_school_and_not_another(demo_app) -> None:  # type: ignore[no-untyped-def]
    mine = _school_led_by(demo_app, "P00027")
    assert mine
    other = next(s for s in _school_ids_by_grid_count(demo_app) if s != mine)
    client = _login(demo_app, "P00027")
    home = client.get("/").get_data(as_text=True)
    assert f'href="/org/schools/{mine}"' in home
    page = client.get(f"/org/schools/{mine}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "网格树" in body and "一岗双责" in body and "一楼一案" in body
    hidden = client.get(f"/org/schools/{other}")
    missing = client.get("/org/schools/SCH999")
    assert hidden.status_code == missing.status_code == 404
    assert (
        hidden.get_data(as_text=True).replace(other, "X").split("<main")[1]
        == missing.get_data(as_text=True).replace("SCH999", "X").split("<main")[1]
    )


def test_demo_section_staff_sees_exactly_the_liaised_schools(demo_app) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.models import LiaisonAssignment, Organization, Person, PostAssignment, School

    with demo_app.app_context():
        section_id = db.session.scalar(
            select(PostAssignment.org_id)
            .join(Person, Person.id == PostAssignment.person_id)
            .where(Person.source_id == "P00010")
        )
        liaised = set(
            db.session.scalars(
                select(School.source_id)
                .join(LiaisonAssignment, LiaisonAssignment.school_id == School.id)
                .where(LiaisonAssignment.section_id == section_id, LiaisonAssignment.valid_to.is_(None))
            )
        )
        all_schools = set(db.session.scalars(select(Organization.source_id).where(Organization.kind == "school")))
    assert liaised and liaised != all_schools
    client = _login(demo_app, "P00010")
    listing = client.get("/org/schools").get_data(as_text=True)
    for source_id in all_schools:
        assert (f'href="/org/schools/{source_id}"' in listing) is (source_id in liaised), source_id
    outside = sorted(all_schools - liaised)[0]
    assert client.get(f"/org/schools/{outside}").status_code == 404


@pytest.mark.parametrize("username", ["P00001", "auditor"])
def test_demo_county_wide_readers(demo_app, username: str) -> None:  # type: ignore[no-untyped-def]
    ids = _school_ids_by_grid_count(demo_app)
    client = _login(demo_app, username)
    listing = client.get("/org/schools").get_data(as_text=True)
    assert all(f'href="/org/schools/{source_id}"' in listing for source_id in ids)
    assert client.get(f"/org/schools/{ids[-1]}").status_code == 200


def test_school_page_issues_a_bounded_number_of_queries(demo_app) -> None:  # type: ignore[no-untyped-def]
    """The smallest and the largest school cost the same number of statements: no N+1."""
    ids = _school_ids_by_grid_count(demo_app)
    smallest, largest = ids[0], ids[-1]
    client = _login(demo_app, "auditor")
    counts = {}
    for source_id in (smallest, largest, smallest):
        with _counting(demo_app) as statements:
            assert client.get(f"/org/schools/{source_id}").status_code == 200
        counts[source_id] = len(statements)
    assert counts[smallest] == counts[largest]
    assert counts[largest] <= 20


def test_history_query_uses_the_date(demo_app) -> None:  # type: ignore[no-untyped-def]
    mine = _school_led_by(demo_app, "P00027")
    client = _login(demo_app, "P00027")
    before = client.get(f"/org/schools/{mine}?on=2020-01-01").get_data(as_text=True)
    assert dt.date(2020, 1, 1).isoformat() in before
    assert "当日无任职人员" in before  # nothing was held before the demo period began
