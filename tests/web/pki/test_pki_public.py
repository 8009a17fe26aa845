"""Public PKI endpoints: root certificate, CRLs, and the RFC 3161 TSA at POST /tsa."""

from __future__ import annotations

import hashlib
import os

from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from responsibility.pki import export_root_pem
from responsibility.pki.instance import load_instance_pki
from responsibility.pki.tsa import TimeStampResponse

TSQ = "application/timestamp-query"


def _pki(app):  # type: ignore[no-untyped-def]
    return load_instance_pki(app.instance_path, app.config)


def _request(nonce: int) -> bytes:
    return tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": hashlib.sha256(b"agreement").digest(),
            },
            "nonce": nonce,
            "cert_req": True,
        }
    ).dump()


def test_root_certificate_downloads(pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    client = pki_demo_app.test_client()
    pem = client.get("/pki/root.pem")
    assert pem.status_code == 200 and pem.mimetype == "application/x-pem-file"
    assert pem.data == export_root_pem(_pki(pki_demo_app))
    der = client.get("/pki/root.crt")
    assert der.mimetype == "application/pkix-cert"
    assert der.data == _pki(pki_demo_app).root_certificate.public_bytes(serialization.Encoding.DER)


def test_crls_are_served_and_signed_by_their_ca(pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    client, pki = pki_demo_app.test_client(), _pki(pki_demo_app)
    for ca in ("root", "issuing"):
        response = client.get(f"/pki/crl/{ca}.crl")
        assert response.status_code == 200 and response.mimetype == "application/pkix-crl"
        crl = x509.load_der_x509_crl(response.data)
        assert crl.is_signature_valid(pki.ca_certificate(ca).public_key())  # type: ignore[arg-type]
    assert client.get("/pki/crl/tsa.crl").status_code == 404
    assert client.get("/pki/crl/..%2Fsecret.crl").status_code == 404


def test_tsa_grants_a_timestamp(pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    nonce = int.from_bytes(os.urandom(8), "big")
    response = pki_demo_app.test_client().post("/tsa", data=_request(nonce), content_type=TSQ)
    assert response.status_code == 200 and response.mimetype == "application/timestamp-reply"
    reply = tsp.TimeStampResp.load(response.data)
    assert reply["status"]["status"].native == "granted"
    tst_info = reply["time_stamp_token"]["content"]["encap_content_info"]["content"].parsed
    assert tst_info["nonce"].native == nonce
    assert tst_info["message_imprint"]["hashed_message"].native == hashlib.sha256(b"agreement").digest()
    signer_cert = reply["time_stamp_token"]["content"]["certificates"][0].chosen
    assert signer_cert.dump() == _pki(pki_demo_app).tsa_certificate.public_bytes(serialization.Encoding.DER)


def test_tsa_refuses_bad_requests_without_a_500(pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    client = pki_demo_app.test_client()
    wrong_type = client.post("/tsa", data=_request(1), content_type="application/octet-stream")
    assert wrong_type.status_code == 400 and wrong_type.mimetype == "text/plain"
    assert client.post("/tsa", data=b"", content_type=TSQ).status_code == 400
    assert client.post("/tsa", data=b"x" * (20 * 1024), content_type=TSQ).status_code in (400, 413)
    assert client.get("/tsa").status_code == 405
    garbage = client.post("/tsa", data=b"\x30\x03garbage", content_type=TSQ)
    assert garbage.status_code == 200
    assert TimeStampResponse.load(garbage.data)["status"]["status"].native == "rejection"


def test_tsa_is_csrf_exempt(pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    pki_demo_app.config["WTF_CSRF_ENABLED"] = True
    response = pki_demo_app.test_client().post("/tsa", data=_request(7), content_type=TSQ)
    assert response.status_code == 200
    assert tsp.TimeStampResp.load(response.data)["status"]["status"].native == "granted"


def test_without_a_pki_the_endpoints_answer_503(demo_app) -> None:  # type: ignore[no-untyped-def]
    client = demo_app.test_client()
    assert client.get("/pki/root.pem").status_code == 503
    assert client.post("/tsa", data=_request(1), content_type=TSQ).status_code == 503
