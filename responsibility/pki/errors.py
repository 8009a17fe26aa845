"""Errors of the PKI, key custody and timestamp authority."""

from __future__ import annotations

from responsibility.errors import BadInput, DomainError, Forbidden

__all__ = ["PkiError", "TimestampUnavailable", "WeakPin", "WrongPin"]


class PkiError(DomainError):
    """The PKI on disk is missing, damaged, or cannot be opened with the instance secret."""

    http_status = 500


class WrongPin(Forbidden):
    """The signing PIN does not open the sealed private key. Counting failures is the caller's job."""


class WeakPin(BadInput):
    """The chosen PIN does not meet the PIN policy."""


class TimestampUnavailable(DomainError):
    """The time-stamping authority did not grant a timestamp; signing stops (never the local clock)."""

    http_status = 503
