"""Signed work documents of the season (考核结果、问责决定、排查结果): what each one is about.

The document itself is an ``Agreement`` of kind ``work`` (its PDF, revisions, states and
signatures go through the one signing flow and the one verifier); this row records its subject:
the kind of document, the key of what it is about (a campaign and school, a decision number, a
round's checklist), the hash of the facts it prints, and the document it superseded. Issuing
again with the same facts makes no second document; with changed facts the earlier one is
superseded (kept, state ``superseded``) and the new row names it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .agreements import Agreement
from .base import Base, utcnow

__all__ = ["WORK_ACCOUNTABILITY", "WORK_ASSESSMENT", "WORK_KINDS", "WORK_ROSTER", "WORK_ROUND", "WorkDocument"]

WORK_ASSESSMENT = "assessment_result"
WORK_ACCOUNTABILITY = "accountability_decision"
WORK_ROUND = "round_result"
WORK_ROSTER = "roster"
WORK_KINDS = (WORK_ASSESSMENT, WORK_ACCOUNTABILITY, WORK_ROUND, WORK_ROSTER)


class WorkDocument(Base):
    __tablename__ = "work_documents"
    __table_args__ = (Index("ix_work_documents_subject", "kind", "subject_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), unique=True)
    """The document (``Agreement.kind == 'work'``)."""
    kind: Mapped[str] = mapped_column(String(32))
    """One of ``WORK_KINDS``."""
    subject_key: Mapped[str] = mapped_column(String(100))
    """What it is about: ``<campaign id>:<school>`` for an assessment result, the decision's number,
    ``<round id>:<school>`` for a round result, ``<campaign id>:<org>`` for a reported roster."""
    facts_hash: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the facts the PDF prints (without its number and date): the idempotence key."""
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """The facts as embedded in the PDF (the matrix's ``data``)."""
    supersedes_agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"))
    """The earlier document of the same subject this one replaced."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    facts_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    """Since when the records this document prints no longer say what it says (None: they do,
    as far as the writes that compare them know): a reported duty roster edited afterwards."""

    agreement: Mapped[Agreement] = relationship(foreign_keys=[agreement_id])
    supersedes: Mapped[Agreement | None] = relationship(foreign_keys=[supersedes_agreement_id])
