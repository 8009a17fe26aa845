"""The auditor's gap report (outline §2.4): read-only, set-based checks A1 … V1 over the data as
it stood on a day, each finding naming the school, the subject and where it is fixed.

One module per group of checks; :func:`run_gap_checks` runs them, :mod:`.xlsx` writes the
workbook (one sheet per check).
"""

from .base import CHECK_CODES, CHECK_TITLES, SEVERITY_CRITICAL, SEVERITY_HIGH, SEVERITY_NORMAL, Finding, fix_hint
from .report import CHECKS, GapReport, OrgInfo, parse_checks, run_gap_checks

__all__ = [
    "CHECKS",
    "CHECK_CODES",
    "CHECK_TITLES",
    "SEVERITY_CRITICAL",
    "SEVERITY_HIGH",
    "SEVERITY_NORMAL",
    "Finding",
    "GapReport",
    "OrgInfo",
    "fix_hint",
    "parse_checks",
    "run_gap_checks",
]
