"""Display labels for codes stored in the organisation data (feature flags, roles, party
organisation types). Marked with ``_`` (= ``lazy_gettext``) so the default ``pybabel extract``
keywords find them. English msgids; the zh_CN catalogue gives the Chinese shown by default.
Values that are already Chinese in the data (school type, scope type) are shown as they are."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from flask_babel import lazy_gettext as _

from ...models import LEFT_UNDATED, Person

ROLE_LABELS = {
    "admin": _("Administrator"),
    "auditor": _("Auditor"),
    "bureau_leader": _("Bureau leader"),
    "section_staff": _("Section staff"),
    "school_leader": _("School leader"),
    "grid_owner": _("Grid owner"),
}

FEATURE_LABELS = {
    "boarding": _("Boarding"),
    "canteen": _("Canteen"),
    "gas_or_heating": _("Gas or heating equipment"),
    "k12": _("Primary or secondary school"),
    "kindergarten": _("Kindergarten"),
    "lab": _("Laboratory and hazardous chemicals"),
    "school_bus": _("School buses"),
    "central_school": _("Town central school"),
    "special_equipment": _("Special equipment"),
    "group": _("Education group"),
    "construction": _("Construction works on campus"),
    "vocational": _("Vocational training"),
}

SCHOOL_TYPE_LABELS = {
    "town_central_primary": _("Town central primary school"),
    "education_group": _("Education group"),
    "junior_middle": _("Junior middle school"),
    "nine_year": _("Nine-year school"),
    "bureau_direct": _("School directly under the bureau"),
    "kindergarten": _("Kindergarten"),
    "private": _("Private school"),
}

PARTY_ORG_LABELS = {
    "independent": _("Own party organisation"),
    "combined": _("Joint party organisation"),
    "instructor": _("Party instructor (no own branch)"),
}

ACCOUNTABILITY_LABELS = {
    "overall_responsibility": _("Overall responsibility (chief)"),
    "deputy_in_charge": _("Deputy in charge of safety"),
    "leader_area": _("Leadership member with an area (one post, two responsibilities)"),
    "supervision": _("Supervision and assessment"),
}

LEFT_REASON_LABELS = {
    "transferred": _("Transferred"),
    "retired": _("Retired"),
    "rotation": _("Exchange rotation"),
    "resigned": _("Resigned"),
    "sick_leave": _("Sick leave"),
    "dismissed": _("Dismissed"),
    "deceased": _("Deceased"),
    "other": _("Other reason"),
}
"""``Person.left_reason`` codes (the codes of ``glossary.LEFT_REASON_LABELS``)."""

LEADER_LABELS = {
    "principal": _("Principal"),
    "party_secretary": _("Party secretary"),
    "party_instructor": _("Party instructor"),
    "safety_deputy": _("Deputy principal for safety"),
}


def label(mapping: dict, value: object) -> str:  # type: ignore[type-arg]
    """The translated label of ``value``, or the value itself when it has none."""
    if value is None:
        return ""
    found = mapping.get(value)
    return str(found) if found is not None else str(value)


def service_note(person: Person, day: dt.date) -> str | None:
    """What a page shows next to a holder who is not in service on ``day``: when and why they
    left, or that they have not joined yet; None for someone in service."""
    if person.in_service_on(day):
        return None
    if person.left_on is None:
        return gettext(
            "not in service yet (joins on %(day)s)", day=person.joined_on.isoformat() if person.joined_on else ""
        )
    reason = label(LEFT_REASON_LABELS, person.left_reason) if person.left_reason else gettext("reason not recorded")
    if person.left_on == LEFT_UNDATED:
        return gettext("left service (%(reason)s)", reason=reason)
    return gettext("left service on %(day)s (%(reason)s)", day=person.left_on.isoformat(), reason=reason)
