"""Auditor pages: the gap report (filters by check, school and town; Excel download) and the
audit log with its hash-chain check. Admins, auditors and bureau leaders only; anyone else gets
the same 404 as for a page that does not exist."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="../templates")

from . import evidence, routes  # noqa: E402,F401
