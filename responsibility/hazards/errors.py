"""Errors of the hazard loop; subclasses of :mod:`responsibility.errors` (web → 4xx, CLI → exit 2).

Every one is raised before anything is written, or inside the transaction the caller then rolls
back, so a refused step never leaves half-written data.
"""

from __future__ import annotations

from responsibility.errors import BadInput, DomainError, Forbidden, InvalidState, NotFound

__all__ = [
    "BadInput",
    "BadPhoto",
    "DomainError",
    "Forbidden",
    "HazardConflict",
    "HazardNotFound",
    "InvalidState",
    "NotFound",
    "NotPermitted",
    "WrongState",
]


class HazardNotFound(NotFound):
    """No hazard with the file number (or source id) asked for."""


class NotPermitted(Forbidden):
    """The person does not hold a post that may make this step on that day."""


class WrongState(InvalidState):
    """The step does not fit the hazard's state (accepting before the rectifier finished…)."""


class HazardConflict(InvalidState):
    """Somebody else changed the hazard since it was read (its version moved on): 409."""

    http_status = 409


class BadPhoto(BadInput):
    """An uploaded photo is not an image we accept, too large, or a decompression bomb."""
