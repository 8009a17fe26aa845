"""Errors of the background jobs (batch drivers).

A batch refuses to start on a frozen campaign (the agreements' own :class:`CampaignFrozen`, re-
exported) or while another runs. :class:`~responsibility.errors.DomainError`, which a driver
records per item instead of stopping, and :class:`~responsibility.errors.InvalidState` are
re-exported too.
"""

from __future__ import annotations

from responsibility.agreements.errors import CampaignFrozen
from responsibility.errors import DomainError, InvalidState

__all__ = ["BatchAlreadyRunning", "CampaignFrozen", "DomainError", "InvalidState", "QueueUnavailable"]


class BatchAlreadyRunning(InvalidState):
    """The campaign already has a batch queued or running; one at a time."""


class QueueUnavailable(DomainError):
    """Redis (the RQ queue) cannot be reached; nothing was queued."""

    http_status = 503
