"""The public verifier, no login: the upload page ``/verify``, the page the QR code on every
agreement page leads to (``/verify/<document_number>``), and the JSON API ``POST /api/verify``.
All three call the one service (``responsibility.verify.verify_pdf``) through :mod:`.door`."""

from . import api, routes  # noqa: F401  (importing them registers their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
