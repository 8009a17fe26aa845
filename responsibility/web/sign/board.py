"""The bureau's campaign board (who signed when, who is missing, filters, overdue rows, progress
by town) and the batch countersign with its progress page.

The batch: the chief (or party secretary) ticks agreements on the board, enters the PIN once;
the PIN is tried (and its failure counted) here, the key is opened in memory and handed to a
thread of this process: a :class:`~responsibility.jobs.countersign.CountersignRunner` that does
everything, or with ``REDIS_URL`` an :class:`~responsibility.jobs.countersign.RqCountersignRunner`
that only signs what the RQ workers prepared. The key never goes to the database, the disk or Redis.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from ...accounts.access import sees_whole_county
from ...accounts.roles import roles_of
from ...agreements import find_campaign
from ...agreements.signing_queries import TownProgress, board_page, town_counts
from ...errors import DomainError, NotFound
from ...extensions import db, db_session, limiter
from ...jobs import JobSettings
from ...jobs.countersign import COUNTERSIGN, CountersignRunner, RqCountersignRunner, batch_items, queue_countersign
from ...jobs.dispatch import RqDispatcher
from ...jobs.transactions import unlock_and_commit
from ...models import BatchJob, Campaign, Section
from ...models.agreements import AGREEMENT_SCHOOL_SIGNED, JOB_QUEUED, JOB_RUNNING
from ...org.ordering import towns_in_order
from ..clock import local_today
from ..context import instance
from ..labels.org import SCHOOL_TYPE_LABELS
from ..messages import stored_message_text
from ..paging import MAX_CHART_BARS
from ..rate_limits import sign_rate_limit, user_and_address
from .blueprint import bp
from .common import account, actor, person_or_none, refusal_message, signing_person, store
from .forms import BatchForm

RUNNERS_KEY = "responsibility.countersign_runners"


def _require_county_viewer() -> None:
    if not sees_whole_county(roles_of(db_session(), account(), local_today())):
        abort(404)


def _campaign(campaign_id: int) -> Campaign:
    try:
        return find_campaign(db_session(), campaign_id)
    except NotFound:
        abort(404)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _charted(progress: list[TownProgress]) -> list[TownProgress]:
    """The towns the progress chart draws: all of them up to ``MAX_CHART_BARS``, else the ones
    furthest behind (least complete first), in the towns' order."""
    if len(progress) <= MAX_CHART_BARS:
        return progress
    order = sorted(range(len(progress)), key=lambda i: (progress[i].percent(progress[i].complete), -progress[i].total))
    behind = set(order[:MAX_CHART_BARS])
    return [t for i, t in enumerate(progress) if i in behind]


def _board(campaign: Campaign, *, form: BatchForm | None = None, error: str | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    day = local_today()
    town_id, section_id = _int_arg("town"), _int_arg("section")
    school_type = request.args.get("type") or None
    filters: dict[str, Any] = {"town_id": town_id, "section_id": section_id, "school_type": school_type}
    after = request.args.get("after") or None
    rows, next_after = board_page(db_session(), campaign, day, store(), after=after, **filters)
    progress = town_counts(db_session(), campaign, day, **filters)
    person = person_or_none()
    countersignable = {
        row.agreement.id
        for row in rows
        if person is not None
        and row.agreement.state == AGREEMENT_SCHOOL_SIGNED
        and any(s.person_id == person.id and not s.signed for s in row.plan.signatures)
    }
    return (
        render_template(
            "sign/board.html",
            campaign=campaign,
            rows=rows,
            towns_progress=_charted(progress),
            towns_total=len(progress),
            next_after=next_after,
            after=after,
            towns=towns_in_order(db_session()),
            sections=db.session.scalars(select(Section).order_by(Section.source_id)).all(),
            types=SCHOOL_TYPE_LABELS,
            selected={"town": town_id, "section": section_id, "type": school_type},
            countersignable=countersignable,
            form=form or BatchForm(formdata=None),
            error=error,
            day=day,
        ),
        status,
    )


@bp.route("/board/<int:campaign_id>")
@login_required
def board(campaign_id: int):  # type: ignore[no-untyped-def]
    _require_county_viewer()
    return _board(_campaign(campaign_id))


def _runners() -> dict[int, CountersignRunner | RqCountersignRunner]:
    return current_app.extensions.setdefault(RUNNERS_KEY, {})  # type: ignore[no-any-return]


def _runner(redis_url: str | None) -> CountersignRunner | RqCountersignRunner:
    """The RQ workers when ``REDIS_URL`` is set (this thread keeps the key and signs only what
    they prepared), else a thread of this process that does it all."""
    context = instance()
    if redis_url:
        jobs = JobSettings.from_settings(context.settings, db.engine.url.render_as_string(hide_password=False))
        dispatcher = RqDispatcher(redis_url, jobs, context.settings.jobs.queue)
        return RqCountersignRunner(db.engine, dispatcher, context.settings, day=local_today())
    return CountersignRunner(
        db.engine, lambda session: context.signing_environment(session), day=local_today(), mail=context.settings.mail
    )


@bp.route("/board/<int:campaign_id>/countersign", methods=["POST"])
@login_required
@limiter.limit(sign_rate_limit, key_func=user_and_address)
def countersign(campaign_id: int):  # type: ignore[no-untyped-def]
    _require_county_viewer()
    campaign = _campaign(campaign_id)
    person = signing_person()
    form = BatchForm()
    ids = [int(v) for v in request.form.getlist("agreement") if v.isdigit()]
    if not form.validate_on_submit():
        return _board(campaign, form=form, status=400)
    try:
        db.session.rollback()
        unlocked = unlock_and_commit(
            db_session(),
            person,
            form.pin.data or "",
            pki=instance().pki,
        )
        redis_url = instance().settings.jobs.redis_url
        job = queue_countersign(db_session(), campaign, ids, actor=actor(), backend="rq" if redis_url else "thread")
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        return _board(campaign, error=refusal_message(err), status=err.http_status)
    runner = _runner(redis_url)
    _runners()[job.id] = runner
    runner.start(job.id, ids, person.id, unlocked)
    del unlocked
    flash(_("Countersigning started."), "info")
    return redirect(url_for("sign.job", job_id=job.id))


def _job(job_id: int) -> BatchJob:
    _require_county_viewer()
    job = db.session.get(BatchJob, job_id)
    if job is None or job.kind != COUNTERSIGN:
        abort(404)
    return job


@bp.route("/jobs/<int:job_id>")
@login_required
def job(job_id: int) -> str:
    found = _job(job_id)
    running = found.state in (JOB_QUEUED, JOB_RUNNING)
    items = batch_items(db_session(), found)
    return render_template("sign/job.html", job=found, campaign=found.campaign, running=running, items=items)


@bp.route("/jobs/<int:job_id>.json")
@login_required
def job_json(job_id: int) -> Response:
    found = _job(job_id)
    return jsonify(
        id=found.id, state=found.state, total=found.total, done=found.done, failed=found.failed,
        percent=found.percent, errors=[{**e, "message": stored_message_text(e)} for e in found.errors or []],
        message=stored_message_text(found.message_entry) or None,
    )  # fmt: skip
