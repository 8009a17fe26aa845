"""The home page per role and the organisation browser (county → towns → schools → school).

Views are thin: they work out who is asking (roles and visible schools for today), call the
read-only queries in ``org.queries`` and render. A school the user may not see answers exactly
like a school that does not exist: ``abort(404)`` with no description.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, g, render_template, request
from flask_babel import gettext
from flask_login import current_user, login_required

from ...accounts.access import liaison_section_ids, sees_whole_county, visible_school_ids
from ...accounts.roles import (
    ADMIN,
    BUREAU_LEADER,
    GRID_OWNER,
    SCHOOL_LEADER,
    SCHOOL_LEADER_POSTS,
    SECTION_STAFF,
    roles_of,
)
from ...extensions import db_session
from ...models import User
from ...org import queries
from ..clock import local_today
from .blueprint import bp


def _shown_day() -> dt.date:
    """The day whose holders are shown: ``?on=YYYY-MM-DD`` (history), else today. Access is
    always decided for today, never for the requested day."""
    raw = request.args.get("on")
    if not raw:
        return local_today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        abort(400, description=gettext("The date must look like 2025-01-31."))


def account() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def viewer_roles() -> frozenset[str]:
    """Roles of the logged-in user today, computed once per request."""
    if "viewer_roles" not in g:
        g.viewer_roles = roles_of(db_session(), account(), local_today())
    return g.viewer_roles  # type: ignore[no-any-return]


def viewer_visible() -> frozenset[int] | None:
    """Schools the logged-in user may see today (None = all), computed once per request."""
    if "viewer_visible" not in g:
        g.viewer_visible = visible_school_ids(db_session(), account(), local_today())
    return g.viewer_visible  # type: ignore[no-any-return]


@bp.route("/")
@login_required
def home() -> str:
    user, day = account(), local_today()
    roles = viewer_roles()
    visible = viewer_visible()
    context: dict[str, object] = {"roles": roles, "day": day}
    if sees_whole_county(roles):
        context["summary"] = queries.county_summary(db_session(), day)
        context["towns"] = queries.town_summaries(db_session(), None)
    if BUREAU_LEADER in roles or SECTION_STAFF in roles:
        context["sections"] = queries.sections_with_staff(db_session())
    if SECTION_STAFF in roles and user.person_id is not None:
        section_ids = liaison_section_ids(db_session(), user.person_id, day)
        context["liaised"] = queries.liaisons_of_sections(db_session(), section_ids, day)
    if user.person_id is not None:
        posts = queries.posts_held_by(db_session(), user.person_id, day)
        context["my_posts"] = posts
        context["led_schools"] = [pa for pa in posts if pa.post_code in SCHOOL_LEADER_POSTS and pa.org.kind == "school"]
        if GRID_OWNER in roles:
            context["my_grids"] = queries.grids_owned_by(db_session(), user.person_id, day)
    if not sees_whole_county(roles) and visible:
        context["my_schools"] = queries.visible_schools(db_session(), visible)
    context["is_admin"] = ADMIN in roles
    context["is_school_leader"] = SCHOOL_LEADER in roles
    return render_template("home.html", **context)


@bp.route("/org/towns")
@login_required
def towns() -> str:
    visible = viewer_visible()
    summary = queries.county_summary(db_session(), local_today()) if visible is None else None
    return render_template("org/towns.html", towns=queries.town_summaries(db_session(), visible), summary=summary)


@bp.route("/org/towns/<source_id>")
@login_required
def town(source_id: str) -> str:
    visible = viewer_visible()
    found = queries.find_town(db_session(), source_id)
    if found is None:
        abort(404)
    schools = queries.schools_of_town(db_session(), found, visible)
    if visible is not None and not schools:
        abort(404)
    liaisons = queries.liaisons_for(db_session(), [s.id for s in schools], local_today())
    return render_template("org/town.html", town=found, schools=schools, liaisons=liaisons)


@bp.route("/org/schools")
@login_required
def schools() -> str:
    found = queries.visible_schools(db_session(), viewer_visible())
    liaisons = queries.liaisons_for(db_session(), [s.id for s in found], local_today())
    return render_template("org/schools.html", schools=found, liaisons=liaisons)


@bp.route("/org/schools/<source_id>")
@login_required
def school(source_id: str) -> str:
    day = _shown_day()
    found = queries.find_school(db_session(), source_id, viewer_visible())
    if found is None:
        abort(404)
    page = queries.load_school_page(db_session(), found, day)
    return render_template("org/school.html", page=page, school=found, is_today=(day == local_today()))


__all__ = ["account", "home", "school", "schools", "town", "towns", "viewer_roles", "viewer_visible"]
