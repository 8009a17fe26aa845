"""Key custody: keys sealed under a PIN-derived key, opened only with the right PIN."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from responsibility.errors import BadInput, DomainError
from responsibility.pki import WeakPin, WrongPin, check_pin_policy, generate_key, open_private_key, seal_private_key

PIN = "482915"


def _signs_for(opened: object, original: object) -> None:
    data = b"agreement digest"
    if isinstance(opened, rsa.RSAPrivateKey):
        sig = opened.sign(data, padding.PKCS1v15(), hashes.SHA256())
        original.public_key().verify(sig, data, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[attr-defined]
    else:
        assert isinstance(opened, ec.EllipticCurvePrivateKey)
        sig = opened.sign(data, ec.ECDSA(hashes.SHA256()))
        original.public_key().verify(sig, data, ec.ECDSA(hashes.SHA256()))  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["ecdsa-p256", "rsa-2048"])
@pytest.mark.parametrize("kdf", ["scrypt", "argon2id"])
def test_sealed_key_opens_with_the_pin(kind: str, kdf: str) -> None:
    key = generate_key(kind)  # type: ignore[arg-type]
    blob = seal_private_key(key, PIN, kdf=kdf)  # type: ignore[arg-type]
    opened = open_private_key(blob, PIN)
    assert opened.public_key() == key.public_key()
    _signs_for(opened, key)


def test_default_key_is_ecdsa_p256() -> None:
    key = generate_key()
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"


def test_wrong_pin_fails_as_a_domain_error() -> None:
    blob = seal_private_key(generate_key(), PIN)
    with pytest.raises(WrongPin) as err:
        open_private_key(blob, "482916")
    assert isinstance(err.value, DomainError)
    assert err.value.http_status == 403


def test_blob_is_salted_and_holds_neither_pin_nor_plain_key() -> None:
    key = generate_key()
    first, second = seal_private_key(key, PIN), seal_private_key(key, PIN)
    assert first != second
    plain = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    for blob in (first, second):
        assert PIN.encode() not in blob
        assert plain not in blob and plain[-32:] not in blob


def test_tampered_blob_does_not_open() -> None:
    blob = bytearray(seal_private_key(generate_key(), PIN))
    blob[-1] ^= 1
    with pytest.raises(WrongPin):
        open_private_key(bytes(blob), PIN)
    header_changed = bytearray(seal_private_key(generate_key(), PIN))
    header_changed[8] ^= 1  # a KDF parameter, bound to the ciphertext as associated data
    with pytest.raises(DomainError):
        open_private_key(bytes(header_changed), PIN)


@pytest.mark.parametrize("blob", [b"", b"RSPK", b"XXXX" + bytes(60)])
def test_damaged_blob_is_bad_input(blob: bytes) -> None:
    with pytest.raises(BadInput):
        open_private_key(blob, PIN)


def test_unknown_kdf_and_kind_are_refused() -> None:
    with pytest.raises(BadInput):
        seal_private_key(generate_key(), PIN, kdf="md5")  # type: ignore[arg-type]
    with pytest.raises(BadInput):
        generate_key("dsa")  # type: ignore[arg-type]


@pytest.mark.parametrize("pin", ["482915", "90817263", "135792"])
def test_pin_policy_accepts(pin: str) -> None:
    check_pin_policy(pin)


@pytest.mark.parametrize("pin", ["48291", "123456", "987654", "777777", "48a915", "４８２９１５", ""])
def test_pin_policy_refuses(pin: str) -> None:
    with pytest.raises(WeakPin):
        check_pin_policy(pin)


def test_pin_policy_length_is_configurable() -> None:
    check_pin_policy("4829", min_digits=4)
    with pytest.raises(WeakPin, match="8"):
        check_pin_policy("482915", min_digits=8)
