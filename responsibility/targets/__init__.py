"""Live targets (目标指标): every target an agreement declares, computed from the live records for
any day, with the records behind each value (issue 13 part 1). See :mod:`.measures` for the rules."""

from .catalogue import TargetSpec, load_targets
from .errors import TargetCatalogueError
from .measures import MEASURES, Measurement, RecordRef
from .scorecard import STATUSES, Scorecard, TargetValue, county_summary, scorecards, status_counts

__all__ = [
    "MEASURES",
    "STATUSES",
    "Measurement",
    "RecordRef",
    "Scorecard",
    "TargetCatalogueError",
    "TargetSpec",
    "TargetValue",
    "county_summary",
    "load_targets",
    "scorecards",
    "status_counts",
]
