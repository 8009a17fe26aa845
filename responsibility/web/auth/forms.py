"""Forms of the auth pages (Flask-WTF: every form carries a CSRF token).

Labels and messages are lazy translations; ``lazy_gettext`` is imported as ``_`` so that the
default ``pybabel extract`` keywords find them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from ...accounts.activation import MAX_HOURS

_REQUIRED = _("This field is required.")


class LoginForm(FlaskForm):
    username = StringField(_("Username"), validators=[DataRequired(message=_REQUIRED), Length(max=64)])
    password = PasswordField(_("Password"), validators=[DataRequired(message=_REQUIRED), Length(max=256)])
    next = HiddenField()
    submit = SubmitField(_("Log in"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_("Current password"), validators=[DataRequired(message=_REQUIRED)])
    new_password = PasswordField(_("New password"), validators=[DataRequired(message=_REQUIRED)])
    confirm = PasswordField(
        _("Repeat the new password"),
        validators=[DataRequired(message=_REQUIRED), EqualTo("new_password", message=_("The passwords differ."))],
    )
    next = HiddenField()
    submit = SubmitField(_("Change password"))


class ActivationForm(FlaskForm):
    new_password = PasswordField(_("New password"), validators=[DataRequired(message=_REQUIRED)])
    confirm = PasswordField(
        _("Repeat the new password"),
        validators=[DataRequired(message=_REQUIRED), EqualTo("new_password", message=_("The passwords differ."))],
    )
    submit = SubmitField(_("Activate account"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_("Log out"))


class CreateAuditorForm(FlaskForm):
    username = StringField(_("Username"), validators=[DataRequired(message=_REQUIRED), Length(max=64)])
    display_name = StringField(_("Name"), validators=[DataRequired(message=_REQUIRED), Length(max=100)])
    password = PasswordField(_("Initial password (optional)"), validators=[Optional()])
    submit = SubmitField(_("Create auditor"))


class IssueActivationForm(FlaskForm):
    hours = IntegerField(
        _("Valid for (hours)"),
        default=72,
        validators=[DataRequired(message=_REQUIRED), NumberRange(min=1, max=MAX_HOURS)],
    )
    submit = SubmitField(_("Issue activation link"))


class InitialPasswordForm(FlaskForm):
    password = PasswordField(_("Initial password (empty: generate one)"), validators=[Optional()])
    submit = SubmitField(_("Set initial password"))
