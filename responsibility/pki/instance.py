"""The instance's PKI: where it lives, the secret protecting its keys, one loaded copy per process.

The CA and TSA keys in ``instance/pki/`` are encrypted under the **PKI secret**, which is

* the setting ``PKI_SECRET`` when it is set (e.g. ``RESPONSIBILITY_PKI_SECRET`` from a secret
  store): then nothing on disk opens the keys, and a stolen backup of ``instance/`` is useless;
* otherwise the random file ``instance/pki/secret`` (32 bytes, mode 0600) written by ``init``.

It is deliberately *not* derived from ``SECRET_KEY``: rotating the session key (the usual answer
to a leaked cookie secret) must not lock the county out of its own CA, and before ``flask init``
the app runs with a throw-away ``SECRET_KEY`` that would seal the CA keys for good.

Settings come in as a mapping (the Flask config in practice); nothing here imports Flask.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pyhanko.sign.timestamps import TimeStamper
from sqlalchemy import select
from sqlalchemy.orm import Session

from responsibility.models import Bureau, County
from responsibility.pki.ca import MANIFEST, Pki, init_pki, load_pki
from responsibility.pki.errors import PkiError
from responsibility.pki.storage import write_atomic
from responsibility.pki.tsa import ExternalTimeStamper, LocalTimeStamper

__all__ = [
    "DEFAULT_BUREAU_NAME",
    "DEFAULT_COUNTY_NAME",
    "PkiMissing",
    "clear_pki_cache",
    "ensure_instance_pki",
    "instance_pki_dir",
    "instance_pki_exists",
    "load_instance_pki",
    "make_timestamper",
    "open_instance_pki",
    "pki_names",
    "pki_secret",
    "timestamper_for",
]

PKI_DIRNAME = "pki"
SECRET_FILE = "secret"  # noqa: S105 - a file name, not a secret
DEFAULT_COUNTY_NAME = "本县"
DEFAULT_BUREAU_NAME = "本县教育局"
DEFAULT_TSA_TIMEOUT = 10.0

_lock = threading.Lock()
_loaded: dict[tuple[str, str], Pki] = {}
_local_stampers: dict[int, LocalTimeStamper] = {}


class PkiMissing(PkiError):
    """The instance has no PKI (or no usable bureau seal) yet: ``flask pki init`` (or ``flask
    init``) makes it. Reads never create keys; they raise this instead."""

    http_status = 503
    code = "pki.not_initialised"


PKI_MISSING_MESSAGE = "PKI not initialised: run flask pki init"


def instance_pki_dir(instance_path: str | Path) -> Path:
    return Path(instance_path) / PKI_DIRNAME


def instance_pki_exists(instance_path: str | Path) -> bool:
    return (instance_pki_dir(instance_path) / MANIFEST).is_file()


def pki_secret(directory: Path, configured: str | bytes | None, *, create: bool = False) -> bytes:
    """The secret that protects the PKI keys at rest: the setting ``PKI_SECRET`` (``configured``),
    else the instance file (made when ``create``)."""
    if configured:
        # bytes as given; anything else (a str, or a number the env parser decoded) as its text.
        return configured if isinstance(configured, bytes) else str(configured).encode("utf-8")
    path = directory / SECRET_FILE
    if path.is_file():
        secret = path.read_bytes()
        if secret:
            return secret
    if not create:
        raise PkiError(f"the PKI secret {path} is missing or empty and PKI_SECRET is not set")
    secret = os.urandom(32)
    write_atomic(path, secret, mode=0o600)
    return secret


def _cache_key(directory: Path, secret: bytes) -> tuple[str, str]:
    return str(directory.resolve()), hashlib.sha256(secret).hexdigest()


def open_instance_pki(directory: Path, configured_secret: str | bytes | None) -> Pki:
    """The PKI in ``directory`` with its keys opened, loaded once per process and then shared.

    Never creates anything: raises :class:`PkiMissing` when ``init`` has not run, :class:`PkiError`
    when the files are damaged or the secret does not open them.
    """
    if not (directory / MANIFEST).is_file():
        raise PkiMissing(PKI_MISSING_MESSAGE)
    secret = pki_secret(directory, configured_secret, create=False)
    key = _cache_key(directory, secret)
    with _lock:
        pki = _loaded.get(key)
        if pki is None:
            pki = load_pki(directory, secret=secret)
            _loaded[key] = pki
    return pki


def load_instance_pki(instance_path: str | Path, config: Mapping[str, Any]) -> Pki:
    """:func:`open_instance_pki` for the instance folder and a configuration mapping (tests and
    tools; the app reaches it through its instance context)."""
    return open_instance_pki(instance_pki_dir(instance_path), config.get("PKI_SECRET"))


def ensure_instance_pki(
    instance_path: str | Path, config: Mapping[str, Any], *, county_name: str, bureau_name: str
) -> tuple[Pki, bool]:
    """Create the instance's PKI unless it exists (idempotent); ``(pki, created)``.

    The CRL URLs in the certificates point at ``PUBLIC_BASE_URL``; an existing PKI keeps the names
    and URL it was made with.
    """
    directory = instance_pki_dir(instance_path)
    created = not (directory / MANIFEST).is_file()
    if created:
        base_url = str(config.get("PUBLIC_BASE_URL") or "").strip()
        if not base_url:
            raise PkiError("PUBLIC_BASE_URL is not set; certificates need the address of the CRLs")
        secret = pki_secret(directory, config.get("PKI_SECRET"), create=True)
        with _lock:
            init_pki(directory, secret=secret, county_name=county_name, bureau_name=bureau_name, base_url=base_url)
    return load_instance_pki(instance_path, config), created


def clear_pki_cache() -> None:
    """Forget loaded PKIs (tests that rewrite a PKI directory in place)."""
    with _lock:
        _loaded.clear()
        _local_stampers.clear()


def pki_names(session: Session, config: Mapping[str, Any]) -> tuple[str, str]:
    """County and bureau names for a new PKI: settings ``PKI_COUNTY_NAME`` / ``PKI_BUREAU_NAME``,
    else the imported county and its bureau, else neutral defaults."""
    county = config.get("PKI_COUNTY_NAME") or session.scalar(select(County.name).order_by(County.id).limit(1))
    bureau = config.get("PKI_BUREAU_NAME") or session.scalar(select(Bureau.name).order_by(Bureau.id).limit(1))
    return str(county or DEFAULT_COUNTY_NAME), str(bureau or DEFAULT_BUREAU_NAME)


def timestamper_for(config: Mapping[str, Any], pki: Pki) -> TimeStamper:
    """:func:`make_timestamper` with ``TSA_URL`` / ``TSA_TIMEOUT`` from a configuration mapping."""
    url = str(config.get("TSA_URL") or "").strip() or None
    return make_timestamper(pki, url=url, timeout=float(config.get("TSA_TIMEOUT") or DEFAULT_TSA_TIMEOUT))


def make_timestamper(pki: Pki, *, url: str | None, timeout: float = DEFAULT_TSA_TIMEOUT) -> TimeStamper:
    """The timestamper signing must use: the external TSA at ``url`` when set (``timeout``
    seconds), else the app's own TSA in-process. Both fail closed
    (:class:`~responsibility.pki.errors.TimestampUnavailable`); neither falls back to the other.
    The local one is shared per PKI, so pyHanko's cached TSA path survives between requests."""
    if url:
        return ExternalTimeStamper(url, timeout=timeout, https=url.startswith("https://"))
    with _lock:
        stamper = _local_stampers.get(id(pki))
        if stamper is None or stamper.pki is not pki:
            stamper = LocalTimeStamper(pki)
            _local_stampers[id(pki)] = stamper
    return stamper
