"""The CJK TrueType font that agreements embed, found on the system and registered once.

Why AR PL UMing (Debian ``fonts-arphic-uming``, Arphic Public License): official Chinese documents
are set in a Song/Ming face (宋体 family), and UMing is the only Song face Debian ships with
TrueType (glyf) outlines, which reportlab can embed as a subset. Its collection holds CN, HK and
TW faces; index 0 is ``AR PL UMing CN`` with the simplified glyph forms. The sans faces (WenQuanYi,
Droid Sans Fallback) embed as well but read as screen text, not as a bureau's document.

Registration parses the whole collection (tens of milliseconds), so it happens once per process
behind a lock; later calls return the registered name.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from responsibility.pdf.errors import FontMissing

__all__ = ["DEFAULT_FONT", "FontSpec", "ensure_font_registered"]


@dataclass(frozen=True)
class FontSpec:
    """Where a TrueType font lives and the name reportlab knows it by."""

    name: str
    """The reportlab font name used in paragraph styles."""
    path: Path
    """The .ttf or .ttc file."""
    subfont_index: int = 0
    """The face inside a .ttc collection."""
    package: str = ""
    """The Debian package that installs ``path`` (named in the error when it is missing)."""


DEFAULT_FONT = FontSpec(
    name="ARPLUMingCN",
    path=Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    subfont_index=0,
    package="fonts-arphic-uming",
)

_lock = threading.Lock()
_registered: dict[str, FontSpec] = {}


def ensure_font_registered(spec: FontSpec | None = None) -> str:
    """Register ``spec`` (default: AR PL UMing CN) with reportlab unless this process already did.

    Returns the font name for styles. Raises ``FontMissing`` naming the package to install when
    the file is absent, and ``FontMissing`` too when the name is already taken by another file.
    """
    spec = spec or DEFAULT_FONT
    with _lock:
        known = _registered.get(spec.name)
        if known is not None:
            if known != spec:
                raise FontMissing(f"font name {spec.name!r} is already registered for {known.path}")
            return spec.name
        if not spec.path.is_file():
            hint = f"install the Debian package {spec.package}" if spec.package else "install it"
            raise FontMissing(f"CJK font {spec.path} not found: {hint} (scripts/install-system-deps.sh runtime)")
        try:
            font = TTFont(spec.name, str(spec.path), subfontIndex=spec.subfont_index)
        except Exception as exc:  # reportlab raises TTFError and plain errors for odd files
            raise FontMissing(f"cannot embed font {spec.path}: {exc}") from exc
        pdfmetrics.registerFont(font)
        _registered[spec.name] = spec
        return spec.name
