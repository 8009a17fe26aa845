"""The one way a hazard changes: a compare-and-set step with its record and its audit event.

:func:`apply_step` checks that the step may start from the hazard's state, then issues
``UPDATE hazards SET …, version = v + 1 WHERE id = … AND version = v``: when another transaction
moved the hazard on in between, no row matches and :class:`HazardConflict` is raised (409 / exit
2), so of two people acting on one hazard exactly one wins and the other loses nothing but a
retry. In the same transaction it appends one :class:`HazardRecord` (with its photos) and exactly
one audit event. The caller commits; on any error it rolls back and nothing is left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..audit import append_event
from ..clock import now_utc
from ..models import Hazard, HazardPhoto, HazardRecord, Person
from .errors import BadInput, HazardConflict, WrongState
from .photos import PhotoStore, SanitisedPhoto
from .states import LABELS, STEPS, state_of

__all__ = ["apply_step", "actor_of", "record_step"]


def actor_of(person: Person) -> str:
    return f"person:{person.source_id}"


def _check_state(hazard: Hazard, step: str) -> str:
    starts, target = STEPS[step]
    current = state_of(hazard.status)
    if current not in starts:
        raise WrongState(
            f"隐患 {hazard.file_no or hazard.source_id} 当前状态为“{hazard.status}”，不能进行此操作（{step}）。"
            f" (Hazard {hazard.file_no or hazard.source_id} is {current or hazard.status!r}: step {step!r} is not allowed.)"
        )
    return target or current or ""


def record_step(
    session: Session,
    hazard: Hazard,
    *,
    kind: str,
    state: str,
    by: Person,
    on: dt.date,
    note: str,
    photos: Sequence[SanitisedPhoto] = (),
    store: PhotoStore | None = None,
) -> HazardRecord:
    """Append one record (and its photos, written to ``store`` first) after the last one."""
    position = session.scalar(
        select(func.coalesce(func.max(HazardRecord.position), -1) + 1).where(HazardRecord.hazard_id == hazard.id)
    )
    record = HazardRecord(
        hazard_id=hazard.id,
        position=int(position or 0),
        date=on,
        action=note,
        by_person_id=by.id,
        kind=kind,
        state=state,
        recorded_at=now_utc(),
    )
    session.add(record)
    session.flush()
    for i, photo in enumerate(photos):
        if store is None:
            raise ValueError("photos need a store")
        store.put(photo)
        session.add(
            HazardPhoto(
                record_id=record.id,
                position=i,
                sha256=photo.sha256,
                original_sha256=photo.original_sha256,
                original_type=photo.original_type,
                width=photo.width,
                height=photo.height,
                size=len(photo.data),
            )
        )
    session.flush()
    return record


def apply_step(
    session: Session,
    hazard: Hazard,
    *,
    step: str,
    by: Person,
    on: dt.date,
    note: str,
    expected_version: int | None = None,
    values: Mapping[str, Any] | None = None,
    photos: Sequence[SanitisedPhoto] = (),
    store: PhotoStore | None = None,
    data: Mapping[str, Any] | None = None,
) -> HazardRecord:
    """Make ``step`` on ``hazard`` (see the module docstring); flushes, never commits."""
    target = _check_state(hazard, step)
    if hazard.found_date is not None and on < hazard.found_date:
        raise BadInput(
            f"操作日期 {on} 早于隐患发现日期 {hazard.found_date}。 (The step's day {on} is before the hazard was found.)"
        )
    version = hazard.version if expected_version is None else expected_version
    changes = dict(values or {})
    changes["status"] = LABELS[target]
    done = session.execute(
        update(Hazard)
        .where(Hazard.id == hazard.id, Hazard.version == version)
        .values(version=version + 1, **changes)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise HazardConflict(
            f"隐患 {hazard.file_no} 已被他人修改，请刷新后重试。"
            f" (Hazard {hazard.file_no} was changed by someone else since version {version}; reload and retry.)"
        )
    session.expire(hazard)
    record = record_step(session, hazard, kind=step, state=target, by=by, on=on, note=note, photos=photos, store=store)
    append_event(
        session,
        actor=actor_of(by),
        action=f"hazard.{step}",
        subject=f"hazard:{hazard.file_no}",
        data={
            "file_no": hazard.file_no,
            "state": target,
            "version": version + 1,
            "on": on.isoformat(),
            "note": note,
            "photos": [p.sha256 for p in photos],
            **{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in (data or {}).items()},
        },
    )
    return record
