"""The verifier's plain sentence on the public page: a good, a tampered and an incomplete file
each open with their one sentence, the trust line names the county's CA, hashes can wrap, and no
signature reads "已签" under a broken file."""

from __future__ import annotations

import io

import pytest
from fixtures.signed_agreement import SignedAgreement
from fixtures.verify_attacks import change_page_text
from fixtures.verify_doors import install


def _post(app, data: bytes) -> str:  # type: ignore[no-untyped-def]
    response = app.test_client().post(
        "/verify", data={"file": (io.BytesIO(data), "a.pdf")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _sentence(html: str) -> str:
    start = html.index('class="verdict-sentence"')
    return html[start : html.index("</p>", start)]


@pytest.fixture
def public_app(app, signed: SignedAgreement):  # type: ignore[no-untyped-def]
    install(app, signed)
    return app


def test_a_good_file_says_valid_and_complete_issued_by_the_county_root(public_app, signed: SignedAgreement) -> None:  # type: ignore[no-untyped-def]
    html = _post(public_app, signed.final)
    assert 'data-headline="valid"' in html and "有效且完整" in _sentence(html)
    assert html.index('class="verdict-sentence"') < html.index('class="facts"')  # the sentence comes first
    county = signed.kit.pki.county_name
    assert html.count(f"由{county}根证书签发") == len(signed.revisions) - 1  # every signature and the timestamp
    assert html.count('data-status="signed"') == sum(1 for e in signed.expected if e.required)
    assert 'data-status="unconfirmed"' not in html and 'data-status="broken"' not in html
    assert '<code class="id hash">' in html


def test_a_tampered_file_says_tampered_and_nothing_is_plainly_signed(public_app, signed: SignedAgreement) -> None:  # type: ignore[no-untyped-def]
    html = _post(public_app, change_page_text(signed.final))
    assert 'data-headline="tampered"' in html and "已被篡改" in _sentence(html)
    required = html[
        html.index('class="plain required-signatures"') : html.index("</ul>", html.index("required-signatures"))
    ]
    assert "已签" not in required and 'data-status="signed"' not in required
    assert "签名无效" in required


def test_an_incomplete_file_says_not_fully_signed(app, signed: SignedAgreement) -> None:  # type: ignore[no-untyped-def]
    install(app, signed, upto=4, state="issued")  # the school has signed, the bureau not yet
    html = _post(app, signed.revisions[3])
    assert 'data-headline="incomplete"' in html and "未签完" in _sentence(html)
    assert 'data-code="missing_signatures"' in html
    assert 'data-status="missing"' in html and 'data-status="signed"' in html


def test_a_signature_by_a_lookalike_certificate_says_not_trusted(public_app, signed: SignedAgreement) -> None:  # type: ignore[no-untyped-def]
    """A self-signed certificate with the chief's name: intact, but 非…县证书 and 签名不可信."""
    from fixtures.verify_attacks import build_attacks

    lookalike = next(a for a in build_attacks(signed) if a.name == "self_signed_lookalike")
    html = _post(public_app, lookalike.data)
    assert 'data-headline="untrusted"' in html and "签名不可信" in _sentence(html)
    assert f"非{signed.kit.pki.county_name}证书" in html
