"""Signed checkpoints of the audit chain (ARCHITECTURE §5).

A checkpoint pins ``(seq, hash)`` of the chain head at one moment under the bureau seal's
signature with a trusted timestamp. Anyone with database access can recompute every hash after
editing an event; they cannot re-sign the checkpoints, so the rewrite shows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class AuditCheckpoint(Base):
    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    """The chain's last event at the checkpoint (0: empty chain)."""
    head_hash: Mapped[str] = mapped_column(String(64))
    event_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    """The canonical JSON the signature covers (UTF-8), exactly as signed."""
    cms: Mapped[bytes] = mapped_column(LargeBinary)
    """Detached CMS SignedData (DER) over ``payload`` with an RFC 3161 signature timestamp."""
