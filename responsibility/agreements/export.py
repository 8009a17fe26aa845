"""Handing out an agreement's current PDF (CLI export, web download), with an audit event."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..audit import append_event
from ..models import Agreement
from .storage import PdfStore

__all__ = ["export_pdf"]


def export_pdf(session: Session, agreement: Agreement, *, storage: PdfStore, actor: str, channel: str) -> bytes:
    """The bytes of the agreement's latest accepted revision, checked against its SHA-256
    (``NotFound`` when the file is missing or damaged); records ``agreement.exported``."""
    data = storage.read(agreement.pdf_sha256)
    append_event(
        session,
        actor=actor,
        action="agreement.exported",
        subject=f"agreement:{agreement.document_number}",
        data={"sha256": agreement.pdf_sha256, "size": len(data), "channel": channel},
    )
    return data
