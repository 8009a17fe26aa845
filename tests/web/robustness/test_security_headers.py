"""Security headers (Flask-Talisman): a Content-Security-Policy that allows our own origin alone,
HSTS exactly when the cookies are Secure, and no page that relies on inline script or style."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import make_app

from responsibility.extensions import db

TEMPLATES = Path(__file__).resolve().parents[3] / "responsibility" / "web" / "templates"
CSP = "Content-Security-Policy"
HSTS = "Strict-Transport-Security"


def _directives(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    header = response.headers.get(CSP)
    assert header, f"no {CSP} header"
    parts = (part.strip().split(" ", 1) for part in header.split(";"))
    return {name: value for name, value in parts}


@pytest.mark.parametrize("path", ["/login", "/verify", "/no-such-page"])
def test_html_pages_and_the_public_verifier_carry_a_strict_csp(client, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.mimetype == "text/html"
    policy = _directives(response)
    for directive in ("default-src", "script-src", "style-src", "object-src", "frame-src", "frame-ancestors"):
        assert policy[directive] == "'self'", directive
    assert "unsafe-inline" not in response.headers[CSP]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_each_header_is_sent_once(client) -> None:  # type: ignore[no-untyped-def]
    headers = client.get("/verify").headers
    for name in (CSP, "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
        assert len(headers.getlist(name)) == 1, name


def test_no_https_redirect_and_no_hsts_when_cookies_are_not_secure(client) -> None:  # type: ignore[no-untyped-def]
    plain = client.get("/login")
    assert plain.status_code == 200  # TLS ends at the proxy: never redirected to https
    proxied = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert HSTS not in plain.headers and HSTS not in proxied.headers


def test_hsts_on_https_requests_when_cookies_are_secure(database_url: str, tmp_path: Path) -> None:
    app = make_app(database_url, tmp_path / "secure", SESSION_COOKIE_SECURE=True)
    try:
        client = app.test_client()
        over_tls = client.get("/login", base_url="https://localhost")
        assert over_tls.status_code == 200
        assert over_tls.headers[HSTS].startswith("max-age=31536000")
        assert client.get("/login", headers={"X-Forwarded-Proto": "https"}).headers[HSTS]
        assert HSTS not in client.get("/login").headers  # plain HTTP: RFC 6797 says ignore it anyway
        assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax" and app.config["SESSION_COOKIE_HTTPONLY"]
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_talisman_leaves_insecure_cookies_of_a_plain_http_instance_alone(client) -> None:  # type: ignore[no-untyped-def]
    client.get("/login")
    assert client.application.config["SESSION_COOKIE_SECURE"] is False


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on*= handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_relies_on_what_the_csp_refuses() -> None:
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 20
    found = []
    for path in templates:
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)  # Jinja comments
        found += [f"{path.relative_to(TEMPLATES)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert found == []
