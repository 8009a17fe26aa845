"""Read an import file (the JSON format of the demo county, or the .xlsx workbook) into one dict
shape, so that there is a single importer.

The size limit is checked on the file's size before a byte is read: a 200 MB file is refused
without parsing it. Every problem is one :class:`~responsibility.org.errors.ImportRejected` line naming
the file (and, for a workbook, the sheet and row).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import ImportRejected
from .read_workbook import read_workbook

__all__ = ["read_import_file"]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_import_file(path: Path, *, max_bytes: int) -> dict[str, Any]:
    """Return the import dict of ``path`` (``.json`` or ``.xlsx``); raise ImportRejected otherwise."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".xlsx"):
        raise ImportRejected(f"{path.name}: unsupported file type {suffix or '(none)'!r}; use .json or .xlsx")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportRejected(f"{path.name}: no such file") from None
    if size > max_bytes:
        raise ImportRejected(
            f"{path.name}: file is {_megabytes(size)}, larger than the import limit of {_megabytes(max_bytes)}"
        )
    if suffix == ".xlsx":
        return read_workbook(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportRejected(f"{path.name}: not UTF-8 text (byte {err.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ImportRejected(f"{path.name}: invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    if not isinstance(data, dict):
        raise ImportRejected(f"{path.name}: $: expected an object at the top level", "$")
    return data
