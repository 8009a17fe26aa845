"""The targets pages: the county table and charts, a school's scorecard with links to the records
behind each shortfall, visibility, paging and bad input."""

from __future__ import annotations

AS_OF = "2025-01-31"


def _campaign(demo_runner) -> int:  # type: ignore[no-untyped-def]
    made = demo_runner.invoke(
        args=["campaign", "create", "目标页面批次", "--start", "2024-11-15", "--end", "2025-04-30"]
    )
    assert made.exit_code == 0, made.output
    return int(made.output.split()[-1])


def test_the_county_table_counts_schools_per_target_and_pages(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    chief = demo_login("P00001")
    assert f'href="/targets/{campaign}/SCH001' in chief.get("/targets").get_data(as_text=True)
    page = chief.get(f"/targets/{campaign}?at={AS_OF}").get_data(as_text=True)
    assert "网格长覆盖率" in page and "各项指标达标学校数" in page and "<meter" in page
    assert 'data-school="SCH025"' in page and 'data-school="SCH060"' in page  # 60 schools < one page
    assert "下一页" not in page
    grid_row = page.split('data-target="grid_coverage"')[1].split("</tr>")[0]
    assert '<td class="met">59</td>' in grid_row and '<td class="behind">1</td>' in grid_row
    town = chief.get(f"/targets/{campaign}?at={AS_OF}&town=T01").get_data(as_text=True)
    assert 'data-school="SCH001"' in town and town.count("data-school=") < 60
    english = chief.get(f"/targets/{campaign}?at={AS_OF}&lang=en").get_data(as_text=True)
    assert "Grids with an owner" in english and "网格长覆盖率" not in english


def test_a_scorecard_links_the_records_behind_a_shortfall(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    chief = demo_login("P00001")
    page = chief.get(f"/targets/{campaign}/SCH016?at={AS_OF}").get_data(as_text=True)
    overdue = page.split('id="target-overdue_hazards"')[1].split("</li>\n  \n")[0]
    assert 'data-status="behind"' in page.split('id="target-overdue_hazards"')[1][:40]
    assert "/hazards/HZ0008" in overdue
    grid = chief.get(f"/targets/{campaign}/SCH025?at={AS_OF}").get_data(as_text=True)
    assert "/org/schools/SCH025#G01270" in grid
    assert "学校责任书尚未生成" in grid and "系统中尚无此项工作的记录" in grid


def test_visibility_and_bad_input(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    principal = demo_login("P00027")  # principal of SCH001 only
    assert principal.get(f"/targets/{campaign}/SCH001?at={AS_OF}").status_code == 200
    assert principal.get(f"/targets/{campaign}/SCH016?at={AS_OF}").status_code == 404
    own = principal.get(f"/targets/{campaign}?at={AS_OF}").get_data(as_text=True)
    assert own.count("data-school=") == 1
    chief = demo_login("P00001")
    bad = chief.get(f"/targets/{campaign}?at=31.01.2025")
    assert bad.status_code == 400 and "日期格式应为" in bad.get_data(as_text=True)
    assert chief.get("/targets/999999").status_code == 404
    assert chief.get(f"/targets/{campaign}/SCH999").status_code == 404
