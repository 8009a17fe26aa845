"""Public PKI endpoints, no login: the root certificate, the CRLs and the RFC 3161 TSA.

Readers and validators fetch these without a session, so they are CSRF-exempt and never render
HTML: a bad TSA request gets a 400 in plain text or an RFC 3161 rejection, never a 500.
"""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives import serialization
from flask import Response, abort, request

from ...extensions import csrf, db_session
from ...pki.ca import CA_NAMES, export_root_pem
from ...pki.registry import current_crl
from ...pki.tsa import respond
from .blueprint import bp
from .common import instance_pki

TSA_QUERY = "application/timestamp-query"
TSA_REPLY = "application/timestamp-reply"
#: A TimeStampReq is a few hundred bytes; anything near this is not one.
MAX_TSA_REQUEST = 16 * 1024
_CACHE = "public, max-age=3600"


@bp.route("/pki/root.pem")
def root_pem() -> Response:
    """The county root certificate (PEM), to install as a trusted root in PDF readers."""
    return Response(
        export_root_pem(instance_pki()),
        mimetype="application/x-pem-file",
        headers={"Content-Disposition": 'attachment; filename="county-root.pem"', "Cache-Control": _CACHE},
    )


@bp.route("/pki/root.crt")
def root_der() -> Response:
    """The same root as DER: Windows opens ``.crt`` files with its certificate import wizard."""
    der = instance_pki().root_certificate.public_bytes(serialization.Encoding.DER)
    return Response(
        der,
        mimetype="application/pkix-cert",
        headers={"Content-Disposition": 'attachment; filename="county-root.crt"', "Cache-Control": _CACHE},
    )


@bp.route("/pki/crl/<ca>.crl")
def crl(ca: str) -> Response:
    if ca not in CA_NAMES:
        abort(404)
    der = current_crl(db_session(), instance_pki(), ca)
    return Response(der, mimetype="application/pkix-crl", headers={"Cache-Control": "public, max-age=300"})


def _plain(status: int, text: str) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


@bp.route("/tsa", methods=["POST"])
@csrf.exempt
def tsa() -> Response:
    """RFC 3161 over HTTP (RFC 3161 §3.4): a DER TimeStampReq in, a DER TimeStampResp out."""
    if request.mimetype != TSA_QUERY:
        return _plain(400, f"expected Content-Type {TSA_QUERY}")
    if (request.content_length or 0) > MAX_TSA_REQUEST:
        return _plain(413, "time-stamp request too large")
    body = request.get_data(cache=False)
    if not body or len(body) > MAX_TSA_REQUEST:
        return _plain(400, "empty or oversized time-stamp request")
    reply = respond(instance_pki(), body, now=dt.datetime.now(dt.UTC))
    return Response(reply, mimetype=TSA_REPLY, headers={"Cache-Control": "no-store"})
