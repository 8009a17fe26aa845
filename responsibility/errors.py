"""Domain exceptions. Services raise these; only ``web`` and ``cli`` map them to HTTP status
codes, exit codes and messages in the user's language.

An error carries its message as data: ``raise BadInput(N_("a campaign named %(name)s already
exists"), name=name)``. ``err.message`` is that :class:`~responsibility.messages.Message` (the
web layer translates it), ``str(err)`` the English text (the command line, logs).
"""

from __future__ import annotations

from typing import Any

from .messages import Message

__all__ = ["BadInput", "DomainError", "Forbidden", "InvalidState", "NotFound", "SignatureRejected"]


class DomainError(Exception):
    """Base of every expected failure; ``str(err)`` is a one-line message for the user."""

    http_status = 400

    def __init__(self, message: str | Message = "", /, **params: Any) -> None:
        self.message = message if isinstance(message, Message) else Message(str(message), params)
        super().__init__(str(self.message))


class BadInput(DomainError):
    """The caller's input is malformed or inconsistent; nothing was changed."""

    http_status = 400


class NotFound(DomainError):
    http_status = 404


class Forbidden(DomainError):
    http_status = 403


class InvalidState(DomainError):
    """The operation does not fit the current state (signing twice, out of order, …)."""

    http_status = 409


class ConcurrentChange(InvalidState):
    """Someone else wrote the same record at the same moment (a unique row both tried to add);
    nothing of this attempt was kept."""


class SignatureRejected(DomainError):
    """A signed revision failed the acceptance rules of ARCHITECTURE §4."""

    http_status = 422
