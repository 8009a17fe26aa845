"""Hand-made, fictional agreement contents: a large boarding school and a private kindergarten.

Used by the tests and the sample pages in ``docs/``. Built without a database,
deterministically (no randomness, no clock).
"""

from __future__ import annotations

from datetime import date, datetime

from ..clock import DEFAULT_ZONE
from ..pdf.content import (
    AgreementContent,
    AgreementParameters,
    BuildingRow,
    GridRow,
    PersonRef,
    PostDutyRow,
    SchoolFacts,
    apply_clauses,
)
from ..pdf.signers import bureau_signature_fields, school_signature_fields
from ..pdf.template import AgreementTemplate

__all__ = ["sample_kindergarten", "sample_large_school", "sample_parameters"]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
_GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"]


def _person(n: int) -> PersonRef:
    return PersonRef(f"P9{n:04d}", _SURNAMES[n % len(_SURNAMES)] + _GIVEN[(n * 7) % len(_GIVEN)])


def sample_parameters(template: AgreementTemplate, document_number: str = "LCJT-2025DC-SCH901") -> AgreementParameters:
    return AgreementParameters(
        county="岚川县",
        bureau="岚川县教育体育和科技局",
        season="2025—2026年冬春季",
        term_start=date(2025, 11, 15),
        term_end=date(2026, 4, 30),
        signing_date=date(2025, 11, 15),
        due_date=date(2025, 11, 30),
        copies=3,
        document_number=document_number,
        verification_base_url="https://anquan.lanchuan.example.cn",
        created_at=datetime(2025, 11, 10, 9, 0, tzinfo=DEFAULT_ZONE),
        targets=template.suggested_targets(),
    )


_DUTIES = [
    (
        "S03",
        "分管安全副校长",
        "分管安全稳定及后勤",
        ("具体抓安全工作，消防安全管理人", "组织隐患排查和台账，排定带班值班"),
    ),
    ("S05", "总务主任", "后勤、财产、基建", ("校舍、水电、燃气、特种设备、施工安全", "二级网格长（设施区域）")),
    (
        "S06",
        "政教（德育）主任",
        "德育和学生管理",
        ("安全教育、心理健康、防欺凌、反诈教育", "组织寒假家访和假期安全教育"),
    ),
    (
        "S09",
        "班主任",
        "班级管理与教学",
        ("三级网格长（班级）：点名和因病缺课追踪", "放学前安全提醒、家访、学生心理观察"),
    ),
    ("S15", "宿管员", "学生宿舍生活管理", ("24小时在岗、查寝、夜间巡查、宿舍用电检查",)),
    ("S16", "门卫（专职保安）", "门岗值守", ("封闭管理、来访登记、护学岗、一键报警",)),
    ("S13", "食堂管理员（食品安全员）", "食堂运营", ("索证索票、留样、从业人员健康管理、燃气操作规范",)),
    ("S14", "实验员（实验室管理员）", "实验准备与仪器管理", ("危化品五双管理、实验室消防和通风",)),
]


def _posts(principal: PersonRef, party: PersonRef, count: int, party_title: str, head_title: str) -> list[PostDutyRow]:
    rows = [
        PostDutyRow(
            "PA90001",
            principal,
            "S01",
            head_title,
            "全面负责教育教学和行政管理",
            ("安全第一责任人（与党组织书记同责）", "消防安全责任人、食品安全第一责任人", "一级网格长，保障安全经费"),
        ),
        PostDutyRow(
            "PA90002",
            party,
            "S02" if party_title == "党组织书记" else "S24",
            party_title,
            "党建、思想政治和师德师风",
            ("安全第一责任人（党政同责）、安全领导小组双组长之一", "意识形态和网络舆情、矛盾纠纷化解"),
        ),
    ]
    for i in range(count):
        code, name, business, safety = _DUTIES[i % len(_DUTIES)]
        rows.append(PostDutyRow(f"PA9{i + 3:04d}", _person(i + 10), code, name, business, safety))
    return rows


def _grids(
    school: str, principal: PersonRef, buildings: list[str], floors: int
) -> tuple[list[GridRow], list[BuildingRow]]:
    grids = [GridRow("G90001", None, 1, school, "学校", principal, (_person(3), _person(4)))]
    rows = []
    n = 2
    for b, bname in enumerate(buildings):
        gid = f"G9{n:04d}"
        grids.append(GridRow(gid, "G90001", 2, bname, "楼栋", _person(20 + b), (_person(40 + b),)))
        n += 1
        for f in range(1, floors + 1):
            grids.append(
                GridRow(
                    f"G9{n:04d}",
                    gid,
                    3,
                    f"{bname}{f}层",
                    "楼层",
                    _person(60 + b * floors + f),
                    tuple(_person(200 + b * floors + f + k) for k in range(2)),
                )
            )
            n += 1
        rows.append(
            BuildingRow(
                f"BLD9{b + 1:03d}",
                bname,
                "教学楼" if "教学" in bname else "其他",
                floors,
                f"一楼一案-SCH901-{bname}",
                gid,
                bname,
            )
        )
    return grids, rows


def sample_large_school(template: AgreementTemplate) -> AgreementContent:
    """A large public boarding middle school with buses and a lab; separate party secretary."""
    params = sample_parameters(template)
    principal, party, deputy = _person(1), _person(2), _person(5)
    names = ["一号教学楼", "二号教学楼", "三号教学楼", "实验楼", "男生公寓", "女生公寓", "学生食堂"]
    grids, buildings = _grids("岚川县示范初级中学", principal, names, 5)
    school = SchoolFacts(
        source_id="SCH901",
        name="岚川县示范初级中学",
        school_type="junior_middle",
        type_label="单设初中",
        features=("boarding", "canteen", "gas_or_heating", "k12", "lab", "school_bus"),
        students=3210,
        classes=60,
        staff=246,
        boarders=2380,
        buses=4,
        principal=principal,
        party_head=party,
        safety_deputy=deputy,
    )
    bureau = bureau_signature_fields(params.bureau, PersonRef("P00001", "龚伟"), PersonRef("P00001", "龚伟"))
    return AgreementContent(
        parameters=params,
        school=school,
        clauses=apply_clauses(template, params, school, tuple(buildings)),
        posts=tuple(_posts(principal, party, 80, "党组织书记", "校长")),
        grids=tuple(grids),
        buildings=tuple(buildings),
        signature_fields=bureau + school_signature_fields(school),
    )


def sample_kindergarten(template: AgreementTemplate) -> AgreementContent:
    """A private kindergarten: 园长 plus a 党建指导员; bureau secretary and chief are two people."""
    params = sample_parameters(template, "LCJT-2025DC-SCH902")
    principal, instructor = _person(7), _person(8)
    grids, buildings = _grids("岚川县小太阳幼儿园", principal, ["教学楼"], 3)
    school = SchoolFacts(
        source_id="SCH902",
        name="岚川县小太阳幼儿园",
        school_type="private",
        type_label="民办幼儿园",
        features=("canteen", "kindergarten", "school_bus"),
        students=210,
        classes=8,
        staff=31,
        boarders=0,
        buses=1,
        principal=principal,
        party_head=instructor,
        party_head_is_instructor=True,
    )
    bureau = bureau_signature_fields(params.bureau, PersonRef("P00001", "龚伟"), PersonRef("P00002", "魏平毅"))
    return AgreementContent(
        parameters=params,
        school=school,
        clauses=apply_clauses(template, params, school, tuple(buildings)),
        posts=tuple(_posts(principal, instructor, 12, "党建指导员", "园长")),
        grids=tuple(grids),
        buildings=tuple(buildings),
        signature_fields=bureau + school_signature_fields(school),
    )
