"""Events appended inside ``deferred_events`` are chained only when the block ends (the head row
stays unlocked meanwhile), in call order, and dropped when the block fails."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from responsibility.audit import append_event, deferred_events, verify_chain
from responsibility.models import AuditChainHead, AuditEvent


def test_deferred_events_are_chained_at_the_end_in_order(session) -> None:  # type: ignore[no-untyped-def]
    append_event(session, actor="t", action="test.before", subject="S0")
    session.commit()
    with deferred_events(session):
        append_event(session, actor="t", action="test.deferred", subject="S1")
        with deferred_events(session):  # nested: the outer block writes
            append_event(session, actor="t", action="test.deferred", subject="S2")
        assert session.scalar(select(func.count(AuditEvent.seq))) == 1  # nothing written yet
        assert session.get_one(AuditChainHead, 1).seq == 1
    session.commit()
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [(e.seq, e.subject) for e in events] == [(1, "S0"), (2, "S1"), (3, "S2")]
    assert verify_chain(session).ok


def test_deferred_events_are_dropped_when_the_block_fails(session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), deferred_events(session):
        append_event(session, actor="t", action="test.deferred", subject="S1")
        raise RuntimeError("the chunk failed")
    session.rollback()
    assert session.scalar(select(func.count(AuditEvent.seq))) == 0
    append_event(session, actor="t", action="test.after", subject="S2")  # appends normally again
    session.commit()
    assert [e.seq for e in session.scalars(select(AuditEvent))] == [1]
