"""The signing workflow: certification at issue, each signature, the countersignatures and the
archive timestamp — every new revision through the acceptance gate before it is stored.

Order (ARCHITECTURE §3): the bureau seal certifies at issue (DocMDP P2 + FieldMDP locks); the
school's party head and principal sign in either order (``issued → school_signed`` after the
last of them); the bureau's party secretary and chief countersign (``→ countersigned``); in the
same transaction the archive document timestamp makes it PAdES B-LTA (``→ archived``).

Each new revision is made and checked with ``verify.check_revision`` (against the previous bytes,
with the signer's pinned certificate) on top of the latest accepted revision; then the agreement
is claimed (a row update taken first: SQLite's writer lock, a row lock on PostgreSQL) and, only
if no other revision was stored meanwhile (else the whole unit runs again), written to the
content-addressed store and recorded as an ``AgreementRevision`` in the caller's transaction. A
crash before the commit leaves the agreement on its previous revision
(that file is untouched); the new file is an unreferenced orphan.

Services here never commit; entry points (view, command, job) run them through
``jobs.transactions.commit_with_retry``, which commits and retries on :class:`RevisionConflict`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from sqlalchemy.orm import Session

from ..audit import append_event
from ..models import Agreement, AgreementRevision, Person
from ..models.agreements import (
    AGREEMENT_ARCHIVED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_ISSUED,
    AGREEMENT_KIND_SCHOOL,
    AGREEMENT_KIND_WORK,
    AGREEMENT_SCHOOL_SIGNED,
)
from ..pki.enrolment import UnlockedKey
from ..signing import Appearance, KeySigner, add_document_timestamp, sign
from ..verify.acceptance import check_revision
from .agreement_lock import claim_agreement, read_agreement
from .certification import signature_location
from .errors import RevisionConflict
from .notices import agreement_advanced
from .signers_required import (
    ARCHIVE_FIELD,
    BUREAU_STAGE,
    SCHOOL_STAGE,
    RequiredSignature,
    SigningPlan,
    authorise,
    required_signers,
)
from .signing_env import SigningEnvironment
from .signing_window import check_signing_window
from .states import transition

__all__ = [
    "REASON_BUREAU",
    "REASON_SCHOOL",
    "RevisionConflict",
    "SignOutcome",
    "SignedRevision",
    "SigningTurn",
    "accept_revision",
    "advance",
    "begin_signing",
    "gate",
    "sign_agreement",
    "signature_appearance",
    "signature_reason",
    "store_signatures",
]

REASON_SCHOOL = "同意并签署本责任书"
REASON_BUREAU = "会签"
REASON_WORK = "签署并确认本文书"
"""The reason of every signature on a work document (考核结果、问责决定、排查结果)."""
_KIND_OF_STAGE = {SCHOOL_STAGE: "signed", BUREAU_STAGE: "countersigned"}
_EVENT_OF_STAGE = {SCHOOL_STAGE: "agreement.signed", BUREAU_STAGE: "agreement.countersigned"}


@dataclass(frozen=True)
class SignedRevision:
    """One revision this call added."""

    seq: int
    kind: str
    field: str
    sha256: str
    size: int


@dataclass(frozen=True)
class SignOutcome:
    agreement_id: int
    document_number: str
    state: str
    revisions: tuple[SignedRevision, ...]

    @property
    def sha256(self) -> str:
        """Hash of the agreement's newest revision after this call."""
        return self.revisions[-1].sha256


# --- the lock and the gate ----------------------------------------------------------------------


def gate(
    env: SigningEnvironment,
    previous: bytes,
    candidate: bytes,
    expected_fields: set[str],
    signer_certificate: x509.Certificate | None,
) -> str:
    """The acceptance gate; returns the one field the candidate signed."""
    report = check_revision(
        previous,
        candidate,
        expected_fields=expected_fields,
        trust_roots=env.trust_roots,
        crls=env.crls,
        signer_certificate=signer_certificate,
        max_bytes=env.max_bytes,
    )
    report.raise_if_rejected()
    return next(iter(report.new_fields))


def _record(
    session: Session, env: SigningEnvironment, agreement: Agreement, candidate: bytes, *, kind: str, field: str,
    signer: Person | None,
) -> SignedRevision:  # fmt: skip
    """Store ``candidate`` (content-addressed, durable) and record it as the agreement's newest
    revision (flushed, not committed): the file exists before any row can point at it."""
    sha, _ = env.store.put(candidate)
    seq = max((r.seq for r in agreement.revisions), default=0) + 1
    agreement.revisions.append(
        AgreementRevision(
            seq=seq, sha256=sha, size=len(candidate), kind=kind, field_name=field,
            signer_person_id=signer.id if signer is not None else None,
        )
    )  # fmt: skip
    agreement.pdf_sha256, agreement.pdf_size = sha, len(candidate)
    session.flush()
    return SignedRevision(seq, kind, field, sha, len(candidate))


def accept_revision(
    session: Session,
    env: SigningEnvironment,
    agreement: Agreement,
    previous: bytes,
    candidate: bytes,
    *,
    expected_fields: set[str],
    signer_certificate: x509.Certificate | None,
    kind: str,
    field: str | None,
    signer: Person | None,
) -> SignedRevision:
    """Check ``candidate`` as the next revision, store it, record it (flushed, not committed).

    ``previous`` must be the agreement's current revision (hold :func:`claim_agreement`);
    ``field`` None takes the one field the candidate signed (an upload). Raises
    ``SignatureRejected`` with every reason when the gate refuses; nothing is stored then."""
    signed_field = gate(env, previous, candidate, expected_fields, signer_certificate)
    return _record(session, env, agreement, candidate, kind=kind, field=field or signed_field, signer=signer)


def _serial(certificate: x509.Certificate) -> str:
    return format(certificate.serial_number, "x")


# --- signatures ---------------------------------------------------------------------------------


def _archive(env: SigningEnvironment, plan: SigningPlan, pdf: bytes) -> tuple[str, bytes]:
    field = plan.archive_field or ARCHIVE_FIELD
    stamped = add_document_timestamp(
        pdf, timestamper=env.timestamper, validation_context=env.context, field=plan.archive_field, witness=env.witness
    )
    gate(env, pdf, stamped, {field}, None)
    return field, stamped


def _transition_and_archive(
    session: Session,
    env: SigningEnvironment,
    agreement: Agreement,
    *,
    school_done: bool,
    bureau_done: bool,
    archive: tuple[str, bytes] | None,
    actor: str,
) -> list[SignedRevision]:
    added = []
    if agreement.state == AGREEMENT_ISSUED and school_done:
        transition(agreement, AGREEMENT_SCHOOL_SIGNED)
    if agreement.state == AGREEMENT_SCHOOL_SIGNED and bureau_done and archive is not None:
        transition(agreement, AGREEMENT_COUNTERSIGNED)
        field, stamped = archive
        revision = _record(session, env, agreement, stamped, kind="timestamped", field=field, signer=None)
        transition(agreement, AGREEMENT_ARCHIVED)
        append_event(
            session,
            actor=actor,
            action="agreement.archived",
            subject=f"agreement:{agreement.id}",
            data={"document_number": agreement.document_number, "seq": revision.seq, "sha256": revision.sha256},
        )
        added.append(revision)
    session.flush()
    return added


def advance(
    session: Session, env: SigningEnvironment, agreement: Agreement, plan: SigningPlan, pdf: bytes, actor: str
) -> list[SignedRevision]:
    """Move the state along after signatures already recorded (``plan`` as after them; the caller
    holds the lock); after the last countersignature add the archive document timestamp in the
    same transaction, so a TSA failure stores nothing."""
    school_done, bureau_done = plan.stage_complete(SCHOOL_STAGE), plan.stage_complete(BUREAU_STAGE)
    archive = _archive(env, plan, pdf) if school_done and bureau_done else None
    return _transition_and_archive(
        session, env, agreement, school_done=school_done, bureau_done=bureau_done, archive=archive, actor=actor
    )


def signature_appearance(env: SigningEnvironment, person: Person, required: RequiredSignature) -> Appearance:
    """The visible signature of ``person`` in ``required``'s field: name, posts, organisation."""
    return Appearance(name=person.name, posts=required.posts, organisation=required.organisation, font=env.font)


def signature_reason(agreement: Agreement, required: RequiredSignature) -> str:
    if agreement.kind == AGREEMENT_KIND_WORK:
        return REASON_WORK
    return REASON_SCHOOL if required.stage == SCHOOL_STAGE or agreement.kind != AGREEMENT_KIND_SCHOOL else REASON_BUREAU


def _make_signatures(
    env: SigningEnvironment,
    agreement: Agreement,
    pdf: bytes,
    todo: list[RequiredSignature],
    person: Person,
    unlocked: UnlockedKey,
) -> tuple[list[tuple[RequiredSignature, bytes]], bytes]:
    """Sign each field of ``todo`` on top of the previous one, each through the acceptance gate;
    returns the signed revisions (nothing stored yet) and the newest bytes."""
    signer = KeySigner(unlocked.certificate, unlocked.key, unlocked.chain)
    location = signature_location(agreement, env)
    made: list[tuple[RequiredSignature, bytes]] = []
    for required in todo:
        signed = sign(
            pdf,
            field=required.field,
            signer=signer,
            timestamper=env.timestamper,
            validation_context=env.context,
            appearance=signature_appearance(env, person, required),
            reason=signature_reason(agreement, required),
            location=location,
            witness=env.witness,
        )
        gate(env, pdf, signed, {required.field}, unlocked.certificate)
        made.append((required, signed))
        pdf = signed
    return made, pdf


def _record_signatures(
    session: Session,
    env: SigningEnvironment,
    agreement: Agreement,
    made: list[tuple[RequiredSignature, bytes]],
    person: Person,
    certificate: x509.Certificate,
    *,
    actor: str,
) -> list[SignedRevision]:
    """Store and record the signed revisions (the caller holds the lock), one event each."""
    added: list[SignedRevision] = []
    for required, signed in made:
        revision = _record(
            session, env, agreement, signed, kind=_KIND_OF_STAGE[required.stage], field=required.field, signer=person
        )
        append_event(
            session,
            actor=actor,
            action=_EVENT_OF_STAGE[required.stage],
            subject=f"agreement:{agreement.id}",
            data={
                "document_number": agreement.document_number,
                "field": required.field,
                "person": person.source_id,
                "posts": list(required.posts),
                "certificate_serial": _serial(certificate),
                "seq": revision.seq,
                "sha256": revision.sha256,
            },
        )
        added.append(revision)
    return added


def sign_agreement(
    session: Session,
    env: SigningEnvironment,
    agreement_id: int,
    person: Person,
    unlocked: UnlockedKey,
    *,
    day: dt.date,
    actor: str,
) -> SignOutcome:
    """``person`` signs every field of ``agreement_id`` that is theirs to sign now, with the key
    ``unlocked`` (their enrolled one: see ``jobs.transactions.unlock_and_commit``).

    The signatures (and, after the last countersignature, the archive timestamp) are made and
    checked on the current revision without holding a lock; then the agreement is claimed, and
    if another revision was stored meanwhile :class:`RevisionConflict` makes
    ``jobs.transactions.commit_with_retry`` run it all again on top of that one. So signers of different
    agreements work in parallel and two signers of one agreement never lose a signature.

    Refusals (nothing stored): ``Forbidden`` (not the holder of a required post on ``day``, a
    revoked certificate), ``InvalidState`` (draft, void, superseded, complete, signed already,
    bureau before the school; ``OutsideSigningWindow`` on a day after the campaign's term plus
    the grace, ``agreements.signing_window``), ``TimestampUnavailable``, ``SignatureRejected``. Writes
    ``agreement.signed`` / ``agreement.countersigned`` per signature and ``agreement.archived``
    after the archive timestamp, and notifies the next signers or, once complete, everyone
    (``agreements.notices``). The caller commits.
    """
    turn = begin_signing(session, env, agreement_id, person, day=day)
    made, pdf = _make_signatures(env, turn.agreement, turn.pdf, list(turn.todo), person, unlocked)
    return store_signatures(session, env, turn, made, pdf, person, unlocked.certificate, day=day, actor=actor)


@dataclass(frozen=True)
class SigningTurn:
    """What ``person`` is to sign on an agreement now, read (without a lock) from its current revision."""

    agreement: Agreement
    base: str
    """SHA-256 of the revision signed on: the signatures are stored only if it is still the newest."""
    pdf: bytes
    plan: SigningPlan
    todo: tuple[RequiredSignature, ...]
    """The fields ``person`` signs now, in order."""


def begin_signing(
    session: Session, env: SigningEnvironment, agreement_id: int, person: Person, *, day: dt.date
) -> SigningTurn:
    """The refusals of :func:`sign_agreement` before anything is signed (its docstring lists them)."""
    agreement = read_agreement(session, agreement_id)
    pdf = env.store.read(agreement.pdf_sha256)
    plan = required_signers(session, agreement, day, pdf=pdf)
    todo = authorise(plan, person, agreement.document_number)
    check_signing_window(agreement, day, grace_days=env.grace_days, zone_name=env.zone)
    return SigningTurn(agreement, agreement.pdf_sha256, pdf, plan, tuple(todo))


def store_signatures(
    session: Session,
    env: SigningEnvironment,
    turn: SigningTurn,
    made: list[tuple[RequiredSignature, bytes]],
    pdf: bytes,
    person: Person,
    certificate: x509.Certificate,
    *,
    day: dt.date,
    actor: str,
) -> SignOutcome:
    """Record the signed revisions ``made`` on ``turn`` (each through the gate already; ``pdf``
    the newest), after the last countersignature with the archive timestamp; then claim the
    agreement and raise :class:`RevisionConflict` if another revision was stored since ``turn``
    was read. Notifies the next signers or everyone (the caller commits)."""
    plan = turn.plan
    now_signed = {s.field for s in plan.signatures if s.signed} | {r.field for r in turn.todo}
    school_done = all(s.field in now_signed for s in plan.signatures if s.stage == SCHOOL_STAGE)
    bureau_done = all(s.field in now_signed for s in plan.signatures if s.stage == BUREAU_STAGE)
    archive = _archive(env, plan, pdf) if school_done and bureau_done else None

    agreement = claim_agreement(session, turn.agreement.id)
    if agreement.pdf_sha256 != turn.base:
        raise RevisionConflict(f"{agreement.document_number}: another signature was stored meanwhile")
    added = _record_signatures(session, env, agreement, made, person, certificate, actor=actor)
    added += _transition_and_archive(
        session, env, agreement, school_done=school_done, bureau_done=bureau_done, archive=archive, actor=actor
    )
    agreement_advanced(session, agreement, day, env.store)
    return SignOutcome(agreement.id, agreement.document_number, agreement.state, tuple(added))
