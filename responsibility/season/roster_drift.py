"""Whether a reported duty roster (值班表报局) still says what the roster says, kept at each write.

The principal reports the roster as a signed 值班表; afterwards a planner may edit a day or upload
a file, and the signed document no longer shows the duty the school works by, while the bureau's
list would still call the school reported. So after every write of an organisation's roster
(``edit_roster_day``, ``import_roster``; the command or view calls :func:`note_roster_write` in
the same transaction) the live report is compared with the roster, shift by shift, on the facts
the PDF embeds (``RosterPlan.facts_days``). When they part, the document's ``facts_changed_at``
is set, one ``roster.changed_after_report`` event is written, and whoever must report again (the
principal, or the bureau chief for the bureau's roster) and the bureau's office are told, once
per document. When a later write brings them together again the mark is cleared
(``roster.matches_report``). A new report supersedes the document, so its mark goes with it.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..audit import append_event
from ..errors import DomainError
from ..messages import N_
from ..models import Agreement, AgreementRevision, Organization, Person, WorkDocument
from ..models.agreements import AGREEMENT_SUPERSEDED, AGREEMENT_VOID
from ..models.base import utcnow
from ..models.work_documents import WORK_ROSTER
from ..notify import Event, publish
from ..settings import SeasonSettings
from .errors import NoSeason
from .roster_days import roster_plan
from .roster_report import bureau_office_people, roster_signer
from .seasons import find_org, live_campaign

__all__ = ["RosterDrift", "live_roster_document", "note_roster_write"]

CHANGED_MSGID = N_("The duty roster of %(org)s was changed after it was reported (%(number)s): report it again.")


@dataclass(frozen=True)
class RosterDrift:
    """The live report of an organisation's roster against the roster after a write."""

    document_number: str
    changed: bool
    """The roster no longer says what the reported 值班表 says."""
    since: dt.datetime | None
    """When they parted (aware UTC); None while they agree."""


def live_roster_document(session: Session, org: Organization) -> WorkDocument | None:
    """The live campaign's signed 值班表 of ``org`` (not void, not superseded), or None."""
    try:
        campaign = live_campaign(session)
    except NoSeason:
        return None
    signed = exists().where(
        AgreementRevision.agreement_id == Agreement.id, AgreementRevision.kind.in_(("signed", "countersigned"))
    )
    return session.scalar(
        select(WorkDocument)
        .join(Agreement, Agreement.id == WorkDocument.agreement_id)
        .where(
            WorkDocument.kind == WORK_ROSTER,
            WorkDocument.subject_key == f"{campaign.id}:{org.source_id}",
            Agreement.state.not_in((AGREEMENT_VOID, AGREEMENT_SUPERSEDED)),
            signed,
        )
        .order_by(WorkDocument.id.desc())
        .limit(1)
    )


def _who_reports_again(session: Session, org: Organization, document: WorkDocument, day: dt.date) -> list[int]:
    """The signer of the report and whoever signs a new one today (the post may have changed hands)."""
    people = [session.scalar(select(Person.id).where(Person.source_id == str(document.facts.get("signer", ""))))]
    with suppress(DomainError):  # nobody holds the post today: the earlier signer is still told
        people.append(roster_signer(session, org, day).person.id)
    return [p for p in people if p is not None]


def note_roster_write(
    session: Session, org_id: str, season: SeasonSettings, *, day: dt.date, actor: str
) -> RosterDrift | None:
    """Compare ``org_id``'s live report with its roster as written now (flushed, not committed);
    None when the organisation has no live report."""
    org = find_org(session, org_id)
    document = live_roster_document(session, org)
    if document is None:
        return None
    number = document.agreement.document_number
    changed = roster_plan(session, org_id, season).facts_days() != document.facts.get("days")
    if changed and document.facts_changed_at is None:
        document.facts_changed_at = utcnow()
        append_event(session, actor=actor, action="roster.changed_after_report", subject=f"org:{org.source_id}",
                     data={"document_number": number})  # fmt: skip
        publish(
            session,
            Event(kind="roster_changed", key=f"roster_changed:{document.agreement_id}",
                  recipients=[*_who_reports_again(session, org, document, day), *bureau_office_people(session)],
                  msgid=CHANGED_MSGID, params={"org": org.name, "number": number},
                  url=f"/rosters/{org.source_id}", agreement_id=document.agreement_id),
        )  # fmt: skip
    elif not changed and document.facts_changed_at is not None:
        document.facts_changed_at = None
        append_event(session, actor=actor, action="roster.matches_report", subject=f"org:{org.source_id}",
                     data={"document_number": number})  # fmt: skip
    session.flush()
    return RosterDrift(number, changed, document.facts_changed_at)
