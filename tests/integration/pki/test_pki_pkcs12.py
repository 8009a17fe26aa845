"""Bring your own PKCS#12 from an external CA: trusted roots, identity, refusals, signing with it."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from fixtures.pki import LOCATION, REASON, SCHOOL_FIELDS, current_crls, make_agreement_pdf, make_person
from sqlalchemy import select

from responsibility.errors import BadInput, Forbidden
from responsibility.jobs.transactions import unlock_and_commit
from responsibility.models import IssuedCertificate
from responsibility.pki import LocalTimeStamper, init_pki
from responsibility.pki.external import enrol_pkcs12, external_trust_roots
from responsibility.pki.registry import current_crl, revoke_person
from responsibility.signing import Appearance, KeySigner, build_validation_context, load_stamp_font, sign
from responsibility.verify.acceptance import check_revision

PIN = "739184"
P12_PASSWORD = "p12-pass"
FONT = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"


@pytest.fixture(scope="module")
def external_ca(tmp_path_factory):  # type: ignore[no-untyped-def]
    return init_pki(
        tmp_path_factory.mktemp("external-ca"),
        secret=b"external",
        county_name="外部",
        bureau_name="某电子认证服务有限公司",
        base_url="http://ca.example.test",
    )


def _p12(ca, name: str, source_id: str, password: str = P12_PASSWORD):  # type: ignore[no-untyped-def]
    person = make_person(ca, name, ("校长",), "测试县第一中学", source_id)
    data = pkcs12.serialize_key_and_certificates(
        b"signer",
        person.key,  # type: ignore[arg-type]
        person.certificate,
        [ca.issuing_certificate],
        serialization.BestAvailableEncryption(password.encode()),
    )
    return data, person


def test_enrol_with_an_external_certificate_and_sign(session, pki, school_people, external_ca) -> None:  # type: ignore[no-untyped-def]
    principal = school_people["principal"]
    data, external = _p12(external_ca, "王校长", "P-T01")
    enrolment = enrol_pkcs12(
        session, principal, data, P12_PASSWORD, PIN, trust_roots=[external_ca.root_certificate], actor="test"
    )
    session.commit()
    assert enrolment.certificate.ca == "external" and enrolment.certificate.key_kind == "ecdsa-p256"

    unlocked = unlock_and_commit(session, principal, PIN, pki=pki)
    assert unlocked.certificate == external.certificate
    assert set(unlocked.chain) == {external_ca.issuing_certificate, external_ca.root_certificate}

    crls = current_crls(external_ca)
    blank = make_agreement_pdf()
    key, certificate, chain = unlocked
    signed = sign(
        blank,
        field=SCHOOL_FIELDS[1],
        signer=KeySigner(certificate, key, chain),
        timestamper=LocalTimeStamper(pki),
        validation_context=build_validation_context(
            [external_ca.root_certificate, pki.root_certificate], [*crls, *current_crls(pki)]
        ),
        appearance=Appearance(
            name="王校长", posts=("校长",), organisation="测试县第一中学", font=load_stamp_font(FONT)
        ),
        reason=REASON,
        location=LOCATION,
    )
    report = check_revision(
        blank,
        signed,
        expected_fields={SCHOOL_FIELDS[1]},
        trust_roots=[external_ca.root_certificate, pki.root_certificate],
        crls=[*crls, *current_crls(pki)],
        signer_certificate=certificate,
    )
    assert report.accepted, report.reasons

    # Revoking it here stops its use, and never puts a foreign serial on the county's CRL.
    revoke_person(session, principal, reason="affiliation_changed", actor="test")
    session.commit()
    assert certificate.serial_number not in {
        e.serial_number for e in x509.load_der_x509_crl(current_crl(session, pki, "issuing"))
    }


def test_refusals(session, pki, school_people, external_ca) -> None:  # type: ignore[no-untyped-def]
    principal = school_people["principal"]
    data, _ = _p12(external_ca, "王校长", "P-T01")
    roots = [external_ca.root_certificate]
    with pytest.raises(BadInput, match="EXTERNAL_TRUST_ROOTS"):
        enrol_pkcs12(session, principal, data, P12_PASSWORD, PIN, trust_roots=[], actor="test")
    with pytest.raises(BadInput, match="password"):
        enrol_pkcs12(session, principal, data, "wrong", PIN, trust_roots=roots, actor="test")
    with pytest.raises(BadInput):
        enrol_pkcs12(session, principal, b"not a p12", None, PIN, trust_roots=roots, actor="test")
    with pytest.raises(Forbidden, match="not to"):
        enrol_pkcs12(session, school_people["secretary"], data, P12_PASSWORD, PIN, trust_roots=roots, actor="test")
    other_serial, _ = _p12(external_ca, "王校长", "P-T99")
    with pytest.raises(Forbidden, match="serialNumber"):
        enrol_pkcs12(session, principal, other_serial, P12_PASSWORD, PIN, trust_roots=roots, actor="test")
    with pytest.raises(Forbidden, match="trusted external CA"):
        enrol_pkcs12(session, principal, data, P12_PASSWORD, PIN, trust_roots=[pki.root_certificate], actor="test")
    session.rollback()
    assert session.scalar(select(IssuedCertificate.id)) is None


def test_cli_import_p12(pki_app, session, school_people, external_ca, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data, _ = _p12(external_ca, "王校长", "P-T01")
    (tmp_path / "signer.p12").write_bytes(data)
    (tmp_path / "pin").write_text(PIN + "\n")
    (tmp_path / "password").write_text(P12_PASSWORD + "\n")
    (tmp_path / "roots.pem").write_bytes(external_ca.root_certificate.public_bytes(serialization.Encoding.PEM))
    pki_app.config["EXTERNAL_TRUST_ROOTS"] = [str(tmp_path / "roots.pem")]
    assert external_trust_roots(pki_app.config) == [external_ca.root_certificate]
    runner = pki_app.test_cli_runner()
    args = ["keys", "import-p12", "P-T01", str(tmp_path / "signer.p12"), "--pin-file", str(tmp_path / "pin")]
    refused = runner.invoke(args=[*args, "--password-file", str(tmp_path / "pin")])
    assert refused.exit_code == 2 and len(refused.output.strip().splitlines()) == 1
    result = runner.invoke(args=[*args, "--password-file", str(tmp_path / "password")])
    assert result.exit_code == 0, result.output
    assert session.scalar(select(IssuedCertificate.ca)) == "external"
