"""Which agreement binds each link of a trace: one function per kind of link.

- **school heads and the chief** (:func:`bind_school_head`): the school agreement of the
  campaign, through the signature field their role answers for;
- **grid owners** (:func:`bind_grid_owner`): the post agreement of the cascade that names *that
  grid* (``AgreementBinding`` role ``grid_owner``) with the owner as its holder — not any
  agreement the person holds; a school head owning the level-1 grid answers through the school
  agreement they signed;
- **the safety deputy and other post holders** (:func:`bind_post_holder`): their post agreements;
- **the bureau side** (:func:`bind_bureau_link`): the bureau agreement naming the link's role and
  school (liaison, section chief, bureau leader) or the role alone (deputy in charge), with the
  link's person as its holder; a bureau-leader link held by the chief himself answers through the
  school agreement he countersigned.

:func:`load_bound` fetches everything a trace needs in a fixed number of statements (the school
agreements with revisions, the persons, the post agreements, the grid and bureau bindings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import Agreement, AgreementBinding, Campaign, Grid, Organization, Person
from ..models.agreements import AGREEMENT_KIND_BUREAU, AGREEMENT_KIND_POST, AGREEMENT_KIND_SCHOOL
from .subjects import ChainLink, Role
from .trace_links import (
    DEAD,
    INVALID,
    LIVE,
    MISSING,
    NOTE_BUREAU_SIDE,
    NOTE_CASCADE,
    NOTE_CHIEF_OVERSEES,
    NOTE_DRAFT,
    NOTE_NO_AGREEMENT,
    NOTE_SCHOOL_HEAD,
    NOTE_VACANT,
    PENDING,
    SIGNED,
    SIGNED_KINDS,
    TraceLink,
    best_of,
)

__all__ = [
    "BUREAU_ROLES",
    "CASCADE_ROLES",
    "FIELDS_OF_ROLE",
    "Bound",
    "bind_bureau_link",
    "bind_grid_owner",
    "bind_post_holder",
    "bind_school_head",
    "load_bound",
]

#: Signature fields of the school agreement each chain role answers for (either field fills it).
FIELDS_OF_ROLE: dict[str, tuple[str, ...]] = {
    Role.PRINCIPAL.value: ("sig_school_principal", "sig_school_heads"),
    Role.SCHOOL_PARTY_SECRETARY.value: ("sig_school_party_head", "sig_school_heads"),
    Role.PARTY_INSTRUCTOR.value: ("sig_school_party_head", "sig_school_heads"),
    Role.BUREAU_CHIEF.value: ("sig_bureau_chief", "sig_bureau_heads"),
}
CASCADE_ROLES = (Role.GRID_OWNER.value, Role.SAFETY_DEPUTY.value, Role.POST_HOLDER.value)
BUREAU_ROLES = (Role.LIAISON.value, Role.SECTION_CHIEF.value, Role.BUREAU_LEADER.value, Role.DEPUTY_IN_CHARGE.value)


@dataclass
class Bound:
    """What :func:`load_bound` fetched for one trace."""

    schools: dict[str, Agreement | None] = field(default_factory=dict)
    """School source id → its agreement in the campaign (with revisions), in chain order."""
    persons: dict[str, int] = field(default_factory=dict)
    """Source id → database id of the persons on the links."""
    posts: dict[int, list[Agreement]] = field(default_factory=dict)
    """Holder's database id → their post agreements (oldest first)."""
    grids: dict[tuple[str, int], list[Agreement]] = field(default_factory=dict)
    """(grid source id, holder's database id) → post agreements naming that grid."""
    bureau: dict[tuple[str, str | None, int], list[Agreement]] = field(default_factory=dict)
    """(chain role, school source id or None, holder's database id) → bureau agreements."""
    bureau_any: dict[tuple[str, int], list[Agreement]] = field(default_factory=dict)
    """(chain role, holder's database id) → bureau agreements naming the role for any school."""

    def person(self, link: ChainLink) -> int | None:
        return self.persons.get(link.person_id or "")


# --- one function per kind of link --------------------------------------------------------------


def bind_school_head(link: ChainLink, agreement: Agreement | None, person_db_id: int | None) -> TraceLink:
    """A school head's or the chief's link: their field of the school agreement."""
    if agreement is None:
        return TraceLink(link, None, None, MISSING, NOTE_NO_AGREEMENT)
    number, db_id = agreement.document_number, agreement.id
    if agreement.state in DEAD:
        return TraceLink(link, number, db_id, INVALID, f"the agreement is {agreement.state}")
    if agreement.state not in LIVE:
        return TraceLink(link, number, db_id, MISSING, NOTE_DRAFT)
    fields = FIELDS_OF_ROLE.get(link.role, FIELDS_OF_ROLE[Role.BUREAU_CHIEF.value])
    signed = person_db_id is not None and any(
        r.kind in SIGNED_KINDS and r.field_name in fields and r.signer_person_id == person_db_id
        for r in agreement.revisions
    )
    if signed:
        return TraceLink(link, number, db_id, SIGNED)
    return TraceLink(link, number, db_id, PENDING, NOTE_VACANT if link.person_id is None else None)


def bind_grid_owner(link: ChainLink, bound: Bound) -> TraceLink:
    """A grid owner's link: the post agreement naming that grid, held by the owner."""
    person = bound.person(link)
    if link.person_id is None or person is None:
        return TraceLink(link, None, None, MISSING, NOTE_VACANT)
    result = best_of(link, bound.grids.get((link.grid_source_id or "", person), []), AGREEMENT_KIND_POST, NOTE_CASCADE)
    head = bound.schools.get(link.org_source_id or "")
    if result.agreement_state == MISSING and head is not None and _signed_by(head, person):
        # A school head owning a grid (the level-1 grid, say) answers through the school
        # agreement they signed; they have no superior inside the school.
        return TraceLink(link, head.document_number, head.id, SIGNED, NOTE_SCHOOL_HEAD)
    return result


def bind_post_holder(link: ChainLink, bound: Bound) -> TraceLink:
    """The safety deputy's or another post holder's link: their post agreements."""
    person = bound.person(link)
    if link.person_id is None or person is None:
        return TraceLink(link, None, None, MISSING, NOTE_VACANT)
    return best_of(link, bound.posts.get(person, []), AGREEMENT_KIND_POST, NOTE_CASCADE)


def bind_bureau_link(link: ChainLink, bound: Bound, school_sid: str | None, chief: TraceLink | None) -> TraceLink:
    """A liaison's, section chief's, bureau leader's or the deputy's link: the bureau agreement
    naming the role (and ``school_sid``, the school whose chain this is, when there is one)."""
    person = bound.person(link)
    if link.person_id is None or person is None:
        return TraceLink(link, None, None, MISSING, NOTE_VACANT)
    if chief is not None and link.role == Role.BUREAU_LEADER.value and chief.link.person_id == link.person_id:
        return TraceLink(link, chief.agreement_id, chief.agreement_db_id, chief.agreement_state, NOTE_CHIEF_OVERSEES)
    if link.role == Role.DEPUTY_IN_CHARGE.value or school_sid is None:
        found = bound.bureau.get((link.role, None, person)) or bound.bureau_any.get((link.role, person), [])
    else:
        found = bound.bureau.get((link.role, school_sid, person), [])
    return best_of(link, found, AGREEMENT_KIND_BUREAU, NOTE_BUREAU_SIDE)


def _signed_by(agreement: Agreement, person_db_id: int) -> bool:
    return agreement.state in LIVE and any(
        r.kind == "signed" and r.signer_person_id == person_db_id for r in agreement.revisions
    )


# --- loading ------------------------------------------------------------------------------------


def load_bound(session: Session, campaign: Campaign | None, links: Sequence[ChainLink]) -> Bound:
    """Everything the binding functions read for ``links`` in ``campaign`` (empty without one)."""
    bound = Bound(persons=_person_ids(session, links))
    if campaign is None:
        return bound
    bound.schools = _school_agreements(session, campaign, links)
    ids = set(bound.persons.values())
    if not ids:
        return bound
    for row in session.scalars(
        select(Agreement)
        .where(
            Agreement.campaign_id == campaign.id,
            Agreement.kind == AGREEMENT_KIND_POST,
            Agreement.holder_person_id.in_(ids),
        )
        .order_by(Agreement.id)
    ).all():
        bound.posts.setdefault(row.holder_person_id or 0, []).append(row)
    grid_sids = {link.grid_source_id for link in links if link.grid_source_id}
    if grid_sids:
        rows = session.execute(
            select(Grid.source_id, Agreement)
            .join(AgreementBinding, AgreementBinding.agreement_id == Agreement.id)
            .join(Grid, Grid.id == AgreementBinding.grid_id)
            .where(
                Agreement.campaign_id == campaign.id,
                AgreementBinding.role == Role.GRID_OWNER.value,
                Grid.source_id.in_(grid_sids),
                Agreement.holder_person_id.in_(ids),
            )
            .order_by(Agreement.id)
        ).all()
        for grid_sid, agreement in rows:
            bound.grids.setdefault((grid_sid, agreement.holder_person_id or 0), []).append(agreement)
    _bureau_bindings(session, campaign, ids, bound)
    return bound


def _bureau_bindings(session: Session, campaign: Campaign, ids: set[int], bound: Bound) -> None:
    rows = session.execute(
        select(AgreementBinding.role, Organization.source_id, Agreement)
        .join(Agreement, Agreement.id == AgreementBinding.agreement_id)
        .outerjoin(Organization, Organization.id == AgreementBinding.school_id)
        .where(
            Agreement.campaign_id == campaign.id,
            Agreement.kind == AGREEMENT_KIND_BUREAU,
            AgreementBinding.role.in_(BUREAU_ROLES),
            Agreement.holder_person_id.in_(ids),
        )
        .order_by(Agreement.id)
    ).all()
    for role, school_sid, agreement in rows:
        holder = agreement.holder_person_id or 0
        bound.bureau.setdefault((role, school_sid, holder), []).append(agreement)
        found = bound.bureau_any.setdefault((role, holder), [])
        if agreement not in found:
            found.append(agreement)


def _school_agreements(session: Session, campaign: Campaign, links: Sequence[ChainLink]) -> dict[str, Agreement | None]:
    school_sids = list(
        dict.fromkeys(
            link.org_source_id
            for link in links
            if link.org_source_id and link.role in FIELDS_OF_ROLE and link.role != Role.BUREAU_CHIEF.value
        )
    )
    rows = session.execute(
        select(Organization.source_id, Agreement)
        .join(Agreement, Agreement.school_id == Organization.id)
        .where(
            Agreement.campaign_id == campaign.id,
            Agreement.kind == AGREEMENT_KIND_SCHOOL,
            Organization.source_id.in_(school_sids),
        )
        .options(selectinload(Agreement.revisions))
    ).all()
    found = {sid: agreement for sid, agreement in rows}
    return {sid: found.get(sid) for sid in school_sids}


def _person_ids(session: Session, links: Sequence[ChainLink]) -> dict[str, int]:
    wanted = {link.person_id for link in links if link.person_id}
    if not wanted:
        return {}
    rows = session.execute(select(Person.source_id, Person.id).where(Person.source_id.in_(wanted))).all()
    return {sid: pid for sid, pid in rows}
