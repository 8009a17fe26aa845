"""Signing through an external TSA over HTTP — the app's own ``/tsa`` served on a localhost port —
and failing closed (TimestampUnavailable, never the local clock) when the TSA is unreachable."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from fixtures.pki import LOCATION, REASON, SCHOOL_FIELDS, make_agreement_pdf
from werkzeug.serving import make_server

from responsibility.jobs.transactions import unlock_and_commit
from responsibility.pki import ExternalTimeStamper, TimestampUnavailable
from responsibility.pki.enrolment import enrol
from responsibility.pki.instance import timestamper_for
from responsibility.pki.registry import current_crls
from responsibility.signing import Appearance, KeySigner, build_validation_context, load_stamp_font, sign
from responsibility.verify.acceptance import check_revision

PIN = "739184"
PRINCIPAL = SCHOOL_FIELDS[1]
FONT = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"


@pytest.fixture
def served(pki_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app on a free localhost port; yields its base URL."""
    server = make_server("127.0.0.1", 0, pki_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="tsa-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sign_as_principal(session, pki, person, timestamper) -> tuple[bytes, bytes, object]:  # type: ignore[no-untyped-def]
    crls = current_crls(session, pki)
    unlocked = unlock_and_commit(session, person, PIN, pki=pki)
    blank = make_agreement_pdf()
    key, certificate, chain = unlocked
    signed = sign(
        blank,
        field=PRINCIPAL,
        signer=KeySigner(certificate, key, chain),
        timestamper=timestamper,
        validation_context=build_validation_context([pki.root_certificate], crls),
        appearance=Appearance(
            name=person.name, posts=("校长",), organisation="测试县第一中学", font=load_stamp_font(FONT)
        ),
        reason=REASON,
        location=LOCATION,
    )
    return blank, signed, unlocked


def test_signing_with_the_configured_external_tsa(served, session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    person = school_people["principal"]
    enrol(session, pki, person, PIN, actor="test")
    session.commit()
    stamper = timestamper_for({"TSA_URL": f"{served}/tsa"}, pki)
    assert isinstance(stamper, ExternalTimeStamper)

    blank, signed, unlocked = _sign_as_principal(session, pki, person, stamper)
    report = check_revision(
        blank,
        signed,
        expected_fields={PRINCIPAL},
        trust_roots=[pki.root_certificate],
        crls=current_crls(session, pki),
        signer_certificate=unlocked.certificate,  # type: ignore[attr-defined]
    )
    assert report.accepted, report.reasons
    (check,) = [c for c in report.signatures if c.field == PRINCIPAL]
    assert check.ok and check.timestamp is not None


def test_unreachable_tsa_makes_signing_fail_without_local_fallback(session, pki, school_people) -> None:  # type: ignore[no-untyped-def]
    person = school_people["principal"]
    enrol(session, pki, person, PIN, actor="test")
    session.commit()
    stamper = timestamper_for({"TSA_URL": f"http://127.0.0.1:{_closed_port()}/tsa", "TSA_TIMEOUT": 5}, pki)
    with pytest.raises(TimestampUnavailable) as err:
        _sign_as_principal(session, pki, person, stamper)
    assert err.value.http_status == 503
