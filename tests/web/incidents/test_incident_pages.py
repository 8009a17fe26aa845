"""The incident pages: a school's staff report (a late one is 迟报), bad input refused with the
form's message in the reader's language and nothing written, the bureau's record of 漏报/瞒报 the
school sees, the county list with filters, and who may do what (403/404)."""

from __future__ import annotations

import re

from sqlalchemy import func, select


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return match.group(1) if match else ""


def _count(app) -> int:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.models import Incident

    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Incident)) or 0)


FORM = {"kind": "E07", "occurred_at": "2025-01-15T08:30", "place": "G00002", "severity": "ordinary",
        "deaths": "0", "injuries": "1", "description": "课间楼梯拥挤，一名学生摔伤"}  # fmt: skip


def test_a_principal_reports_an_incident_and_bad_input_is_refused(demo_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    principal = demo_login("P00027")
    page = principal.get("/incidents/report").get_data(as_text=True)
    assert "报告事故/事件" in page and 'value="G00002"' in page and 'value="BLD0001"' in page
    assert 'value="G00111"' not in page  # another school's grid is not offered
    data = {**FORM, "csrf_token": _csrf(page), "school": "SCH001"}
    future = principal.post("/incidents/report", data={**data, "occurred_at": "2099-01-01T08:00"})
    assert future.status_code == 400 and "在当前时间之后" in future.get_data(as_text=True)
    other = principal.post("/incidents/report", data={**data, "place": "G00111"})
    assert other.status_code == 400 and "不属于" in other.get_data(as_text=True)
    english = principal.post("/incidents/report?lang=en", data={**data, "kind": "E99"})
    assert english.status_code == 400 and "No incident kind" in english.get_data(as_text=True)
    assert _count(demo_app) == 0
    done = principal.post("/incidents/report?lang=zh_CN", data=data)
    assert done.status_code == 302
    detail = principal.get(done.headers["Location"]).get_data(as_text=True)
    assert "迟报" in detail and "拥挤踩踏" in detail and "课间楼梯拥挤" in detail  # reported long after: late
    listing = principal.get("/incidents?lang=en").get_data(as_text=True)
    assert "Reported late" in listing and "Crowd crush" in listing
    assert principal.post("/incidents/report", data={**data, "school": "SCH002"}).status_code == 403


def test_the_bureau_records_an_unreported_incident_the_school_sees(demo_login) -> None:  # type: ignore[no-untyped-def]
    principal = demo_login("P00027")
    assert principal.get("/incidents/record").status_code == 403
    deputy = demo_login("P00002")
    page = deputy.get("/incidents/record").get_data(as_text=True)
    data = {**FORM, "csrf_token": _csrf(page), "school": "SCH001", "kind": "E01", "place": "BLD0001",
            "deaths": "1", "concealed": "1", "description": "学生坠楼身亡，学校未报告"}  # fmt: skip
    wrong = deputy.post("/incidents/record", data={**data, "place": "G00111"})
    assert wrong.status_code == 400
    assert deputy.post("/incidents/record", data=data).status_code == 302
    elsewhere = deputy.post("/incidents/record", data={**data, "school": "SCH002", "place": "G00111", "concealed": ""})
    assert elsewhere.status_code == 302
    foreign = elsewhere.headers["Location"].rsplit("/", 1)[-1]
    county = deputy.get("/incidents?status=concealed&town=城关镇").get_data(as_text=True)
    assert county.count("data-incident=") == 1 and "瞒报" in county
    assert deputy.get("/incidents?status=late").get_data(as_text=True).count("data-incident=") == 0
    principal = demo_login("P00027")
    own = principal.get("/incidents").get_data(as_text=True)
    assert own.count("data-incident=") == 1 and "瞒报" in own and "亡人责任事故" in own
    assert f'data-incident="{foreign}"' not in own and principal.get(f"/incidents/{foreign}").status_code == 404
    assert deputy.get(f"/incidents/{foreign}").get_data(as_text=True).count("漏报") >= 1


def test_the_menu_links_the_incident_list_in_both_languages(demo_login) -> None:  # type: ignore[no-untyped-def]
    principal = demo_login("P00027")
    assert '<a href="/incidents">事故/事件</a>' in principal.get("/").get_data(as_text=True)
    assert '<a href="/incidents">Incidents</a>' in principal.get("/?lang=en").get_data(as_text=True)


def test_the_assessment_page_links_the_incidents_behind_a_deduction_and_a_veto(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    made = demo_runner.invoke(args=["campaign", "create", "考核批次", "--start", "2024-11-15", "--end", "2025-04-30"])
    campaign = made.output.split()[-1]
    reported = demo_runner.invoke(args=["incident", "report", "--school", "SCH001", "--kind", "E03", "--at",
                                        "2025-01-15 11:00", "--reported", "2025-01-15 14:00", "--place", "BLD0001",
                                        "--severity", "larger", "--description", "食堂午餐后多名学生腹泻"])  # fmt: skip
    number = reported.output.split()[-1]
    page = demo_login("P00002").get(f"/assessment/{campaign}/SCH001?at=2025-03-20").get_data(as_text=True)
    link = f'href="/incidents/{number}"'
    assert page.count(link) == 3  # D03 (迟报), X01 (veto kind) and X04 (late report of a veto kind)
    assert 'data-rule="D03"' in page and "迟报120分钟" in page
