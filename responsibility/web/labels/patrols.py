"""Labels of patrol codes: a patrol's result and a patroller's role on the grid."""

from __future__ import annotations

from flask_babel import lazy_gettext as _

__all__ = ["PATROL_RESULT_LABELS", "PATROL_ROLE_LABELS"]

PATROL_RESULT_LABELS = {
    "normal": _("Patrol normal"),
    "hazard": _("Hazard reported"),
}

PATROL_ROLE_LABELS = {
    "owner": _("Grid owner"),
    "member": _("Grid member"),
}
