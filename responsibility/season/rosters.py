"""Importing a duty roster (值班表) from an .xlsx sheet: one row per day and shift.

The first row names the columns (Chinese or English, any order; extra columns are ignored):

=========  ==========  ==========================================================
日期 date   班次 shift   带班领导 leader（person id）, 值班人员 staff（ids, comma or 、
separated）, 门卫 and 宿管（a person id each, may be empty）
=========  ==========  ==========================================================

The whole file is checked before anything is written and refused, with one line, on a missing
column, an unreadable or repeated date and shift, a date outside the live campaign's term, a day
with no leader, a leader who holds no leading post (``SeasonSettings.leading_posts``) at the
organisation that day, or an unknown person. An accepted file replaces the organisation's rows of
the same dates and shifts (the rows imported by ``flask org import`` are the same rows, so D1 sees
imported and uploaded rosters alike) and appends one audit event.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ..audit import append_event
from ..hazards.roles import holds_post
from ..models import DutyRoster, Organization, Person, duty_roster_staff
from .errors import RosterRefused
from .seasons import find_org, find_person, flush_or_conflict, live_campaign

__all__ = [
    "KEY_POSTS",
    "ROSTER_COLUMNS",
    "RosterImport",
    "RosterRow",
    "check_rows",
    "import_roster",
    "read_roster_xlsx",
    "write_staff",
]

KEY_POSTS = ("门卫", "宿管")
ROSTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "date"),
    "shift": ("班次", "shift"),
    "leader": ("带班领导", "leader"),
    "staff": ("值班人员", "staff"),
    "门卫": ("门卫", "guard"),
    "宿管": ("宿管", "dorm"),
}
"""Each column's key and the headers accepted for it."""
MAX_ROWS = 2000
_SPLIT = re.compile(r"[,，、;；\s]+")


@dataclass(frozen=True)
class RosterRow:
    line: int
    date: dt.date
    shift: str
    leader: str
    staff: tuple[str, ...] = ()
    key_posts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RosterImport:
    org: str
    rows: int
    replaced: int
    first: dt.date | None
    last: dt.date | None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return " ".join(str(value).split())


def _columns(header: Iterable[Any]) -> dict[str, int]:
    names = [_cell(h).lower() for h in header]
    found: dict[str, int] = {}
    for key, accepted in ROSTER_COLUMNS.items():
        for i, name in enumerate(names):
            if any(name == a.lower() or name.startswith(a.lower() + " ") for a in accepted):
                found[key] = i
                break
    missing = [ROSTER_COLUMNS[k][0] for k in ROSTER_COLUMNS if k not in found]
    if missing:
        raise RosterRefused(
            f"值班表缺少列：{'、'.join(missing)}。 (The roster lacks the column(s) {', '.join(missing)}.)"
        )
    return found


def _date(text: str, line: int) -> dt.date:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise RosterRefused(
            f"第{line}行：日期 {text!r} 无法识别（应为 YYYY-MM-DD）。 (Row {line}: bad date {text!r}.)"
        ) from None


def read_roster_xlsx(data: bytes) -> list[RosterRow]:
    """The sheet's rows (blank rows skipped), refused on a missing column or a bad date."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a file that is not a workbook
        raise RosterRefused("值班表不是可读的 .xlsx 文件。 (The roster is not a readable .xlsx file.)") from None
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    cols = _columns(next(lines, ()))
    out: list[RosterRow] = []
    for line, values in enumerate(lines, start=2):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        get = {key: cells[i] if i < len(cells) else "" for key, i in cols.items()}.__getitem__
        if len(out) >= MAX_ROWS:
            raise RosterRefused(f"值班表超过 {MAX_ROWS} 行。 (The roster has more than {MAX_ROWS} rows.)")
        posts = {post: get(post) for post in KEY_POSTS if get(post)}
        staff = tuple(s for s in _SPLIT.split(get("staff")) if s)
        out.append(RosterRow(line, _date(get("date"), line), get("shift") or "24h", get("leader"), staff, posts))
    if not out:
        raise RosterRefused("值班表没有任何一天。 (The roster has no day.)")
    return out


def _where(row: RosterRow) -> tuple[str, str]:
    """How a refusal names the row: a file's line (``第3行（2025-03-01）`` / ``Row 3``), or the
    day alone for a day edited in the browser (``line`` 0)."""
    if row.line:
        return f"第{row.line}行（{row.date}）", f"Row {row.line}"
    return f"{row.date} {row.shift}", f"{row.date} {row.shift}"


def check_rows(session: Session, org: Organization, rows: list[RosterRow], posts: frozenset[str]) -> dict[str, Person]:
    """The one validation of roster days, for a file and for a day edited in the browser: each
    row inside the live term, not repeated, with a leader holding a leading post at ``org`` that
    day, every person known. Returns the people by id; raises before anything is written."""
    campaign = live_campaign(session)
    seen: set[tuple[dt.date, str]] = set()
    people: dict[str, Person] = {}

    def person(pid: str, what: str) -> Person:
        if pid not in people:
            people[pid] = find_person(session, pid, what)
        return people[pid]

    for row in rows:
        where, en = _where(row)
        if not campaign.term_start <= row.date <= campaign.term_end:
            raise RosterRefused(
                f"{where}不在本季 {campaign.term_start}—{campaign.term_end} 之内。"
                f" ({en}: {row.date} is outside the season {campaign.term_start}–{campaign.term_end}.)"
            )
        if (row.date, row.shift) in seen:
            raise RosterRefused(f"{where}班次 {row.shift} 重复。 ({en}: the shift {row.shift} repeats.)")
        seen.add((row.date, row.shift))
        if not row.leader:
            raise RosterRefused(f"{where}没有带班领导。 ({en}: the day has no leader on duty.)")
        leader = person(row.leader, f"{where}带班领导")
        if not holds_post(session, leader, org.id, posts, row.date):
            raise RosterRefused(
                f"{where}带班领导 {leader.name}（{leader.source_id}）当天在 {org.source_id} 不担任领导岗位。"
                f" ({en}: {leader.source_id} holds no leading post at {org.source_id} that day.)"
            )
        for pid in (*row.staff, *row.key_posts.values()):
            person(pid, f"{where}值班人员")
    return people


def write_staff(session: Session, written: list[tuple[DutyRoster, list[int]]]) -> None:
    """The staff of each written day in the file's order (``position``, as the county import
    writes it, so the export gives them back in that order)."""
    ids = [roster.id for roster, _ in written]
    session.execute(delete(duty_roster_staff).where(duty_roster_staff.c.roster_id.in_(ids)))
    staff = [
        {"roster_id": roster.id, "person_id": pid, "position": i}
        for roster, pids in written
        for i, pid in enumerate(pids)
    ]
    if staff:
        session.execute(insert(duty_roster_staff), staff)
    for roster, _ in written:
        session.expire(roster, ["staff"])


def import_roster(
    session: Session, org_id: str, rows: list[RosterRow], *, leading_posts: frozenset[str], actor: str
) -> RosterImport:
    """Check every row, then replace the organisation's rows of those dates and shifts."""
    org = find_org(session, org_id)
    people = check_rows(session, org, rows, leading_posts)
    existing = {
        (r.date, r.shift): r
        for r in session.scalars(
            select(DutyRoster).where(DutyRoster.org_id == org.id, DutyRoster.date.in_(sorted({r.date for r in rows})))
        )
    }
    replaced = 0
    written: list[tuple[DutyRoster, list[int]]] = []
    for row in rows:
        roster = existing.get((row.date, row.shift))
        if roster is None:
            roster = DutyRoster(org_id=org.id, date=row.date, shift=row.shift)
            session.add(roster)
        else:
            replaced += 1
            roster.version += 1
        roster.leader_person_id = people[row.leader].id
        roster.key_posts = dict(row.key_posts) or None
        written.append((roster, [people[pid].id for pid in dict.fromkeys(row.staff)]))
    flush_or_conflict(session, "值班表")
    write_staff(session, written)
    days = sorted(r.date for r in rows)
    result = RosterImport(org.source_id, len(rows), replaced, days[0], days[-1])
    append_event(
        session,
        actor=actor,
        action="roster.import",
        subject=f"org:{org.source_id}",
        data={"rows": len(rows), "replaced": replaced, "first": days[0], "last": days[-1]},
    )
    session.flush()
    return result
