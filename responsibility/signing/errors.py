"""Errors of PAdES signing on bytes."""

from __future__ import annotations

from responsibility.errors import DomainError, Forbidden, InvalidState
from responsibility.pki.errors import TimestampUnavailable

__all__ = ["FieldUnavailable", "SignerCertificateRejected", "SigningFailed", "TimestampUnavailable"]


class SigningFailed(DomainError):
    """pyHanko could not produce the signature; nothing was written."""

    http_status = 500


class SignerCertificateRejected(Forbidden):
    """The signer's certificate is revoked, expired or not issued by a trusted CA."""


class FieldUnavailable(InvalidState):
    """The signature field does not exist in the document or is already signed."""
