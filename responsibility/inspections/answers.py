"""Answering a checklist and submitting it: the inspector's steps.

Who may inspect a school's checklist on a day: its safety deputy (``S03``), the person the deputy
assigned (:func:`assign_inspector`), or — for a spot check — the bureau's deputy in charge of safety
and the school's liaison section (the same people who supervise its hazards). Each answer covers
one item for one target: the whole school, a building (``building`` scope items) or a grid
(``grid`` scope items). A ``fail`` opens a hazard through the hazards service (the answer keeps
its id), a ``na`` needs its reason. Submitting refuses a checklist with unanswered items.

Every step checks first, then bumps the checklist's version by compare-and-set (a stale
``expected_version`` or a concurrent step gives :class:`~.errors.ChecklistConflict`) and appends
one audit event, all in the caller's transaction; nothing commits here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..audit import append_event
from ..hazards import ROUND_SOURCE, PhotoStore, report_hazard
from ..hazards.queries import find_grid, find_person
from ..hazards.roles import bureau_supervisor_ids, holds_post, is_school_staff
from ..hazards.service import sanitise_all
from ..models import Building, Grid, Hazard, InspectionAnswer, InspectionChecklist, Person
from ..settings import HazardSettings
from .catalogue import ChecklistItem
from .errors import BadInput, ChecklistConflict, ItemNotApplicable, NotPermitted, Unanswered, WrongState
from .rounds import checklist_items, find_checklist, round_catalogue

__all__ = ["RESULTS", "SAFETY_DEPUTY", "answer_item", "assign_inspector", "submit_checklist", "unanswered_items"]

RESULTS = ("pass", "fail", "na")
SAFETY_DEPUTY = frozenset({"S03"})
MAX_NOTE = 1000
OPEN, SUBMITTED = "open", "submitted"


def _actor(person: Person) -> str:
    return f"person:{person.source_id}"


def _may_inspect(session: Session, person: Person, checklist: InspectionChecklist, day: dt.date) -> bool:
    school = checklist.school
    return (
        holds_post(session, person, school.id, SAFETY_DEPUTY, day)
        or checklist.inspector_person_id == person.id
        or person.id in bureau_supervisor_ids(session, school, day)
    )


def _require_inspector(session: Session, person: Person, checklist: InspectionChecklist, day: dt.date) -> None:
    if not _may_inspect(session, person, checklist, day):
        raise NotPermitted(
            f"{person.name}（{person.source_id}）{day} 不是{checklist.school.name}的分管安全副校长或其指定的检查人，"
            f"也不是督查的局股室人员，不能填写该检查表。"
            f" ({person.source_id} may not inspect for {checklist.school.source_id} on {day}.)"
        )


def _require_open(checklist: InspectionChecklist, day: dt.date) -> None:
    if checklist.status != OPEN:
        raise WrongState(
            f"{checklist.school.name}的检查表已于 {checklist.submitted_on} 提交，不能再修改。"
            f" (The checklist of {checklist.school.source_id} is already submitted.)"
        )
    the_round = checklist.round
    if not the_round.start_date <= day <= the_round.end_date:
        raise BadInput(
            f"{day} 不在排查“{the_round.name}”的时间（{the_round.start_date} 至 {the_round.end_date}）内。"
            f" ({day} is outside the round's dates.)"
        )


def _bump(session: Session, checklist: InspectionChecklist, expected_version: int | None, **values: object) -> None:
    version = checklist.version if expected_version is None else expected_version
    done = session.execute(
        update(InspectionChecklist)
        .where(
            InspectionChecklist.id == checklist.id,
            InspectionChecklist.version == version,
            InspectionChecklist.status == OPEN,
        )
        .values(version=version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1:
        raise ChecklistConflict(
            f"{checklist.school.name}的检查表已被他人修改，请刷新后重试。"
            f" (The checklist of {checklist.school.source_id} was changed by someone else: reload and retry.)"
        )
    session.refresh(checklist)


def _item(checklist: InspectionChecklist, item_id: str) -> ChecklistItem:
    key = (item_id or "").strip().upper()
    if key in checklist.item_ids:
        return next(i for i in checklist_items(checklist) if i.id == key)
    known = round_catalogue(checklist.round).item(key)
    if known is None:
        raise ItemNotApplicable(f"检查项目录中没有检查项 {item_id!r}。 (No checklist item {item_id!r}.)")
    why = (
        f"学校特征不含 {', '.join(known.applies_when)}"
        if known.area in checklist.round.areas
        else f"本次排查不含风险领域 {known.area}"
    )
    raise ItemNotApplicable(
        f"检查项 {known.id} 不适用于{checklist.school.name}（{why}）。"
        f" (Item {known.id} does not apply to {checklist.school.source_id}.)"
    )


def _target(
    session: Session, checklist: InspectionChecklist, item: ChecklistItem, building: str | None, grid: str | None
) -> tuple[str, Building | None, Grid | None]:
    if building and grid:
        raise BadInput("只能指定楼栋或网格之一。 (Name a building or a grid, not both.)")
    if building:
        if item.scope != "building":
            raise BadInput(f"检查项 {item.id} 不是逐栋检查项。 (Item {item.id} is not answered per building.)")
        row = session.scalar(select(Building).where(Building.source_id == building.strip()))
        if row is None or row.school_id != checklist.school_id:
            raise BadInput(
                f"{checklist.school.name}没有楼栋 {building!r}。 (No building {building!r} at {checklist.school.source_id}.)"
            )
        return f"building:{row.source_id}", row, row.grid
    if grid:
        if item.scope != "grid":
            raise BadInput(f"检查项 {item.id} 不是逐网格检查项。 (Item {item.id} is not answered per grid.)")
        found = find_grid(session, grid)
        if found.school_id != checklist.school_id:
            raise BadInput(
                f"网格 {found.source_id} 不属于{checklist.school.name}。 (Grid {found.source_id} is of another school.)"
            )
        return f"grid:{found.source_id}", None, found
    return "", None, None


def _text(note: str | None, result: str) -> str:
    text = " ".join((note or "").split())
    if result == "fail" and not text:
        raise BadInput("不合格项须写明问题（--note）。 (A fail needs a note.)")
    if result == "na" and not text:
        raise BadInput("不适用须写明理由（--note）。 (Not applicable needs a reason in the note.)")
    if len(text) > MAX_NOTE:
        raise BadInput(f"说明超过 {MAX_NOTE} 字。 (The note is longer than {MAX_NOTE} characters.)")
    return text


def _hazard_grid(session: Session, checklist: InspectionChecklist, grid: Grid | None) -> Grid:
    if grid is not None:
        return grid
    root = session.scalars(
        select(Grid).where(Grid.school_id == checklist.school_id).order_by(Grid.level, Grid.source_id)
    ).first()
    if root is None:
        raise BadInput(
            f"{checklist.school.name}没有网格，不合格项无法登记隐患。 ({checklist.school.source_id} has no grid for the hazard.)"
        )
    return root


def _open_hazard(
    session: Session,
    checklist: InspectionChecklist,
    item: ChecklistItem,
    grid: Grid,
    note: str,
    *,
    by: Person,
    on: dt.date,
    photos: Sequence[tuple[str, bytes]],
    limits: HazardSettings,
    store: PhotoStore,
) -> Hazard:
    return report_hazard(
        session,
        school=checklist.school.source_id,
        grid=grid.source_id,
        area=item.area,
        description=f"【{checklist.round.name}·{item.id}】{item.text}：{note}",
        by=by.source_id,
        on=on,
        photos=photos,
        limits=limits,
        store=store,
        source=ROUND_SOURCE,
    )


def _answer_event(
    session: Session, person: Person, checklist: InspectionChecklist, answer: InspectionAnswer, hazard: Hazard | None
) -> None:
    append_event(
        session,
        actor=_actor(person),
        action="inspection.answer",
        subject=f"round:{checklist.round_id}:{checklist.school.source_id}",
        data={
            "round": checklist.round_id,
            "school": checklist.school.source_id,
            "item": answer.item_id,
            "target": answer.target,
            "result": answer.result,
            "note": answer.note or "",
            "photos": answer.photos,
            "hazard": hazard.file_no if hazard else None,
            "on": answer.answered_on.isoformat(),
            "version": checklist.version,
        },
    )


def answer_item(
    session: Session,
    round_key: str | int,
    school: str,
    item_id: str,
    *,
    by: str,
    on: dt.date,
    result: str,
    note: str | None = None,
    building: str | None = None,
    grid: str | None = None,
    photos: Sequence[tuple[str, bytes]] = (),
    limits: HazardSettings,
    store: PhotoStore,
    expected_version: int | None = None,
) -> InspectionAnswer:
    """Record one answer; a ``fail`` opens a hazard (``answer.hazard``) on the building's grid,
    the named grid, or else the school's top grid."""
    checklist = find_checklist(session, round_key, school)
    if result not in RESULTS:
        raise BadInput(f"结果须为 pass、fail 或 na，而不是 {result!r}。 (The result must be pass, fail or na.)")
    person = find_person(session, by)
    _require_open(checklist, on)
    _require_inspector(session, person, checklist, on)
    item = _item(checklist, item_id)
    target, the_building, the_grid = _target(session, checklist, item, building, grid)
    text = _text(note, result)
    if result == "na" and photos:
        raise BadInput("不适用项不附照片。 (Not applicable takes no photos.)")
    taken = session.scalar(
        select(InspectionAnswer.id).where(
            InspectionAnswer.checklist_id == checklist.id,
            InspectionAnswer.item_id == item.id,
            InspectionAnswer.target == target,
        )
    )
    if taken is not None:
        raise WrongState(
            f"检查项 {item.id}{'（' + target + '）' if target else ''} 已填写。 (Item {item.id} {target} is already answered.)"
        )
    clean = sanitise_all(photos, limits)
    hazard = None
    if result == "fail":
        hazard = _open_hazard(
            session,
            checklist,
            item,
            _hazard_grid(session, checklist, the_grid),
            text,
            by=person,
            on=on,
            photos=photos,
            limits=limits,
            store=store,
        )
    else:
        for photo in clean:
            store.put(photo)
    _bump(session, checklist, expected_version)
    answer = InspectionAnswer(
        checklist_id=checklist.id,
        item_id=item.id,
        target=target,
        building_id=the_building.id if the_building else None,
        grid_id=the_grid.id if the_grid else None,
        result=result,
        note=text or None,
        photos=[p.sha256 for p in clean],
        by_person_id=person.id,
        answered_on=on,
        hazard_id=hazard.id if hazard else None,
    )
    session.add(answer)
    session.flush()
    _answer_event(session, person, checklist, answer, hazard)
    return answer


def assign_inspector(
    session: Session,
    round_key: str | int,
    school: str,
    *,
    by: str,
    person: str,
    on: dt.date,
    expected_version: int | None = None,
) -> InspectionChecklist:
    """The safety deputy names who inspects for the school in this round (a staff member)."""
    checklist = find_checklist(session, round_key, school)
    deputy = find_person(session, by)
    assignee = find_person(session, person)
    _require_open(checklist, on)
    if not holds_post(session, deputy, checklist.school_id, SAFETY_DEPUTY, on):
        raise NotPermitted(
            f"{deputy.name}（{deputy.source_id}）{on} 不是{checklist.school.name}的分管安全副校长，不能指定检查人。"
            f" ({deputy.source_id} is not the safety deputy of {checklist.school.source_id} on {on}.)"
        )
    if not is_school_staff(session, assignee, checklist.school, on):
        raise BadInput(
            f"{assignee.name}（{assignee.source_id}）{on} 不是{checklist.school.name}的教职工。"
            f" ({assignee.source_id} is not on the staff of {checklist.school.source_id} on {on}.)"
        )
    _bump(session, checklist, expected_version, inspector_person_id=assignee.id)
    append_event(
        session,
        actor=_actor(deputy),
        action="inspection.assign",
        subject=f"round:{checklist.round_id}:{checklist.school.source_id}",
        data={"inspector": assignee.source_id, "on": on.isoformat(), "version": checklist.version},
    )
    return checklist


def unanswered_items(session: Session, checklist: InspectionChecklist) -> list[str]:
    answered = set(
        session.scalars(select(InspectionAnswer.item_id).where(InspectionAnswer.checklist_id == checklist.id)).all()
    )
    return [i for i in checklist.item_ids if i not in answered]


def submit_checklist(
    session: Session,
    round_key: str | int,
    school: str,
    *,
    by: str,
    on: dt.date,
    expected_version: int | None = None,
) -> InspectionChecklist:
    """Submit the school's checklist; refused while any item is unanswered."""
    checklist = find_checklist(session, round_key, school)
    person = find_person(session, by)
    _require_open(checklist, on)
    _require_inspector(session, person, checklist, on)
    missing = unanswered_items(session, checklist)
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        raise Unanswered(
            f"还有 {len(missing)} 个检查项未填写：{shown}。 ({len(missing)} items are unanswered: {shown}.)"
        )
    _bump(session, checklist, expected_version, status=SUBMITTED, submitted_by_person_id=person.id, submitted_on=on)
    results = session.scalars(
        select(InspectionAnswer.result).where(InspectionAnswer.checklist_id == checklist.id)
    ).all()
    append_event(
        session,
        actor=_actor(person),
        action="inspection.submit",
        subject=f"round:{checklist.round_id}:{checklist.school.source_id}",
        data={
            "round": checklist.round_id,
            "school": checklist.school.source_id,
            "on": on.isoformat(),
            "answers": len(results),
            "fails": sum(1 for r in results if r == "fail"),
            "version": checklist.version,
        },
    )
    return checklist
