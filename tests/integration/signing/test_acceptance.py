"""The acceptance gate (ARCHITECTURE §4) refuses what pyHanko's defaults would let through."""

from __future__ import annotations

import io

import pytest
from fixtures.pki import DOC_TS, SCHOOL_FIELDS, SEAL, Kit, add_text_fields, do_certify, do_sign, make_agreement_pdf
from pyhanko.pdf_utils.generic import TextStringObject, pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from responsibility.errors import SignatureRejected
from responsibility.verify import AcceptanceReport, check_revision

HEAD, PRINCIPAL = SCHOOL_FIELDS


def _check(kit: Kit, previous: bytes | None, candidate: bytes, expected: set[str], person) -> AcceptanceReport:  # type: ignore[no-untyped-def]
    return check_revision(
        previous,
        candidate,
        expected_fields=expected,
        trust_roots=[kit.pki.root_certificate],
        crls=kit.crls,
        signer_certificate=None if person is None else person.certificate,
    )


def _refused(report: AcceptanceReport, fragment: str) -> None:
    assert not report.accepted
    assert any(fragment in reason for reason in report.reasons), report.reasons
    with pytest.raises(SignatureRejected):
        report.raise_if_rejected()


@pytest.fixture(scope="module")
def principal_signed(kit: Kit, certified_pdf: bytes) -> bytes:
    return do_sign(kit, certified_pdf, kit.principal, PRINCIPAL)


def test_good_revision_is_accepted(kit: Kit, certified_pdf: bytes, principal_signed: bytes) -> None:
    report = _check(kit, certified_pdf, principal_signed, set(SCHOOL_FIELDS), kit.principal)
    assert report.accepted and report.new_fields == {PRINCIPAL}
    report.raise_if_rejected()


def test_field_outside_expected_fields(kit: Kit, certified_pdf: bytes, principal_signed: bytes) -> None:
    _refused(_check(kit, certified_pdf, principal_signed, {HEAD}, kit.principal), "outside the expected")


def test_bytes_after_the_final_eof(kit: Kit, certified_pdf: bytes, principal_signed: bytes) -> None:
    _refused(
        _check(kit, certified_pdf, principal_signed + b"\n% trailing", {PRINCIPAL}, kit.principal),
        "after the final %%EOF",
    )


def test_unsigned_revision_after_the_signature(kit: Kit, certified_pdf: bytes, principal_signed: bytes) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(principal_signed))
    info = writer.trailer["/Info"].get_object() if "/Info" in writer.trailer else None
    if info is None:
        pytest.skip("no /Info dictionary to change")
    info[pdf_name("/Title")] = TextStringObject("changed after signing")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    _refused(_check(kit, certified_pdf, out.getvalue(), {PRINCIPAL}, kit.principal), "does not cover the whole file")


def test_file_that_does_not_extend_the_last_revision(kit: Kit, certified_pdf: bytes, principal_signed: bytes) -> None:
    other_base = do_certify(kit, make_agreement_pdf())
    elsewhere = do_sign(kit, other_base, kit.principal, PRINCIPAL)
    _refused(_check(kit, certified_pdf, elsewhere, {PRINCIPAL}, kit.principal), "does not start with")
    tampered = bytearray(principal_signed)
    tampered[200] ^= 0x01
    _refused(_check(kit, certified_pdf, bytes(tampered), {PRINCIPAL}, kit.principal), "does not start with")


def test_signature_by_another_certificate(kit: Kit, certified_pdf: bytes, principal_signed: bytes) -> None:
    _refused(_check(kit, certified_pdf, principal_signed, {PRINCIPAL}, kit.party_head), "enrolled certificate")


def test_text_field_added(kit: Kit, certified_pdf: bytes) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(certified_pdf))
    add_text_fields(writer, ["note"])
    out = io.BytesIO()
    writer.write(out)
    candidate = do_sign(kit, out.getvalue(), kit.principal, PRINCIPAL)
    report = _check(kit, certified_pdf, candidate, {PRINCIPAL}, kit.principal)
    _refused(report, "not signature fields: note")
    assert any("added or removed" in reason for reason in report.reasons)


def test_text_field_in_a_generated_document(kit: Kit) -> None:
    blank = make_agreement_pdf(text_fields=["remark"])
    _refused(_check(kit, blank, do_certify(kit, blank), {SEAL}, kit.seal), "not signature fields: remark")


def test_two_signatures_in_one_step(kit: Kit, certified_pdf: bytes, principal_signed: bytes) -> None:
    both = do_sign(kit, principal_signed, kit.party_head, HEAD)
    _refused(_check(kit, certified_pdf, both, set(SCHOOL_FIELDS), kit.party_head), "exactly one signature")


def test_nothing_new(kit: Kit, certified_pdf: bytes) -> None:
    _refused(_check(kit, certified_pdf, certified_pdf + b"\n", {PRINCIPAL}, kit.principal), "exactly one signature")


def test_document_timestamp_where_a_signature_is_expected(kit: Kit, certified_pdf: bytes) -> None:
    from responsibility.signing import add_document_timestamp

    stamped = add_document_timestamp(
        certified_pdf, timestamper=kit.timestamper, validation_context=kit.context(), field=DOC_TS
    )
    _refused(_check(kit, certified_pdf, stamped, {DOC_TS}, kit.principal), "document timestamp was added")
    assert _check(kit, certified_pdf, stamped, {DOC_TS}, None).accepted


def test_field_locked_by_the_certification_cannot_be_signed(kit: Kit, blank_pdf: bytes) -> None:
    certified = do_certify(kit, blank_pdf, locks={SEAL: [SEAL, PRINCIPAL]})
    candidate = do_sign(kit, certified, kit.principal, PRINCIPAL)
    report = _check(kit, certified, candidate, {PRINCIPAL}, kit.principal)
    _refused(report, f"signature {SEAL!r}")


def test_untrusted_root(kit: Kit, certified_pdf: bytes, principal_signed: bytes) -> None:
    report = check_revision(certified_pdf, principal_signed, expected_fields={PRINCIPAL}, trust_roots=[],
                            crls=kit.crls, signer_certificate=kit.principal.certificate)  # fmt: skip
    _refused(report, "is not valid")


def test_missing_crls_are_refused(kit: Kit, certified_pdf: bytes, principal_signed: bytes) -> None:
    report = check_revision(certified_pdf, principal_signed, expected_fields={PRINCIPAL},
                            trust_roots=[kit.pki.root_certificate], crls=[],
                            signer_certificate=kit.principal.certificate)  # fmt: skip
    _refused(report, "is not valid")


@pytest.mark.parametrize("junk", [b"", b"%PDF-1.7\n%%EOF", b"\x00" * 100])
def test_unreadable_candidate(kit: Kit, certified_pdf: bytes, junk: bytes) -> None:
    report = _check(kit, None, junk, {PRINCIPAL}, kit.principal)
    assert not report.accepted


def test_size_limit(kit: Kit, certified_pdf: bytes, principal_signed: bytes) -> None:
    report = check_revision(certified_pdf, principal_signed, expected_fields={PRINCIPAL},
                            trust_roots=[kit.pki.root_certificate], crls=kit.crls,
                            signer_certificate=kit.principal.certificate, max_bytes=1000)  # fmt: skip
    _refused(report, "larger than")
