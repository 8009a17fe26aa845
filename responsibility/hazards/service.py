"""The steps of the loop as services: report, plan (file + plan), progress, accept, reject, void.

Every function takes an explicit session, the acting person's source id (``by``) and the day the
step is made (``on``: the post that allows it must be held that day), checks everything before it
writes, then makes the step through :func:`~.transitions.apply_step` (compare-and-set, one record,
one audit event). None commits: the caller (a view, a command) commits, or rolls back on a
:class:`~responsibility.errors.DomainError`. ``expected_version`` (a form's hidden field) makes
a step on a hazard someone else changed since the page was loaded fail with
:class:`~.errors.HazardConflict`; without it the version read now is used, which still makes two
concurrent steps end with one winner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import append_event
from ..models import Grid, GridOwnership, Hazard, Person, School, grid_members
from ..settings import HazardSettings
from .errors import BadInput, NotPermitted, WrongState
from .numbering import allocate_file_no
from .photos import MAX_PHOTOS, PhotoStore, SanitisedPhoto, sanitise_photo
from .queries import find_grid, find_hazard, find_person, find_risk_area, find_school
from .roles import (
    FILING_POSTS,
    SCHOOL_LEADER_POSTS,
    bureau_supervisor_ids,
    holds_post,
    require_post,
    require_reporter,
    require_staff,
)
from .states import LABELS, REPORTED, state_of
from .transitions import actor_of, apply_step, record_step

__all__ = [
    "LEVELS",
    "MAJOR",
    "REPORTED_SOURCE",
    "ROUND_SOURCE",
    "accept_hazard",
    "plan_hazard",
    "record_progress",
    "reject_hazard",
    "report_hazard",
    "sanitise_all",
    "void_hazard",
]

MAJOR = "重大"
LEVELS = ("一般", MAJOR)
MAX_TEXT = 2000
REPORTED_SOURCE = "上报"
"""A hazard reported by someone who found it (the report form, the CLI, a poster's code)."""
ROUND_SOURCE = "大排查"
"""A hazard opened by a fail in an inspection round (the school's own check or the bureau's spot check)."""


def _text(value: str | None, zh: str, en: str, *, required: bool = True) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise BadInput(f"{zh}不能为空。 ({en} is required.)")
    if len(text) > MAX_TEXT:
        raise BadInput(f"{zh}超过 {MAX_TEXT} 字。 ({en} is longer than {MAX_TEXT} characters.)")
    return text


def sanitise_all(photos: Sequence[tuple[str, bytes]], limits: HazardSettings) -> list[SanitisedPhoto]:
    """Check and re-encode every ``(name, bytes)`` before anything is written."""
    if len(photos) > MAX_PHOTOS:
        raise BadInput(f"最多 {MAX_PHOTOS} 张照片。 (At most {MAX_PHOTOS} photos.)")
    return [sanitise_photo(data, limits, name=name) for name, data in photos]


def _default_grid(session: Session, person: Person, school: School, day: dt.date) -> Grid:
    owned = session.scalars(
        select(Grid)
        .join(GridOwnership, GridOwnership.grid_id == Grid.id)
        .where(GridOwnership.person_id == person.id, GridOwnership.held_on(day), Grid.school_id == school.id)
        .order_by(Grid.level.desc(), Grid.source_id)
    ).first()
    member = (
        owned
        or session.scalars(
            select(Grid)
            .join(grid_members, grid_members.c.grid_id == Grid.id)
            .where(grid_members.c.person_id == person.id, Grid.school_id == school.id)
            .order_by(Grid.level.desc(), Grid.source_id)
        ).first()
    )
    if member is None:
        raise BadInput(
            f"{person.name}不负责也不属于{school.name}的任何网格，请指定网格。"
            f" ({person.source_id} owns or belongs to no grid of {school.source_id}: name the grid.)"
        )
    return member


def report_hazard(
    session: Session,
    *,
    school: str,
    grid: str | None,
    area: str,
    description: str,
    by: str,
    on: dt.date,
    found: dt.date | None = None,
    photos: Sequence[tuple[str, bytes]] = (),
    limits: HazardSettings,
    store: PhotoStore,
    source: str = REPORTED_SOURCE,
) -> Hazard:
    """A staff member (or a bureau supervisor of the school, :func:`.roles.require_reporter`)
    reports a hazard on a grid of the school: it gets its file number (``numbering``) and state
    ``reported``. ``source`` says how it was found (:data:`REPORTED_SOURCE` by default,
    :data:`ROUND_SOURCE` when a round's fail opens it). Duplicates are the caller's to offer first
    (``queries.open_duplicates``)."""
    text = _text(description, "隐患描述", "The description")
    found = found or on
    if found > on:
        raise BadInput(f"发现日期 {found} 晚于上报日期 {on}。 (The found date {found} is after the report day {on}.)")
    the_school = find_school(session, school)
    reporter = find_person(session, by)
    require_reporter(session, reporter, the_school, on)
    the_grid = find_grid(session, grid) if grid else _default_grid(session, reporter, the_school, on)
    if the_grid.school_id != the_school.id:
        raise BadInput(
            f"网格 {the_grid.source_id} 不属于{the_school.name}。"
            f" (Grid {the_grid.source_id} belongs to another school than {the_school.source_id}.)"
        )
    risk = find_risk_area(session, area)
    clean = sanitise_all(photos, limits)
    file_no = allocate_file_no(session, the_school, found)
    hazard = Hazard(
        source_id=file_no,
        file_no=file_no,
        school_id=the_school.id,
        grid_id=the_grid.id,
        risk_area_code=risk.code,
        level="",
        source=_text(source, "隐患来源", "The source")[:200],
        found_date=found,
        description=text,
        status=LABELS[REPORTED],
        reported_by_person_id=reporter.id,
        version=1,
    )
    session.add(hazard)
    session.flush()
    record_step(
        session, hazard, kind="report", state=REPORTED, by=reporter, on=on, note=text, photos=clean, store=store
    )
    append_event(
        session,
        actor=actor_of(reporter),
        action="hazard.report",
        subject=f"hazard:{file_no}",
        data={
            "file_no": file_no,
            "state": REPORTED,
            "version": 1,
            "school_id": the_school.source_id,
            "grid_id": the_grid.source_id,
            "risk_area": risk.code,
            "found": found.isoformat(),
            "on": on.isoformat(),
            "photos": [p.sha256 for p in clean],
            "source": hazard.source,
        },
    )
    return hazard


def plan_hazard(
    session: Session,
    key: str,
    *,
    by: str,
    on: dt.date,
    level: str,
    measures: str,
    rectifier: str,
    deadline: dt.date | None,
    temporary: str | None = None,
    funds: int | None = None,
    expected_version: int | None = None,
) -> Hazard:
    """The safety deputy (or principal) files a reported hazard with its level and plans it (一案):
    a ``reported`` hazard takes two steps here (``file`` then ``plan``), a ``filed`` one one."""
    hazard = find_hazard(session, key)
    if level not in LEVELS:
        raise BadInput(f"隐患等级须为 一般 或 重大，而不是 {level!r}。 (The level must be 一般 or 重大.)")
    what = _text(measures, "整改措施", "The measures")
    controls = _text(temporary, "临时管控措施", "The temporary controls", required=False)
    if level == MAJOR and not controls:
        raise BadInput("重大隐患必须有临时管控措施。 (A 重大 hazard needs temporary controls.)")
    if deadline is None:
        raise BadInput("整改方案必须有整改期限。 (A plan needs a deadline.)")
    if hazard.found_date is not None and deadline < hazard.found_date:
        raise BadInput(
            f"整改期限 {deadline} 早于发现日期 {hazard.found_date}。"
            f" (The deadline {deadline} is before the hazard was found, {hazard.found_date}.)"
        )
    if funds is not None and funds < 0:
        raise BadInput("整改资金不能为负数。 (The funds cannot be negative.)")
    planner = find_person(session, by)
    require_post(session, planner, hazard.school, FILING_POSTS, on, "建档和制定整改方案")
    doer = find_person(session, rectifier)
    if not doer.in_service_on(on):
        raise BadInput(
            f"整改责任人 {doer.name} {on} 不在岗。 (The rectifier {doer.source_id} is not in service on {on}.)"
        )
    require_staff(session, doer, hazard.school, on)
    if state_of(hazard.status) == REPORTED:
        apply_step(
            session,
            hazard,
            step="file",
            by=planner,
            on=on,
            note=f"建档（{level}）",
            expected_version=expected_version,
            values={"level": level},
            data={"level": level},
        )
        expected_version = None
    values = {
        "measures": what,
        "temporary_measures": controls or None,
        "funds_yuan": funds,
        "deadline": deadline,
        "responsible_person_id": doer.id,
    }
    apply_step(
        session,
        hazard,
        step="plan",
        by=planner,
        on=on,
        note=what,
        expected_version=expected_version,
        values=values,
        data={"rectifier_id": doer.source_id, "deadline": deadline, "funds_yuan": funds, "temporary": controls},
    )
    return hazard


def record_progress(
    session: Session,
    key: str,
    *,
    by: str,
    on: dt.date,
    note: str,
    done: bool = False,
    photos: Sequence[tuple[str, bytes]] = (),
    limits: HazardSettings,
    store: PhotoStore,
    expected_version: int | None = None,
) -> Hazard:
    """Only the rectifier records progress; ``done`` hands the hazard over for acceptance."""
    hazard = find_hazard(session, key)
    text = _text(note, "整改记录", "The note")
    person = find_person(session, by)
    if hazard.responsible_person_id != person.id:
        raise NotPermitted(
            f"只有整改责任人可以记录整改进展，{person.name}不是。 (Only the rectifier records progress.)"
        )
    clean = sanitise_all(photos, limits)
    apply_step(
        session,
        hazard,
        step="done" if done else "progress",
        by=person,
        on=on,
        note=text,
        expected_version=expected_version,
        photos=clean,
        store=store,
    )
    return hazard


def _acceptor(session: Session, hazard: Hazard, by: str, on: dt.date) -> tuple[Person, bool]:
    """The person and whether they act for the bureau (the supervisor's countersign)."""
    person = find_person(session, by)
    if person.id == hazard.responsible_person_id:
        raise NotPermitted("整改责任人不能验收自己整改的隐患。 (The rectifier may not accept their own work.)")
    if hazard.listed_for_supervision and person.id in bureau_supervisor_ids(session, hazard.school, on):
        return person, True
    if not holds_post(session, person, hazard.school_id, SCHOOL_LEADER_POSTS, on):
        raise NotPermitted(
            f"{person.name}（{person.source_id}）{on} 不是{hazard.school.name}的校级领导，不能验收。"
            f" ({person.source_id} is not a leader of {hazard.school.source_id} on {on}: may not accept.)"
        )
    return person, False


def accept_hazard(session: Session, key: str, *, by: str, on: dt.date, expected_version: int | None = None) -> Hazard:
    """A school leader who is not the rectifier accepts (验收): the hazard closes (销号) — unless it
    is listed for supervision, then it waits for the bureau supervisor's countersign, which closes it."""
    hazard = find_hazard(session, key)
    person, for_bureau = _acceptor(session, hazard, by, on)
    if hazard.listed_for_supervision and not for_bureau:
        if hazard.verified_by_person_id is not None:
            raise WrongState(
                "学校已验收，等待局督办人销号。 (The school accepted; the bureau's countersign closes it.)"
            )
        apply_step(
            session,
            hazard,
            step="school_accept",
            by=person,
            on=on,
            note="学校验收合格，报局督办销号",
            expected_version=expected_version,
            values={"verified_by_person_id": person.id},
        )
        return hazard
    if for_bureau:
        if hazard.verified_by_person_id is None:
            raise WrongState("挂牌督办隐患须先由学校验收。 (The school accepts a supervised hazard first.)")
        values = {"countersigned_by_person_id": person.id, "closed_date": on}
    else:
        values = {"verified_by_person_id": person.id, "closed_date": on}
    apply_step(
        session,
        hazard,
        step="accept",
        by=person,
        on=on,
        note="验收合格，销号",
        expected_version=expected_version,
        values=values,
    )
    return hazard


def reject_hazard(
    session: Session, key: str, *, by: str, on: dt.date, note: str, expected_version: int | None = None
) -> Hazard:
    """Acceptance refused: back to the rectifier (``rectifying``) with the reason."""
    hazard = find_hazard(session, key)
    reason = _text(note, "验收不合格的理由", "The reason for rejecting")
    person, _ = _acceptor(session, hazard, by, on)
    apply_step(
        session,
        hazard,
        step="reject",
        by=person,
        on=on,
        note=reason,
        expected_version=expected_version,
        values={"verified_by_person_id": None},
    )
    return hazard


def void_hazard(
    session: Session, key: str, *, by: str, on: dt.date, reason: str, expected_version: int | None = None
) -> Hazard:
    """Void a duplicate or a report that is no hazard; it is kept, with the reason."""
    hazard = find_hazard(session, key)
    why = _text(reason, "作废理由", "The reason")
    person = find_person(session, by)
    require_post(session, person, hazard.school, FILING_POSTS, on, "作废隐患")
    apply_step(session, hazard, step="void", by=person, on=on, note=why, expected_version=expected_version)
    return hazard
