"""The inspection-round pages (大排查, issue 12 part 1): the bureau lists and opens rounds and
reads a round's completion; a school's inspector answers its checklist (pass / fail / na, per
school, building or grid, with photos), the safety deputy assigns an inspector, and submits.
Thin: every step is a call of ``responsibility.inspections``; a refused step shows the service's
message with its 4xx status (409 for a stale checklist version) and changes nothing."""

from . import bureau, school  # noqa: F401  (importing them registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
