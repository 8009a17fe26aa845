"""Verification reports of registered files, kept so that the same file is not analysed twice.

Verifying a signed agreement from scratch takes seconds of CPU (pyHanko's diff analysis and
path validation for six signatures); under load the public verifier queued for many seconds.
A file whose bytes are a registered revision is verified once per **trust state**: the report is
kept under ``instance/verify_cache/<trust key>/<sha256>.json`` and served again while the key
is unchanged. The key digests

* the trusted roots and whether revocation is required,
* the revocation content of every current CRL (issuer and each revoked serial with its date:
  a revocation changes it at once; the CRL's own re-signing each day does not),
* the registry's facts about the agreement (state, accepted revisions, expected signers and
  their pinned certificates): a new signature or a state change gives a new key.

Unknown files (not a registered revision) are always verified from scratch, and nothing is kept
for them, nor for ``unreadable`` answers (a time limit under load is not a property of the file).
The kept report says ``from_registry_cache``. Files are written atomically; an unreadable or
edited cache file is ignored and rewritten.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from cryptography import x509

from ..atomic_files import write_atomic
from ..canonical import canonical_text
from ..verify import Limits, TrustConfig, VerificationReport, verify_pdf
from ..verify.registry import RegistryFacts, RegistryLookup
from ..verify.report import UNREADABLE
from ..verify.report_codec import report_from_data, report_to_data

__all__ = ["Verifier", "VerificationCache", "trust_state_key"]

Verifier = Callable[..., VerificationReport]
"""``verify_pdf``'s signature: ``(data, *, trust, registry, limits) -> report``."""


def _crl_state(der: bytes) -> object:
    try:
        crl = x509.load_der_x509_crl(der)
    except ValueError:
        return hashlib.sha256(der).hexdigest()
    revoked = sorted((format(r.serial_number, "x"), r.revocation_date_utc.isoformat()) for r in crl)
    return {"issuer": crl.issuer.rfc4514_string(), "revoked": revoked}


def _registry_state(facts: RegistryFacts) -> object:
    return {
        "document_number": facts.document_number,
        "state": facts.state,
        "revisions": [[r.seq, r.sha256, r.size] for r in facts.revisions],
        "expected": [
            [
                e.field,
                list(e.role_codes),
                e.person_source_id,
                e.person_name,
                e.post_name,
                e.required,
                sorted(hashlib.sha256(c).hexdigest() for c in e.pinned_certificates),
            ]
            for e in facts.expected
        ],  # fmt: skip
        "timestamp_fields": sorted(facts.timestamp_fields),
        "signed_fields": sorted(facts.signed_fields),
    }


def trust_state_key(trust: TrustConfig, facts: RegistryFacts) -> str:
    """The digest under which a report of a revision of ``facts`` stays valid (module doc)."""
    body = {
        "roots": [hashlib.sha256(r).hexdigest() for r in trust.roots],
        "revocation_required": trust.revocation_required,
        "crls": [_crl_state(c) for c in trust.crls],
        "registry": _registry_state(facts),
    }
    return hashlib.sha256(canonical_text(body).encode("utf-8")).hexdigest()


class VerificationCache:
    """Reports of registered files below ``directory`` (``instance/verify_cache``)."""

    def __init__(self, directory: Path, verifier: Verifier = verify_pdf) -> None:
        self.directory = directory
        self.verifier = verifier
        """The from-scratch verification (a seam: tests count its calls)."""

    def _path(self, key: str, sha256: str) -> Path:
        return self.directory / key[:32] / f"{sha256}.json"

    def verify(
        self, data: bytes, *, trust: TrustConfig, registry: RegistryLookup | None, limits: Limits | None = None
    ) -> VerificationReport:
        """``verify_pdf(data, …)``, served from the cache when ``data`` is a registered revision
        verified before under the same trust state."""
        sha = hashlib.sha256(data).hexdigest()
        facts = self._registered(data, sha, registry)
        if facts is None:
            return self.verifier(data, trust=trust, registry=registry, limits=limits)
        path = self._path(trust_state_key(trust, facts), sha)
        kept = self._load(path, sha)
        if kept is not None:
            return kept
        report = self.verifier(data, trust=trust, registry=registry, limits=limits)
        if report.verdict != UNREADABLE and report.document.sha256 == sha:
            write_atomic(path, json.dumps(report_to_data(report), ensure_ascii=False).encode("utf-8"), durable=False)
        return report

    @staticmethod
    def _registered(data: bytes, sha: str, registry: RegistryLookup | None) -> RegistryFacts | None:
        if registry is None or not data:
            return None
        facts = registry.lookup(document_number=None, sha256=sha)
        if facts is None or not any(r.sha256 == sha for r in facts.revisions):
            return None
        return facts

    @staticmethod
    def _load(path: Path, sha256: str) -> VerificationReport | None:
        try:
            report = report_from_data(json.loads(path.read_bytes()))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if report.document.sha256 != sha256:
            return None
        return dataclasses.replace(report, from_registry_cache=True)
