"""Helpers for the agreement tests (a uniquely named module: several conftest.py exist)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy import select

from responsibility.models import School

TERM_START = dt.date(2024, 11, 15)
TERM_END = dt.date(2025, 4, 30)
CREATED = dt.datetime(2024, 11, 10, 1, 0, tzinfo=dt.UTC)


def school(session, source_id: str) -> School:  # type: ignore[no-untyped-def]
    return session.scalars(select(School).where(School.source_id == source_id)).one()


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def fonts_embedded(path: Path) -> list[tuple[str, str, str]]:
    """(name, emb, sub) per font line of ``pdffonts``."""
    rows = []
    for line in run("pdffonts", str(path)).splitlines()[2:]:
        parts = line.split()
        rows.append((parts[0], parts[-5], parts[-4]))
    return rows


def text(path: Path) -> str:
    return run("pdftotext", "-enc", "UTF-8", str(path), "-")


def form_fields(pdf: bytes) -> dict[str, str]:
    """Field name -> field type (/Sig, /Tx, …) of every AcroForm field."""
    reader = PdfFileReader(BytesIO(pdf))
    acro = reader.root.get("/AcroForm")
    acro = acro.get_object() if acro is not None else None
    found: dict[str, str] = {}
    if acro is None:
        return found
    stack = list(acro["/Fields"].get_object())
    while stack:
        field = stack.pop().get_object()
        if "/Kids" in field:
            stack.extend(field["/Kids"])
        if "/T" in field:
            found[str(field["/T"])] = str(field.get("/FT"))
    return found


def matrix(path: Path, tmp: Path) -> dict:  # type: ignore[type-arg]
    """The embedded responsibility matrix, extracted with ``pdfdetach``."""
    out = tmp / f"{path.stem}.json"
    run("pdfdetach", "-savefile", "responsibility-matrix.json", "-o", str(out), str(path))
    return json.loads(out.read_text(encoding="utf-8"))
