"""``trace``: the chain of :func:`chain_at` with, on every link, the agreement that binds it.

Why a second layer: ``chain_at`` answers *who* held each post on the day (one statement); an
auditor also needs to know whether that person *signed* for it. Today only the school agreement
of a campaign exists (school heads ↔ bureau heads), so:

- the school's principal and party head, and the bureau chief, are bound by the school agreement
  of the campaign (default: the latest campaign whose term covers the day). State ``signed`` when
  a signature revision of a field they answer for was made by them, ``pending`` when the agreement
  is live and still awaits them (a new holder after a mid-season change stays pending until they
  sign), ``invalid`` when it is void or superseded, ``missing`` when there is none (or it is still
  a draft);
- grid owners, the safety deputy and other post holders of the school are bound by their post
  agreements of the cascade (``agreements.cascade``: kind ``post``, the link's person as holder,
  in the same campaign): ``signed`` when one of them is complete (superior and holder signed),
  ``pending`` when one is live and still awaits a signature, ``invalid`` when the only ones are
  void or superseded, ``missing`` when none was issued (the cascade was not issued, or the person
  took the post after it: issuing it again adds theirs). A post agreement binds a person, so
  after a mid-season change the new holder is pending until they sign while a day before the
  change still shows the old holder's signed agreement;
- the bureau-side links (liaison, section chief, bureau leader, deputy in charge) are
  ``missing``: no agreement binds them yet. The note says so; nothing is faked.

Four extra statements per trace at most (campaign, agreements with their revisions, post
agreements, persons).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..messages import N_
from ..models import Agreement, Campaign, Organization, Person
from ..models.agreements import (
    AGREEMENT_ARCHIVED,
    AGREEMENT_COUNTERSIGNED,
    AGREEMENT_ISSUED,
    AGREEMENT_KIND_POST,
    AGREEMENT_KIND_SCHOOL,
    AGREEMENT_SCHOOL_SIGNED,
    AGREEMENT_SUPERSEDED,
    AGREEMENT_VOID,
)
from .errors import CampaignNotFound
from .query import chain_at
from .subjects import ChainLink, ChainSubject, Role

__all__ = [
    "AGREEMENT_STATES",
    "SIGNED",
    "PENDING",
    "MISSING",
    "INVALID",
    "Trace",
    "TraceLink",
    "campaign_for_day",
    "trace",
]

SIGNED, PENDING, MISSING, INVALID = "signed", "pending", "missing", "invalid"
AGREEMENT_STATES = (SIGNED, PENDING, MISSING, INVALID)

#: Signature fields of the school agreement each chain role answers for (either field fills it).
FIELDS_OF_ROLE: dict[str, tuple[str, ...]] = {
    Role.PRINCIPAL.value: ("sig_school_principal", "sig_school_heads"),
    Role.SCHOOL_PARTY_SECRETARY.value: ("sig_school_party_head", "sig_school_heads"),
    Role.PARTY_INSTRUCTOR.value: ("sig_school_party_head", "sig_school_heads"),
    Role.BUREAU_CHIEF.value: ("sig_bureau_chief", "sig_bureau_heads"),
}
_LIVE = {AGREEMENT_ISSUED, AGREEMENT_SCHOOL_SIGNED, AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED}
_DEAD = {AGREEMENT_VOID, AGREEMENT_SUPERSEDED}
_COMPLETE = {AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED}
_SIGNED_KINDS = ("signed", "countersigned")

NOTE_CASCADE = N_("no post agreement issued to this person (issue the cascade)")
NOTE_SCHOOL_HEAD = N_("bound by the school agreement this school head signed")
NOTE_BUREAU_SIDE = N_("no agreement binds this bureau-side link yet")
CASCADE_ROLES = (Role.GRID_OWNER.value, Role.SAFETY_DEPUTY.value, Role.POST_HOLDER.value)
NOTE_NOT_PARTY = N_("not a party to the school agreement; post agreement not built yet")
NOTE_NO_CAMPAIGN = N_("no campaign covers the day")
NOTE_NO_AGREEMENT = N_("the school has no agreement in the campaign")
NOTE_DRAFT = N_("the agreement is still a draft (not issued)")
NOTE_VACANT = N_("nobody holds the post on the day")
#: Notes of a link whose (school / post) agreement is dead, per state; msgids like the notes above.
NOTE_DEAD = {"void": N_("the agreement is void"), "superseded": N_("the agreement has been superseded")}
NOTE_DEAD_POST = {"void": N_("the post agreement is void"), "superseded": N_("the post agreement has been superseded")}


@dataclass(frozen=True)
class TraceLink:
    """A chain link plus the agreement binding it (``agreement_id`` is its document number)."""

    link: ChainLink
    agreement_id: str | None
    agreement_db_id: int | None
    agreement_state: str
    note: str | None = None
    agreement_kind: str | None = None
    """``post`` when a post agreement of the cascade binds the link (pages link it differently)."""

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one link of ``flask chain trace --json``."""
        link = self.link
        post = link.post_name or link.post_code
        if link.role == Role.GRID_OWNER.value and link.grid_source_id:
            post = f"{link.grid_name or ''} ({link.grid_source_id})".strip()
        return {
            "role": link.role,
            "person_id": link.person_id,
            "person_name": link.person_name,
            "post": post,
            "post_code": link.post_code,
            "org_id": link.org_source_id,
            "grid_id": link.grid_source_id,
            "agreement_id": self.agreement_id,
            "agreement_state": self.agreement_state,
            "gap": link.gap,
            "note": self.note,
        }


@dataclass(frozen=True)
class Trace:
    """The chain for a subject on a day, each link with its agreement (subject first, chief last)."""

    subject: ChainSubject
    day: dt.date
    campaign_id: int | None
    campaign_name: str | None
    links: tuple[TraceLink, ...] = field(default_factory=tuple)

    @property
    def gaps(self) -> tuple[TraceLink, ...]:
        """Links with a chain gap (vacant, misfit…) — not counting missing agreements."""
        return tuple(t for t in self.links if t.link.gap is not None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject": {"kind": self.subject.kind, "id": self.subject.source_id},
            "at": self.day.isoformat(),
            "campaign": self.campaign_name,
            "links": [t.as_dict() for t in self.links],
        }


def campaign_for_day(session: Session, day: dt.date) -> Campaign | None:
    """The latest campaign whose term covers ``day`` (latest start first, then newest)."""
    return session.scalars(
        select(Campaign)
        .where(Campaign.term_start <= day, Campaign.term_end >= day)
        .order_by(Campaign.term_start.desc(), Campaign.id.desc())
        .limit(1)
    ).first()


def trace(session: Session, subject: ChainSubject, day: dt.date, *, campaign: Campaign | int | None = None) -> Trace:
    """``chain_at`` plus the agreement binding each link and its state (see the module doc).

    ``campaign`` may be a campaign or its id; default the latest campaign covering ``day``.
    Raises ``NotFound`` for an unknown subject or campaign id."""
    if isinstance(day, dt.datetime):
        day = day.date()
    path = chain_at(session, subject, day)
    if isinstance(campaign, int):
        found = session.get(Campaign, campaign)
        if found is None:
            raise CampaignNotFound(f"no campaign with id {campaign}")
        campaign = found
    elif campaign is None:
        campaign = campaign_for_day(session, day)
    agreements = _school_agreements(session, campaign, path.links)
    signer_ids = _person_ids(session, path.links)
    posts = _post_agreements(session, campaign, [signer_ids[p] for p in _cascade_person_ids(path.links, signer_ids)])
    first_school = next(iter(agreements), None)
    out = []
    for link in path.links:
        if link.role in CASCADE_ROLES:
            if campaign is None:
                out.append(TraceLink(link, None, None, MISSING, NOTE_NO_CAMPAIGN))
            elif link.person_id is None:
                out.append(TraceLink(link, None, None, MISSING, NOTE_VACANT))
            else:
                person_db_id = signer_ids.get(link.person_id, -1)
                bound = _bind_post(link, posts.get(person_db_id, []))
                head = agreements.get(link.org_source_id or "")
                if bound.agreement_state == MISSING and head is not None and _signed_by(head, person_db_id):
                    # A school head owning a grid (the level-1 grid, say) answers through the
                    # school agreement they signed; they have no superior inside the school.
                    bound = TraceLink(link, head.document_number, head.id, SIGNED, NOTE_SCHOOL_HEAD)
                out.append(bound)
            continue
        if link.role not in FIELDS_OF_ROLE:
            out.append(TraceLink(link, None, None, MISSING, NOTE_BUREAU_SIDE))
            continue
        school_sid = first_school if link.role == Role.BUREAU_CHIEF.value else link.org_source_id
        if campaign is None:
            out.append(TraceLink(link, None, None, MISSING, NOTE_NO_CAMPAIGN))
            continue
        agreement = agreements.get(school_sid or "")
        out.append(_bind(link, agreement, signer_ids.get(link.person_id or "")))
    return Trace(
        subject=subject,
        day=day,
        campaign_id=campaign.id if campaign else None,
        campaign_name=campaign.name if campaign else None,
        links=tuple(out),
    )


def _bind(link: ChainLink, agreement: Agreement | None, person_db_id: int | None) -> TraceLink:
    if agreement is None:
        return TraceLink(link, None, None, MISSING, NOTE_NO_AGREEMENT)
    number, db_id = agreement.document_number, agreement.id
    if agreement.state in _DEAD:
        return TraceLink(link, number, db_id, INVALID, NOTE_DEAD.get(agreement.state, agreement.state))
    if agreement.state not in _LIVE:
        return TraceLink(link, number, db_id, MISSING, NOTE_DRAFT)
    fields = FIELDS_OF_ROLE[link.role]
    signed = any(
        r.kind in _SIGNED_KINDS
        and r.field_name in fields
        and person_db_id is not None
        and r.signer_person_id == person_db_id
        for r in agreement.revisions
    )
    if signed:
        return TraceLink(link, number, db_id, SIGNED)
    return TraceLink(link, number, db_id, PENDING, NOTE_VACANT if link.person_id is None else None)


def _signed_by(agreement: Agreement, person_db_id: int) -> bool:
    return agreement.state in _LIVE and any(
        r.kind == "signed" and r.signer_person_id == person_db_id for r in agreement.revisions
    )


def _bind_post(link: ChainLink, found: list[Agreement]) -> TraceLink:
    """The best of the person's post agreements: complete, else live, else dead, else none."""
    for states, state in ((_COMPLETE, SIGNED), (_LIVE, PENDING), (_DEAD, INVALID)):
        match = [a for a in found if a.state in states]
        if match:
            best = match[-1]
            note = NOTE_DEAD_POST.get(best.state, best.state) if state == INVALID else None
            return TraceLink(link, best.document_number, best.id, state, note, AGREEMENT_KIND_POST)
    return TraceLink(link, None, None, MISSING, NOTE_CASCADE)


def _cascade_person_ids(links: tuple[ChainLink, ...], signer_ids: dict[str, int]) -> list[str]:
    return [link.person_id for link in links if link.role in CASCADE_ROLES and link.person_id in signer_ids]


def _post_agreements(session: Session, campaign: Campaign | None, person_ids: list[int]) -> dict[int, list[Agreement]]:
    """Holder's person id → their post agreements in ``campaign`` (oldest first)."""
    if campaign is None or not person_ids:
        return {}
    rows = session.scalars(
        select(Agreement)
        .where(
            Agreement.campaign_id == campaign.id,
            Agreement.kind == AGREEMENT_KIND_POST,
            Agreement.holder_person_id.in_(set(person_ids)),
        )
        .order_by(Agreement.id)
    ).all()
    out: dict[int, list[Agreement]] = {}
    for row in rows:
        out.setdefault(row.holder_person_id or 0, []).append(row)
    return out


def _school_agreements(
    session: Session, campaign: Campaign | None, links: tuple[ChainLink, ...]
) -> dict[str, Agreement | None]:
    """School source id → its agreement in ``campaign`` (with revisions) or None, in chain order."""
    school_sids = list(
        dict.fromkeys(
            link.org_source_id
            for link in links
            if link.org_source_id and link.role in FIELDS_OF_ROLE and link.role != Role.BUREAU_CHIEF.value
        )
    )
    if campaign is None:
        return {}
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


def _person_ids(session: Session, links: tuple[ChainLink, ...]) -> dict[str, int]:
    """Source id → database id of the persons on the signing links."""
    wanted = {
        link.person_id
        for link in links
        if link.person_id and (link.role in FIELDS_OF_ROLE or link.role in CASCADE_ROLES)
    }
    if not wanted:
        return {}
    rows = session.execute(select(Person.source_id, Person.id).where(Person.source_id.in_(wanted))).all()
    return {sid: pid for sid, pid in rows}
