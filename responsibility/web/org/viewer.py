"""What every page's frame (``base.html``) needs: who is logged in with which roles, the
navigation for those roles, a link to this page in the other language, and display labels.

Registered app-wide because the frame is shared by every blueprint (login and error pages too).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ...accounts.access import sees_whole_county
from ...accounts.roles import ALL_ROLES, GRID_OWNER, SCHOOL_LEADER, SECTION_STAFF
from ...extensions import db
from ...models import Bureau
from .blueprint import bp
from .labels import (
    ACCOUNTABILITY_LABELS,
    FEATURE_LABELS,
    LEADER_LABELS,
    LEFT_REASON_LABELS,
    PARTY_ORG_LABELS,
    ROLE_LABELS,
    SCHOOL_TYPE_LABELS,
    label,
    service_note,
)

LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def lang_url(code: str) -> str:
    """This page in language ``code`` (other query arguments kept)."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "lang"}
    args["lang"] = code
    if request.endpoint and request.url_rule is not None and request.endpoint != "static":
        try:
            return url_for(request.endpoint, **(request.view_args or {}), **args)
        except Exception:  # noqa: S110 - any build error falls back to the plain path
            pass
    from urllib.parse import urlencode

    return f"{request.path}?{urlencode(args)}"


def nav_items(roles: frozenset[str]) -> list[tuple[str, str]]:
    """The header menu's ``(text, href)`` for these roles (within a request)."""
    from flask_babel import gettext as _

    items = [(_("Home"), url_for("org.home"))]
    if sees_whole_county(roles):
        items.append((_("Towns"), url_for("org.towns")))
        items.append((_("All schools"), url_for("org.schools")))
    elif roles & {SECTION_STAFF, SCHOOL_LEADER, GRID_OWNER} or roles == frozenset():
        items.append((_("My schools"), url_for("org.schools")))
    if has_endpoint("campaigns.index") and (sees_whole_county(roles) or SCHOOL_LEADER in roles):
        items.append((_("Campaigns") if sees_whole_county(roles) else _("Our agreements"), url_for("campaigns.index")))
    if has_endpoint("sign.inbox") and (SCHOOL_LEADER in roles or "bureau_leader" in roles):
        items.append((_("To sign"), url_for("sign.inbox")))
    if sees_whole_county(roles) or roles & {SECTION_STAFF, SCHOOL_LEADER, GRID_OWNER}:
        for endpoint, text in (
            ("hazards.ledger", _("Hazard ledger")),
            ("hazards.board_page", _("Hazard board")),
            ("incidents.index", _("Incidents")),
        ):
            if has_endpoint(endpoint):
                items.append((text, url_for(endpoint)))
    if sees_whole_county(roles):
        for endpoint, text in (("audit.gaps", _("Gap report")), ("audit.log", _("Audit log"))):
            if has_endpoint(endpoint):
                items.append((text, url_for(endpoint)))
    if "admin" in roles:
        for endpoint, text in (
            ("auth.admin_users", _("Accounts")),
            ("pki.admin_certificates", _("Signing certificates")),
        ):
            if has_endpoint(endpoint):
                items.append((text, url_for(endpoint)))
    if getattr(current_user, "person_id", None) is not None and has_endpoint("pki.enrol_page"):
        items.append((_("Signing PIN"), url_for("pki.enrol_page")))
    if has_endpoint("auth.change_password"):
        items.append((_("Change password"), url_for("auth.change_password")))
    return items


def bureau_name() -> str | None:
    """The bureau's name from the data (the header band shows it), once per request."""
    if "bureau_name" not in g:
        try:
            g.bureau_name = db.session.scalar(select(Bureau.name).order_by(Bureau.id).limit(1))
        except SQLAlchemyError:
            db.session.rollback()
            g.bureau_name = None
    return g.bureau_name  # type: ignore[no-any-return]


@bp.app_context_processor
def _frame() -> dict[str, Any]:
    viewer = None
    if current_user and current_user.is_authenticated:
        from .routes import viewer_roles

        try:
            roles = viewer_roles()
        except Exception:
            current_app.logger.exception("could not derive roles for the page frame")
            roles = frozenset()
        viewer = {
            "display_name": current_user.display_name,
            "username": current_user.username,
            "roles": [r for r in ALL_ROLES if r in roles],
            "nav": nav_items(roles),
        }
    return {
        "viewer": viewer,
        "bureau_name": bureau_name(),
        "current_locale": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
        "lang_url": lang_url,
        "language_names": LANGUAGE_NAMES,
        "has_endpoint": has_endpoint,
        "role_label": lambda value: label(ROLE_LABELS, value),
        "feature_label": lambda value: label(FEATURE_LABELS, value),
        "school_type_label": lambda value: label(SCHOOL_TYPE_LABELS, value),
        "party_org_label": lambda value: label(PARTY_ORG_LABELS, value),
        "leader_label": lambda value: label(LEADER_LABELS, value),
        "accountability_label": lambda value: label(ACCOUNTABILITY_LABELS, value),
        "left_reason_label": lambda value: label(LEFT_REASON_LABELS, value),
        "service_note": service_note,
    }
