"""A principal sets a signing PIN in a real browser and sees the issued certificate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fixtures.instance_pki import install_pki
from sqlalchemy import select

SCREENSHOT = Path(os.environ.get("SCREENSHOT_DIR", "/tmp")) / "responsibility-enrol-page.png"
PIN = "739184"


@pytest.fixture
def pki_server(live_server, instance_pki_template):  # type: ignore[no-untyped-def]
    install_pki(instance_pki_template, live_server.app.instance_path)
    return live_server


def _certificate(app, source_id: str):  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.models import IssuedCertificate, Person

    with app.app_context():
        row = db.session.scalar(
            select(IssuedCertificate)
            .join(Person, Person.id == IssuedCertificate.person_id)
            .where(Person.source_id == source_id, IssuedCertificate.revoked_at.is_(None))
        )
        db.session.expunge_all()
        return row


def test_principal_sets_signing_pin(page, pki_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(pki_server("/"))
    page.fill("input[name=username]", "P00027")
    page.fill("input[name=password]", pki_server.app.config["DEMO_PASSWORD"])
    page.click("form [type=submit]")
    page.wait_for_url(pki_server("/"))

    page.click("nav >> text=签名密码")
    page.wait_for_url(pki_server("/pki/enrol"))
    assert "设置签名密码" in page.inner_text("h1")
    page.fill("input[name=password]", pki_server.app.config["DEMO_PASSWORD"])
    page.fill("input[name=pin]", PIN)
    page.fill("input[name=confirm]", "739185")
    page.click("form.enrol-form [type=submit]")
    assert "两次输入的签名密码不一致" in page.inner_text("main")

    page.fill("input[name=password]", pki_server.app.config["DEMO_PASSWORD"])
    page.fill("input[name=pin]", PIN)
    page.fill("input[name=confirm]", PIN)
    page.click("form.enrol-form [type=submit]")
    page.wait_for_url(pki_server("/pki/enrol"))
    row = _certificate(pki_server.app, "P00027")
    assert row is not None
    assert page.inner_text("#certificate .serial") == row.serial_hex
    assert page.inner_text("#certificate .fingerprint") == row.fingerprint_sha256
    assert "P00027" in page.inner_text("#certificate .subject")
    page.screenshot(path=str(SCREENSHOT), full_page=True)
