"""The project's own fictional demo county, generated from a seed.

:func:`build_demo_county` generates, from a seed, a county in exactly the import format of
``flask org import`` (the shape of ``domain/demo_county.json``, with its own names): ≈60 schools,
≈1,900 persons and post assignments, ≈2,100 grids, buildings with fire plans, liaison
assignments, hazards, duty rosters, home visits and last season's paper agreements. The same
seed always gives the same dict; ``scale=N`` gives an N-times larger county for benchmarks.

The county is clean except for the problems listed in :data:`~.problems.PLANTED_PROBLEMS` (see
:mod:`.problems`), one or more for every gap check, so the gap report can be tested for
both misses and false positives. Generating touches no database; :mod:`.load` imports it.
"""

from __future__ import annotations

from typing import Any

from ..chain.gaps import CHECK_CODES
from ..errors import BadInput
from .bureau import build_bureau, liaison_for
from .catalog import ASSESSMENT_SCHEME, CLAUSES, RISK_AREAS
from .context import AS_OF, PERIOD, DemoContext
from .names import CITY_NAME, COUNTY_NAME, PROVINCE_NAME, town_plan
from .plan import SCHOOLS_PER_BLOCK, TOWNS_PER_BLOCK, plan_block
from .plants import plant_records, plant_school
from .posts import POST_CATALOG, post_entry
from .problems import PlantedProblem
from .records import (
    SCHOOL_ROSTER_POSITIONS,
    agreement_for,
    bureau_roster,
    clean_hazards,
    home_visit_for,
    school_roster,
)
from .school import build_school

__all__ = ["DEFAULT_SEED", "build_demo_county", "planted_problems"]

DEFAULT_SEED = 20241201
"""The seed of the documented demo county (its ids, names and :data:`~.problems.PLANTED_PROBLEMS`)."""


def _meta(seed: int, scale: int) -> dict[str, Any]:
    note = (
        "Demo data for development and the demo instance. Fictional persons. The import format of `flask org import`."
    )
    if scale > 1:
        note += f" Synthetic county at {scale}x the demo size for benchmarks."
    return {
        "title": f"{COUNTY_NAME}教体系统冬春季安全稳定暨消防安全目标责任——演示数据",
        "fictional": True,
        "disclaimer": "县名、镇名、村（社区）名、学校名和人名均为虚构或随机组合生成，如有雷同纯属巧合；"
        "隐患、值班、家访等记录为演示用样例。",
        "modeled_on": "按陕南山区县的典型规模构造：10个镇，约60所中小学和幼儿园，约1900名在岗人员",
        "seed": seed,
        "as_of": AS_OF.isoformat(),
        "period": dict(PERIOD),
        "note": note,
    }


def _build(seed: int, scale: int, plant: bool = True) -> tuple[dict[str, Any], tuple[PlantedProblem, ...]]:
    if not isinstance(scale, int) or scale < 1:
        raise BadInput(f"scale must be a positive integer, not {scale!r}")
    ctx = DemoContext(seed=seed)
    towns = town_plan(TOWNS_PER_BLOCK * scale)
    bureau = build_bureau(ctx, COUNTY_NAME, [name for name, _, _ in towns])
    schools: list[dict[str, Any]] = []
    specs = []
    for block in range(scale):
        block_towns = towns[block * TOWNS_PER_BLOCK : (block + 1) * TOWNS_PER_BLOCK]
        for spec in plan_block(block, COUNTY_NAME, block_towns, seed):
            school = build_school(ctx, spec)
            if block == 0 and plant:
                plant_school(ctx, spec.index, school, PERIOD["start"])
            schools.append(school)
            specs.append(spec)

    liaisons, agreements, visits = [], [], []
    rosters = bureau_roster(bureau)
    by_school: dict[str, list[dict[str, Any]]] = {}
    for grid in ctx.grids:
        by_school.setdefault(grid["school_id"], []).append(grid)
    for spec, school in zip(specs, schools, strict=True):
        position = (spec.index - 1) % SCHOOLS_PER_BLOCK + 1
        rng = ctx.rng_for("records", spec.index)
        share = 0.05 if spec.kindergarten else 0.09 if spec.direct else rng.uniform(0.1, 0.16)
        rec: dict[str, Any] = {
            "agreement": agreement_for(school, COUNTY_NAME, spec.index, rng.randint(0, 5)),
            "liaison": liaison_for(ctx, spec, bureau),
            "home_visit": home_visit_for(school, share),
            "roster": school_roster(school) if position in SCHOOL_ROSTER_POSITIONS else [],
            "bureau": bureau,
        }
        clean_hazards(ctx, position, school, by_school[school["id"]])
        if spec.index <= SCHOOLS_PER_BLOCK and plant:
            plant_records(ctx, position, school, rec)
        agreements.append(rec["agreement"])
        if rec["liaison"] is not None:
            liaisons.append(rec["liaison"])
        visits.append(rec["home_visit"])
        rosters.extend(rec["roster"])

    data = {
        "meta": _meta(seed, scale),
        "county": {"name": COUNTY_NAME, "province": PROVINCE_NAME, "city": CITY_NAME, "bureau_id": bureau["id"]},
        "towns": [
            {
                "id": f"T{n + 1:02d}",
                "name": name,
                "note": note,
                "villages_or_communities": list(villages),
                "village_names_fictional": True,
            }
            for n, (name, note, villages) in enumerate(towns)
        ],
        "bureau": bureau,
        "risk_areas": [{"code": code, "name": name} for code, name in RISK_AREAS],
        "responsibility_item_templates": [
            {"code": code, "risk_area": area, "applies_when": when, "clause": clause, "target": target}
            for code, area, when, clause, target in CLAUSES
        ],
        "post_catalog": [post_entry(row[0]) for row in POST_CATALOG],
        "schools": schools,
        "liaison_assignments": liaisons,
        "persons": ctx.persons,
        "post_assignments": ctx.post_assignments,
        "grids": ctx.grids,
        "agreements": agreements,
        "hazards": ctx.hazards,
        "duty_rosters": rosters,
        "home_visits": visits,
        "assessment_scheme": {
            "name": f"{PERIOD['name']}安全稳定暨消防安全目标责任考核",
            **ASSESSMENT_SCHEME,
            "results": [],
        },
    }
    planted = tuple(sorted(ctx.planted, key=lambda p: (CHECK_CODES.index(p.check), p.school_id)))
    return data, planted


def build_demo_county(seed: int = DEFAULT_SEED, scale: int = 1, *, plant: bool = True) -> dict[str, Any]:
    """The demo county for ``seed`` as an import-format dict (fresh on every call).

    ``plant=False`` generates the same county without its planted problems: a county the gap
    report finds nothing in (the planting hooks add a few records, so later ids may differ)."""
    return _build(seed, scale, plant)[0]


def planted_problems(seed: int = DEFAULT_SEED, scale: int = 1) -> tuple[PlantedProblem, ...]:
    """The problems planted in ``build_demo_county(seed, scale)`` (all in its first 60 schools)."""
    return _build(seed, scale)[1]
