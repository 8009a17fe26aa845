"""Errors of the audit package (the hash-chained log and its checkpoints).

Whoever signs a checkpoint raises :class:`AuditLogBroken` when the chain does not verify: the
error belongs to the log, wherever the sealing lives. The base is re-exported.
"""

from __future__ import annotations

from responsibility.errors import InvalidState

__all__ = ["AuditLogBroken", "InvalidState"]


class AuditLogBroken(InvalidState):
    """The audit log's hash chain is broken at ``first_broken_seq``; nothing may be sealed over it."""

    def __init__(self, message: str, first_broken_seq: int | None = None) -> None:
        super().__init__(message)
        self.first_broken_seq = first_broken_seq
