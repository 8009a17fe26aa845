"""Live targets in the browser: the county's table and charts per town and target, and each
school's scorecard with the records behind every shortfall one click away. Thin: the values are
``responsibility.targets.scorecards``; visibility is the viewer's (``visible_school_ids``)."""

from . import routes  # noqa: F401  (importing it registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
