"""Constants and helpers (importable by name: a bare `conftest` import clashes across folders) of the inspection-round tests: the demo county and a runner of `flask round …`."""

from __future__ import annotations

import datetime as dt

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
