"""A real agreement signed in the project's order by a test PKI, once per session (no app, no DB)."""

from __future__ import annotations

import pytest
from fixtures.signed_agreement import SignedAgreement, build_signed_agreement


@pytest.fixture(scope="session")
def signed(tmp_path_factory: pytest.TempPathFactory) -> SignedAgreement:
    return build_signed_agreement(tmp_path_factory.mktemp("verify-unit-pki"))
