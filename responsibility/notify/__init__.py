"""Notifications to persons: in-app (the bell and ``/notifications``) and their e-mail copies.

Domain code: no Flask. Services take a session and never commit; mail is sent by
:func:`deliver_mail` *after* the caller committed the notifications, so a rolled-back run never
mails anybody.
"""

from .inbox import mark_read, notifications_for, notify, unread_count
from .mail import MailSettings, MailSummary, deliver_mail, send_mail

__all__ = [
    "MailSettings",
    "MailSummary",
    "deliver_mail",
    "mark_read",
    "notifications_for",
    "notify",
    "send_mail",
    "unread_count",
]
