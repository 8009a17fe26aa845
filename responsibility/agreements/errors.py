"""Errors of the agreements package (campaigns, generation, signing flow, the PDF store).

Subclasses of the bases of :mod:`responsibility.errors` (the web and CLI map them as before); the
bases the package raises are re-exported, so callers need only ``responsibility.agreements.errors``.
"""

from __future__ import annotations

from responsibility.errors import BadInput, DomainError, Forbidden, InvalidState, NotFound

__all__ = [
    "AgreementNotFound",
    "BadInput",
    "CampaignFrozen",
    "CampaignNotFound",
    "DomainError",
    "Forbidden",
    "InvalidState",
    "NotFound",
    "PreparedOutdated",
    "RevisionConflict",
    "StoredPdfUnavailable",
]


class CampaignNotFound(NotFound):
    """No campaign with the id or name asked for."""


class AgreementNotFound(NotFound):
    """No agreement with the id or document number asked for."""


class CampaignFrozen(InvalidState):
    """The campaign's state no longer lets its agreements change (closed, archived, …)."""


class RevisionConflict(InvalidState):
    """Another signature was stored on the agreement while this one was being made; the unit of
    work is run again on top of it (``jobs.transactions.commit_with_retry``)."""


class PreparedOutdated(InvalidState):
    """A signature prepared ahead no longer fits the agreement: another revision was stored, or the
    person's turn changed, since it was prepared; nothing was stored (prepare it again)."""


class StoredPdfUnavailable(NotFound):
    """A PDF the database refers to is missing from the agreement store, or its bytes no longer
    match the recorded hash."""
