"""Helpers of the season tests (imported by their own module name, like ``round_tools``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from responsibility.chain.gaps.base import CheckContext, Finding

HEADER = ("日期", "班次", "带班领导", "值班人员", "门卫", "宿管")
SCHOOL = "SCH001"
PRINCIPAL = "P00027"  # SCH001 校长 (S01)
DEPUTY = "P00029"  # SCH001 分管安全副校长 (S03)
GUARD = "P00038"  # SCH001 门卫 (S16): not a leading post
DORM = "P00043"  # SCH001 宿管 (S15)
OTHER_PRINCIPAL = "P01050"  # SCH025 校长


def write_roster(path: Path, rows: list[tuple[object, ...]], header: tuple[str, ...] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def subjects(findings: list[Finding], org: str) -> set[str]:
    return {f.subject_id for f in findings if f.school_id == org}


def context(session, at: dt.date) -> CheckContext:  # type: ignore[no-untyped-def]
    return CheckContext(session=session, at=at)
