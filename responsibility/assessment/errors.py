"""Errors of the season-end assessment."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import BadInput, Forbidden, InvalidState, NotFound
from ..messages import N_, msg

__all__ = ["AssessmentConflict", "AssessmentRefused", "NotAnAssessor", "RuleTableError", "SchemeError", "UnknownPart"]


class RuleTableError(BadInput):
    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(msg(N_("The deduction rule table is invalid: %(problems)s"), problems="; ".join(problems)))


class SchemeError(BadInput):
    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            msg(
                N_("The county's assessment scheme does not fit the rule table: %(problems)s"),
                problems="; ".join(problems),
            )
        )


class UnknownPart(NotFound):
    pass


class NotAnAssessor(Forbidden):
    pass


class AssessmentRefused(InvalidState):
    pass


class AssessmentConflict(InvalidState):
    pass
