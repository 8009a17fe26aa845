"""Errors of the season's work (rosters, fire checks, home visits); subclasses of
:mod:`responsibility.errors` (web → 4xx, CLI → exit 2).

Every one is raised before anything is written, so a refused import or record leaves nothing.
"""

from __future__ import annotations

from responsibility.errors import BadInput, DomainError, InvalidState, NotFound

__all__ = ["BadInput", "DomainError", "InvalidState", "SeasonConflict", "NoSeason", "RosterRefused", "UnknownRecord"]


class NoSeason(BadInput):
    """No campaign exists, so there is no season (term) to plan a roster in."""


class RosterRefused(BadInput):
    """The roster file breaks a rule (a column, a date, a leader): nothing of it is written."""


class UnknownRecord(NotFound):
    """No organisation, building or person with that id."""


class SeasonConflict(InvalidState):
    """Somebody else wrote the same record at the same time (or since it was read): 409."""

    http_status = 409
