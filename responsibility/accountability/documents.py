"""The accountability decision as a signed PDF (问责决定书, issue 13 part 4).

A work document (``agreements.work_documents``): the decision's number, subject (the school —
naming both its heads with their degrees, PG3 — or the persons), form, basis, reason, day and
decider; sealed by the bureau, then signed by the bureau heads (党组书记 and 局长, one field when
one person holds both) with their own keys and PINs. Recording a decision issues it
(``flask accountability record``); ``flask accountability issue NUMBER`` issues it later (an
instance without PKI at recording time). Issuing again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..agreements.campaigns import CertificationHook
from ..agreements.compose import bureau_signers
from ..agreements.storage import PdfStore
from ..agreements.work_documents import IssuedWork, WorkRequest, campaign_on, issue_work_document
from ..audit import append_event
from ..errors import BadInput
from ..models import AccountabilityDecision, Bureau, Organization
from ..models.work_documents import WORK_ACCOUNTABILITY
from ..pdf.content import cn_date
from ..pdf.template import DEFAULT_ROOT
from .catalogue import AccountabilityCatalogue, load_catalogue

__all__ = ["PLACEHOLDERS", "decision_request", "issue_decision_document"]

PLACEHOLDERS = frozenset(
    {"decision_number", "subject", "form", "basis", "reason", "decided_on", "decided_by", "catalogue_version"}
)
_ROLE_NAMES = {"party_head": "党组织书记", "principal": "校长"}
_BASIS = {"incident": "事故（事件）", "finding": "督查发现", "assessment": "考核结果（批次）", "other": "其他"}


def _organisation(session: Session, decision: AccountabilityDecision) -> Organization:
    if decision.school is not None:
        return decision.school
    bureau = session.scalars(select(Bureau).order_by(Bureau.id).limit(1)).first()
    if bureau is None:
        raise BadInput("no bureau on file: import the organisation first")
    return bureau


def decision_request(
    session: Session, decision: AccountabilityDecision, day: dt.date, catalogue: AccountabilityCatalogue | None = None
) -> WorkRequest:
    """The work document of ``decision`` (the bureau heads on ``day`` sign it)."""
    catalogue = catalogue or load_catalogue(decision.catalogue_version)
    form = catalogue.form(decision.form)
    rows = []
    for named in decision.persons:
        degree = catalogue.degree(named.degree)
        roles = "、".join(_ROLE_NAMES.get(r, r) for r in named.roles) or "—"
        rows.append((named.person.name, named.person.source_id, roles, degree.name if degree else named.degree))
    subject = f"{decision.school.name}（单位问责）" if decision.school is not None else "个人问责"
    basis = f"{_BASIS.get(decision.basis_kind, decision.basis_kind)} {decision.basis_ref}".strip()
    signers = bureau_signers(session, day)
    return WorkRequest(
        kind=WORK_ACCOUNTABILITY, subject_key=decision.number, campaign=campaign_on(session, decision.decided_on),
        organisation=_organisation(session, decision), number_stem=f"WZ-{decision.number}",
        texts={"decision_number": decision.number, "subject": subject, "form": form.name if form else decision.form,
               "basis": basis, "reason": decision.reason, "decided_on": cn_date(decision.decided_on),
               "decided_by": decision.decided_by.name, "catalogue_version": decision.catalogue_version},
        rows={"persons": tuple(rows)},
        data={"number": decision.number, "scope": decision.scope, "form": decision.form,
              "school": decision.school.source_id if decision.school else None, "reason": decision.reason,
              "basis": {"kind": decision.basis_kind, "ref": decision.basis_ref},
              "decided_on": decision.decided_on.isoformat(), "decided_by": decision.decided_by.source_id,
              "persons": [{"person_id": p.person.source_id, "roles": list(p.roles), "degree": p.degree}
                          for p in decision.persons]},
        signature_fields=signers.fields, placeholders=PLACEHOLDERS,
        names={p.person.source_id: p.person.name for p in decision.persons},
    )  # fmt: skip


def issue_decision_document(
    session: Session, decision: AccountabilityDecision, *, storage: PdfStore, certify: CertificationHook | None,
    actor: str, day: dt.date, template_root: Path = DEFAULT_ROOT,
) -> IssuedWork:  # fmt: skip
    """Issue (or find) the decision's PDF and link it to the decision; flushed, not committed."""
    done = issue_work_document(
        session, decision_request(session, decision, day), storage=storage, certify=certify, actor=actor, day=day,
        template_root=template_root,
    )  # fmt: skip
    if decision.agreement_id != done.agreement.id:
        decision.agreement_id = done.agreement.id
        decision.version += 1
        session.flush()
        append_event(
            session, actor=actor, action="accountability.document", subject=f"accountability:{decision.number}",
            data={"number": decision.number, "document_number": done.agreement.document_number,
                  "sha256": done.agreement.pdf_sha256},
        )  # fmt: skip
    return done
