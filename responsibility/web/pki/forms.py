"""Forms of the PKI pages (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from ...pki.registry import REVOCATION_REASONS

_REQUIRED = _("This field is required.")
_NUMERIC = {"inputmode": "numeric"}
"""The PIN is digits: phones show the numeric keypad."""

REASON_LABELS = {
    "unspecified": _("Unspecified"),
    "key_compromise": _("Key or PIN compromised"),
    "affiliation_changed": _("Left the post or the organisation"),
    "superseded": _("Superseded by a new certificate"),
    "cessation_of_operation": _("No longer signs"),
}


class EnrolForm(FlaskForm):
    password = PasswordField(_("Your login password"), validators=[DataRequired(message=_REQUIRED), Length(max=256)])
    pin = PasswordField(
        _("New signing PIN"), validators=[DataRequired(message=_REQUIRED), Length(max=64)], render_kw=_NUMERIC
    )
    confirm = PasswordField(
        _("Repeat the signing PIN"),
        validators=[DataRequired(message=_REQUIRED), EqualTo("pin", message=_("The PINs differ."))],
        render_kw=_NUMERIC,
    )
    submit = SubmitField(_("Set signing PIN"))


class RevokeForm(FlaskForm):
    reason = SelectField(
        _("Reason"),
        choices=[SelectChoice(code, REASON_LABELS[code]) for code in REVOCATION_REASONS],
        default="unspecified",
    )
    submit = SubmitField(_("Revoke"))
