"""`flask sign AGREEMENT --as PERSON --pin-file F`: the same signing service as the sign page.

Prints the new revision's SHA-256 (and the agreement's state) on success; any refusal is one line
on stderr and exit code 2 (see ``cli.errors``). The PIN is read from a file, never from the
command line (which other users can see in ``ps``).
"""

from __future__ import annotations

import click

from ..agreements import find_agreement
from ..agreements.signing_flow import sign_agreement
from ..extensions import db, db_session
from ..jobs.transactions import commit_with_retry, unlock_and_commit
from .clock import county_today
from .context import instance
from .errors import handle_domain_errors
from .keys import read_pin_file
from .pki import find_person, instance_pki


@click.command("sign")
@click.argument("agreement_key", metavar="AGREEMENT")
@click.option("--as", "person_source_id", required=True, metavar="PERSON", help="The signer's source id.")
@click.option("--pin-file", type=click.Path(dir_okay=False), required=True, help="Read the signing PIN from here.")
@handle_domain_errors
def command(agreement_key: str, person_source_id: str, pin_file: str) -> None:
    """PERSON signs AGREEMENT (id or document number) in every field that is theirs now."""
    pin = read_pin_file(pin_file)
    person = find_person(person_source_id)
    agreement_id = find_agreement(db_session(), agreement_key).id
    db.session.rollback()  # nothing pending before the PIN attempt is committed on its own
    unlocked = unlock_and_commit(db_session(), person, pin, pki=instance_pki())
    env = instance().signing_environment(db_session())
    outcome = commit_with_retry(
        db_session(),
        lambda: sign_agreement(
            db_session(), env, agreement_id, person, unlocked, day=county_today(), actor=f"cli:{person.source_id}"
        ),
    )
    for revision in outcome.revisions:
        click.echo(f"{outcome.document_number} revision {revision.seq} {revision.kind} {revision.field}", err=True)
    click.echo(f"state: {outcome.state}", err=True)
    click.echo(outcome.sha256)
