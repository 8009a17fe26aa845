"""What the hazard PDFs share: the CJK styles, a table, the seal field and sealing itself.

The supervision notice and the dossier are rendered with reportlab in the project's CJK font
(``pdf.fonts``), get one visible empty signature field at the top right before any signature
(ARCHITECTURE §4: every field exists before the certification), and are then certified by the
bureau seal through ``signing.certify`` — the one signing service — with the sealer the evidence
package uses (``evidence.sealing.report_sealer``: the seal, the timestamper, our root and CRLs).
Text from the records is untrusted and escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from ..agreements.registry import HAZARD_SEAL_FIELD
from ..evidence.report_pdf import ReportSealer
from ..pdf.fonts import ensure_font_registered
from ..signing import add_document_timestamp, certify

__all__ = ["SEAL_FIELD", "Styles", "build_sealable", "seal", "styles", "table", "text"]

SEAL_FIELD = HAZARD_SEAL_FIELD
"""The registry recognises the sealed documents by this field (``agreements.registry``)."""
SEAL_BOX = (400, 730, 560, 810)
TOP_MARGIN = 42 * mm


@dataclass(frozen=True)
class Styles:
    font: str
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle


def styles() -> Styles:
    font = ensure_font_registered()
    body = ParagraphStyle("hz-body", fontName=font, fontSize=10, leading=15)
    return Styles(
        font=font,
        body=body,
        small=ParagraphStyle("hz-small", parent=body, fontSize=8, leading=11),
        title=ParagraphStyle("hz-title", parent=body, fontSize=16, leading=22),
        heading=ParagraphStyle("hz-heading", parent=body, fontSize=12, leading=18, spaceBefore=8),
    )


def text(value: object) -> str:
    """Escaped paragraph markup for an untrusted value ("—" when empty)."""
    return escape(str(value)) if value not in (None, "") else "—"


def table(rows: Sequence[Sequence[object]], st: Styles, widths: Sequence[float]) -> Table:
    cells = [[Paragraph(text(c), st.small) if isinstance(c, str) else c for c in row] for row in rows]
    out = Table(cells, colWidths=list(widths))
    out.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.font),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return out


def build_sealable(story: list[Any], *, title: str) -> bytes:
    """Render ``story`` on A4 and add the empty seal field :data:`SEAL_FIELD` on page 1."""
    out = BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, topMargin=TOP_MARGIN, title=title, author="", creator="responsibility", invariant=True
    ).build(story)
    writer = IncrementalPdfFileWriter(BytesIO(out.getvalue()))
    append_signature_field(
        writer, SigFieldSpec(sig_field_name=SEAL_FIELD, on_page=0, box=SEAL_BOX, empty_field_appearance=True)
    )
    signed = BytesIO()
    writer.write(signed)
    return signed.getvalue()


def seal(pdf: bytes, sealer: ReportSealer, *, reason: str, archive: bool = False) -> bytes:
    """Certify ``pdf`` with the bureau seal (with its RFC 3161 timestamp); ``archive`` adds a
    document timestamp after it (PAdES B-LTA), as for the dossier at close."""
    sealed = certify(
        pdf,
        field=SEAL_FIELD,
        signer=sealer.signer,
        timestamper=sealer.timestamper,
        validation_context=sealer.validation_context,
        appearance=sealer.appearance,
        locked_fields={},
        reason=reason,
        location=sealer.location,
        witness=sealer.witness,
    )
    if not archive:
        return sealed
    return add_document_timestamp(sealed, timestamper=sealer.timestamper, validation_context=sealer.validation_context)
