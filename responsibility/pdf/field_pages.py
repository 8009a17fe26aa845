"""On which page each signature field sits (1-based), so a preview can open at the signer's field.

Read from the widget annotations of every page (a field's widget is on the page whose ``/Annots``
lists it), not from ``/P`` (optional in PDF). Bytes in, a mapping out; a malformed file gives an
empty mapping (the preview then opens at page 1).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

__all__ = ["signature_field_pages"]


def _pages(node: Any, depth: int = 0) -> Iterator[Any]:
    if depth > 32:
        return
    if node.get("/Type") == "/Pages" or "/Kids" in node:
        for kid in node.get("/Kids", []):
            yield from _pages(kid.get_object(), depth + 1)
    else:
        yield node


def _field_name(annot: Any) -> str | None:
    candidates: tuple[Any, ...] = (annot, annot.get("/Parent"))
    for candidate in candidates:
        if candidate is None:
            continue
        obj: Any = candidate.get_object() if hasattr(candidate, "get_object") else candidate
        if obj.get("/FT") == "/Sig" and "/T" in obj:
            return str(obj["/T"])
    return None


def signature_field_pages(pdf: bytes) -> dict[str, int]:
    """Signature field name → the 1-based number of the page its widget is on."""
    found: dict[str, int] = {}
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        for number, page in enumerate(_pages(reader.root["/Pages"]), start=1):
            for ref in page.get("/Annots", []):
                name = _field_name(ref.get_object())
                if name is not None:
                    found.setdefault(name, number)
    except (PdfError, KeyError, TypeError, ValueError, AttributeError):
        return {}
    return found
