"""Grid patrols (网格巡查): a grid's owner and members walk the grid and log it from the poster's QR
page (巡查正常, or a hazard report, which logs a patrol with ``result=hazard``); each grid's history
shows the periods a person owed a patrol and had none, against the configured frequency
(``settings.patrols``: members every ``PATROL_MEMBER_EVERY_DAYS``, the owner every
``PATROL_OWNER_EVERY_DAYS``).

The service API (every function takes a session and never commits):

- :func:`log_patrol`, :func:`record_hazard_patrol` (``service``: the one state change, audit
  event ``patrol.log``);
- :func:`patrol_gaps`, :func:`school_patrols` (``queries``);
- the gap rule on plain dates (``periods``) and who owes what (``duties``).
"""

from .duties import MEMBER, OWNER, Duty, duties, role_on
from .errors import NotOnGrid, PatrolConflict, UnknownPatrolSubject
from .periods import Interval, Period, PeriodJudgement, windows
from .queries import (
    MAX_RANGE_DAYS,
    GridGaps,
    GridSummary,
    PersonGaps,
    SchoolPatrols,
    grids_without_gaps,
    patrol_gaps,
    school_patrols,
)
from .service import find_grid, find_person, log_patrol, patrol_on, record_hazard_patrol

__all__ = [
    "MAX_RANGE_DAYS",
    "MEMBER",
    "OWNER",
    "Duty",
    "GridGaps",
    "GridSummary",
    "Interval",
    "NotOnGrid",
    "PatrolConflict",
    "Period",
    "PeriodJudgement",
    "PersonGaps",
    "SchoolPatrols",
    "UnknownPatrolSubject",
    "duties",
    "find_grid",
    "find_person",
    "log_patrol",
    "patrol_gaps",
    "patrol_on",
    "record_hazard_patrol",
    "role_on",
    "school_patrols",
    "grids_without_gaps",
    "windows",
]
