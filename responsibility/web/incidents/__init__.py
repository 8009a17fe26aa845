"""Incident reports in the browser: a school's report form (phone-first), the school's list and an
incident's page, the bureau's county list with filters and its form for an incident a school did
not report (漏报/瞒报). Thin: every change is a call of ``responsibility.incidents``; a refusal
shows the service's message with its 4xx status and writes nothing."""

from . import routes  # noqa: F401  (importing it registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
