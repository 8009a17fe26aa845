"""The agreement life cycle: ``draft → issued → school_signed → countersigned → archived``,
plus ``void`` and ``superseded``.

Only :func:`transition` changes ``Agreement.state``; it refuses anything not listed in
:data:`TRANSITIONS` with ``InvalidState``. The signing workflow (issue 4) moves agreements along
the same table.
"""

from __future__ import annotations

from ..errors import InvalidState
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

__all__ = ["STATES", "TRANSITIONS", "can_transition", "transition"]

STATES: tuple[str, ...] = (
    AGREEMENT_DRAFT,
    AGREEMENT_ISSUED,
    AGREEMENT_SCHOOL_SIGNED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_ARCHIVED,
    AGREEMENT_VOID,
    AGREEMENT_SUPERSEDED,
)

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
