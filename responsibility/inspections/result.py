"""Submitting a checklist with its signed result (排查结果, issue 12 part 1).

:func:`submit_with_result` submits the school's checklist (``answers.submit_checklist``: refused
while an item is unanswered), turns the result into a PDF — every answer with its item, target,
result, note and the hazard a fail opened — issued as a work document
(``agreements.work_documents``) sealed by the bureau, and has the inspector sign it
(``sig_superior``) with their own key and PIN in the same transaction; the school's heads then
acknowledge it (``sig_school_*``) through the signing flow, from their inbox. Without a PKI the
checklist is submitted without a result document (the instance cannot seal anything).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..agreements.campaigns import CertificationHook
from ..agreements.compose import school_assignments, school_facts
from ..agreements.signing_env import SigningEnvironment
from ..agreements.signing_flow import sign_agreement
from ..agreements.work_documents import WorkRequest, campaign_on, issue_work_document
from ..messages import N_
from ..models import Agreement, InspectionAnswer, InspectionChecklist, Person
from ..models.work_documents import WORK_ROUND
from ..pdf.content import SignatureFieldSpec, cn_date
from ..pdf.signers import school_signature_fields
from ..pdf.template import DEFAULT_ROOT
from ..pki.enrolment import UnlockedKey
from .answers import submit_checklist
from .errors import BadInput
from .rounds import checklist_items

__all__ = ["PLACEHOLDERS", "RoundSubmission", "result_request", "submit_with_result"]

PLACEHOLDERS = frozenset(
    {"round_name", "period", "school_name", "school_id", "catalogue_version", "items", "answers", "passed", "failed",
     "na", "inspector", "submitted_on"}
)  # fmt: skip
_RESULTS = {"pass": "合格", "fail": "不合格", "na": "不适用"}


@dataclass(frozen=True)
class RoundSubmission:
    checklist: InspectionChecklist
    document: Agreement | None
    """The result document (signed by the inspector), None on an instance without PKI."""


def _target(answer: InspectionAnswer) -> str:
    if answer.building is not None:
        return answer.building.name
    if answer.grid is not None:
        return answer.grid.name
    return "全校"


def result_request(session: Session, checklist: InspectionChecklist, inspector: Person, on: dt.date) -> WorkRequest:
    """The work document of a submitted checklist (the inspector, then the heads on ``on``, sign it)."""
    the_round, school = checklist.round, checklist.school
    texts = {i.id: i.text for i in checklist_items(checklist)}
    answers = list(
        session.scalars(
            select(InspectionAnswer)
            .where(InspectionAnswer.checklist_id == checklist.id)
            .options(selectinload(InspectionAnswer.hazard))
            .order_by(InspectionAnswer.item_id, InspectionAnswer.target, InspectionAnswer.id)
        )
    )
    rows = tuple(
        (a.item_id, texts.get(a.item_id, ""), _target(a), _RESULTS.get(a.result, a.result), a.note or "",
         (a.hazard.file_no or "") if a.hazard is not None else "")
        for a in answers
    )  # fmt: skip
    counts = {r: sum(1 for a in answers if a.result == r) for r in _RESULTS}
    facts = school_facts(school, school_assignments(session, school, on))
    bureau = str(campaign_on(session, the_round.start_date).parameters.get("bureau", ""))
    fields = (
        SignatureFieldSpec("sig_bureau_seal", ("bureau_seal",), f"单位印章：{bureau}", "bureau"),
        SignatureFieldSpec("sig_superior", ("inspector",), f"检查人：{inspector.name}", "school", inspector.source_id),
        *school_signature_fields(facts),
    )
    names = {p.source_id: p.name for p in (facts.party_head, facts.principal) if p is not None}
    period = f"{cn_date(the_round.start_date)}至{cn_date(the_round.end_date)}"
    return WorkRequest(
        kind=WORK_ROUND, subject_key=f"{the_round.id}:{school.source_id}", campaign=campaign_on(session, the_round.start_date),
        organisation=school, number_stem=f"PC{the_round.id}-{school.source_id}",
        texts={"round_name": the_round.name, "period": period, "school_name": school.name, "school_id": school.source_id,
               "catalogue_version": the_round.catalogue_version, "items": str(len(checklist.item_ids)),
               "answers": str(len(answers)), "passed": str(counts["pass"]), "failed": str(counts["fail"]),
               "na": str(counts["na"]), "inspector": inspector.name, "submitted_on": cn_date(on)},
        rows={"answers": rows},
        data={"round": the_round.id, "round_name": the_round.name, "school": school.source_id,
              "catalogue_version": the_round.catalogue_version, "catalogue_sha256": the_round.catalogue_sha256,
              "inspector": inspector.source_id, "submitted_on": on.isoformat(), "counts": counts,
              "answers": [{"item": a.item_id, "target": a.target, "result": a.result, "note": a.note,
                           "hazard": a.hazard.file_no if a.hazard is not None else None} for a in answers]},
        signature_fields=fields, placeholders=PLACEHOLDERS, names={**names, inspector.source_id: inspector.name},
        superior_person_id=inspector.id,
    )  # fmt: skip


def submit_with_result(
    session: Session, round_key: str | int, school: str, *, by: str, on: dt.date, env: SigningEnvironment | None,
    unlocked: UnlockedKey | None, certify: CertificationHook | None, expected_version: int | None = None,
    template_root: Path = DEFAULT_ROOT,
) -> RoundSubmission:  # fmt: skip
    """Submit the checklist and issue its result signed by the inspector ``by`` (whose key is
    ``unlocked``); flushed, not committed — run it in ``commit_with_retry``. Refused (nothing
    written) like ``submit_checklist``, and with a PKI when the inspector's key is not given."""
    if certify is not None and (unlocked is None or env is None):
        raise BadInput(N_("Submitting the checklist is signed by the inspector: give the signing PIN."))
    checklist = submit_checklist(session, round_key, school, by=by, on=on, expected_version=expected_version)
    if certify is None or env is None or unlocked is None:
        return RoundSubmission(checklist, None)
    inspector = session.get(Person, checklist.submitted_by_person_id)
    if inspector is None:
        raise BadInput(N_("The checklist has no inspector."))
    actor = f"person:{inspector.source_id}"
    done = issue_work_document(
        session, result_request(session, checklist, inspector, on), storage=env.store, certify=certify, actor=actor,
        day=on, template_root=template_root,
    )  # fmt: skip
    sign_agreement(session, env, done.agreement.id, inspector, unlocked, day=on, actor=actor)
    return RoundSubmission(checklist, done.agreement)
