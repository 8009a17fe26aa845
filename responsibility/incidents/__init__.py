"""Incidents (事故/事件报告, issue 13 part 2): the catalogue of kinds and severities as data
(``incidents/``), a school's report within the reporting limit of its kind (a late one is 迟报 with
how late), the bureau's record of one a school did not report (漏报/瞒报), and the lists the
assessment reads its evidence from."""

from .catalogue import IncidentCatalogue, IncidentKind, Severity, load_catalogue
from .queries import IncidentFilter, incidents_between, list_incidents
from .service import IncidentFacts, find_incident, lateness_seconds, record_unreported, report_incident

__all__ = [
    "IncidentCatalogue",
    "IncidentFacts",
    "IncidentFilter",
    "IncidentKind",
    "Severity",
    "find_incident",
    "incidents_between",
    "lateness_seconds",
    "list_incidents",
    "load_catalogue",
    "record_unreported",
    "report_incident",
]
