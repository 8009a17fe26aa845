"""SQLAlchemy 2 models (no business rules). Import models from here."""

from .accountability import AccountabilityDecision, AccountabilityPerson, DueDiligenceClaim
from .accounts import KIND_ADMIN, KIND_AUDITOR, KIND_PERSON, User
from .agreements import (
    Agreement,
    AgreementBinding,
    AgreementRevision,
    BatchChunk,
    BatchJob,
    Campaign,
    CountersignItem,
)
from .assessment import AssessmentAdjustment, VetoDecision
from .audit import AuditChainHead, AuditEvent
from .audit_checkpoints import AuditCheckpoint
from .base import Base, utcnow
from .confirmations import Confirmation
from .duty import DutyCheckin
from .firefiles import FireFileVersion
from .grids import Building, ClauseTemplate, FirePlan, Grid, GridOwnership, RiskArea, grid_members
from .incidents import INCIDENT_STATUSES, Incident
from .inspections import InspectionAnswer, InspectionChecklist, InspectionRound
from .notifications import EscalationStep, MailAddress, Notification
from .org import Bureau, Campus, County, Organization, School, Section, Town, section_staff
from .patrols import PATROL_HAZARD, PATROL_NORMAL, GridPatrol
from .people import LEFT_UNDATED, BureauLeader, LiaisonAssignment, Person, PostAssignment, PostType, in_service
from .periods import ValidityPeriod, held_on, period_holds
from .pki import ENROLMENT_ACTIVE, ENROLMENT_REVOKED, IssuedCertificate, SigningEnrolment
from .safety import (
    DutyRoster,
    EducationSession,
    FireCheck,
    Hazard,
    HazardEscalationStep,
    HazardFileCounter,
    HazardPhoto,
    HazardRecord,
    HomeVisit,
    HomeVisitCount,
    PaperAgreement,
    PaperSignature,
    duty_roster_staff,
)
from .snapshots import (
    BOARD_INCIDENTS,
    BOARD_SHARES,
    BoardSnapshot,
    BoardSnapshotSchool,
    GapSnapshot,
    GapSnapshotFinding,
)
from .work_documents import WorkDocument

__all__ = [
    "BOARD_INCIDENTS",
    "BOARD_SHARES",
    "BoardSnapshot",
    "BoardSnapshotSchool",
    "GapSnapshot",
    "GapSnapshotFinding",
    "FireFileVersion",
    "INCIDENT_STATUSES",
    "Incident",
    "AccountabilityDecision",
    "AccountabilityPerson",
    "DueDiligenceClaim",
    "AssessmentAdjustment",
    "VetoDecision",
    "ENROLMENT_ACTIVE",
    "ENROLMENT_REVOKED",
    "IssuedCertificate",
    "SigningEnrolment",
    "KIND_ADMIN",
    "KIND_AUDITOR",
    "KIND_PERSON",
    "Agreement",
    "AgreementBinding",
    "AgreementRevision",
    "BatchChunk",
    "CountersignItem",
    "BatchJob",
    "Campaign",
    "EscalationStep",
    "MailAddress",
    "Notification",
    "AuditChainHead",
    "LEFT_UNDATED",
    "AuditCheckpoint",
    "AuditEvent",
    "Base",
    "Building",
    "Bureau",
    "BureauLeader",
    "Campus",
    "ClauseTemplate",
    "Confirmation",
    "WorkDocument",
    "County",
    "DutyCheckin",
    "DutyRoster",
    "FirePlan",
    "Grid",
    "GridOwnership",
    "GridPatrol",
    "PATROL_HAZARD",
    "PATROL_NORMAL",
    "Hazard",
    "HazardEscalationStep",
    "HazardFileCounter",
    "HazardPhoto",
    "HazardRecord",
    "EducationSession",
    "FireCheck",
    "HomeVisit",
    "HomeVisitCount",
    "InspectionAnswer",
    "InspectionChecklist",
    "InspectionRound",
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
    "in_service",
    "period_holds",
    "section_staff",
    "utcnow",
]
