"""Errors of the live targets."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import BadInput, NotFound
from ..messages import N_, msg

__all__ = ["TargetCatalogueError", "UnknownCampaign"]


class TargetCatalogueError(BadInput):
    """The target catalogue file is broken; ``problems`` lists every problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(msg(N_("The target catalogue is invalid: %(problems)s"), problems="; ".join(problems)))


class UnknownCampaign(NotFound):
    pass
