"""Errors of accountability decisions and due-diligence claims."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import BadInput, Forbidden, InvalidState
from ..messages import N_, msg

__all__ = ["AccountabilityCatalogueError", "AccountabilityConflict", "NotBureauStaff"]


class AccountabilityCatalogueError(BadInput):
    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(msg(N_("The accountability catalogue is invalid: %(problems)s"), problems="; ".join(problems)))


class NotBureauStaff(Forbidden):
    pass


class AccountabilityConflict(InvalidState):
    pass
