"""One person's signature on an agreement in two halves: prepared without the key, completed
with a signature value made elsewhere (issue 16: the countersign batch on the RQ workers).

:func:`prepare_turn_signature` runs every refusal of ``signing_flow.sign_agreement`` and writes
the signing revision (appearance, metadata, DSS, empty ``/Contents``) with only the person's
certificate: ``signing.prepare_signature``. The key then signs the prepared signed attributes
(``signing.sign_attributes``: a fraction of a millisecond, in the process that holds the key).
:func:`complete_turn_signature` checks again that it is still that person's turn on the same
revision, fills in the CMS with its RFC 3161 timestamp, runs the acceptance gate and records the
signature (and, after the last countersignature, the archive timestamp) exactly as
``sign_agreement`` does. A revision stored in between makes the prepared one useless:
:class:`~.errors.PreparedOutdated`, nothing stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from sqlalchemy.orm import Session

from ..errors import InvalidState
from ..messages import N_
from ..models import Person
from ..signing import PreparedSignature, certificate_signer, finish_signature, prepare_signature
from .certification import signature_location
from .errors import PreparedOutdated
from .signing_env import SigningEnvironment
from .signing_flow import SignOutcome, begin_signing, gate, signature_appearance, signature_reason, store_signatures

__all__ = ["PreparedTurn", "complete_turn_signature", "prepare_turn_signature"]


@dataclass(frozen=True)
class PreparedTurn:
    """A prepared signature of one field on one revision of an agreement."""

    base: str
    """SHA-256 of the revision it was prepared on."""
    field: str
    prepared: PreparedSignature


def prepare_turn_signature(
    session: Session,
    env: SigningEnvironment,
    agreement_id: int,
    person: Person,
    certificate: x509.Certificate,
    chain: Sequence[x509.Certificate],
    *,
    day: dt.date,
) -> PreparedTurn:
    """Prepare ``person``'s signature (with their enrolled ``certificate``) of the one field that
    is theirs now; refused as ``sign_agreement`` is, and with ``InvalidState`` when the person
    signs more than one field of it (each would need the one before: sign it on its own page)."""
    turn = begin_signing(session, env, agreement_id, person, day=day)
    if len(turn.todo) != 1:
        raise InvalidState(
            N_("%(number)s: you sign more than one field of it; sign it on its own page."),
            number=turn.agreement.document_number,
        )
    required = turn.todo[0]
    prepared = prepare_signature(
        turn.pdf,
        field=required.field,
        signer=certificate_signer(certificate, chain),
        timestamper=env.timestamper,
        validation_context=env.context,
        appearance=signature_appearance(env, person, required),
        reason=signature_reason(turn.agreement, required),
        location=signature_location(turn.agreement, env),
        witness=env.witness,
    )
    return PreparedTurn(turn.base, required.field, prepared)


def complete_turn_signature(
    session: Session,
    env: SigningEnvironment,
    agreement_id: int,
    person: Person,
    certificate: x509.Certificate,
    chain: Sequence[x509.Certificate],
    prepared: PreparedTurn,
    signature: bytes,
    *,
    day: dt.date,
    actor: str,
) -> SignOutcome:
    """Finish ``prepared`` with ``signature`` (the key's, over its signed attributes), check it
    through the gate and record it (flushed, not committed; ``RevisionConflict`` when another
    revision is stored at the very moment: the caller runs it again)."""
    turn = begin_signing(session, env, agreement_id, person, day=day)
    if turn.base != prepared.base or [r.field for r in turn.todo] != [prepared.field]:
        raise PreparedOutdated(
            N_("%(number)s changed after the batch prepared its signature; countersign it again."),
            number=turn.agreement.document_number,
        )
    signed = finish_signature(
        prepared.prepared, signer=certificate_signer(certificate, chain), signature=signature,
        timestamper=env.timestamper,
    )  # fmt: skip
    gate(env, turn.pdf, signed, {prepared.field}, certificate)
    return store_signatures(
        session, env, turn, [(turn.todo[0], signed)], signed, person, certificate, day=day, actor=actor
    )
