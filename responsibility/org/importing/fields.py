"""Field readers for the import validator: each returns a typed value or raises one BadInput line
naming the file, the JSON path (or workbook sheet and row) and what is wrong.

Records read from a workbook carry ``_where`` ("sheet 学校, row 5"); records read from JSON are
located by their JSON path (``$.schools[3].type``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from ...errors import BadInput

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WHERE = "_where"


class Reader:
    """Reads fields of one import source; ``source`` is the file name used in every message."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> BadInput:
        return BadInput(f"{self.source}: {where}: {message}")

    @staticmethod
    def where(rec: Any, path: str, key: str | None = None) -> str:
        if isinstance(rec, Mapping) and rec.get(WHERE):
            return str(rec[WHERE])
        return f"{path}.{key}" if key else path

    def record(self, value: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, "expected an object")
        return value

    def records(self, data: Mapping[str, Any], key: str, path: str = "$", *, required: bool = False) -> list[Any]:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(self.where(data, path), f"missing {key!r}")
            return []
        if not isinstance(value, list):
            raise self.fail(f"{path}.{key}", "expected a list")
        return value

    def text(self, rec: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        value = rec.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(self.where(rec, path, key), f"missing {key!r}")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(self.where(rec, path, key), f"{key!r} must be text")
        return str(value)

    def integer(self, rec: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> int | None:
        value = rec.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(self.where(rec, path, key), f"missing {key!r}")
            return None
        if isinstance(value, bool):
            raise self.fail(self.where(rec, path, key), f"{key!r} must be a whole number, not {value!r}")
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
        if not isinstance(value, int):
            raise self.fail(self.where(rec, path, key), f"{key!r} must be a whole number, not {value!r}")
        return value

    def boolean(self, rec: Mapping[str, Any], key: str, path: str, *, default: bool | None = None) -> bool | None:
        value = rec.get(key)
        if value is None or value == "":
            return default
        if not isinstance(value, bool):
            raise self.fail(self.where(rec, path, key), f"{key!r} must be true or false, not {value!r}")
        return value

    def date(self, rec: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> dt.date | None:
        return self.date_value(rec.get(key), self.where(rec, path, key), key, required=required)

    def date_value(self, value: Any, where: str, key: str, *, required: bool = False) -> dt.date | None:
        if value is None or value == "":
            if required:
                raise self.fail(where, f"missing {key!r}")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(where, f"bad date {value!r} in {key!r} (expected YYYY-MM-DD)")

    def strings(self, rec: Mapping[str, Any], key: str, path: str) -> list[str]:
        value = rec.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(self.where(rec, path, key), f"{key!r} must be a list of text")
        return list(value)

    def mapping(self, rec: Mapping[str, Any], key: str, path: str) -> dict[str, Any] | None:
        value = rec.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self.fail(self.where(rec, path, key), f"{key!r} must be an object")
        return dict(value)
