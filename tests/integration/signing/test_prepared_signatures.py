"""A signature prepared ahead without the key (pyHanko's interrupted signing), signed by the key
elsewhere and finished later: the result passes the acceptance gate like :func:`sign`'s, a wrong
signature value or another person's key does not, and what is prepared refuses what ``sign``
refuses (a signed field, a revoked certificate)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from fixtures.pki import REASON, SCHOOL_FIELDS, SEAL, Kit, Person, current_crls, make_person

from responsibility.signing import (
    FieldUnavailable,
    PreparedSignature,
    SignerCertificateRejected,
    certificate_signer,
    finish_signature,
    prepare_signature,
    sign_attributes,
)
from responsibility.verify import check_revision

HEAD, PRINCIPAL = SCHOOL_FIELDS


def _prepare(kit: Kit, pdf: bytes, person: Person, field: str, *, context=None) -> PreparedSignature:  # type: ignore[no-untyped-def]
    return prepare_signature(
        pdf, field=field, signer=certificate_signer(person.certificate, kit.pki.person_chain),
        timestamper=kit.timestamper, validation_context=context or kit.context(),
        appearance=person.appearance(kit.font), reason=REASON, location="示例县", witness="audit-checkpoint/1 test",
    )  # fmt: skip


def _finish(kit: Kit, prepared: PreparedSignature, person: Person, signature: bytes) -> bytes:
    signer = certificate_signer(person.certificate, kit.pki.person_chain)
    return finish_signature(prepared, signer=signer, signature=signature, timestamper=kit.timestamper)


def _gate(kit: Kit, previous: bytes, candidate: bytes, field: str, person: Person):  # type: ignore[no-untyped-def]
    return check_revision(previous, candidate, expected_fields={field}, trust_roots=[kit.pki.root_certificate],
                          crls=kit.crls, signer_certificate=person.certificate)  # fmt: skip


@pytest.mark.parametrize("who", ["principal", "chief"])  # an ECDSA and an RSA key
def test_prepared_then_signed_then_finished_passes_the_gate(kit: Kit, certified_pdf: bytes, who: str) -> None:
    person = getattr(kit, who)
    prepared = _prepare(kit, certified_pdf, person, PRINCIPAL)
    assert prepared.pdf.startswith(certified_pdf) and prepared.region_end > prepared.region_start
    assert prepared.pdf[prepared.region_start + 1 : prepared.region_end - 1].strip(b"0") == b""  # nothing signed yet
    # the moment of signing: the key alone
    signature = sign_attributes(person.signer(kit.pki), prepared.signed_attributes)
    signed = _finish(kit, prepared, person, signature)
    report = _gate(kit, certified_pdf, signed, PRINCIPAL, person)
    assert report.accepted, report.reasons
    assert [c.field for c in report.signatures if c.ok] == [SEAL, PRINCIPAL]
    assert report.signatures[-1].timestamp is not None and len(signed) == len(prepared.pdf)


def test_a_wrong_signature_value_or_another_key_is_caught_by_the_gate(kit: Kit, certified_pdf: bytes) -> None:
    prepared = _prepare(kit, certified_pdf, kit.principal, PRINCIPAL)
    other = sign_attributes(kit.party_head.signer(kit.pki), prepared.signed_attributes)  # someone else's key
    report = _gate(kit, certified_pdf, _finish(kit, prepared, kit.principal, other), PRINCIPAL, kit.principal)
    assert not report.accepted and any("is not valid" in str(r) for r in report.reasons), report.reasons
    good = sign_attributes(kit.principal.signer(kit.pki), prepared.signed_attributes)
    altered = replace(prepared, signed_attributes=prepared.signed_attributes[:-1] + b"\x00")  # attributes swapped
    report = _gate(kit, certified_pdf, _finish(kit, altered, kit.principal, good), PRINCIPAL, kit.principal)
    assert not report.accepted


def test_preparing_refuses_what_signing_refuses(kit: Kit, certified_pdf: bytes) -> None:
    with pytest.raises(FieldUnavailable, match="already signed"):
        _prepare(kit, certified_pdf, kit.principal, SEAL)
    person = make_person(kit.pki, "钱校长", ("校长",), "示例县第一中学", "P00197")
    revoked = current_crls(kit.pki, [(person.certificate.serial_number, datetime.now(UTC))])
    with pytest.raises(SignerCertificateRejected):
        _prepare(kit, certified_pdf, person, PRINCIPAL, context=kit.context(revoked))
