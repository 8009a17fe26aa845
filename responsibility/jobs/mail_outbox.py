"""Mail the notifications a transaction published — only after it committed.

``notify.publish`` marks the session (``Session.info[PENDING_MAIL]``); the listeners installed
here turn that mark into "committed" on commit and drop it on rollback, so the entry point (a
request, a command, a job) can ask :func:`take_committed` at its end and start
:func:`deliver_in_background`. A rolled-back change never mails; an SMTP failure leaves the rows
unmailed for the next delivery (``flask escalate run`` or the next committed notification), so
no notification is lost. Delivery works from the ``notifications`` rows, never from the mark,
so a spurious mark costs one empty query. One delivery at a time per process (a lock), so two
requests do not mail the same row twice.
"""

from __future__ import annotations

import threading

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..notify import PENDING_MAIL, MailSummary, deliver_mail
from ..settings import MailSettings

__all__ = ["COMMITTED_MAIL", "deliver_in_background", "deliver_pending", "install_listeners", "take_committed"]

COMMITTED_MAIL = "notify.committed_mail"
_delivery_lock = threading.Lock()
_installed = False


def _after_commit(session: Session) -> None:
    if session.info.pop(PENDING_MAIL, False):
        session.info[COMMITTED_MAIL] = True


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING_MAIL, None)


def install_listeners() -> None:
    """Watch every session's commits and rollbacks (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _installed = True


def take_committed(session: Session) -> bool:
    """Whether a transaction of ``session`` committed notifications since the last call."""
    return bool(session.info.pop(COMMITTED_MAIL, False))


def deliver_pending(engine: Engine, settings: MailSettings) -> MailSummary:
    """Mail every committed notification not yet mailed, in a session of its own (commits)."""
    with _delivery_lock, Session(engine) as session:
        summary = deliver_mail(session, settings)
        session.commit()
    return summary


def deliver_in_background(engine: Engine, settings: MailSettings) -> threading.Thread | None:
    """Start :func:`deliver_pending` in a thread (None when no SMTP server is configured)."""
    if not settings.enabled:
        return None
    thread = threading.Thread(target=deliver_pending, args=(engine, settings), name="mail-outbox")
    thread.start()
    return thread
