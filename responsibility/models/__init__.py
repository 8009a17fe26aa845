"""SQLAlchemy 2 models (no business rules). Import models from here."""

from .accounts import KIND_ADMIN, KIND_AUDITOR, KIND_PERSON, User
from .agreements import Agreement, AgreementRevision, BatchChunk, BatchJob, Campaign
from .audit import AuditChainHead, AuditEvent
from .audit_checkpoints import AuditCheckpoint
from .base import Base, utcnow
from .grids import Building, ClauseTemplate, FirePlan, Grid, GridOwnership, RiskArea, grid_members
from .notifications import EscalationStep, MailAddress, Notification
from .org import Bureau, Campus, County, Organization, School, Section, Town, section_staff
from .people import BureauLeader, LiaisonAssignment, Person, PostAssignment, PostType
from .periods import ValidityPeriod, held_on, period_holds
from .pki import ENROLMENT_ACTIVE, ENROLMENT_REVOKED, IssuedCertificate, SigningEnrolment
from .safety import (
    DutyRoster,
    Hazard,
    HazardRecord,
    HomeVisit,
    PaperAgreement,
    PaperSignature,
    duty_roster_staff,
)

__all__ = [
    "ENROLMENT_ACTIVE",
    "ENROLMENT_REVOKED",
    "IssuedCertificate",
    "SigningEnrolment",
    "KIND_ADMIN",
    "KIND_AUDITOR",
    "KIND_PERSON",
    "Agreement",
    "AgreementRevision",
    "BatchChunk",
    "BatchJob",
    "Campaign",
    "EscalationStep",
    "MailAddress",
    "Notification",
    "AuditChainHead",
    "AuditCheckpoint",
    "AuditEvent",
    "Base",
    "Building",
    "Bureau",
    "BureauLeader",
    "Campus",
    "ClauseTemplate",
    "County",
    "DutyRoster",
    "FirePlan",
    "Grid",
    "GridOwnership",
    "Hazard",
    "HazardRecord",
    "HomeVisit",
    "LiaisonAssignment",
    "Organization",
    "PaperAgreement",
    "PaperSignature",
    "Person",
    "PostAssignment",
    "PostType",
    "RiskArea",
    "School",
    "Section",
    "Town",
    "User",
    "ValidityPeriod",
    "duty_roster_staff",
    "grid_members",
    "held_on",
    "period_holds",
    "section_staff",
    "utcnow",
]
