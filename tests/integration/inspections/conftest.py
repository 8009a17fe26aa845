"""Fixtures of the inspection-round tests: the demo county and a runner of `flask round …`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result

from responsibility import clock

# SCH001 of the demo county (boarding, canteen, gas_or_heating, k12, lab, special_equipment; no
# bus): safety deputy P00029, principal P00027; grid owner P00087 (G00003); building BLD0001.
SCHOOL = "SCH001"
DEPUTY = "P00029"
PRINCIPAL = "P00027"
STAFF = "P00087"
BUREAU_SAFETY = "P00002"  # B02, the bureau's deputy in charge of safety
BUS_SCHOOL = "SCH011"  # 镇中心小学 in T02 with school buses
KINDERGARTEN = "SCH048"


def county_today() -> dt.date:
    return clock.today(clock.DEFAULT_ZONE)


def day(offset: int = 0) -> str:
    return (county_today() + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def rnd(demo_app) -> Callable[..., Result]:  # type: ignore[no-untyped-def]
    """``rnd("open", "冬季大排查", …)`` runs ``flask round …`` on the demo county."""
    runner = demo_app.test_cli_runner()

    def run(*args: str) -> Result:
        return runner.invoke(args=["round", *args], catch_exceptions=False)

    return run


@pytest.fixture
def open_round(rnd) -> Callable[..., str]:  # type: ignore[no-untyped-def]
    def opened(*extra: str) -> str:
        result = rnd("open", "2025年冬季安全大排查", "--start", day(-3), "--end", day(20), *extra)
        assert result.exit_code == 0, result.output
        return result.output.strip().splitlines()[-1]

    return opened


@pytest.fixture
def checklist(rnd) -> Callable[[str, str], dict[str, Any]]:  # type: ignore[no-untyped-def]
    def view(round_id: str, school: str) -> dict[str, Any]:
        result = rnd("checklist", round_id, school, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return view
