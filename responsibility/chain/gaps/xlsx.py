"""The gap report as an Excel workbook: a summary sheet, then one sheet per check.

Each finding row links (a real cell hyperlink) to the page where the problem is fixed: the
school page with an anchor, under the ``base_url`` the caller passes (``PUBLIC_BASE_URL``).
Headers are Chinese; the workbook's document properties carry a fixed time (no wall clock).
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .base import CHECK_TITLES, Finding
from .report import GapReport

__all__ = ["HEADERS", "SEVERITY_LABELS", "fix_url", "report_workbook"]

HEADERS: tuple[str, ...] = ("学校编号", "学校名称", "所属镇", "问题对象", "问题说明", "严重程度", "整改页面")
SEVERITY_LABELS: dict[str, str] = {"normal": "一般", "high": "加重", "critical": "升级督办"}
_LINK_FONT = Font(color="0563C1", underline="single")
_BOLD = Font(bold=True)
_FIXED_TIME = dt.datetime(2000, 1, 1)


def fix_url(base_url: str, finding: Finding) -> str | None:
    """The absolute address where ``finding`` is fixed, or None."""
    if not finding.fix_url_hint:
        return None
    return base_url.rstrip("/") + finding.fix_url_hint


def report_workbook(report: GapReport, *, base_url: str) -> bytes:
    """The .xlsx bytes of ``report``: sheet 汇总, then one sheet named by each check code that ran."""
    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    summary.append(["审计缺口报告", f"数据日期：{report.at.isoformat()}"])
    summary.append(["责任书批次", report.campaign or "最近一期纸质责任书"])
    for note in report.notes:
        summary.append(["说明", note])
    summary.append([])
    summary.append(["检查项", "检查内容", "问题数"])
    for cell in summary[summary.max_row]:
        cell.font = _BOLD
    counts = report.counts()
    for code in report.checks:
        summary.append([code, CHECK_TITLES[code], counts[code]])
    summary.column_dimensions["B"].width = 40
    for code in report.checks:
        sheet = wb.create_sheet(code)
        sheet.append([f"{code} {CHECK_TITLES[code]}"])
        sheet["A1"].font = _BOLD
        sheet.append(list(HEADERS))
        for cell in sheet[2]:
            cell.font = _BOLD
        for f in report.by_check(code):
            org = report.orgs.get(f.school_id)
            url = fix_url(base_url, f)
            sheet.append(
                [
                    f.school_id,
                    org.name if org else "",
                    (org.town_name or "") if org else "",
                    f.subject_id,
                    f.message,
                    SEVERITY_LABELS.get(f.severity, f.severity),
                    "前往整改" if url else "",
                ]
            )
            if url:
                link = sheet.cell(row=sheet.max_row, column=len(HEADERS))
                link.hyperlink = url
                link.font = _LINK_FONT
        for column, width in zip("ABCDEFG", (10, 30, 12, 16, 60, 10, 12), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A3"
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
