"""External signing: download the current PDF, sign it with another PAdES tool (pyHanko's stock
``SimpleSigner`` loading PEM files, its own ``PdfSigner`` — not our signing module), upload it.
Accepted only through the acceptance gate with the uploader's enrolled certificate; a wrong
person's certificate, modified content or an added field are refused with a 4xx and audited."""

from __future__ import annotations

import io
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from fixtures.signing_workflow import PIN
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter, append_signature_field
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select

from responsibility.models import Agreement, AuditEvent, Person, SigningEnrolment
from responsibility.pki import LocalTimeStamper, open_private_key
from responsibility.pki.instance import load_instance_pki
from responsibility.pki.registry import current_crls


def _export(app, source_id: str, directory: Path) -> tuple[Path, Path, list[Path], list[bytes]]:  # type: ignore[no-untyped-def]
    """The person's enrolled key (opened with the PIN) and certificate as PEM files, the CA
    chain, and the county's CRLs — what a signer would feed another tool."""
    from responsibility.extensions import db

    with app.app_context():
        person = db.session.scalars(select(Person).where(Person.source_id == source_id)).one()
        enrolment = db.session.scalars(select(SigningEnrolment).where(SigningEnrolment.person_id == person.id)).one()
        key = open_private_key(enrolment.sealed_key, PIN)
        pki = load_instance_pki(app.instance_path, app.config)
        crls = current_crls(db.session, pki)
        cert_der = enrolment.certificate.der
    key_file, cert_file = directory / f"{source_id}.key.pem", directory / f"{source_id}.crt.pem"
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    from cryptography import x509

    cert_file.write_bytes(x509.load_der_x509_certificate(cert_der).public_bytes(serialization.Encoding.PEM))
    chain = []
    for name, cert in (("issuing", pki.issuing_certificate), ("root", pki.root_certificate)):
        path = directory / f"{name}.pem"
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        chain.append(path)
    return key_file, cert_file, chain, crls


def _external_sign(app, pdf: bytes, field: str, files, *, add_field: str | None = None) -> bytes:  # type: ignore[no-untyped-def]
    key_file, cert_file, chain, crls = files
    signer = signers.SimpleSigner.load(str(key_file), str(cert_file), ca_chain_files=[str(p) for p in chain])
    from asn1crypto import x509 as asn1_x509

    root = asn1_x509.Certificate.load(
        load_instance_pki(app.instance_path, app.config).root_certificate.public_bytes(serialization.Encoding.DER)
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    if add_field:
        append_signature_field(writer, SigFieldSpec(sig_field_name=add_field, on_page=0, box=(10, 10, 120, 60)))
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=SigSeedSubFilter.PADES,
        reason="同意并签署本责任书",
        location="外部签名工具",
        embed_validation_info=True,
        validation_context=ValidationContext(trust_roots=[root], crls=crls, allow_fetching=False),
        dss_settings=DSSContentSettings(placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False),
    )
    stamper = LocalTimeStamper(load_instance_pki(app.instance_path, app.config))
    return signers.PdfSigner(meta, signer, timestamper=stamper).sign_pdf(writer).getvalue()


def _upload(client, agreement_id: int, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        f"/sign/{agreement_id}/upload",
        data={"file": (io.BytesIO(data), "signed.pdf")},
        content_type="multipart/form-data",
    )


def _rejections(app) -> int:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    with app.app_context():
        return len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "agreement.upload_rejected")).all())


def test_an_externally_signed_upload_is_accepted(signer_app, login, issued, tmp_path) -> None:  # type: ignore[no-untyped-def]
    agreement_id, ids = issued
    client = login(ids["principal"])
    current = client.get(f"/sign/{agreement_id}/pdf").data
    signed = _external_sign(
        signer_app, current, "sig_school_principal", _export(signer_app, ids["principal"], tmp_path)
    )
    response = _upload(client, agreement_id, signed)
    assert response.status_code == 302, response.get_data(as_text=True)
    from responsibility.extensions import db

    with signer_app.app_context():
        row = db.session.get(Agreement, agreement_id)
        last = row.revisions[-1]
        assert (last.kind, last.field_name, row.pdf_sha256) == ("signed", "sig_school_principal", last.sha256)
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "agreement.signed")).all()
        assert events[-1].data["external"] is True
    assert client.get(f"/sign/{agreement_id}/pdf").data == signed


def test_bad_uploads_are_refused_and_audited(signer_app, login, issued, tmp_path) -> None:  # type: ignore[no-untyped-def]
    agreement_id, ids = issued
    client = login(ids["principal"])
    current = client.get(f"/sign/{agreement_id}/pdf").data
    own = _export(signer_app, ids["principal"], tmp_path)

    wrong_person = _external_sign(
        signer_app, current, "sig_school_principal", _export(signer_app, ids["party_head"], tmp_path)
    )
    response = _upload(client, agreement_id, wrong_person)
    assert response.status_code == 422 and "签署人在本系统登记的证书" in response.get_data(as_text=True)

    good = _external_sign(signer_app, current, "sig_school_principal", own)
    middle = len(current) // 2
    modified = good[:middle] + bytes([good[middle] ^ 0x01]) + good[middle + 1 :]
    response = _upload(client, agreement_id, modified)
    assert response.status_code == 422 and "最后一个已接受的版本" in response.get_data(as_text=True)

    extra = _external_sign(signer_app, current, "sig_school_principal", own, add_field="sig_extra")
    response = _upload(client, agreement_id, extra)
    assert response.status_code == 422 and "表单域被增加或删除" in response.get_data(as_text=True)

    other_field = _external_sign(signer_app, current, "sig_school_party_head", own)
    response = _upload(client, agreement_id, other_field)
    assert response.status_code == 422 and "签署了不应签署的签名域" in response.get_data(as_text=True)

    # A library's own text ("Illegal PDF header") never reaches the page: its category does.
    garbage = _upload(client, agreement_id, b"this is not a PDF at all")
    body = garbage.get_data(as_text=True)
    assert garbage.status_code == 422 and "文件开头不是 PDF 文件头" in body and "Illegal PDF header" not in body
    client.get(f"/sign/{agreement_id}?lang=en")
    english = _upload(client, agreement_id, good[:middle] + bytes([good[middle] ^ 0x01]) + good[middle + 1 :])
    assert english.status_code == 422 and "the file does not start with the last accepted revision" in english.get_data(
        as_text=True
    )

    assert _rejections(signer_app) == 6
    from responsibility.extensions import db

    with signer_app.app_context():
        assert len(db.session.get(Agreement, agreement_id).revisions) == 2


def test_an_upload_naming_another_signing_certificate_is_refused_not_a_crash(
    signer_app, login, issued, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """A CMS whose signing-certificate attribute does not match its certificate (pyHanko raises on
    reading that signer) is a 422 with the gate's reason, never a 500."""
    from dataclasses import replace

    from cryptography import x509

    from responsibility.signing import (
        Appearance,
        KeySigner,
        certificate_signer,
        finish_signature,
        prepare_signature,
        sign_attributes,
    )
    from responsibility.signing.context import build_validation_context

    agreement_id, ids = issued
    client = login(ids["principal"])
    current = client.get(f"/sign/{agreement_id}/pdf").data
    key_file, cert_file, chain_files, crls = _export(signer_app, ids["principal"], tmp_path)
    certificate = x509.load_pem_x509_certificate(cert_file.read_bytes())
    chain = [x509.load_pem_x509_certificate(p.read_bytes()) for p in chain_files]
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    pki = load_instance_pki(signer_app.instance_path, signer_app.config)
    public = certificate_signer(certificate, chain)
    from responsibility.instance import instance_of

    font = instance_of(signer_app).font
    prepared = prepare_signature(
        current, field="sig_school_principal", signer=public, timestamper=LocalTimeStamper(pki),
        validation_context=build_validation_context([pki.root_certificate], crls),
        appearance=Appearance(name="王校长", posts=("校长",), organisation="学校", font=font),
        reason="同意并签署本责任书", location="外部签名工具",
    )  # fmt: skip
    forged = replace(prepared, signed_attributes=prepared.signed_attributes[:-1] + b"\x00")
    value = sign_attributes(KeySigner(certificate, key, chain), forged.signed_attributes)  # type: ignore[arg-type]
    candidate = finish_signature(forged, signer=public, signature=value, timestamper=LocalTimeStamper(pki))
    response = _upload(client, agreement_id, candidate)
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    assert _rejections(signer_app) == 1
