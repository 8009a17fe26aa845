"""Signing refuses: no TSA, a revoked certificate, a missing or signed field; earlier signatures
stay valid after the signer's certificate is revoked."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest
from fixtures.pki import SCHOOL_FIELDS, SEAL, Kit, current_crls, do_certify, do_sign, make_person

from responsibility.errors import BadInput, DomainError
from responsibility.pki import ExternalTimeStamper, LocalTimeStamper
from responsibility.signing import FieldUnavailable, SignerCertificateRejected, TimestampUnavailable, sign
from responsibility.verify import check_revision

HEAD, PRINCIPAL = SCHOOL_FIELDS


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_tsa_fails_signing(kit: Kit, certified_pdf: bytes) -> None:
    stamper = ExternalTimeStamper(f"http://127.0.0.1:{_closed_port()}/tsa", timeout=2)
    with pytest.raises(TimestampUnavailable):
        do_sign(kit, certified_pdf, kit.principal, PRINCIPAL, timestamper=stamper)


def test_refusing_tsa_fails_signing_and_certifying(kit: Kit, blank_pdf: bytes, certified_pdf: bytes) -> None:
    refusing = LocalTimeStamper(kit.pki, policy_oid="not-an-oid")
    with pytest.raises(TimestampUnavailable):
        do_sign(kit, certified_pdf, kit.principal, PRINCIPAL, timestamper=refusing)
    with pytest.raises(TimestampUnavailable):
        do_certify(kit, blank_pdf, timestamper=refusing)


def test_no_tsa_means_no_signature(kit: Kit, certified_pdf: bytes) -> None:
    with pytest.raises(TimestampUnavailable):
        sign(certified_pdf, field=PRINCIPAL, signer=kit.principal.signer(kit.pki), timestamper=None,
             validation_context=kit.context(), appearance=kit.principal.appearance(kit.font),
             reason="同意", location="示例县")  # fmt: skip


def test_field_must_exist_and_be_empty(kit: Kit, certified_pdf: bytes) -> None:
    with pytest.raises(FieldUnavailable, match="no signature field"):
        do_sign(kit, certified_pdf, kit.principal, "invented_field")
    with pytest.raises(FieldUnavailable, match="already signed"):
        do_sign(kit, certified_pdf, kit.principal, SEAL)
    with pytest.raises(FieldUnavailable):
        do_certify(kit, certified_pdf)


def test_reason_and_location_are_required(kit: Kit, certified_pdf: bytes) -> None:
    with pytest.raises(BadInput):
        sign(certified_pdf, field=PRINCIPAL, signer=kit.principal.signer(kit.pki), timestamper=kit.timestamper,
             validation_context=kit.context(), appearance=kit.principal.appearance(kit.font),
             reason=" ", location="示例县")  # fmt: skip


def test_not_a_pdf_is_bad_input(kit: Kit) -> None:
    with pytest.raises(BadInput):
        do_sign(kit, b"%PDF-1.7 nonsense", kit.principal, PRINCIPAL)


def test_revoked_certificate_cannot_sign_but_its_earlier_signature_stays_valid(kit: Kit, certified_pdf: bytes) -> None:
    person = make_person(kit.pki, "周校长", ("校长",), "示例县第一中学", "P00199")
    # Signed a minute ago (TSA time), revoked now.
    earlier = LocalTimeStamper(kit.pki, clock=lambda: datetime.now(UTC) - timedelta(minutes=1))
    signed = do_sign(kit, certified_pdf, person, PRINCIPAL, timestamper=earlier)
    revoked_crls = current_crls(kit.pki, [(person.certificate.serial_number, datetime.now(UTC))])
    revoked_context = kit.context(revoked_crls)

    with pytest.raises(SignerCertificateRejected) as err:
        do_sign(kit, certified_pdf, person, PRINCIPAL, context=revoked_context)
    assert isinstance(err.value, DomainError) and err.value.http_status == 403

    # The school's other signer signs on top, with the new CRLs: the earlier signature stays valid.
    both = do_sign(kit, signed, kit.party_head, HEAD, context=revoked_context)
    report = check_revision(signed, both, expected_fields={HEAD}, trust_roots=[kit.pki.root_certificate],
                            crls=revoked_crls, signer_certificate=kit.party_head.certificate)  # fmt: skip
    assert report.accepted, report.reasons
    assert [check.field for check in report.signatures if check.ok] == [SEAL, PRINCIPAL, HEAD]


def test_signature_by_a_certificate_revoked_before_signing_is_not_accepted(kit: Kit, certified_pdf: bytes) -> None:
    person = make_person(kit.pki, "吴校长", ("校长",), "示例县第一中学", "P00198")
    # Signed with stale CRLs (e.g. in an external tool), after the certificate was revoked.
    signed = do_sign(kit, certified_pdf, person, PRINCIPAL)
    crls = current_crls(kit.pki, [(person.certificate.serial_number, datetime.now(UTC) - timedelta(minutes=2))])
    report = check_revision(certified_pdf, signed, expected_fields={PRINCIPAL}, trust_roots=[kit.pki.root_certificate],
                            crls=crls, signer_certificate=person.certificate)  # fmt: skip
    assert not report.accepted
    assert any(PRINCIPAL in reason and "not valid" in reason for reason in report.reasons), report.reasons


@pytest.fixture(scope="module")
def foreign_kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    """Another county's PKI: its root is not one of ours."""
    from fixtures.pki import make_kit

    return make_kit(tmp_path_factory.mktemp("foreign-pki"))


def test_untrusted_tsa_fails_signing_as_timestamp_unavailable(kit: Kit, foreign_kit: Kit, certified_pdf: bytes) -> None:
    with pytest.raises(TimestampUnavailable, match="not trusted"):
        do_sign(kit, certified_pdf, kit.principal, PRINCIPAL, timestamper=foreign_kit.timestamper)


def test_certificate_from_another_ca_cannot_sign(kit: Kit, foreign_kit: Kit, certified_pdf: bytes) -> None:
    stranger = make_person(foreign_kit.pki, "外县校长", ("校长",), "外县中学", "X00001")
    with pytest.raises(SignerCertificateRejected):
        sign(certified_pdf, field=PRINCIPAL, signer=stranger.signer(foreign_kit.pki), timestamper=kit.timestamper,
             validation_context=kit.context(), appearance=stranger.appearance(kit.font),
             reason="同意", location="示例县")  # fmt: skip
