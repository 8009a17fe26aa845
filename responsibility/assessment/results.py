"""Issuing the season-end assessment result (考核结果, issue 13 part 3): a PDF per school.

Each result prints the school's part scores (proposed and as assessors set them, with the
reason), every deduction with its rule, count, points and evidence references, the veto items
with their decision, the total and the grade — a veto that applies gives 不合格 whatever the
score. It is a work document (``agreements.work_documents``): sealed by the bureau, then signed by
both school heads (党组织书记 or 党建指导员, and 校长/园长; one field when one person holds both)
with their own keys and PINs through the signing flow.

Refused with one message and nothing written while any school of the campaign has a veto
candidate no assessor decided. Idempotent: a school whose result says the same is skipped; after
an adjustment its earlier result is superseded (kept) by a new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..agreements.campaigns import CertificationHook
from ..agreements.compose import school_assignments, school_facts
from ..agreements.storage import PdfStore
from ..agreements.work_documents import WorkRequest, issue_work_document
from ..messages import N_, msg
from ..models import Campaign, School
from ..models.work_documents import WORK_ASSESSMENT
from ..pdf.content import SignatureFieldSpec, cn_date
from ..pdf.signers import school_signature_fields
from ..pdf.template import DEFAULT_ROOT
from ..settings_work import PatrolSettings
from .errors import AssessmentRefused
from .proposal import CONFIRMED, Proposal, SchoolAssessment, propose

__all__ = ["PLACEHOLDERS", "IssuedResults", "issue_results", "result_request"]

PLACEHOLDERS = frozenset(
    {"school_name", "school_id", "campaign_name", "at", "total", "grade", "veto_text", "rules_version", "scheme"}
)
_MAX_REFS = 12
_DECISION = {CONFIRMED: "成立", "dismissed": "不成立", None: "待认定"}


@dataclass(frozen=True)
class IssuedResults:
    issued: tuple[str, ...]
    """Document numbers issued now."""
    unchanged: tuple[str, ...]
    """Document numbers of live results that already said the same."""
    superseded: tuple[str, ...]
    """Document numbers replaced by a new result."""


def _refs(evidence: Sequence[object]) -> str:
    refs = [str(getattr(e, "ref", "")) for e in evidence]
    shown = "、".join(refs[:_MAX_REFS])
    return shown + (f" 等{len(refs)}项" if len(refs) > _MAX_REFS else "")


def _num(value: float) -> str:
    return f"{value:g}"


def _rows(result: SchoolAssessment) -> dict[str, tuple[tuple[str, ...], ...]]:
    parts = tuple((p.name, _num(p.points), _num(p.proposed), _num(p.score), p.reason or "—") for p in result.parts)
    deductions = tuple(
        (p.name, f"{d.rule} {d.text}", str(d.count), _num(d.points), _refs(d.evidence))
        for p in result.parts
        for d in p.deductions
    )
    vetoes = tuple((f"{v.id} {v.text}", _DECISION.get(v.decision, v.decision or ""), v.reason or "—", _refs(v.evidence))
                   for v in result.vetoes)  # fmt: skip
    return {"parts": parts, "deductions": deductions, "vetoes": vetoes}


def result_request(
    session: Session, campaign: Campaign, proposal: Proposal, result: SchoolAssessment, school: School, day: dt.date
) -> WorkRequest:
    """The work document of one school's result (its heads on ``day`` sign it)."""
    facts = school_facts(school, school_assignments(session, school, day))
    bureau = str(campaign.parameters.get("bureau", ""))
    seal = SignatureFieldSpec("sig_bureau_seal", ("bureau_seal",), f"单位印章：{bureau}", "bureau")
    fields = (seal, *school_signature_fields(facts))
    applying = [v for v in result.vetoes if v.applies]
    veto_text = "；".join(f"{v.id} {v.text}" for v in applying) or "无"
    names = {p.source_id: p.name for p in (facts.party_head, facts.principal) if p is not None}
    return WorkRequest(
        kind=WORK_ASSESSMENT, subject_key=f"{campaign.id}:{school.source_id}", campaign=campaign, organisation=school,
        number_stem=f"KH-{school.source_id}",
        texts={"school_name": school.name, "school_id": school.source_id, "campaign_name": campaign.name,
               "at": cn_date(proposal.at), "total": _num(result.total), "grade": result.grade, "veto_text": veto_text,
               "rules_version": proposal.rules_version, "scheme": proposal.scheme or "—"},
        rows=_rows(result),
        data={**result.as_dict(), "at": proposal.at.isoformat(), "rules_version": proposal.rules_version,
              "rules_sha256": proposal.rules_sha256, "scheme": proposal.scheme},
        signature_fields=fields, placeholders=PLACEHOLDERS, names=names,
    )  # fmt: skip


def issue_results(
    session: Session, campaign: Campaign, *, at: dt.date, day: dt.date, storage: PdfStore,
    certify: CertificationHook | None, actor: str, school_ids: Sequence[int] | None = None,
    template_root: Path = DEFAULT_ROOT, patrols: PatrolSettings | None = None,
) -> IssuedResults:  # fmt: skip
    """Issue every school's (or ``school_ids``') result of ``campaign`` as assessed on ``at``
    (flushed, not committed).

    ``AssessmentRefused`` (nothing written) while a veto candidate is undecided; ``InvalidState``
    without a PKI; a school without both heads on file is ``ContentError``."""
    proposal = propose(session, campaign, at, school_ids=school_ids, patrols=patrols)
    open_items = [f"{s.school} {v.id}" for s in proposal.schools for v in s.undecided]
    if open_items:
        raise AssessmentRefused(
            msg(
                N_("The result cannot be issued while veto candidates are undecided: %(items)s (flask assess veto)."),
                items=", ".join(open_items),
            )
        )
    ids = [r.school_id for r in proposal.schools]
    schools = {s.id: s for s in session.scalars(select(School).where(School.id.in_(ids)))}
    issued: list[str] = []
    unchanged: list[str] = []
    superseded: list[str] = []
    for result in proposal.schools:
        request = result_request(session, campaign, proposal, result, schools[result.school_id], day)
        done = issue_work_document(
            session, request, storage=storage, certify=certify, actor=actor, day=day, template_root=template_root
        )
        (issued if done.created else unchanged).append(done.agreement.document_number)
        if done.superseded:
            superseded.append(done.superseded)
    return IssuedResults(tuple(issued), tuple(unchanged), tuple(superseded))
