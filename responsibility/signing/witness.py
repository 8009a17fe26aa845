"""The audit log's witness in a signed revision: written with each signature, read back later.

The signature covers the document information dictionary of its own update, so a witness
string put there (the audit log's latest checkpoint) is signed with the revision and every copy
of the file a school holds witnesses the log as it stood.
"""

from __future__ import annotations

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

__all__ = ["WITNESS_KEY", "read_witness", "write_witness"]

#: The document-information entry that carries the audit log's latest checkpoint (its witness
#: string, e.g. ``audit-checkpoint/1 number=42 seq=1234 head=<sha256>``). It is written in the
#: same incremental update as the signature, so the signature covers it and every copy of the
#: file a school holds witnesses the log as it stood.
WITNESS_KEY = "/ResponsibilityAuditWitness"


def write_witness(writer: IncrementalPdfFileWriter, witness: str | None) -> None:
    """Put ``witness`` into the document information dictionary of the update being written
    (pyHanko updates /ModDate and /Producer in the same dictionary when it writes)."""
    if witness is None:
        return
    value = generic.TextStringObject(witness)
    try:
        info = writer.trailer.raw_get("/Info")
    except KeyError:
        info = None
    if isinstance(info, generic.IndirectObject):
        info_dict = info.get_object()  # type: ignore[no-untyped-call]  # unannotated in pyHanko
        if isinstance(info_dict, generic.DictionaryObject):
            info_dict[pdf_name(WITNESS_KEY)] = value
            writer.mark_update(info)
            return
    writer.set_info(generic.DictionaryObject({pdf_name(WITNESS_KEY): value}))  # type: ignore[no-untyped-call]


def read_witness(pdf: bytes) -> str | None:
    """The witness string of the file's last revision, or None (no witness, or unreadable)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        info = reader.trailer_view.get("/Info")
        info_dict = info.get_object() if info is not None else None
        if not isinstance(info_dict, generic.DictionaryObject):
            return None
        value = info_dict.get(WITNESS_KEY)
        return str(value) if value is not None else None
    except Exception:  # a file we cannot read carries no witness; callers judge files elsewhere
        return None
