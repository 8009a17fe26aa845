"""Rendering an agreement: template + content in, deterministic PDF bytes out.

One platypus pass. "共 y 页" is a form XObject referenced on every page and defined when the
canvas is saved, when the page count is known, so no second layout pass is needed. The header,
footer rule and QR code (the same verification URL on every page) are drawn once into another
form XObject placed on each page. The result is then post-processed with pyHanko (signature fields, matrix attachment).
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import datetime
from io import BytesIO
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing, Group, Path, Rect
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from responsibility.clock import pdf_date
from responsibility.pdf.content import AgreementContent, fill, placeholder_values
from responsibility.pdf.errors import ContentError
from responsibility.pdf.fonts import FontSpec, ensure_font_registered
from responsibility.pdf.layout import MARGINS, PAGE_SIZE, SlotPosition, build_story
from responsibility.pdf.postprocess import add_fields_and_matrix
from responsibility.pdf.template import AgreementTemplate

__all__ = ["QR_SIZE", "build_pdf", "qr_drawing", "render_agreement"]

QR_SIZE = 24 * mm
_TOTAL_FORM = "rsp_total_pages"
_FURNITURE_FORM = "rsp_page_furniture"
_QR_MASK_PATTERN = 2


def render_agreement(template: AgreementTemplate, content: AgreementContent, *, font: FontSpec | None = None) -> bytes:
    """The agreement PDF for ``content`` laid out from ``template``.

    Raises ``ContentError`` (a ``BadInput``) listing what the content lacks (a signer, grids,
    a target value…) and ``FontMissing`` when the CJK font is not installed. Never writes files.
    The same template and content give byte-identical output.
    """
    content.check()
    missing_targets = [t.key for t in template.targets if t.key not in content.parameters.targets]
    if missing_targets:
        raise ContentError("campaign parameters", [f"no value for target {k!r}" for k in missing_targets])
    font_name = ensure_font_registered(font)
    positions: dict[str, SlotPosition] = {}
    story = build_story(template, content, font_name, positions)
    pdf = _build(template, content, font_name, story)

    missing = [f.field_name for f in content.signature_fields if f.field_name not in positions]
    if missing:  # a layout bug, not bad input: every slot is in the story
        raise RuntimeError(f"signature slots not placed: {missing}")
    seed = f"{template.version}\n{template.content_hash}\n{content.content_hash}".encode()
    return add_fields_and_matrix(
        pdf,
        [(f, positions[f.field_name]) for f in content.signature_fields],
        content.matrix_json(),
        document_id=hashlib.sha256(seed).digest()[:16],
        created_at=content.parameters.created_at,
    )


def _build(template: AgreementTemplate, content: AgreementContent, font: str, story: list[Flowable]) -> bytes:
    p = content.parameters
    return build_pdf(
        story,
        font=font,
        title=fill(template.title, placeholder_values(p, content.school, content.buildings, content.parties)),
        document_number=p.document_number,
        verification_url=p.verification_url,
        author=p.bureau,
        subject=f"{p.document_number} {content.school.name}",
        created_at=p.created_at,
    )


def build_pdf(
    story: list[Flowable],
    *,
    font: str,
    title: str,
    document_number: str,
    verification_url: str,
    author: str,
    subject: str,
    created_at: datetime,
) -> bytes:
    """Lay ``story`` out on A4 pages with the furniture every document of ours carries (header
    with title and document number, page numbers "第 x 页 共 y 页", the verification QR code);
    deterministic bytes (the creation date is ``created_at``, never the clock). Shared by the
    agreements and the supplementary confirmations."""
    stamp = pdf_date(created_at)
    w = PAGE_SIZE[0]

    def number_page(canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        canv.doForm(_FURNITURE_FORM)
        canv.setFont(font, 9)
        canv.drawRightString(w / 2 - 1, 16 * mm, f"第 {canv.getPageNumber()} 页")
        canv.translate(w / 2 + 4, 16 * mm)
        canv.doForm(_TOTAL_FORM)
        canv.restoreState()

    class _Canvas(Canvas):  # type: ignore[misc]  # reportlab ships no types: Canvas is Any
        """Draws the page furniture once as a form, and the page count when saving."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            self.setDateFormatter(lambda *_: stamp)
            self.beginForm(_FURNITURE_FORM)
            _draw_furniture(self, font, title, document_number, verification_url)
            self.endForm()

        def save(self) -> None:
            if len(self._code):
                self.showPage()
            self.beginForm(_TOTAL_FORM, 0, -2, 60, 12)
            self.setFont(font, 9)
            self.drawString(0, 0, f"共 {self._pageNumber - 1} 页")
            self.endForm()
            self._doc.SaveToFile(self._filename, self)

    buf = BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=PAGE_SIZE,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=title,
        author=author,
        subject=subject,
        creator="responsibility agreement renderer",
        invariant=1,
        initialFontName=font,  # else every page references an unembedded Helvetica
        initialFontSize=10,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=number_page)])
    doc.build(story, canvasmaker=_Canvas)
    return buf.getvalue()


def _draw_furniture(canv: Canvas, font: str, title: str, document_number: str, url: str) -> None:
    """Header (title, document number), footer rule and the verification QR code."""
    w, h = PAGE_SIZE
    left, right = MARGINS["left"], w - MARGINS["right"]
    canv.setFont(font, 8)
    canv.drawString(left, h - 18 * mm, title)
    canv.drawRightString(right, h - 22.5 * mm, f"文书编号：{document_number}")
    canv.setLineWidth(0.5)
    canv.line(left, h - 24 * mm, right, h - 24 * mm)
    canv.line(left, 27 * mm, right, 27 * mm)
    canv.setFont(font, 7)
    canv.drawRightString(right - QR_SIZE - 2 * mm, 6 * mm, f"扫码核验 {document_number}")
    renderPDF.draw(qr_drawing(url, font), canv, right - QR_SIZE, 2 * mm)


class _QrCodeOnePath(QrCodeWidget):  # type: ignore[misc]  # reportlab ships no types
    """reportlab's QR widget, drawing its dark runs as one path.

    The stock :meth:`QrCodeWidget.draw` makes one ``Rect`` per run of dark modules (~370 for a
    verification URL); each is a validated shape rendered through renderPDF's node dispatcher,
    ~15 ms a document. The same runs as subpaths of one ``Path`` draw the same squares (the runs
    never overlap) for ~2 ms. Geometry, encoder and quiet zone are the widget's own."""

    def draw(self) -> Group:
        self.qr.make()
        count = self.qr.getModuleCount()
        border = self.barBorder
        box = float(min(self.barWidth, self.barHeight)) / (count + border * 2.0)
        left = self.x + (self.barWidth - box * (count + border * 2.0)) / 2.0
        top = self.y + self.barHeight
        path = Path(fillColor=self.barFillColor, strokeColor=None, strokeWidth=0)
        for r, row in enumerate(self.qr.modules):
            y = top - (r + border + 1) * box
            c = 0
            for dark, run in itertools.groupby(bool(m) for m in row):
                n = len(list(run))
                if dark:
                    x0, x1 = left + (c + border) * box, left + (c + border + n) * box
                    path.moveTo(x0, y)
                    path.lineTo(x1, y)
                    path.lineTo(x1, y + box)
                    path.lineTo(x0, y + box)
                    path.closePath()
                c += n
        return Group(path)


def qr_drawing(url: str, font: str, size: float = QR_SIZE) -> Drawing:
    """reportlab's QR widget for ``url`` on a white ``size`` square (default QR_SIZE): level M, a
    quiet zone of 2 modules, the dark runs as one path. The drawing starts in ``font``: its
    default would reference an unembedded Helvetica. (Also the hazard posters' QR code.)"""
    widget = _QrCodeOnePath(url, barLevel="M", barBorder=2, barWidth=size, barHeight=size)
    # A fixed mask pattern is valid QR (ISO 18004 only recommends choosing the best of eight).
    # The widget scores all eight in pure Python, ~35 ms a document, a fifth of rendering one.
    widget.qr.getBestMaskPattern = lambda: _QR_MASK_PATTERN
    drawing = Drawing(size, size, initialFontName=font)
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None, strokeWidth=0))
    drawing.add(widget)
    return drawing
