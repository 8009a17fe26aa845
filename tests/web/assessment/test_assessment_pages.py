"""The assessment pages: the county table, a school's deductions with evidence, the assessors'
forms (a score with a reason, a veto decision), refusals and visibility."""

from __future__ import annotations

import re

AS_OF = "2025-03-20"


def _campaign(demo_runner) -> int:  # type: ignore[no-untyped-def]
    made = demo_runner.invoke(
        args=["campaign", "create", "考核页面批次", "--start", "2024-11-15", "--end", "2025-04-30"]
    )
    assert made.exit_code == 0, made.output
    return int(made.output.split()[-1])


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return match.group(1) if match else ""


def test_the_county_table_and_a_school_with_its_evidence(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    deputy = demo_login("P00002")
    page = deputy.get(f"/assessment/{campaign}?at={AS_OF}").get_data(as_text=True)
    assert page.count("data-school=") == 60 and "隐患排查治理" in page
    row = page.split('data-school="SCH017"')[1].split("</tr>")[0]
    assert "不合格" in row and "一票否决" in row and "否决项待认定" in row
    school = deputy.get(f"/assessment/{campaign}/SCH016?at={AS_OF}").get_data(as_text=True)
    assert 'data-rule="H02"' in school and "整改期限" in school and "确定得分" in school


def test_an_assessor_sets_a_score_and_decides_a_veto(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    deputy = demo_login("P00002")
    page = deputy.get(f"/assessment/{campaign}/SCH016").get_data(as_text=True)
    data = {"csrf_token": _csrf(page), "part": "hazards", "points": "20", "reason": "抽查台账与现场不符"}
    done = deputy.post(f"/assessment/{campaign}/SCH016/adjust", data=data)
    assert done.status_code == 302
    after = deputy.get(f"/assessment/{campaign}/SCH016").get_data(as_text=True)
    assert "考核人员调整为 20 分：抽查台账与现场不符" in after
    too_many = deputy.post(f"/assessment/{campaign}/SCH016/adjust", data={**data, "points": "99"})
    assert too_many.status_code == 400 and "超出该分项分值范围" in too_many.get_data(as_text=True)
    no_reason = deputy.post(f"/assessment/{campaign}/SCH016/adjust", data={**data, "reason": " "})
    assert no_reason.status_code == 400 and "必须写明理由" in no_reason.get_data(as_text=True)
    not_a_number = deputy.post(f"/assessment/{campaign}/SCH016/adjust", data={**data, "points": "abc"})
    assert not_a_number.status_code == 400

    veto = {"csrf_token": _csrf(page), "veto": "X05", "decision": "confirmed", "reason": "现场核实无管控措施"}
    assert deputy.post(f"/assessment/{campaign}/SCH017/veto", data=veto).status_code == 302
    confirmed = deputy.get(f"/assessment/{campaign}/SCH017").get_data(as_text=True)
    assert "已确认" in confirmed and "现场核实无管控措施" in confirmed


def test_schools_read_their_own_and_cannot_assess(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    principal = demo_login("P00027")
    own = principal.get(f"/assessment/{campaign}/SCH001").get_data(as_text=True)
    assert "责任落实" in own and "确定得分" not in own
    assert principal.get(f"/assessment/{campaign}/SCH016").status_code == 404
    data = {"csrf_token": _csrf(own), "part": "hazards", "points": "25", "reason": "学校给自己打分"}
    refused = principal.post(f"/assessment/{campaign}/SCH001/adjust", data=data)
    assert refused.status_code == 403 and "只有局机关人员可以考核评分" in refused.get_data(as_text=True)
    assert principal.get(f"/assessment/{campaign}").get_data(as_text=True).count("data-school=") == 1
    auditor = demo_login("auditor")
    assert "确定得分" not in auditor.get(f"/assessment/{campaign}/SCH016").get_data(as_text=True)
    assert auditor.get(f"/assessment/{campaign}?at=bad").status_code == 400
