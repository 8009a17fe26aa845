"""The TSA responder behind HTTP (as ``POST /tsa`` will serve it) and the external-TSA adapter."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fixtures.pki import SCHOOL_FIELDS, Kit, do_sign

from responsibility.pki import ExternalTimeStamper, Pki, respond
from responsibility.verify import check_revision


def _handler(pki: Pki) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = respond(pki, body, now=datetime.now(UTC))
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def tsa_url(kit: Kit) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(kit.pki))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()


def test_signing_through_an_http_tsa(kit: Kit, certified_pdf: bytes, tsa_url: str) -> None:
    signed = do_sign(kit, certified_pdf, kit.principal, SCHOOL_FIELDS[1], timestamper=ExternalTimeStamper(tsa_url))
    report = check_revision(certified_pdf, signed, expected_fields=set(SCHOOL_FIELDS),
                            trust_roots=[kit.pki.root_certificate], crls=kit.crls,
                            signer_certificate=kit.principal.certificate)  # fmt: skip
    assert report.accepted, report.reasons
    assert report.signatures[-1].timestamp is not None
