"""Errors of inspection rounds; subclasses of :mod:`responsibility.errors` (web → 4xx, CLI → exit 2).

Every one is raised before anything is written, or inside the transaction the caller then rolls
back, so a refused step never leaves half-written data.
"""

from __future__ import annotations

from responsibility.errors import BadInput, DomainError, Forbidden, InvalidState, NotFound

__all__ = [
    "BadInput",
    "CatalogueError",
    "ChecklistConflict",
    "DomainError",
    "ItemNotApplicable",
    "NotPermitted",
    "RoundNotFound",
    "Unanswered",
    "WrongState",
]


class CatalogueError(Exception):
    """The checklist catalogue in the repository is broken (a programming error, not user input):
    the message lists every problem found."""

    def __init__(self, version: str, problems: list[str]) -> None:
        self.version = version
        self.problems = problems
        super().__init__(f"checklist catalogue {version}: " + "; ".join(problems))


class RoundNotFound(NotFound):
    """No round with that id, or the school has no checklist in it."""


class NotPermitted(Forbidden):
    """The person may not inspect (or open, or submit) for this school on that day."""


class ItemNotApplicable(BadInput):
    """The item is not on the school's checklist (its features exclude it, or the round's areas do)."""


class Unanswered(BadInput):
    """A checklist was submitted with items nobody answered."""


class WrongState(InvalidState):
    """The checklist is already submitted, or the target was already answered."""


class ChecklistConflict(InvalidState):
    """Somebody else changed the checklist since it was read (its version moved on): 409."""

    http_status = 409
