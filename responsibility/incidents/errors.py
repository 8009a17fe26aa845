"""Errors of incident reports."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import BadInput, Forbidden
from ..messages import N_, msg

__all__ = ["IncidentCatalogueError", "NotPermitted"]


class IncidentCatalogueError(BadInput):
    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(msg(N_("The incident catalogue is invalid: %(problems)s"), problems="; ".join(problems)))


class NotPermitted(Forbidden):
    pass
