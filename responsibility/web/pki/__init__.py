"""PKI pages and endpoints: the published root certificate and CRLs, the RFC 3161 TSA at
``POST /tsa``, the signing-PIN enrolment page and the admin's certificate revocation page."""

from . import admin, public, routes  # noqa: F401  (importing them registers their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
