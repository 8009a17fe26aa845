"""Settings of the season's work that grew past ``settings.py``: grid patrol frequencies and the
reporting limits of incidents. Part of the one :class:`responsibility.settings.Settings` object
(``settings.patrols``, ``settings.incidents``). A leaf like ``settings``: it imports no Flask and no
domain package.

The outline's 网格履职频次 (网格员每日巡查, 网格长每周检查) is marked "具体频次待确认": the county
sets it, so it is configuration, never code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["IncidentSettings", "PatrolSettings", "incident_settings", "patrol_settings"]


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


@dataclass(frozen=True)
class IncidentSettings:
    """The reporting limits of incidents (报告时限): how long after it happened an incident must
    be reported, by kind. Defaults after the domain reference: 1 hour for the kinds on the veto
    list, 24 hours for the others."""

    veto_limit_minutes: int = 60
    """``INCIDENT_VETO_LIMIT_MINUTES``: the limit of the kinds on the veto list (亡人, 火灾 …)."""
    other_limit_minutes: int = 24 * 60
    """``INCIDENT_OTHER_LIMIT_MINUTES``: the limit of every other kind."""
    kind_limit_minutes: Mapping[str, int] = field(default_factory=dict)
    """``INCIDENT_KIND_LIMITS``: per-kind overrides, ``E04=120,E11=30`` (kind code = minutes)."""

    def limit_minutes(self, kind: str, veto: bool) -> int:
        """The limit of ``kind`` in minutes: its override, else the veto or the general limit."""
        if kind in self.kind_limit_minutes:
            return self.kind_limit_minutes[kind]
        return self.veto_limit_minutes if veto else self.other_limit_minutes


def _kind_limits(value: Any) -> dict[str, int]:
    if isinstance(value, Mapping):
        return {str(k): max(1, int(v)) for k, v in value.items()}
    out = {}
    for word in str(value or "").replace(",", " ").split():
        kind, _, minutes = word.partition("=")
        out[kind.strip()] = max(1, int(minutes))
    return out


def incident_settings(config: Mapping[str, Any]) -> IncidentSettings:
    default = IncidentSettings()
    return IncidentSettings(
        veto_limit_minutes=max(1, int(config.get("INCIDENT_VETO_LIMIT_MINUTES") or default.veto_limit_minutes)),
        other_limit_minutes=max(1, int(config.get("INCIDENT_OTHER_LIMIT_MINUTES") or default.other_limit_minutes)),
        kind_limit_minutes=_kind_limits(config.get("INCIDENT_KIND_LIMITS")),
    )
