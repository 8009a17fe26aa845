"""A chain link with the agreement binding it: the states, the notes and the one ladder.

Kept apart from :mod:`.trace` (which orchestrates) and :mod:`.bindings` (one binding function
per kind of link) so that both can build ``TraceLink`` values without importing each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..messages import N_
from ..models import Agreement
from ..models.agreements import (
    AGREEMENT_ARCHIVED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_ISSUED,
    AGREEMENT_SCHOOL_SIGNED,
    AGREEMENT_SUPERSEDED,
    AGREEMENT_VOID,
)
from .subjects import ChainLink, Role

__all__ = [
    "AGREEMENT_STATES",
    "INVALID",
    "MISSING",
    "PENDING",
    "SIGNED",
    "TraceLink",
    "best_of",
]

SIGNED, PENDING, MISSING, INVALID = "signed", "pending", "missing", "invalid"
AGREEMENT_STATES = (SIGNED, PENDING, MISSING, INVALID)

LIVE = {AGREEMENT_ISSUED, AGREEMENT_SCHOOL_SIGNED, AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED}
DEAD = {AGREEMENT_VOID, AGREEMENT_SUPERSEDED}
COMPLETE = {AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED}
SIGNED_KINDS = ("signed", "countersigned")

NOTE_CASCADE = N_("no post agreement names this grid or post for this person (issue the cascade)")
NOTE_SCHOOL_HEAD = N_("bound by the school agreement this school head signed")
NOTE_BUREAU_SIDE = N_("no bureau agreement names this link for this person (flask campaign issue-bureau)")
NOTE_CHIEF_OVERSEES = N_("the chief oversees this school himself: bound by the school agreement he countersigned")
NOTE_NO_CAMPAIGN = N_("no campaign covers the day")
NOTE_NO_AGREEMENT = N_("the school has no agreement in the campaign")
NOTE_DRAFT = N_("the agreement is still a draft (not issued)")
NOTE_VACANT = N_("nobody holds the post on the day")
NOTE_CONFIRMATION = N_("successor's supplementary confirmation of %(number)s (%(day)s)")
"""A :class:`~responsibility.messages.Message` with the bound document's ``number`` and the change ``day``."""
NOTE_INVALID = {
    ("post", AGREEMENT_VOID): N_("the post agreement is void"),
    ("post", AGREEMENT_SUPERSEDED): N_("the post agreement is superseded"),
    ("bureau", AGREEMENT_VOID): N_("the bureau agreement is void"),
    ("bureau", AGREEMENT_SUPERSEDED): N_("the bureau agreement is superseded"),
}
"""The note of an ``invalid`` link, by (kind of agreement, its state): ``the {kind} agreement is {state}``."""


@dataclass(frozen=True)
class TraceLink:
    """A chain link plus the agreement binding it (``agreement_id`` is its document number)."""

    link: ChainLink
    agreement_id: str | None
    agreement_db_id: int | None
    agreement_state: str
    note: str | None = None
    agreement_kind: str | None = None
    """``post`` or ``bureau`` when a two-party agreement binds the link (pages link it to its
    sign page); ``None`` for the school agreement."""

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one link of ``flask chain trace --json``."""
        link = self.link
        post = link.post_name or link.post_code
        if link.role == Role.GRID_OWNER.value and link.grid_source_id:
            post = f"{link.grid_name or ''} ({link.grid_source_id})".strip()
        return {
            "role": link.role,
            "person_id": link.person_id,
            "person_name": link.person_name,
            "post": post,
            "post_code": link.post_code,
            "org_id": link.org_source_id,
            "grid_id": link.grid_source_id,
            "agreement_id": self.agreement_id,
            "agreement_state": self.agreement_state,
            "agreement_kind": self.agreement_kind,
            "gap": link.gap,
            "note": self.note,
        }


def best_of(link: ChainLink, found: Sequence[Agreement], kind: str, missing_note: str) -> TraceLink:
    """The best of the agreements that may bind ``link`` (oldest first): a complete one (both
    parties signed) → ``signed``, else a live one → ``pending``, else a void or superseded one →
    ``invalid``; none → ``missing`` with ``missing_note``."""
    for states, state in ((COMPLETE, SIGNED), (LIVE, PENDING), (DEAD, INVALID)):
        match = [a for a in found if a.state in states]
        if match:
            best = match[-1]
            note = (
                NOTE_INVALID.get((kind, best.state), f"the {kind} agreement is {best.state}")
                if state == INVALID
                else None
            )
            return TraceLink(link, best.document_number, best.id, state, note, kind)
    return TraceLink(link, None, None, MISSING, missing_note)
