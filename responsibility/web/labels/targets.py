"""Labels of a target's status on a scorecard (``targets.STATUSES``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _

__all__ = ["TARGET_STATUS_LABELS"]

TARGET_STATUS_LABELS = {
    "met": _("Met"),
    "behind": _("Behind"),
    "no_data": _("Nothing to measure"),
    "unrecorded": _("Not recorded"),
    "no_goal": _("No goal declared"),
}
