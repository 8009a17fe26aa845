"""The one notification service: an event, its recipients, its message — written with the change.

Domain code, no Flask. A feature that wants to tell people something builds a :class:`Event` and
calls :func:`publish` with the session of the state change, *before* its entry point commits::

    from responsibility.notify import Event, publish

    publish(session, Event(
        kind="hazard_assigned",                      # what happened (Notification.kind)
        key=f"hazard_assigned:{hazard.id}",          # unique per recipient: publishing again adds nothing
        recipients=(rectifier.id,),                  # person ids (duplicates and None are dropped)
        msgid="Hazard %(number)s was assigned to you for rectification.",  # English catalogue msgid
        params={"number": hazard.file_number},       # %-style parameters of the msgid
        url=f"/hazards/{hazard.id}",                 # a local path where the matter is seen
    ))

What the caller may rely on:

- **Same transaction.** Each recipient gets one :class:`~responsibility.models.Notification` row,
  flushed in the caller's session, never committed here: a rolled-back change leaves no
  notification and sends no mail.
- **Idempotent.** ``(recipient, key)`` is unique (checked here, and by a unique constraint), so
  re-running an issue or a job never notifies anybody twice about the same thing.
- **Translated when read.** The row keeps ``msgid`` and ``params``; pages render them in the
  reader's language (``web``), and ``message`` holds the text in the default language (zh_CN,
  from the catalogue) for the e-mail copy. Append the msgid and its translation at the end of
  both ``messages.po`` files.
- **Mail after commit.** The row is also the outbox: :func:`~.mail.deliver_mail` mails rows not
  yet mailed, after the commit (``jobs.mail_outbox`` starts it when a committed transaction
  published something). SMTP down leaves the rows for the next run; nothing is lost.

Who receives what for agreements (issue, next signer, complete, cascade) is decided in
``agreements.notices``; the hazard and assessment features resolve their own recipients the same
way and call :func:`publish`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Notification
from .catalogue import DEFAULT_LOCALE, render

__all__ = ["PENDING_MAIL", "Event", "publish"]

PENDING_MAIL = "notify.pending_mail"
"""Key of ``Session.info`` set when a transaction published notifications (for the mail trigger)."""


@dataclass(frozen=True)
class Event:
    """Something that happened and who must hear of it."""

    kind: str
    key: str
    """Unique per recipient: the same key is never notified twice to one person."""
    recipients: Iterable[int | None]
    msgid: str
    params: Mapping[str, str | int] = field(default_factory=dict)
    url: str | None = None
    agreement_id: int | None = None
    level: int | None = None
    """The escalation level, for events that climb the chain (``chain.escalation``)."""


def publish(session: Session, event: Event) -> list[Notification]:
    """Add the event's notification for every recipient who has not had it yet (flushed).

    Returns the rows added (empty when everybody had it already or nobody is to be told)."""
    wanted = list(dict.fromkeys(int(p) for p in event.recipients if p is not None))
    if not wanted:
        return []
    had = set(
        session.scalars(
            select(Notification.recipient_person_id).where(
                Notification.event_key == event.key, Notification.recipient_person_id.in_(wanted)
            )
        ).all()
    )
    params = dict(event.params)
    text = render(event.msgid, params, DEFAULT_LOCALE)
    added = []
    for person_id in wanted:
        if person_id in had:
            continue
        note = Notification(
            recipient_person_id=person_id,
            kind=event.kind,
            message=text,
            msgid=event.msgid,
            params=params,
            event_key=event.key,
            url=event.url,
            agreement_id=event.agreement_id,
            level=event.level,
        )
        session.add(note)
        added.append(note)
    if added:
        session.flush()
        session.info[PENDING_MAIL] = True
    return added
