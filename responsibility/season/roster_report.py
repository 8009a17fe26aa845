"""Reporting a duty roster to the bureau (值班表报局, issue 12 part 4).

:func:`submit_roster` turns the organisation's roster of the live campaign's term into the
值班表 PDF — every day with its shifts, 带班领导, 值班人员, 门卫 and 宿管, 寒假 and 春节 days
flagged, the uncovered days listed (none: a roster with gaps is refused) — issued as a work
document (``agreements.work_documents``, kind ``roster``) sealed by the bureau, and has the
signer sign it with their own key and PIN in the same transaction, as ``inspections.result``
has the inspector sign a round's result. A school's roster is signed by its principal (校长/园长,
``sig_school_principal``); the bureau's own roster by the bureau chief (局长,
``sig_bureau_chief``): the chief answers for the bureau's 领导带班 as the principal does for
the school's. The signed document *is* the report: the bureau's list (``roster_reports``)
reads the live roster documents and their signing time.

Submitting the same roster again changes nothing; a changed roster issues a new document that
supersedes the earlier one (kept, ``superseded``). The bureau's office (办公室) is notified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from ..agreements.campaigns import CertificationHook
from ..agreements.compose import bureau_signers, school_assignments, school_facts
from ..agreements.signing_env import SigningEnvironment
from ..agreements.signing_flow import sign_agreement
from ..agreements.work_documents import WorkRequest, issue_work_document
from ..audit import append_event
from ..errors import BadInput, Forbidden, InvalidState
from ..messages import N_, msg
from ..models import Agreement, Organization, Person, School, Section, section_staff
from ..models.work_documents import WORK_ROSTER
from ..notify import Event, publish
from ..pdf.content import SignatureFieldSpec, cn_date
from ..pdf.template import DEFAULT_ROOT
from ..pki.enrolment import UnlockedKey
from ..settings import SeasonSettings
from .errors import RosterRefused
from .roster_days import PlannedDay, RosterPlan, roster_plan
from .roster_roles import BUREAU_OFFICE
from .seasons import find_org, live_campaign

__all__ = [
    "PLACEHOLDERS",
    "RosterSigner",
    "RosterSubmission",
    "bureau_office_people",
    "check_submission",
    "roster_request",
    "roster_signer",
    "submit_roster",
]

PLACEHOLDERS = frozenset(
    {"org_name", "org_id", "term", "days", "shifts", "winter_days", "spring_days", "uncovered", "signer",
     "signer_post"}
)  # fmt: skip
_REASONS = {"no_roster": "无值班安排", "no_leader": "未安排带班领导"}


@dataclass(frozen=True)
class RosterSigner:
    """Who signs (and so reports) the organisation's roster on a day."""

    person: Person
    post: str
    """The post printed: 校长/园长, or 局长."""
    field: SignatureFieldSpec


@dataclass(frozen=True)
class RosterSubmission:
    document: Agreement
    created: bool
    """False: the live document already showed this roster (nothing written)."""
    superseded: str | None = None


def roster_signer(session: Session, org: Organization, day: dt.date) -> RosterSigner:
    """The principal of a school, the chief of the bureau; ``RosterRefused`` for a section or
    when nobody holds the post that day."""
    if isinstance(org, School):
        facts = school_facts(org, school_assignments(session, org, day))
        source, title = (facts.principal.source_id if facts.principal else None), facts.principal_title
        field = "sig_school_principal", ("principal",), "school"
    elif org.kind == "bureau":
        try:
            fields = bureau_signers(session, day).fields
        except BadInput:
            fields = ()
        heads = [f for f in fields if f.field_name in ("sig_bureau_heads", "sig_bureau_chief")]
        source, title = (heads[0].person_source_id if heads else None), "局长"
        field = "sig_bureau_chief", ("bureau_chief",), "bureau"
    else:
        raise RosterRefused(N_("Only a school's roster or the bureau's own roster is reported to the bureau."))
    person = session.scalar(select(Person).where(Person.source_id == source)) if source else None
    if person is None:
        raise RosterRefused(msg(N_("%(org)s has no %(post)s on %(day)s to sign the roster."),
                                org=org.name, post=title, day=day.isoformat()))  # fmt: skip
    spec = SignatureFieldSpec(field[0], field[1], f"{title}：{person.name}", field[2], person.source_id)
    return RosterSigner(person, title, spec)


def _flag(day: PlannedDay) -> str:
    return "、".join(t for t, on in (("寒假", day.winter_break), ("春节", day.spring_festival)) if on)


def _who(person: Person | None) -> str:
    return f"{person.name} {person.source_id}" if person is not None else ""


def check_submission(
    session: Session, org_id: str, by: str, day: dt.date, season: SeasonSettings
) -> tuple[RosterPlan, RosterSigner]:
    """The plan and its signer, or the one refusal (nothing written): ``by`` is not who signs
    (``Forbidden``), or the term has uncovered days (``RosterRefused`` listing them)."""
    org = find_org(session, org_id)
    signer = roster_signer(session, org, day)
    if signer.person.source_id != by.strip():
        raise Forbidden(msg(N_("Only the %(post)s of %(org)s (%(name)s) reports the roster to the bureau."),
                            post=signer.post, org=org.name, name=signer.person.name))  # fmt: skip
    plan = roster_plan(session, org.source_id, season)
    gaps = [d for d in plan.days if d.uncovered]
    if gaps:
        shown = ", ".join(d.date.isoformat() for d in gaps[:31]) + (" …" if len(gaps) > 31 else "")
        raise RosterRefused(msg(N_("The roster leaves %(count)s day(s) without a leader on duty: %(days)s."),
                                count=len(gaps), days=shown))  # fmt: skip
    return plan, signer


def roster_request(session: Session, plan: RosterPlan, signer: RosterSigner) -> WorkRequest:
    """The work document of ``plan`` (what the PDF prints and embeds), signed by ``signer``."""
    org, campaign = plan.org, live_campaign(session)
    rows = tuple(
        (d.date.isoformat(), _flag(d), s.shift, _who(s.leader), "、".join(_who(p) for p in s.staff),
         _who(s.key_posts.get("门卫")), _who(s.key_posts.get("宿管")))
        for d in plan.days for s in d.shifts
    )  # fmt: skip
    gaps = tuple((d.date.isoformat(), _flag(d), _REASONS.get(d.uncovered or "", "")) for d in plan.days if d.uncovered)
    days = plan.facts_days()
    bureau = str(campaign.parameters.get("bureau", ""))
    seal = SignatureFieldSpec("sig_bureau_seal", ("bureau_seal",), f"单位印章：{bureau}", "bureau")
    term = f"{cn_date(plan.term_start)}至{cn_date(plan.term_end)}"
    return WorkRequest(
        kind=WORK_ROSTER, subject_key=f"{campaign.id}:{org.source_id}", campaign=campaign, organisation=org,
        number_stem=f"ZB-{org.source_id}",
        texts={"org_name": org.name, "org_id": org.source_id, "term": term, "days": str(len(plan.days)),
               "shifts": str(len(rows)), "winter_days": str(sum(1 for d in plan.days if d.winter_break)),
               "spring_days": str(sum(1 for d in plan.days if d.spring_festival)),
               "uncovered": "、".join(g[0] for g in gaps) or "无", "signer": signer.person.name,
               "signer_post": signer.post},
        rows={"days": rows, "uncovered": gaps},
        data={"org": org.source_id, "campaign": campaign.id, "term": [plan.term_start.isoformat(),
              plan.term_end.isoformat()], "days": days, "uncovered": [g[0] for g in gaps],
              "winter_break": [d.date.isoformat() for d in plan.days if d.winter_break],
              "spring_festival": [d.date.isoformat() for d in plan.days if d.spring_festival],
              "signer": signer.person.source_id},
        signature_fields=(seal, signer.field), placeholders=PLACEHOLDERS,
        names={signer.person.source_id: signer.person.name},
    )  # fmt: skip


def bureau_office_people(session: Session) -> list[int]:
    """The chief and staff of the bureau's office (办公室): who hears of a reported roster."""
    office = select(Section.id).where(Section.name == BUREAU_OFFICE)
    chief = select(Section.chief_person_id.label("person_id")).where(Section.id.in_(office))
    staff = select(section_staff.c.person_id.label("person_id")).where(section_staff.c.section_id.in_(office))
    return [p for p in session.scalars(select(union(chief, staff).subquery().c.person_id)) if p is not None]


def _signed(agreement: Agreement) -> bool:
    return any(r.kind in ("signed", "countersigned") for r in agreement.revisions)


def submit_roster(
    session: Session, org_id: str, *, by: str, on: dt.date, season: SeasonSettings, env: SigningEnvironment | None,
    unlocked: UnlockedKey | None, certify: CertificationHook | None, template_root: Path = DEFAULT_ROOT,
) -> RosterSubmission:  # fmt: skip
    """Report ``org_id``'s roster: issue its 值班表 and have ``by`` (whose key is ``unlocked``)
    sign it; flushed, not committed — run it in ``commit_with_retry``. Refused (nothing written)
    as :func:`check_submission`, without a PKI, or without the signer's key. One ``roster.reported``
    event besides the issue's and the signature's."""
    plan, signer = check_submission(session, org_id, by, on, season)
    if certify is None or env is None:
        raise InvalidState(
            N_("This instance has no signing PKI yet (flask pki init): nothing can be issued for signing.")
        )
    if unlocked is None:
        raise BadInput(N_("Reporting the roster is signed by the principal: give the signing PIN."))
    actor = f"person:{signer.person.source_id}"
    done = issue_work_document(
        session, roster_request(session, plan, signer), storage=env.store, certify=certify, actor=actor, day=on,
        template_root=template_root,
    )  # fmt: skip
    if not done.created and _signed(done.agreement):
        return RosterSubmission(done.agreement, created=False)
    sign_agreement(session, env, done.agreement.id, signer.person, unlocked, day=on, actor=actor)
    number = done.agreement.document_number
    append_event(
        session, actor=actor, action="roster.reported", subject=f"org:{plan.org.source_id}",
        data={"document_number": number, "term": [plan.term_start, plan.term_end], "supersedes": done.superseded},
    )  # fmt: skip
    publish(
        session,
        Event(kind="roster_reported", key=f"roster_reported:{done.agreement.id}", recipients=bureau_office_people(session),
              msgid="%(org)s reported its duty roster to the bureau (%(number)s).",
              params={"org": plan.org.name, "number": number}, url="/rosters/reported",
              agreement_id=done.agreement.id),
    )  # fmt: skip
    session.flush()
    return RosterSubmission(done.agreement, created=True, superseded=done.superseded)
