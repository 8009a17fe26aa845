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

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..audit import append_event
from ..errors import DomainError
from ..messages import N_
from ..models import Agreement, AgreementRevision, Organization, Person, WorkDocument
from ..models.base import utcnow
from ..notify import Event, publish
from ..settings import SeasonSettings
from .errors import NoSeason
from .roster_days import roster_plan
from .roster_report import bureau_office_people, roster_signer
from .roster_reports import SIGNED_KINDS, live_roster_filter
from .seasons import find_org, live_campaign

__all__ = ["live_roster_document", "note_roster_write"]

CHANGED_MSGID = N_("The duty roster of %(org)s was changed after it was reported (%(number)s): report it again.")


def live_roster_document(session: Session, org: Organization) -> WorkDocument | None:
    """The live campaign's signed 值班表 of ``org`` (``roster_reports``' filter), or None."""
    try:
        campaign = live_campaign(session)
    except NoSeason:
        return None
    signed = exists().where(AgreementRevision.agreement_id == Agreement.id, AgreementRevision.kind.in_(SIGNED_KINDS))
    return session.scalar(
        select(WorkDocument)
        .join(Agreement, Agreement.id == WorkDocument.agreement_id)
        .where(*live_roster_filter(campaign, org.source_id), signed)
        .order_by(WorkDocument.id.desc())
        .limit(1)
    )


def _who_reports_again(session: Session, org: Organization, document: WorkDocument, day: dt.date) -> list[int]:
    """The signer of the report and whoever signs a new one today (the post may have changed hands)."""
    people = [session.scalar(select(Person.id).where(Person.source_id == str(document.facts.get("signer", ""))))]
    with suppress(DomainError):  # nobody holds the post today: the earlier signer is still told
        people.append(roster_signer(session, org, day).person.id)
    return [p for p in people if p is not None]


def note_roster_write(session: Session, org_id: str, season: SeasonSettings, *, day: dt.date, actor: str) -> bool:
    """Compare ``org_id``'s live report with its roster as written now (flushed, not committed);
    whether they differ (False when the organisation has no live report)."""
    org = find_org(session, org_id)
    document = live_roster_document(session, org)
    if document is None:
        return False
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
    return changed
