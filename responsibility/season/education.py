"""Recording safety education sessions (安全教育: 反诈、消防、假期安全 …) as counts.

A school says, for one session: the topic (a code of ``SeasonSettings.education_topics``), the
day, the class (or the whole school, an empty class), how many attended and how many were
enrolled then. Refused, with nothing written: an unknown topic or school, a negative count,
attendance above enrolment, a day in the future or outside the live campaign's term, an empty
enrolment. A session is edited or deleted with compare-and-set (``expected_version``); every
change appends one audit event (``education.record``, ``education.edit``, ``education.delete``).
The targets 反诈教育覆盖率 and 消防教育 read them (:mod:`responsibility.targets.education`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..audit import append_event
from ..clock import now_utc
from ..messages import N_
from ..models import Campaign, EducationSession, School
from .errors import BadInput, SeasonConflict, UnknownRecord
from .seasons import live_campaign

__all__ = [
    "EducationConflict",
    "SessionFacts",
    "delete_session",
    "edit_session",
    "list_sessions",
    "record_session",
]

MAX_CLASS = 100
MAX_COUNT = 100_000
MAX_NOTE = 500


class EducationConflict(SeasonConflict):
    """The session changed (or went) since it was read: 409."""


@dataclass(frozen=True)
class SessionFacts:
    """What a session says, as the caller typed it (checked by :func:`check_facts`)."""

    topic: str
    day: dt.date
    attendance: int
    enrolled: int
    class_name: str = ""
    note: str | None = None


def _school(session: Session, school_id: str) -> School:
    school = session.scalar(select(School).where(School.source_id == (school_id or "").strip()))
    if school is None:
        raise UnknownRecord(N_("No school %(school)s."), school=repr(school_id))
    return school


def check_facts(facts: SessionFacts, *, topics: Sequence[str], today: dt.date, campaign: Campaign) -> SessionFacts:
    """The facts normalised (class and note trimmed), or the first broken rule as BadInput."""
    if facts.topic not in topics:
        raise BadInput(N_("Unknown education topic %(topic)s; one of: %(topics)s."),
                       topic=repr(facts.topic), topics=", ".join(topics))  # fmt: skip
    if facts.attendance < 0 or facts.enrolled < 0:
        raise BadInput(N_("Counts cannot be negative (attended %(attendance)s, enrolled %(enrolled)s)."),
                       attendance=facts.attendance, enrolled=facts.enrolled)  # fmt: skip
    if facts.enrolled == 0 or facts.enrolled > MAX_COUNT:
        raise BadInput(N_("The enrolment must be between 1 and %(max)s."), max=MAX_COUNT)
    if facts.attendance > facts.enrolled:
        raise BadInput(N_("%(attendance)s attended, more than the %(enrolled)s enrolled."),
                       attendance=facts.attendance, enrolled=facts.enrolled)  # fmt: skip
    if facts.day > today:
        raise BadInput(N_("The session's date %(date)s is in the future."), date=facts.day.isoformat())
    if not campaign.term_start <= facts.day <= campaign.term_end:
        raise BadInput(N_("The session's date %(date)s is outside the term %(start)s to %(end)s."),
                       date=facts.day.isoformat(), start=campaign.term_start.isoformat(),
                       end=campaign.term_end.isoformat())  # fmt: skip
    name = " ".join((facts.class_name or "").split())
    if len(name) > MAX_CLASS:
        raise BadInput(N_("A class name has at most %(max)s characters."), max=MAX_CLASS)
    note = (facts.note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise BadInput(N_("A note has at most %(max)s characters."), max=MAX_NOTE)
    return SessionFacts(facts.topic, facts.day, facts.attendance, facts.enrolled, name, note)


def _event_data(row: EducationSession) -> dict[str, object]:
    return {
        "id": row.id, "topic": row.topic, "date": row.date.isoformat(), "class": row.class_name,
        "attendance": row.attendance, "enrolled": row.enrolled, "version": row.version,
    }  # fmt: skip


def record_session(
    session: Session, school_id: str, facts: SessionFacts, *, topics: Sequence[str], today: dt.date, actor: str
) -> EducationSession:
    """Record one session of the school in the live campaign's term."""
    school = _school(session, school_id)
    campaign = live_campaign(session)
    checked = check_facts(facts, topics=topics, today=today, campaign=campaign)
    row = EducationSession(
        school_id=school.id, campaign_id=campaign.id, topic=checked.topic, date=checked.day,
        class_name=checked.class_name, attendance=checked.attendance, enrolled=checked.enrolled,
        note=checked.note, recorded_by=actor, recorded_at=now_utc(), version=1,
    )  # fmt: skip
    session.add(row)
    session.flush()
    append_event(session, actor=actor, action="education.record", subject=f"school:{school.source_id}",
                 data=_event_data(row))  # fmt: skip
    session.flush()
    return row


def _current(session: Session, school_id: str, session_id: int, expected_version: int) -> EducationSession:
    school = _school(session, school_id)
    row = session.get(EducationSession, session_id)
    if row is None or row.school_id != school.id:
        raise UnknownRecord(N_("No education session %(id)s at this school."), id=session_id)
    if row.version != expected_version:
        raise EducationConflict(N_("The session changed meanwhile (now version %(version)s)."), version=row.version)
    return row


def edit_session(
    session: Session,
    school_id: str,
    session_id: int,
    facts: SessionFacts,
    *,
    expected_version: int,
    topics: Sequence[str],
    today: dt.date,
    actor: str,
) -> EducationSession:
    """Replace a session's facts if it is still at ``expected_version`` (else 409)."""
    row = _current(session, school_id, session_id, expected_version)
    campaign = session.get(Campaign, row.campaign_id)
    assert campaign is not None
    checked = check_facts(facts, topics=topics, today=today, campaign=campaign)
    moved = session.execute(
        update(EducationSession)
        .where(EducationSession.id == row.id, EducationSession.version == expected_version)
        .values(
            topic=checked.topic,
            date=checked.day,
            class_name=checked.class_name,
            attendance=checked.attendance,
            enrolled=checked.enrolled,
            note=checked.note,
            recorded_by=actor,
            recorded_at=now_utc(),
            version=expected_version + 1,
        )  # fmt: skip
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if moved != 1:
        raise EducationConflict(N_("The session changed meanwhile."))
    session.refresh(row)
    append_event(session, actor=actor, action="education.edit", subject=f"school:{school_id.strip()}",
                 data=_event_data(row))  # fmt: skip
    session.flush()
    return row


def delete_session(session: Session, school_id: str, session_id: int, *, expected_version: int, actor: str) -> None:
    """Delete a session if it is still at ``expected_version`` (else 409)."""
    row = _current(session, school_id, session_id, expected_version)
    data = _event_data(row)
    gone = session.execute(
        delete(EducationSession)
        .where(EducationSession.id == row.id, EducationSession.version == expected_version)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if gone != 1:
        raise EducationConflict(N_("The session changed meanwhile."))
    session.expunge(row)
    append_event(session, actor=actor, action="education.delete", subject=f"school:{school_id.strip()}", data=data)
    session.flush()


def list_sessions(session: Session, school_id: str, campaign: Campaign | None = None) -> list[EducationSession]:
    """The school's sessions of the campaign (default the live one), newest day first."""
    school = _school(session, school_id)
    campaign = campaign or live_campaign(session)
    return list(
        session.scalars(
            select(EducationSession)
            .where(EducationSession.school_id == school.id, EducationSession.campaign_id == campaign.id)
            .order_by(EducationSession.date.desc(), EducationSession.id.desc())
        )
    )
