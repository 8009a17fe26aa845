"""The workbook form of the import format: one sheet per entity, Chinese column headers.

:data:`SHEETS` is the one description both directions use: :mod:`.read_workbook` turns a
workbook into the same dict shape as the JSON file (so there is one importer) and
:func:`write_workbook` turns that dict shape into a workbook. Lists of ids are comma-separated
cells; lists of free text have one item per line; dates are ISO text (``2024-11-15``); yes/no
cells are 是/否; dotted fields (``fire_plan.hydrants``) are nested objects in the dict.

A post assignment's duties (sheet 任职, kinds :data:`DUTY` and :data:`DUTIES`) tell *declared*
from *inherited*: an empty cell is a declared empty duty (``""`` / ``[]``: a P1 gap), and the
marker :data:`INHERITED` (（按岗位目录）) is the key left out, the catalogue post's duties
applying. Both directions keep the difference, so export → import round-trips it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BOOL",
    "DATE",
    "DUTIES",
    "DUTY",
    "IDS",
    "INHERITED",
    "INT",
    "JSON",
    "LINES",
    "META_KEYS",
    "NO",
    "PARTY_LABELS",
    "SHEETS",
    "TEXT",
    "YES",
    "Sheet",
    "write_workbook",
]

TEXT, INT, BOOL, DATE, IDS, LINES, JSON = "text", "int", "bool", "date", "ids", "lines", "json"
DUTY, DUTIES = "duty", "duties"
"""A post assignment's business duty (text) and safety duties (lines): see :data:`INHERITED`."""
INHERITED = "（按岗位目录）"
"""The cell of a duty the file does not declare (the catalogue post's applies); empty is declared empty."""


@dataclass(frozen=True)
class Sheet:
    name: str
    key: str
    """Where the rows go in the dict (``schools``, ``bureau.sections``, ``@campuses`` for nested)."""
    columns: tuple[tuple[str, str, str], ...]
    """(header, field, kind)."""
    optional: frozenset[str] = frozenset()
    """Headers an older workbook may lack (columns added later): a missing one reads as blank."""


def _c(*cols: tuple[str, str] | tuple[str, str, str]) -> tuple[tuple[str, str, str], ...]:
    return tuple((c[0], c[1], c[2] if len(c) == 3 else TEXT) for c in cols)  # type: ignore[misc]


PERIOD = (("有效期起", "valid_from", DATE), ("有效期止", "valid_to", DATE))
SHEETS: tuple[Sheet, ...] = (
    Sheet("元数据", "@meta", _c(("项目", "key"), ("值", "value", JSON))),
    Sheet(
        "镇",
        "towns",
        _c(
            ("编号", "id"),
            ("名称", "name"),
            ("说明", "note"),
            ("村社区", "villages_or_communities", LINES),
            ("村名虚构", "village_names_fictional", BOOL),
        ),
    ),
    Sheet(
        "局领导",
        "bureau.leaders",
        _c(
            ("人员编号", "person_id"),
            ("姓名", "name"),
            ("岗位代码", "post_code"),
            ("职务", "post"),
            ("责任角色", "accountability_role"),
            ("分工", "scope"),
        ),
    ),
    Sheet(
        "股室",
        "bureau.sections",
        _c(
            ("编号", "id"),
            ("名称", "name"),
            ("业务", "business"),
            ("负责人", "chief_person_id"),
            ("干部", "staff_person_ids", IDS),
            ("安全职责", "safety_duty"),
        ),
    ),
    Sheet("风险领域", "risk_areas", _c(("编码", "code"), ("名称", "name"))),
    Sheet(
        "条款",
        "responsibility_item_templates",
        _c(
            ("编号", "code"),
            ("风险领域", "risk_area"),
            ("适用条件", "applies_when"),
            ("条款内容", "clause"),
            ("指标", "target"),
        ),
    ),
    Sheet(
        "岗位",
        "post_catalog",
        _c(
            ("代码", "code"),
            ("名称", "name"),
            ("层级", "level"),
            ("业务职责", "business_duty"),
            ("安全职责", "safety_duties", LINES),
            ("党组织负责人", "party_role", BOOL),
            ("行政负责人", "admin_head", BOOL),
        ),
    ),
    Sheet(
        "学校",
        "schools",
        _c(
            ("编号", "id"),
            ("名称", "name"),
            ("类型", "type"),
            ("细分类型", "subtype"),
            ("办学性质", "ownership"),
            ("所属镇", "town_id"),
            ("局直属", "direct_to_bureau", BOOL),
            ("学段", "stage"),
            ("学生数", "students", INT),
            ("班级数", "classes", INT),
            ("教职工数", "staff", INT),
            ("寄宿生数", "boarders", INT),
            ("校车数", "school_buses", INT),
            ("特征", "features", IDS),
            ("党组织类型", "party_org_type"),
            ("备注", "note"),
        ),
    ),
    Sheet(
        "校区",
        "@campuses",
        _c(("学校编号", "school_id"), ("名称", "name"), ("学生数", "students", INT), ("班级数", "classes", INT)),
    ),
    Sheet(
        "建筑",
        "@buildings",
        _c(
            ("编号", "id"),
            ("学校编号", "school_id"),
            ("名称", "name"),
            ("类型", "type"),
            ("层数", "floors", INT),
            ("人员密集", "dense_occupancy", BOOL),
            ("疏散楼梯", "stairs", INT),
            ("幼儿用房最高层", "child_rooms_top_floor", INT),
            ("网格编号", "grid_id"),
            ("备注", "note"),
            ("一楼一案", "fire_plan.plan_no"),
            ("灭火器", "fire_plan.extinguishers", INT),
            ("消火栓", "fire_plan.hydrants", INT),
            ("应急照明完好", "fire_plan.emergency_lighting_ok", BOOL),
            ("疏散标志完好", "fire_plan.evac_signs_ok", BOOL),
            ("最近月检", "fire_plan.last_monthly_check", DATE),
        ),
    ),
    Sheet(
        "人员",
        "persons",
        _c(
            ("编号", "id"),
            ("姓名", "name"),
            ("性别", "gender"),
            ("所属单位", "org_id"),
            ("在岗", "active", BOOL),
            ("入职日期", "joined_on", DATE),
            ("离岗日期", "left_on", DATE),
            ("离岗原因", "left_reason"),
            ("备注", "note"),
        ),
        frozenset({"入职日期", "离岗日期", "离岗原因"}),
    ),
    Sheet(
        "任职",
        "post_assignments",
        _c(
            ("编号", "id"),
            ("单位", "org_id"),
            ("岗位代码", "post_code"),
            ("本校岗位名称", "local_post_name"),
            ("人员", "person_id"),
            ("周期", "period"),
            ("业务职责", "business_duty", DUTY),
            ("安全职责", "safety_duties", DUTIES),
            ("备注", "note"),
            *PERIOD,
        ),
    ),
    Sheet(
        "联校包抓",
        "liaison_assignments",
        _c(
            ("学校", "school_id"),
            ("股室", "section_id"),
            ("包抓责任人", "liaison_person_id"),
            ("包联局领导", "bureau_leader_person_id"),
            ("周期", "period"),
            *PERIOD,
        ),
    ),
    Sheet(
        "网格",
        "grids",
        _c(
            ("编号", "id"),
            ("学校", "school_id"),
            ("层级", "level", INT),
            ("名称", "name"),
            ("范围类型", "scope_type"),
            ("上级网格", "parent_id"),
            ("网格长", "owner_person_id"),
            ("网格长起", "owner_valid_from", DATE),
            ("网格员", "member_person_ids", IDS),
        ),
    ),
    Sheet("网格长历史", "grid_owner_history", _c(("网格", "grid_id"), ("网格长", "person_id"), *PERIOD)),
    Sheet(
        "隐患",
        "hazards",
        _c(
            ("编号", "id"),
            ("档案号", "file_no"),
            ("学校", "school_id"),
            ("网格", "grid_id"),
            ("风险领域", "risk_area"),
            ("等级", "level"),
            ("来源", "source"),
            ("发现日期", "found_date", DATE),
            ("描述", "description"),
            ("整改措施", "plan.measures"),
            ("临时管控措施", "plan.temporary_measures"),
            ("资金（元）", "plan.funds_yuan", INT),
            ("整改时限", "plan.deadline", DATE),
            ("整改责任人", "responsible_person_id"),
            ("状态", "status"),
            ("验收人", "verified_by_person_id"),
            ("销号日期", "closed_date", DATE),
            ("挂牌督办", "listed_for_supervision", BOOL),
        ),
    ),
    Sheet(
        "隐患记录",
        "@records",
        _c(("隐患编号", "hazard_id"), ("日期", "date", DATE), ("措施", "action"), ("记录人", "by")),
    ),
    Sheet(
        "值班",
        "duty_rosters",
        _c(
            ("单位", "org_id"),
            ("日期", "date", DATE),
            ("班次", "shift"),
            ("带班领导", "leader_on_duty_person_id"),
            ("值班人员", "staff_on_duty_person_ids", IDS),
            ("重点岗位", "key_posts", JSON),
        ),
    ),
    Sheet(
        "家访",
        "home_visits",
        _c(
            ("学校", "school_id"),
            ("周期", "period"),
            ("计划数", "key_students_planned", INT),
            ("已访数", "key_students_visited", INT),
            ("类别", "categories", LINES),
            ("内容", "content", LINES),
        ),
    ),
    Sheet(
        "责任书",
        "agreements",
        _c(
            ("编号", "id"),
            ("标题", "title"),
            ("模板版本", "template_version"),
            ("周期", "period.name"),
            ("起始日期", "period.start", DATE),
            ("截止日期", "period.end", DATE),
            ("甲方", "party_a"),
            ("乙方学校", "party_b_school_id"),
            ("条款", "items", IDS),
            ("份数", "copies", INT),
            ("状态", "status"),
            ("甲方盖章", "seals.party_a", BOOL),
            ("乙方盖章", "seals.party_b", BOOL),
            ("教职工总数", "cascade.staff_total", INT),
            ("已签人数", "cascade.staff_signed", INT),
            ("备注", "remark"),
        ),
    ),
    Sheet(
        "责任书签字",
        "@signatures",
        _c(
            ("责任书编号", "agreement_id"),
            ("签约方", "party"),
            ("角色", "role"),
            ("人员", "person_id"),
            ("日期", "date", DATE),
            ("备注", "note"),
        ),
    ),
)
META_KEYS = ("meta", "county", "bureau", "assessment_scheme")
PARTY_LABELS = {"party_a": "甲方", "party_b": "乙方"}
YES, NO = "是", "否"


# --- writing -----------------------------------------------------------------------------------


def _cell(value: Any, kind: str) -> Any:
    if kind in (DUTY, DUTIES):
        return INHERITED if value is None else ("\n".join(value) if kind == DUTIES else value) or None
    if value is None:
        return None
    if kind == BOOL:
        return YES if value else NO
    if kind == IDS:
        return ", ".join(value) if value else None
    if kind == LINES:
        return "\n".join(value) if value else None
    if kind == JSON:
        return json.dumps(value, ensure_ascii=False)
    if kind == DATE:
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def _get(rec: Mapping[str, Any], field: str) -> Any:
    for part in field.split("."):
        if not isinstance(rec, Mapping):
            return None
        rec = rec.get(part)  # type: ignore[assignment]
    return rec


def write_workbook(rows_by_sheet: Mapping[str, Sequence[Mapping[str, Any]]]) -> bytes:
    """Write one sheet per entry of :data:`SHEETS` from ``rows_by_sheet[sheet.name]`` (records
    in the dict shape, flat per sheet)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        from openpyxl.cell import WriteOnlyCell

        header = []
        for title, _, _ in sheet.columns:
            cell = WriteOnlyCell(ws, value=title)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for rec in rows_by_sheet.get(sheet.name, []):
            ws.append([_cell(_get(rec, field), kind) for _, field, kind in sheet.columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
