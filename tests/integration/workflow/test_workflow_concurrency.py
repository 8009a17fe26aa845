"""Principal and party head press "sign" at the same instant: both signatures end in the final
PDF (two threads, each with its own session; run on SQLite and on PostgreSQL). And a crash
between writing the PDF and committing leaves the agreement on its previous, stored revision."""

from __future__ import annotations

import threading

import pytest
from fixtures.signing_workflow import (
    PIN,
    TODAY,
    TWO_HEADS,
    enrol_person,
    environment,
    issue_schools,
    signers_of,
    store_of,
)

from responsibility.agreements import PdfStore
from responsibility.agreements.signing_flow import sign_agreement
from responsibility.jobs.transactions import commit_with_retry, unlock_and_commit
from responsibility.models import Agreement, Person
from responsibility.pki.instance import load_instance_pki


def test_two_heads_signing_at_once_both_end_in_the_pdf(wf_app, wf_session) -> None:  # type: ignore[no-untyped-def]
    (agreement,) = issue_schools(wf_app, wf_session, [TWO_HEADS])
    people = signers_of(wf_session, agreement)
    for who in (people.party_head, people.principal):
        enrol_person(wf_app, wf_session, who)
    ids = [people.party_head.id, people.principal.id]
    agreement_id = agreement.id
    barrier = threading.Barrier(2)
    results: dict[int, object] = {}

    def worker(person_id: int) -> None:
        from responsibility.extensions import db

        with wf_app.app_context():
            try:
                person = db.session.get(Person, person_id)
                pki = load_instance_pki(wf_app.instance_path, wf_app.config)
                unlocked = unlock_and_commit(db.session, person, PIN, pki=pki)
                env = environment(wf_app, db.session)
                barrier.wait(timeout=60)
                outcome = commit_with_retry(
                    db.session,
                    lambda: sign_agreement(db.session, env, agreement_id, person, unlocked, day=TODAY, actor="t"),
                )
                results[person_id] = outcome
            except BaseException as exc:  # reported below
                results[person_id] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(pid,)) for pid in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(not isinstance(r, BaseException) for r in results.values()), results
    wf_session.expire_all()
    row = wf_session.get(Agreement, agreement_id)
    assert row.state == "school_signed"
    signed = sorted(r.field_name for r in row.revisions if r.kind == "signed")
    assert signed == ["sig_school_party_head", "sig_school_principal"]
    pdf = store_of(wf_app).read(row.pdf_sha256)
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    fields = [s.field_name for s in PdfFileReader(io.BytesIO(pdf)).embedded_signatures]
    assert sorted(fields[1:]) == signed and fields[0] == "sig_bureau_seal"


class _CrashAfterWrite(PdfStore):
    """A store whose write succeeds and then the process 'dies' before the commit."""

    def put(self, data: bytes) -> tuple[str, bool]:
        result = super().put(data)
        self.written = result[0]
        raise SystemExit("crash after the file write")


def test_a_crash_after_the_file_write_leaves_the_previous_revision(wf_app, wf_session) -> None:  # type: ignore[no-untyped-def]
    (agreement,) = issue_schools(wf_app, wf_session, [TWO_HEADS])
    people = signers_of(wf_session, agreement)
    enrol_person(wf_app, wf_session, people.principal)
    before = agreement.pdf_sha256
    pki = load_instance_pki(wf_app.instance_path, wf_app.config)
    unlocked = unlock_and_commit(wf_session, people.principal, PIN, pki=pki)
    env = environment(wf_app, wf_session)
    crashing = _CrashAfterWrite(env.store.root)
    env.store = crashing
    with pytest.raises(SystemExit):
        commit_with_retry(
            wf_session,
            lambda: sign_agreement(wf_session, env, agreement.id, people.principal, unlocked, day=TODAY, actor="t"),
        )
    wf_session.expire_all()
    row = wf_session.get(Agreement, agreement.id)
    assert row.pdf_sha256 == before and len(row.revisions) == 2 and row.state == "issued"
    store = store_of(wf_app)
    assert store.read(before)  # the previous revision is still there, intact
    assert crashing.written != before and store.exists(crashing.written)  # an orphan, harmless
    # … and the next attempt signs on top of the previous revision as if nothing happened.
    env.store = store
    outcome = commit_with_retry(
        wf_session,
        lambda: sign_agreement(wf_session, env, agreement.id, people.principal, unlocked, day=TODAY, actor="t"),
    )
    assert outcome.revisions[0].seq == 3
