"""Labels of a building's fire-file status (``season.firefile_queries.status_of``) and of the
fire-file fields a version's changes name (``season.firefiles.FIELDS``, ``plan_sha256``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _

__all__ = ["FIRE_FIELD_LABELS", "FIRE_STATUS_LABELS"]

FIRE_STATUS_LABELS = {
    "missing": _("No fire file"),
    "overdue": _("Monthly check overdue"),
    "due": _("Not checked this month"),
    "ok": _("Checked this month"),
}

FIRE_FIELD_LABELS = {
    "floors": _("Floors"),
    "stairs": _("Evacuation stairs"),
    "dense_occupancy": _("Crowded place"),
    "child_rooms_top_floor": _("Highest floor used by young children"),
    "extinguishers": _("Extinguishers"),
    "hydrants": _("Hydrants"),
    "emergency_lighting_ok": _("Emergency lighting"),
    "evac_signs_ok": _("Evacuation signs"),
    "plan_sha256": _("Evacuation plan (PDF)"),
}
