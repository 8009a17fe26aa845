"""Fuzzing the upload path: mutations of a valid signed PDF and random bytes through
``POST /api/verify`` — always a JSON verdict, never a 500, never a traceback."""

from __future__ import annotations

import io

import pytest
from fixtures.pki import do_certify, do_sign, make_agreement_pdf
from fixtures.signed_agreement import SignedAgreement
from fixtures.verify_doors import install
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

VERDICTS = {"valid", "incomplete", "invalid", "unreadable"}


@pytest.fixture(scope="module")
def small_signed(signed: SignedAgreement) -> bytes:
    """A small certified and once-signed document (fast to validate, so many cases fit)."""
    kit = signed.kit
    return do_sign(kit, do_certify(kit, make_agreement_pdf()), kit.principal, "school_principal")


@st.composite
def mutations(draw, base: bytes) -> bytes:  # type: ignore[no-untyped-def]
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        kind = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate", "overwrite"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 512))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "truncate":
            del data[at:]
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 2048))]
        else:
            chunk = draw(st.sampled_from([b"%%EOF", b"/ByteRange [0 1 2 3]", b"endobj", b"trailer <<>>", b"0 0 obj"]))
            data[at : at + len(chunk)] = chunk
    return bytes(data)


def _cases(base: bytes):  # type: ignore[no-untyped-def]
    return st.one_of(
        mutations(base),
        st.binary(max_size=4096),
        st.binary(max_size=2048).map(lambda b: b"%PDF-1.7\n" + b + b"\n%%EOF\n"),
    )


@pytest.fixture
def fuzz_app(app, signed: SignedAgreement):  # type: ignore[no-untyped-def]
    install(app, signed)
    return app


def test_fuzzed_uploads_always_get_a_json_verdict(fuzz_app, small_signed: bytes) -> None:  # type: ignore[no-untyped-def]
    client = fuzz_app.test_client()

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(_cases(small_signed))
    def check(data: bytes) -> None:
        response = client.post(
            "/api/verify", data={"file": (io.BytesIO(data), "fuzz.pdf")}, content_type="multipart/form-data"
        )
        assert response.status_code == 200, response.status_code
        body = response.get_data(as_text=True)
        assert "Traceback" not in body
        report = response.get_json()
        assert report["verdict"] in VERDICTS
        assert report["verdict"] != "valid"  # nothing here is a registered revision
        assert report["reasons"]

    check()
