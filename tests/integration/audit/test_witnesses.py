"""Witnessed audit history: every way of hiding checkpoints is caught by `flask audit verify-log`.

Checkpoints are witnessed by their numbers, the chain's ``audit.checkpoint`` events, the signed
files in ``instance/audit/checkpoints/`` and the checkpoint every signed agreement names. Each
test hides history one way (as someone with database and file access would) and checks that
verify-log exits 1 naming it; the last tests remove every witness but the agreements'.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from fixtures.signing_workflow import TWO_HEADS, enrol_person, issue_schools, sign_as, signers_of, store_of
from sqlalchemy import delete, select, update

from responsibility.audit import append_event, verify_chain
from responsibility.audit.log import GENESIS_HASH, canonical_json, event_hash
from responsibility.audit.witness import Witness, parse_witness
from responsibility.evidence.witness_files import witness_dir
from responsibility.models import Agreement, AgreementRevision, AuditChainHead, AuditCheckpoint, AuditEvent, Person
from responsibility.signing import read_witness


@pytest.fixture
def wf_app(pki_demo_app):  # type: ignore[no-untyped-def]
    return pki_demo_app


@pytest.fixture
def session(pki_demo_session):  # type: ignore[no-untyped-def]
    return pki_demo_session


def _verify_log(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["audit", "verify-log", *args])


def _checkpoint(app, session) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    """``flask audit checkpoint``; the new row's columns (a snapshot: the session is renewed)."""
    session.remove()
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    row = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc())).first()
    return SimpleNamespace(id=row.id, seq=row.seq, head_hash=row.head_hash, payload=row.payload, cms=bytes(row.cms))


def _events(session, n: int, tag: str) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        append_event(session, actor="P1", action="test.event", subject=f"{tag}{i}", data={"i": i})
    session.commit()


def _three_checkpoints(app, session, n: int = 3) -> list[SimpleNamespace]:  # type: ignore[no-untyped-def]
    rows = []
    for tag in "abc"[:n]:
        _events(session, 2, tag)
        rows.append(_checkpoint(app, session))
    return rows


def _drop_checkpoint_events(session, numbers=None) -> None:  # type: ignore[no-untyped-def]
    """Delete the chain's ``audit.checkpoint`` events (all, or of these checkpoint numbers) and
    renumber + recompute the chain, as a careful forger would."""
    query = select(AuditEvent).where(AuditEvent.action == "audit.checkpoint")
    for event in session.scalars(query).all():
        if numbers is None or event.subject in {f"checkpoint:{n}" for n in numbers}:
            session.delete(event)
    session.flush()
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().all()
    data = [(e.at, e.actor, e.action, e.subject, e.data) for e in rows]
    session.expunge_all()
    session.execute(delete(AuditEvent))
    prev = GENESIS_HASH
    for seq, (at, actor, action, subject, body) in enumerate(data, start=1):
        digest = event_hash(prev, canonical_json(seq, at, actor, action, subject, body))
        session.add(AuditEvent(seq=seq, at=at, actor=actor, action=action, subject=subject, data=body,
                               prev_hash=prev, hash=digest))  # fmt: skip
        prev = digest
    head = session.get(AuditChainHead, 1)
    head.seq, head.hash = len(data), prev
    session.commit()
    assert verify_chain(session).ok  # the bare chain is fooled


def _files(app) -> Path:  # type: ignore[no-untyped-def]
    return witness_dir(Path(app.instance_path))


def test_each_checkpoint_is_written_as_a_signed_file(wf_app, session) -> None:  # type: ignore[no-untyped-def]
    rows = _three_checkpoints(wf_app, session)
    assert [r.id for r in rows] == [1, 2, 3]
    for row in rows:
        stem = _files(wf_app) / f"{row.id:06d}"
        assert stem.with_suffix(".json").read_text("utf-8") == row.payload
        assert stem.with_suffix(".p7s").read_bytes() == bytes(row.cms)
        assert f'"number":{row.id}' in row.payload
    result = _verify_log(wf_app)
    assert result.exit_code == 0, result.output
    assert "3 signed checkpoints" in result.output


def test_deleting_every_checkpoint_after_a_recomputed_edit_is_caught(wf_app, session) -> None:  # type: ignore[no-untyped-def]
    rows = _three_checkpoints(wf_app, session)
    session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(data={"i": 99}))
    session.commit()
    session.execute(delete(AuditCheckpoint))
    session.commit()
    _drop_checkpoint_events(session)
    result = _verify_log(wf_app)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "history incomplete" in line]
    assert len(lines) == 3  # one per missing checkpoint
    assert f"checkpoint 1 (event {rows[0].seq}) is missing: witnessed by instance file 000001.json" in lines[0]


def test_deleting_the_last_checkpoint_is_caught(wf_app, session) -> None:  # type: ignore[no-untyped-def]
    rows = _three_checkpoints(wf_app, session)
    session.execute(delete(AuditCheckpoint).where(AuditCheckpoint.id == rows[-1].id))
    session.commit()
    result = _verify_log(wf_app)
    assert result.exit_code == 1
    assert f"checkpoint 3 (event {rows[-1].seq}) is missing" in result.output
    assert "audit event" in result.output and "instance file 000003.json" in result.output
    # The next checkpoint does not take the deleted one's number (nor overwrite its file).
    assert _checkpoint(wf_app, session).id == 4
    assert (_files(wf_app) / "000003.json").is_file()


def test_deleting_a_checkpoint_in_the_middle_is_caught_by_the_numbering(wf_app, session) -> None:  # type: ignore[no-untyped-def]
    _three_checkpoints(wf_app, session)
    session.execute(delete(AuditCheckpoint).where(AuditCheckpoint.id == 2))
    session.commit()
    _drop_checkpoint_events(session, numbers=[2])
    (_files(wf_app) / "000002.json").unlink()
    (_files(wf_app) / "000002.p7s").unlink()
    result = _verify_log(wf_app)
    assert result.exit_code == 1
    assert "checkpoint 2 is missing: gap in the checkpoint numbers" in result.output


def test_editing_a_checkpoints_hash_is_caught(wf_app, session) -> None:  # type: ignore[no-untyped-def]
    rows = _three_checkpoints(wf_app, session)
    session.execute(update(AuditCheckpoint).where(AuditCheckpoint.id == rows[0].id).values(head_hash="f" * 64))
    session.commit()
    result = _verify_log(wf_app)
    assert result.exit_code == 1
    assert "broken at checkpoint 1" in result.output
    assert "checkpoint 1 differs from its witness" in result.output


def test_a_forged_witness_file_is_reported_not_trusted(wf_app, session) -> None:  # type: ignore[no-untyped-def]
    rows = _three_checkpoints(wf_app, session)
    forged = rows[0].payload.replace('"number":1', '"number":9')
    (_files(wf_app) / "000009.json").write_text(forged, "utf-8")
    shutil.copy(_files(wf_app) / "000001.p7s", _files(wf_app) / "000009.p7s")
    result = _verify_log(wf_app)
    assert result.exit_code == 1
    assert "instance file 000009.json: signature does not match the checkpoint" in result.output
    assert "checkpoint 9" not in result.output  # a file that does not check witnesses nothing


# --- the agreements a school holds witness the log --------------------------------------------


@pytest.fixture
def signed_after_checkpoint(wf_app, session):  # type: ignore[no-untyped-def]
    """Two checkpoints, then an agreement issued and signed by the principal: its revisions name
    checkpoint 2 (the certification) and a later one (the signature)."""
    _three_checkpoints(wf_app, session, 2)
    (issued,) = issue_schools(wf_app, session, [TWO_HEADS])
    principal = signers_of(session, issued).principal
    enrol_person(wf_app, session, principal)
    agreement_id, principal_id = issued.id, principal.id
    cp = _checkpoint(wf_app, session)
    sign_as(wf_app, session, agreement_id, session.get(Person, principal_id))
    session.commit()
    assert _verify_log(wf_app).exit_code == 0
    agreement = session.get(Agreement, agreement_id)
    return SimpleNamespace(id=agreement.id, document_number=agreement.document_number,
                           pdf_sha256=agreement.pdf_sha256), cp  # fmt: skip


def test_every_signature_carries_the_latest_checkpoint(wf_app, session, signed_after_checkpoint) -> None:  # type: ignore[no-untyped-def]
    agreement, cp = signed_after_checkpoint
    store = store_of(wf_app)
    revisions = session.scalars(
        select(AgreementRevision).where(AgreementRevision.agreement_id == agreement.id).order_by(AgreementRevision.seq)
    ).all()
    witnesses = [parse_witness(read_witness(store.read(r.sha256))) for r in revisions]
    certified, signed = witnesses[1], witnesses[-1]
    assert witnesses[0] is None  # the generated file is not signed
    assert certified is not None and certified.number == 2
    assert signed == Witness(cp.id, cp.seq, cp.head_hash)


def test_agreements_still_witness_when_rows_events_and_files_are_gone(wf_app, session, signed_after_checkpoint) -> None:  # type: ignore[no-untyped-def]
    agreement, cp = signed_after_checkpoint
    session.execute(update(AuditEvent).where(AuditEvent.seq == 1).values(data={"i": 42}))  # an edit …
    session.commit()
    session.execute(delete(AuditCheckpoint))  # … every checkpoint deleted …
    session.commit()
    _drop_checkpoint_events(session)  # … their events too, the chain recomputed …
    shutil.rmtree(_files(wf_app))  # … and the witness files removed
    result = _verify_log(wf_app)
    assert result.exit_code == 1
    assert f"checkpoint {cp.id} (event {cp.seq}) is missing: witnessed by agreement {agreement.document_number}" in (
        result.output
    )
    assert "checkpoint 2 (event" in result.output


def test_a_schools_copy_witnesses_a_checkpoint_deleted_with_its_agreement_history(
    wf_app, session, signed_after_checkpoint, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The school's downloaded copy, passed with --witness, catches what the server no longer holds."""
    agreement, cp = signed_after_checkpoint
    copy = tmp_path / "school_copy.pdf"
    copy.write_bytes(store_of(wf_app).read(agreement.pdf_sha256))
    session.execute(delete(AuditCheckpoint).where(AuditCheckpoint.id == cp.id))
    session.execute(delete(AgreementRevision).where(AgreementRevision.agreement_id == agreement.id))
    session.commit()
    _drop_checkpoint_events(session, numbers=[cp.id])
    for suffix in (".json", ".p7s"):
        (_files(wf_app) / f"{cp.id:06d}{suffix}").unlink()
    assert _verify_log(wf_app).exit_code == 0  # nothing left on the server names it
    result = _verify_log(wf_app, "--witness", str(copy))
    assert result.exit_code == 1
    assert f"checkpoint {cp.id} (event {cp.seq}) is missing: witnessed by file {copy}" in result.output
