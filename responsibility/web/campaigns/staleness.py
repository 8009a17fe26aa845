"""The campaign page's slow columns, apart from the page (issue 16): the stale flags and the
chain gaps.

Telling whether an agreement still shows what the data says composes its school again (about
25 ms an agreement, ~2.5 s for a page of 100), and each school's chain gaps are one chain trace
(``chain_at``, 1–3 ms: ~0.25 s for a page of 100 at a province's size), which no page at
province size can afford on every view. The campaign page renders at once with both pending,
and ``campaign.js`` fetches them for the same page of agreements from :func:`stale_json`;
without JavaScript the page links to itself with ``?check=1``, which renders them in place
(``page_staleness``, ``page_chain_gaps``).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, jsonify, request
from flask_login import login_required

from ...agreements import stale_agreements
from ...agreements.queries import agreement_page
from ...chain import ChainSubject, chain_at
from ...errors import NotFound
from ...extensions import db_session
from ...models import Agreement, Campaign
from ..clock import local_today
from ..context import settings
from .access import campaign_or_404, require_county_viewer
from .blueprint import bp


def page_staleness(campaign: Campaign, agreements: Sequence[Agreement]) -> dict[int, str]:
    """``{agreement id: reason}`` for the stale ones among ``agreements`` (all of ``campaign``)."""
    found = stale_agreements(
        db_session(), campaign, agreements, template_root=settings().template_root, today=local_today()
    )
    return {agreement.id: reason for agreement, reason in found}


def page_chain_gaps(agreements: Sequence[Agreement]) -> dict[str, int | None]:
    """``{school source id: gaps in its chain today}`` for the schools of ``agreements`` (None:
    the school is not in the chain's data)."""
    day = local_today()
    counts: dict[str, int | None] = {}
    for source_id in dict.fromkeys(agreement.school.source_id for agreement in agreements):
        try:
            counts[source_id] = len(chain_at(db_session(), ChainSubject.school(source_id), day).gaps)
        except NotFound:
            counts[source_id] = None
    return counts


@bp.route("/<int:campaign_id>/stale.json")
@login_required
def stale_json(campaign_id: int) -> Response:
    """The stale flags of one page of the campaign (the page's own ``after``): every agreement
    checked, the reason of each stale one (English, as ``check_staleness`` words it), and the
    chain gaps of each school of the page."""
    require_county_viewer()
    campaign = campaign_or_404(campaign_id)
    agreements, _next, _total = agreement_page(db_session(), campaign, after=request.args.get("after") or None)
    stale = page_staleness(campaign, agreements)
    return jsonify(
        {
            "campaign_id": campaign.id,
            "checked": [a.id for a in agreements],
            "stale": {str(agreement_id): reason for agreement_id, reason in stale.items()},
            "chain_gaps": page_chain_gaps(agreements),
        }
    )
