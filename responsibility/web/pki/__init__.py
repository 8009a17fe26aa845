"""PKI pages and endpoints: the published root certificate and CRLs, the RFC 3161 TSA at
``POST /tsa``, the signing-PIN enrolment page and the admin's certificate revocation page."""

from flask import Blueprint

bp = Blueprint("pki", __name__, template_folder="../templates")

from . import admin, public, routes  # noqa: E402,F401
