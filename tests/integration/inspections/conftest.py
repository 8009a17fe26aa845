"""Fixtures of the inspections tests; constants and helpers live in ``round_tools``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result
from round_tools import day


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
