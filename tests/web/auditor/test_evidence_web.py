"""The evidence download on the campaign and agreement pages, and the on-demand checkpoint on the
audit-log page: admins, auditors and bureau leaders only; everyone else gets 404."""

from __future__ import annotations

import io
import zipfile

import pytest
from fixtures.instance_pki import install_pki
from sqlalchemy import select, update

from responsibility.models import AuditChainHead, AuditCheckpoint, AuditEvent


@pytest.fixture
def issued(demo_app, instance_pki_template):  # type: ignore[no-untyped-def]
    from fixtures import signing_workflow as wt

    from responsibility.extensions import db

    install_pki(instance_pki_template, demo_app.instance_path)
    with demo_app.app_context():
        (agreement,) = wt.issue_schools(demo_app, db.session, [wt.TWO_HEADS])
        ids = (agreement.id, agreement.campaign_id, agreement.document_number)
        db.session.remove()
    return demo_app, ids


def _login(app, username: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": app.config["DEMO_PASSWORD"]})
    assert response.status_code == 302
    return client


def test_auditor_downloads_the_agreement_package(issued):
    app, (agreement_id, campaign_id, number) = issued
    client = _login(app, "auditor")
    page = client.get(f"/campaigns/agreements/{agreement_id}").get_data(as_text=True)
    assert f"/audit/evidence/agreements/{agreement_id}.zip" in page
    assert "证据包" in page
    response = client.post(f"/audit/evidence/agreements/{agreement_id}.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = archive.namelist()
        assert f"agreements/{number}/{number}.pdf" in names and "README.txt" in names
        assert archive.read(f"agreements/{number}/verification.pdf").startswith(b"%PDF")
    campaign_page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert f"/audit/evidence/campaigns/{campaign_id}.zip" in campaign_page
    from responsibility.extensions import db

    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.exported")).one()
        assert event.actor == "auditor" and event.subject == f"agreement:{agreement_id}"
        db.session.remove()


@pytest.mark.parametrize("username", ["P00010", "P00027"])
def test_others_get_404_and_no_button(issued, username):
    app, (agreement_id, campaign_id, _) = issued
    client = _login(app, username)
    assert client.post(f"/audit/evidence/agreements/{agreement_id}.zip").status_code == 404
    assert client.post(f"/audit/evidence/campaigns/{campaign_id}.zip").status_code == 404
    page = client.get(f"/campaigns/agreements/{agreement_id}")
    assert page.status_code == 404 or "evidence-form" not in page.get_data(as_text=True)
    assert client.post("/audit/checkpoint").status_code == 404


def test_an_auditor_reads_the_log_but_cannot_sign_a_checkpoint(issued):
    from responsibility.extensions import db

    app, _ = issued
    client = _login(app, "auditor")
    page = client.get("/audit/log").get_data(as_text=True)
    assert "尚未签署检查点" in page and "checkpoint-form" not in page
    refused = client.post("/audit/checkpoint")
    assert refused.status_code == 403 and "审计员只读" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AuditCheckpoint.id)) is None
        db.session.remove()
    assert "checkpoint-form" in _login(app, "admin").get("/audit/log").get_data(as_text=True)


def test_unknown_agreement_is_404(issued):
    app, _ = issued
    assert _login(app, "admin").post("/audit/evidence/agreements/999999.zip").status_code == 404


def test_checkpoint_on_demand_and_the_log_page_shows_a_rewrite(issued):
    from responsibility.audit.log import GENESIS_HASH, canonical_json, event_hash
    from responsibility.extensions import db

    app, _ = issued
    client = _login(app, "admin")
    assert "尚未签署检查点" in client.get("/audit/log").get_data(as_text=True)
    response = client.post("/audit/checkpoint")
    assert response.status_code == 302
    html = client.get("/audit/log").get_data(as_text=True)
    assert 'class="checkpoints-ok"' in html and 'data-checkpoint="1"' in html
    with app.app_context():
        session = db.session
        assert session.scalar(select(AuditCheckpoint.actor)) == "admin"
        session.execute(update(AuditEvent).where(AuditEvent.seq == 1).values(actor="someone-else"))
        prev = GENESIS_HASH
        for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
            e.prev_hash = prev
            e.hash = prev = event_hash(prev, canonical_json(e.seq, e.at, e.actor, e.action, e.subject, e.data))
        session.execute(update(AuditChainHead).values(hash=prev))
        session.commit()
        session.remove()
    html = client.get("/audit/log").get_data(as_text=True)
    assert 'class="chain-ok"' in html  # the recomputed chain alone looks fine …
    assert 'data-broken-checkpoint="1"' in html  # … the signed checkpoint does not
