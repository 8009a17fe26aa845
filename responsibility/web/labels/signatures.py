"""Labels of signature fields and revision kinds (``AgreementRevision.field_name`` / ``kind``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _

__all__ = ["FIELD_LABELS", "REVISION_KIND_LABELS"]

FIELD_LABELS = {
    "sig_bureau_seal": _("Bureau seal (certification)"),
    "sig_school_party_head": _("School party secretary's signature"),
    "sig_school_principal": _("Principal's signature"),
    "sig_school_heads": _("School heads' signature (one person, both posts)"),
    "sig_bureau_party_secretary": _("Bureau party secretary's countersignature"),
    "sig_bureau_chief": _("Bureau chief's countersignature"),
    "sig_bureau_heads": _("Bureau heads' countersignature (one person, both posts)"),
    "sig_archive_timestamp": _("Archive timestamp"),
    "sig_superior": _("Superior's signature (party A)"),
    "sig_holder": _("Post holder's signature (party B)"),
}

REVISION_KIND_LABELS = {
    "generated": _("Generated"),
    "certified": _("Certified with the bureau seal"),
    "signed": _("Signed"),
    "countersigned": _("Countersigned"),
    "timestamped": _("Document timestamp"),
}
