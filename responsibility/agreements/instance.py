"""The instance context: this instance's settings and its loaded PKI, seal, timestamper, stamp
font and PDF store, in one object handed to services.

``create_app`` builds one per app (``responsibility.instance``); a worker process builds one from
the settings its job carried. Everything is loaded lazily, on first use, and **never created**:
before ``flask pki init`` the PKI and the seal raise
:class:`~responsibility.pki.instance.PkiMissing`. The opened PKI and seal are shared per process
(``pki.instance`` and ``agreements.seal`` keep them), so one context per app and one per worker
process load each once however many requests or jobs use them.
"""

from __future__ import annotations

import datetime as dt
import threading
from functools import cached_property
from pathlib import Path

from cryptography import x509
from pyhanko.sign.timestamps import TimeStamper
from sqlalchemy.orm import Session

from ..audit.witness import latest_witness
from ..pki.ca import MANIFEST, Pki
from ..pki.instance import make_timestamper, open_instance_pki
from ..pki.registry import current_crls
from ..settings import Settings
from ..signing import StampFont
from ..verify.settings import TrustConfig
from .seal import BureauSeal, load_seal
from .signing_env import SigningEnvironment, font_for
from .storage import PdfStore
from .verification_cache import VerificationCache

__all__ = ["InstanceContext"]


class InstanceContext:
    """One instance's settings and the material loaded from its folder (see the module doc)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()

    @cached_property
    def store(self) -> PdfStore:
        """The content-addressed PDF store."""
        return PdfStore(self.settings.storage.agreements_dir)

    @cached_property
    def verification_cache(self) -> VerificationCache:
        """Reports of registered files per trust state (``instance/verify_cache``)."""
        return VerificationCache(self.settings.storage.instance_dir / "verify_cache")

    @property
    def template_root(self) -> Path:
        return self.settings.template_root

    def has_pki(self) -> bool:
        """True once ``flask pki init`` has made the instance's PKI."""
        return (self.settings.storage.pki_dir / MANIFEST).is_file()

    @property
    def pki(self) -> Pki:
        """The instance PKI with its keys opened (``PkiMissing`` before ``flask pki init``)."""
        return open_instance_pki(self.settings.storage.pki_dir, self.settings.trust.pki_secret)

    @property
    def timestamper(self) -> TimeStamper:
        """The configured TSA (``TSA_URL``) or the app's own, shared per PKI."""
        trust = self.settings.trust
        return make_timestamper(self.pki, url=trust.tsa_url, timeout=trust.tsa_timeout)

    @cached_property
    def font(self) -> StampFont:
        """The signature-appearance font (``STAMP_FONT`` or the first CJK font installed)."""
        with self._lock:
            return font_for(self.settings.trust.stamp_font, self.settings.storage.fonts_dir)

    def seal(self, session: Session, *, now: dt.datetime | None = None) -> BureauSeal:
        """The bureau seal, opened (never made: ``PkiMissing`` when missing, expired or revoked)."""
        return load_seal(session, self.pki, secret_setting=self.settings.trust.pki_secret, now=now)

    def trust(self, session: Session) -> TrustConfig:
        """What verification trusts: the county root (then ``VERIFY_EXTRA_ROOTS``) and the
        current CRLs of our CAs; ``PkiMissing`` before ``flask pki init``."""
        pki = self.pki
        extra = [_load_certificate(Path(p)) for p in self.settings.trust.verify_extra_roots]
        return TrustConfig.build([pki.root_certificate, *extra], current_crls(session, pki))

    def signing_environment(
        self, session: Session, *, timestamper: TimeStamper | None = None, now: dt.datetime | None = None
    ) -> SigningEnvironment:
        """The material one signing request (or one batch) shares; ``timestamper`` overrides the
        configured one (tests)."""
        pki = self.pki
        return SigningEnvironment(
            pki=pki,
            store=self.store,
            timestamper=timestamper or self.timestamper,
            font=self.font,
            crls=current_crls(session, pki, now=now),
            max_bytes=self.settings.limits.signed_upload_max_bytes,
            witness=_witness_text(session),
            grace_days=self.settings.limits.signing_grace_days,
            zone=self.settings.zone,
        )


def _witness_text(session: Session) -> str | None:
    witness = latest_witness(session)
    return witness.text() if witness is not None else None


def _load_certificate(path: Path) -> x509.Certificate:
    data = path.read_bytes()
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)
