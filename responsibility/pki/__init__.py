"""The county PKI: certificate authorities, person certificates, CRLs, key custody and the RFC 3161 TSA.

Works on files and bytes only; settings (directory, instance secret, base URL) come in as arguments.
"""

from responsibility.pki.ca import (
    CA_NAMES,
    Pki,
    build_crl,
    crl_url,
    export_root_pem,
    init_pki,
    issue_person_certificate,
)
from responsibility.pki.custody import check_pin_policy, generate_key, open_private_key, seal_private_key
from responsibility.pki.errors import PkiError, TimestampUnavailable, WeakPin, WrongPin
from responsibility.pki.tsa import DEFAULT_TSA_POLICY, ExternalTimeStamper, LocalTimeStamper, respond

__all__ = [
    "CA_NAMES",
    "DEFAULT_TSA_POLICY",
    "ExternalTimeStamper",
    "LocalTimeStamper",
    "Pki",
    "PkiError",
    "TimestampUnavailable",
    "WeakPin",
    "WrongPin",
    "build_crl",
    "check_pin_policy",
    "crl_url",
    "export_root_pem",
    "generate_key",
    "init_pki",
    "issue_person_certificate",
    "open_private_key",
    "respond",
    "seal_private_key",
]
