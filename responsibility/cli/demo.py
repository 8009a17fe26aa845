"""`flask demo …`: load the project's own fictional demo county, or export it as an import file."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..atomic_files import write_atomic
from ..demo import DEFAULT_SEED, DemoLogin, build_demo_county, load_demo
from ..errors import BadInput
from ..extensions import db, db_session
from ..models import School
from ..org.importing import refresh_statistics
from .clock import county_today
from .errors import handle_domain_errors

group = AppGroup("demo", help="The fictional demo county: load it, or export it as an import file.")

CLI_ACTOR = "cli"


@group.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds schools.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Seed of the generated county.")
@click.option("--password", default=None, help="Demo password (default: the DEMO_PASSWORD setting).")
@handle_domain_errors
def load_command(if_empty: bool, seed: int, password: str | None) -> None:
    """Import the demo county, set the demo passwords, and print the demo logins."""
    if if_empty:
        schools = db.session.execute(select(func.count()).select_from(School)).scalar_one()
        if schools:
            click.echo(f"database already holds {schools} schools; demo county not loaded (--if-empty)")
            return
    password = password or str(current_app.config.get("DEMO_PASSWORD") or "")
    if not password:
        raise BadInput("no demo password: set DEMO_PASSWORD or pass --password")
    try:
        summary = load_demo(db_session(), password=password, actor=CLI_ACTOR, seed=seed, today=county_today())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    refresh_statistics(db_session())
    db.session.commit()
    counts = summary.import_summary.as_dict()
    made = ", ".join(f"{name} {c['created']}" for name, c in counts.items() if c["created"])
    click.echo(f"demo county loaded from {summary.source}" + (f" (created: {made})" if made else " (no changes)"))
    click.echo(_logins_table(summary.logins, password))


def _logins_table(logins: tuple[DemoLogin, ...], password: str) -> str:
    rows = [("用户名 username", "姓名 name", "角色 role", "密码 password")]
    rows += [(login.username, login.display_name, login.role, password) for login in logins]
    widths = [max(_width(row[i]) for row in rows) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


@group.command("export-json")
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
@click.option("--scale", type=click.IntRange(min=1), default=1, show_default=True, help="N times the demo size.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Seed of the generated county.")
@click.option("--clean", is_flag=True, help="Without the planted problems (the gap report then finds nothing).")
@handle_domain_errors
def export_json_command(out: str, scale: int, seed: int, clean: bool) -> None:
    """Write the generated county as an import file (for `flask org import` and benchmarks)."""
    data = build_demo_county(seed, scale, plant=not clean)
    target = Path(out)
    if scale == 1:
        text = json.dumps(data, ensure_ascii=False, indent=1)
    else:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    write_atomic(target, (text + "\n").encode("utf-8"))
    click.echo(
        f"wrote {target}: {len(data['schools'])} schools, {len(data['persons'])} persons, {len(data['grids'])} grids"
    )
