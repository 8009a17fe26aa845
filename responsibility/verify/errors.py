"""Errors of the verify package.

Verification reports its findings as results (a verdict with reasons), not exceptions; the one
exception is a signed revision refused by the acceptance rules. The base is re-exported so that
``from responsibility.verify.errors import SignatureRejected`` catches it too.
"""

from __future__ import annotations

from responsibility.errors import SignatureRejected

__all__ = ["RevisionRejected", "SignatureRejected"]


class RevisionRejected(SignatureRejected):
    """A candidate revision breaks acceptance rules (ARCHITECTURE §4); ``reasons`` lists every one
    and ``str(err)`` joins them on one line."""

    def __init__(self, reasons: tuple[str, ...]) -> None:
        self.reasons = tuple(reasons)
        super().__init__("; ".join(self.reasons))
