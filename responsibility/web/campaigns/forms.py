"""Forms of the campaign pages (Flask-WTF: every form, buttons included, carries a CSRF token).

The campaign form checks what belongs to one field next to that field (the term's order, the due
date inside the term, a name already taken, a template that is installed), so each error is shown
under its own field; the service checks the same rules again and anything it still refuses is
shown above the form, never with a server path.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ...extensions import db
from ...models import Campaign

_REQUIRED = _("This field is required.")


class CampaignForm(FlaskForm):
    name = StringField(_("Campaign name"), validators=[DataRequired(message=_REQUIRED), Length(max=200)])
    start = DateField(_("Term starts"), validators=[DataRequired(message=_REQUIRED)])
    end = DateField(_("Term ends"), validators=[DataRequired(message=_REQUIRED)])
    due = DateField(_("Signing due date"), validators=[Optional()])
    season = StringField(_("Season label"), validators=[Optional(), Length(max=100)])
    template = SelectField(
        _("Template version"),
        validators=[DataRequired(message=_REQUIRED)],
        invalid_choice_message=_("This template is not installed."),
    )
    copies = IntegerField(_("Copies"), default=3, validators=[Optional(), NumberRange(min=1, max=10)])
    submit = SubmitField(_("Create campaign"))

    def __init__(self, *args, templates: list[str] | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.template.choices = [(v, v) for v in templates or []]

    def validate_name(self, field: StringField) -> None:
        name = (field.data or "").strip()
        if name and db.session.scalar(select(Campaign.id).where(Campaign.name == name)) is not None:
            raise ValidationError(_("A campaign with this name already exists."))

    def validate_end(self, field: DateField) -> None:
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_("The term must end after it starts."))

    def validate_due(self, field: DateField) -> None:
        start, end = self.start.data, self.end.data
        if field.data and start and end and not start <= field.data <= end:
            raise ValidationError(_("The due date must fall inside the term."))


class ActionForm(FlaskForm):
    """A button that changes state (generate, regenerate, issue): only the CSRF token."""

    submit = SubmitField()
