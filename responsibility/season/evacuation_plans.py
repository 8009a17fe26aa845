"""Evacuation plan PDFs (疏散预案) attached to a building's fire file, checked and stored by hash
under ``<instance>/fire_plans/``.

Refused with :class:`BadPlan` before anything is stored: an empty file, one above the size
setting (``FIRE_PLAN_MAX_BYTES``), one that does not start with the PDF magic bytes (never judged
by its name), one the PDF reader (pyHanko's) cannot open, an encrypted one, and one carrying
JavaScript (a document-level ``/JavaScript`` name tree, or a ``/JS`` action anywhere in the
file's bytes or in the catalogue's and pages' actions). The stored copy is the uploaded bytes
as they are, so the recorded SHA-256 is that of what the school uploaded.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from ..atomic_files import write_atomic
from ..messages import N_
from .errors import BadInput, UnknownRecord

__all__ = ["BadPlan", "CheckedPlan", "PlanStore", "check_plan_pdf", "plan_store"]

_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_SCRIPT_MARKERS = (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/JS\n", b"/JS\r")
MAX_NAME = 200


class BadPlan(BadInput):
    """The uploaded evacuation plan is not an acceptable PDF; nothing was stored."""


@dataclass(frozen=True)
class CheckedPlan:
    data: bytes
    """The uploaded bytes, unchanged."""
    sha256: str
    name: str
    pages: int


def _has_script(value: Any, depth: int = 0) -> bool:
    """A ``/S /JavaScript`` action (or ``/JS`` entry) reachable from ``value`` in a few steps."""
    if depth > 6:
        return False
    if isinstance(value, generic.IndirectObject):
        value = value.get_object()
    if isinstance(value, generic.DictionaryObject):
        if "/JS" in value or value.get("/S") == "/JavaScript":
            return True
        return any(_has_script(value.raw_get(key), depth + 1) for key in value if key not in ("/Parent", "/P"))
    if isinstance(value, generic.ArrayObject):
        return any(_has_script(item, depth + 1) for item in value)
    return False


def _open(data: bytes) -> PdfFileReader:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        raise BadPlan(N_("The evacuation plan cannot be read as a PDF (the file is damaged).")) from None
    if reader.encrypted:
        raise BadPlan(N_("The evacuation plan is encrypted (password protected): upload it without a password."))
    return reader


def check_plan_pdf(data: bytes, *, name: str, max_bytes: int) -> CheckedPlan:
    """Check an uploaded evacuation plan; :class:`BadPlan` with the reason when refused."""
    if not data:
        raise BadPlan(N_("The evacuation plan file is empty."))
    if len(data) > max_bytes:
        raise BadPlan(N_("The evacuation plan is larger than the limit of %(limit)s bytes."), limit=max_bytes)
    if not data.lstrip(b"\x00\t\n\r ")[:5] == b"%PDF-":
        raise BadPlan(N_("The evacuation plan is not a PDF file."))
    reader = _open(data)
    try:
        root = reader.root
        pages = int(root["/Pages"].get("/Count", 0))
        names = root.get("/Names")
        scripted = (
            any(marker in data for marker in _SCRIPT_MARKERS)
            or (names is not None and "/JavaScript" in names.get_object())
            or _has_script(root.raw_get("/OpenAction") if "/OpenAction" in root else None)
            or _has_script(root.raw_get("/AA") if "/AA" in root else None)
            or any(
                _has_script(page.get("/AA")) or _has_script(page.get("/Annots")) for page in _walk_pages(root["/Pages"])
            )
        )
    except BadPlan:
        raise
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        raise BadPlan(N_("The evacuation plan cannot be read as a PDF (the file is damaged).")) from None
    if scripted:
        raise BadPlan(N_("The evacuation plan contains JavaScript, which is not accepted."))
    if pages < 1:
        raise BadPlan(N_("The evacuation plan PDF has no pages."))
    clean = " ".join(Path(name or "plan.pdf").name.split())[:MAX_NAME] or "plan.pdf"
    return CheckedPlan(data=data, sha256=hashlib.sha256(data).hexdigest(), name=clean, pages=pages)


def _walk_pages(node: Any, depth: int = 0) -> list[Any]:
    node = node.get_object() if isinstance(node, generic.IndirectObject) else node
    if depth > 20 or not isinstance(node, generic.DictionaryObject):
        return []
    if node.get("/Type") == "/Page":
        return [node]
    out: list[Any] = []
    for kid in node.get("/Kids", ()):
        out.extend(_walk_pages(kid, depth + 1))
    return out


class PlanStore:
    """Evacuation plan PDFs keyed by their hex SHA-256 below ``root`` (written before the row)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if not _SHA_RE.match(sha256):
            raise ValueError(f"not a hex SHA-256: {sha256!r}")
        return self.root / sha256[:2] / f"{sha256}.pdf"

    def put(self, plan: CheckedPlan) -> None:
        target = self.path(plan.sha256)
        if not target.is_file():
            write_atomic(target, plan.data)

    def read(self, sha256: str) -> bytes:
        """The stored bytes, checked against their hash (a damaged or missing copy is refused)."""
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise UnknownRecord(N_("The evacuation plan file is missing from the store.")) from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise UnknownRecord(N_("The stored evacuation plan file is damaged."))
        return data


def plan_store(instance_dir: Path) -> PlanStore:
    return PlanStore(instance_dir / "fire_plans")
