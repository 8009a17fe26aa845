"""``trace``: the chain of :func:`chain_at` with, on every link, the agreement that binds it.

Why a second layer: ``chain_at`` answers *who* held each post on the day (one statement); an
auditor also needs to know whether that person *signed* for it. Every link is bound by one
agreement of the campaign (default: the latest campaign whose term covers the day), chosen by
one function per kind of link in :mod:`.bindings`:

- the school's principal and party head, and the bureau chief: the school agreement — ``signed``
  when a signature revision of a field they answer for was made by them, ``pending`` while it is
  live and still awaits them (a new holder after a mid-season change stays pending until they
  sign), ``invalid`` when void or superseded, ``missing`` when there is none (or it is a draft);
- grid owners: the post agreement of the cascade naming *that grid* with the owner as holder;
  the safety deputy and other post holders: their post agreements (``agreements.cascade``);
- the bureau side — liaison, section chief, bureau leader, deputy in charge: the bureau's
  internal agreement naming that role and the chain's school (``agreements.bureau_issue``);
- a successor who took a post or grid over in the season after the predecessor's agreement was
  complete is bound by their supplementary confirmation (补充确认, ``chain.confirmations``):
  ``signed`` once they signed it, ``pending`` while it awaits them.

For the two-party agreements ``signed`` means complete (both parties signed), ``pending`` live
and awaiting a signature, ``invalid`` only void/superseded ones, ``missing`` none (the note says
what to issue). A fixed number of statements per trace, whatever its length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..messages import msg
from ..models import Campaign
from ..models.agreements import AGREEMENT_KIND_CONFIRMATION
from .bindings import (
    BUREAU_ROLES,
    CASCADE_ROLES,
    FIELDS_OF_ROLE,
    bind_bureau_link,
    bind_grid_owner,
    bind_post_holder,
    bind_school_head,
    load_bound,
)
from .confirmations import confirmation_bindings
from .errors import CampaignNotFound
from .query import chain_at
from .subjects import ChainSubject, Role
from .trace_links import (
    AGREEMENT_STATES,
    COMPLETE,
    INVALID,
    LIVE,
    MISSING,
    NOTE_CONFIRMATION,
    NOTE_NO_CAMPAIGN,
    PENDING,
    SIGNED,
    TraceLink,
)

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

_SCHOOL_SIDE = (*CASCADE_ROLES, Role.PRINCIPAL.value, Role.SCHOOL_PARTY_SECRETARY.value, Role.PARTY_INSTRUCTOR.value)


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
    bound = load_bound(session, campaign, path.links)
    first_school = next(iter(bound.schools), None)
    chief = None
    if campaign is not None:
        chief_link = next((link for link in path.links if link.role == Role.BUREAU_CHIEF.value), None)
        if chief_link is not None:
            chief = bind_school_head(chief_link, bound.schools.get(first_school or ""), bound.person(chief_link))
    out = []
    school_sid: str | None = None
    for link in path.links:
        if link.role in _SCHOOL_SIDE and link.org_source_id:
            school_sid = link.org_source_id
        if campaign is None:
            out.append(TraceLink(link, None, None, MISSING, NOTE_NO_CAMPAIGN))
        elif link.role == Role.GRID_OWNER.value:
            out.append(bind_grid_owner(link, bound))
        elif link.role in CASCADE_ROLES:
            out.append(bind_post_holder(link, bound))
        elif link.role in BUREAU_ROLES:
            out.append(bind_bureau_link(link, bound, school_sid, chief))
        elif link.role == Role.BUREAU_CHIEF.value and chief is not None:
            out.append(chief)
        else:
            school = bound.schools.get(link.org_source_id or "") if link.role in FIELDS_OF_ROLE else None
            out.append(bind_school_head(link, school, bound.person(link)))
    return Trace(
        subject=subject,
        day=day,
        campaign_id=campaign.id if campaign else None,
        campaign_name=campaign.name if campaign else None,
        links=_bind_confirmations(session, campaign, day, out),
    )


def _bind_confirmations(
    session: Session, campaign: Campaign | None, day: dt.date, links: list[TraceLink]
) -> tuple[TraceLink, ...]:
    """A successor's link is bound by their supplementary confirmation (补充确认) of that grid or
    post (``chain.confirmations``), unless an agreement of their own already binds it signed and
    the confirmation is not signed yet."""
    if campaign is None:
        return tuple(links)
    found = confirmation_bindings(session, campaign.id, day, {t.link.person_id for t in links if t.link.person_id})
    out = []
    for t in links:
        subject = t.link.grid_source_id if t.link.role == Role.GRID_OWNER.value else t.link.post_code
        c = found.get((t.link.person_id or "", subject or "", t.link.org_source_id or ""))
        if c is None or (t.agreement_state == SIGNED and c.state not in COMPLETE):
            out.append(t)
            continue
        state = SIGNED if c.state in COMPLETE else PENDING if c.state in LIVE else INVALID
        note = msg(NOTE_CONFIRMATION, number=c.bound_document_number, day=c.change_date.isoformat())
        out.append(TraceLink(t.link, c.document_number, c.agreement_id, state, note, AGREEMENT_KIND_CONFIRMATION))
    return tuple(out)
