"""E-mail copies of notifications over SMTP (``smtplib``), when ``SMTP_HOST`` is configured.

Sending happens after the notifications were committed; each attempt is recorded on the row
(``emailed_at`` or ``email_error``), so a second delivery run never mails the same notification
twice and a failure is visible instead of silent.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MailAddress, Notification
from ..models.base import utcnow
from ..settings import MailSettings

__all__ = ["MailSettings", "MailSummary", "deliver_mail", "send_mail"]


@dataclass
class MailSummary:
    sent: int = 0
    no_address: int = 0
    failed: list[str] = field(default_factory=list)


def send_mail(settings: MailSettings, to: str, subject: str, body: str) -> None:
    """Send one plain-text message; raises ``OSError``/``smtplib.SMTPException`` on failure."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.host or "", settings.port, timeout=settings.timeout) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(message)


def deliver_mail(session: Session, settings: MailSettings) -> MailSummary:
    """Mail every notification not yet tried to its recipient's address (flushes, no commit).

    Does nothing when SMTP is not configured. A recipient without an address is recorded as such
    (not retried); an SMTP failure is recorded and left for the next run."""
    summary = MailSummary()
    if not settings.enabled:
        return summary
    rows = session.execute(
        select(Notification, MailAddress.email)
        .outerjoin(MailAddress, MailAddress.person_id == Notification.recipient_person_id)
        .where(Notification.emailed_at.is_(None), Notification.email_error.is_(None))
        .order_by(Notification.id)
    ).all()
    for note, address in rows:
        if not address:
            note.email_error = "no e-mail address"
            summary.no_address += 1
            continue
        body = note.message + (f"\n\n{settings.base_url}{note.url}" if note.url else "")
        try:
            send_mail(settings, address, "【安全责任书】" + note.message.split("\n", 1)[0][:80], body)
        except (OSError, smtplib.SMTPException) as exc:
            summary.failed.append(f"{address}: {exc}")
            continue
        note.emailed_at = utcnow()
        summary.sent += 1
    session.flush()
    return summary
