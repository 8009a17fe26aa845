"""Fixtures of the hazards tests; constants and helpers live in ``hazard_tools``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result


@pytest.fixture
def hz(pki_demo_app) -> Callable[..., Result]:  # type: ignore[no-untyped-def]
    """``hz("report", "--school", …)`` runs ``flask hazard …`` on the demo county (with its PKI:
    closing a hazard seals its dossier)."""
    runner = pki_demo_app.test_cli_runner()

    def run(*args: str) -> Result:
        return runner.invoke(args=["hazard", *args], catch_exceptions=False)

    return run


@pytest.fixture
def show(hz) -> Callable[[str], dict[str, Any]]:  # type: ignore[no-untyped-def]
    def view(file_no: str) -> dict[str, Any]:
        result = hz("show", file_no, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return view
