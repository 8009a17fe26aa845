"""`flask users …`: create the bureau admin and auditors, issue activation links and initial
passwords, list accounts. Passwords are read from a file or prompted for, never taken from the
command line (where ``ps`` and shell history would keep them)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app, url_for
from flask.cli import AppGroup

from ..accounts import activation
from ..accounts.service import create_admin, create_auditor, find_accounts, get_by_username
from ..errors import BadInput, NotFound
from ..extensions import db, db_session
from ..models import User
from .errors import handle_domain_errors

group = AppGroup("users", help="Accounts: admin, auditors, activation links, initial passwords.")

CLI_ACTOR = "cli"


def read_password_file(path: str) -> str:
    """The first line of ``path`` without its line ending (a trailing newline is not part of it)."""
    text = Path(path).read_text(encoding="utf-8")
    lines = text.splitlines()
    password = lines[0] if lines else ""
    if not password:
        raise BadInput(f"{path}: 密码文件为空 (the password file is empty)")
    return password


def _account(username: str) -> User:
    user = get_by_username(db_session(), username)
    if user is None:
        raise NotFound(f"用户 {username} 不存在 (no account named {username!r})")
    return user


def activation_link(token: str) -> str:
    """The activation URL under ``PUBLIC_BASE_URL``."""
    with current_app.test_request_context("/"):
        path = url_for("auth.activate", token=token)
    return str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/") + path


@group.command("create-admin")
@click.argument("username")
@click.option("--name", "display_name", default=None, help="Display name (default: the username).")
@click.option(
    "--password-file", type=click.Path(dir_okay=False), default=None, help="Read the password from this file."
)
@handle_domain_errors
def create_admin_command(username: str, display_name: str | None, password_file: str | None) -> None:
    """Create a bureau admin account (prompts for the password twice unless --password-file)."""
    if password_file:
        password = read_password_file(password_file)
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = create_admin(
        db_session(), username=username, display_name=display_name or username, password=password, actor=CLI_ACTOR
    )
    db.session.commit()
    click.echo(f"created admin {user.username}")


@group.command("create-auditor")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Display name of the auditor.")
@handle_domain_errors
def create_auditor_command(username: str, display_name: str) -> None:
    """Create a read-only, county-wide auditor account without a password (then issue a link)."""
    user = create_auditor(db_session(), username=username, display_name=display_name, password=None, actor=CLI_ACTOR)
    db.session.commit()
    click.echo(f"created auditor {user.username}; give them a link: flask users activation-link {user.username}")


@group.command("activation-link")
@click.argument("username")
@click.option("--hours", type=int, default=None, help="Validity in hours (default: ACTIVATION_TOKEN_HOURS).")
@handle_domain_errors
def activation_link_command(username: str, hours: int | None) -> None:
    """Print a one-time activation link for USERNAME (replaces any earlier link)."""
    user = _account(username)
    hours = hours if hours is not None else int(current_app.config.get("ACTIVATION_TOKEN_HOURS", 72))
    token = activation.issue_activation(db_session(), user, actor=CLI_ACTOR, hours=hours)
    db.session.commit()
    click.echo(activation_link(token))


@group.command("set-initial-password")
@click.argument("username")
@click.option(
    "--password-file", type=click.Path(dir_okay=False), required=True, help="Read the password from this file."
)
@handle_domain_errors
def set_initial_password_command(username: str, password_file: str) -> None:
    """Set a password that USERNAME must change at the first login."""
    password = read_password_file(password_file)
    user = _account(username)
    activation.set_initial_password(db_session(), user, password, actor=CLI_ACTOR)
    db.session.commit()
    click.echo(f"initial password set for {user.username}; it must be changed at the first login")


def _status(user: User) -> str:
    if not user.is_enabled:
        return "disabled"
    if not user.has_usable_password:
        return "not_activated"
    if user.must_change_password:
        return "must_change_password"
    return "active"


@group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--kind", type=click.Choice(["admin", "auditor", "person"]), default=None, help="Only this kind.")
@click.option("--search", default=None, help="Only usernames or names containing this text.")
@handle_domain_errors
def list_command(as_json: bool, kind: str | None, search: str | None) -> None:
    """List accounts (username, kind, status, name)."""
    users = find_accounts(db_session(), query=search, kind=kind)
    rows = [
        {
            "username": user.username,
            "display_name": user.display_name,
            "kind": user.kind,
            "status": _status(user),
            "activation_pending": user.activation_token_hash is not None,
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
        }
        for user in users
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['username']}\t{row['kind']}\t{row['status']}\t{row['display_name']}")
