"""Constants and helpers (importable by name: a bare `conftest` import clashes across folders) of the hazard loop tests: the demo county's first school and a helper to run steps."""

from __future__ import annotations

import datetime as dt
import io

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


def county_today() -> dt.date:
    """Today as the CLI sees it (the configured zone, Asia/Shanghai)."""
    return clock.today(clock.DEFAULT_ZONE)


def day(offset: int = 0) -> str:
    return (county_today() + dt.timedelta(days=offset)).isoformat()
