"""Settings of the season's reporting work (a module of its own: ``settings.py`` is near its size
limit). A leaf like ``settings``: it imports no Flask and no domain package."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["IncidentSettings", "incident_settings"]


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
