"""Signing pages: the signer's inbox, the sign page (PDF preview, confirmation, PIN), the result,
external signing (upload a PDF signed elsewhere), the bureau's campaign board and the batch
countersign with its progress."""

from flask import Blueprint

bp = Blueprint("sign", __name__, url_prefix="/sign", template_folder="../templates")

from . import board, routes  # noqa: E402,F401
