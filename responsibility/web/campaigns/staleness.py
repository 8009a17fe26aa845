"""The campaign page's stale flags, apart from the page (issue 16).

Telling whether an agreement still shows what the data says composes its school again (about
25 ms an agreement, ~2.5 s for a page of 100), which no page at province size can afford on
every view. The campaign page renders at once with the flags pending, and ``campaign.js``
fetches them for the same page of agreements from :func:`stale_json`; without JavaScript the
page links to itself with ``?check=1``, which renders them in place (``page_staleness``).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, jsonify, request
from flask_login import login_required

from ...agreements import stale_agreements
from ...agreements.queries import agreement_page
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


@bp.route("/<int:campaign_id>/stale.json")
@login_required
def stale_json(campaign_id: int) -> Response:
    """The stale flags of one page of the campaign (the page's own ``after``): every agreement
    checked, and the reason of each stale one (English, as ``check_staleness`` words it)."""
    require_county_viewer()
    campaign = campaign_or_404(campaign_id)
    agreements, _next, _total = agreement_page(db_session(), campaign, after=request.args.get("after") or None)
    stale = page_staleness(campaign, agreements)
    return jsonify(
        {
            "campaign_id": campaign.id,
            "checked": [a.id for a in agreements],
            "stale": {str(agreement_id): reason for agreement_id, reason in stale.items()},
        }
    )
