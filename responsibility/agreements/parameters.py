"""A campaign's frozen parameters, and the per-school ``AgreementParameters`` built from them.

Everything the PDF prints that is not school data (county and bureau names, season, copies,
targets, the verification base URL and the PDF creation date) is snapshotted into
``Campaign.parameters`` when the campaign is created, so regenerating later gives the same bytes
whatever the configuration or the clock say then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..clock import as_utc
from ..models import Campaign, School
from ..pdf import AgreementParameters

__all__ = ["agreement_parameters", "data_day", "document_number", "parameters_snapshot"]


def parameters_snapshot(
    *,
    county: str,
    bureau: str,
    signing_date: dt.date,
    copies: int,
    base_url: str,
    created_at: dt.datetime,
    targets: Mapping[str, str],
) -> dict[str, Any]:
    """The JSON stored in ``Campaign.parameters``."""
    return {
        "county": county,
        "bureau": bureau,
        "signing_date": signing_date.isoformat(),
        "copies": copies,
        "verification_base_url": base_url,
        "created_at": created_at.replace(microsecond=0).isoformat(),
        "targets": dict(sorted(targets.items())),
    }


def document_number(campaign: Campaign, school: School) -> str:
    """``<prefix>-<school source id>``, e.g. ``JTAQ-2025DC-SCH001``: unique across campaigns
    because prefixes are."""
    return f"{campaign.document_prefix}-{school.source_id}"


def agreement_parameters(campaign: Campaign, number: str) -> AgreementParameters:
    """The ``AgreementParameters`` of one agreement of ``campaign``."""
    p = campaign.parameters
    created = as_utc(dt.datetime.fromisoformat(p["created_at"]))
    return AgreementParameters(
        county=p["county"],
        bureau=p["bureau"],
        season=campaign.season,
        term_start=campaign.term_start,
        term_end=campaign.term_end,
        signing_date=dt.date.fromisoformat(p["signing_date"]),
        due_date=campaign.due_date,
        copies=int(p["copies"]),
        document_number=number,
        verification_base_url=p["verification_base_url"],
        created_at=created,
        targets=dict(p["targets"]),
    )


def data_day(campaign: Campaign, today: dt.date) -> dt.date:
    """The day whose post holders and grid owners an agreement shows: today, kept inside the
    campaign's term (the term's first day before it starts, its last day after it ends).

    Generation and the staleness check use the same rule, so a change of holder that takes
    effect during the term marks an issued agreement stale on that day.
    """
    return min(max(today, campaign.term_start), campaign.term_end)
