"""`flask pki …`: create the county PKI, export the root, revoke a person's certificate, write a CRL."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..agreements.seal import ensure_seal
from ..errors import NotFound
from ..extensions import db, db_session
from ..models import Person
from ..pki.ca import CA_NAMES, Pki, export_root_pem
from ..pki.instance import ensure_instance_pki, pki_names
from ..pki.registry import REVOCATION_REASONS, current_crl, revoke_person
from ..pki.storage import write_atomic
from .context import instance
from .errors import handle_domain_errors

group = AppGroup("pki", help="The county PKI: root and issuing CA, TSA certificate, CRLs, revocation.")

CLI_ACTOR = "cli"


def instance_pki() -> Pki:
    """The app's PKI (loaded once per process; ``PkiMissing`` before ``flask pki init``)."""
    return instance().pki


def ensure_pki(county_name: str | None = None, bureau_name: str | None = None) -> tuple[Pki, bool]:
    """Create the instance PKI and the bureau seal unless they exist (names from the options,
    settings or database), and commit the seal's registration. The one place, with ``flask
    init``, where keys are made: every read path only opens them."""
    default_county, default_bureau = pki_names(db_session(), current_app.config)
    pki, created = ensure_instance_pki(
        current_app.instance_path,
        current_app.config,
        county_name=county_name or default_county,
        bureau_name=bureau_name or default_bureau,
    )
    try:
        ensure_seal(db_session(), pki, current_app.config, actor=CLI_ACTOR)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return pki, created


def find_person(source_id: str) -> Person:
    person = db.session.scalar(select(Person).where(Person.source_id == source_id))
    if person is None:
        raise NotFound(f"人员 {source_id} 不存在 (no person with source id {source_id!r})")
    return person


def _write(out: str, data: bytes) -> None:
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(Path(out), data, mode=0o644)


@group.command("init")
@click.option("--county-name", default=None, help="County name in the CA names (default: the imported county).")
@click.option("--bureau-name", default=None, help="Bureau name (O) of the CA certificates (default: imported).")
@handle_domain_errors
def init_command(county_name: str | None, bureau_name: str | None) -> None:
    """Create the root CA, issuing CA, TSA certificate and bureau seal in instance/pki/ (kept if
    present; an expired or revoked seal is renewed)."""
    pki, created = ensure_pki(county_name, bureau_name)
    click.echo(f"{'created' if created else 'kept'} PKI in {pki.directory}")
    click.echo(f"root: {pki.root_certificate.subject.rfc4514_string()}")


@group.command("root")
@click.argument("out", type=click.Path(dir_okay=False, allow_dash=True))
@handle_domain_errors
def root_command(out: str) -> None:
    """Write the root certificate as PEM to OUT ('-' for stdout), for verifiers and PDF readers."""
    _write(out, export_root_pem(instance_pki()))
    if out != "-":
        click.echo(f"wrote {out}")


@group.command("crl")
@click.argument("ca", type=click.Choice(CA_NAMES))
@click.argument("out", type=click.Path(dir_okay=False, allow_dash=True))
@handle_domain_errors
def crl_command(ca: str, out: str) -> None:
    """Write the current DER CRL of CA to OUT ('-' for stdout)."""
    _write(out, current_crl(db_session(), instance_pki(), ca))
    if out != "-":
        click.echo(f"wrote {out}")


@group.command("revoke")
@click.argument("person_source_id", metavar="PERSON")
@click.option("--reason", type=click.Choice(REVOCATION_REASONS), default="unspecified", show_default=True)
@handle_domain_errors
def revoke_command(person_source_id: str, reason: str) -> None:
    """Revoke the signing certificate of PERSON (source id); new CRLs list it at once."""
    row = revoke_person(db_session(), find_person(person_source_id), reason=reason, actor=CLI_ACTOR)
    db.session.commit()
    click.echo(f"revoked certificate {row.serial_hex} of {person_source_id} ({reason})")
