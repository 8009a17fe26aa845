"""Labels of an incident's status (``models.INCIDENT_STATUSES``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _

__all__ = ["INCIDENT_STATUS_LABELS"]

INCIDENT_STATUS_LABELS = {
    "reported": _("Reported in time"),
    "late": _("Reported late"),
    "unreported": _("Not reported"),
    "concealed": _("Concealed"),
}
