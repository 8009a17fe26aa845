"""The import format's Chinese vocabulary and the code names we store (glossary.md).

Imports accept the Chinese label or the code name; the database stores the code name; exports
write the Chinese label, so a file a clerk edits in Excel reads the way the bureau speaks.
"""

from __future__ import annotations

from ..glossary import FEATURES, LEFT_REASON_LABELS, SCHOOL_TYPE_LABELS

__all__ = [
    "ACCOUNTABILITY_ROLES",
    "ACCOUNTABILITY_ROLE_LABELS",
    "FEATURES",
    "LEFT_REASONS",
    "LEFT_REASON_LABELS",
    "SCHOOL_TYPES",
    "SCHOOL_TYPE_LABELS",
    "accountability_role_code",
    "left_reason_code",
    "school_type_code",
]

SCHOOL_TYPES: dict[str, str] = {
    "镇中心小学": "town_central_primary",
    "教育集团": "education_group",
    "单设初中": "junior_middle",
    "九年制学校": "nine_year",
    "局直学校": "bureau_direct",
    "幼儿园": "kindergarten",
    "民办学校": "private",
    "民办": "private",
}

ACCOUNTABILITY_ROLES: dict[str, str] = {
    "主要领导负总责": "overall_responsibility",
    "分管领导具体抓": "deputy_in_charge",
    "班子成员一岗双责": "leader_area",
    "班子成员包片": "leader_area",
    "督导考核": "supervision",
}
ACCOUNTABILITY_ROLE_LABELS: dict[str, str] = {
    "overall_responsibility": "主要领导负总责",
    "deputy_in_charge": "分管领导具体抓",
    "leader_area": "班子成员一岗双责",
    "supervision": "督导考核",
}


LEFT_REASONS: dict[str, str] = {
    **{label: code for code, label in LEFT_REASON_LABELS.items()},
    "调出": "transferred",
    "调往他校": "transferred",
    "离职": "resigned",
    "病假": "sick_leave",
}
"""Chinese labels (with the usual synonyms of a bureau's roster) → ``Person.left_reason`` codes."""


def left_reason_code(value: str) -> str | None:
    """The code name of a reason for leaving (label, synonym or code); None when unknown."""
    if value in LEFT_REASON_LABELS:
        return value
    return LEFT_REASONS.get(value)


def school_type_code(value: str) -> str | None:
    """The code name for a Chinese label or a code name; None when unknown."""
    if value in SCHOOL_TYPE_LABELS:
        return value
    return SCHOOL_TYPES.get(value)


def accountability_role_code(value: str) -> str | None:
    if value in ACCOUNTABILITY_ROLE_LABELS:
        return value
    return ACCOUNTABILITY_ROLES.get(value)
