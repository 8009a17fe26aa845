"""Campaigns and agreements: composing each school's agreement from the organisation data,
rendering it with ``responsibility.pdf``, storing the PDF content-addressed, and the agreement
life cycle. Services take an explicit session and never commit; no Flask here."""

from .bureau_issue import BureauIssueSummary, bureau_agreements, issue_bureau_agreements
from .campaigns import (
    DEFAULT_TEMPLATE,
    CertificationHook,
    CertifiedRevision,
    IssueSummary,
    create_campaign,
    find_campaign,
    issue_campaign,
)
from .compose import bureau_signers, compose_agreement
from .export import export_pdf
from .generation import GeneratedAgreement, GenerationSummary, ProgressStep, SchoolFailure, generate
from .queries import find_agreement, school_leader_agreements, viewer_may_open
from .staleness import StaleCheck, check_staleness, stale_agreements
from .storage import PdfStore

__all__ = [
    "DEFAULT_TEMPLATE",
    "BureauIssueSummary",
    "CertificationHook",
    "CertifiedRevision",
    "GeneratedAgreement",
    "GenerationSummary",
    "IssueSummary",
    "PdfStore",
    "ProgressStep",
    "SchoolFailure",
    "StaleCheck",
    "bureau_agreements",
    "bureau_signers",
    "check_staleness",
    "compose_agreement",
    "create_campaign",
    "export_pdf",
    "find_agreement",
    "find_campaign",
    "generate",
    "issue_bureau_agreements",
    "issue_campaign",
    "school_leader_agreements",
    "stale_agreements",
    "viewer_may_open",
]
