"""Errors of the org package (the organisation, its import and export).

Subclasses of the bases of :mod:`responsibility.errors` (the web and CLI map them as before); the
bases the package raises are re-exported.
"""

from __future__ import annotations

from responsibility.errors import BadInput, InvalidState

__all__ = ["BadInput", "ImportRejected", "InvalidState", "NoCountyImported"]


class ImportRejected(BadInput):
    """An import file is unreadable or invalid; nothing was written. ``str(err)`` names the file
    and the place (``$.grids[3].parent_id``, ``sheet 网格 row 57``); ``where`` is that place alone
    (empty when the whole file is at fault)."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where


class NoCountyImported(InvalidState):
    """There is no organisation to export yet: no county has been imported."""
