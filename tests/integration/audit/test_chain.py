"""The audit chain: appends link by hash; edits, deletions and reordering are caught."""

import pytest
from sqlalchemy import delete, text, update

from responsibility.audit import append_event, verify_chain
from responsibility.audit.log import GENESIS_HASH
from responsibility.models import AuditEvent


@pytest.fixture
def chain(session):
    for i in range(5):
        append_event(session, actor="P00027", action="test.event", subject=f"S{i}", data={"i": i, "名": "张三"})
    session.commit()
    return session


def test_events_link_and_check(chain):
    events = chain.query(AuditEvent).order_by(AuditEvent.seq).all()
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    check = verify_chain(chain)
    assert check.ok and check.events == 5 and check.first_broken_seq is None


def test_edited_row_is_named(chain):
    chain.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(data={"i": 99}))
    chain.commit()
    check = verify_chain(chain)
    assert not check.ok and check.first_broken_seq == 3


def test_deleted_row_is_named(chain):
    chain.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
    chain.commit()
    check = verify_chain(chain)
    assert not check.ok and check.first_broken_seq == 2


def test_deleted_tail_is_caught(chain):
    chain.execute(delete(AuditEvent).where(AuditEvent.seq == 5))
    chain.commit()
    check = verify_chain(chain)
    assert not check.ok and check.first_broken_seq == 5


def test_reordered_rows_are_caught(chain):
    # swap the content of events 2 and 4 while keeping their seq numbers
    rows = {e.seq: e for e in chain.query(AuditEvent).filter(AuditEvent.seq.in_([2, 4]))}
    two = {k: getattr(rows[2], k) for k in ("at", "actor", "action", "subject", "data", "prev_hash", "hash")}
    four = {k: getattr(rows[4], k) for k in ("at", "actor", "action", "subject", "data", "prev_hash", "hash")}
    chain.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(**four))
    chain.execute(update(AuditEvent).where(AuditEvent.seq == 4).values(**two))
    chain.commit()
    check = verify_chain(chain)
    assert not check.ok and check.first_broken_seq == 2


def test_rehashed_forgery_is_caught_by_the_next_link(chain):
    """Recomputing one row's hash after editing it still breaks the link to its successor."""
    from responsibility.audit.log import canonical_json, event_hash

    event = chain.get(AuditEvent, 3)
    forged = event_hash(
        event.prev_hash, canonical_json(3, event.at, "intruder", event.action, event.subject, event.data)
    )
    chain.execute(text("UPDATE audit_events SET actor='intruder', hash=:h WHERE seq=3"), {"h": forged})
    chain.commit()
    check = verify_chain(chain)
    assert not check.ok and check.first_broken_seq == 4
