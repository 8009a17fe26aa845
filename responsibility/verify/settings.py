"""What a verification trusts and how much it may spend: plain, picklable settings.

Both cross into the worker process that parses the (untrusted) file, so they hold DER bytes, not
live certificate objects. The caller builds them from its own configuration (the web and the CLI
from the instance PKI); nothing here reads files or the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import serialization

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_TIME_LIMIT", "Limits", "TrustConfig"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_TIME_LIMIT = 30.0


def _der(cert: x509.Certificate | bytes) -> bytes:
    return cert if isinstance(cert, bytes) else cert.public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True)
class TrustConfig:
    """Trust anchors and revocation data of one verification.

    Revocation information is required for every certificate on a path (``revocation_mode
    'require'``) and comes only from ``crls``: URLs inside certificates or the file are never
    fetched. The county's CAs publish these CRLs, so our own signatures always have them.
    """

    roots: tuple[bytes, ...]
    """DER of every trusted root: the county root first, then any other configured roots."""
    crls: tuple[bytes, ...] = ()
    """DER CRLs of our CAs (and of other roots' CAs when configured), current at build time."""
    revocation_required: bool = True
    """``revocation_mode='require'``; only tests of the fallback should turn this off."""

    @classmethod
    def build(
        cls, roots: Iterable[x509.Certificate | bytes], crls: Iterable[bytes] = (), *, revocation_required: bool = True
    ) -> TrustConfig:
        """A config from certificate objects (or DER) and DER CRLs."""
        return cls(tuple(_der(c) for c in roots), tuple(crls), revocation_required)

    def root_certificates(self) -> list[x509.Certificate]:
        return [x509.load_der_x509_certificate(der) for der in self.roots]


@dataclass(frozen=True)
class Limits:
    """Bounds on one verification of untrusted input."""

    max_bytes: int = DEFAULT_MAX_BYTES
    """Larger inputs are refused unread (``too_large``)."""
    time_limit: float = DEFAULT_TIME_LIMIT
    """Seconds of analysis in the worker before the verdict becomes ``unreadable`` (``time_limit``)."""
    isolate: bool = True
    """Parse in a separate worker process (the time limit needs it); ``False`` runs in-process
    without a time limit, for callers that already isolate (batch jobs) and for unit tests."""
    max_attachment_bytes: int = field(default=4 * 1024 * 1024)
    """The embedded responsibility matrix is read only up to this size."""
