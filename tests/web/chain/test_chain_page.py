"""The chain page: two clicks from a school page, top-to-bottom order, visibility as the school page."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from responsibility.models import Building, Organization, Person, PostAssignment


def _own_school_and_building(app, username: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    with app.app_context():
        school = db.session.scalars(
            select(Organization)
            .join(PostAssignment, PostAssignment.org_id == Organization.id)
            .join(Person, Person.id == PostAssignment.person_id)
            .where(Person.source_id == username, PostAssignment.post_code == "S01")
        ).first()
        building = db.session.scalars(
            select(Building.source_id).where(Building.school_id == school.id, Building.grid_id.is_not(None))
        ).first()
        return school.source_id, building


def _other_building(app, school_sid: str) -> str:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    with app.app_context():
        return db.session.scalars(
            select(Building.source_id)
            .join(Organization, Organization.id == Building.school_id)
            .where(Organization.source_id != school_sid)
        ).first()


def test_two_clicks_from_school_page(demo_app, login):
    client = login("P00027")
    school, building = _own_school_and_building(demo_app, "P00027")
    page = client.get(f"/org/schools/{school}").get_data(as_text=True)
    # click 1: the building row's form (date prefilled to the shown day) points at the chain page
    form = re.search(
        r'<form[^>]*action="/chain"[^>]*>.*?name="building" value="' + building + r'".*?</form>', page, re.S
    )
    assert form, "building row has no chain form"
    assert 'name="at" value="' in form.group(0)
    # click 2: submit it for 2026-01-15
    response = client.get(f"/chain?building={building}&at=2026-01-15")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    roles = re.findall(r'data-role="([a-z_]+)"', html)
    assert roles[0] == "bureau_chief" and roles[-1] == "grid_owner"  # drawn top to bottom
    assert "2026-01-15" in html


def test_grid_link_on_school_page(demo_app, login):
    client = login("P00027")
    school, _ = _own_school_and_building(demo_app, "P00027")
    page = client.get(f"/org/schools/{school}").get_data(as_text=True)
    grid = re.search(r'href="/chain\?grid=([^"&]+)"', page)
    assert grid
    response = client.get(f"/chain?grid={grid.group(1)}")
    assert response.status_code == 200
    from responsibility.extensions import db
    from responsibility.models import Grid

    with demo_app.app_context():
        name = db.session.scalar(select(Grid.name).where(Grid.source_id == grid.group(1)))
    html = response.get_data(as_text=True)
    title = re.search(r'<h1 class="page-title">(.*?)</h1>', html, re.S).group(1)
    assert name in title and grid.group(1) in title  # the grid titled by its name, its id beside it
    assert f"<title>{name} · " in html


def test_visibility_and_bad_input(demo_app, login):
    principal = login("P00027")
    school, building = _own_school_and_building(demo_app, "P00027")
    other = _other_building(demo_app, school)
    assert principal.get(f"/chain?building={other}").status_code == 404
    assert principal.get("/chain?building=NO-SUCH").status_code == 404
    assert principal.get("/chain").status_code == 404
    assert principal.get(f"/chain?building={building}&at=2026-02-31").status_code == 400
    auditor = login("auditor")
    assert auditor.get(f"/chain?building={other}").status_code == 200
    assert auditor.get("/chain?person=P00047").status_code == 200
    assert demo_app.test_client().get(f"/chain?building={building}").status_code in (302, 401)


def test_signed_agreement_is_linked(demo_app, login, demo_session):
    from trace_data import make_agreement, make_campaign

    school_sid, building = _own_school_and_building(demo_app, "P00027")
    s = demo_session
    school = s.scalars(select(Organization).where(Organization.source_id == school_sid)).one()
    principal = s.scalars(select(Person).where(Person.source_id == "P00027")).one()
    campaign = make_campaign(s)
    agreement = make_agreement(s, campaign, school, "issued", {"sig_school_principal": principal.id})
    s.commit()
    day = dt.date(2025, 1, 15)
    html = login("P00027").get(f"/chain?building={building}&at={day.isoformat()}").get_data(as_text=True)
    assert f'href="/campaigns/agreements/{agreement.id}"' in html
    assert 'data-state="signed"' in html and 'data-state="pending"' in html
