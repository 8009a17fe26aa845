"""The education targets' rules, from the sessions schools record (``EducationSession``); the
aggregate queries (one per measure, for many schools at once) are in :mod:`.measures`.

``anti_fraud_coverage`` 反诈教育覆盖率, per school, over the campaign's term up to the day:

- per class, *reached* is the largest attendance of its ``anti_fraud`` sessions and *enrolled*
  the largest enrolment recorded with them (a class taught twice is not counted twice);
- the whole school's sessions (no class) count as one more "class" of their own;
- the school's reached = max(whole-school reached, Σ classes' reached), its enrolled =
  max(whole-school enrolled, Σ classes' enrolled), and the share is reached (capped at
  enrolled) of enrolled. A class whose reached is below its enrolled is a record behind the
  shortfall (or the whole school, when its sessions decide). A school without any anti-fraud
  session has nothing measured (the scorecard says "no data").

``fire_education`` 消防教育: the number of ``fire`` sessions (any class) held in the term up to
the day, against the campaign's ``fire_lessons_per_term``; ``holiday_education`` 假期安全教育
the same for ``holiday`` sessions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["WHOLE_SCHOOL", "ClassReach", "Coverage", "coverage"]

WHOLE_SCHOOL = ""


@dataclass(frozen=True)
class ClassReach:
    class_name: str
    """Empty for the whole school."""
    reached: int
    enrolled: int


@dataclass(frozen=True)
class Coverage:
    reached: int
    enrolled: int
    short: tuple[ClassReach, ...]
    """The classes (or the whole school) whose reach falls short, in the given order."""


def coverage(classes: Iterable[ClassReach]) -> Coverage:
    """The school's coverage from its per-class reach (rules in the module docstring)."""
    rows = list(classes)
    whole = [r for r in rows if r.class_name == WHOLE_SCHOOL]
    per_class = [r for r in rows if r.class_name != WHOLE_SCHOOL]
    whole_reached = max((r.reached for r in whole), default=0)
    whole_enrolled = max((r.enrolled for r in whole), default=0)
    class_reached = sum(min(r.reached, r.enrolled) for r in per_class)
    class_enrolled = sum(r.enrolled for r in per_class)
    enrolled = max(whole_enrolled, class_enrolled)
    reached = min(enrolled, max(whole_reached, class_reached))
    if reached >= enrolled:
        return Coverage(reached, enrolled, ())
    by_whole = whole_reached >= class_reached and whole
    short = tuple(r for r in (whole if by_whole else per_class) if r.reached < r.enrolled)
    if not by_whole and class_enrolled < enrolled:  # the whole-school enrolment is larger: untaught classes
        short += tuple(r for r in whole if r.reached < r.enrolled)
    return Coverage(reached, enrolled, short)
