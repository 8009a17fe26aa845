"""The key-object signer: the key opened once is the one used for every signature."""

from __future__ import annotations

import asyncio

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from fixtures.pki import Kit

from responsibility.pki import generate_key
from responsibility.signing import KeySigner


def test_signer_signs_with_the_held_ecdsa_key(kit: Kit) -> None:
    signer = kit.principal.signer(kit.pki)
    signature = asyncio.run(signer.async_sign_raw(b"data", "sha256"))
    kit.principal.certificate.public_key().verify(signature, b"data", ec.ECDSA(hashes.SHA256()))  # type: ignore[call-arg]


def test_signer_signs_with_the_held_rsa_key(kit: Kit) -> None:
    signer = kit.chief.signer(kit.pki)
    signature = asyncio.run(signer.async_sign_raw(b"data", "sha256"))
    kit.chief.certificate.public_key().verify(signature, b"data", padding.PKCS1v15(), hashes.SHA256())  # type: ignore[call-arg]


def test_signer_embeds_the_chain(kit: Kit) -> None:
    signer = kit.principal.signer(kit.pki)
    subjects = {cert.subject.human_friendly for cert in signer.cert_registry}
    assert any("签名证书CA" in subject for subject in subjects)


def test_key_must_match_certificate(kit: Kit) -> None:
    with pytest.raises(ValueError, match="does not belong"):
        KeySigner(kit.principal.certificate, generate_key(), kit.pki.person_chain)
