"""Each domain package's ``errors.py``: its own errors are subclasses of the project's bases (so
the web and CLI map them as before), and the bases it re-exports are the very same classes."""

from __future__ import annotations

import importlib

import pytest

from responsibility import errors as base
from responsibility.chain.errors import UnknownGapCheck
from responsibility.chain.gaps.report import parse_checks
from responsibility.verify.acceptance import AcceptanceReport
from responsibility.verify.errors import RevisionRejected

PACKAGES = ["org", "accounts", "agreements", "pdf", "pki", "signing", "verify", "chain", "audit", "evidence", "jobs"]
BASES = {
    name: getattr(base, name)
    for name in ("DomainError", "BadInput", "NotFound", "Forbidden", "InvalidState", "SignatureRejected")
}


@pytest.mark.parametrize("package", PACKAGES)
def test_every_exported_error_is_a_domain_error_and_bases_are_re_exported_unchanged(package):
    module = importlib.import_module(f"responsibility.{package}.errors")
    assert module.__all__, package
    for name in module.__all__:
        exported = getattr(module, name)
        assert issubclass(exported, base.DomainError), name
        if name in BASES:
            assert exported is BASES[name], name


def test_an_unknown_gap_check_is_a_bad_input_with_the_same_message():
    with pytest.raises(UnknownGapCheck, match="unknown gap check Z9") as caught:
        parse_checks(["g1,z9"])
    assert isinstance(caught.value, base.BadInput)
    assert caught.value.http_status == 400


def test_a_rejected_revision_carries_every_reason_and_is_a_signature_rejected():
    report = AcceptanceReport(reasons=("a field was changed", "the signer is not expected"))
    with pytest.raises(base.SignatureRejected) as caught:
        report.raise_if_rejected()
    assert isinstance(caught.value, RevisionRejected)
    assert caught.value.reasons == report.reasons
    assert str(caught.value) == "a field was changed; the signer is not expected"
    assert caught.value.http_status == 422
