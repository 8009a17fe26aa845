"""Is an agreement still what the data says? (stale detection; read-only)

An agreement records ``data_hash``, the content hash of what its PDF shows. Composing the same
school again from today's data (the same day rule as generation, ``parameters.data_day``) and
comparing hashes tells whether anything it shows has changed: a post holder, a duty, a grid
owner, a building, the school's facts. Issued agreements are never changed by this; their page
shows the flag and the bureau decides (supersede, or a new campaign).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from .. import clock
from ..errors import BadInput
from ..messages import N_
from ..models import Agreement, Campaign
from ..pdf import AgreementTemplate
from ..pdf.template import DEFAULT_ROOT
from .compose import RECORDS_BATCH, BureauSigners, SchoolRecords, bureau_signers, compose_agreement, school_records
from .parameters import agreement_parameters, data_day

__all__ = ["StaleCheck", "check_staleness", "stale_agreements", "stale_refusal"]


@dataclass(frozen=True)
class StaleCheck:
    stale: bool
    reason: str | None = None
    """Why, in English: ``data changed``, ``template changed`` or the composition's refusal."""
    fresh_hash: str | None = None


def _template(campaign: Campaign, root: Path) -> AgreementTemplate | str:
    from .generation import campaign_template

    try:
        return campaign_template(campaign, root)
    except BadInput as exc:
        return f"template: {exc}"


def check_staleness(
    session: Session,
    agreement: Agreement,
    *,
    template_root: Path = DEFAULT_ROOT,
    today: dt.date | None = None,
    template: AgreementTemplate | str | None = None,
    bureau: BureauSigners | str | None = None,
    records: SchoolRecords | None = None,
) -> StaleCheck:
    """Compose ``agreement``'s school again and compare with the stored data hash.

    ``template`` and ``bureau`` may be passed in (resolved once for many agreements); a string
    there is the reason they could not be resolved. ``records``: the school's rows, loaded for
    many schools at once (``school_records``)."""
    campaign = agreement.campaign
    if agreement.kind != "school":  # post and bureau agreements and confirmations bind persons: never regenerated
        return StaleCheck(False)
    if template is None:
        template = _template(campaign, template_root)
    if isinstance(template, str):
        return StaleCheck(True, template)
    if agreement.template_hash != template.content_hash:
        return StaleCheck(True, "template changed")
    day = data_day(campaign, today or clock.today())
    if bureau is None:
        try:
            bureau = bureau_signers(session, day)
        except BadInput as exc:
            bureau = str(exc)
    if isinstance(bureau, str):
        return StaleCheck(True, bureau)
    params = agreement_parameters(campaign, agreement.document_number)
    try:
        content = compose_agreement(
            session, agreement.school, template=template, parameters=params, day=day, bureau=bureau, records=records
        )
    except BadInput as exc:
        return StaleCheck(True, str(exc))
    if content.content_hash != agreement.data_hash:
        return StaleCheck(True, "data changed", content.content_hash)
    return StaleCheck(False, None, content.content_hash)


def stale_agreements(
    session: Session,
    campaign: Campaign,
    agreements: Iterable[Agreement],
    *,
    template_root: Path = DEFAULT_ROOT,
    today: dt.date | None = None,
) -> list[tuple[Agreement, str]]:
    """``(agreement, reason)`` for each of ``agreements`` (all of ``campaign``) that is stale;
    the template and the bureau heads are resolved once."""
    template = _template(campaign, template_root)
    day = data_day(campaign, today or clock.today())
    try:
        bureau: BureauSigners | str = bureau_signers(session, day)
    except BadInput as exc:
        bureau = str(exc)
    found = []
    listed = list(agreements)
    for start in range(0, len(listed), RECORDS_BATCH):
        batch = listed[start : start + RECORDS_BATCH]
        records = school_records(session, [a.school for a in batch if a.kind == "school"], day)
        for agreement in batch:
            check = check_staleness(
                session,
                agreement,
                template_root=template_root,
                today=today,
                template=template,
                bureau=bureau,
                records=records.get(agreement.school_id) if agreement.kind == "school" else None,
            )
            if check.stale:
                found.append((agreement, check.reason or "stale"))
    return found


def stale_refusal(stale: Sequence[tuple[str, str]]) -> BadInput:
    """The issue's refusal for stale drafts, ``(document number, reason)`` each: the issue in one
    transaction and the issue's check chunks on RQ (``jobs.issue_chunks``) word it alike."""
    listed = ", ".join(f"{number} ({reason})" for number, reason in stale)
    return BadInput(N_("regenerate before issuing; the data changed for: %(schools)s"), schools=listed)
