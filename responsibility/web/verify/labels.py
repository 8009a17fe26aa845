"""Words for the codes of ``verify.headline``: the verifier's one plain sentence (and the line that
explains it), the state of each required signature, and who issued each certificate.

Marked with ``_`` (= ``lazy_gettext``) so ``pybabel extract`` finds them; English msgids, the
zh_CN catalogue gives the Chinese shown by default. Trust sentences take the county's name from
the instance PKI (``%(county)s``), never a constant.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _

HEADLINE_SENTENCES = {
    "valid": _("Valid and complete"),
    "incomplete": _("Not fully signed"),
    "tampered": _("Tampered with"),
    "untrusted": _("Signature not trusted"),
    "not_registered": _("Not a version registered by this system"),
    "unreadable": _("Cannot be read"),
}

HEADLINE_EXPLANATIONS = {
    "valid": _(
        "Every signature is intact and trusted, every required signature is present, and the file is "
        "the registered final version."
    ),
    "incomplete": _(
        "Nothing in it has been altered, but it is not the finished agreement: signatures are missing, "
        "or a later signed version is registered."
    ),
    "tampered": _("The file was changed after it was signed, or a signature is damaged. Do not rely on it."),
    "untrusted": _("The signatures are intact, but a signer or a certificate is not the one registered by the county."),
    "not_registered": _("The file is not an agreement version held in this system's registry."),
    "unreadable": _("The file could not be checked: it is not a readable PDF, or it is too large or too complex."),
}

HEADLINE_CLASSES = {
    "valid": "ok",
    "incomplete": "pending",
    "tampered": "bad",
    "untrusted": "bad",
    "not_registered": "bad",
    "unreadable": "bad",
}

REQUIRED_STATUS = {
    "signed": _("signed"),
    "missing": _("missing"),
    "broken": _("signature invalid"),
    "unconfirmed": _("signature present, but the file is not valid"),
}

TRUST_SENTENCES = {
    "county": _("Issued by the %(county)s root certificate"),
    "other": _("Issued under another trusted root certificate"),
    "county_untrusted": _("A %(county)s certificate, but not trusted at signing time (revoked or expired)"),
    "foreign": _("Not a %(county)s certificate"),
}
