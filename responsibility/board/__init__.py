"""The season board (季度工作看板, issues 12–13): the live season's figures per town and for the
county — inspection-round completion, patrol coverage, 到岗率, fire checks, home visits,
anti-fraud education, incidents — for the schools a viewer may see.

Read-only, one function per figure, each over the other domain packages' own queries
(``inspections.round_completion``, ``patrols.grids_without_gaps``, ``season.attendance_rate``,
the targets' measures, ``incidents.incidents_between``) or one aggregate statement: never one
query per school."""

from .figures import (
    BoardSchools,
    ByTown,
    IncidentCounts,
    RoundFigure,
    Share,
    anti_fraud_coverage,
    attendance,
    board_schools,
    fire_checks,
    incidents_in_term,
    latest_round,
    patrol_coverage,
    visit_rate,
)

__all__ = [
    "BoardSchools",
    "ByTown",
    "IncidentCounts",
    "RoundFigure",
    "Share",
    "anti_fraud_coverage",
    "attendance",
    "board_schools",
    "fire_checks",
    "incidents_in_term",
    "latest_round",
    "patrol_coverage",
    "visit_rate",
]
