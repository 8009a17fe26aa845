"""``verify_pdf`` on the project's own signed agreement (no app, no database): the worker and
in-process paths agree, limits hold (size, time), revocation is judged at the time of signing,
and every attack built in ``fixtures.verify_attacks`` gets its verdict from the rules alone."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime, timedelta

import pytest
from fixtures.pki import current_crls
from fixtures.signed_agreement import SignedAgreement
from fixtures.verify_attacks import build_attacks
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer

from responsibility.pdf.postprocess import MATRIX_FILE_NAME as RENDERED_MATRIX_NAME
from responsibility.verify import InMemoryRegistry, Limits, TrustConfig, verify_pdf
from responsibility.verify.inspect import MATRIX_FILE_NAME

IN_PROCESS = Limits(isolate=False)


def _trust(signed: SignedAgreement, crls: list[bytes] | None = None) -> TrustConfig:
    return TrustConfig.build([signed.kit.pki.root_certificate], crls if crls is not None else signed.kit.crls)


def test_the_matrix_attachment_name_is_the_renderers() -> None:
    assert MATRIX_FILE_NAME == RENDERED_MATRIX_NAME


def test_complete_registered_agreement_is_valid_in_a_worker_and_in_process(signed: SignedAgreement) -> None:
    isolated = verify_pdf(signed.final, trust=_trust(signed), registry=signed.registry(), limits=Limits())
    local = verify_pdf(signed.final, trust=_trust(signed), registry=signed.registry(), limits=IN_PROCESS)
    assert isolated == local
    assert isolated.verdict == "valid", isolated.reasons
    assert isolated.document.document_number == signed.document_number
    assert len(isolated.signatures) == 6 and all(s.valid and s.intact and s.trusted for s in isolated.signatures)
    approvals = [s for s in isolated.signatures if s.kind == "signature"]
    assert all(s.timestamp_trusted and s.signed_at is not None for s in approvals)
    assert {s.signer.name for s in approvals} == {p.name for p in signed.signers.values()}
    assert [s.post for s in approvals] == ["单位印章", "党建指导员", "园长", "党组书记", "局长"]


@pytest.fixture(scope="module")
def attacks(signed: SignedAgreement):  # type: ignore[no-untyped-def]
    return build_attacks(signed)


def test_rules_alone_catch_every_attack_without_the_registry(signed: SignedAgreement, attacks) -> None:  # type: ignore[no-untyped-def]
    for attack in attacks:
        report = verify_pdf(attack.data, trust=_trust(signed), registry=None, limits=IN_PROCESS)
        if attack.verdict in ("valid", "incomplete"):
            # Without the registry a genuine file is at best incomplete, never valid.
            assert report.verdict == "incomplete", (attack.name, report.reasons)
            continue
        assert report.verdict == attack.verdict, (attack.name, report.reasons)
        assert attack.codes & report.codes, (attack.name, report.codes)


def test_time_limit_turns_a_long_analysis_into_unreadable(signed: SignedAgreement) -> None:
    report = verify_pdf(signed.final, trust=_trust(signed), registry=None, limits=Limits(time_limit=0.005))
    assert report.verdict == "unreadable" and report.codes == {"time_limit"}
    # The pool is still usable afterwards.
    again = verify_pdf(signed.final, trust=_trust(signed), registry=signed.registry(), limits=Limits())
    assert again.verdict == "valid"


def test_files_over_the_size_limit_are_refused_unread(signed: SignedAgreement) -> None:
    report = verify_pdf(signed.final, trust=_trust(signed), registry=None, limits=Limits(max_bytes=1000))
    assert report.verdict == "unreadable" and report.codes == {"too_large"}
    assert report.document.size == len(signed.final)


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.7\n%%EOF\n", bytes(range(256)) * 40])
def test_garbage_is_unreadable_or_invalid_never_an_exception(signed: SignedAgreement, data: bytes) -> None:
    report = verify_pdf(data, trust=_trust(signed), registry=signed.registry(), limits=Limits())
    assert report.verdict in ("unreadable", "invalid")


def test_encrypted_pdf_is_not_accepted(signed: SignedAgreement) -> None:
    fresh = copy_into_new_writer(PdfFileReader(io.BytesIO(signed.revisions[0])))
    fresh.encrypt("owner", "user")
    out = io.BytesIO()
    fresh.write(out)
    report = verify_pdf(out.getvalue(), trust=_trust(signed), registry=None, limits=Limits())
    assert report.verdict == "unreadable" and report.codes == {"encrypted"}


def _approval_times(signed: SignedAgreement) -> dict[str, datetime]:
    report = verify_pdf(signed.final, trust=_trust(signed), registry=None, limits=IN_PROCESS)
    return {s.field: s.signed_at for s in report.signatures if s.signed_at is not None}


def test_certificate_revoked_after_signing_leaves_the_signature_valid(signed: SignedAgreement) -> None:
    chief = signed.signers["sig_bureau_chief"]
    # A CRL keeps whole seconds: revoked in the second the fixture signed would read as before it.
    time.sleep(max(0.0, (_approval_times(signed)["sig_bureau_chief"] - datetime.now(UTC)).total_seconds() + 1.1))
    crls = current_crls(signed.kit.pki, [(chief.certificate.serial_number, datetime.now(UTC))])
    report = verify_pdf(signed.final, trust=_trust(signed, crls), registry=signed.registry(), limits=IN_PROCESS)
    assert report.verdict == "valid", report.reasons
    assert not any(s.revoked for s in report.signatures)


def test_certificate_revoked_before_signing_makes_it_invalid(signed: SignedAgreement) -> None:
    when = _approval_times(signed)["sig_bureau_chief"] - timedelta(seconds=1)
    chief = signed.signers["sig_bureau_chief"]
    crls = current_crls(signed.kit.pki, [(chief.certificate.serial_number, when)])
    report = verify_pdf(signed.final, trust=_trust(signed, crls), registry=signed.registry(), limits=IN_PROCESS)
    assert report.verdict == "invalid" and "revoked" in report.codes
    chief_report = next(s for s in report.signatures if s.field == "sig_bureau_chief")
    assert chief_report.revoked and not chief_report.valid


def test_without_our_root_nothing_is_trusted(signed: SignedAgreement) -> None:

    report = verify_pdf(signed.final, trust=TrustConfig.build([], []), registry=signed.registry(), limits=IN_PROCESS)
    assert report.verdict == "invalid" and "untrusted" in report.codes


def test_in_memory_registry_finds_by_number_or_by_hash(signed: SignedAgreement) -> None:
    registry = signed.registry()
    assert registry.lookup(document_number=signed.document_number, sha256="x") is not None
    from hashlib import sha256

    assert registry.lookup(document_number=None, sha256=sha256(signed.revisions[2]).hexdigest()) is not None
    assert registry.lookup(document_number="NOPE", sha256="0" * 64) is None
    assert isinstance(InMemoryRegistry(), InMemoryRegistry)
