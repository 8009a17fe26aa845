"""The county's RFC 3161 time-stamping authority, on bytes, and the timestamper adapters for signing.

:func:`respond` turns a DER ``TimeStampReq`` into a DER ``TimeStampResp``; it never raises, a bad
request gets a ``rejection`` response (it will be served at ``POST /tsa``). Signing talks to a TSA
through a pyHanko ``TimeStamper``: :class:`LocalTimeStamper` calls :func:`respond` in-process (no
HTTP), :class:`ExternalTimeStamper` posts to a configured URL. Both are fail-closed: any failure
raises :class:`TimestampUnavailable`, never a timestamp from the local clock.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper

from responsibility.pki.ca import Pki
from responsibility.pki.errors import TimestampUnavailable

__all__ = ["DEFAULT_TSA_POLICY", "ExternalTimeStamper", "LocalTimeStamper", "TimeStampResponse", "respond"]

log = logging.getLogger(__name__)

#: This TSA's policy OID, under the UUID arc 2.25 (RFC 4122 / ITU-T X.667), which needs no registration.
DEFAULT_TSA_POLICY = "2.25.173942865432905784339204187218063190381"
_DIGESTS = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}


class TimeStampResponse(core.Sequence):
    """RFC 3161 ``TimeStampResp`` with the token optional, as the RFC has it (asn1crypto's
    ``tsp.TimeStampResp`` requires the token, so it cannot read or write a rejection)."""

    _fields = [("status", tsp.PKIStatusInfo), ("time_stamp_token", cms.ContentInfo, {"optional": True})]


def _rejection(fail_info: str, text: str) -> bytes:
    status = tsp.PKIStatusInfo(
        {
            "status": tsp.PKIStatus("rejection"),
            "status_string": tsp.PKIFreeText([text]),
            "fail_info": tsp.PKIFailureInfo({fail_info}),
        }
    )
    return TimeStampResponse({"status": status}).dump()


def _check_request(request_der: bytes, policy_oid: str) -> tuple[tsp.TimeStampReq, str] | bytes:
    """The parsed request and its digest algorithm, or a ready rejection response."""
    try:
        req = tsp.TimeStampReq.load(request_der, strict=True)
        req.native  # noqa: B018 -- forces a full parse, so malformed inner fields fail here
    except Exception:  # asn1crypto raises ValueError, TypeError, OverflowError …
        return _rejection("bad_data_format", "the request is not a DER TimeStampReq")
    if req["version"].native not in ("v1", 1):
        return _rejection("bad_request", "unsupported request version")
    imprint = req["message_imprint"]
    md_algorithm = imprint["hash_algorithm"]["algorithm"].native
    if md_algorithm not in _DIGESTS:
        return _rejection("bad_alg", f"unsupported hash algorithm {md_algorithm}")
    if len(imprint["hashed_message"].native) != _DIGESTS[md_algorithm]().digest_size:
        return _rejection("bad_data_format", "the message imprint has the wrong length")
    requested_policy = req["req_policy"].dotted if req["req_policy"].native is not None else None
    if requested_policy not in (None, policy_oid):
        return _rejection("unaccepted_policy", "this TSA issues timestamps under one policy only")
    if req["extensions"].native:
        return _rejection("unaccepted_extensions", "request extensions are not supported")
    return req, md_algorithm


@dataclass(frozen=True)
class _TsaParts:
    """DER of the parts of every token that depend only on the TSA certificate, encoded once:
    asn1crypto re-encodes certificate names on every use, which cost most of a token's time."""

    certificate: bytes
    tsa_name: bytes
    signer_id: bytes
    signing_certificate_attr: bytes


_parts_cache: dict[bytes, _TsaParts] = {}


def _parts(pki: Pki) -> _TsaParts:
    der = pki.tsa_certificate.public_bytes(serialization.Encoding.DER)
    cached = _parts_cache.get(der)
    if cached is None:
        cert = asn1_x509.Certificate.load(der)
        sid = {"issuer_and_serial_number": {"issuer": cert.issuer, "serial_number": cert.serial_number}}
        cached = _TsaParts(
            certificate=der,
            tsa_name=asn1_x509.GeneralName(name="directory_name", value=cert.subject).dump(),
            signer_id=cms.SignerIdentifier(sid).dump(),
            signing_certificate_attr=simple_cms_attribute(
                "signing_certificate_v2", as_signing_certificate_v2(cert)
            ).dump(),
        )
        _parts_cache[der] = cached
    return cached


def _token(pki: Pki, req: tsp.TimeStampReq, now: datetime, policy_oid: str) -> cms.ContentInfo:
    parts = _parts(pki)
    gen_time = now.astimezone(UTC)
    tst_info = {
        "version": "v1",
        "policy": policy_oid,
        "message_imprint": req["message_imprint"],
        # 127 random bits: unique without shared state between processes.
        "serial_number": int.from_bytes(os.urandom(16), "big") >> 1,
        "gen_time": core.GeneralizedTime(gen_time),
        "accuracy": {"seconds": 1},
        "tsa": asn1_x509.GeneralName.load(parts.tsa_name),
    }
    if req["nonce"].native is not None:
        tst_info["nonce"] = req["nonce"]
    tst_info_der = tsp.TSTInfo(tst_info).dump()
    signed_attrs = cms.CMSAttributes(
        [
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(gen_time)})),
            cms.CMSAttribute.load(parts.signing_certificate_attr),
            simple_cms_attribute("message_digest", hashlib.sha256(tst_info_der).digest()),
        ]
    )
    signature = pki.tsa_key.sign(signed_attrs.dump(), padding.PKCS1v15(), hashes.SHA256())
    digest_algorithm = algos.DigestAlgorithm({"algorithm": "sha256"})
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier.load(parts.signer_id),
            "digest_algorithm": digest_algorithm,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"}),
            "signed_attrs": signed_attrs,
            "signature": signature,
        }
    )
    signed_data = {
        "version": "v3",
        "digest_algorithms": [digest_algorithm],
        "encap_content_info": {"content_type": "tst_info", "content": cms.ParsableOctetString(tst_info_der)},
        "signer_infos": [signer_info],
    }
    if req["cert_req"].native:
        signed_data["certificates"] = [asn1_x509.Certificate.load(parts.certificate)]
    return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed_data)})


def respond(pki: Pki, request_der: bytes, *, now: datetime, policy_oid: str = DEFAULT_TSA_POLICY) -> bytes:
    """Answer one RFC 3161 request: a granted ``TimeStampResp`` signed by the TSA key, nonce echoed,
    a fresh serial number, ``now`` as the time; a malformed or unsupported request gets a
    ``rejection`` response with the matching failInfo. Never raises."""
    try:
        checked = _check_request(request_der, policy_oid)
        if isinstance(checked, bytes):
            return checked
        req, _md_algorithm = checked
        token = _token(pki, req, now, policy_oid)
        status = tsp.PKIStatusInfo({"status": tsp.PKIStatus("granted")})
        return tsp.TimeStampResp({"status": status, "time_stamp_token": token}).dump()
    except Exception:
        log.exception("TSA failed to answer a request")
        return _rejection("system_failure", "the time-stamping authority failed")


class _FailClosed(TimeStamper):
    """Turns every failure of a timestamp request into :class:`TimestampUnavailable`."""

    async def async_timestamp(self, message_digest, md_algorithm):  # type: ignore[no-untyped-def]
        try:
            return await super().async_timestamp(message_digest, md_algorithm)
        except TimestampUnavailable:
            raise
        except Exception as exc:
            raise TimestampUnavailable(f"the time-stamping authority gave no timestamp: {exc}") from exc


class LocalTimeStamper(_FailClosed):
    """The app's own TSA called in-process. Keep one instance per process: pyHanko caches the TSA's
    certificate path on it."""

    def __init__(
        self,
        pki: Pki,
        *,
        clock: Callable[[], datetime] | None = None,
        policy_oid: str = DEFAULT_TSA_POLICY,
    ) -> None:
        super().__init__(include_nonce=True)
        self.pki = pki
        self.clock = clock or (lambda: datetime.now(UTC))
        self.policy_oid = policy_oid

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        der = respond(self.pki, req.dump(), now=self.clock(), policy_oid=self.policy_oid)
        status = TimeStampResponse.load(der)["status"]
        if status["status"].native != "granted":
            reasons = "; ".join(status["status_string"].native or [])
            raise TimestampUnavailable(f"the time-stamping authority refused the request: {reasons}")
        return tsp.TimeStampResp.load(der)


class ExternalTimeStamper(_FailClosed, HTTPTimeStamper):
    """An external RFC 3161 TSA over HTTP(S) (``pyhanko.sign.timestamps.HTTPTimeStamper``)."""

    def __init__(self, url: str, *, timeout: float = 10, https: bool = False) -> None:
        HTTPTimeStamper.__init__(self, url, https=https, timeout=timeout)
