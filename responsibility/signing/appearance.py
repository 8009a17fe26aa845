"""Visible signature appearances in an embedded CJK font: name, post(s), organisation, date; the
bureau seal adds a red round seal.

pyHanko's default stamp font is Courier (not embedded: Chinese turns to garbage) and its OpenType
stamp subsets the whole font again on every signature (62–265 ms, PERFORMANCE.md). Instead the
font is registered with reportlab once per process (:func:`load_stamp_font`) and each appearance is
drawn as a one-page PDF at the field's size, with reportlab embedding only the few glyphs used;
pyHanko imports that page as the field's appearance stream.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import threading
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from pyhanko.pdf_utils import content
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.stamp import StaticStampStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from responsibility.clock import DEFAULT_ZONE, to_local
from responsibility.errors import BadInput

__all__ = ["Appearance", "StampFont", "load_stamp_font", "render_stamp", "stamp_style"]

SEAL_RED = (0.85, 0.1, 0.1)

_lock = threading.Lock()
_fonts: dict[str, StampFont] = {}


@dataclass(frozen=True)
class StampFont:
    """A TrueType face registered with reportlab under ``name`` (one per file, per process)."""

    name: str
    path: Path


@dataclass(frozen=True)
class Appearance:
    """What a signature field shows. ``posts`` may name two posts when one person holds both."""

    name: str
    posts: tuple[str, ...]
    organisation: str
    font: StampFont
    seal: bool = False
    """Draw the organisation's red round seal (the bureau seal's certification signature)."""
    tz: tzinfo = field(default=DEFAULT_ZONE)
    """Zone in which the signing date is shown (the configured zone, :mod:`responsibility.clock`)."""


def _single_face(font_path: Path, cache_dir: Path | None) -> Path:
    """A .ttc collection's first face extracted once with fontTools into ``cache_dir``."""
    if font_path.suffix.lower() != ".ttc":
        return font_path
    if cache_dir is None:
        raise BadInput(f"{font_path.name} is a font collection; a cache directory is needed to extract one face")
    stat = font_path.stat()
    tag = hashlib.sha256(f"{font_path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    target = cache_dir / f"{font_path.stem}-{tag}.ttf"
    if not target.is_file():
        from fontTools.ttLib import TTCollection

        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        TTCollection(str(font_path)).fonts[0].save(str(tmp))
        tmp.replace(target)
    return target


def load_stamp_font(font_path: Path, *, cache_dir: Path | None = None) -> StampFont:
    """Register a CJK TrueType font once per process (60–100 ms) and return its handle.

    ``.ttc`` collections (WenQuanYi, AR PL UMing) need ``cache_dir`` for the extracted face.
    """
    font_path = Path(font_path)
    key = str(font_path.resolve())
    with _lock:
        if key in _fonts:
            return _fonts[key]
        if not font_path.is_file():
            raise BadInput(f"stamp font not found: {font_path}")
        face = _single_face(font_path, cache_dir)
        name = "Stamp-" + hashlib.sha256(key.encode()).hexdigest()[:10]
        try:
            pdfmetrics.registerFont(TTFont(name, str(face)))
        except Exception as exc:  # reportlab raises TTFError for CFF outlines and broken files
            raise BadInput(f"{font_path.name} cannot be embedded: {exc}") from exc
        _fonts[key] = StampFont(name=name, path=face)
        return _fonts[key]


_FALLBACK_FONT = "Helvetica"


def _runs(text: str, font: str) -> list[tuple[str, str]]:
    """Split ``text`` into (font, run) pieces: characters the CJK face lacks (Droid Sans Fallback
    has no ASCII digits) fall back to Helvetica."""
    cmap = getattr(pdfmetrics.getFont(font), "face", None)
    covered = cmap.charToGlyph if cmap is not None else {}
    runs: list[tuple[str, str]] = []
    for char in text:
        face = font if ord(char) in covered or char.isspace() else _FALLBACK_FONT
        if runs and runs[-1][0] == face:
            runs[-1] = (face, runs[-1][1] + char)
        else:
            runs.append((face, char))
    return runs


def _width(text: str, font: str, size: float) -> float:
    return float(sum(pdfmetrics.stringWidth(run, face, size) for face, run in _runs(text, font)))  # untyped: Any


def _draw(c: canvas.Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    for face, run in _runs(text, font):
        c.setFont(face, size)
        c.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, face, size)


def _fit(text: str, font: str, size: float, width: float) -> float:
    """The largest font size ≤ ``size`` at which ``text`` fits in ``width``."""
    measured = _width(text, font, size)
    return size if measured <= width else max(4.0, size * width / measured)


def _draw_seal(c: canvas.Canvas, font: str, organisation: str, cx: float, cy: float, r: float) -> None:
    c.setStrokeColorRGB(*SEAL_RED)
    c.setFillColorRGB(*SEAL_RED)
    c.setLineWidth(max(1.0, r * 0.06))
    c.circle(cx, cy, r * 0.94, stroke=1, fill=0)
    star = r * 0.3
    points = [
        (cx + star * (1 if i % 2 == 0 else 0.38) * math.sin(math.pi * i / 5),
         cy + star * (1 if i % 2 == 0 else 0.38) * math.cos(math.pi * i / 5))
        for i in range(10)
    ]  # fmt: skip
    path = c.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    c.drawPath(path, stroke=0, fill=1)
    chars = list(organisation) or [" "]
    size = r * 0.24
    arc = math.radians(min(250.0, 22.0 * len(chars)))
    radius = r * 0.68
    for i, char in enumerate(chars):
        angle = math.pi / 2 + arc / 2 - (arc * (i + 0.5) / len(chars))
        c.saveState()
        c.translate(cx + radius * math.cos(angle), cy + radius * math.sin(angle))
        c.rotate(math.degrees(angle) - 90)
        c.setFont(font, size)
        c.drawCentredString(0, -size * 0.35, char)
        c.restoreState()


def render_stamp(appearance: Appearance, *, when: datetime, width: float, height: float) -> bytes:
    """Draw the appearance as a one-page PDF of ``width`` × ``height`` points.

    The drawing shows the date to the minute, so one signer's appearance is rendered once and
    reused for every signature in the same minute (a batch countersign, for instance).
    """
    if width <= 0 or height <= 0:
        raise BadInput("the signature field has no visible area")
    local = to_local(when, appearance.tz)
    return _render(appearance, f"{local:%Y年%m月%d日 %H:%M}", round(width, 2), round(height, 2))


@functools.lru_cache(maxsize=512)
def _render(appearance: Appearance, date_text: str, width: float, height: float) -> bytes:
    font = appearance.font.name
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    c.setTitle("signature appearance")
    text_left = 2.0
    if appearance.seal:
        r = min(height, width) / 2 - 1
        _draw_seal(c, font, appearance.organisation, r + 1, height / 2, r)
        text_left = 2 * r + 4
    lines = [
        (appearance.name, 1.5),
        ("、".join(appearance.posts), 1.0),
        (appearance.organisation if appearance.organisation != appearance.name else "", 1.0),
        (date_text, 0.9),
    ]
    lines = [(text, weight) for text, weight in lines if text]
    available = width - text_left - 2
    if available > 20:
        unit = height / (sum(weight for _, weight in lines) * 1.25 + 0.5)
        y = height - unit * 0.25
        c.setFillColorRGB(0, 0, 0)
        for text, weight in lines:
            size = _fit(text, font, unit * weight, available)
            y -= unit * weight * 1.25
            _draw(c, text_left, y + unit * weight * 0.25, text, font, size)
    c.showPage()
    c.save()
    return buffer.getvalue()


class _ImportedPdfBytes(content.PdfContent):
    """Like pyHanko's ``ImportedPdfPage``, from bytes in memory instead of a file name."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf = pdf
        super().__init__()

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobj = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.pdf)), page_ix=0)
        self.resources.xobject["/Stamp"] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return b"/Stamp Do"


def stamp_style(appearance: Appearance, *, when: datetime, width: float, height: float) -> StaticStampStyle:
    """A pyHanko stamp style showing :func:`render_stamp`'s page, without pyHanko's border."""
    pdf = render_stamp(appearance, when=when, width=width, height=height)
    return StaticStampStyle(background=_ImportedPdfBytes(pdf), border_width=0)
