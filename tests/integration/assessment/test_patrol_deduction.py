"""H06 网格巡查记录缺失 (per grid and week) through the real database: the grid weeks of the term
without the patrols owed are the evidence, and logging the week's patrols takes it away.

Demo county, SCH001: G00001 owned by the principal P00027, members P00028 and P00029."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from responsibility.extensions import db
from responsibility.patrols import log_patrol
from responsibility.settings_work import PatrolSettings

SH = ZoneInfo("Asia/Shanghai")
AS_OF = "2024-12-02"  # a Monday: the weeks from 11-11 (the term starts on Friday 11-15) to 11-25 are over
WEEK = [dt.date(2024, 11, 18) + dt.timedelta(days=n) for n in range(7)]


def _campaign(runner) -> str:  # type: ignore[no-untyped-def]
    made = runner.invoke(args=["campaign", "create", "巡查考核", "--start", "2024-11-15", "--end", "2025-04-30"])
    assert made.exit_code == 0, made.output
    return str(made.output.split()[-1])


def _h06(runner, campaign: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["assess", "run", campaign, "--at", AS_OF, "--json", "--school", "SCH001"])
    assert result.exit_code == 0, result.output
    (school,) = json.loads(result.output)["schools"]
    (hazards,) = [p for p in school["parts"] if p["key"] == "hazards"]
    (rule,) = [d for d in hazards["deductions"] if d["rule"] == "H06"]
    return rule


def test_each_grid_week_without_its_patrols_is_evidence_until_they_are_logged(demo_runner, demo_app) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    before = _h06(demo_runner, campaign)
    refs = [e["ref"] for e in before["evidence"]]
    assert {"G00001:2024-11-11", "G00001:2024-11-18", "G00001:2024-11-25"} <= set(refs)
    assert not any(r.endswith("2024-12-02") for r in refs)  # the week of the day is not over
    assert before["count"] == len(refs) and before["points"] == min(0.5 * len(refs), 5)
    (line,) = [e["text"] for e in before["evidence"] if e["ref"] == "G00001:2024-11-18"]
    assert line.startswith("网格G00001（") and "2024-11-18—2024-11-24巡查记录缺失" in line

    with demo_app.app_context():
        for day in WEEK:
            moment = dt.datetime.combine(day, dt.time(9, 0), SH)
            for person in ("P00028", "P00029") + (("P00027",) if day == WEEK[0] else ()):
                log_patrol(db.session, "G00001", person, at=moment, now=moment, tz=SH, settings=PatrolSettings(),
                           actor="test")  # fmt: skip
        db.session.commit()
    after = [e["ref"] for e in _h06(demo_runner, campaign)["evidence"]]
    assert "G00001:2024-11-18" not in after and "G00001:2024-11-25" in after
    assert len(after) == len(refs) - 1
