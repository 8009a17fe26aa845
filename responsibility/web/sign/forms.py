"""Forms of the signing pages (Flask-WTF: each carries a CSRF token). The PIN field is never
pre-filled and never echoed back."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp

_PIN_CHECKS = [
    DataRequired(message=_("Enter your signing PIN.")),
    Length(max=64),
    Regexp(r"^\d+$", message=_("The signing PIN consists of digits.")),
]
_NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}
"""The PIN is digits: phones show the numeric keypad."""


class SignForm(FlaskForm):
    confirm = BooleanField(
        _("I have read this agreement and accept it"),
        validators=[DataRequired(message=_("Tick the box to confirm that you have read the agreement."))],
    )
    pin = PasswordField(_("Signing PIN"), validators=_PIN_CHECKS, render_kw=_NUMERIC)
    submit = SubmitField(_("Sign"))


class UploadForm(FlaskForm):
    file = FileField(_("Signed PDF"), validators=[FileRequired(message=_("Choose the signed PDF file."))])
    submit = SubmitField(_("Upload"))


class BatchForm(FlaskForm):
    """The agreements come as the checkbox list ``agreement``; the PIN once for all of them."""

    confirm = BooleanField(
        _("I have read the selected agreements and countersign them"),
        validators=[DataRequired(message=_("Tick the box to confirm that you have read the agreements."))],
    )
    pin = PasswordField(_("Signing PIN"), validators=_PIN_CHECKS, render_kw=_NUMERIC)
    submit = SubmitField(_("Countersign the selected agreements"))
