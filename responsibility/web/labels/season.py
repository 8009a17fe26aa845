"""Labels of the season's vocabularies: education topics (``EDUCATION_TOPICS`` codes) and the
default key-student categories of home visits (stored as their Chinese names)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _

__all__ = ["EDUCATION_TOPIC_LABELS", "VISIT_CATEGORY_LABELS"]

EDUCATION_TOPIC_LABELS = {
    "anti_fraud": _("Anti-fraud"),
    "fire": _("Fire safety"),
    "holiday": _("Holiday safety"),
    "traffic": _("Traffic safety"),
    "drowning": _("Drowning prevention"),
    "bullying": _("Bullying prevention"),
    "mental_health": _("Mental health"),
    "drill": _("Evacuation drill"),
}

VISIT_CATEGORY_LABELS = {
    "留守儿童": _("Left-behind children"),
    "困境儿童": _("Children in hardship"),
    "心理关注学生": _("Students needing psychological care"),
    "学业困难学生": _("Students with learning difficulties"),
    "残疾学生": _("Students with disabilities"),
    "单亲家庭学生": _("Students of single-parent families"),
}
