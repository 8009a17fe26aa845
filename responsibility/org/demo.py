"""The project's own fictional demo county, and loading it with working demo logins.

:func:`build_demo_county` generates, from a seed, a county in exactly the import format of
``flask org import`` (the shape of ``domain/demo_county.json``, with its own names): ≈60 schools,
≈1,900 persons and post assignments, ≈2,100 grids, buildings with fire plans, liaison
assignments, hazards, duty rosters, home visits and last season's paper agreements. The same
seed always gives the same dict; ``scale=N`` gives an N-times larger county for benchmarks.

The county is clean except for the problems listed in :data:`PLANTED_PROBLEMS` (see
:mod:`.demo_problems`), one or more for every gap check, so the gap report can be tested for
both misses and false positives.

:func:`load_demo` imports it and sets the documented demo password on the accounts of
:data:`DEMO_LOGINS`; it never commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.passwords import check_policy, set_password
from ..accounts.service import create_admin, create_auditor
from ..audit import append_event
from ..errors import BadInput
from ..models import KIND_ADMIN, KIND_AUDITOR, User
from .demo_bureau import build_bureau, liaison_for
from .demo_catalog import ASSESSMENT_SCHEME, CLAUSES, RISK_AREAS
from .demo_context import AS_OF, PERIOD, DemoContext
from .demo_names import CITY_NAME, COUNTY_NAME, PROVINCE_NAME, town_plan
from .demo_plan import SCHOOLS_PER_BLOCK, TOWNS_PER_BLOCK, plan_block
from .demo_posts import POST_CATALOG, post_entry
from .demo_problems import PlantedProblem, plant_records, plant_school
from .demo_records import (
    SCHOOL_ROSTER_POSITIONS,
    agreement_for,
    bureau_roster,
    clean_hazards,
    home_visit_for,
    school_roster,
)
from .demo_school import build_school
from .importing import ImportSummary, import_county

__all__ = [
    "DEFAULT_SEED",
    "DEMO_LOGINS",
    "PLANTED_PROBLEMS",
    "DemoLogin",
    "DemoSummary",
    "PlantedProblem",
    "build_demo_county",
    "load_demo",
    "planted_problems",
]

DEFAULT_SEED = 20241201

DEMO_LOGINS: tuple[tuple[str, str, str], ...] = (
    ("P00001", "局党组书记、局长（主要领导负总责）", "全县总览；任选学校查看责任链一直追溯到本人"),
    ("P00002", "分管安全副局长（分管领导具体抓）", "全县学校、隐患和督办情况"),
    ("P00010", "安全稳定股干部（包抓第一高级中学）", "查看本股室包抓的学校；打开其他学校应得到404"),
    ("P00027", "岚川县第一高级中学校长", "本校领导、岗位清单、网格树和楼栋；打开他校应得到404"),
    ("P00028", "岚川县第一高级中学党组织书记", "与校长同为第一责任人：查看本校责任清单"),
    ("P00047", "高一（1）班班主任、班级网格长", "本人网格与上溯到局长的责任链"),
    ("admin", "系统管理员（局机关）", "账号管理：签发激活链接、初始密码，创建审计员"),
    ("auditor", "审计员（全县只读）", "只读浏览全县数据和缺口报告"),
)
"""(username, role in Chinese, what to try) for each demo login; all share the demo password."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    display_name: str
    role: str
    hint: str


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`load_demo` did."""

    seed: int
    source: str
    import_summary: ImportSummary
    logins: tuple[DemoLogin, ...]
    """The demo accounts, in :data:`DEMO_LOGINS` order, all with the demo password."""


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


def _build(seed: int, scale: int) -> tuple[dict[str, Any], tuple[PlantedProblem, ...]]:
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
            if block == 0:
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
        if spec.index <= SCHOOLS_PER_BLOCK:
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
    order = {
        code: n
        for n, code in enumerate(
            (
                "A1",
                "A2",
                "A3",
                "A4",
                "P1",
                "P2",
                "G1",
                "G2",
                "G3",
                "G4",
                "L1",
                "L2",
                "H1",
                "H2",
                "H3",
                "H4",
                "D1",
                "F1",
                "F2",
                "K1",
                "V1",
            )
        )
    }
    planted = tuple(sorted(ctx.planted, key=lambda p: (order[p.check], p.school_id)))
    return data, planted


def build_demo_county(seed: int = DEFAULT_SEED, scale: int = 1) -> dict[str, Any]:
    """The demo county for ``seed`` as an import-format dict (fresh on every call)."""
    return _build(seed, scale)[0]


def planted_problems(seed: int = DEFAULT_SEED, scale: int = 1) -> tuple[PlantedProblem, ...]:
    """The problems planted in ``build_demo_county(seed, scale)`` (all in its first 60 schools)."""
    return _build(seed, scale)[1]


PLANTED_PROBLEMS: tuple[PlantedProblem, ...] = (
    PlantedProblem("A1", "SCH023", "AGR-2024DC-023", "agreement signed by the principal only"),
    PlantedProblem("A2", "SCH052", "AGR-2024DC-052", "agreement not signed"),
    PlantedProblem("A3", "SCH021", "AGR-2024DC-021", "school bus but no school-bus clause C08"),
    PlantedProblem("A4", "SCH012", "AGR-2024DC-012", "internal post agreements not signed by every staff member"),
    PlantedProblem("P1", "SCH028", "PA01228", "school-defined post with no safety duty"),
    PlantedProblem("P2", "SCH013", "S19", "school bus without an attendant (the attendant resigned)"),
    PlantedProblem("P2", "SCH020", "S15", "boarding school whose dorm managers are all men"),
    PlantedProblem("G1", "SCH025", "G01270", "grid without an owner"),
    PlantedProblem("G2", "SCH015", "G00858", "grid owner was transferred away (inactive)"),
    PlantedProblem("G3", "SCH022", "BLD0094", "building not covered by any grid"),
    PlantedProblem("G4", "SCH027", "G01335", "grid subtree not linked to the school grid (second root)"),
    PlantedProblem("L1", "SCH046", "SCH046", "no liaison section"),
    PlantedProblem("L2", "SCH030", "P00007", "liaison person is not a member of the liaison section"),
    PlantedProblem("H1", "SCH024", "HZ0011", "hazard without a responsible person"),
    PlantedProblem("H2", "SCH016", "HZ0008", "hazard past its deadline and not closed"),
    PlantedProblem("H3", "SCH007", "HZ0005", "hazard closed by its own responsible person"),
    PlantedProblem("H4", "SCH017", "HZ0009", "major hazard neither supervised nor under interim measures"),
    PlantedProblem("D1", "SCH026", "2025-01-28", "holiday duty roster day without a leader on duty"),
    PlantedProblem("F1", "SCH019", "BLD0078", "building without a fire plan"),
    PlantedProblem("F2", "SCH018", "BLD0071", "last monthly fire check more than 31 days ago"),
    PlantedProblem("K1", "SCH060", "BLD0203", "children's rooms above the third floor"),
    PlantedProblem("V1", "SCH014", "SCH014", "home visits to key students incomplete"),
)
"""The planted problems of the default county (``DEFAULT_SEED``, any scale), by check code."""


def _account(session: Session, username: str) -> User | None:
    return session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def load_demo(session: Session, *, password: str, actor: str = "demo", seed: int = DEFAULT_SEED) -> DemoSummary:
    """Import the demo county (source ``demo:<seed>``) and make the demo logins work.

    Sets ``password`` (no forced change) on the person accounts of :data:`DEMO_LOGINS` and
    creates the ``admin`` and ``auditor`` accounts with it, or resets their password when they
    exist. Writes the import's audit event plus one ``demo.passwords_set`` event; never commits.
    """
    check_policy(password)
    source = f"demo:{seed}"
    summary = import_county(session, build_demo_county(seed), source=source, actor=actor)
    logins = []
    for username, role, hint in DEMO_LOGINS:
        user = _account(session, username)
        if username == "admin" and user is None:
            user = create_admin(session, username="admin", display_name="系统管理员", password=password, actor=actor)
        elif username == "auditor" and user is None:
            user = create_auditor(session, username="auditor", display_name="审计员", password=password, actor=actor)
        if user is None:
            raise BadInput(f"demo account {username} was not created by the import")
        if username in ("admin", "auditor") and user.kind not in (KIND_ADMIN, KIND_AUDITOR):
            raise BadInput(f"account {username} exists and is not a demo {username} account")
        set_password(user, password, must_change=False)
        logins.append(DemoLogin(username, user.display_name, role, hint))
    session.flush()
    append_event(
        session,
        actor=actor,
        action="demo.passwords_set",
        subject=source,
        data={"usernames": [login.username for login in logins], "on": dt.date.today().isoformat()},
    )
    return DemoSummary(seed=seed, source=source, import_summary=summary, logins=tuple(logins))
