"""An incident's dossier: the dossier of its place (grid or building) at the moment it happened,
with the incident's facts beside it and ``incident:<number>`` as the audit subject of the ZIP."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from ..agreements.instance import InstanceContext
from ..chain import ChainSubject
from ..clock import DEFAULT_ZONE, iso_utc
from ..models import Incident
from ..settings_work import PatrolSettings
from .build import DEFAULT_DAYS, Dossier, build_dossier
from .package import dossier_json, dossier_zip

__all__ = ["incident_dossier", "incident_dossier_json", "incident_dossier_zip", "incident_facts", "incident_place"]


def incident_place(incident: Incident) -> ChainSubject:
    """The incident's place as a chain subject (its building when it names one, else its grid)."""
    if incident.building is not None:
        return ChainSubject.building(incident.building.source_id)
    if incident.grid is not None:
        return ChainSubject.grid(incident.grid.source_id)
    raise ValueError(f"incident {incident.number} names no place")  # the service never records one


def incident_facts(incident: Incident) -> dict[str, Any]:
    return {
        "number": incident.number,
        "kind": incident.kind,
        "veto_kind": incident.veto_kind,
        "severity": incident.severity,
        "status": incident.status,
        "occurred_at": iso_utc(incident.occurred_at),
        "reported_at": iso_utc(incident.reported_at) if incident.reported_at else None,
        "lateness_seconds": incident.lateness_seconds,
        "deaths": incident.deaths,
        "injuries": incident.injuries,
        "description": incident.description,
    }


def incident_dossier(
    session: Session,
    incident: Incident,
    *,
    days: int = DEFAULT_DAYS,
    zone: dt.tzinfo = DEFAULT_ZONE,
    patrols: PatrolSettings | None = None,
) -> Dossier:
    return build_dossier(session, incident_place(incident), incident.occurred_at, days=days, zone=zone, patrols=patrols)


def incident_dossier_json(incident: Incident, dossier: Dossier) -> bytes:
    return dossier_json(dossier, f"incident:{incident.number}", {"incident": incident_facts(incident)})


def incident_dossier_zip(
    session: Session, instance: InstanceContext, incident: Incident, dossier: Dossier, *, actor: str, now: dt.datetime
) -> bytes:
    return dossier_zip(
        session,
        instance,
        dossier,
        subject=f"incident:{incident.number}",
        actor=actor,
        now=now,
        extra={"incident": incident_facts(incident)},
    )
