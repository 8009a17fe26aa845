"""Signing pages: the signer's inbox, the sign page (PDF preview, confirmation, PIN), the result,
external signing (upload a PDF signed elsewhere), the bureau's campaign board and the batch
countersign with its progress."""

from . import board, ceremony, preview, routes  # noqa: F401  (importing them registers their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
