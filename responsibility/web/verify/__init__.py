"""The public verifier, no login: the upload page ``/verify``, the page the QR code on every
agreement page leads to (``/verify/<document_number>``), and the JSON API ``POST /api/verify``.
All three call the one service (``responsibility.verify.verify_pdf``) through :mod:`.door`."""

from flask import Blueprint

bp = Blueprint("verify", __name__, template_folder="../templates")

from . import api, routes  # noqa: E402,F401
