"""``run_gap_checks``: run the auditor's checks (outline §2.4) and collect their findings.

Read-only: the checks only ``SELECT``; nothing is written, not even an audit event (reading is not
a state change). Each check runs a handful of set-based statements over the whole county, so the
cost grows with the data, never with one query per school.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Campaign, Organization, Town
from ..errors import CampaignNotFound, UnknownGapCheck
from ..trace import campaign_for_day
from .agreements_checks import check_a1, check_a2, check_a3, check_a4
from .base import CHECK_CODES, CheckContext, Finding
from .duty_checks import check_d1
from .fire_checks import check_f1, check_f2, check_k1
from .grid_checks import check_g1, check_g2, check_g3, check_g4
from .hazard_checks import check_h1, check_h2, check_h3, check_h4
from .liaison_checks import check_l1, check_l2
from .posts_checks import check_p1, check_p2
from .visit_checks import check_v1

__all__ = ["CHECKS", "GapReport", "JudgedSeason", "OrgInfo", "parse_checks", "run_gap_checks"]

CHECKS: dict[str, Callable[[CheckContext], list[Finding]]] = {
    "A1": check_a1,
    "A2": check_a2,
    "A3": check_a3,
    "A4": check_a4,
    "P1": check_p1,
    "P2": check_p2,
    "G1": check_g1,
    "G2": check_g2,
    "G3": check_g3,
    "G4": check_g4,
    "L1": check_l1,
    "L2": check_l2,
    "H1": check_h1,
    "H2": check_h2,
    "H3": check_h3,
    "H4": check_h4,
    "D1": check_d1,
    "F1": check_f1,
    "F2": check_f2,
    "K1": check_k1,
    "V1": check_v1,
}
"""Every check, in the outline's order (the same order as ``CHECK_CODES``)."""


@dataclass(frozen=True)
class OrgInfo:
    """Name and town of an organisation named by findings (for the page and the workbook)."""

    source_id: str
    name: str
    kind: str
    town_id: str | None = None
    town_name: str | None = None


@dataclass(frozen=True)
class JudgedSeason:
    """Which season's data the agreement checks judged: a campaign (chosen, or the live one
    covering the day by default), or the imported records only (paper agreements)."""

    campaign_id: int | None = None
    campaign: str | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    defaulted: bool = False
    """True when nobody chose: the live campaign covering the day (or none) was taken."""

    @property
    def text(self) -> str:
        """One English line (the page translates it; the CLI prints it)."""
        if self.campaign_id is None:
            if self.defaulted:
                return "no campaign covers this date: judged imported records only"
            return "judged imported records only"
        term = f"{self.term_start.isoformat() if self.term_start else '?'} – {self.term_end.isoformat() if self.term_end else '?'}"
        how = "the live campaign" if self.defaulted else "campaign"
        return f"judged {how} {self.campaign} (id {self.campaign_id}, term {term})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "campaign_id": self.campaign_id,
            "campaign": self.campaign,
            "term_start": self.term_start.isoformat() if self.term_start else None,
            "term_end": self.term_end.isoformat() if self.term_end else None,
            "source": "campaign" if self.campaign_id is not None else "imported_records",
            "default": self.defaulted,
            "text": self.text,
        }


@dataclass(frozen=True)
class GapReport:
    """The findings of one run, in check order, then by school and subject."""

    at: dt.date
    """The day the data was judged on."""
    campaign: str | None
    """The campaign whose agreements A1/A2 judged, or None (the latest paper season)."""
    checks: tuple[str, ...]
    """The checks that ran."""
    findings: tuple[Finding, ...]
    orgs: dict[str, OrgInfo] = field(default_factory=dict)
    """Source id → name and town of every organisation a finding names."""
    notes: tuple[str, ...] = ()
    """What the reader should know about how the checks read the data (Chinese)."""
    season: JudgedSeason = field(default_factory=JudgedSeason)
    """Which season's data was judged."""

    def counts(self) -> dict[str, int]:
        """Check code → number of findings, for every check that ran (zeros included)."""
        tally = Counter(f.check for f in self.findings)
        return {code: tally.get(code, 0) for code in self.checks}

    def by_check(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.check == code]

    def finding_keys(self) -> set[tuple[str, str, str]]:
        """``(check, school_id, subject_id)`` of every finding."""
        return {f.key for f in self.findings}

    def as_dict(self) -> dict[str, Any]:
        """The JSON document of ``flask audit gaps --json``."""
        return {
            "at": self.at.isoformat(),
            "campaign": self.campaign,
            "season": self.season.as_dict(),
            "checks": list(self.checks),
            "counts": self.counts(),
            "notes": list(self.notes),
            "findings": [f.as_dict() for f in self.findings],
        }


def parse_checks(values: Iterable[str] | None) -> set[str] | None:
    """Check codes from user input (``"G1,G2"`` or several values), upper-cased and validated;
    None when nothing was given (every check). Raises ``BadInput`` naming an unknown code."""
    if values is None:
        return None
    codes = {part.strip().upper() for value in values for part in str(value).split(",") if part.strip()}
    if not codes:
        return None
    unknown = sorted(codes - set(CHECK_CODES))
    if unknown:
        raise UnknownGapCheck(f"unknown gap check {', '.join(unknown)}; known: {', '.join(CHECK_CODES)}")
    return codes


def run_gap_checks(
    session: Session,
    *,
    at: dt.date,
    campaign_id: int | None = None,
    checks: set[str] | None = None,
    live_campaign: bool = False,
) -> GapReport:
    """Run ``checks`` (default: all, see :data:`CHECKS`) over the data as it stood on ``at``.

    With ``campaign_id`` the agreement checks judge that campaign's agreements; without it, and
    with ``live_campaign``, the latest campaign whose term covers ``at`` (``chain.trace
    .campaign_for_day``); else (or when none covers it) the latest imported paper season. The
    report's ``season`` says which. Raises ``BadInput`` for an unknown check code and
    ``NotFound`` for an unknown campaign. Never writes.
    """
    if isinstance(at, dt.datetime):
        at = at.date()
    wanted = set(CHECK_CODES) if checks is None else {c.upper() for c in checks}
    unknown = sorted(wanted - set(CHECK_CODES))
    if unknown:
        raise UnknownGapCheck(f"unknown gap check {', '.join(unknown)}; known: {', '.join(CHECK_CODES)}")
    season = _season(session, at, campaign_id, live_campaign)
    ctx = CheckContext(session=session, at=at, campaign_id=season.campaign_id)
    codes = tuple(code for code in CHECK_CODES if code in wanted)
    found: list[Finding] = []
    for code in codes:
        found.extend(sorted(CHECKS[code](ctx), key=lambda f: (f.school_id, f.subject_id, f.message)))
    return GapReport(
        at=at,
        campaign=season.campaign,
        checks=codes,
        findings=tuple(found),
        orgs=_orgs(session, {f.school_id for f in found}),
        notes=tuple(ctx.notes),
        season=season,
    )


def _season(session: Session, at: dt.date, campaign_id: int | None, live_campaign: bool) -> JudgedSeason:
    if campaign_id is not None:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise CampaignNotFound(f"no campaign {campaign_id}")
    elif live_campaign:
        campaign = campaign_for_day(session, at)
        if campaign is None:
            return JudgedSeason(defaulted=True)
    else:
        return JudgedSeason()
    return JudgedSeason(
        campaign.id, campaign.name, campaign.term_start, campaign.term_end, defaulted=campaign_id is None
    )


def _orgs(session: Session, source_ids: set[str]) -> dict[str, OrgInfo]:
    if not source_ids:
        return {}
    out: dict[str, OrgInfo] = {}
    orgs = Organization.__table__.c  # single table: a school's town_id lives on it
    ids = sorted(source_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.execute(
            select(orgs.source_id, orgs.name, orgs.kind, Town.source_id, Town.name)
            .select_from(Organization.__table__)
            .outerjoin(Town, Town.id == orgs.town_id)
            .where(orgs.source_id.in_(chunk))
        ).all()
        for sid, name, kind, town_sid, town_name in rows:
            out[sid] = OrgInfo(sid, name, kind, town_sid, town_name)
    return out
