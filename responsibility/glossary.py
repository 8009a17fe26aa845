"""The glossary's code names that several layers speak (``domain/glossary.md``).

A leaf module with no imports of the project, so that ``org`` (import/export), ``pdf`` (clause
applicability) and ``agreements`` share one list instead of keeping copies in step.
"""

from __future__ import annotations

SCHOOL_TYPE_LABELS: dict[str, str] = {
    "town_central_primary": "镇中心小学",
    "education_group": "教育集团",
    "junior_middle": "单设初中",
    "nine_year": "九年制学校",
    "bureau_direct": "局直学校",
    "kindergarten": "幼儿园",
    "private": "民办学校",
}
"""School type code name → the Chinese label the bureau uses."""

SCHOOL_TYPES: frozenset[str] = frozenset(SCHOOL_TYPE_LABELS)

FEATURES: frozenset[str] = frozenset(
    {
        "boarding",
        "canteen",
        "central_school",
        "construction",
        "gas_or_heating",
        "group",
        "k12",
        "kindergarten",
        "lab",
        "school_bus",
        "special_equipment",
        "vocational",
    }
)
"""School features (``school.features``) that choose extra clauses and required posts."""

LEFT_REASON_LABELS: dict[str, str] = {
    "transferred": "调离",
    "retired": "退休",
    "rotation": "交流轮岗",
    "resigned": "辞职",
    "sick_leave": "病休",
    "dismissed": "解聘",
    "deceased": "病故",
    "other": "其他",
}
"""Why a person left service (``Person.left_reason``) → the Chinese label the bureau uses."""
