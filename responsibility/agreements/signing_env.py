"""Everything one signing request (or one batch) shares: the PKI, the timestamper, the stamp font,
the PDF store, our trust roots and the current CRLs in one validation context.

Built once per request by the instance context (``agreements.instance``; no Flask here) so that pyHanko's
path-validation cache and the opened keys are reused across the signatures of that request, as
PERFORMANCE.md's tuned path wants. CRLs come from the CA's register at build time: a revocation
committed before the request shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from pyhanko.sign.timestamps import TimeStamper
from pyhanko_certvalidator import ValidationContext
from sqlalchemy.orm import Session

from ..pki.ca import Pki
from ..pki.registry import current_crls
from ..signing import StampFont, build_validation_context, load_stamp_font
from ..verify.acceptance import DEFAULT_MAX_BYTES
from .storage import PdfStore

__all__ = ["DEFAULT_STAMP_FONT", "SigningEnvironment", "font_for"]

DEFAULT_STAMP_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
_FALLBACK_STAMP_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)


@dataclass
class SigningEnvironment:
    """The shared, per-request signing material. ``context`` is built lazily and reused."""

    pki: Pki
    store: PdfStore
    timestamper: TimeStamper
    font: StampFont
    crls: list[bytes]
    max_bytes: int = DEFAULT_MAX_BYTES
    witness: str | None = None
    """The audit log's latest checkpoint when the environment was built (``audit.witness``):
    every signature and timestamp made with it carries this string in the signed revision."""
    grace_days: int = 0
    """Days after the campaign's term on which signing is still allowed (``SIGNING_GRACE_DAYS``)."""
    zone: str | None = None
    """The county's zone (``BABEL_DEFAULT_TIMEZONE``): the issue day of the signing window."""
    _context: ValidationContext | None = field(default=None, repr=False)

    @property
    def trust_roots(self) -> list[x509.Certificate]:
        return [self.pki.root_certificate]

    @property
    def context(self) -> ValidationContext:
        if self._context is None:
            self._context = build_validation_context(self.trust_roots, self.crls)
        return self._context

    def refresh_crls(self, session: Session) -> None:
        """Re-read the CRLs (a long batch after a revocation) and drop the cached context."""
        self.crls = current_crls(session, self.pki)
        self._context = None


def font_for(configured: Path | None, cache_dir: Path) -> StampFont:
    """The signature-appearance font: ``configured`` (setting ``STAMP_FONT``, a TrueType
    .ttf/.ttc), else Droid Sans Fallback, else WenQuanYi Micro Hei or AR PL UMing (faces of
    collections are extracted once into ``cache_dir``, ``instance/fonts``)."""
    candidates = [configured] if configured else [DEFAULT_STAMP_FONT, *_FALLBACK_STAMP_FONTS]
    path = next((p for p in candidates if p.is_file()), candidates[0])
    return load_stamp_font(path, cache_dir=cache_dir)
