"""Session PKI and signing kit from ``tests/fixtures/pki.py``; a certified agreement."""

from __future__ import annotations

import pytest
from fixtures.pki import Kit, do_certify, make_agreement_pdf


@pytest.fixture(scope="session")
def blank_pdf() -> bytes:
    return make_agreement_pdf()


@pytest.fixture(scope="session")
def certified_pdf(kit: Kit, blank_pdf: bytes) -> bytes:
    return do_certify(kit, blank_pdf)
