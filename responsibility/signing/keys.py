"""A pyHanko signer over a live private-key object.

pyHanko's stock ``SimpleSigner`` keeps the key as PKCS#8 and parses it again for every signature;
for RSA that parse validates the key (34 ms, two or three times per signature, PERFORMANCE.md).
:class:`KeySigner` holds the already opened key object for the duration of one request.
"""

from __future__ import annotations

from collections.abc import Iterable

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import ExternalSigner, Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

__all__ = ["KeySigner", "certificate_signer", "to_asn1"]


def to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    """The same certificate as asn1crypto (pyHanko's currency)."""
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class KeySigner(Signer):
    """Signs with ``key`` as ``certificate``; ``chain`` (issuing CA, root) is embedded in the CMS."""

    def __init__(
        self,
        certificate: x509.Certificate,
        key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
        chain: Iterable[x509.Certificate] = (),
    ) -> None:
        if certificate.public_key() != key.public_key():
            raise ValueError("the private key does not belong to the certificate")
        # pyhanko-certvalidator leaves from_certs unannotated
        registry = SimpleCertificateStore.from_certs([to_asn1(cert) for cert in chain])  # type: ignore[no-untyped-call]
        super().__init__(signing_cert=to_asn1(certificate), cert_registry=registry, embed_roots=True)
        self._key = key

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(hash_algo))
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), hash_algo)
        raise SigningError(f"signature mechanism {mechanism} is not supported by this signer")


def certificate_signer(certificate: x509.Certificate, chain: Iterable[x509.Certificate] = ()) -> Signer:
    """A signer that knows ``certificate`` and its chain but holds no key: what preparing a
    signature ahead needs (``pades.prepare_signature``) and finishing it takes again with the
    signature value (``pades.finish_signature``). It cannot sign anything itself."""
    registry = SimpleCertificateStore.from_certs([to_asn1(cert) for cert in chain])  # type: ignore[no-untyped-call]
    return ExternalSigner(to_asn1(certificate), registry, signature_value=None, embed_roots=True)
