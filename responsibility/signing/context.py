"""The one validation context of a signing request: our trust roots and our CRLs, nothing fetched.

Build it once per request (or batch) and pass it to every signing call: pyHanko caches path
validation results on it. Revocation information is required (``revocation_mode='require'``) and
must come from the CRLs given here — certificates' URLs are never fetched.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cryptography import x509
from pyhanko_certvalidator import ValidationContext

from responsibility.signing.keys import to_asn1

__all__ = ["build_validation_context"]


def build_validation_context(
    trust_roots: Iterable[x509.Certificate],
    crls: Iterable[bytes],
    *,
    other_certs: Iterable[x509.Certificate] = (),
    moment: datetime | None = None,
    retroactive_revinfo: bool = False,
) -> ValidationContext:
    """A context trusting exactly ``trust_roots``, with ``crls`` (DER) as the only revocation source.

    ``moment`` validates at a past time (an earlier signature at its timestamp); with
    ``retroactive_revinfo`` CRLs issued after that moment count too.
    """
    return ValidationContext(
        trust_roots=[to_asn1(cert) for cert in trust_roots],
        other_certs=[to_asn1(cert) for cert in other_certs],
        crls=list(crls),
        allow_fetching=False,
        revocation_mode="require",
        moment=moment,
        retroactive_revinfo=retroactive_revinfo,
    )
