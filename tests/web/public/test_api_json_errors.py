"""Every error of a JSON endpoint is JSON (issue 15, item 2): ``{"error", "message"}`` with the
right status, a translated message (Chinese by default) and ``Retry-After`` on 429 — also for the
refusals made before the view runs (body cap, NUL-byte check, rate limit, unknown path/method)."""

from __future__ import annotations

import io
from pathlib import Path

from support import make_app

from responsibility.extensions import db


def _json_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] == code and body["message"]
    return body  # type: ignore[no-any-return]


def test_400_404_405_are_json_on_the_api(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    nul = client.post("/api/verify", data={"x": "a\x00b"}, content_type="application/x-www-form-urlencoded")
    assert "NUL" in _json_error(nul, 400, "bad_request")["message"]
    missing = client.post("/api/verify", data={}, content_type="multipart/form-data")
    assert "file" in _json_error(missing, 400, "missing_file")["message"]
    assert _json_error(client.get("/api/nothing-here"), 404, "not_found")["message"] == "未找到。"
    wrong_method = client.get("/api/verify")
    _json_error(wrong_method, 405, "method_not_allowed")
    assert "POST" in wrong_method.headers["Allow"]
    english = client.get("/api/nothing-here", headers={"Accept-Language": "en"})
    assert _json_error(english, 404, "not_found")["message"] in ("Not found.", "未找到。")


def test_accept_json_gets_json_errors_outside_the_api(app) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().get("/no-such-page", headers={"Accept": "application/json"})
    _json_error(response, 404, "not_found")
    assert app.test_client().get("/no-such-page").mimetype == "text/html"


def test_413_before_the_view_is_json(app) -> None:  # type: ignore[no-untyped-def]
    app.config["MAX_CONTENT_LENGTH"] = 1000  # the app-wide cap, hit while the NUL check parses
    response = app.test_client().post(
        "/api/verify", data={"file": (io.BytesIO(b"%PDF" + b"0" * 5000), "a.pdf")}, content_type="multipart/form-data"
    )
    _json_error(response, 413, "too_large")


def test_429_is_json_with_retry_after(database_url: str, tmp_path: Path) -> None:
    app = make_app(database_url, tmp_path / "rl", RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT="2 per minute")
    try:
        client = app.test_client()
        for _ in range(2):
            assert client.post("/api/verify", data={}, content_type="multipart/form-data").status_code == 400
        limited = client.post("/api/verify", data={}, content_type="multipart/form-data")
        body = _json_error(limited, 429, "rate_limited")
        assert "请求过于频繁" in body["message"]
        assert 1 <= int(limited.headers["Retry-After"]) <= 61  # the window, rounded up
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
