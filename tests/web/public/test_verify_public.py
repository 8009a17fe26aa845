"""The public verifier as an anonymous visitor sees it: no login, CSRF on the form (not on the
API), the QR-code page of a document, size limits answered with 413, bad requests with 400 JSON."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fixtures.signed_agreement import SignedAgreement
from fixtures.verify_doors import install
from support import make_app

from responsibility.instance import install_instance


@pytest.fixture
def public_app(app, signed: SignedAgreement):  # type: ignore[no-untyped-def]
    install(app, signed)
    return app


def _upload(data: bytes, name: str = "agreement.pdf") -> dict:  # type: ignore[type-arg]
    return {"file": (io.BytesIO(data), name)}


def test_upload_page_needs_no_login_and_shows_the_form(public_app) -> None:  # type: ignore[no-untyped-def]
    response = public_app.test_client().get("/verify")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html
    assert "核验" in html


def test_uploading_the_final_agreement_shows_valid_with_every_signature(public_app, signed: SignedAgreement) -> None:  # type: ignore[no-untyped-def]
    response = public_app.test_client().post("/verify", data=_upload(signed.final), content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-verdict="valid"' in html and "有效且完整" in html
    for person in signed.signers.values():
        assert person.name in html
    assert html.count('class="sig-ok"') == 6


def test_earlier_revision_is_shown_as_incomplete_with_reasons(public_app, signed: SignedAgreement) -> None:  # type: ignore[no-untyped-def]
    response = public_app.test_client().post(
        "/verify", data=_upload(signed.revisions[2]), content_type="multipart/form-data"
    )
    html = response.get_data(as_text=True)
    assert 'data-verdict="incomplete"' in html and "未签完" in html
    assert 'data-code="earlier_revision"' in html


def test_qr_code_page_shows_the_registry_state_and_the_form(public_app, signed: SignedAgreement) -> None:  # type: ignore[no-untyped-def]
    response = public_app.test_client().get(f"/verify/{signed.document_number}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert signed.document_number in html and "已完成并归档" in html
    assert 'name="file"' in html
    from responsibility.web.labels.signatures import FIELD_LABELS

    with public_app.test_request_context():  # the page names each field by its label (zh_CN)
        labels = {e.field: str(FIELD_LABELS.get(e.field, e.field)) for e in signed.expected}
    for expected in signed.expected:
        assert labels[expected.field] in html and expected.field not in html.split("<main", 1)[1].split("<code", 1)[0]


def test_unknown_document_number_is_404_with_the_form(public_app) -> None:  # type: ignore[no-untyped-def]
    response = public_app.test_client().get("/verify/NO-SUCH-NUMBER")
    assert response.status_code == 404
    assert 'name="file"' in response.get_data(as_text=True)


def test_api_answers_json_without_csrf_and_the_form_requires_it(
    signed: SignedAgreement, database_url: str, tmp_path: Path
) -> None:
    app = make_app(database_url, tmp_path / "instance", WTF_CSRF_ENABLED=True)
    install(app, signed)
    client = app.test_client()
    api = client.post("/api/verify", data=_upload(signed.final), content_type="multipart/form-data")
    assert api.status_code == 200 and api.get_json()["verdict"] == "valid"
    refused = client.post("/verify", data=_upload(signed.final), content_type="multipart/form-data")
    assert refused.status_code == 400
    page = client.get("/verify").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    accepted = client.post(
        "/verify", data={**_upload(signed.final), "csrf_token": token.group(1)}, content_type="multipart/form-data"
    )
    assert accepted.status_code == 200 and 'data-verdict="valid"' in accepted.get_data(as_text=True)


def test_api_missing_file_is_400_json(public_app) -> None:  # type: ignore[no-untyped-def]
    response = public_app.test_client().post("/api/verify", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and response.get_json()["error"] == "missing_file"
    response = public_app.test_client().post("/api/verify", data=b"raw", content_type="application/pdf")
    assert response.status_code == 400 and response.is_json


def test_too_large_is_413_json_on_the_api_and_413_on_the_page(public_app, signed: SignedAgreement) -> None:  # type: ignore[no-untyped-def]
    public_app.config["VERIFY_MAX_BYTES"] = 100_000
    install_instance(public_app)  # the settings are frozen: rebuild them after the change
    client = public_app.test_client()
    api = client.post("/api/verify", data=_upload(signed.final), content_type="multipart/form-data")
    assert api.status_code == 413 and api.is_json and api.get_json()["error"] == "too_large"
    page = client.post("/verify", data=_upload(signed.final), content_type="multipart/form-data")
    assert page.status_code == 413 and 'name="file"' in page.get_data(as_text=True)
    # Just under the limit of the request envelope but over the verification limit: still 413 JSON.
    public_app.config["VERIFY_MAX_BYTES"] = len(signed.final) - 1
    install_instance(public_app)
    api = client.post("/api/verify", data=_upload(signed.final), content_type="multipart/form-data")
    assert api.status_code == 413 and api.is_json


def test_api_answers_unreadable_input_with_200_json(public_app) -> None:  # type: ignore[no-untyped-def]
    response = public_app.test_client().post(
        "/api/verify", data=_upload(b"\x00" * 100, "x.pdf"), content_type="multipart/form-data"
    )
    assert response.status_code == 200 and response.get_json()["verdict"] == "unreadable"


def test_without_an_instance_pki_the_api_is_503_json(app) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().post("/api/verify", data=_upload(b"%PDF-1.7"), content_type="multipart/form-data")
    assert response.status_code == 503 and response.is_json


def test_english_page(public_app) -> None:  # type: ignore[no-untyped-def]
    html = public_app.test_client().get("/verify?lang=en").get_data(as_text=True)
    assert "Verify an agreement" in html


def test_a_second_upload_of_the_registered_file_says_it_came_from_the_registry_cache(
    public_app, signed: SignedAgreement
) -> None:  # type: ignore[no-untyped-def]
    client = public_app.test_client()
    first = client.post("/verify", data=_upload(signed.final), content_type="multipart/form-data")
    assert 'data-source="registry-cache"' not in first.get_data(as_text=True)
    second = client.post("/verify", data=_upload(signed.final), content_type="multipart/form-data")
    html = second.get_data(as_text=True)
    assert 'data-verdict="valid"' in html and html.count('class="sig-ok"') == 6
    assert 'data-source="registry-cache"' in html and "来自登记缓存" in html
    api = client.post("/api/verify", data=_upload(signed.final), content_type="multipart/form-data")
    assert api.get_json()["from_registry_cache"] is True and api.get_json()["verdict"] == "valid"
