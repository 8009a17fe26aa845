"""Opening a round and reading it: the bureau opens a round (name, dates, areas, all schools or
one town); each school gets its checklist, the catalogue items of the round's areas that apply to
its features, frozen at opening.

:func:`open_round` checks everything before it writes and appends one audit event; it never
commits (the command or view does).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import append_event
from ..models import InspectionChecklist, InspectionRound, School, Town
from .catalogue import DEFAULT_ROOT, DEFAULT_VERSION, Catalogue, ChecklistItem, applicable_items, load_catalogue
from .errors import BadInput, CatalogueError, RoundNotFound

__all__ = ["checklist_items", "find_checklist", "find_round", "open_round", "round_catalogue"]

MAX_NAME = 200


def _areas(catalogue: Catalogue, areas: Sequence[str] | None) -> list[str]:
    if not areas:
        return list(catalogue.areas)
    wanted = [a.strip().upper() for a in areas if a.strip()]
    unknown = [a for a in wanted if a not in catalogue.area_names]
    if unknown or not wanted:
        raise BadInput(
            f"检查项目录 {catalogue.version} 中没有风险领域 {', '.join(unknown) or '（空）'}；可选：{', '.join(catalogue.areas)}。"
            f" (No risk area {', '.join(unknown) or '(none)'} in catalogue {catalogue.version}.)"
        )
    return list(dict.fromkeys(wanted))


def _schools(session: Session, town: str | None) -> tuple[Town | None, list[School]]:
    query = select(School).order_by(School.source_id)
    the_town = None
    if town:
        the_town = session.scalar(select(Town).where(Town.source_id == town.strip()))
        if the_town is None:
            raise BadInput(f"没有乡镇 {town!r}。 (No town {town!r}.)")
        query = query.where(School.town_id == the_town.id)
    schools = list(session.scalars(query).all())
    if not schools:
        raise BadInput("没有可以排查的学校。 (No school to inspect.)")
    return the_town, schools


def open_round(
    session: Session,
    *,
    name: str,
    start: dt.date,
    end: dt.date,
    areas: Sequence[str] | None = None,
    town: str | None = None,
    actor: str,
    catalogue_version: str = DEFAULT_VERSION,
    catalogue_root: Path | None = None,
) -> InspectionRound:
    """Open a round and give each school (of ``town``, or all) its checklist. Schools to which
    no item of the round's areas applies get none."""
    title = " ".join((name or "").split())
    if not title or len(title) > MAX_NAME:
        raise BadInput(f"排查名称须为 1–{MAX_NAME} 字。 (The round's name must have 1–{MAX_NAME} characters.)")
    if end < start:
        raise BadInput(f"结束日期 {end} 早于开始日期 {start}。 (The end {end} is before the start {start}.)")
    try:
        catalogue = load_catalogue(catalogue_version, catalogue_root or DEFAULT_ROOT)
    except CatalogueError as exc:
        raise BadInput(f"检查项目录不可用：{exc} (The checklist catalogue cannot be used.)") from None
    codes = _areas(catalogue, areas)
    the_town, schools = _schools(session, town)
    the_round = InspectionRound(
        name=title,
        start_date=start,
        end_date=end,
        areas=codes,
        town_id=the_town.id if the_town else None,
        catalogue_version=catalogue.version,
        catalogue_sha256=catalogue.content_hash,
        opened_by=actor,
    )
    session.add(the_round)
    session.flush()
    checklists = []
    for school in schools:
        items = applicable_items(catalogue, school.features, codes)
        if items:
            checklists.append(
                InspectionChecklist(round_id=the_round.id, school_id=school.id, item_ids=[i.id for i in items])
            )
    session.add_all(checklists)
    session.flush()
    append_event(
        session,
        actor=actor,
        action="inspection.open",
        subject=f"round:{the_round.id}",
        data={
            "round": the_round.id,
            "name": title,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "areas": codes,
            "town": the_town.source_id if the_town else None,
            "schools": len(checklists),
            "items": sum(len(c.item_ids) for c in checklists),
            "catalogue": catalogue.version,
            "catalogue_sha256": catalogue.content_hash,
        },
    )
    return the_round


def find_round(session: Session, key: str | int) -> InspectionRound:
    try:
        round_id = int(str(key).strip())
    except ValueError:
        raise RoundNotFound(f"没有排查 {key!r}。 (No inspection round {key!r}.)") from None
    found = session.get(InspectionRound, round_id)
    if found is None:
        raise RoundNotFound(f"没有排查 {key!r}。 (No inspection round {key!r}.)")
    return found


def find_checklist(session: Session, round_key: str | int, school: str) -> InspectionChecklist:
    """The school's checklist in the round; :class:`RoundNotFound` when the round did not cover it."""
    the_round = find_round(session, round_key)
    checklist = session.scalar(
        select(InspectionChecklist)
        .join(School, School.id == InspectionChecklist.school_id)
        .where(InspectionChecklist.round_id == the_round.id, School.source_id == (school or "").strip())
    )
    if checklist is None:
        raise RoundNotFound(
            f"排查 {the_round.id} 没有学校 {school!r} 的检查表。 (Round {the_round.id} has no checklist of {school!r}.)"
        )
    return checklist


@functools.lru_cache(maxsize=8)
def _repository_catalogue(version: str) -> Catalogue:
    return load_catalogue(version)


def round_catalogue(the_round: InspectionRound) -> Catalogue:
    """The catalogue version the round was built from (the repository's files are read once per
    process and version: every answer looks its item up here)."""
    return _repository_catalogue(the_round.catalogue_version)


def checklist_items(checklist: InspectionChecklist) -> list[ChecklistItem]:
    """The checklist's items, in catalogue order, with their text from the round's catalogue."""
    catalogue = round_catalogue(checklist.round)
    wanted = set(checklist.item_ids)
    items = [i for i in catalogue.items if i.id in wanted]
    missing = wanted - {i.id for i in items}
    if missing:
        raise CatalogueError(catalogue.version, [f"items {sorted(missing)} of round {checklist.round_id} are gone"])
    return items
