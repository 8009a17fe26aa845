"""Parallel wrong PINs cannot outrun the lock (issue 15, item 1).

Twenty threads, each with its own database session (as twenty requests would), try a wrong PIN at
the same moment. The count must end at the limit with the lock set, and at most the limit of PINs
may ever reach the key derivation. Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import responsibility.pki.enrolment as enrolment_module
from responsibility.extensions import db
from responsibility.jobs.transactions import unlock_and_commit
from responsibility.models import AuditEvent, Person, SigningEnrolment
from responsibility.pki import WrongPin
from responsibility.pki.enrolment import MAX_PIN_FAILURES, SigningLocked, enrol

PIN = "739184"
WRONG = "582047"
PARALLEL = 20


def test_parallel_wrong_pins_are_all_counted_and_at_most_the_limit_checked(  # type: ignore[no-untyped-def]
    pki_app, session, pki, school_people, monkeypatch
) -> None:
    person = school_people["principal"]
    enrol(session, pki, person, PIN, actor="test")
    session.commit()
    person_id = person.id

    checked = Counter[str]()
    guard = threading.Lock()
    real_open = enrolment_module.open_private_key

    def counting_open(blob: bytes, pin: str):  # type: ignore[no-untyped-def]
        with guard:
            checked["pins"] += 1
        return real_open(blob, pin)

    monkeypatch.setattr(enrolment_module, "open_private_key", counting_open)
    engine = db.engine
    # Released together; each then opens its own session (the pool has fewer connections than
    # threads, as a server under attack would).
    start = threading.Barrier(PARALLEL, timeout=60)
    outcomes: list[str] = []

    def attempt() -> None:
        start.wait()
        with Session(engine) as own:
            who = own.get(Person, person_id)
            assert who is not None
            try:
                unlock_and_commit(own, who, WRONG, pki=pki)
                result = "unlocked"
            except WrongPin:
                result = "wrong"
            except SigningLocked:
                result = "locked"
            except Exception as exc:  # reported in the assertion below
                result = f"error: {exc!r}"
        with guard:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    tally = Counter(outcomes)
    assert sum(tally.values()) == PARALLEL and set(tally) <= {"wrong", "locked"}, tally
    assert checked["pins"] <= MAX_PIN_FAILURES
    assert tally["wrong"] == MAX_PIN_FAILURES - 1
    with Session(engine) as fresh:
        row = fresh.scalar(select(SigningEnrolment).where(SigningEnrolment.person_id == person_id))
        assert row is not None
        assert row.failed_pin_count == MAX_PIN_FAILURES and row.locked_until is not None
        wrong_events = fresh.scalar(select(func.count()).where(AuditEvent.action == "pki.pin_wrong"))
        locked_events = fresh.scalar(select(func.count()).where(AuditEvent.action == "pki.pin_locked"))
    assert wrong_events == checked["pins"] == MAX_PIN_FAILURES
    assert locked_events == 1
    # And the right PIN is refused while locked.
    with Session(engine) as own:
        who = own.get(Person, person_id)
        try:
            unlock_and_commit(own, who, PIN, pki=pki)  # type: ignore[arg-type]
            refused = False
        except SigningLocked:
            refused = True
    assert refused
