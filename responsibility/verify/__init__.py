"""Verification on bytes (ARCHITECTURE §4): the acceptance gate of a new signed revision, and the
public verifier that answers about any file (``verify_pdf``). No database, no web."""

from responsibility.verify.acceptance import AcceptanceReport, SignatureCheck, check_revision
from responsibility.verify.reasons import MESSAGES, Reason
from responsibility.verify.registry import (
    AcceptedRevision,
    ExpectedSignature,
    InMemoryRegistry,
    RegistryFacts,
    RegistryLookup,
)
from responsibility.verify.report import (
    INCOMPLETE,
    INVALID,
    UNREADABLE,
    VALID,
    VERDICT_LABELS,
    CertificateInfo,
    DocumentReport,
    RequiredSignature,
    SignatureReport,
    VerificationReport,
)
from responsibility.verify.service import verify_pdf
from responsibility.verify.settings import DEFAULT_MAX_BYTES, DEFAULT_TIME_LIMIT, Limits, TrustConfig
from responsibility.verify.worker import shutdown_pool

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIME_LIMIT",
    "INCOMPLETE",
    "INVALID",
    "MESSAGES",
    "UNREADABLE",
    "VALID",
    "VERDICT_LABELS",
    "AcceptanceReport",
    "AcceptedRevision",
    "CertificateInfo",
    "DocumentReport",
    "ExpectedSignature",
    "InMemoryRegistry",
    "Limits",
    "Reason",
    "RegistryFacts",
    "RegistryLookup",
    "RequiredSignature",
    "SignatureCheck",
    "SignatureReport",
    "TrustConfig",
    "VerificationReport",
    "check_revision",
    "shutdown_pool",
    "verify_pdf",
]
