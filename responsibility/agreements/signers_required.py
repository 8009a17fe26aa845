"""Who must sign what, and who may sign now (ARCHITECTURE §3 "Order").

The signature fields are the ones the generator put in the PDF (``pdf.signers``): the bureau seal
(certified at issue), the school's party head and principal (one ``sig_school_heads`` field when
one person holds both), then the bureau's party secretary and chief (one ``sig_bureau_heads``
field likewise). Which *person* must sign a field is decided on the signing date, from the post
assignments valid that day: the holder of every post the field names. A field whose posts are
held by different persons that day (the PDF has one field, the school now has two heads) has no
permitted signer: the agreement must be superseded by a new one.

Signed fields come from the agreement's accepted revisions (every revision passed the acceptance
gate, so the database and the file agree).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import BadInput, Forbidden, InvalidState
from ..messages import N_, Message, msg
from ..models import Agreement, Person, PostAssignment, School
from ..models.agreements import (
    AGREEMENT_ARCHIVED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_DRAFT,
    AGREEMENT_KIND_BUREAU,
    AGREEMENT_KIND_SCHOOL,
    AGREEMENT_KIND_WORK,
    AGREEMENT_SUPERSEDED,
    AGREEMENT_VOID,
)
from .bureau_facts import bureau_post_assignments
from .compose import PARTY_INSTRUCTOR_POST, PARTY_SECRETARY_POST, PRINCIPAL_POST, bureau_signers, school_facts
from .storage import PdfStore

__all__ = [
    "ARCHIVE_FIELD",
    "BUREAU_STAGE",
    "FIELD_ROLES",
    "Holders",
    "SCHOOL_STAGE",
    "SEAL_FIELD",
    "RequiredSignature",
    "SigningPlan",
    "authorise",
    "bureau_holders",
    "required_signers",
    "school_holders_of",
    "signature_fields_of",
]

SEAL_FIELD = "sig_bureau_seal"
ARCHIVE_FIELD = "sig_archive_timestamp"
"""The invisible field of the archive document timestamp, added just before certification (a
field added after the certification signature would break it)."""
SCHOOL_STAGE, BUREAU_STAGE = "school", "bureau"

#: Field → (stage, roles). Roles: ``party_head`` (党组织书记, or 党建指导员 at private schools),
#: ``principal`` (校长/园长), ``party_secretary`` (党组书记), ``chief`` (局长).
FIELD_ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "sig_school_heads": (SCHOOL_STAGE, ("party_head", "principal")),
    "sig_school_party_head": (SCHOOL_STAGE, ("party_head",)),
    "sig_school_principal": (SCHOOL_STAGE, ("principal",)),
    "sig_bureau_heads": (BUREAU_STAGE, ("party_secretary", "chief")),
    "sig_bureau_party_secretary": (BUREAU_STAGE, ("party_secretary",)),
    "sig_bureau_chief": (BUREAU_STAGE, ("chief",)),
    # Post agreements of the cascade (岗位安全责任书) and the bureau's internal agreements: the
    # superior signs first (the school stage's place), then the holder (the bureau stage's
    # place); the two parties are named on the row.
    "sig_superior": (SCHOOL_STAGE, ("superior",)),
    "sig_holder": (BUREAU_STAGE, ("holder",)),
}
_STAGES = (SCHOOL_STAGE, BUREAU_STAGE)
_SIGNED_KINDS = ("signed", "countersigned")


@dataclass(frozen=True)
class RequiredSignature:
    """One signature the agreement needs (besides the seal and the archive timestamp)."""

    field: str
    stage: str
    posts: tuple[str, ...]
    """Post titles shown in the appearance, e.g. ``("党组织书记", "校长")``."""
    organisation: str
    person_id: int | None
    """Who must sign on the plan's day (None: nobody holds every post of the field that day)."""
    person_name: str | None
    signed: bool
    signed_by: int | None = None
    signed_at: dt.datetime | None = None
    sha256: str | None = None
    """Hash of the revision that signed it."""


@dataclass(frozen=True)
class SigningPlan:
    agreement_id: int
    state: str
    day: dt.date
    certified: bool
    signatures: tuple[RequiredSignature, ...]
    archive_field: str | None

    @property
    def current_stage(self) -> str | None:
        """``school``, ``bureau``, or None when every signature is there."""
        for stage in _STAGES:
            if any(s.stage == stage and not s.signed for s in self.signatures):
                return stage
        return None

    def of_person(self, person_id: int) -> list[RequiredSignature]:
        return [s for s in self.signatures if s.person_id == person_id]

    def pending_now(self) -> list[RequiredSignature]:
        stage = self.current_stage
        return [s for s in self.signatures if s.stage == stage and not s.signed]

    def stage_complete(self, stage: str) -> bool:
        return all(s.signed for s in self.signatures if s.stage == stage)


_field_cache: dict[str, tuple[tuple[str, bool], ...]] = {}
_FIELD_CACHE_SIZE = 1024


def _read_fields(pdf: bytes) -> tuple[tuple[str, bool], ...]:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return tuple((name, value is not None) for name, value, _ in enumerate_sig_fields(reader))


def signature_fields_of(pdf: bytes, sha256: str = "") -> dict[str, bool]:
    """Signature field name → signed, of a PDF (cached by ``sha256`` when given: stored
    revisions are content-addressed, so the answer never changes)."""
    if not sha256:
        return dict(_read_fields(pdf))
    found = _field_cache.get(sha256)
    if found is None:
        found = _read_fields(pdf)
        if len(_field_cache) >= _FIELD_CACHE_SIZE:
            _field_cache.clear()
        _field_cache[sha256] = found
    return dict(found)


_HEAD_POSTS = (PRINCIPAL_POST, PARTY_SECRETARY_POST, PARTY_INSTRUCTOR_POST)

Holders = dict[str, tuple[str | None, str]]
"""role → (person source id or None, post title)."""


def _school_holders(session: Session, school: School, day: dt.date) -> Holders:
    """role → (person source id or None, post title) at ``school`` on ``day``."""
    return school_holders_of(session, [school], day)[school.id]


def school_holders_of(session: Session, schools: Sequence[School], day: dt.date) -> dict[int, Holders]:
    """:func:`_school_holders` of many schools from one query (a board page of a hundred rows
    asked once per row, which was half of the page's time)."""
    by_school: dict[int, list[PostAssignment]] = {school.id: [] for school in schools}
    if by_school:
        # the heads' posts only (school_facts reads no other), and the campuses school_facts lists
        session.scalars(
            select(School).where(School.id.in_(list(by_school))).options(selectinload(School.campuses))
        ).all()  # loads them into the session (an unread result would load nothing)
        found = session.scalars(
            select(PostAssignment)
            .where(
                PostAssignment.org_id.in_(list(by_school)),
                PostAssignment.post_code.in_(_HEAD_POSTS),
                PostAssignment.held_on(day),
            )
            .options(selectinload(PostAssignment.person), selectinload(PostAssignment.post_type))
            .order_by(PostAssignment.post_code, PostAssignment.source_id, PostAssignment.id)
        ).all()
        for assignment in found:
            by_school[assignment.org_id].append(assignment)
    out = {}
    for school in schools:
        facts = school_facts(school, by_school[school.id])
        out[school.id] = {
            "party_head": (facts.party_head.source_id if facts.party_head else None, facts.party_head_title),
            "principal": (facts.principal.source_id if facts.principal else None, facts.principal_title),
        }
    return out


def bureau_holders(session: Session, day: dt.date) -> tuple[str, Holders]:
    """(bureau name, role → (person source id or None, post title)) on ``day`` (the same for every
    agreement of a board: resolve it once and pass it to :func:`required_signers`)."""
    holders: dict[str, tuple[str | None, str]] = {"party_secretary": (None, "党组书记"), "chief": (None, "局长")}
    try:
        signers = bureau_signers(session, day)
    except BadInput:
        return "", holders
    for spec in signers.fields:
        if spec.field_name == "sig_bureau_heads":
            holders = {"party_secretary": (spec.person_source_id, "党组书记"), "chief": (spec.person_source_id, "局长")}
        elif spec.field_name == "sig_bureau_party_secretary":
            holders["party_secretary"] = (spec.person_source_id, "党组书记")
        elif spec.field_name == "sig_bureau_chief":
            holders["chief"] = (spec.person_source_id, "局长")
    return signers.bureau_name, holders


def _post_parties(session: Session, agreement: Agreement, day: dt.date) -> dict[str, tuple[str | None, str]]:
    """role → (person source id, post title) of a post or bureau agreement: the two persons it
    names (such an agreement binds persons, not posts: a new holder gets a new agreement). Titles
    are the posts held on ``day`` at the school, or at the bureau and its sections."""
    out: dict[str, tuple[str | None, str]] = {}
    for role, person_id in (("superior", agreement.superior_person_id), ("holder", agreement.holder_person_id)):
        person = session.get(Person, person_id) if person_id is not None else None
        if person is None:
            title = ""
        elif agreement.kind == AGREEMENT_KIND_BUREAU:
            held = bureau_post_assignments(session, [person.id], day)
            title = "、".join(dict.fromkeys(pa.post_name for pa in held if pa.post_name)) or "责任人"
        else:
            title = _title_at(session, person, agreement.school_id, day)
        out[role] = (person.source_id if person else None, title)
    return out


def _title_at(session: Session, person: Person, school_id: int, day: dt.date) -> str:
    held = session.scalars(
        select(PostAssignment)
        .where(
            PostAssignment.person_id == person.id,
            PostAssignment.org_id == school_id,
            PostAssignment.held_on(day),
        )
        .options(selectinload(PostAssignment.post_type))
        .order_by(PostAssignment.post_code)
    ).all()
    return "、".join(dict.fromkeys(pa.post_name for pa in held if pa.post_name)) or "网格长"


def required_signers(
    session: Session,
    agreement: Agreement,
    day: dt.date,
    *,
    store: PdfStore | None = None,
    pdf: bytes | None = None,
    bureau: tuple[str, Holders] | None = None,
    school_holders: Holders | None = None,
) -> SigningPlan:
    """The signatures ``agreement`` needs, each with the person who must make it on ``day``.

    The field set is read from the current revision: ``pdf`` when the caller holds its bytes,
    else from ``store`` (cached per revision hash, so a board of a hundred agreements reads each
    file once per process). ``bureau`` (:func:`bureau_holders`) and ``school_holders``
    (:func:`school_holders_of`) may be passed in, resolved once for many agreements on ``day``."""
    if pdf is None:
        if store is None:
            raise BadInput("required_signers needs the current PDF or the PDF store")
        if agreement.pdf_sha256 in _field_cache:
            fields = dict(_field_cache[agreement.pdf_sha256])
        else:
            fields = signature_fields_of(store.read(agreement.pdf_sha256), agreement.pdf_sha256)
    else:
        fields = signature_fields_of(pdf, agreement.pdf_sha256)
    school = agreement.organization
    if agreement.kind == AGREEMENT_KIND_WORK:  # a work document: any of the heads, and an inspector
        bureau_name, bureau_roles = bureau_holders(session, day)
        school_roles = _school_holders(session, agreement.school, day) if agreement.school is not None else {}
        roles = {**bureau_roles, **school_roles, **_post_parties(session, agreement, day)}
    elif agreement.kind != AGREEMENT_KIND_SCHOOL:  # a post or bureau agreement, or a successor's confirmation
        bureau_name, roles = school.name, _post_parties(session, agreement, day)
    else:
        school_roles = school_holders if school_holders is not None else _school_holders(session, agreement.school, day)
        bureau_name, bureau_roles = bureau if bureau is not None else bureau_holders(session, day)
        roles = {**school_roles, **bureau_roles}
    wanted = {sid for sid, _ in roles.values() if sid}
    persons = (
        {p.source_id: p for p in session.scalars(select(Person).where(Person.source_id.in_(wanted))).all()}
        if wanted
        else {}
    )
    done = {r.field_name: r for r in agreement.revisions if r.kind in _SIGNED_KINDS and r.field_name}
    signatures = []
    for name in fields:
        if name not in FIELD_ROLES:
            continue
        stage, field_roles = FIELD_ROLES[name]
        holders = {roles[role][0] for role in field_roles}
        only = next(iter(holders)) if len(holders) == 1 else None
        person = persons.get(only) if only is not None else None
        revision = done.get(name)
        signatures.append(
            RequiredSignature(
                field=name,
                stage=stage,
                posts=tuple(roles[role][1] for role in field_roles),
                organisation=school.name
                if stage == SCHOOL_STAGE
                else (bureau_name or agreement.campaign.parameters.get("bureau", "")),
                person_id=person.id if person else None,
                person_name=person.name if person else None,
                signed=revision is not None,
                signed_by=revision.signer_person_id if revision else None,
                signed_at=revision.created_at if revision else None,
                sha256=revision.sha256 if revision else None,
            )
        )
    certified = any(r.kind == "certified" for r in agreement.revisions) and fields.get(SEAL_FIELD, False)
    return SigningPlan(
        agreement_id=agreement.id,
        state=agreement.state,
        day=day,
        certified=bool(certified),
        signatures=tuple(signatures),
        archive_field=ARCHIVE_FIELD if ARCHIVE_FIELD in fields else None,
    )


_CLOSED = {
    AGREEMENT_DRAFT: N_("The agreement is a draft, not issued yet: it cannot be signed."),
    AGREEMENT_VOID: N_("The agreement is void: it cannot be signed."),
    AGREEMENT_SUPERSEDED: N_("The agreement was superseded by a new version: it cannot be signed."),
    AGREEMENT_COUNTERSIGNED: N_("The agreement is already countersigned."),
    AGREEMENT_ARCHIVED: N_("The agreement is completely signed and archived."),
}


def _refusal(document_number: str, reason: Message) -> Message:
    """``reason`` prefixed by the document number (when known): the one-line refusal."""
    return msg(N_("%(number)s: %(reason)s"), number=document_number, reason=reason) if document_number else reason


def authorise(plan: SigningPlan, person: Person, document_number: str = "") -> list[RequiredSignature]:
    """The fields ``person`` must sign now, or the refusal.

    Order of the checks: a closed state (draft, void, superseded, complete) → ``InvalidState``;
    not certified at issue → ``InvalidState``; ``person`` holds no post the agreement needs on the
    plan's day → ``Forbidden``; already signed → ``InvalidState``; their turn has not come
    (bureau before the school) → ``InvalidState``.
    """
    number = document_number
    if plan.state in _CLOSED:
        raise InvalidState(_refusal(number, msg(_CLOSED[plan.state])))
    if not plan.certified:
        raise InvalidState(
            _refusal(
                number,
                msg(N_("The agreement was issued without the bureau seal's certification: it cannot be signed.")),
            )
        )
    mine = plan.of_person(person.id)
    if not mine:
        reason = msg(
            N_("%(name)s does not hold a post that must sign this agreement on %(day)s."),
            name=person.name,
            day=plan.day.isoformat(),
        )
        raise Forbidden(_refusal(number, reason))
    unsigned = [s for s in mine if not s.signed]
    if not unsigned:
        raise InvalidState(_refusal(number, msg(N_("%(name)s has already signed this agreement."), name=person.name)))
    now = [s for s in unsigned if s.stage == plan.current_stage]
    if not now:
        raise InvalidState(_refusal(number, msg(N_("The bureau countersigns after the school has signed."))))
    return now
