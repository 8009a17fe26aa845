"""Reading the import workbook (:data:`.import_workbook.SHEETS`) into the import dict shape.

Every cell problem, missing sheet or missing column is one BadInput line naming the file, the
sheet and the row; records carry ``_where`` ("sheet 网格, row 17") so that the importer's
messages name the row too.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ...errors import BadInput
from .workbook import BOOL, DATE, IDS, INT, LINES, META_KEYS, NO, PARTY_LABELS, SHEETS, TEXT, YES, Sheet

__all__ = ["read_workbook"]


class _SheetReader:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, message: str) -> BadInput:
        return BadInput(f"{self.name}: {where}: {message}")

    def value(self, raw: Any, kind: str, where: str, header: str) -> Any:
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            return [] if kind in (IDS, LINES) else None
        if kind == TEXT:
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            return (
                raw.strip() if isinstance(raw, str) else str(raw) if not isinstance(raw, dt.date) else raw.isoformat()
            )
        if kind == INT:
            if isinstance(raw, bool):
                raise self.fail(where, f"column {header}: expected a whole number, not {raw!r}")
            if isinstance(raw, int):
                return raw
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
                return int(raw.strip())
            raise self.fail(where, f"column {header}: expected a whole number, not {raw!r}")
        if kind == BOOL:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in (YES, "true", "1", "y", "yes"):
                return True
            if text in (NO, "false", "0", "n", "no"):
                return False
            raise self.fail(where, f"column {header}: expected {YES} or {NO}, not {raw!r}")
        if kind == DATE:
            if isinstance(raw, dt.datetime):
                return raw.date().isoformat()
            if isinstance(raw, dt.date):
                return raw.isoformat()
            return str(raw).strip()
        if kind == IDS:
            return [part.strip() for part in str(raw).replace("，", ",").split(",") if part.strip()]
        if kind == LINES:
            return [line.strip() for line in str(raw).splitlines() if line.strip()]
        try:
            return json.loads(raw) if isinstance(raw, str) else raw
        except json.JSONDecodeError as err:
            raise self.fail(where, f"column {header}: invalid JSON ({err.msg})") from None


def _set(rec: dict[str, Any], field: str, value: Any) -> None:
    parts = field.split(".")
    for part in parts[:-1]:
        rec = rec.setdefault(part, {})
    rec[parts[-1]] = value


def _rows(book: Any, sheet: Sheet, reader: _SheetReader) -> list[dict[str, Any]]:
    if sheet.name not in book.sheetnames:
        raise BadInput(f"{reader.name}: missing sheet {sheet.name}")
    rows = book[sheet.name].iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions = {str(h).strip(): i for i, h in enumerate(header) if h is not None}
    for title, _, _ in sheet.columns:
        if title not in positions:
            raise BadInput(f"{reader.name}: sheet {sheet.name}: missing column {title}")
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        where = f"sheet {sheet.name}, row {number}"
        rec: dict[str, Any] = {"_where": where}
        for title, field, kind in sheet.columns:
            i = positions[title]
            _set(rec, field, reader.value(values[i] if i < len(values) else None, kind, where, title))
        out.append(rec)
    return out


def read_workbook(path: Path) -> dict[str, Any]:
    """Read a workbook into the import dict shape; BadInput names the file, sheet and row."""
    from openpyxl import load_workbook

    reader = _SheetReader(path.name)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises zipfile, KeyError, ValueError… for a broken file
        raise BadInput(f"{path.name}: not a readable .xlsx workbook ({type(err).__name__})") from None
    try:
        sheets = {sheet.name: _rows(book, sheet, reader) for sheet in SHEETS}
    finally:
        book.close()
    return _assemble(sheets, reader)


def _assemble(sheets: dict[str, list[dict[str, Any]]], reader: _SheetReader) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for rec in sheets["元数据"]:
        if rec.get("key") in META_KEYS:
            data[rec["key"]] = rec.get("value")
    if not isinstance(data.get("bureau"), dict):
        raise reader.fail("sheet 元数据", "missing the row 'bureau'")
    bureau = data["bureau"]
    for sheet in SHEETS:
        if sheet.key.startswith("@") or sheet.name == "元数据":
            continue
        target, _, key = sheet.key.rpartition(".")
        (bureau if target == "bureau" else data)[key] = sheets[sheet.name]
    for rec in sheets["建筑"]:
        if all(v is None for v in rec["fire_plan"].values()):
            rec["fire_plan"] = None
    _nest(reader, sheets["校区"], "school_id", data["schools"], "campuses", "学校", drop_key=True)
    _nest(reader, sheets["建筑"], "school_id", data["schools"], "buildings", "学校")
    _nest(reader, sheets["隐患记录"], "hazard_id", data["hazards"], "records", "隐患", drop_key=True)
    by_id = {a.get("id"): a for a in data["agreements"]}
    for a in data["agreements"]:
        a["signatures"] = {"party_a": [], "party_b": []}
    labels = {v: k for k, v in PARTY_LABELS.items()}
    for sig in sheets["责任书签字"]:
        parent = by_id.get(sig.pop("agreement_id"))
        if parent is None:
            raise reader.fail(sig["_where"], "agreement is not in sheet 责任书")
        party = labels.get(sig.pop("party") or "")
        if party is None:
            raise reader.fail(sig["_where"], "签约方 must be 甲方 or 乙方")
        parent["signatures"][party].append(sig)
    return data


def _nest(
    reader: _SheetReader,
    children: list[dict[str, Any]],
    key: str,
    parents: list[dict[str, Any]],
    field: str,
    parent_sheet: str,
    *,
    drop_key: bool = False,
) -> None:
    by_id = {p.get("id"): p for p in parents}
    for p in parents:
        p[field] = []
    for child in children:
        parent = by_id.get(child[key])
        if parent is None:
            raise reader.fail(child["_where"], f"{child[key]} is not in sheet {parent_sheet}")
        if drop_key:
            del child[key]
        parent[field].append(child)
