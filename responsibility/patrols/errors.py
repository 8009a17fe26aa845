"""Errors of grid patrols; subclasses of :mod:`responsibility.errors` (web → 4xx, CLI → exit 2).
Every one is raised before anything is written."""

from __future__ import annotations

from ..errors import BadInput, DomainError, Forbidden, InvalidState, NotFound

__all__ = ["BadInput", "DomainError", "NotOnGrid", "PatrolConflict", "UnknownPatrolSubject"]


class UnknownPatrolSubject(NotFound):
    """No grid, school or person with that id."""


class NotOnGrid(Forbidden):
    """The person is neither the grid's owner nor one of its members on the patrol's day."""


class PatrolConflict(InvalidState):
    """The person already logged a patrol of this grid that day (or one was written meanwhile)."""
