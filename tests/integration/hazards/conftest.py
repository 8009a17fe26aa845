"""Fixtures of the hazard loop tests: the demo county's first school and a helper to run steps."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result
from PIL import Image

from responsibility import clock

# SCH001 of the demo county: principal P00027, party secretary P00028, safety deputy P00029,
# teaching deputy P00030, general affairs P00031; grid G00003 owned by P00087.
SCHOOL = "SCH001"
GRID = "G00003"
REPORTER = "P00087"
DEPUTY = "P00029"
PRINCIPAL = "P00027"
LEADER = "P00030"
RECTIFIER = "P00031"


def jpeg(size: tuple[int, int] = (64, 48), exif: bool = True) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPS latitude
        image.save(out, format="JPEG", exif=data)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


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


def county_today() -> dt.date:
    """Today as the CLI sees it (the configured zone, Asia/Shanghai)."""
    return clock.today(clock.DEFAULT_ZONE)


def day(offset: int = 0) -> str:
    return (county_today() + dt.timedelta(days=offset)).isoformat()
