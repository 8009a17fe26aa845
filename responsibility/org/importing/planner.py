"""Validate a whole import document before anything is written.

:func:`build_plan` validates every record against the schema (types, vocabulary, dates), then
checks what spans records: duplicate ids, every reference (to records of the file or rows
already in the database) and the grid trees (parent exists, same school, level = parent level
+ 1, no cycles). The first problem raises one :class:`~responsibility.org.errors.ImportRejected` line;
nothing has been written at that point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...models import ClauseTemplate, PostType, RiskArea
from .locations import WHERE
from .plan import Plan
from .plan_org import plan_organisation
from .plan_people import plan_people
from .plan_safety import plan_grids_and_safety
from .refs import Refs, unique
from .snapshot import Existing
from .validation import refusal, validate_document

__all__ = ["build_plan"]


def build_plan(data: Mapping[str, Any], *, source: str, existing: Existing) -> Plan:
    """The checked :class:`Plan` of ``data``; raise ImportRejected (naming ``source``) on the first problem."""
    document = validate_document(data, source=source)
    raw_meta = data.get("meta")
    meta = {k: v for k, v in raw_meta.items() if k != WHERE} if isinstance(raw_meta, Mapping) else {}
    plan = Plan(source=source, document=document, meta=meta)
    county, bureau = document.county, document.bureau
    county.locate("$.county")
    bureau.locate("$.bureau")
    if county.bureau_source_id != bureau.source_id:
        raise refusal(source, county.at("bureau_source_id"), f"bureau {county.bureau_source_id} is not the file's bureau")
    refs = Refs(source)
    _catalogues(plan, refs, existing)
    plan_organisation(plan, refs, existing)
    plan_people(plan, refs)
    plan_grids_and_safety(plan, refs, existing)
    return plan


def _catalogues(plan: Plan, refs: Refs, existing: Existing) -> None:
    source = plan.source
    areas = [(x.code, x.locate(f"$.risk_areas[{i}]")) for i, x in enumerate(plan.risk_areas)]
    refs.define("risk area", unique(source, areas, "risk area"))
    refs.define("risk area", {x["code"] for x in existing.rows(RiskArea.__table__)})  # type: ignore[arg-type]
    for i, clause in enumerate(plan.clauses):
        clause.locate(f"$.responsibility_item_templates[{i}]")
        refs.check("risk area", clause.risk_area_code, clause, "risk_area_code")
    refs.define("clause", unique(source, [(x.code, x.where) for x in plan.clauses], "clause"))
    refs.define("clause", {x["code"] for x in existing.rows(ClauseTemplate.__table__)})  # type: ignore[arg-type]
    posts = [(x.code, x.locate(f"$.post_catalog[{i}]")) for i, x in enumerate(plan.post_types)]
    refs.define("post", unique(source, posts, "post"))
    refs.define("post", {x["code"] for x in existing.rows(PostType.__table__)})  # type: ignore[arg-type]
