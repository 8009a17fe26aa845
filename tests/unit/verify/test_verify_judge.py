"""The verdict rules of ``verify.judge`` on hand-made facts (no PDF, no pyHanko): registry match,
required signatures, who signed which field, which fields may change, and the JSON shape."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from responsibility.verify.facts import MatrixSigner, PdfFacts, SignatureFacts
from responsibility.verify.judge import judge
from responsibility.verify.reasons import MESSAGES, reason
from responsibility.verify.registry import ExpectedSignature, InMemoryRegistry, RegistryFacts

NUMBER = "LCJT-2025DC-SCH902"
FIELDS = (
    "sig_bureau_seal",
    "sig_school_party_head",
    "sig_school_principal",
    "sig_bureau_party_secretary",
    "sig_bureau_chief",
)
PERSONS = {"sig_bureau_seal": None, "sig_school_party_head": "P90008", "sig_school_principal": "P90007",
           "sig_bureau_party_secretary": "P00001", "sig_bureau_chief": "P00002"}  # fmt: skip


def _sig(
    field: str, revision: int, *, changed: tuple[str, ...] = (), person: str | None = None, **over
) -> SignatureFacts:  # type: ignore[no-untyped-def]
    values = dict(
        field=field, kind="signature", signed_revision=revision, signer_name="某人", subject="CN=某人",
        subject_serial_number=person if person is not None else PERSONS.get(field), serial="1", issuer="CA",
        fingerprint="ab", certificate=f"cert-{field}".encode(), signed_at=datetime(2025, 11, 16, tzinfo=UTC),
        timestamp_trusted=True, intact=True, valid=True, trusted=True, revoked=False,
        modification_level="FORM_FILLING", changed_fields=changed, coverage="ENTIRE_REVISION", reasons=(),
    )  # fmt: skip
    values.update(over)
    return SignatureFacts(**values)  # type: ignore[arg-type]


def _files(n: int) -> list[bytes]:
    """Byte strings where each extends the previous one, like incremental revisions."""
    out, data = [], b"%PDF-1.7 generated"
    for i in range(n):
        data += f"\n%% revision {i}".encode()
        out.append(data)
    return out


def _facts(data: bytes, signed: int, *, number: str | None = NUMBER, extra=()) -> PdfFacts:  # type: ignore[no-untyped-def]
    later = list(FIELDS)
    sigs = [_sig(f, i + 1, changed=tuple(later[i + 1 :])) for i, f in enumerate(FIELDS[:signed])]
    return PdfFacts(
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        document_number=number,
        matrix_signers=tuple(MatrixSigner(f, ("r",), PERSONS[f], None, None) for f in FIELDS),
        total_revisions=signed + 1,
        signatures=(*sigs, *extra),
    )


def _registry(files: list[bytes], *, state: str = "archived", pinned: bool = False) -> RegistryFacts:
    expected = tuple(
        ExpectedSignature(f, ("r",), PERSONS[f], f"name-{f}", f"post-{f}", (f"cert-{f}".encode(),) if pinned else ())
        for f in FIELDS
    )
    return RegistryFacts(NUMBER, state, InMemoryRegistry.revisions_of(files), expected)


FILES = _files(6)  # generated + 5 signatures


def test_latest_complete_revision_is_valid() -> None:
    report = judge(FILES[-1], _facts(FILES[-1], 5), _registry(FILES, pinned=True), registry_consulted=True)
    assert report.verdict == "valid", report.reasons
    assert report.label == "有效且完整" and report.exit_code == 0
    assert report.document.match == "latest" and report.document.revision == 6
    assert [s.post for s in report.signatures] == [f"post-{f}" for f in FIELDS]


def test_genuine_earlier_revision_is_incomplete_never_valid() -> None:
    report = judge(FILES[3], _facts(FILES[3], 3), _registry(FILES), registry_consulted=True)
    assert report.verdict == "incomplete" and report.exit_code == 1
    assert {"earlier_revision", "missing_signatures"} <= report.codes
    assert report.document.match == "earlier" and report.document.revision == 4
    assert [r.field for r in report.document.missing] == ["sig_bureau_party_secretary", "sig_bureau_chief"]


def test_latest_revision_still_missing_a_head_is_incomplete() -> None:
    files = FILES[:5]
    report = judge(files[-1], _facts(files[-1], 4), _registry(files, state="school_signed"), registry_consulted=True)
    assert report.verdict == "incomplete"
    assert report.codes == {"missing_signatures"}
    assert "sig_bureau_chief" in report.as_json()["document"]["missing_signatures"]


def test_file_extending_a_registered_revision_is_invalid() -> None:
    data = FILES[-1] + b"\n% an unregistered update"
    report = judge(data, _facts(data, 5), _registry(FILES), registry_consulted=True)
    assert report.verdict == "invalid" and "unregistered_update" in report.codes
    assert report.document.match == "extends"


def test_file_matching_no_registered_revision_is_invalid() -> None:
    data = b"%PDF-1.7 forged with the same number"
    report = judge(data, _facts(data, 5), _registry(FILES), registry_consulted=True)
    assert report.verdict == "invalid" and "not_a_registered_revision" in report.codes


@pytest.mark.parametrize("state", ["void", "superseded"])
def test_void_or_superseded_agreement_is_invalid(state: str) -> None:
    report = judge(FILES[-1], _facts(FILES[-1], 5), _registry(FILES, state=state), registry_consulted=True)
    assert report.verdict == "invalid" and "agreement_void" in report.codes


def test_without_registry_a_perfect_file_is_at_best_incomplete() -> None:
    report = judge(FILES[-1], _facts(FILES[-1], 5), None, registry_consulted=False)
    assert report.verdict == "incomplete" and report.codes == {"registry_unavailable"}
    assert report.document.required  # known from the embedded matrix


def test_number_unknown_to_a_consulted_registry_is_invalid() -> None:
    report = judge(FILES[-1], _facts(FILES[-1], 5), None, registry_consulted=True)
    assert report.verdict == "invalid" and "not_in_registry" in report.codes


def test_file_without_our_document_number_is_invalid() -> None:
    report = judge(FILES[-1], _facts(FILES[-1], 5, number=None), None, registry_consulted=False)
    assert report.verdict == "invalid" and "not_our_document" in report.codes


def test_one_bad_signature_makes_the_document_invalid() -> None:
    facts = _facts(
        FILES[-1],
        4,
        extra=(_sig("sig_bureau_chief", 5, valid=False, reasons=(reason("untrusted", field="sig_bureau_chief"),)),),
    )
    report = judge(FILES[-1], facts, _registry(FILES), registry_consulted=True)
    assert report.verdict == "invalid" and "untrusted" in report.codes
    assert [s.valid for s in report.signatures] == [True, True, True, True, False]


def test_signer_must_be_the_registered_person_and_certificate() -> None:
    facts = _facts(FILES[-1], 4, extra=(_sig("sig_bureau_chief", 5, person="P09999", certificate=b"other"),))
    report = judge(FILES[-1], facts, _registry(FILES, pinned=True), registry_consulted=True)
    assert report.verdict == "invalid"
    assert {"wrong_signer", "certificate_not_pinned"} <= report.codes
    assert not report.signatures[-1].valid


def test_changed_fields_must_be_expected_signature_fields() -> None:
    facts = _facts(FILES[-1], 4, extra=(_sig("sig_bureau_chief", 5, changed=("injected_note",)),))
    report = judge(FILES[-1], facts, _registry(FILES), registry_consulted=True)
    assert report.verdict == "invalid" and "unexpected_field_change" in report.codes


def test_signature_in_a_field_nobody_expects_is_invalid() -> None:
    facts = _facts(FILES[-1], 5, extra=(_sig("extra_signature", 6, person="P00002"),))
    report = judge(FILES[-1], facts, _registry(FILES), registry_consulted=True)
    assert "unexpected_signature" in report.codes


def test_structural_reasons_of_the_file_make_it_invalid() -> None:
    facts = _facts(FILES[-1], 5)
    facts = PdfFacts(**{**facts.__dict__, "reasons": (reason("unsigned_revision"),)})
    report = judge(FILES[-1], facts, _registry(FILES), registry_consulted=True)
    assert report.verdict == "invalid" and report.codes == {"unsigned_revision"}


def test_unreadable_facts_give_unreadable_with_exit_code_2() -> None:
    facts = PdfFacts(sha256="0", size=3, unreadable=reason("encrypted"))
    report = judge(b"abc", facts, None, registry_consulted=True)
    assert report.verdict == "unreadable" and report.exit_code == 2 and report.codes == {"encrypted"}
    assert report.label == "无法读取"


def test_json_has_exactly_the_documented_keys() -> None:
    report = judge(FILES[-1], _facts(FILES[-1], 5), _registry(FILES), registry_consulted=True)
    data = report.as_json()
    assert set(data) == {"verdict", "reasons", "document", "signatures", "from_registry_cache"}
    assert data["from_registry_cache"] is False  # a fresh analysis
    assert set(data["signatures"][0]) == {
        "field", "signer", "post", "signed_at", "timestamp_trusted", "intact", "trusted", "revoked",
        "modification_level", "changed_fields", "valid",
    }  # fmt: skip
    assert data["signatures"][0]["signed_at"] == "2025-11-16T00:00:00+00:00"
    assert data["document"]["registry"]["match"] == "latest"


def test_every_reason_code_has_a_chinese_message() -> None:
    for code in MESSAGES:
        message = reason(code, field="f", detail="d").message
        assert message and "{" not in message
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), code
