"""The RFC 3161 responder on bytes and the fail-closed timestamper adapters."""

from __future__ import annotations

import asyncio
import hashlib
import socket
from datetime import UTC, datetime

import pytest
from asn1crypto import algos, cms, core, tsp
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from fixtures.pki import Kit
from hypothesis import given, settings
from hypothesis import strategies as st
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko.sign.validation.status import TimestampSignatureStatus

from responsibility.pki import DEFAULT_TSA_POLICY, LocalTimeStamper, TimestampUnavailable, respond
from responsibility.pki.tsa import ExternalTimeStamper, TimeStampResponse
from responsibility.signing import build_validation_context

NOW = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def _request(digest: bytes = hashlib.sha256(b"doc").digest(), md: str = "sha256", **extra: object) -> tsp.TimeStampReq:
    req = {
        "version": 1,
        "message_imprint": {"hash_algorithm": algos.DigestAlgorithm({"algorithm": md}), "hashed_message": digest},
        "nonce": 123456789,
        "cert_req": True,
    }
    req.update(extra)
    return tsp.TimeStampReq(req)


def _status(der: bytes) -> dict:
    return TimeStampResponse.load(der)["status"].native


def test_granted_response_is_signed_by_the_tsa_and_echoes_the_request(kit: Kit) -> None:
    digest = hashlib.sha256(b"agreement").digest()
    resp = tsp.TimeStampResp.load(respond(kit.pki, _request(digest).dump(), now=NOW))
    assert resp["status"]["status"].native == "granted"
    signed_data = resp["time_stamp_token"]["content"]
    info = signed_data["encap_content_info"]["content"].parsed.native
    assert info["nonce"] == 123456789
    assert info["message_imprint"]["hashed_message"] == digest
    assert info["gen_time"] == NOW
    assert info["policy"] == DEFAULT_TSA_POLICY
    signer = signed_data["signer_infos"][0]
    kit.pki.tsa_certificate.public_key().verify(  # type: ignore[call-arg]
        signer["signature"].native, signer["signed_attrs"].untag().dump(), padding.PKCS1v15(), hashes.SHA256()
    )
    context = build_validation_context([kit.pki.root_certificate], kit.crls)
    status = TimestampSignatureStatus(**asyncio.run(validate_tst_signed_data(signed_data, context, lambda _md: digest)))
    assert status.intact and status.valid and status.trusted


def test_serial_numbers_are_unique(kit: Kit) -> None:
    serials = set()
    for _ in range(20):
        der = respond(kit.pki, _request().dump(), now=NOW)
        serials.add(
            tsp.TimeStampResp.load(der)["time_stamp_token"]["content"]["encap_content_info"]["content"]
            .parsed["serial_number"]
            .native
        )
    assert len(serials) == 20


def test_policy_is_configurable(kit: Kit) -> None:
    der = respond(kit.pki, _request().dump(), now=NOW, policy_oid="1.2.3.4.5")
    token = tsp.TimeStampResp.load(der)["time_stamp_token"]
    assert token["content"]["encap_content_info"]["content"].parsed["policy"].dotted == "1.2.3.4.5"


@pytest.mark.parametrize(
    ("request_der", "fail_info"),
    [
        (b"not asn.1", "bad_data_format"),
        (_request(md="sha1", digest=hashlib.sha1(b"x").digest()).dump(), "bad_alg"),  # noqa: S324
        (_request(digest=b"short").dump(), "bad_data_format"),
        (_request(req_policy="1.2.3.4").dump(), "unaccepted_policy"),
        (core.Integer(5).dump(), "bad_data_format"),
    ],
)
def test_bad_requests_get_a_rejection(kit: Kit, request_der: bytes, fail_info: str) -> None:
    status = _status(respond(kit.pki, request_der, now=NOW))
    assert status["status"] == "rejection"
    assert status["fail_info"] == {fail_info}


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300))
def test_respond_never_raises(kit: Kit, data: bytes) -> None:
    assert _status(respond(kit.pki, data, now=NOW))["status"] in ("granted", "rejection")


def test_local_timestamper_gives_tokens_through_pyhanko(kit: Kit) -> None:
    stamper = LocalTimeStamper(kit.pki, clock=lambda: NOW)
    token = asyncio.run(stamper.async_timestamp(hashlib.sha256(b"x").digest(), "sha256"))
    assert isinstance(token, cms.ContentInfo)
    assert token["content"]["encap_content_info"]["content"].parsed["gen_time"].native == NOW


def test_local_timestamper_fails_closed_when_the_tsa_refuses(kit: Kit) -> None:
    stamper = LocalTimeStamper(kit.pki, policy_oid="not an oid")
    with pytest.raises(TimestampUnavailable):
        asyncio.run(stamper.async_timestamp(hashlib.sha256(b"x").digest(), "sha256"))


def test_local_timestamper_fails_closed_when_its_clock_fails(kit: Kit) -> None:
    def broken_clock() -> datetime:
        raise OSError("clock unavailable")

    with pytest.raises(TimestampUnavailable, match="clock unavailable"):
        asyncio.run(LocalTimeStamper(kit.pki, clock=broken_clock).async_timestamp(bytes(32), "sha256"))


def test_external_timestamper_fails_closed_when_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    stamper = ExternalTimeStamper(f"http://127.0.0.1:{port}/tsa", timeout=2)
    assert isinstance(stamper, TimeStamper)
    with pytest.raises(TimestampUnavailable):
        asyncio.run(stamper.async_timestamp(bytes(32), "sha256"))
