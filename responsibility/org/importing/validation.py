"""Validate a whole import file against :class:`.schema.Document`, and turn the first
validation error into one :class:`~responsibility.org.errors.ImportRejected` line: file, location, what is wrong.

``$.grids[1123].parent_id: ...`` for JSON, ``sheet 网格, row 57, column 上级网格: ...`` for a
workbook (:func:`.locations.locate`). The messages are the importer's own, not pydantic's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ..errors import ImportRejected
from .locations import locate
from .schema import Document

__all__ = ["refusal", "validate_document"]


def validate_document(data: Any, *, source: str) -> Document:
    """The validated document; raise ImportRejected naming ``source`` and the first bad location."""
    if not isinstance(data, Mapping):
        raise refusal(source, "$", "expected an object at the top level")
    try:
        return Document.model_validate(data)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        raise refusal(source, locate(data, first["loc"]), _message(first)) from None


def refusal(source: str, where: str, message: str) -> ImportRejected:
    """The one line a bad import file is refused with."""
    return ImportRejected(f"{source}: {where}: {message}", str(where))


def _message(error: ErrorDetails) -> str:
    kind, value = error["type"], error["input"]
    keys = [p for p in error["loc"] if isinstance(p, str)]
    key = keys[-1] if keys else "$"
    if kind == "vocabulary":
        return error["msg"]
    if kind == "missing":
        return f"missing {key!r}"
    if kind == "extra_forbidden":
        return f"unknown key {key!r}"
    if kind.startswith("int_"):
        return f"{key!r} must be a whole number, not {value!r}"
    if kind.startswith("bool_"):
        return f"{key!r} must be true or false, not {value!r}"
    if kind.startswith("date_"):
        return f"bad date {value!r} in {key!r} (expected YYYY-MM-DD)"
    if kind == "string_type":
        return f"{key!r} must be text"
    if kind == "list_type":
        return f"{key!r} must be a list"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "expected an object" if isinstance(error["loc"][-1], int) else f"{key!r} must be an object"
    return f"{key!r}: {error['msg']}"
