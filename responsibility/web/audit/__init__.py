"""Auditor pages: the gap report (filters by check, school and town; Excel download) and the
audit log with its hash-chain check. Admins, auditors and bureau leaders only; anyone else gets
the same 404 as for a page that does not exist."""

from . import dossier_zip, evidence, routes  # noqa: F401  (importing them registers their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
