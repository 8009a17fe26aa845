"""pyHanko post-processing: empty signature fields and the embedded responsibility matrix.

They are appended to the reportlab output as one incremental update (the generated file has two
revisions, both before any signature), so every later signature covers them. Rewriting the whole
file in a fresh writer instead costs ~8% of the generation time (pyHanko re-serialises every font
and page stream), which the generation target (≤ 1.15× a bare reportlab build) cannot afford.
pyHanko's writer would otherwise make the bytes differ per run: it draws a random second /ID
and stamps ModDate with the clock on write. Both are pinned here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.embed import EmbeddedFileObject, EmbeddedFileParams, FileSpec, embed_file
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field

from responsibility.pdf.content import SignatureFieldSpec
from responsibility.pdf.layout import SlotPosition

__all__ = ["MATRIX_FILE_NAME", "add_fields_and_matrix"]

MATRIX_FILE_NAME = "responsibility-matrix.json"


def add_fields_and_matrix(
    pdf: bytes,
    fields: Iterable[tuple[SignatureFieldSpec, SlotPosition]],
    matrix_json: bytes,
    *,
    document_id: bytes,
    created_at: datetime,
    description: str = "责任矩阵（条款、岗位、职责、网格、网格长，含数据来源编号）",
) -> bytes:
    """Return ``pdf`` with one visible empty signature field per spec and the matrix attached."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    # The first /ID stays reportlab's (ISO 32000 §14.4); the second is derived from the content.
    writer._document_id = generic.ArrayObject([writer._document_id[0], generic.ByteStringObject(document_id)])
    # The Info dict copied from reportlab already holds the campaign's dates; keep it as it is.
    writer._update_meta = lambda: None  # type: ignore[method-assign]  # monkeypatched on purpose
    for spec, pos in fields:
        append_signature_field(
            writer,
            SigFieldSpec(
                sig_field_name=spec.field_name,
                on_page=pos.page_index,
                box=pos.box,
                empty_field_appearance=True,
                readable_field_name=spec.label,
            ),
        )
    params = EmbeddedFileParams(creation_date=created_at, modification_date=created_at)
    data = EmbeddedFileObject.from_file_data(writer, data=matrix_json, params=params, mime_type="application/json")
    embed_file(
        writer,
        FileSpec(
            file_spec_string=MATRIX_FILE_NAME,
            file_name=MATRIX_FILE_NAME,
            embedded_data=data,
            description=description,
        ),
    )
    out = BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]  # pyHanko leaves write() unannotated
    return out.getvalue()
