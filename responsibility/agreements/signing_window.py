"""The days on which an agreement may be signed (issue 15, item 6).

An agreement binds its signers for the campaign's term (``term_start`` … ``term_end``). A
signature made after the term has ended would accept responsibility for a period that is over,
so signing (school heads, countersignatures, cascade post agreements, uploads signed elsewhere)
is allowed only from the day the agreement was issued to the campaign's ``term_end`` plus a
configurable grace (setting ``SIGNING_GRACE_DAYS``, default 0), days in the county's zone.

The end is the *term*, not the campaign's ``due_date``: the due date is when signatures are
expected, and late ones after it are what escalation chases (``chain.escalation``), so they must
stay possible until the term is over.
"""

from __future__ import annotations

import datetime as dt

from ..clock import to_local, zone
from ..errors import InvalidState
from ..models import Agreement
from ..models.agreements import AGREEMENT_KIND_WORK

__all__ = ["OutsideSigningWindow", "check_signing_window", "signing_window"]


class OutsideSigningWindow(InvalidState):
    """The day is outside the agreement's signing window (409); ``first``/``last`` name it and
    ``early`` says the day was before the issue (else after the end)."""

    def __init__(self, message: str, first: dt.date | None, last: dt.date, *, early: bool = False) -> None:
        super().__init__(message)
        self.first = first
        self.last = last
        self.early = early


def signing_window(
    agreement: Agreement, *, grace_days: int = 0, zone_name: str | None = None
) -> tuple[dt.date | None, dt.date]:
    """``(first, last)`` day on which ``agreement`` may be signed; ``first`` None when it has
    no issue time recorded (then only the end applies)."""
    issued = agreement.issued_at or agreement.campaign.issued_at
    first = to_local(issued, zone(zone_name)).date() if issued is not None else None
    return first, agreement.campaign.term_end + dt.timedelta(days=max(0, grace_days))


def check_signing_window(
    agreement: Agreement, day: dt.date, *, grace_days: int = 0, zone_name: str | None = None
) -> None:
    """Raise :class:`OutsideSigningWindow` unless ``day`` is in the agreement's signing window.
    A work document (考核结果、问责决定、排查结果) has none: it is acknowledged after the season too."""
    if agreement.kind == AGREEMENT_KIND_WORK:
        return
    first, last = signing_window(agreement, grace_days=grace_days, zone_name=zone_name)
    if day > last:
        raise OutsideSigningWindow(
            f"{agreement.document_number}：本期责任书的签署期限已于 {last.isoformat()} 结束，不能再签署 "
            f"(the signing window ended on {last.isoformat()}; the term is over)",
            first,
            last,
        )
    if first is not None and day < first:
        raise OutsideSigningWindow(
            f"{agreement.document_number}：责任书于 {first.isoformat()} 签发，不能在此之前签署 "
            f"(the agreement was issued on {first.isoformat()}; no signature before that day)",
            first,
            last,
            early=True,
        )
