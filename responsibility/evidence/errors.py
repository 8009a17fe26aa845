"""Errors of the evidence package (exporting an evidence package and its report).

Subclasses of the bases of :mod:`responsibility.errors` (the web and CLI map them as before); the
bases the package raises are re-exported.
"""

from __future__ import annotations

from responsibility.errors import BadInput, NotFound

__all__ = ["BadInput", "NoTrustRoot", "NotFound", "NothingToExport"]


class NothingToExport(BadInput):
    """The selection holds no agreement, so there is no package to build."""


class NoTrustRoot(BadInput):
    """The instance has no trust root to verify the package's signatures against."""
