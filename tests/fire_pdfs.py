"""Evacuation plan PDFs for the fire-file tests: a plain one, an encrypted one, one with a
JavaScript open action (made with reportlab and pyHanko, the project's own PDF tools)."""

from __future__ import annotations

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.pdfgen import canvas


def plan_pdf(text: str = "疏散预案", *, encrypt: str | None = None) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, encrypt=encrypt)
    page.drawString(72, 720, text.encode("ascii", "replace").decode())
    page.showPage()
    page.save()
    return out.getvalue()


def scripted_pdf() -> bytes:
    """A plan whose catalogue opens with a JavaScript action, written in an object stream-free
    incremental update (so the reader, not only the byte scan, sees it)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(plan_pdf()))
    action = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/JavaScript"),
            generic.NameObject("/JS"): generic.TextStringObject("app.alert(1)"),
        }
    )
    writer.root[generic.NameObject("/OpenAction")] = writer.add_object(action)
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
