"""Domain exceptions. Services raise these; only ``web`` and ``cli`` map them to HTTP status
codes, exit codes and messages in the user's language."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every expected failure; ``str(err)`` is a one-line message for the user."""

    http_status = 400


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


class SignatureRejected(DomainError):
    """A signed revision failed the acceptance rules of ARCHITECTURE §4."""

    http_status = 422
