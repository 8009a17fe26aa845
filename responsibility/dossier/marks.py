"""How a link of the chain is marked in the dossier (the rules of ``docs/dossier_rules.md``).

A mark is a judgement the bureau reads, not a verdict: it says what the records show. It is kept
apart from the records themselves so that the rules are one short function, tested on its own.

- ``not_done`` (未履职) when any of: the link's post is vacant or held by someone who may not hold
  it (a chain gap), its agreement was not signed at that moment (missing, pending, void), or the
  holder's records hold a record of a duty *not* done (a hazard they answered for overdue and open;
  a kind in :data:`~responsibility.accountability.work_records.NEGATIVE_KINDS`), or — for a grid
  owner — a patrol period of that grid missed in the window (``patrols.patrol_gaps``);
- ``done`` (履职) when none of that holds and the holder has at least one record in the window;
- ``no_record`` (无记录) otherwise: nothing shows the part was done, nothing shows it was not.

Every reason that applies is listed (codes of :data:`REASONS`), so a reader sees all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..accountability.work_records import NEGATIVE_KINDS, WorkRecord
from ..chain.trace_links import SIGNED, TraceLink

__all__ = ["MARKS", "MARK_DONE", "MARK_NOT_DONE", "MARK_NO_RECORD", "REASONS", "Mark", "mark_link"]

MARK_DONE = "done"
MARK_NOT_DONE = "not_done"
MARK_NO_RECORD = "no_record"
MARKS = (MARK_DONE, MARK_NOT_DONE, MARK_NO_RECORD)

REASON_GAP = "chain_gap"
REASON_UNSIGNED = "agreement_not_signed"
REASON_NEGATIVE = "duty_not_done"
REASON_PATROLS = "patrols_missed"
REASON_RECORDS = "records_show_work"
REASON_NOTHING = "no_records"
REASONS = (REASON_GAP, REASON_UNSIGNED, REASON_NEGATIVE, REASON_PATROLS, REASON_RECORDS, REASON_NOTHING)


@dataclass(frozen=True)
class Mark:
    mark: str
    reasons: tuple[str, ...]


def mark_link(link: TraceLink, records: Sequence[WorkRecord], patrol_gaps: int = 0) -> Mark:
    """The mark of one link given its holder's records in the window and, for a grid owner, the
    patrol periods of that grid they missed in it (see the module doc)."""
    against: list[str] = []
    if link.link.gap is not None or link.link.person_id is None:
        against.append(REASON_GAP)
    if link.agreement_state != SIGNED:
        against.append(REASON_UNSIGNED)
    if any(r.kind in NEGATIVE_KINDS for r in records):
        against.append(REASON_NEGATIVE)
    if patrol_gaps:
        against.append(REASON_PATROLS)
    if against:
        return Mark(MARK_NOT_DONE, tuple(against))
    if records:
        return Mark(MARK_DONE, (REASON_RECORDS,))
    return Mark(MARK_NO_RECORD, (REASON_NOTHING,))
