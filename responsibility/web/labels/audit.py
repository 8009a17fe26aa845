"""Labels of audit-log actions (``AuditEvent.action``) and actors (``user:admin``, ``seal:bureau``)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _

from ...messages import N_

__all__ = ["ACTION_LABELS", "actor_label"]

ACTION_LABELS = {
    "account.created": _("Account created"),
    "agreement.archived": _("Agreement archived"),
    "agreement.certified": _("Agreement certified with the seal"),
    "agreement.countersigned": _("Agreement countersigned"),
    "agreement.escalated": _("Overdue agreement escalated"),
    "agreement.exported": _("Agreement exported"),
    "agreement.generated": _("Agreement generated"),
    "agreement.post_issued": _("Post agreement issued"),
    "agreement.signed": _("Agreement signed"),
    "agreement.upload_rejected": _("Uploaded file refused"),
    "audit.checkpoint": _("Checkpoint signed"),
    "dossier.built": _("Incident dossier built"),
    "auth.activate": _("Account activated"),
    "auth.activation_issued": _("Activation link issued"),
    "auth.initial_password_set": _("Initial password set"),
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Failed login"),
    "auth.logout": _("Logged out"),
    "auth.password_changed": _("Password changed"),
    "batch.queued": _("Batch job queued"),
    "batch.finished": _("Batch job finished"),
    "batch.failed": _("Batch job failed"),
    "campaign.created": _("Campaign created"),
    "campaign.generated": _("Campaign agreements generated"),
    "campaign.issued": _("Campaign issued"),
    "cascade.issued": _("Post agreements issued"),
    "demo.passwords_set": _("Demo passwords set"),
    "education.delete": _("Safety education session deleted"),
    "education.edit": _("Safety education session edited"),
    "education.record": _("Safety education session recorded"),
    "evidence.exported": _("Evidence package exported"),
    "firefile.check": _("Monthly fire check recorded"),
    "firefile.edit": _("Fire file edited"),
    "org.export": _("Organisation exported"),
    "org.import": _("Organisation imported"),
    "pki.certificate_revoked": _("Certificate revoked"),
    "pki.enrolled": _("Signing PIN set, certificate issued"),
    "pki.pin_locked": _("Signing locked after wrong PINs"),
    "pki.pin_wrong": _("Wrong signing PIN"),
    "pki.seal_created": _("Bureau seal created"),
    "patrol.log": _("Patrol logged"),
    "incident.report": _("Incident reported"),
    "incident.record_unreported": _("Unreported incident recorded"),
    "work_document.issued": _("Result document issued for signing"),
    "accountability.document": _("Accountability decision document issued"),
    "hazard.report": _("Hazard reported"),
    "inspection.open": _("Inspection round opened"),
    "inspection.answer": _("Checklist item answered"),
    "inspection.assign": _("Checklist inspector assigned"),
    "inspection.submit": _("Checklist submitted"),
    "accountability.claim": _("Due-diligence claim filed"),
    "accountability.claim_decided": _("Due-diligence claim decided"),
    "accountability.record": _("Accountability decision recorded"),
    "agreement.bureau_issued": _("Bureau agreement issued"),
    "agreement.confirmation_issued": _("Supplementary confirmation issued"),
    "assessment.adjust": _("Assessment score adjusted"),
    "assessment.veto": _("Veto candidate decided"),
    "campaign.bureau_issued": _("Bureau agreements of the campaign issued"),
    "hazard.accept": _("Hazard rectification accepted"),
    "hazard.done": _("Hazard rectification done"),
    "hazard.dossier_sealed": _("Hazard dossier sealed"),
    "hazard.escalated": _("Overdue hazard escalated"),
    "hazard.file": _("Hazard filed"),
    "hazard.plan": _("Rectification plan recorded"),
    "hazard.progress": _("Rectification progress recorded"),
    "hazard.reject": _("Hazard rectification rejected"),
    "hazard.school_accept": _("Accepted by the school, awaiting the bureau"),
    "hazard.supervise": _("Hazard listed for supervision"),
    "hazard.void": _("Hazard voided"),
    "roster.changed_after_report": _("Duty roster changed after it was reported"),
    "roster.checkin": _("Duty check-in"),
    "roster.edit": _("Duty roster day edited"),
    "roster.import": _("Duty roster imported"),
    "roster.matches_report": _("Duty roster matches its report again"),
    "roster.reported": _("Duty roster reported to the bureau"),
    "targets.escalated": _("School behind a target escalated"),
    "visits.record": _("Home visits recorded"),
}

_ACTOR_KINDS = {
    "user": N_("Account %(name)s"),
    "cli": N_("Command line (%(name)s)"),
    "seal": N_("Seal: %(name)s"),
    "job": N_("Background job %(name)s"),
}
_ACTOR_NAMES = {
    "seal:bureau": _("Bureau seal"),
    "demo": _("Demo data loader"),
    "system": _("The system"),
    "cli": _("Command line"),
    "test": _("Test"),
}


def actor_label(actor: str | None) -> str:
    """Filter ``actor``: who acted, in words (``user:admin`` → "Account admin")."""
    if not actor:
        return ""
    if actor in _ACTOR_NAMES:
        return str(_ACTOR_NAMES[actor])
    kind, sep, name = actor.partition(":")
    if sep and kind in _ACTOR_KINDS:
        return gettext(_ACTOR_KINDS[kind], name=name)
    return actor
