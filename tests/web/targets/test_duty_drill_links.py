"""A school's scorecard links a 值班到岗率 shortfall to its roster days and a 全员疏散演练 one to its
sessions; the assessment page links a patrol gap to the grid's patrol history."""

from __future__ import annotations


def _campaign(demo_runner) -> int:  # type: ignore[no-untyped-def]
    made = demo_runner.invoke(
        args=["campaign", "create", "到岗演练页面", "--start", "2024-11-15", "--end", "2025-04-30"]
    )
    assert made.exit_code == 0, made.output
    return int(made.output.split()[-1])


def _card(page: str, key: str) -> str:
    return page.split(f'id="target-{key}"')[1].split("</li>\n  \n")[0]


def test_the_scorecard_links_roster_days_and_sessions(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    chief = demo_login("P00001")
    page = chief.get(f"/targets/{campaign}/SCH001?at=2025-01-29").get_data(as_text=True)
    duty = _card(page, "duty_rate")
    assert duty.startswith(' data-status="behind"')
    assert 'href="/rosters/SCH001?day=2025-01-27"' in duty and "2025-01-27：" in duty and "人值班未登记到岗" in duty
    drills = _card(page, "drills")
    assert 'href="/schools/SCH001/education"' in drills and "本学期已登记 0 次" in drills
    english = chief.get(f"/targets/{campaign}/SCH001?at=2025-01-29&lang=en").get_data(as_text=True)
    assert "on duty without a check-in" in _card(english, "duty_rate")
    assert "Sessions recorded this term: 0" in _card(english, "drills")


def test_the_assessment_links_a_patrol_gap_to_the_grid_history(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    page = demo_login("P00001").get(f"/assessment/{campaign}/SCH001?at=2024-12-02").get_data(as_text=True)
    assert 'href="/patrols/grids/G00001?start=2024-11-18&amp;end=2024-12-02"' in page
    assert "2024-11-18—2024-11-24巡查记录缺失" in page
