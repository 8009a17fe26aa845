"""`flask audit checkpoint` and `flask audit verify-log` with checkpoints (exit 0 / 1)."""

from __future__ import annotations

import pytest
from fixtures.instance_pki import install_pki
from sqlalchemy import select, update

from responsibility.audit import append_event
from responsibility.audit.log import GENESIS_HASH, canonical_json, event_hash
from responsibility.models import AuditChainHead, AuditCheckpoint, AuditEvent


@pytest.fixture
def cli_app(app, instance_pki_template):  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    install_pki(instance_pki_template, app.instance_path)
    with app.app_context():
        for i in range(4):
            append_event(db.session, actor="P1", action="test.event", subject=f"S{i}", data={"i": i})
        db.session.commit()
        db.session.remove()
    return app


def _db(app):  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    return db.session


def test_checkpoint_command_then_verify_log(cli_app):
    runner = cli_app.test_cli_runner()
    result = runner.invoke(args=["audit", "checkpoint", "--actor", "cron"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("checkpoint 1: event ")
    with cli_app.app_context():
        row = _db(cli_app).scalar(select(AuditCheckpoint))
        assert row.actor == "cron" and row.seq >= 4
        _db(cli_app).remove()
    result = runner.invoke(args=["audit", "verify-log"])
    assert result.exit_code == 0, result.output
    assert "1 signed checkpoints" in result.output


def test_verify_log_names_the_broken_checkpoint_after_a_recomputed_rewrite(cli_app):
    runner = cli_app.test_cli_runner()
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    with cli_app.app_context():
        session = _db(cli_app)
        session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(subject="rewritten"))
        prev = GENESIS_HASH
        for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
            e.prev_hash = prev
            e.hash = prev = event_hash(prev, canonical_json(e.seq, e.at, e.actor, e.action, e.subject, e.data))
        session.get(AuditChainHead, 1).hash = prev
        session.commit()
        session.remove()
    result = runner.invoke(args=["audit", "verify-log"])
    assert result.exit_code == 1
    assert "broken at checkpoint 1" in result.output and "history rewritten" in result.output


def test_verify_log_still_names_a_broken_event_first(cli_app):
    runner = cli_app.test_cli_runner()
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    with cli_app.app_context():
        _db(cli_app).execute(update(AuditEvent).where(AuditEvent.seq == 3).values(data={"x": 1}))
        _db(cli_app).commit()
        _db(cli_app).remove()
    result = runner.invoke(args=["audit", "verify-log"])
    assert result.exit_code == 1 and "broken at event 3" in result.output
    # and a broken chain is never checkpointed
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 2 and "broken at event 3" in result.output
