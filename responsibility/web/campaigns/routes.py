"""Views of the campaign pages. Thin: find what is asked for, check who asks, call the services
in ``agreements`` and ``jobs``, commit, render.

Who sees what: admins manage (create, generate, regenerate, issue); admins, auditors and bureau
leaders see every campaign and agreement; a school's leaders open their own school's issued
agreements. Anything else answers 404, like a page that does not exist.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse  # what redirect() returns: the base of Flask's

from ...accounts.access import sees_whole_county
from ...accounts.roles import ADMIN
from ...agreements import (
    DEFAULT_TEMPLATE,
    PdfStore,
    bureau_agreements,
    check_staleness,
    create_campaign,
    export_pdf,
    find_agreement,
    school_leader_agreements,
    viewer_may_open,
)
from ...agreements.cascade import POST_TEMPLATE
from ...agreements.certification import certification_for_issue
from ...agreements.queries import agreement_page
from ...chain.cascade_state import cascade_counts
from ...errors import DomainError, NotFound
from ...extensions import db, db_session
from ...jobs import (
    Dispatcher,
    JobSettings,
    active_job,
    dispatcher_for,
    fail_undispatched,
    queue_generation,
    run_generation,
)
from ...jobs.dispatch import RqDispatcher, dispatch_issue
from ...jobs.issuing import IssueRunner, queue_issue, run_issue
from ...models import Agreement, BatchJob, Campaign
from ...models.agreements import AGREEMENT_DRAFT, AGREEMENT_KIND_SCHOOL, CAMPAIGN_DRAFT, JOB_QUEUED, JOB_RUNNING
from ...pdf.template import template_versions
from ..clock import local_today
from ..context import instance, settings
from ..messages import error_text, stored_message_text
from .access import campaign_or_404, current_account, current_roles, require_county_viewer
from .blueprint import bp
from .forms import ActionForm, CampaignForm
from .labels import tier_label
from .staleness import page_chain_gaps, page_staleness

DISPATCHER_KEY = "responsibility.campaign_dispatcher"
ISSUE_RUNNERS_KEY = "responsibility.issue_runners"


def _require_admin() -> None:
    if ADMIN not in current_roles():
        abort(404)


def _actor() -> str:
    return f"user:{current_account().username}"


def _store() -> PdfStore:
    return instance().store


def _settings(workers: int | None = None) -> JobSettings:
    url = db.engine.url.render_as_string(hide_password=False)
    return JobSettings.from_settings(settings(), url, workers=workers)


def dispatcher() -> Dispatcher:
    """One dispatcher per app: RQ when ``REDIS_URL`` is set, else a background thread."""
    found = current_app.extensions.get(DISPATCHER_KEY)
    if found is None:
        found = dispatcher_for(
            redis_url=settings().jobs.redis_url,
            engine=db.engine,
            settings=_settings(),
            queue=settings().jobs.queue,
        )
        current_app.extensions[DISPATCHER_KEY] = found
    return found  # type: ignore[no-any-return]


def campaign_templates() -> list[str]:
    """The installed templates a campaign may use (the post agreements' own family excluded)."""
    family = POST_TEMPLATE.split("/", 1)[0] + "/"
    return [v for v in template_versions(settings().template_root) if not v.startswith(family)]


def _commit_or_rollback(action: Any) -> Any:
    """Run a state-changing service call and commit; roll back and re-raise on any error."""
    try:
        result = action()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> BaseResponse | str | tuple[str, int]:
    roles = current_roles()
    if not sees_whole_county(roles):
        mine = school_leader_agreements(db_session(), current_account(), local_today())
        return render_template("campaigns/mine.html", agreements=mine)
    form = CampaignForm(template=DEFAULT_TEMPLATE, templates=campaign_templates()) if ADMIN in roles else None
    status = 200
    if request.method == "POST":
        if form is None:
            abort(404)
        if form.validate_on_submit():
            try:
                campaign = _commit_or_rollback(
                    lambda: create_campaign(
                        db_session(),
                        name=form.name.data,
                        start=form.start.data,
                        end=form.end.data,
                        due=form.due.data,
                        template_version=form.template.data.strip(),
                        actor=_actor(),
                        base_url=str(current_app.config["PUBLIC_BASE_URL"]),
                        season=form.season.data or None,
                        copies=form.copies.data or 3,
                        template_root=settings().template_root,
                    )
                )
            except DomainError as err:  # a rule no field check caught: above the form, no server path
                form.form_errors.append(error_text(err))
                status = 400
            else:
                flash(gettext("Campaign created."), "success")
                return redirect(url_for("campaigns.campaign", campaign_id=campaign.id))
        else:
            status = 400
    counts = dict(
        db.session.execute(
            select(Agreement.campaign_id, func.count(Agreement.id)).group_by(Agreement.campaign_id)
        ).all()
    )
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.id.desc())).all()
    return render_template("campaigns/index.html", campaigns=campaigns, counts=counts, form=form), status


def _page_cascade(target: Campaign, agreements: list[Agreement]) -> dict[int, Any]:
    """The cascade counts of the page's schools only: of every school, they were three aggregates
    over the whole province on each view (the page took 1.7 s at 20,000 schools with them and a
    chain trace per row)."""
    if not agreements:
        return {}
    return cascade_counts(db_session(), target.id, local_today(), [a.school_id for a in agreements])


@bp.route("/<int:campaign_id>")
@login_required
def campaign(campaign_id: int) -> str:
    roles = require_county_viewer()
    target = campaign_or_404(campaign_id)
    after = request.args.get("after") or None
    agreements, next_after, agreement_total = agreement_page(db_session(), target, after=after)
    # The stale check composes every agreement of the page again (≈25 ms each): the page leaves it
    # to campaigns/stale.json (fetched by campaign.js) unless asked for it (?check=1, no script).
    checked = request.args.get("check") == "1"
    stale = page_staleness(target, agreements) if checked else None
    chain_gaps = page_chain_gaps(agreements) if checked else None
    job = db.session.scalars(
        select(BatchJob).where(BatchJob.campaign_id == target.id).order_by(BatchJob.id.desc()).limit(1)
    ).first()
    return render_template(
        "campaigns/campaign.html",
        campaign=target,
        agreements=agreements,
        agreement_total=agreement_total,
        after=after,
        next_after=next_after,
        cascade=_page_cascade(target, agreements),
        stale=stale,
        chain_gaps=chain_gaps,
        job=job,
        running=active_job(db_session(), target),
        can_manage=ADMIN in roles and target.state == CAMPAIGN_DRAFT,
        action_form=ActionForm(),
        bureau_agreements=bureau_agreements(db_session(), target),
        bureau_tier_label=tier_label,
    )


@bp.route("/<int:campaign_id>/generate", methods=["POST"])
@login_required
def generate(campaign_id: int) -> BaseResponse:
    _require_admin()
    if not ActionForm().validate_on_submit():
        abort(400)
    target = campaign_or_404(campaign_id)
    runner = dispatcher()
    job = _commit_or_rollback(lambda: queue_generation(db_session(), target, actor=_actor(), backend=runner.backend))
    try:
        runner.dispatch(job.id)
    except Exception as exc:  # Redis down, thread limit…: the job row says why, never a 500
        current_app.logger.exception("could not dispatch batch %s", job.id)
        fail_undispatched(db_session(), job.id, f"{type(exc).__name__}: {exc}")
        flash(gettext("The batch could not be started; see its page."), "error")
    return redirect(url_for("campaigns.job", job_id=job.id))


def _drafts(target: Campaign) -> int:
    return sum(1 for a in target.agreements if a.kind == AGREEMENT_KIND_SCHOOL and a.state == AGREEMENT_DRAFT)


@bp.route("/<int:campaign_id>/issue", methods=["GET"])
@login_required
def confirm_issue(campaign_id: int) -> str:
    """The confirmation step: what issuing will do, before it is done."""
    _require_admin()
    target = campaign_or_404(campaign_id)
    if target.state != CAMPAIGN_DRAFT:
        abort(404)
    allow_missing = request.args.get("allow_missing") == "1"
    return render_template(
        "campaigns/issue_confirm.html", campaign=target, drafts=_drafts(target), allow_missing=allow_missing,
        action_form=ActionForm(), running=active_job(db_session(), target),
    )  # fmt: skip


@bp.route("/<int:campaign_id>/issue", methods=["POST"])
@login_required
def issue(campaign_id: int) -> BaseResponse:
    """Issue in the background (a campaign of 100 schools takes minutes): queue, start, follow."""
    _require_admin()
    if not ActionForm().validate_on_submit():
        abort(400)
    target = campaign_or_404(campaign_id)
    allow_missing = request.form.get("allow_missing") == "1"
    runner = dispatcher()
    job = _commit_or_rollback(
        lambda: queue_issue(db_session(), target, actor=_actor(), allow_missing=allow_missing, backend=runner.backend)
    )
    if isinstance(runner, RqDispatcher):  # chunks on the workers (jobs/issue_chunks.py)
        try:
            dispatch_issue(runner, job.id, settings(), allow_missing=allow_missing, today=local_today())
        except Exception as exc:  # Redis down: the job row says why, never a 500
            current_app.logger.exception("could not dispatch batch %s", job.id)
            fail_undispatched(db_session(), job.id, f"{type(exc).__name__}: {exc}")
            flash(gettext("The batch could not be started; see its page."), "error")
            return redirect(url_for("campaigns.job", job_id=job.id))
        flash(gettext("Issuing started."), "info")
        return redirect(url_for("campaigns.job", job_id=job.id))
    context = instance()
    store, root, day = _store(), settings().template_root, local_today()

    def run(session, job_id: int, step):  # type: ignore[no-untyped-def]
        certify = lambda s: certification_for_issue(s, context)  # noqa: E731
        return run_issue(
            session, job_id, certify, storage=store, template_root=root, allow_missing=allow_missing,
            today=day, on_step=step,
        )  # fmt: skip

    issue_runner = IssueRunner(db.engine, run)
    current_app.extensions.setdefault(ISSUE_RUNNERS_KEY, {})[job.id] = issue_runner
    issue_runner.start(job.id)
    flash(gettext("Issuing started."), "info")
    return redirect(url_for("campaigns.job", job_id=job.id))


def _live(job: BatchJob) -> tuple[int, int]:
    """(done, total) of a job: the issue runner's live count while it runs, else the row's."""
    runner = current_app.extensions.get(ISSUE_RUNNERS_KEY, {}).get(job.id)
    if runner is not None and job.state == JOB_RUNNING and runner.progress[1]:
        return runner.progress
    return job.done, job.total


def _job(job_id: int) -> BatchJob:
    require_county_viewer()
    job = db.session.get(BatchJob, job_id)
    if job is None:
        abort(404)
    return job


@bp.route("/jobs/<int:job_id>")
@login_required
def job(job_id: int) -> str:
    found = _job(job_id)
    done, total = _live(found)
    return render_template(
        "campaigns/job.html", job=found, running=found.state in (JOB_QUEUED, JOB_RUNNING), campaign=found.campaign,
        done=done, total=total, percent=(100 * done // total) if total else found.percent,
    )  # fmt: skip


@bp.route("/jobs/<int:job_id>.json")
@login_required
def job_json(job_id: int) -> Response:
    found = _job(job_id)
    done, total = _live(found)
    return jsonify(
        id=found.id, kind=found.kind, state=found.state, total=total, done=done, failed=found.failed,
        percent=(100 * done // total) if total else found.percent, errors=found.errors,
        message=stored_message_text(found.message_entry) or None,
    )  # fmt: skip


def _agreement(agreement_id: int) -> Agreement:
    try:
        found = find_agreement(db_session(), agreement_id)
    except NotFound:
        abort(404)
    if not viewer_may_open(db_session(), current_account(), found, local_today()):
        abort(404)
    return found


@bp.route("/agreements/<int:agreement_id>")
@login_required
def agreement(agreement_id: int) -> str:
    found = _agreement(agreement_id)
    check = check_staleness(db_session(), found, template_root=settings().template_root, today=local_today())
    roles = current_roles()
    return render_template(
        "campaigns/agreement.html",
        agreement=found,
        check=check,
        can_regenerate=ADMIN in roles and found.state == AGREEMENT_DRAFT and found.campaign.state == CAMPAIGN_DRAFT,
        action_form=ActionForm(),
    )


@bp.route("/agreements/<int:agreement_id>/pdf")
@login_required
def agreement_pdf(agreement_id: int) -> Response:
    """The current PDF: inline for the browser's viewer, or ``?download=1`` as an attachment
    (a download is recorded in the audit log)."""
    found = _agreement(agreement_id)
    download = request.args.get("download") == "1"
    if download:
        data = _commit_or_rollback(
            lambda: export_pdf(db_session(), found, storage=_store(), actor=_actor(), channel="web")
        )
    else:
        data = _store().read(found.pdf_sha256)
    disposition = "attachment" if download else "inline"
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'{disposition}; filename="{found.document_number}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["ETag"] = found.pdf_sha256
    return response


@bp.route("/agreements/<int:agreement_id>/regenerate", methods=["POST"])
@login_required
def regenerate(agreement_id: int) -> BaseResponse:
    """Regenerate one draft agreement now (one school renders in well under a second)."""
    _require_admin()
    if not ActionForm().validate_on_submit():
        abort(400)
    found = _agreement(agreement_id)
    school, target = found.school, found.campaign
    job = _commit_or_rollback(
        lambda: queue_generation(db_session(), target, actor=_actor(), backend="foreground", school=school)
    )
    finished = run_generation(db_session(), job.id, _settings(workers=1), today=local_today())
    if finished.message:
        flash(stored_message_text(finished.message_entry), "error")
    elif finished.errors:
        flash(finished.errors[0]["message"], "error")
    else:
        flash(gettext("Agreement regenerated."), "success")
    return redirect(url_for("campaigns.agreement", agreement_id=found.id))
