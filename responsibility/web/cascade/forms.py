"""The cascade page's form (Flask-WTF: carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import SubmitField


class IssueForm(FlaskForm):
    submit = SubmitField(_("Issue the post agreements"))
