"""Accountability (问责, issue 13 part 4): decisions on a school (both heads named, PG3) or on
persons, resting on an incident, a finding or the assessment; due-diligence claims (尽职免责)
linking the person's work records; the work records themselves (also read by the incident
dossier)."""

from .catalogue import AccountabilityCatalogue, load_catalogue
from .claims import decide_claim, file_claim, find_decision
from .decisions import record_decision, school_heads
from .work_records import WorkRecord, work_records

__all__ = [
    "AccountabilityCatalogue",
    "WorkRecord",
    "decide_claim",
    "file_claim",
    "find_decision",
    "load_catalogue",
    "record_decision",
    "school_heads",
    "work_records",
]
