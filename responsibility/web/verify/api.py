"""``POST /api/verify``: multipart field ``file`` in, the report's JSON out.

A public API without cookies, so it is exempt from CSRF. Every answer is JSON: 200 with the
report (whatever the verdict, ``unreadable`` included), 400 for a missing file, 413 for a file
over the limit, 429 over the rate limit, 503 when the instance cannot verify (no PKI) — never 500.
Refusals that happen before this view runs (the body cap, the NUL-byte check, the rate limit, an
unknown path or method) are JSON too: ``web.json_errors``. Messages are in the reader's language.
"""

from __future__ import annotations

import logging

from flask import Response, current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ...errors import DomainError
from ...extensions import csrf, limiter
from ..json_errors import http_error_json, json_error
from ..messages import error_text
from .blueprint import bp
from .door import cap_request, limits, verify_upload

log = logging.getLogger(__name__)


def _rate_limit() -> str:
    return str(current_app.config.get("VERIFY_RATE_LIMIT") or "60 per minute")


def _too_large() -> tuple[Response, int]:
    return json_error(
        413, "too_large", _("The file is larger than the limit (%(bytes)s bytes).", bytes=limits().max_bytes)
    )


@bp.route("/api/verify", methods=["POST"])
@csrf.exempt
@limiter.limit(_rate_limit)
def api_verify() -> tuple[Response, int]:
    try:
        cap_request()
        upload = request.files.get("file")
        if upload is None:
            return json_error(400, "missing_file", _("The request has no file field “file” (multipart/form-data)."))
        data = upload.read(limits().max_bytes + 1)
        if len(data) > limits().max_bytes:
            return _too_large()
        report = verify_upload(data)
        return jsonify(report.as_json()), 200
    except RequestEntityTooLarge:
        return _too_large()
    except DomainError as err:
        return json_error(err.http_status, type(err).__name__, error_text(err))
    except HTTPException as err:
        return http_error_json(err)
    except Exception:  # a bug must not become a 500 page with a traceback for a public client
        log.exception("verification failed unexpectedly")
        return json_error(503, "unavailable", _("The verification service is temporarily unavailable."), retry_after=60)
