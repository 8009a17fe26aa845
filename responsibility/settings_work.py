"""Settings of the season's recurring work that grew past ``settings.py``: grid patrol frequencies.

The outline's 网格履职频次 (网格员每日巡查, 网格长每周检查) is marked "具体频次待确认": the county
sets it, so it is configuration, never code. Part of the one :class:`responsibility.settings.Settings`
object (``settings.patrols``). A leaf like ``settings``: it imports nothing of the project.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PatrolSettings", "patrol_settings"]


@dataclass(frozen=True)
class PatrolSettings:
    """How often each grid role must patrol its grid (``responsibility.patrols``)."""

    member_every_days: int = 1
    """``PATROL_MEMBER_EVERY_DAYS``: a grid member (网格员) patrols at least once in every period of
    this many days (1: daily)."""
    owner_every_days: int = 7
    """``PATROL_OWNER_EVERY_DAYS``: the grid owner (网格长) at least once per period of this many days
    (7: weekly; a multiple of 7 is counted in calendar weeks from Monday)."""
    note_max_chars: int = 2000
    """``PATROL_NOTE_MAX_CHARS``: the longest note a patrol may carry."""


def patrol_settings(config: Mapping[str, Any]) -> PatrolSettings:
    """The patrol settings a Flask-style configuration names; missing or non-positive values take
    the defaults."""
    default = PatrolSettings()

    def positive(key: str, fallback: int) -> int:
        value = config.get(key)
        return int(value) if value and int(value) > 0 else fallback

    return PatrolSettings(
        member_every_days=positive("PATROL_MEMBER_EVERY_DAYS", default.member_every_days),
        owner_every_days=positive("PATROL_OWNER_EVERY_DAYS", default.owner_every_days),
        note_max_chars=positive("PATROL_NOTE_MAX_CHARS", default.note_max_chars),
    )
