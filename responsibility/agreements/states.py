"""The agreement life cycle: ``draft → issued → school_signed → countersigned → archived``,
plus ``void`` and ``superseded``.

Only :func:`transition` changes ``Agreement.state``; it refuses anything not listed in
:data:`TRANSITIONS` with ``InvalidState``. The signing workflow (issue 4) moves agreements along
the same table.
"""

from __future__ import annotations

from ..errors import InvalidState
from ..messages import N_
from ..models import Agreement
from ..models.agreements import (
    AGREEMENT_ARCHIVED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_DRAFT,
    AGREEMENT_ISSUED,
    AGREEMENT_SCHOOL_SIGNED,
    AGREEMENT_SUPERSEDED,
    AGREEMENT_VOID,
)

__all__ = ["STATES", "STATE_NAMES", "TRANSITIONS", "can_transition", "transition"]

STATES: tuple[str, ...] = (
    AGREEMENT_DRAFT,
    AGREEMENT_ISSUED,
    AGREEMENT_SCHOOL_SIGNED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_ARCHIVED,
    AGREEMENT_VOID,
    AGREEMENT_SUPERSEDED,
)

#: state → its name (a catalogue msgid, the same labels the campaign pages show).
STATE_NAMES: dict[str, str] = {
    AGREEMENT_DRAFT: N_("Draft"),
    AGREEMENT_ISSUED: N_("Issued"),
    AGREEMENT_SCHOOL_SIGNED: N_("Signed by the school"),
    AGREEMENT_COUNTERSIGNED: N_("Countersigned"),
    AGREEMENT_ARCHIVED: N_("Archived"),
    AGREEMENT_VOID: N_("Void"),
    AGREEMENT_SUPERSEDED: N_("Superseded"),
}

TRANSITIONS: dict[str, frozenset[str]] = {
    AGREEMENT_DRAFT: frozenset({AGREEMENT_ISSUED, AGREEMENT_VOID}),
    AGREEMENT_ISSUED: frozenset({AGREEMENT_SCHOOL_SIGNED, AGREEMENT_VOID, AGREEMENT_SUPERSEDED}),
    AGREEMENT_SCHOOL_SIGNED: frozenset({AGREEMENT_COUNTERSIGNED, AGREEMENT_VOID, AGREEMENT_SUPERSEDED}),
    AGREEMENT_COUNTERSIGNED: frozenset({AGREEMENT_ARCHIVED, AGREEMENT_SUPERSEDED}),
    AGREEMENT_ARCHIVED: frozenset({AGREEMENT_SUPERSEDED}),
    AGREEMENT_VOID: frozenset(),
    AGREEMENT_SUPERSEDED: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def transition(agreement: Agreement, target: str) -> None:
    """Move ``agreement`` to ``target`` or raise ``InvalidState`` naming both states."""
    if not can_transition(agreement.state, target):
        raise InvalidState(f"agreement {agreement.document_number} is {agreement.state}; it cannot become {target}")
    agreement.state = target
