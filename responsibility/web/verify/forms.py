"""The upload form of the public verifier (Flask-WTF: it carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField


class UploadForm(FlaskForm):
    file = FileField(_("Agreement PDF"), validators=[FileRequired(message=_("Choose a PDF file to verify."))])
    submit = SubmitField(_("Verify"))
