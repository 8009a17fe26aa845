"""Key custody: a person's private key sealed under a key derived from their signing PIN.

The sealed blob is self-describing and versioned::

    b"RSPK" | version (1) | kdf id (1) | kdf params (12) | salt (16) | nonce (12) | AES-256-GCM(PKCS#8 DER)

with the header as associated data, so changing a parameter breaks decryption. The PIN is never
stored; a wrong PIN shows up as a failed GCM tag and raises :class:`WrongPin`. Counting failures and
locking signing is the database layer's job.

RSA keys are validated (the expensive consistency check) once, when sealed at enrolment; opening
them later skips that check, which PERFORMANCE.md measured at 34 ms per load.
"""

from __future__ import annotations

import os
import struct
from typing import Literal

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from responsibility.errors import BadInput
from responsibility.pki.errors import WeakPin, WrongPin

__all__ = [
    "KdfName",
    "KeyKind",
    "SigningKey",
    "check_pin_policy",
    "generate_key",
    "open_private_key",
    "seal_private_key",
]

KeyKind = Literal["ecdsa-p256", "rsa-2048"]
KdfName = Literal["scrypt", "argon2id"]
SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

_MAGIC = b"RSPK"
_VERSION = 1
_KDF_IDS: dict[str, int] = {"scrypt": 1, "argon2id": 2}
# scrypt: log2(n), r, p ; argon2id: time cost, memory KiB, parallelism.
_KDF_DEFAULTS: dict[str, tuple[int, int, int]] = {"scrypt": (15, 8, 1), "argon2id": (3, 65536, 1)}
# Accepted parameter ranges when opening: a crafted header must not make the KDF run for hours.
_KDF_BOUNDS: dict[str, tuple[tuple[int, int], ...]] = {
    "scrypt": ((14, 20), (1, 16), (1, 4)),
    "argon2id": ((1, 10), (8192, 1 << 20), (1, 8)),
}
_HEADER = struct.Struct(">4sBBIII16s12s")


def generate_key(kind: KeyKind = "ecdsa-p256") -> SigningKey:
    """A fresh signing key pair; ECDSA P-256 by default (fast to load and to sign)."""
    if kind == "ecdsa-p256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "rsa-2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise BadInput(f"unknown key kind {kind!r}; expected ecdsa-p256 or rsa-2048")


def check_pin_policy(pin: str, min_digits: int = 6) -> None:
    """Raise :class:`WeakPin` unless ``pin`` is at least ``min_digits`` ASCII digits, not all alike
    and not a plain ascending or descending run."""
    if not pin.isascii() or not pin.isdigit():
        raise WeakPin("the signing PIN must consist of digits only")
    if len(pin) < min_digits:
        raise WeakPin(f"the signing PIN must have at least {min_digits} digits")
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({0}, {1}, {9}):
        raise WeakPin("the signing PIN must not be a repeated digit or a simple sequence")


def _derive(kdf: str, params: tuple[int, int, int], pin: str, salt: bytes) -> bytes:
    secret = pin.encode("utf-8")
    if kdf == "scrypt":
        log_n, r, p = params
        return Scrypt(salt=salt, length=32, n=1 << log_n, r=r, p=p).derive(secret)
    time_cost, memory_kib, parallelism = params
    return hash_secret_raw(secret, salt, time_cost, memory_kib, parallelism, 32, Type.ID)


def _validate(key: SigningKey) -> None:
    """Full consistency check of the key: reload with validation and sign/verify once."""
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    reloaded = serialization.load_der_private_key(der, password=None)
    probe = b"responsibility key check"
    if isinstance(reloaded, rsa.RSAPrivateKey) and isinstance(key, rsa.RSAPrivateKey):
        sig = reloaded.sign(probe, padding.PKCS1v15(), hashes.SHA256())
        key.public_key().verify(sig, probe, padding.PKCS1v15(), hashes.SHA256())
    elif isinstance(reloaded, ec.EllipticCurvePrivateKey) and isinstance(key, ec.EllipticCurvePrivateKey):
        sig = reloaded.sign(probe, ec.ECDSA(hashes.SHA256()))
        key.public_key().verify(sig, probe, ec.ECDSA(hashes.SHA256()))
    else:
        raise BadInput("only RSA and ECDSA signing keys are supported")


def seal_private_key(key: SigningKey, pin: str, *, kdf: KdfName = "scrypt") -> bytes:
    """Encrypt ``key`` under a key derived from ``pin`` with a fresh salt; validate the key first."""
    if kdf not in _KDF_IDS:
        raise BadInput(f"unknown key derivation {kdf!r}; expected scrypt or argon2id")
    _validate(key)
    params = _KDF_DEFAULTS[kdf]
    salt, nonce = os.urandom(16), os.urandom(12)
    header = _HEADER.pack(_MAGIC, _VERSION, _KDF_IDS[kdf], *params, salt, nonce)
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return header + AESGCM(_derive(kdf, params, pin, salt)).encrypt(nonce, der, header)


def open_private_key(blob: bytes, pin: str) -> SigningKey:
    """Decrypt a blob made by :func:`seal_private_key`. Wrong PIN: :class:`WrongPin`; damaged blob:
    :class:`BadInput`. Hold the returned object for the whole request instead of reopening it."""
    if len(blob) <= _HEADER.size:
        raise BadInput("the sealed key is damaged")
    magic, version, kdf_id, a, b, c, salt, nonce = _HEADER.unpack_from(blob)
    kdf = next((name for name, ident in _KDF_IDS.items() if ident == kdf_id), None)
    if magic != _MAGIC or version != _VERSION or kdf is None:
        raise BadInput("the sealed key has an unknown format")
    params = (a, b, c)
    if not all(low <= value <= high for value, (low, high) in zip(params, _KDF_BOUNDS[kdf], strict=True)):
        raise BadInput("the sealed key has unsupported key-derivation parameters")
    header = blob[: _HEADER.size]
    try:
        der = AESGCM(_derive(kdf, params, pin, salt)).decrypt(nonce, blob[_HEADER.size :], header)
    except InvalidTag:
        raise WrongPin("wrong signing PIN") from None
    # Validated once at enrolment (seal_private_key); skipping the RSA check here saves ~34 ms a load.
    key = serialization.load_der_private_key(der, password=None, unsafe_skip_rsa_key_validation=True)
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise BadInput("the sealed key is not an RSA or ECDSA key")
    return key
