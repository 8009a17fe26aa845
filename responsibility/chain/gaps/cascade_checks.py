"""A4 over a live campaign: the real state of its cascade (``chain.cascade_state``).

For each school whose school agreement in the campaign is complete (countersigned or archived;
an unsigned one is A2's finding), one A4 finding when the cascade does not cover the school on
the day: post agreements issued but not signed by both parties, successors' supplementary
confirmations (补充确认) not signed, grid owners whom neither a post agreement nor a
confirmation binds (the cascade was not issued, or did not reach them). Aggregate queries only.
"""

from __future__ import annotations

from sqlalchemy import select

from ...models import Agreement, Campaign, School
from ...models.agreements import AGREEMENT_ARCHIVED, AGREEMENT_COUNTERSIGNED, AGREEMENT_KIND_SCHOOL
from ..cascade_state import CascadeCounts, cascade_counts
from .base import CheckContext, Finding, finding

__all__ = ["campaign_a4", "cascade_gaps_text"]


def cascade_gaps_text(counts: CascadeCounts) -> list[str]:
    """What an A4 finding lists for one school (empty: the cascade covers it)."""
    parts = []
    if counts.posts_unsigned:
        parts.append(f"岗位安全责任书已签{counts.posts_signed}/{counts.posts_issued}份，{counts.posts_unsigned}份未签")
    if counts.confirmations_unsigned:
        parts.append(
            f"补充确认已签{counts.confirmations_signed}/{counts.confirmations_issued}份，"
            f"{counts.confirmations_unsigned}份未签"
        )
    if counts.owners_missing:
        parts.append(f"{counts.owners_missing}名网格长未签订岗位安全责任书或补充确认")
    return parts


def campaign_a4(ctx: CheckContext, campaign: Campaign) -> list[Finding]:
    """The A4 findings of ``campaign`` on ``ctx.at``."""
    heads = ctx.session.execute(
        select(School.id, School.source_id, Agreement.document_number)
        .join(Agreement, Agreement.school_id == School.id)
        .where(
            Agreement.campaign_id == campaign.id,
            Agreement.kind == AGREEMENT_KIND_SCHOOL,
            Agreement.state.in_((AGREEMENT_COUNTERSIGNED, AGREEMENT_ARCHIVED)),
        )
        .order_by(School.source_id)
    ).all()
    counts = cascade_counts(ctx.session, campaign.id, ctx.at)
    out = []
    for school_id, school_sid, number in heads:
        parts = cascade_gaps_text(counts.get(school_id, CascadeCounts()))
        if parts:
            out.append(finding("A4", school_sid, number, f"逐层签订未全覆盖（{number}）：" + "；".join(parts)))
    return out
