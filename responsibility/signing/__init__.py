"""PAdES signing on bytes (pyHanko): certification, approval signatures, document timestamps.

No database and no web: keys, certificates, CRLs and the timestamper come in as arguments.
"""

from responsibility.signing.appearance import Appearance, StampFont, load_stamp_font, render_stamp
from responsibility.signing.context import build_validation_context
from responsibility.signing.errors import (
    FieldUnavailable,
    SignerCertificateRejected,
    SigningFailed,
    TimestampUnavailable,
)
from responsibility.signing.keys import KeySigner
from responsibility.signing.pades import (
    BYTES_RESERVED,
    WITNESS_KEY,
    add_document_timestamp,
    certify,
    read_witness,
    sign,
)

__all__ = [
    "BYTES_RESERVED",
    "Appearance",
    "FieldUnavailable",
    "KeySigner",
    "SignerCertificateRejected",
    "SigningFailed",
    "StampFont",
    "TimestampUnavailable",
    "WITNESS_KEY",
    "add_document_timestamp",
    "build_validation_context",
    "certify",
    "load_stamp_font",
    "read_witness",
    "render_stamp",
    "sign",
]
