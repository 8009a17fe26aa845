"""The season board (季度工作看板, issues 12–13): the live season's figures per town and for the
county — inspection-round completion, patrol coverage, 到岗率, fire checks, home visits,
anti-fraud education, incidents — for the schools a viewer may see.

Read-only, one function per figure, each over the other domain packages' own queries
(``inspections.round_completion``, ``patrols.grids_without_gaps``, ``season.attendance_rate``,
the targets' measures, ``incidents.incidents_between``) or one aggregate statement: never one
query per school. At a province's size the page reads the figures stored per school by a job
(``season``: ``compute_board_snapshot``) and adds up those its reader may see in the database
(``stored``)."""

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
from .season import (
    PATROL_DAYS,
    BoardDay,
    compute_board_snapshot,
    latest_board_snapshot,
    patrol_start,
    season_figures,
)
from .stored import StoredBoard, stored_board

__all__ = [
    "PATROL_DAYS",
    "BoardDay",
    "BoardSchools",
    "ByTown",
    "IncidentCounts",
    "RoundFigure",
    "Share",
    "StoredBoard",
    "anti_fraud_coverage",
    "attendance",
    "board_schools",
    "compute_board_snapshot",
    "fire_checks",
    "incidents_in_term",
    "latest_board_snapshot",
    "latest_round",
    "patrol_coverage",
    "patrol_start",
    "season_figures",
    "stored_board",
    "visit_rate",
]
