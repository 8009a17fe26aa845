"""Labels for the codes the system stores and pages show (one module per kind of code).

A page never shows a raw code (``sig_school_principal``, ``agreement.signed``, ``user:admin``,
``ecdsa-p256``, ``serialNumber=…,CN=…``): templates pass it through the ``label`` filter
(``{{ r.field_name|label('field') }}``) or the dedicated filters below, which look the code up in
these tables (English msgids marked with ``lazy_gettext``, shown in the reader's language). An
unknown code is shown as it is, so a new code is visible (and the translation crawl fails on it)
rather than hidden. The organisation's vocabularies (``org.py``: roles, features, school types) are
here too: several blueprints share them, so they live outside every blueprint.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from .audit import ACTION_LABELS, actor_label
from .chain import (
    AGREEMENT_STATE_LABELS,
    CHAIN_ROLE_LABELS,
    DOSSIER_MARK_LABELS,
    DOSSIER_REASON_LABELS,
    WORK_RECORD_LABELS,
)
from .firefiles import FIRE_FIELD_LABELS, FIRE_STATUS_LABELS
from .hazards import HAZARD_STATE_LABELS
from .incidents import INCIDENT_STATUS_LABELS
from .patrols import PATROL_RESULT_LABELS, PATROL_ROLE_LABELS
from .pki import KEY_KIND_LABELS, subject_label
from .season import EDUCATION_TOPIC_LABELS, VISIT_CATEGORY_LABELS
from .signatures import FIELD_LABELS, REVISION_KIND_LABELS
from .targets import TARGET_STATUS_LABELS

__all__ = ["KINDS", "code_label", "init_labels"]

KINDS: dict[str, Mapping[str, object]] = {
    "field": FIELD_LABELS,
    "revision_kind": REVISION_KIND_LABELS,
    "action": ACTION_LABELS,
    "key_kind": KEY_KIND_LABELS,
    "hazard_state": HAZARD_STATE_LABELS,
    "target_status": TARGET_STATUS_LABELS,
    "chain_role": CHAIN_ROLE_LABELS,
    "agreement_state": AGREEMENT_STATE_LABELS,
    "dossier_mark": DOSSIER_MARK_LABELS,
    "dossier_reason": DOSSIER_REASON_LABELS,
    "work_record": WORK_RECORD_LABELS,
    "patrol_result": PATROL_RESULT_LABELS,
    "patrol_role": PATROL_ROLE_LABELS,
    "fire_status": FIRE_STATUS_LABELS,
    "fire_field": FIRE_FIELD_LABELS,
    "incident_status": INCIDENT_STATUS_LABELS,
    "education_topic": EDUCATION_TOPIC_LABELS,
    "visit_category": VISIT_CATEGORY_LABELS,
}


def code_label(code: object, kind: str) -> str:
    """Filter ``label``: the translated label of ``code`` among the codes of ``kind``."""
    if code is None or code == "":
        return ""
    found = KINDS[kind].get(str(code))
    return str(found) if found is not None else str(code)


def init_labels(app: Flask) -> None:
    app.add_template_filter(code_label, "label")
    app.add_template_filter(actor_label, "actor")
    app.add_template_filter(subject_label, "subject")
