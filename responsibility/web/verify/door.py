"""The one way this blueprint runs a verification: the app's trust, limits and registry.

The CLI builds the same three from the same helpers (``agreements.registry``), so the page, the API
and ``flask verify`` always agree.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.serialization import Encoding
from flask import current_app, request

from ...agreements.registry import DatabaseRegistry, verification_limits, verification_registry
from ...extensions import db, db_session
from ...verify import Limits, VerificationReport
from ...verify.headline import county_issuer_names
from ..context import instance

#: Room for the multipart envelope around the file itself.
_ENVELOPE = 64 * 1024


def limits() -> Limits:
    return verification_limits(instance().settings.limits)


def registry() -> DatabaseRegistry:
    return verification_registry(db_session(), instance().store)


def cap_request() -> None:
    """Refuse bodies larger than the verification limit before werkzeug parses them (413)."""
    cap = limits().max_bytes + _ENVELOPE
    app_cap = current_app.config.get("MAX_CONTENT_LENGTH")
    request.max_content_length = min(cap, app_cap) if app_cap else cap


def cap_verify_posts() -> None:
    """An app-wide ``before_request`` hook, run before anything reads the body (the NUL-byte
    check parses forms): a POST to the verifier gets the verification limit, so an oversized
    upload is refused (413) before werkzeug parses it."""
    if request.blueprint == "verify" and request.method == "POST":
        cap_request()


def verify_upload(data: bytes) -> VerificationReport:
    """Verify uploaded bytes (``PkiMissing`` propagates: 503)."""
    trust = instance().trust(db_session())
    try:
        return instance().verification_cache.verify(data, trust=trust, registry=registry(), limits=limits())
    finally:
        db.session.rollback()  # verification only reads


def county_trust_names() -> tuple[str, frozenset[str]]:
    """The county's name and the issuer names of its CAs, from the instance PKI (the trust line
    of each signature says "issued by the <county> root certificate" or not)."""
    pki = instance().pki
    certificates = (pki.root_certificate, pki.issuing_certificate)
    return pki.county_name, county_issuer_names(c.public_bytes(Encoding.DER) for c in certificates)
