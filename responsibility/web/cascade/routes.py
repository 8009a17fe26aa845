"""``/cascade/<school>``: list the school's post agreements; POST issues the missing ones."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ...accounts.access import can_view_school
from ...agreements.cascade import issue_cascade, post_agreements, school_agreement_for_cascade
from ...agreements.certification import certification_for_issue
from ...errors import DomainError
from ...extensions import db, db_session
from ...jobs.transactions import commit_with_retry
from ...models import Person, School
from ..clock import local_today
from ..context import instance
from ..messages import error_text
from .blueprint import bp
from .forms import IssueForm


def _school(source_id: str) -> School:
    found = db.session.scalars(select(School).where(School.source_id == source_id)).one_or_none()
    if found is None or not can_view_school(db_session(), current_user, found.id, local_today()):
        abort(404)
    return found


def _page(school: School, form: IssueForm, status: int = 200):  # type: ignore[no-untyped-def]
    try:
        parent = school_agreement_for_cascade(db_session(), school)
        refusal = None
    except DomainError as err:
        parent, refusal = None, error_text(err)
    rows = post_agreements(db_session(), parent) if parent is not None else []
    return render_template(
        "cascade/school.html", school=school, parent=parent, rows=rows, refusal=refusal, form=form
    ), status


@bp.route("/<school_id>", methods=["GET"])
@login_required
def school_page(school_id: str):  # type: ignore[no-untyped-def]
    return _page(_school(school_id), IssueForm())


@bp.route("/<school_id>", methods=["POST"])
@login_required
def issue(school_id: str):  # type: ignore[no-untyped-def]
    school = _school(school_id)
    form = IssueForm()
    if not form.validate_on_submit():
        return _page(school, form, 400)
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    person = db.session.get(Person, user.person_id) if user.person_id is not None else None
    day = local_today()
    context = instance()

    def work():  # type: ignore[no-untyped-def]
        return issue_cascade(
            db.session,
            school,
            storage=context.store,
            certify=certification_for_issue(db.session, context),
            actor=_actor(user),
            day=day,
            issuer=person,
            template_root=context.template_root,
        )

    summary = commit_with_retry(db_session(), work)  # a DomainError renders as its status (403, 409…)
    flash(_("%(count)d post agreements issued.", count=len(summary.issued)))
    return redirect(url_for("cascade.school_page", school_id=school.source_id))


def _actor(user) -> str:  # type: ignore[no-untyped-def]
    return f"user:{user.username}"
