"""`flask init`: prepare an instance folder; safe to run again."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from ..config import write_instance_config
from ..web.i18n import compile_translations


@click.command("init")
@click.option("--secure-cookies/--no-secure-cookies", default=False, help="Mark cookies Secure (HTTPS deployments).")
@click.option(
    "--pki/--no-pki",
    "with_pki",
    default=True,
    help="Create the county PKI when missing (--no-pki: later, with `flask pki init`, once the county is imported).",
)
@with_appcontext
def init_command(secure_cookies: bool, with_pki: bool) -> None:
    """Create instance/config.py (random secret key), compile translations, migrate the database,
    create the county PKI (instance/pki/) when missing."""
    instance = Path(current_app.instance_path)
    created = write_instance_config(instance, secure_cookies=secure_cookies)
    click.echo(f"{'created' if created else 'kept'} {instance / 'config.py'}")
    compile_translations()
    upgrade()
    click.echo(f"database at revision head: {current_app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    if not with_pki:
        return
    # The county PKI (issue 4): created when missing, kept otherwise.
    from .pki import ensure_pki

    pki, pki_created = ensure_pki()
    click.echo(f"{'created' if pki_created else 'kept'} PKI in {pki.directory}")
