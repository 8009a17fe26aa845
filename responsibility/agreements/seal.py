"""The bureau seal (单位印章): the organisation's own key and certificate for certifying agreements.

The seal is not a person: its certificate (issued by the county's issuing CA) names the bureau as
O and ``<bureau> 单位印章`` as CN, with the serialNumber :data:`SEAL_SERIAL`. Its ECDSA key lives
beside the CA keys in ``instance/pki/`` as ``seal.key.pem``, encrypted under the same PKI secret
(``pki.storage.write_encrypted_key``), so the server can certify a whole campaign at issue without
anybody typing a PIN — exactly like a physical seal kept in the office. (A PKCS#11 token is the
stronger home for it; not built here.)

The certificate is entered in the CA's register (``IssuedCertificate``, no person) so it can be
revoked and appears on the CRL like any other. :func:`ensure_seal` (``flask pki init`` and
``flask init`` alone) makes the key and certificate when missing, renews them when expired or
revoked, and registers a certificate the database does not know yet (a restored database, a
copied PKI). Every other path opens it with :func:`load_seal`, which never creates a key. The
opened seal is cached per process.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import append_event
from ..clock import as_utc
from ..models import IssuedCertificate
from ..pki.ca import Pki, issue_person_certificate
from ..pki.custody import generate_key
from ..pki.errors import PkiError
from ..pki.instance import PKI_MISSING_MESSAGE, PkiMissing, pki_secret  # the seal shares the PKI secret
from ..pki.registry import fingerprint, record_certificate
from ..pki.storage import load_encrypted_key, write_atomic, write_encrypted_key
from ..signing import KeySigner

__all__ = ["SEAL_POST", "SEAL_SERIAL", "BureauSeal", "ensure_seal", "load_seal", "seal_certificate_path"]

SEAL_SERIAL = "BUREAU-SEAL"
SEAL_POST = "单位印章"
SEAL_DAYS = 3 * 365
_KEY_FILE, _CERT_FILE, _KEY_NAME = "seal.key.pem", "seal.crt.pem", "bureau-seal"

_lock = threading.Lock()
_cache: dict[str, BureauSeal] = {}


@dataclass(frozen=True)
class BureauSeal:
    """The opened seal: what the certification signature is made with."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey = field(repr=False)
    chain: tuple[x509.Certificate, ...]
    bureau_name: str

    def signer(self) -> KeySigner:
        return KeySigner(self.certificate, self.key, self.chain)


def _load(directory: Path, secret: bytes) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    key_path, cert_path = directory / _KEY_FILE, directory / _CERT_FILE
    if not (key_path.is_file() and cert_path.is_file()):
        return None
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = load_encrypted_key(key_path, secret=secret, name=_KEY_NAME)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != certificate.public_key():
        raise PkiError("the bureau seal's key does not match its certificate")
    return certificate, key


def _usable(session: Session, certificate: x509.Certificate, moment: dt.datetime) -> bool:
    if not certificate.not_valid_before_utc <= moment < certificate.not_valid_after_utc - dt.timedelta(days=1):
        return False
    row = session.scalar(
        select(IssuedCertificate).where(IssuedCertificate.fingerprint_sha256 == fingerprint(certificate))
    )
    return row is None or row.revoked_at is None


def _create(session: Session, pki: Pki, directory: Path, secret: bytes, actor: str, moment: dt.datetime):  # type: ignore[no-untyped-def]
    key = generate_key("ecdsa-p256")
    certificate = issue_person_certificate(
        pki,
        key.public_key(),
        name=f"{pki.bureau_name} {SEAL_POST}",
        organisation=pki.bureau_name,
        serial_number=SEAL_SERIAL,
        days=SEAL_DAYS,
        now=moment,
    )
    write_encrypted_key(directory / _KEY_FILE, key, secret=secret, name=_KEY_NAME)
    write_atomic(directory / _CERT_FILE, certificate.public_bytes(serialization.Encoding.PEM), mode=0o644)
    append_event(
        session,
        actor=actor,
        action="pki.seal_created",
        subject="seal:bureau",
        data={"serial": format(certificate.serial_number, "x"), "fingerprint_sha256": fingerprint(certificate)},
    )
    return certificate, key


def _register(session: Session, certificate: x509.Certificate) -> None:
    known = session.scalar(
        select(IssuedCertificate.id).where(IssuedCertificate.fingerprint_sha256 == fingerprint(certificate))
    )
    if known is None:
        record_certificate(session, certificate, person=None, key_kind="ecdsa-p256")


def ensure_seal(
    session: Session,
    pki: Pki,
    config: Mapping[str, Any],
    *,
    actor: str = "system",
    now: dt.datetime | None = None,
) -> BureauSeal:
    """The bureau seal of ``pki``, created (or renewed when expired, near expiry or revoked) on
    first use and registered in the CA's register. Writes ``pki.seal_created`` when it makes one;
    the caller commits (the files are written at once: an uncommitted register row is made again
    on the next call)."""
    moment = as_utc(now) if now is not None else dt.datetime.now(dt.UTC)
    directory = Path(pki.directory)
    key = str(directory.resolve())
    with _lock:
        cached = _cache.get(key)
        if cached is not None and _usable(session, cached.certificate, moment):
            _register(session, cached.certificate)
            return cached
        secret = pki_secret(directory, config.get("PKI_SECRET"), create=False)
        loaded = _load(directory, secret)
        if loaded is None or not _usable(session, loaded[0], moment):
            loaded = _create(session, pki, directory, secret, actor, moment)
        _register(session, loaded[0])
        seal = BureauSeal(loaded[0], loaded[1], pki.person_chain, pki.bureau_name)
        _cache[key] = seal
        return seal


def load_seal(
    session: Session, pki: Pki, *, secret_setting: str | bytes | None, now: dt.datetime | None = None
) -> BureauSeal:
    """The bureau seal of ``pki`` for signing, opened once per process; never creates one.

    Raises :class:`~responsibility.pki.instance.PkiMissing` when there is no seal, or it expired
    or was revoked: ``flask pki init`` makes (or renews) it. Registers a certificate the database
    does not know yet (a restored database); the caller commits."""
    moment = as_utc(now) if now is not None else dt.datetime.now(dt.UTC)
    directory = Path(pki.directory)
    key = str(directory.resolve())
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            loaded = _load(directory, pki_secret(directory, secret_setting, create=False))
            if loaded is None:
                raise PkiMissing(f"{PKI_MISSING_MESSAGE} (no bureau seal)")
            cached = BureauSeal(loaded[0], loaded[1], pki.person_chain, pki.bureau_name)
        if not _usable(session, cached.certificate, moment):
            raise PkiMissing(f"{PKI_MISSING_MESSAGE} (the bureau seal has expired or was revoked)")
        _register(session, cached.certificate)
        _cache[key] = cached
        return cached


def _reset_cache() -> None:
    """Forget opened seals (tests that replace the PKI directory)."""
    with _lock:
        _cache.clear()


def seal_certificate_path(pki: Pki) -> Path:
    """Where the seal's certificate lives (PEM), for verifiers who want to see it."""
    return Path(pki.directory) / _CERT_FILE
