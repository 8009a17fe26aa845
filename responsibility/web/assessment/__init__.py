"""The season-end assessment in the browser: the county's proposed scores and grades, a school's
parts with every deduction and its evidence, and the assessors' forms (a part's score with a
reason, a veto decision). Thin: values from ``responsibility.assessment.propose``; changes through
``adjust_part`` / ``decide_veto`` (a refusal shows the service's message with its 4xx status)."""

from . import routes  # noqa: F401  (importing it registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
