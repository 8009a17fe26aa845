"""Labels of a hazard's states (``hazards.states``: ``reported``, ``filed``…), as pages show them.

The hazards package stores the Chinese label in ``Hazard.status``; a page that lists the state
names themselves (the ledger's state filter) shows these English msgids in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _

__all__ = ["HAZARD_STATE_LABELS"]

HAZARD_STATE_LABELS = {
    "reported": _("Reported"),
    "filed": _("Filed"),
    "planned": _("Rectification planned"),
    "rectifying": _("Being rectified"),
    "awaiting_acceptance": _("Awaiting acceptance"),
    "closed": _("Closed"),
    "void": _("Void"),
}
