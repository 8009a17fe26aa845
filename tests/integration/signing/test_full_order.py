"""The whole order on one agreement: certify → school (either order) → bureau → document timestamp.

Each new revision passes the acceptance gate; the final file is checked with pyHanko trusting only
the county root and using only the revocation data embedded in the file, and with poppler's pdfsig
against an NSS database that trusts the root.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from fixtures.pki import BUREAU_FIELDS, DOC_TS, SCHOOL_FIELDS, SEAL, Kit, do_sign
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.status import SignatureCoverageLevel

from responsibility.pki import export_root_pem
from responsibility.signing import add_document_timestamp
from responsibility.verify import check_revision


def _accept(kit: Kit, previous: bytes, candidate: bytes, expected: set[str], person) -> None:  # type: ignore[no-untyped-def]
    report = check_revision(
        previous,
        candidate,
        expected_fields=expected,
        trust_roots=[kit.pki.root_certificate],
        crls=kit.crls,
        signer_certificate=None if person is None else person.certificate,
    )
    assert report.accepted, report.reasons
    assert report.new_fields <= expected and len(report.new_fields) == 1
    assert all(check.ok for check in report.signatures)


def _full_order(kit: Kit, blank: bytes, certified: bytes, school_order: tuple[str, str]) -> bytes:
    _accept(kit, blank, certified, {SEAL}, kit.seal)
    people = {"school_party_head": kit.party_head, "school_principal": kit.principal,
              "bureau_party_secretary": kit.party_secretary, "bureau_chief": kit.chief}  # fmt: skip
    pdf = certified
    for step in (school_order, BUREAU_FIELDS):
        waiting = set(step)
        for field in step:
            signed = do_sign(kit, pdf, people[field], field)
            _accept(kit, pdf, signed, waiting, people[field])
            waiting.discard(field)
            pdf = signed
    final = add_document_timestamp(pdf, timestamper=kit.timestamper, validation_context=kit.context(), field=DOC_TS)
    _accept(kit, pdf, final, {DOC_TS}, None)
    return final


@pytest.fixture(scope="module", params=[SCHOOL_FIELDS, SCHOOL_FIELDS[::-1]], ids=["head-first", "principal-first"])
def final_pdf(request: pytest.FixtureRequest, kit: Kit, blank_pdf: bytes, certified_pdf: bytes) -> bytes:
    return _full_order(kit, blank_pdf, certified_pdf, request.param)


def test_every_signature_is_valid_with_only_the_root_and_embedded_revocation_data(kit: Kit, final_pdf: bytes) -> None:
    reader = PdfFileReader(io.BytesIO(final_pdf))
    root = asn1_x509.Certificate.load(kit.pki.root_certificate.public_bytes(serialization.Encoding.DER))
    dss = DocumentSecurityStore.read_dss(reader)
    assert len(dss.crls) >= 2  # root and issuing CA
    kinds = []
    for sig in reader.embedded_signatures:
        # Nothing but the root and what the file itself embeds; revocation data required, no fetching.
        context = dss.as_validation_context(
            {"trust_roots": [root], "allow_fetching": False, "revocation_mode": "require"}
        )
        if sig.sig_object_type == "/DocTimeStamp":
            ts = validate_pdf_timestamp(sig, validation_context=context)
            assert ts.intact and ts.valid and ts.trusted
            assert ts.coverage == SignatureCoverageLevel.ENTIRE_FILE
            kinds.append("timestamp")
            continue
        status = validate_pdf_signature(sig, context)
        assert status.bottom_line, status.summary()
        assert status.intact and status.valid and status.trusted
        assert status.docmdp_ok
        assert status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
        assert status.timestamp_validity is not None and status.timestamp_validity.trusted
        assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
        assert sig.sig_object["/Reason"] and sig.sig_object["/Location"]
        kinds.append(sig.field_name)
    assert kinds == [SEAL, *kinds[1:3], *BUREAU_FIELDS, "timestamp"]
    assert set(kinds[1:3]) == set(SCHOOL_FIELDS)
    assert reader.embedded_signatures[0].sig_object.get("/Reference")  # DocMDP certification


def test_without_the_root_nothing_is_trusted(final_pdf: bytes) -> None:
    reader = PdfFileReader(io.BytesIO(final_pdf))
    dss = DocumentSecurityStore.read_dss(reader)
    context = dss.as_validation_context({"trust_roots": [], "allow_fetching": False, "revocation_mode": "require"})
    assert not validate_pdf_signature(reader.embedded_signatures[1], context).bottom_line


def test_every_revision_is_an_incremental_update(kit: Kit, certified_pdf: bytes, final_pdf: bytes) -> None:
    assert final_pdf.startswith(certified_pdf)
    assert final_pdf.rstrip().endswith(b"%%EOF")


@pytest.mark.skipif(not (shutil.which("pdfsig") and shutil.which("certutil")), reason="poppler-utils/NSS tools absent")
def test_pdfsig_with_nss_trusting_the_root(kit: Kit, final_pdf: bytes, tmp_path: Path) -> None:
    nss, root_pem, pdf = tmp_path / "nss", tmp_path / "root.pem", tmp_path / "agreement.pdf"
    nss.mkdir()
    root_pem.write_bytes(export_root_pem(kit.pki))
    pdf.write_bytes(final_pdf)
    subprocess.run(["certutil", "-N", "--empty-password", "-d", f"sql:{nss}"], check=True)
    subprocess.run(
        ["certutil", "-A", "-n", "root", "-t", "CT,C,C", "-i", str(root_pem), "-d", f"sql:{nss}"], check=True
    )
    out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True).stdout
    blocks = [block for block in re.split(r"Signature #\d+:", out)[1:] if "ETSI.CAdES.detached" in block]
    # poppler cannot validate RFC 3161 document timestamps (it prints "unknown"); the five signatures:
    assert len(blocks) == 5, out
    for block in blocks:
        assert "Signature Validation: Signature is Valid." in block, block
        assert "Certificate Validation: Certificate is Trusted." in block, block
