"""``/cascade/<school>``: list the school's post agreements; POST issues the missing ones."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ...accounts.access import can_view_school
from ...agreements.cascade import check_issuer, post_agreements, school_agreement_for_cascade, supervision_links
from ...agreements.certification import certification_for_issue
from ...errors import DomainError
from ...extensions import db, db_session
from ...jobs.issuing import CASCADE_ISSUE, IssueRunner, queue_cascade_issue, run_cascade_issue
from ...models import BatchJob, Person, School
from ...models.agreements import JOB_FINISHED, JOB_QUEUED, JOB_RUNNING
from ...org.queries import affiliations
from ..clock import local_today
from ..context import instance
from ..messages import error_text
from .blueprint import bp
from .forms import IssueForm

RUNNERS_KEY = "responsibility.cascade_runners"


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
    people = {p for a in rows for p in (a.superior_person_id, a.holder_person_id) if p is not None}
    return render_template(
        "cascade/school.html", school=school, parent=parent, rows=rows, refusal=refusal, form=form,
        affiliation=affiliations(db_session(), people, local_today()),
    ), status  # fmt: skip


@bp.route("/<school_id>", methods=["GET"])
@login_required
def school_page(school_id: str):  # type: ignore[no-untyped-def]
    return _page(_school(school_id), IssueForm())


@bp.route("/<school_id>/issue", methods=["GET"])
@login_required
def confirm_issue(school_id: str):  # type: ignore[no-untyped-def]
    """The confirmation step: how many post agreements issuing will make, before it does."""
    school = _school(school_id)
    try:
        parent = school_agreement_for_cascade(db_session(), school)
    except DomainError:
        abort(404)
    day = local_today()
    links = supervision_links(db_session(), school, day)
    existing = {(a.superior_person_id, a.holder_person_id) for a in post_agreements(db_session(), parent)}
    new = sum(1 for link in links if (link.superior.id, link.holder.id) not in existing)
    return render_template(
        "cascade/issue_confirm.html", school=school, parent=parent, links=len(links), new=new, form=IssueForm()
    )


@bp.route("/<school_id>", methods=["POST"])
@login_required
def issue(school_id: str):  # type: ignore[no-untyped-def]
    """Issue in the background (a school of 100 posts takes a minute): queue, start, follow."""
    school = _school(school_id)
    form = IssueForm()
    if not form.validate_on_submit():
        return _page(school, form, 400)
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    person = db.session.get(Person, user.person_id) if user.person_id is not None else None
    day = local_today()
    check_issuer(db_session(), school, person, day)  # Forbidden renders as 403 before anything starts
    job = queue_cascade_issue(db_session(), school, actor=_actor(user))
    db.session.commit()
    context = instance()
    issuer_id = person.id if person is not None else None

    def run(session, job_id: int, step):  # type: ignore[no-untyped-def]
        certify = lambda s: certification_for_issue(s, context)  # noqa: E731
        return run_cascade_issue(
            session, job_id, certify, storage=context.store, template_root=context.template_root, day=day,
            issuer_id=issuer_id, on_step=step,
        )  # fmt: skip

    runner = IssueRunner(db.engine, run)
    current_app.extensions.setdefault(RUNNERS_KEY, {})[job.id] = runner
    runner.start(job.id)
    flash(_("Issuing started."))
    return redirect(url_for("cascade.job", job_id=job.id))


@bp.route("/jobs/<int:job_id>")
@login_required
def job(job_id: int):  # type: ignore[no-untyped-def]
    """The progress of a cascade issue, for those who may see its school."""
    found = db.session.get(BatchJob, job_id)
    if found is None or found.kind != CASCADE_ISSUE or found.school_id is None:
        abort(404)
    school = db.session.get_one(School, found.school_id)
    if not can_view_school(db_session(), current_user, school.id, local_today()):
        abort(404)
    runner = current_app.extensions.get(RUNNERS_KEY, {}).get(found.id)
    running = found.state in (JOB_QUEUED, JOB_RUNNING)
    done, total = (
        runner.progress if runner is not None and running and runner.progress[1] else (found.done, found.total)
    )
    percent = (100 * done // total) if total else (100 if found.state == JOB_FINISHED else 0)
    return render_template(
        "cascade/job.html", job=found, school=school, running=running, done=done, total=total, percent=percent
    )


def _actor(user) -> str:  # type: ignore[no-untyped-def]
    return f"user:{user.username}"
