"""The services raise their package's own error classes (``<package>/errors.py``), which are
still the base errors the web and CLI map to HTTP statuses and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from responsibility import errors as base
from responsibility.agreements import PdfStore, find_agreement, find_campaign
from responsibility.agreements.errors import AgreementNotFound, CampaignNotFound, StoredPdfUnavailable
from responsibility.audit import append_event
from responsibility.audit.checkpoints import checkpoint_head
from responsibility.audit.errors import AuditLogBroken
from responsibility.models import AuditEvent
from responsibility.org.errors import NoCountyImported
from responsibility.org.exporter import export_rows


def test_unknown_campaign_and_agreement(session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CampaignNotFound, match="no campaign 'nope'") as campaign:
        find_campaign(session, "nope")
    with pytest.raises(AgreementNotFound, match="no agreement 'X-1'") as agreement:
        find_agreement(session, "X-1")
    assert isinstance(campaign.value, base.NotFound) and isinstance(agreement.value, base.NotFound)
    assert campaign.value.http_status == agreement.value.http_status == 404


def test_missing_and_damaged_stored_pdf(tmp_path: Path) -> None:
    store = PdfStore(tmp_path)
    digest, _ = store.put(b"%PDF-1.7 stored")
    missing = "0" * 64
    with pytest.raises(StoredPdfUnavailable, match="missing from the agreement store") as caught:
        store.read(missing)
    assert isinstance(caught.value, base.NotFound)
    store.path(digest).write_bytes(b"%PDF-1.7 changed")
    with pytest.raises(StoredPdfUnavailable, match="damaged"):
        store.read(digest)


def test_export_before_any_import(session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NoCountyImported, match="no county has been imported") as caught:
        export_rows(session)
    assert isinstance(caught.value, base.InvalidState) and caught.value.http_status == 409


def test_a_broken_chain_is_refused_with_the_first_broken_event(session) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        append_event(session, actor="P1", action="test.event", subject=f"S{i}", data={"i": i})
    session.flush()
    session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(data={"x": 1}))
    with pytest.raises(AuditLogBroken, match="broken at event 2") as caught:
        checkpoint_head(session)
    assert caught.value.first_broken_seq == 2
    assert isinstance(caught.value, base.InvalidState)
    session.rollback()
