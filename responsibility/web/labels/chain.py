"""Labels of the chain's roles and agreement states, and of the dossier's marks, reasons and
record kinds (the chain page and the dossier page show the same codes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _

__all__ = [
    "AGREEMENT_STATE_LABELS",
    "CHAIN_ROLE_LABELS",
    "DOSSIER_MARK_LABELS",
    "DOSSIER_REASON_LABELS",
    "WORK_RECORD_LABELS",
]

CHAIN_ROLE_LABELS = {
    "post_holder": _("Post holder"),
    "grid_owner": _("Grid owner"),
    "safety_deputy": _("Safety deputy"),
    "principal": _("Principal"),
    "school_party_secretary": _("School party secretary"),
    "party_instructor": _("Party-building instructor"),
    "liaison": _("Liaison person"),
    "section_chief": _("Section chief"),
    "bureau_leader": _("Bureau leader for the school"),
    "deputy_in_charge": _("Deputy director in charge of safety"),
    "bureau_chief": _("Bureau chief"),
}

AGREEMENT_STATE_LABELS = {
    "signed": _("signed"),
    "pending": _("pending"),
    "missing": _("missing"),
    "invalid": _("invalid"),
}

DOSSIER_MARK_LABELS = {
    "done": _("Duty done"),
    "not_done": _("Duty not done"),
    "no_record": _("No record"),
}

DOSSIER_REASON_LABELS = {
    "chain_gap": _("The post was vacant or wrongly held"),
    "agreement_not_signed": _("The agreement was not signed at that moment"),
    "duty_not_done": _("A record shows a duty not done"),
    "patrols_missed": _("Patrols of the grid were missed"),
    "records_show_work": _("Records show the work was done"),
    "no_records": _("No records in the window"),
}

WORK_RECORD_LABELS = {
    "hazard_reported": _("Hazard reported"),
    "hazard_step": _("Hazard step"),
    "hazard_overdue": _("Hazard overdue"),
    "inspection": _("Inspection answer"),
    "fire_check": _("Fire check"),
    "duty": _("Duty day"),
    "patrol": _("Grid patrol"),
}
