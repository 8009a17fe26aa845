"""``POST /api/verify``: multipart field ``file`` in, the report's JSON out.

A public API without cookies, so it is exempt from CSRF. Every answer is JSON: 200 with the
report (whatever the verdict, ``unreadable`` included), 400 for a missing file, 413 for a file
over the limit, 429 over the rate limit, 503 when the instance cannot verify (no PKI) — never 500.
"""

from __future__ import annotations

import logging

from flask import Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ...errors import DomainError
from ...extensions import csrf, limiter
from .blueprint import bp
from .door import cap_request, limits, verify_upload

log = logging.getLogger(__name__)


def _rate_limit() -> str:
    return str(current_app.config.get("VERIFY_RATE_LIMIT") or "60 per minute")


def _error(status: int, code: str, message: str) -> tuple[Response, int]:
    return jsonify({"error": code, "message": message}), status


def _too_large() -> tuple[Response, int]:
    return _error(413, "too_large", f"文件超过大小上限（{limits().max_bytes} 字节）")


@bp.route("/api/verify", methods=["POST"])
@csrf.exempt
@limiter.limit(_rate_limit)
def api_verify() -> tuple[Response, int]:
    try:
        cap_request()
        upload = request.files.get("file")
        if upload is None:
            return _error(400, "missing_file", "请求中缺少文件字段 file（multipart/form-data）")
        data = upload.read(limits().max_bytes + 1)
        if len(data) > limits().max_bytes:
            return _too_large()
        report = verify_upload(data)
        return jsonify(report.as_json()), 200
    except RequestEntityTooLarge:
        return _too_large()
    except DomainError as err:
        return _error(err.http_status, type(err).__name__, str(err))
    except HTTPException as err:
        return _error(err.code or 400, "bad_request", err.description or "")
    except Exception:  # a bug must not become a 500 page with a traceback for a public client
        log.exception("verification failed unexpectedly")
        return _error(503, "unavailable", "核验服务暂时不可用")
