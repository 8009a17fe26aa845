"""Errors of the chain package (tracing, chain queries, gap checks).

Each is a subclass of a base of :mod:`responsibility.errors`, so the web and CLI map it as before
(400 or 404) while a caller may catch the precise case. The bases the package raises are
re-exported: ``from responsibility.chain.errors import NotFound`` is enough for a caller.
"""

from __future__ import annotations

from responsibility.errors import BadInput, DomainError, NotFound

__all__ = [
    "BadInput",
    "CampaignNotFound",
    "DomainError",
    "NotFound",
    "SubjectNotFound",
    "UnknownGapCheck",
    "UnknownSubjectKind",
]


class UnknownGapCheck(BadInput):
    """A gap-check code the report does not know; the message lists the known ones."""


class UnknownSubjectKind(BadInput):
    """A chain query for a kind of subject that has no chain (not a school, grid, post, …)."""


class SubjectNotFound(NotFound):
    """No school, grid, post or person with the source id the chain query asked for."""


class CampaignNotFound(NotFound):
    """The campaign a trace or a gap report was asked for does not exist."""
