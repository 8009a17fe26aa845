"""Reading the import workbook (:data:`.workbook.SHEETS`) into the import dict shape.

This is the cell syntax only: lists of ids split at commas, free-text lists at line breaks,
是/否 as yes/no, JSON cells parsed, blank cells absent (but a blank duty cell of 任职 is a duty
declared empty, and :data:`.workbook.INHERITED` the duty left out), sheets of children nested
under their parent rows; a column or a 元数据 row the format does not know is refused. Types
and required fields are the schema's (:mod:`.schema`), as for JSON. Every record carries a
:class:`~.locations.SheetRow` under ``_where`` so that a refusal names the sheet, the row and
the column.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ..errors import ImportRejected
from .locations import WHERE, SheetRow
from .validation import refusal
from .workbook import (
    BOOL,
    DATE,
    DUTIES,
    DUTY,
    IDS,
    INHERITED,
    JSON,
    LINES,
    META_KEYS,
    NO,
    PARTY_LABELS,
    SHEETS,
    TEXT,
    YES,
    Sheet,
)

__all__ = ["read_workbook"]

_TRUE = frozenset((YES, "true", "1", "y", "yes"))
_FALSE = frozenset((NO, "false", "0", "n", "no"))
_RECORDS = frozenset(("meta", "county", "bureau"))
"""The 元数据 values that are records of the schema (and so carry their row); the others, such
as ``assessment_scheme``, are stored as they are."""


def _cell(raw: Any, kind: str, source: str, where: SheetRow, field: str) -> Any:
    """The value of one cell in the JSON form of ``kind`` (type checks are the schema's)."""
    if isinstance(raw, str):
        raw = raw.strip()
    if kind in (DUTY, DUTIES):
        if raw == INHERITED:
            return None
        kind = LINES if kind == DUTIES else TEXT
        if raw is None or raw == "":
            return [] if kind == LINES else ""
    if raw is None or raw == "":
        return [] if kind in (IDS, LINES) else None
    if kind == TEXT:
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        return raw.isoformat() if isinstance(raw, dt.date) else raw
    if kind == BOOL:
        text = str(raw).lower()
        return raw if isinstance(raw, bool) else True if text in _TRUE else False if text in _FALSE else raw
    if kind == DATE:
        return raw.date() if isinstance(raw, dt.datetime) else raw
    if kind == IDS:
        return [part.strip() for part in str(raw).replace("，", ",").split(",") if part.strip()]
    if kind == LINES:
        return [line.strip() for line in str(raw).splitlines() if line.strip()]
    if kind == JSON and isinstance(raw, str):
        try:
            return json.loads(raw)
        except json.JSONDecodeError as err:
            raise refusal(source, where.column(field), f"invalid JSON ({err.msg})") from None
    return raw


def _set(rec: dict[str, Any], field: str, value: Any) -> None:
    parts = field.split(".")
    for part in parts[:-1]:
        rec = rec.setdefault(part, {})
    rec[parts[-1]] = value


def _rows(book: Any, sheet: Sheet, source: str) -> list[dict[str, Any]]:
    if sheet.name not in book.sheetnames:
        raise ImportRejected(f"{source}: missing sheet {sheet.name}", f"sheet {sheet.name}")
    rows = book[sheet.name].iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions = {str(h).strip(): i for i, h in enumerate(header) if h is not None}
    for title, _, _ in sheet.columns:
        if title not in positions and title not in sheet.optional:
            raise ImportRejected(f"{source}: sheet {sheet.name}: missing column {title}", f"sheet {sheet.name}")
    known = {title for title, _, _ in sheet.columns}
    unknown = [title for title in positions if title not in known]
    if unknown:
        raise ImportRejected(f"{source}: sheet {sheet.name}: unknown column {unknown[0]}", f"sheet {sheet.name}")
    headers = {field: title for title, field, _ in sheet.columns}
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        where = SheetRow(sheet.name, number, headers)
        rec: dict[str, Any] = {WHERE: where}
        for title, field, kind in sheet.columns:
            i = positions.get(title, len(values))
            _set(rec, field, _cell(values[i] if i < len(values) else None, kind, source, where, field))
        out.append(rec)
    return out


def read_workbook(path: Path) -> dict[str, Any]:
    """Read a workbook into the import dict shape; ImportRejected names the file, sheet and row."""
    from openpyxl import load_workbook

    source = path.name
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises zipfile, KeyError, ValueError… for a broken file
        raise ImportRejected(f"{path.name}: not a readable .xlsx workbook ({type(err).__name__})") from None
    try:
        sheets = {sheet.name: _rows(book, sheet, source) for sheet in SHEETS}
    finally:
        book.close()
    return _assemble(sheets, source)


def _assemble(sheets: dict[str, list[dict[str, Any]]], source: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for rec in sheets["元数据"]:
        if rec.get("key") not in META_KEYS:
            raise refusal(source, rec[WHERE].column("key"), f"unknown 项目 {rec.get('key')!r}")
        value = rec.get("value")
        if isinstance(value, dict) and rec["key"] in _RECORDS:
            value = {WHERE: rec[WHERE], **value}
        data[rec["key"]] = value
    if not isinstance(data.get("bureau"), dict):
        raise refusal(source, "sheet 元数据", "missing the row 'bureau'")
    bureau = data["bureau"]
    for sheet in SHEETS:
        if sheet.key.startswith("@") or sheet.name == "元数据":
            continue
        target, _, key = sheet.key.rpartition(".")
        (bureau if target == "bureau" else data)[key] = sheets[sheet.name]
    for rec in sheets["建筑"]:
        if all(v is None for v in rec["fire_plan"].values()):
            rec["fire_plan"] = None
    _nest(source, sheets["校区"], "school_id", data["schools"], "campuses", "学校", drop_key=True)
    _nest(source, sheets["建筑"], "school_id", data["schools"], "buildings", "学校")
    _nest(source, sheets["隐患记录"], "hazard_id", data["hazards"], "records", "隐患", drop_key=True)
    by_id = {a.get("id"): a for a in data["agreements"]}
    for a in data["agreements"]:
        a["signatures"] = {"party_a": [], "party_b": []}
    labels = {v: k for k, v in PARTY_LABELS.items()}
    for sig in sheets["责任书签字"]:
        parent = by_id.get(sig.pop("agreement_id"))
        if parent is None:
            raise refusal(source, sig[WHERE], "agreement is not in sheet 责任书")
        party = labels.get(sig.pop("party") or "")
        if party is None:
            raise refusal(source, sig[WHERE].column("party"), "签约方 must be 甲方 or 乙方")
        parent["signatures"][party].append(sig)
    return data


def _nest(
    source: str,
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
            raise refusal(source, child[WHERE].column(key), f"{child[key]} is not in sheet {parent_sheet}")
        if drop_key:
            del child[key]
        parent[field].append(child)
