"""The field types of the import schema (:mod:`.schema`): one definition of what a text, a
whole number, a yes/no, a date or a list of ids is, for JSON and workbook records alike.

Blank values (``None`` or ``""``) count as absent: an optional field takes its default and a
required one is "missing" — except in the fields a record lists in ``declared_blank``, where
``""`` is a value the file declared (a post assignment's ``business_duty: ""``: declared empty,
not inherited from the catalogue). Coercion is pydantic's own where it matches the format (numbers as
text, ``"12"`` or ``12.0`` as a whole number); the few validators here refuse what pydantic
would accept but the format does not (``true`` as a number, a timestamp as a date) and map the
Chinese vocabulary to the stored code names.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SkipValidation,
    StrictBool,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..vocabulary import FEATURES, accountability_role_code, left_reason_code, school_type_code
from .locations import WHERE, field_location

__all__ = [
    "Day",
    "Feature",
    "Flag",
    "Ids",
    "Int",
    "LeftReason",
    "Obj",
    "OptDay",
    "OptFlag",
    "OptInt",
    "OptText",
    "Record",
    "Role",
    "SchoolType",
    "Text",
    "Texts",
    "Topic",
]


def _whole(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "not a whole number")
    return value


def _day(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, bool | int | float):
        raise PydanticCustomError("date_type", "not a date")
    return value


def _school_type(value: str) -> str:
    code = school_type_code(value)
    if code is None:
        raise PydanticCustomError("vocabulary", 'unknown school type "{value}"', {"value": value})
    return code


def _role(value: str) -> str:
    code = accountability_role_code(value)
    if code is None:
        raise PydanticCustomError("vocabulary", 'unknown accountability role "{value}"', {"value": value})
    return code


def _left_reason(value: str) -> str:
    code = left_reason_code(value)
    if code is None:
        raise PydanticCustomError("vocabulary", 'unknown reason for leaving "{value}"', {"value": value})
    return code


def _feature(value: str) -> str:
    if value not in FEATURES:
        raise PydanticCustomError("vocabulary", 'unknown feature "{value}"', {"value": value})
    return value


def _topic(value: str) -> str:
    """``applies_when`` of a clause: a school feature, or ``all``."""
    return value if value == "all" else _feature(value)


Text = str
OptText = str | None
Int = Annotated[int, BeforeValidator(_whole)]
OptInt = Int | None
Flag = StrictBool
OptFlag = StrictBool | None
Day = Annotated[dt.date, BeforeValidator(_day)]
OptDay = Day | None
Texts = list[str]
Ids = list[str]
Obj = dict[str, Any] | None
SchoolType = Annotated[str, AfterValidator(_school_type)]
Role = Annotated[str, AfterValidator(_role)]
Feature = Annotated[str, AfterValidator(_feature)]
LeftReason = Annotated[str, AfterValidator(_left_reason)]
Topic = Annotated[str, AfterValidator(_topic)]


class Record(BaseModel):
    """One record of the import format. Field names are the stored names; aliases are the
    format's keys (``id``, ``town_id``), so that error locations name what the file says."""

    model_config = ConfigDict(coerce_numbers_to_str=True, extra="forbid", populate_by_name=False)
    """An unknown key is refused: its value could not be stored, and dropping it unseen would lose
    what the file says (the workbook refuses an unknown column the same way)."""

    where: Annotated[str, SkipValidation] = Field(default="", alias=WHERE, exclude=True)
    """Where the record came from (a workbook row, or set to its JSON path by the planner)."""

    declared_blank: ClassVar[frozenset[str]] = frozenset()
    """Keys (as the file names them) whose ``""`` is kept as a declared value, not absent."""

    @model_validator(mode="before")
    @classmethod
    def _blanks_are_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            values = data.values()
            if None in values or "" in values:
                keep = cls.declared_blank
                return {k: v for k, v in data.items() if v is not None and (v != "" or k in keep)}
        return data

    def locate(self, path: str) -> str:
        """Set and return the record's location: its workbook row, else ``path``."""
        if not self.where:
            self.where = path
        return self.where

    def at(self, field: str) -> str:
        """The location of ``field`` (a stored name) in this record, named as the file names it."""
        info = type(self).model_fields.get(field)
        key = info.alias if info is not None and info.alias else field
        return field_location(self.where, key)

    def row(self, *drop: str, **extra: Any) -> dict[str, Any]:
        """The record's fields as a row dict (stored names), without ``drop``, plus ``extra``."""
        return {**self.model_dump(exclude=set(drop)), **extra}
