"""The county CAs, person certificates and CRLs (real keys, made once per session)."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID
from fixtures.pki import BASE_URL, PKI_SECRET, Kit

from responsibility.errors import DomainError
from responsibility.pki import (
    PkiError,
    build_crl,
    export_root_pem,
    generate_key,
    init_pki,
    issue_person_certificate,
)


def _crl_urls(cert: x509.Certificate) -> list[str]:
    points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    return [name.value for point in points for name in point.full_name]


def test_second_init_loads_the_same_pki(kit: Kit) -> None:
    again = init_pki(kit.pki.directory, secret=PKI_SECRET, county_name="别的县", bureau_name="别的局", base_url="x")
    assert again.root_certificate == kit.pki.root_certificate
    assert again.issuing_certificate == kit.pki.issuing_certificate
    assert again.tsa_certificate == kit.pki.tsa_certificate
    assert again.county_name == kit.pki.county_name
    assert again.issuing_key.public_key() == kit.pki.issuing_key.public_key()


def test_keys_are_encrypted_and_private_on_disk(kit: Kit) -> None:
    for path in kit.pki.directory.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    for name in ("root", "issuing", "tsa"):
        path = kit.pki.directory / f"{name}.key.pem"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert not list(kit.pki.directory.glob("*.tmp"))


def test_wrong_instance_secret_cannot_open_the_keys(kit: Kit) -> None:
    with pytest.raises(PkiError, match="instance secret"):
        init_pki(kit.pki.directory, secret=b"another secret", county_name="x", bureau_name="y", base_url="z")


def test_empty_secret_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PkiError):
        init_pki(tmp_path / "pki", secret=b"", county_name="x", bureau_name="y", base_url="z")
    assert not (tmp_path / "pki" / "pki.json").exists()


def test_damaged_manifest_is_a_domain_error(kit: Kit, tmp_path: Path) -> None:
    copy = tmp_path / "pki"
    copy.mkdir()
    for path in kit.pki.directory.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    (copy / "pki.json").write_text("{not json")
    with pytest.raises(DomainError):
        init_pki(copy, secret=PKI_SECRET, county_name="x", bureau_name="y", base_url="z")
    (copy / "pki.json").write_text(json.dumps({"version": 1}))
    with pytest.raises(DomainError):
        init_pki(copy, secret=PKI_SECRET, county_name="x", bureau_name="y", base_url="z")


def test_ca_hierarchy(kit: Kit) -> None:
    pki = kit.pki
    root, issuing, tsa = pki.root_certificate, pki.issuing_certificate, pki.tsa_certificate
    root.verify_directly_issued_by(root)
    issuing.verify_directly_issued_by(root)
    tsa.verify_directly_issued_by(root)
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    constraints = issuing.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca and constraints.value.path_length == 0
    assert _crl_urls(issuing) == [f"{BASE_URL}/pki/crl/root.crl"]
    assert export_root_pem(pki).startswith(b"-----BEGIN CERTIFICATE-----")
    assert x509.load_pem_x509_certificate(export_root_pem(pki)) == root


def test_tsa_certificate_is_rsa_2048_for_time_stamping_only(kit: Kit) -> None:
    tsa = kit.pki.tsa_certificate
    key = tsa.public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048
    eku = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


@pytest.mark.parametrize("kind", ["ecdsa-p256", "rsa-2048"])
def test_person_certificate(kit: Kit, kind: str) -> None:
    key = generate_key(kind)  # type: ignore[arg-type]
    now = datetime.now(UTC)
    cert = issue_person_certificate(
        kit.pki, key.public_key(), name="王校长", organisation="示例县第一中学", serial_number="P00102", now=now
    )
    cert.verify_directly_issued_by(kit.pki.issuing_certificate)
    subject = cert.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "王校长"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "示例县第一中学"
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == "P00102"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    aki = cert.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_KEY_IDENTIFIER).value
    ski = kit.pki.issuing_certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    assert cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value == (
        x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    )
    assert _crl_urls(cert) == [f"{BASE_URL}/pki/crl/issuing.crl"]
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert timedelta(days=365) <= lifetime <= timedelta(days=366)
    assert cert.not_valid_before_utc <= now


def test_person_certificate_needs_a_name(kit: Kit) -> None:
    with pytest.raises(PkiError):
        issue_person_certificate(kit.pki, generate_key().public_key(), name=" ", organisation="o", serial_number="s")


def test_crl_lists_revoked_serials_and_is_signed_by_its_ca(kit: Kit) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    der = build_crl(kit.pki, "issuing", [(1234, now), (99, now - timedelta(days=1))],
                    this_update=now, next_update=now + timedelta(days=7))  # fmt: skip
    crl = x509.load_der_x509_crl(der)
    assert crl.issuer == kit.pki.issuing_certificate.subject
    assert crl.is_signature_valid(kit.pki.issuing_certificate.public_key())  # type: ignore[arg-type]
    assert crl.get_revoked_certificate_by_serial_number(1234).revocation_date_utc == now
    assert crl.get_revoked_certificate_by_serial_number(5) is None
    later = build_crl(kit.pki, "issuing", [], this_update=now + timedelta(hours=1), next_update=now + timedelta(days=8))
    number = x509.CRLNumber
    assert (
        x509.load_der_x509_crl(later).extensions.get_extension_for_class(number).value.crl_number
        > crl.extensions.get_extension_for_class(number).value.crl_number
    )
    root_crl = x509.load_der_x509_crl(
        build_crl(kit.pki, "root", [], this_update=now, next_update=now + timedelta(days=7))
    )
    assert root_crl.is_signature_valid(kit.pki.root_certificate.public_key())  # type: ignore[arg-type]


def test_crl_rejects_unknown_ca_and_backwards_dates(kit: Kit) -> None:
    now = datetime.now(UTC)
    with pytest.raises(PkiError):
        build_crl(kit.pki, "tsa", [], this_update=now, next_update=now + timedelta(days=1))
    with pytest.raises(PkiError):
        build_crl(kit.pki, "root", [], this_update=now, next_update=now)


def test_serial_number_must_be_printable(kit: Kit) -> None:
    with pytest.raises(PkiError, match="serial number"):
        issue_person_certificate(
            kit.pki, generate_key().public_key(), name="n", organisation="o", serial_number="P_001"
        )
