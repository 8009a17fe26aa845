"""Errors of JSON endpoints answered in JSON (issue 15, item 2).

A client of ``/api/…`` (or any request that prefers ``application/json``) gets
``{"error": code, "message": text}`` with the right status for every refusal — 400, 404, 405,
413, 429, 503 — never an HTML page; the message is in the reader's language (``zh_CN`` by
default) and 429/503 carry ``Retry-After``. The app's error handlers ask :func:`wants_json` first.
"""

from __future__ import annotations

import math
import time

from flask import Response, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ..extensions import limiter

__all__ = ["http_error_json", "json_error", "wants_json"]

_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "rate_limited",
    503: "unavailable",
}
DEFAULT_RETRY_AFTER = 60


def wants_json() -> bool:
    """True for the API (``/api/…``) and for clients that prefer JSON to HTML."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _messages(status: int) -> str:
    return {
        400: _("The request is not valid."),
        403: _("You may not do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        409: _("This cannot be done in the current state."),
        413: _("The request is too large."),
        429: _("Too many requests. Please wait and try again."),
        503: _("The service is temporarily unavailable. Please try again later."),
    }.get(status, _("The request could not be handled."))


def json_error(status: int, code: str, message: str, *, retry_after: int | None = None) -> tuple[Response, int]:
    """The JSON body of an error, with ``Retry-After`` when given."""
    response = jsonify({"error": code, "message": message})
    if retry_after is not None:
        response.headers["Retry-After"] = str(max(1, retry_after))
    return response, status


def _retry_after(err: HTTPException) -> int | None:
    status = err.code or 500
    if status == 429:
        current = limiter.current_limit
        if current is not None:
            return max(1, math.ceil(current.reset_at - time.time()))
        return DEFAULT_RETRY_AFTER
    if status == 503:
        return DEFAULT_RETRY_AFTER
    return None


def http_error_json(err: HTTPException, message: str | None = None) -> tuple[Response, int]:
    """An ``HTTPException`` as JSON: its own description when the app set one (already
    translated), else the status's translated message; the exception's headers (``Allow`` of a
    405) are kept."""
    status = err.code or 500
    # Flask-Limiter's description is the limit ("60 per 1 minute"): not for the reader.
    own = err.description if err.description != type(err).description and status != 429 else None
    body, status = json_error(
        status, _CODES.get(status, "error"), message or own or _messages(status), retry_after=_retry_after(err)
    )
    for name, value in err.get_headers():
        if name.lower() != "content-type":
            body.headers[name] = value
    return body, status
