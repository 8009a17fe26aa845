"""A citizen scans the QR code of an agreement page, lands on ``/verify/<number>``, uploads the
PDF they were given and reads the verdict — in Chromium, against a live server with CSRF on."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fixtures.screens import shoot
from fixtures.signed_agreement import SignedAgreement, build_signed_agreement
from fixtures.verify_doors import install


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> SignedAgreement:
    # Signing runs asyncio; Playwright's sync API holds the main thread's event loop.
    directory = tmp_path_factory.mktemp("verify-browser-pki")
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(build_signed_agreement, directory).result()


def _upload(page, path: Path) -> str:  # type: ignore[no-untyped-def]
    page.set_input_files("input[name=file]", str(path))
    # a full verification of six signatures takes seconds, more on a loaded machine
    page.click("input[type=submit], button[type=submit]", timeout=90_000)
    page.wait_for_selector(".verdict", timeout=90_000)
    return page.inner_text(".verdict")


def test_qr_landing_page_then_upload_shows_the_verdict(
    page, live_server, signed: SignedAgreement, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    install(live_server.app, signed)
    page.goto(live_server(f"/verify/{signed.document_number}"))
    assert signed.document_number in page.inner_text("#registry")
    assert "已完成并归档" in page.inner_text("#registry")

    final = tmp_path / "final.pdf"
    final.write_bytes(signed.final)
    assert "有效且完整" in _upload(page, final)
    assert page.locator("table.signatures tbody tr.sig-ok").count() == 6
    shoot(page, "verify-valid")

    earlier = tmp_path / "earlier.pdf"
    earlier.write_bytes(signed.revisions[3])
    assert "未签完" in _upload(page, earlier)
    assert "较早版本" in page.inner_text(".reasons")

    forged = tmp_path / "forged.pdf"
    forged.write_bytes(signed.final + b"\n% appended\n")
    assert "已被篡改" in _upload(page, forged)
    shoot(page, "verify-tampered")


def test_a_phone_reads_the_plain_verdict_without_scrolling_sideways(
    phone_page, live_server, signed: SignedAgreement, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    install(live_server.app, signed)
    phone_page.goto(live_server("/verify"))
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(signed.final + b"\n% appended\n")
    assert "已被篡改" in _upload(phone_page, forged)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390  # hashes wrap
    shoot(phone_page, "verify-tampered")
