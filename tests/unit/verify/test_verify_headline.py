"""The plain sentence of the public verifier: exactly one headline per report, every reason code in
exactly one group, no "signed" under a broken file, and certificate trust named by issuer."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from fixtures.signed_agreement import SignedAgreement

from responsibility.verify import Limits, TrustConfig, verify_pdf
from responsibility.verify.headline import (
    HEADLINES,
    INCOMPLETE_CODES,
    NOT_REGISTERED_CODES,
    TAMPERED_CODES,
    UNREADABLE_CODES,
    UNTRUSTED_CODES,
    certificate_trust,
    county_issuer_names,
    headline,
    required_status,
)
from responsibility.verify.reasons import MESSAGES, reason
from responsibility.verify.report import (
    INCOMPLETE,
    INVALID,
    UNREADABLE,
    VALID,
    CertificateInfo,
    DocumentReport,
    SignatureReport,
    VerificationReport,
)

GROUPS = (TAMPERED_CODES, UNTRUSTED_CODES, NOT_REGISTERED_CODES, INCOMPLETE_CODES, UNREADABLE_CODES)
IN_PROCESS = Limits(isolate=False)


def _report(verdict: str, *codes: str, signatures: tuple[SignatureReport, ...] = ()) -> VerificationReport:
    document = DocumentReport("00" * 32, 10, "N-1", registry_consulted=True)
    return VerificationReport(verdict, tuple(reason(c, field="f", detail="d") for c in codes), document, signatures)


def _sig(
    field: str = "sig_a", *, valid: bool = True, trusted: bool = True, issuer: str | None = "CA"
) -> SignatureReport:
    return SignatureReport(
        field=field, kind="signature", signer=CertificateInfo("某人", "CN=某人", "1", issuer, "ab"), post=None,
        signed_at=None, timestamp_trusted=True, intact=valid, trusted=trusted, revoked=False,
        modification_level=None, changed_fields=(), coverage=None, valid=valid,
    )  # fmt: skip


def test_every_reason_code_is_in_exactly_one_group() -> None:
    union = frozenset().union(*GROUPS)
    assert union == frozenset(MESSAGES)
    assert sum(len(g) for g in GROUPS) == len(union)


@pytest.mark.parametrize(
    ("verdict", "codes", "expected"),
    [
        (VALID, (), "valid"),
        (INCOMPLETE, ("missing_signatures",), "incomplete"),
        (INCOMPLETE, ("earlier_revision",), "incomplete"),
        (INCOMPLETE, ("registry_unavailable",), "incomplete"),
        (UNREADABLE, ("not_pdf",), "unreadable"),
        (INVALID, (), "not_registered"),
    ],
)
def test_each_verdict_has_one_headline(verdict: str, codes: tuple[str, ...], expected: str) -> None:
    assert headline(_report(verdict, *codes)) == expected


@pytest.mark.parametrize("code", sorted(TAMPERED_CODES))
def test_tampering_reasons_say_tampered_even_beside_registry_reasons(code: str) -> None:
    assert headline(_report(INVALID, "not_a_registered_revision", "untrusted", code)) == "tampered"


@pytest.mark.parametrize("code", sorted(UNTRUSTED_CODES))
def test_trust_reasons_say_untrusted(code: str) -> None:
    assert headline(_report(INVALID, "not_in_registry", code)) == "untrusted"


@pytest.mark.parametrize("code", sorted(NOT_REGISTERED_CODES))
def test_registry_reasons_say_not_registered(code: str) -> None:
    assert headline(_report(INVALID, code)) == "not_registered"


def test_headlines_are_the_named_set_and_an_unknown_verdict_is_a_bug() -> None:
    assert set(HEADLINES) == {"valid", "incomplete", "tampered", "untrusted", "not_registered", "unreadable"}
    with pytest.raises(ValueError, match="unknown verdict"):
        headline(_report("maybe"))


def test_no_signature_is_plainly_signed_under_a_broken_file() -> None:
    broken = _report(INVALID, "signature_broken", signatures=(_sig("sig_a"), _sig("sig_b", valid=False)))
    assert required_status(broken, "sig_a", True) == "unconfirmed"
    assert required_status(broken, "sig_b", True) == "broken"
    assert required_status(broken, "sig_c", False) == "missing"
    good = _report(VALID, signatures=(_sig("sig_a"),))
    assert required_status(good, "sig_a", True) == "signed"
    unfinished = _report(INCOMPLETE, "missing_signatures", signatures=(_sig("sig_a"),))
    assert required_status(unfinished, "sig_a", True) == "signed"
    assert required_status(unfinished, "sig_b", False) == "missing"


def test_certificate_trust_names_the_county_ca_or_not() -> None:
    county = frozenset({"CA"})
    assert certificate_trust(_sig(), county) == "county"
    assert certificate_trust(_sig(issuer="Other CA"), county) == "other"
    assert certificate_trust(_sig(trusted=False), county) == "county_untrusted"
    assert certificate_trust(_sig(trusted=False, issuer="Other CA"), county) == "foreign"
    assert certificate_trust(_sig(trusted=False, issuer=None), county) == "foreign"


def test_real_signatures_are_recognised_as_the_county_ca(signed: SignedAgreement) -> None:
    pki = signed.kit.pki
    names = county_issuer_names(c.public_bytes(Encoding.DER) for c in (pki.root_certificate, pki.issuing_certificate))
    trust = TrustConfig.build([pki.root_certificate], signed.kit.crls)
    report = verify_pdf(signed.final, trust=trust, registry=signed.registry(), limits=IN_PROCESS)
    assert headline(report) == "valid"
    assert {certificate_trust(s, names) for s in report.signatures} == {"county"}
    foreign = verify_pdf(signed.final, trust=TrustConfig.build([], []), registry=signed.registry(), limits=IN_PROCESS)
    assert headline(foreign) == "untrusted"
    assert {certificate_trust(s, names) for s in foreign.signatures} == {"county_untrusted"}
    assert {certificate_trust(s, frozenset()) for s in foreign.signatures} == {"foreign"}


def test_a_signature_whose_bytes_no_longer_match_is_tampering_whatever_its_code() -> None:
    report = _report(INVALID, "timestamp_invalid", signatures=(_sig(valid=False),))
    assert headline(report) == "tampered"
    assert headline(_report(INVALID, "timestamp_invalid", signatures=(_sig(),))) == "untrusted"


#: The headline each crafted attack of ``fixtures.verify_attacks`` must get.
ATTACK_HEADLINES = {
    "page_text_changed": "tampered",
    "annotation_overlay": "tampered",
    "new_text_field": "tampered",
    "flipped_byte": "tampered",
    "bytes_after_eof": "tampered",
    "edited_byterange": "tampered",
    "swapped_contents": "tampered",
    "added_page": "tampered",
    "metadata_only_update": "tampered",
    "truncated": "unreadable",
    "self_signed_lookalike": "untrusted",
    "extra_lookalike_signature": "tampered",
    "trusted_wrong_person": "untrusted",
    "signing_certificate_mismatch": "tampered",
    "earlier_revision": "incomplete",
    "final": "valid",
}


def test_each_crafted_attack_gets_its_plain_sentence(signed: SignedAgreement) -> None:
    from fixtures.verify_attacks import build_attacks

    trust = TrustConfig.build([signed.kit.pki.root_certificate], signed.kit.crls)
    seen = {}
    for attack in build_attacks(signed):
        report = verify_pdf(attack.data, trust=trust, registry=signed.registry(), limits=IN_PROCESS)
        seen[attack.name] = headline(report)
    assert seen == ATTACK_HEADLINES
    assert verify_pdf(signed.final, trust=trust, registry=None, limits=IN_PROCESS).verdict == INCOMPLETE
