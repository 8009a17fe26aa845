"""Files of the PKI on disk: atomic 0600 writes and private keys encrypted under the instance secret.

A CA key file is PKCS#8 encrypted with a password derived (HKDF-SHA256) from the instance secret and
the key's name, so one leaked file without the secret is useless and two keys never share a password.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from responsibility.atomic_files import write_atomic as shared_write_atomic
from responsibility.pki.errors import PkiError

__all__ = ["load_encrypted_key", "write_atomic", "write_encrypted_key"]

_HKDF_SALT = b"responsibility/pki/at-rest/v1"


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` so that ``path`` holds either the old or the complete new content, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    shared_write_atomic(path, data, mode=mode)


def _key_password(secret: bytes, name: str) -> bytes:
    if not secret:
        raise PkiError("the instance secret is empty; the PKI keys cannot be protected")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=name.encode("utf-8"))
    return hkdf.derive(secret).hex().encode("ascii")


def write_encrypted_key(path: Path, key: PrivateKeyTypes, *, secret: bytes, name: str) -> None:
    """Store ``key`` as encrypted PKCS#8 PEM, readable only by the owner."""
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_key_password(secret, name)),
    )
    write_atomic(path, pem)


def load_encrypted_key(path: Path, *, secret: bytes, name: str) -> PrivateKeyTypes:
    """Open a key written by :func:`write_encrypted_key`; a wrong secret is a :class:`PkiError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PkiError(f"cannot read PKI key {path.name}: {exc.strerror}") from exc
    try:
        return serialization.load_pem_private_key(data, password=_key_password(secret, name))
    except (ValueError, TypeError) as exc:
        raise PkiError(f"PKI key {path.name} cannot be opened with this instance secret") from exc
