"""The dossier's marking rules (docs/dossier_rules.md), one case per rule."""

from __future__ import annotations

import datetime as dt

from responsibility.accountability.work_records import WorkRecord
from responsibility.chain.subjects import ChainLink
from responsibility.chain.trace_links import MISSING, PENDING, SIGNED, TraceLink
from responsibility.dossier import MARK_DONE, MARK_NO_RECORD, MARK_NOT_DONE, mark_link

DAY = dt.date(2025, 12, 10)


def _link(state: str = SIGNED, person: str | None = "P1", gap: str | None = None) -> TraceLink:
    chain = ChainLink("principal", person, "张三" if person else None, "S01", "校长", "SCH001", None, None, gap)
    return TraceLink(chain, "A-1" if state != MISSING else None, 1 if state != MISSING else None, state)


def _record(kind: str = "inspection") -> WorkRecord:
    return WorkRecord(kind, "answer:1", DAY, "R03-01 pass")


def test_signed_with_records_is_done() -> None:
    assert mark_link(_link(), [_record()]).mark == MARK_DONE


def test_signed_without_records_is_no_record() -> None:
    mark = mark_link(_link(), [])
    assert (mark.mark, mark.reasons) == (MARK_NO_RECORD, ("no_records",))


def test_an_unsigned_agreement_is_not_done_even_with_records() -> None:
    for state in (PENDING, MISSING):
        mark = mark_link(_link(state), [_record()])
        assert (mark.mark, mark.reasons) == (MARK_NOT_DONE, ("agreement_not_signed",))


def test_a_negative_record_is_not_done() -> None:
    mark = mark_link(_link(), [_record(), _record("hazard_overdue")])
    assert (mark.mark, mark.reasons) == (MARK_NOT_DONE, ("duty_not_done",))


def test_a_vacant_link_lists_every_reason() -> None:
    mark = mark_link(_link(MISSING, person=None, gap="vacant"), [])
    assert mark.mark == MARK_NOT_DONE
    assert mark.reasons == ("chain_gap", "agreement_not_signed")


def test_missed_patrols_count_against_the_link() -> None:
    mark = mark_link(_link(), [_record()], patrol_gaps=2)
    assert (mark.mark, mark.reasons) == (MARK_NOT_DONE, ("patrols_missed",))
