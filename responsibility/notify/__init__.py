"""Notifications to persons: in-app (the bell and ``/notifications``) and their e-mail copies.

Domain code: no Flask. :func:`publish` (``notify.events``: read its docstring for the API) adds an
event's notifications in the caller's transaction and never commits; mail is sent by
:func:`deliver_mail` *after* the caller committed the notifications, so a rolled-back run never
mails anybody.
"""

from .catalogue import render
from .events import PENDING_MAIL, Event, publish
from .inbox import mark_read, notifications_for, unread_count
from .mail import MailSettings, MailSummary, deliver_mail, send_mail

__all__ = [
    "PENDING_MAIL",
    "Event",
    "MailSettings",
    "MailSummary",
    "deliver_mail",
    "mark_read",
    "notifications_for",
    "publish",
    "render",
    "send_mail",
    "unread_count",
]
