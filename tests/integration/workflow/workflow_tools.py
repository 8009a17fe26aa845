"""Compatibility name for the signing-workflow test helpers (the verify tests load this file);
the helpers live in ``tests/fixtures/signing_workflow.py``."""

from fixtures.signing_workflow import (
    ONE_HEAD,
    PIN,
    TODAY,
    TWO_HEADS,
    Signers,
    assert_all_valid_with_root_only,
    enrol_person,
    environment,
    holder,
    issue_schools,
    make_campaign,
    pdfsig_blocks,
    person,
    school,
    sign_as,
    signers_of,
    store_of,
)

__all__ = [
    "ONE_HEAD",
    "PIN",
    "TODAY",
    "TWO_HEADS",
    "Signers",
    "assert_all_valid_with_root_only",
    "enrol_person",
    "environment",
    "holder",
    "issue_schools",
    "make_campaign",
    "pdfsig_blocks",
    "person",
    "school",
    "sign_as",
    "signers_of",
    "store_of",
]
