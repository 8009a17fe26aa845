"""Campaigns, agreements, their accepted PDF revisions, and background batch jobs.

The PDF bytes never live in the database: each revision is a file under
``instance/agreements/<sha256[:2]>/<sha256>.pdf`` (content-addressed, written before the row
commits) and the row keeps its SHA-256 and size. ``Agreement.version`` is SQLAlchemy's
optimistic-locking counter, so two writers (a regeneration and a signature, say) can never both
update the same agreement from the same state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .org import Organization, School
from .people import Person

CAMPAIGN_DRAFT = "draft"
CAMPAIGN_ISSUED = "issued"

AGREEMENT_DRAFT = "draft"
AGREEMENT_ISSUED = "issued"
AGREEMENT_SCHOOL_SIGNED = "school_signed"
AGREEMENT_COUNTERSIGNED = "countersigned"
AGREEMENT_ARCHIVED = "archived"
AGREEMENT_VOID = "void"
AGREEMENT_SUPERSEDED = "superseded"

AGREEMENT_KIND_SCHOOL = "school"
AGREEMENT_KIND_POST = "post"
AGREEMENT_KIND_BUREAU = "bureau"
"""``Agreement.kind``: a school's agreement with the bureau, an internal post agreement
(岗位安全责任书) of the cascade between a school's superior and a post holder, or one of the
bureau's own internal agreements (局内部安全责任书: the chief with each leader, a leader with a
section chief, a section chief with a liaison person)."""
AGREEMENT_KIND_CONFIRMATION = "confirmation"
"""``Agreement.kind`` of a successor's supplementary confirmation (补充确认): it binds the new
holder of a post or grid to the agreement their predecessor signed (``models.confirmations``)."""
AGREEMENT_KIND_WORK = "work"
"""``Agreement.kind`` of a signed work document of the season (考核结果、问责决定、排查结果): sealed
by the bureau and signed through the same flow; what it is about is on its ``WorkDocument`` row
(``models.work_documents``)."""

REVISION_KINDS = ("generated", "certified", "signed", "countersigned", "timestamped")

JOB_QUEUED = "queued"
JOB_RUNNING = "running"
JOB_FINISHED = "finished"
JOB_FAILED = "failed"


class Campaign(Base):
    """One season's round of agreements (冬春季): term, template, frozen parameters."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    season: Mapped[str] = mapped_column(String(100))
    """Season label printed in the agreement, e.g. ``2025—2026年冬春季``."""
    term_start: Mapped[dt.date] = mapped_column(Date)
    term_end: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    template_version: Mapped[str] = mapped_column(String(100))
    template_hash: Mapped[str] = mapped_column(String(64))
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Snapshot of everything else the PDF prints (county, bureau, targets, copies, base URL,
    creation date), frozen at creation so later configuration changes never alter the bytes."""
    document_prefix: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(16), default=CAMPAIGN_DRAFT)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    issued_by: Mapped[str | None] = mapped_column(String(100))

    agreements: Mapped[list[Agreement]] = relationship(back_populates="campaign", order_by="Agreement.document_number")

    def __repr__(self) -> str:
        return f"<Campaign {self.id} {self.name} {self.state}>"


class Agreement(Base):
    """One school's agreement in one campaign, with its life-cycle state and current PDF."""

    __tablename__ = "agreements"
    __table_args__ = (
        # One school agreement per school and campaign; post agreements are many per school.
        Index(
            "uq_agreements_campaign_school",
            "campaign_id",
            "school_id",
            unique=True,
            sqlite_where=text("kind = 'school'"),
            postgresql_where=text("kind = 'school'"),
        ),
        Index("ix_agreements_school_state", "school_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    document_number: Mapped[str] = mapped_column(String(100), unique=True)
    state: Mapped[str] = mapped_column(String(16), default=AGREEMENT_DRAFT, index=True)
    template_version: Mapped[str] = mapped_column(String(100))
    template_hash: Mapped[str] = mapped_column(String(64))
    data_hash: Mapped[str] = mapped_column(String(64))
    """``AgreementContent.content_hash`` of the data the current PDF shows."""
    as_of: Mapped[dt.date] = mapped_column(Date)
    """The day whose post holders and grid owners the current PDF shows (see
    ``agreements.parameters.data_day``)."""
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the latest accepted revision (the file to show, download or sign on top of)."""
    pdf_size: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    generated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    """Why the last regeneration of this agreement was refused (the previous PDF stays)."""
    kind: Mapped[str] = mapped_column(String(16), default=AGREEMENT_KIND_SCHOOL, server_default="school")
    """``school``, ``post`` or ``confirmation`` (see ``AGREEMENT_KIND_*``)."""
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"), index=True)
    """For a post agreement: the school agreement whose countersignature allowed the cascade."""
    superior_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    """For a post agreement: the superior (甲方), who signs ``sig_superior`` first."""
    holder_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    """For a post agreement: the post holder (乙方), who signs ``sig_holder`` after the superior."""
    post_code: Mapped[str | None] = mapped_column(String(16))
    """For a post agreement: the holder's post (or ``GRID``) the link is about, as issued; for a
    bureau agreement its tier (``leader``, ``section`` or ``liaison``)."""

    campaign: Mapped[Campaign] = relationship(back_populates="agreements")
    school: Mapped[School] = relationship()
    organization: Mapped[Organization] = relationship(foreign_keys=[school_id], viewonly=True)
    """The unit of party B whatever its kind: the school, or the bureau for a bureau agreement
    (whose ``school`` is then None: ``school_id`` points at the bureau)."""
    superior: Mapped[Person | None] = relationship(foreign_keys=[superior_person_id])
    holder: Mapped[Person | None] = relationship(foreign_keys=[holder_person_id])
    revisions: Mapped[list[AgreementRevision]] = relationship(
        back_populates="agreement", order_by="AgreementRevision.seq", cascade="all, delete-orphan"
    )
    bindings: Mapped[list[AgreementBinding]] = relationship(
        back_populates="agreement", order_by="AgreementBinding.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Agreement {self.id} {self.document_number} {self.state}>"


class AgreementBinding(Base):
    """What a signed agreement answers for in the chain: one row per (chain role, place).

    The trace binds a link to the agreement whose binding names the link's role and place: a
    grid owner's link to the post agreement naming that grid (``grid_id``), a liaison's, a
    section chief's or a bureau leader's link to the bureau agreement naming that school
    (``school_id``), the deputy in charge to the agreement naming neither. Written when the
    agreement is issued, from the same composition that wrote the PDF."""

    __tablename__ = "agreement_bindings"
    __table_args__ = (
        Index("ix_agreement_bindings_role_school", "role", "school_id"),
        Index("ix_agreement_bindings_role_grid", "role", "grid_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(24))
    """A chain role (``chain.subjects.Role`` value): ``grid_owner``, ``liaison``, ``section_chief``…"""
    school_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))

    agreement: Mapped[Agreement] = relationship(back_populates="bindings")


class AgreementRevision(Base):
    """One accepted PDF revision of an agreement; ``seq`` 1 is the generated file."""

    __tablename__ = "agreement_revisions"
    __table_args__ = (UniqueConstraint("agreement_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    """One of ``REVISION_KINDS``."""
    field_name: Mapped[str | None] = mapped_column(String(64))
    """The signature field this revision filled (None for generated/timestamped)."""
    signer_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="revisions")
    signer: Mapped[Person | None] = relationship()


class BatchJob(Base):
    """A background batch (generation of a campaign's agreements) and its progress.

    The runner commits this row after every school, so pages and the CLI can show progress while
    the batch runs; ``errors`` lists ``{"school_id", "school_name", "message"}`` per refused school.
    """

    __tablename__ = "batch_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    state: Mapped[str] = mapped_column(String(16), default=JOB_QUEUED)
    backend: Mapped[str] = mapped_column(String(16), default="thread")
    """``thread``, ``rq`` or ``foreground`` (the CLI)."""
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[Any]] = mapped_column(default=list)
    message: Mapped[str | None] = mapped_column(Text)
    """Why the whole batch stopped (a broken template…), if it did: the English text (the CLI,
    logs and the audit event read it)."""
    message_data: Mapped[dict[str, Any] | None] = mapped_column()
    """The same message as data (``{"msgid", "params"}``, ``messages.message_json``), which the
    pages render in the reader's language."""
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    """Touched by every progress commit: a running job silent for long was abandoned."""

    campaign: Mapped[Campaign] = relationship()

    @property
    def message_entry(self) -> dict[str, Any]:
        """``message`` and ``message_data`` as one entry for ``web.messages.stored_message_text``."""
        return {"message": self.message, **(self.message_data or {})}

    @property
    def percent(self) -> int:
        if self.total <= 0:
            return 100 if self.state == JOB_FINISHED else 0
        return min(100, (self.done * 100) // self.total)


class BatchChunk(Base):
    """One slice of a batch run as its own RQ job (issue 16): the schools it covers and, once
    its one transaction has committed, its counts. A chunk that is ``finished`` is never run
    again, so a retried RQ job (its worker killed) cannot count or write a school twice."""

    __tablename__ = "batch_chunks"
    __table_args__ = (UniqueConstraint("job_id", "seq", name="uq_batch_chunks_job_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("batch_jobs.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    school_ids: Mapped[list[Any]] = mapped_column(default=list)
    state: Mapped[str] = mapped_column(String(16), default=JOB_QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    """Runs started (committed before the work): more than one means a retry after a crash."""
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


COUNTERSIGN_WAITING, COUNTERSIGN_PREPARED, COUNTERSIGN_SIGNED = "waiting", "prepared", "signed"
COUNTERSIGN_DONE, COUNTERSIGN_REFUSED = "done", "refused"
"""The states of a :class:`CountersignItem`, in order (``refused`` may follow any but ``done``)."""


class CountersignItem(Base):
    """One agreement of a countersign batch run on the RQ workers (issue 16): its signature
    prepared there with the countersigner's certificate alone, its signed attributes signed by
    the key in the web process that took the PIN, the signature completed there again. Holds
    no secret: the prepared PDF (in the store), the digest, what the key signed and its value."""

    __tablename__ = "countersign_items"
    __table_args__ = (UniqueConstraint("job_id", "agreement_id", name="uq_countersign_items_job_agreement"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("batch_jobs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default=COUNTERSIGN_WAITING)
    field: Mapped[str | None] = mapped_column(String(64))
    base_sha256: Mapped[str | None] = mapped_column(String(64))
    """The revision the signature was prepared on."""
    prepared_sha256: Mapped[str | None] = mapped_column(String(64))
    """The prepared PDF (its ``/Contents`` still empty) in the content-addressed store."""
    document_digest: Mapped[bytes | None] = mapped_column(LargeBinary)
    region_start: Mapped[int | None] = mapped_column(Integer)
    region_end: Mapped[int | None] = mapped_column(Integer)
    signed_attributes: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The key's raw signature over ``signed_attributes``."""
    error: Mapped[dict[str, Any] | None] = mapped_column()
    """Why it was refused: the job's error entry (message, msgid, parameters)."""
