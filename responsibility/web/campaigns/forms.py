"""Forms of the campaign pages (Flask-WTF: every form, buttons included, carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

_REQUIRED = _("This field is required.")


class CampaignForm(FlaskForm):
    name = StringField(_("Campaign name"), validators=[DataRequired(message=_REQUIRED), Length(max=200)])
    start = DateField(_("Term starts"), validators=[DataRequired(message=_REQUIRED)])
    end = DateField(_("Term ends"), validators=[DataRequired(message=_REQUIRED)])
    due = DateField(_("Signing due date"), validators=[Optional()])
    season = StringField(_("Season label"), validators=[Optional(), Length(max=100)])
    template = StringField(_("Template version"), validators=[DataRequired(message=_REQUIRED), Length(max=100)])
    copies = IntegerField(_("Copies"), default=3, validators=[Optional(), NumberRange(min=1, max=10)])
    submit = SubmitField(_("Create campaign"))


class ActionForm(FlaskForm):
    """A button that changes state (generate, regenerate, issue): only the CSRF token."""

    submit = SubmitField()
