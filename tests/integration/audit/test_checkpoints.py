"""Signed checkpoints: a rewrite of history with a recomputed chain is caught; forged or
tampered checkpoints are caught; a clean chain with checkpoints checks."""

from __future__ import annotations

import datetime as dt

import pytest
from asn1crypto import cms
from fixtures.instance_pki import install_pki
from sqlalchemy import select, update

from responsibility.audit import append_event, verify_chain
from responsibility.audit.log import GENESIS_HASH, canonical_json, event_hash
from responsibility.errors import InvalidState
from responsibility.evidence.checkpoints import create_checkpoint, verify_sealed_checkpoints
from responsibility.models import AuditChainHead, AuditCheckpoint, AuditEvent


@pytest.fixture
def cp_env(app, instance_pki_template):  # type: ignore[no-untyped-def]
    from responsibility.agreements.seal import ensure_seal
    from responsibility.extensions import db
    from responsibility.instance import instance_of
    from responsibility.pki.instance import load_instance_pki, timestamper_for

    install_pki(instance_pki_template, app.instance_path)
    with app.app_context():
        session = db.session
        pki = load_instance_pki(app.instance_path, app.config)
        seal = ensure_seal(session, pki, app.config)
        for i in range(5):
            append_event(session, actor="P1", action="test.event", subject=f"S{i}", data={"i": i, "名": "张三"})
        session.commit()
        env = {
            "session": session,
            "signer": seal.signer(),
            "timestamper": timestamper_for(app.config, pki),
            "trust": lambda: instance_of(app).trust(session),
        }
        yield env
        session.remove()


def _checkpoint(env):  # type: ignore[no-untyped-def]
    row = create_checkpoint(env["session"], signer=env["signer"], timestamper=env["timestamper"], actor="admin")
    env["session"].commit()
    return row


def _recompute_chain(session) -> None:  # type: ignore[no-untyped-def]
    """What someone with database access does after editing an event: every hash and the head."""
    prev = GENESIS_HASH
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        event.prev_hash = prev
        event.hash = event_hash(
            prev, canonical_json(event.seq, event.at, event.actor, event.action, event.subject, event.data)
        )
        prev = event.hash
    head = session.get(AuditChainHead, 1)
    head.hash = prev
    session.commit()


def test_checkpoint_pins_the_head_and_checks(cp_env):
    row = _checkpoint(cp_env)
    session = cp_env["session"]
    head_event = session.scalar(select(AuditEvent).where(AuditEvent.seq == row.seq))
    assert row.seq >= 5 and row.head_hash == head_event.hash and row.event_count == row.seq
    after = session.scalar(select(AuditEvent).where(AuditEvent.seq == row.seq + 1))
    assert after.action == "audit.checkpoint" and after.data["seq"] == row.seq
    result = verify_sealed_checkpoints(session, cp_env["trust"]())
    assert result.ok and result.checkpoints == 1 and result.last_seq == row.seq


def test_recomputed_chain_after_an_edit_is_caught_by_the_checkpoint(cp_env):
    row = _checkpoint(cp_env)
    session = cp_env["session"]
    session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(data={"i": 99}))
    session.commit()
    _recompute_chain(session)
    assert verify_chain(session).ok  # the bare chain is fooled …
    result = verify_sealed_checkpoints(session, cp_env["trust"]())
    assert not result.ok and result.first_broken_id == row.id  # … the signed checkpoint is not
    assert "rewritten" in result.reason


def test_recomputed_chain_after_a_delete_is_caught(cp_env):
    _checkpoint(cp_env)
    session = cp_env["session"]
    session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(action="edited.away"))
    session.commit()
    _recompute_chain(session)
    assert not verify_sealed_checkpoints(session, cp_env["trust"]()).ok


def test_tampered_checkpoint_row_is_caught(cp_env):
    row = _checkpoint(cp_env)
    session = cp_env["session"]
    signed_hash, signed_payload = row.head_hash, row.payload
    # Rewrite history, recompute the chain, then move the checkpoint's columns to the new hash.
    session.execute(update(AuditEvent).where(AuditEvent.seq == 1).values(subject="forged"))
    session.commit()
    _recompute_chain(session)
    new_hash = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == row.seq))
    session.execute(update(AuditCheckpoint).where(AuditCheckpoint.id == row.id).values(head_hash=new_hash))
    session.commit()
    result = verify_sealed_checkpoints(session, cp_env["trust"]())
    assert not result.ok and "differs from what was signed" in result.reason
    # … and rewriting the payload too breaks the signature.
    assert new_hash != signed_hash
    payload = signed_payload.replace(signed_hash, new_hash)
    session.execute(update(AuditCheckpoint).where(AuditCheckpoint.id == row.id).values(payload=payload))
    session.commit()
    result = verify_sealed_checkpoints(session, cp_env["trust"]())
    assert not result.ok and result.reason == "signature does not match the checkpoint"


def test_checkpoint_signed_by_another_key_is_rejected(cp_env, tmp_path):
    """A forger re-signs a checkpoint with a self-made key: not trusted, caught."""
    from fixtures.pki import make_kit, make_person

    row = _checkpoint(cp_env)
    session = cp_env["session"]
    kit = make_kit(tmp_path / "other")  # another CA: same code, different root
    person = make_person(
        kit.pki, "示例县教育局 单位印章", ("单位印章",), "示例县教育局", "BUREAU-SEAL"
    )  # look-alike seal
    forged = create_checkpoint(session, signer=person.signer(kit.pki), timestamper=kit.timestamper, actor="x")
    session.commit()
    result = verify_sealed_checkpoints(session, cp_env["trust"]())
    assert not result.ok and result.first_broken_id == forged.id and result.first_broken_id != row.id


def test_county_certificate_that_is_not_the_seal_is_rejected(cp_env, app):
    """A genuine county certificate of a person is not the bureau seal."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from responsibility.pki.ca import issue_person_certificate
    from responsibility.pki.instance import load_instance_pki
    from responsibility.signing import KeySigner

    pki = load_instance_pki(app.instance_path, app.config)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = issue_person_certificate(
        pki, key.public_key(), name="张三", organisation="示例校", serial_number="P1", days=30
    )
    session = cp_env["session"]
    create_checkpoint(
        session, signer=KeySigner(cert, key, pki.person_chain), timestamper=cp_env["timestamper"], actor="x"
    )
    session.commit()
    from responsibility.pki.registry import record_certificate

    record_certificate(session, cert, person=None, key_kind="ecdsa-p256")
    session.commit()
    result = verify_sealed_checkpoints(session, cp_env["trust"]())
    assert not result.ok and result.reason == "not signed by the bureau seal"


def test_swapped_signature_is_caught(cp_env):
    first = _checkpoint(cp_env)
    append_event(cp_env["session"], actor="P1", action="test.event", subject="later")
    cp_env["session"].commit()
    second = _checkpoint(cp_env)
    session = cp_env["session"]
    session.execute(update(AuditCheckpoint).where(AuditCheckpoint.id == second.id).values(cms=first.cms))
    session.commit()
    result = verify_sealed_checkpoints(session, cp_env["trust"]())
    assert not result.ok and result.first_broken_id == second.id


def test_garbage_signature_is_an_answer_not_a_crash(cp_env):
    row = _checkpoint(cp_env)
    session = cp_env["session"]
    session.execute(update(AuditCheckpoint).where(AuditCheckpoint.id == row.id).values(cms=b"\x30\x03\x02\x01\x01"))
    session.commit()
    result = verify_sealed_checkpoints(session, cp_env["trust"]())
    assert not result.ok and result.reason.startswith("unreadable signature")


def test_the_timestamp_token_is_embedded(cp_env):
    row = _checkpoint(cp_env)
    signer_info = cms.ContentInfo.load(row.cms)["content"]["signer_infos"][0]
    kinds = [a["type"].native for a in signer_info["unsigned_attrs"]]
    assert "signature_time_stamp_token" in kinds


def test_broken_chain_is_not_checkpointed(cp_env):
    session = cp_env["session"]
    session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(data={"x": 1}))
    session.commit()
    with pytest.raises(InvalidState):
        create_checkpoint(
            session,
            signer=cp_env["signer"],
            timestamper=cp_env["timestamper"],
            actor="admin",
            now=dt.datetime.now(dt.UTC),
        )


def test_the_audit_record_takes_the_signature_check_as_an_argument(cp_env):
    """``audit.checkpoints`` knows no seal: whatever check it is given decides the signature."""
    from responsibility.audit.checkpoints import verify_checkpoints

    row = _checkpoint(cp_env)
    session = cp_env["session"]
    seen: list[bytes] = []

    def refuse(payload: bytes, cms_der: bytes) -> str | None:
        seen.append(payload)
        return "refused by the test"

    result = verify_checkpoints(session, refuse)
    assert not result.ok and result.first_broken_id == row.id and result.reason == "refused by the test"
    assert seen == [row.payload.encode("utf-8")]
    assert verify_checkpoints(session, lambda payload, cms_der: None).ok
