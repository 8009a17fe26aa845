"""Which organisations reported their duty roster to the bureau (报局), and when.

Read-only: the report is the live ``roster`` work document of the live campaign with its
signature (``season.roster_report``); reported at is the time of that signature. Two queries
whatever the county's size: the organisations (schools with their town, the bureau) and the
live roster documents with their signing time, grouped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ..clock import as_utc
from ..models import Agreement, AgreementRevision, Campaign, Organization, School, Town, WorkDocument
from ..models.agreements import AGREEMENT_SUPERSEDED, AGREEMENT_VOID
from ..models.work_documents import WORK_ROSTER
from .seasons import live_campaign

__all__ = ["SIGNED_KINDS", "ReportedRoster", "RosterReports", "live_roster_filter", "reported_roster", "roster_reports"]


@dataclass(frozen=True)
class ReportedRoster:
    org_id: str
    name: str
    kind: str
    """``school`` or ``bureau``."""
    town: str | None
    document_number: str | None
    """The live roster document; None: not reported."""
    reported_at: dt.datetime | None
    """When it was signed (aware UTC)."""
    agreement_id: int | None = None
    changed_at: dt.datetime | None = None
    """Since when the roster no longer says what the report says (aware UTC; ``roster_drift``)."""

    @property
    def reported(self) -> bool:
        return self.reported_at is not None

    @property
    def changed(self) -> bool:
        """Reported, but edited since: the principal must report it again."""
        return self.changed_at is not None


@dataclass(frozen=True)
class RosterReports:
    campaign: Campaign
    rows: tuple[ReportedRoster, ...]

    def towns(self) -> dict[str, tuple[int, int]]:
        """Town name (``""``: the bureau and schools without a town) → (reported, organisations)."""
        out: dict[str, tuple[int, int]] = {}
        for row in self.rows:
            done, total = out.get(row.town or "", (0, 0))
            out[row.town or ""] = (done + row.reported, total + 1)
        return dict(sorted(out.items()))

    @property
    def reported(self) -> int:
        return sum(1 for r in self.rows if r.reported)

    @property
    def changed(self) -> int:
        """Reported rosters edited since their report."""
        return sum(1 for r in self.rows if r.changed)

    def as_json(self) -> dict[str, object]:
        return {
            "campaign": self.campaign.id,
            "reported": self.reported,
            "changed_after_report": self.changed,
            "organisations": len(self.rows),
            "rows": [
                {"org": r.org_id, "name": r.name, "kind": r.kind, "town": r.town, "document": r.document_number,
                 "reported_at": r.reported_at.isoformat() if r.reported_at else None,
                 "changed_at": r.changed_at.isoformat() if r.changed_at else None}
                for r in self.rows
            ],
        }  # fmt: skip


_Signed = tuple[str | None, dt.datetime | None, int | None, dt.datetime | None]
_NOT_SIGNED: _Signed = (None, None, None, None)


SIGNED_KINDS = ("signed", "countersigned")
"""The revision kinds that make a 值班表 reported: the principal's (or the chief's) signature."""


def live_roster_filter(campaign: Campaign, org_id: str | None = None) -> list[ColumnElement[bool]]:
    """The ``WorkDocument``/``Agreement`` conditions of the live campaign's live 值班表 (of
    ``org_id`` alone when given): a roster document, neither void nor superseded."""
    subject = f"{campaign.id}:{org_id}" if org_id is not None else None
    return [
        WorkDocument.kind == WORK_ROSTER,
        WorkDocument.subject_key == subject
        if subject is not None
        else WorkDocument.subject_key.like(f"{campaign.id}:%"),
        Agreement.state.not_in((AGREEMENT_VOID, AGREEMENT_SUPERSEDED)),
    ]


def _signed_rosters(session: Session, campaign: Campaign, org_id: str | None = None) -> dict[str, _Signed]:
    """Organisation source id → (document number, signed at, agreement id, changed since) of its
    live roster (of ``org_id`` alone when given)."""
    rows = session.execute(
        select(
            WorkDocument.subject_key,
            Agreement.document_number,
            func.max(AgreementRevision.created_at),
            Agreement.id,
            WorkDocument.facts_changed_at,
        )
        .join(Agreement, Agreement.id == WorkDocument.agreement_id)
        .join(AgreementRevision, AgreementRevision.agreement_id == Agreement.id)
        .where(*live_roster_filter(campaign, org_id), AgreementRevision.kind.in_(SIGNED_KINDS))
        .group_by(WorkDocument.subject_key, Agreement.document_number, Agreement.id, WorkDocument.facts_changed_at)
    ).all()
    return {key.split(":", 1)[1]: (number, at, aid, changed) for key, number, at, aid, changed in rows}


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    return as_utc(moment) if moment is not None else None


def roster_reports(session: Session) -> RosterReports:
    """Every school (by town) and the bureau, reported or not, for the live campaign."""
    campaign = live_campaign(session)
    signed = _signed_rosters(session, campaign)
    schools = session.execute(
        select(School.source_id, School.name, Town.name).outerjoin(Town, Town.id == School.town_id)
        .order_by(Town.name, School.source_id)
    ).all()  # fmt: skip
    bureau = session.execute(
        select(Organization.source_id, Organization.name).where(Organization.kind == "bureau")
    ).all()
    orgs = [(sid, name, "bureau", None) for sid, name in bureau] + [(s, n, "school", t) for s, n, t in schools]
    rows = []
    for sid, name, kind, town in orgs:
        number, at, aid, changed = signed.get(sid, _NOT_SIGNED)
        rows.append(ReportedRoster(sid, name, kind, town, number, _utc(at), aid, _utc(changed)))
    return RosterReports(campaign, tuple(rows))


def reported_roster(session: Session, org: Organization) -> ReportedRoster:
    """``org``'s report of the live campaign (``reported`` False when it has none)."""
    campaign = live_campaign(session)
    number, at, aid, changed = _signed_rosters(session, campaign, org.source_id).get(org.source_id, _NOT_SIGNED)
    town = org.town.name if isinstance(org, School) and org.town is not None else None
    return ReportedRoster(org.source_id, org.name, org.kind, town, number, _utc(at), aid, _utc(changed))
