"""`flask keys …`: enrol a person's signing key (PIN from a file, never from the command line)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..errors import BadInput
from ..extensions import db, db_session
from ..pki.enrolment import KEY_KINDS, enrol, min_pin_digits
from .errors import handle_domain_errors
from .pki import CLI_ACTOR, find_person, instance_pki

group = AppGroup("keys", help="Signing keys in custody: enrolment with a signing PIN.")


def read_pin_file(path: str) -> str:
    """The first line of ``path`` without its line ending or surrounding blanks."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    pin = lines[0].strip() if lines else ""
    if not pin:
        raise BadInput(f"{path}: PIN 文件为空 (the PIN file is empty)")
    return pin


@group.command("enroll")
@click.argument("person_source_id", metavar="PERSON")
@click.option("--pin-file", type=click.Path(dir_okay=False), required=True, help="Read the signing PIN from here.")
@click.option("--key-kind", type=click.Choice(KEY_KINDS), default=None, help="Default: SIGNING_KEY_KIND or ecdsa-p256.")
@handle_domain_errors
def enroll_command(person_source_id: str, pin_file: str, key_kind: str | None) -> None:
    """Make PERSON (source id) a key pair and certificate; the key is sealed under the PIN."""
    pin = read_pin_file(pin_file)
    person = find_person(person_source_id)
    enrolment = enrol(
        db_session(),
        instance_pki(),
        person,
        pin,
        key_kind=key_kind or str(current_app.config.get("SIGNING_KEY_KIND") or "ecdsa-p256"),
        actor=CLI_ACTOR,
        min_digits=min_pin_digits(current_app.config),
    )
    db.session.commit()
    row = enrolment.certificate
    click.echo(f"enrolled {person.source_id} {person.name}")
    click.echo(f"subject: {row.subject}")
    click.echo(f"serial: {row.serial_hex}")
    click.echo(f"sha256: {row.fingerprint_sha256}")


@group.command("import-p12")
@click.argument("person_source_id", metavar="PERSON")
@click.argument("pkcs12_file", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--pin-file", type=click.Path(dir_okay=False), required=True, help="Read the signing PIN from here.")
@click.option("--password-file", type=click.Path(dir_okay=False), default=None, help="The PKCS#12 file's password.")
@handle_domain_errors
def import_p12_command(person_source_id: str, pkcs12_file: str, pin_file: str, password_file: str | None) -> None:
    """Enrol PERSON with the key and certificate of an external CA's PKCS#12 FILE (the CA's root
    must be listed in EXTERNAL_TRUST_ROOTS); the key is sealed under the signing PIN."""
    from ..pki.external import enrol_pkcs12, external_trust_roots

    pin = read_pin_file(pin_file)
    password = (Path(password_file).read_text(encoding="utf-8").splitlines() or [""])[0] if password_file else None
    person = find_person(person_source_id)
    enrolment = enrol_pkcs12(
        db_session(),
        person,
        Path(pkcs12_file).read_bytes(),
        password,
        pin,
        trust_roots=external_trust_roots(current_app.config),
        actor=CLI_ACTOR,
        min_digits=min_pin_digits(current_app.config),
    )
    db.session.commit()
    row = enrolment.certificate
    click.echo(f"enrolled {person.source_id} {person.name} with an external certificate")
    click.echo(f"subject: {row.subject}")
    click.echo(f"sha256: {row.fingerprint_sha256}")
