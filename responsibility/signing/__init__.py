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
from responsibility.signing.keys import KeySigner, certificate_signer
from responsibility.signing.pades import (
    BYTES_RESERVED,
    PreparedSignature,
    add_document_timestamp,
    certify,
    finish_signature,
    prepare_signature,
    sign,
    sign_attributes,
)
from responsibility.signing.witness import WITNESS_KEY, read_witness

__all__ = [
    "BYTES_RESERVED",
    "Appearance",
    "FieldUnavailable",
    "KeySigner",
    "PreparedSignature",
    "SignerCertificateRejected",
    "SigningFailed",
    "StampFont",
    "TimestampUnavailable",
    "WITNESS_KEY",
    "add_document_timestamp",
    "build_validation_context",
    "certificate_signer",
    "certify",
    "finish_signature",
    "load_stamp_font",
    "prepare_signature",
    "read_witness",
    "render_stamp",
    "sign",
    "sign_attributes",
]
