"""The season's work a school does and records (issue 12 parts 3–5): duty rosters (值班值守),
building fire files (一楼一案) with their
version history and evacuation plan PDFs, monthly fire checks of buildings, key-student home visits (家访) as counts.

Services check everything first, write, append one audit event and flush; they never commit
(the command or view does). The gap checks D1, F2 and V1 read what they write.
"""

from __future__ import annotations

from .checkins import Attendance, AttendanceReport, CheckinRefused, attendance_rate, check_in, rostered_today
from .coverage import DayCoverage, roster_coverage
from .evacuation_plans import BadPlan, check_plan_pdf, plan_store
from .firechecks import record_fire_check
from .firefile_queries import building_json, checks_of, history_of, school_buildings, version_json
from .firefiles import FireFileConflict, FireFileFields, current_fields, edit_fire_file, find_building, may_edit
from .roster_days import (
    PlannedDay,
    RosterPlan,
    ShiftPlan,
    edit_roster_day,
    leader_choices,
    roster_plan,
    roster_template,
)
from .rosters import ROSTER_COLUMNS, RosterImport, RosterRow, import_roster, read_roster_xlsx
from .seasons import live_campaign
from .visits import record_visits

__all__ = [
    "BadPlan",
    "FireFileConflict",
    "FireFileFields",
    "building_json",
    "check_plan_pdf",
    "checks_of",
    "current_fields",
    "edit_fire_file",
    "find_building",
    "history_of",
    "may_edit",
    "plan_store",
    "school_buildings",
    "version_json",
    "ROSTER_COLUMNS",
    "Attendance",
    "AttendanceReport",
    "CheckinRefused",
    "PlannedDay",
    "RosterPlan",
    "RosterRow",
    "ShiftPlan",
    "attendance_rate",
    "check_in",
    "edit_roster_day",
    "leader_choices",
    "roster_plan",
    "roster_template",
    "rostered_today",
    "DayCoverage",
    "RosterImport",
    "import_roster",
    "live_campaign",
    "read_roster_xlsx",
    "record_fire_check",
    "record_visits",
    "roster_coverage",
]
