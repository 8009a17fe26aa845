"""Checking the bureau seal's CMS signature over a checkpoint payload, with its timestamp.

Its own module because both the sealed checkpoints (``evidence.checkpoints``) and the witness
files in the instance (``evidence.witness_files``) check the same signature, and the first one
writes the second: one place for the check keeps the two free of an import cycle.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from asn1crypto import cms
from cryptography import x509
from cryptography.x509.oid import NameOID
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from ..agreements.seal import SEAL_SERIAL
from ..verify.settings import TrustConfig

__all__ = ["verify_checkpoint_signature"]


def _context(trust: TrustConfig, moment: dt.datetime | None) -> ValidationContext:
    from asn1crypto import x509 as asn1_x509

    return ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der) for der in trust.roots],
        crls=list(trust.crls),
        allow_fetching=False,
        revocation_mode="require" if trust.revocation_required else "soft-fail",
        moment=moment,
        retroactive_revinfo=moment is not None,
    )


def verify_checkpoint_signature(
    payload: bytes, cms_der: bytes, trust: TrustConfig
) -> tuple[str | None, dt.datetime | None]:
    """``(problem, timestamp)``: ``problem`` is None when the CMS over ``payload`` is intact, made
    by a bureau seal certificate that chains to ``trust`` (valid and unrevoked at the timestamp),
    and carries a trusted timestamp token over it."""
    try:
        info = cms.ContentInfo.load(cms_der)
        signed_data = info["content"]
        if info["content_type"].native != "signed_data" or not isinstance(signed_data, cms.SignedData):
            return "not a CMS SignedData", None
        first = asyncio.run(
            async_validate_detached_cms(
                payload,
                signed_data,
                signer_validation_context=_context(trust, None),
                ts_validation_context=_context(trust, None),
            )
        )
    except Exception as exc:  # any malformed structure is a failed check, never a crash
        return f"unreadable signature ({type(exc).__name__})", None
    if not first.intact or not first.valid:
        return "signature does not match the checkpoint", None
    ts = first.timestamp_validity
    if ts is None:
        return "no timestamp token", None
    if not (ts.intact and ts.valid and ts.trusted):
        return "timestamp token does not verify", None
    moment = ts.timestamp
    # Judge the seal at the timestamp: a seal renewed or revoked later does not void old checkpoints.
    try:
        status = asyncio.run(
            async_validate_detached_cms(
                payload,
                signed_data,
                signer_validation_context=_context(trust, moment),
                ts_validation_context=_context(trust, None),
            )
        )
    except Exception as exc:
        return f"unreadable signature ({type(exc).__name__})", moment
    if not status.trusted:
        return "signer certificate is not trusted at the timestamp", moment
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    serials = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)]
    if SEAL_SERIAL not in serials:
        return "not signed by the bureau seal", moment
    return None, moment
