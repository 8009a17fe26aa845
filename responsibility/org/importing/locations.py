"""Where a record came from, so that every refusal names it: a JSON path (``$.grids[1123]``)
or a workbook row (``sheet 网格, row 57``, and the column of a field).

The workbook reader tags each record with a :class:`SheetRow`; records read from JSON are
located by their path. Both are plain strings to whoever prints them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

__all__ = ["WHERE", "SheetRow", "field_location", "locate"]

WHERE: Final = "_where"
"""The key under which the workbook reader stores a record's :class:`SheetRow`."""


class SheetRow(str):
    """``sheet 网格, row 57`` that also knows the sheet's column headers by field name."""

    headers: Mapping[str, str]

    def __new__(cls, sheet: str, row: int, headers: Mapping[str, str]) -> SheetRow:
        self = super().__new__(cls, f"sheet {sheet}, row {row}")
        self.headers = headers
        return self

    def column(self, field: str) -> str:
        """This row at the column of ``field`` (a dotted field of the sheet, e.g. ``fire_plan.hydrants``)."""
        header = self.headers.get(field)
        return f"{self}, column {header}" if header else f"{self}, {field}"


def field_location(where: str, field: str) -> str:
    """The location of ``field`` inside the record located at ``where``."""
    if isinstance(where, SheetRow):
        return where.column(field)
    return f"{where}.{field}"


def locate(data: Any, loc: Sequence[str | int]) -> str:
    """The location of ``loc`` (a pydantic error location) inside the raw input ``data``.

    The deepest record on the way that carries a :class:`SheetRow` names the row, and the rest
    of ``loc`` names the column; without one, the JSON path is returned.
    """
    row: SheetRow | None = None
    rest: list[str | int] = []
    node: Any = data
    for part in loc:
        if isinstance(node, Mapping) and isinstance(node.get(WHERE), SheetRow):
            row, rest = node[WHERE], []
        rest.append(part)
        node = _child(node, part)
    if isinstance(node, Mapping) and isinstance(node.get(WHERE), SheetRow):
        row, rest = node[WHERE], []
    if row is not None:
        fields = ".".join(str(p) for p in rest if isinstance(p, str))
        return row.column(fields) if fields else str(row)
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)


def _child(node: Any, part: str | int) -> Any:
    if isinstance(part, int):
        return node[part] if isinstance(node, Sequence) and not isinstance(node, str) and part < len(node) else None
    return node.get(part) if isinstance(node, Mapping) else None
