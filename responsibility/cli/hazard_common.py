"""What the `flask hazard` command modules share: the group, the day of a step, photo files,
and the transaction around a step (roll back on a domain error, commit and print the number)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from flask.cli import AppGroup

from .. import hazards
from ..errors import BadInput, DomainError
from ..extensions import db
from .clock import county_today
from .context import settings

T = TypeVar("T")

group = AppGroup("hazard", help="Hazards 一患一案一档: report, plan, rectify, accept, supervise, void.")


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(f"{option}: 日期格式应为 YYYY-MM-DD，而不是 {value!r}。 (bad date {value!r})") from None


def step_day(value: str | None) -> dt.date:
    today = county_today()
    day = parse_date(value, "--on") or today
    if day > today:
        raise BadInput(f"--on: {day} 在今天之后。 ({day} is in the future.)")
    return day


def photo_files(paths: tuple[str, ...]) -> list[tuple[str, bytes]]:
    return [(Path(p).name, Path(p).read_bytes()) for p in paths]


def photo_store_of() -> hazards.PhotoStore:
    return hazards.photo_store(settings().storage)


def commit_and_print(hazard_file_no: str | None) -> None:
    db.session.commit()
    click.echo(hazard_file_no or "")


def run_step(step: Callable[[], T]) -> T:
    """Run ``step`` in a transaction: roll back on any domain error, then let the handler report it."""
    try:
        return step()
    except DomainError:
        db.session.rollback()
        raise


on_option = click.option("--on", "on_text", help="The day of the step (YYYY-MM-DD); default today.")
