"""The 30-post catalogue of the demo county (B01–B06 bureau, S01–S24 school), each post with
its business duty and safety duties (一岗双责) and the party-head / administrative-head flags.

Codes are the import format's; the wording is the project's own, after ``domain/outline.md``
§2.1 (the post table and the chain of responsibility).
"""

from __future__ import annotations

from typing import Any

__all__ = ["POST_CATALOG", "post_entry"]

# (code, name, level, business duty, safety duties, party_role, admin_head)
POST_CATALOG: tuple[tuple[str, str, str, str, tuple[str, ...], bool, bool], ...] = (
    (
        "B01",
        "党组书记、局长",
        "bureau",
        "主持局党组和局机关全面工作",
        ("对全县教育系统安全稳定和消防安全工作负总责", "每月主持研判安全形势", "代表甲方签订目标责任书并组织考核问责"),
        True,
        True,
    ),
    (
        "B02",
        "党组成员、副局长（分管安全稳定）",
        "bureau",
        "分管安全稳定和后勤基建工作",
        (
            "具体负责全县学校安全和消防工作的组织推进",
            "组织督查检查，对重大隐患挂牌督办",
            "审核局机关和学校的带班值班安排",
        ),
        False,
        False,
    ),
    (
        "B03",
        "党组成员、副局长",
        "bureau",
        "分管基础教育、学前教育、职成教育等业务",
        ("对分管领域的安全工作负领导责任", "包片联系所分管镇的学校，每月到校督查"),
        False,
        False,
    ),
    ("B04", "县政府教育督导室主任", "bureau", "教育督导和评估", ("组织安全专项督导和责任书年度考核",), False, False),
    (
        "B05",
        "股室负责人",
        "bureau",
        "本股室业务工作",
        ("牵头本股室联校包抓，督促包抓学校落实责任书", "跟踪包抓学校隐患整改和销号"),
        False,
        False,
    ),
    (
        "B06",
        "股室干部（包抓责任人）",
        "bureau",
        "本股室业务工作",
        ("每月到包抓学校督查至少1次", "寒假前后开展专项检查并填写督查记录"),
        False,
        False,
    ),
    (
        "S01",
        "校长（园长）",
        "school",
        "主持学校教育教学和行政管理全面工作",
        (
            "学校安全第一责任人（与党组织书记同责）",
            "消防安全责任人和食品安全第一责任人",
            "担任一级网格长，保障安全经费投入",
        ),
        False,
        True,
    ),
    (
        "S02",
        "党组织书记",
        "school",
        "党建、思想政治和师德师风建设",
        (
            "学校安全第一责任人（党政同责），安全工作领导小组双组长之一",
            "负责意识形态、网络舆情和矛盾纠纷化解",
            "担任一级网格副网格长",
        ),
        True,
        False,
    ),
    (
        "S03",
        "分管安全副校长（副园长）",
        "school",
        "分管安全稳定和后勤保障",
        ("具体抓学校安全工作，担任消防安全管理人", "组织隐患排查、建立台账，排定带班值班"),
        False,
        False,
    ),
    ("S04", "分管教学副校长", "school", "教育教学管理", ("负责教学活动、体育课和实验实训课的安全",), False, False),
    (
        "S05",
        "总务主任",
        "school",
        "后勤、财产和基建管理",
        ("负责校舍、水电、燃气、特种设备和施工安全", "担任设施区域二级网格长"),
        False,
        False,
    ),
    (
        "S06",
        "政教（德育）主任",
        "school",
        "学生德育和日常行为管理",
        ("组织安全教育、心理健康、防欺凌和反诈教育", "组织寒假家访，开展假期安全教育"),
        False,
        False,
    ),
    (
        "S07",
        "安全专干（安办主任）",
        "school",
        "学校安全办公室日常工作",
        ("组织日常巡查，登记隐患并建立一患一案一档", "管理安全档案，按时报送信息"),
        False,
        False,
    ),
    ("S08", "年级组长", "school", "本年级教育教学管理", ("担任年级二级网格长，督促班级网格长履职",), False, False),
    (
        "S09",
        "班主任",
        "school",
        "班级管理和学科教学",
        ("担任班级三级网格长，负责点名和因病缺课追踪", "放学前安全提醒，开展家访并关注学生心理"),
        False,
        False,
    ),
    (
        "S10",
        "心理健康教师",
        "school",
        "心理健康课程和个别辅导",
        ("组织心理普查，为重点学生建档并参与危机干预",),
        False,
        False,
    ),
    (
        "S11",
        "信息技术管理员",
        "school",
        "信息化设备和平台管理",
        ("负责网络安全、网站和公众号审核、监控系统运维",),
        False,
        False,
    ),
    ("S12", "校医（保健教师）", "school", "卫生保健工作", ("汇总晨午检，报告传染病疫情，指导通风消毒",), False, False),
    (
        "S13",
        "食堂管理员（食品安全员）",
        "school",
        "食堂运营管理",
        ("落实索证索票和留样，管理从业人员健康，规范燃气操作",),
        False,
        False,
    ),
    (
        "S14",
        "实验员（实验室管理员）",
        "school",
        "实验准备和仪器管理",
        ("落实危险化学品五双管理，负责实验室消防和通风",),
        False,
        False,
    ),
    ("S15", "宿管员", "school", "寄宿学生宿舍日常管理", ("24小时在岗，查寝和夜间巡查，检查宿舍用电",), False, False),
    (
        "S16",
        "门卫（专职保安）",
        "school",
        "校门值守",
        ("落实封闭管理和来访登记，上下学护学岗，一键报警",),
        False,
        False,
    ),
    ("S17", "电工（水电工）", "school", "水电设施维修", ("巡检线路和配电房，定期测试漏电保护装置",), False, False),
    (
        "S18",
        "校车驾驶员",
        "school",
        "驾驶校车接送学生",
        ("出车前安全检查，不超员不超速，恶劣天气停运并报告",),
        False,
        False,
    ),
    (
        "S19",
        "随车照管员",
        "school",
        "随车照管乘车学生",
        ("上下车清点人数，下车后检查车内有无遗留，制止危险行为",),
        False,
        False,
    ),
    (
        "S20",
        "实训指导教师",
        "school",
        "专业课实训教学和实训室管理",
        ("执行实训设备操作规程，配齐防护用品，保障实习学生安全",),
        False,
        False,
    ),
    ("S21", "特种设备作业人员", "school", "锅炉、电梯等设备运行", ("持证作业，日常点检，按期申报检验",), False, False),
    (
        "S22",
        "校区负责人（村小/教学点/成员校执行校长）",
        "school",
        "本校区日常管理",
        ("本校区安全直接责任人，担任校区二级网格长",),
        False,
        False,
    ),
    ("S23", "保育员", "school", "幼儿生活照料和保育", ("协助晨检，午睡巡视，清洁消毒，离园交接",), False, False),
    (
        "S24",
        "党建指导员（民办学校/幼儿园）",
        "school",
        "指导民办学校（幼儿园）党建工作",
        ("代行党组织负责人的安全职责，在责任书上签字",),
        True,
        False,
    ),
)

_POSTS_BY_CODE = {row[0]: row for row in POST_CATALOG}


def post_entry(code: str) -> dict[str, Any]:
    """The ``post_catalog`` entry of ``code`` in the import format."""
    code, name, level, business, safety, party_role, admin_head = _POSTS_BY_CODE[code]
    return {
        "code": code,
        "name": name,
        "level": level,
        "business_duty": business,
        "safety_duties": list(safety),
        "party_role": party_role,
        "admin_head": admin_head,
    }
