"""The admin's account pages: list and search accounts, create auditors, issue activation links
and initial passwords. Only ``kind == "admin"`` may see them; everyone else gets 404."""

from __future__ import annotations

import secrets

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...accounts import activation
from ...accounts.service import create_auditor, find_accounts
from ...errors import DomainError
from ...extensions import db, db_session
from ...models import KIND_ADMIN, User
from ...org.queries import affiliations
from ..clock import local_today
from ..messages import error_text
from .blueprint import bp
from .forms import CreateAuditorForm, InitialPasswordForm, IssueActivationForm

LIST_LIMIT = 200
_GENERATED_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _require_admin() -> None:
    if not (current_user.is_authenticated and current_user.kind == KIND_ADMIN):
        abort(404)


def _target(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def activation_url(token: str) -> str:
    """The link for ``token`` under ``PUBLIC_BASE_URL`` (the address users reach the site by)."""
    base = str(current_app.config.get("PUBLIC_BASE_URL") or request.host_url).rstrip("/")
    return base + url_for("auth.activate", token=token, _external=False).removeprefix(request.script_root)


def generate_initial_password(length: int = 12) -> str:
    """A random password without look-alike characters, with letters and digits."""
    while True:
        candidate = "".join(secrets.choice(_GENERATED_ALPHABET) for _ in range(length))
        if any(ch.isdigit() for ch in candidate) and any(ch.isalpha() for ch in candidate):
            return candidate


def _render_list(create_form: CreateAuditorForm | None = None) -> str:
    query = request.args.get("q", "").strip()
    accounts = find_accounts(db_session(), query=query or None, limit=LIST_LIMIT + 1)
    shown = accounts[:LIST_LIMIT]
    people = [a.person_id for a in shown if a.person_id is not None]
    return render_template(
        "auth/admin_users.html",
        accounts=shown,
        affiliation=affiliations(db_session(), people, local_today()),
        truncated=len(accounts) > LIST_LIMIT,
        query=query,
        create_form=create_form or CreateAuditorForm(formdata=None),
        activation_form=IssueActivationForm(formdata=None, hours=current_app.config.get("ACTIVATION_TOKEN_HOURS", 72)),
        password_form=InitialPasswordForm(formdata=None),
    )


@bp.route("/admin/users", methods=["GET"])
@login_required
def admin_users() -> str:
    _require_admin()
    return _render_list()


@bp.route("/admin/users/auditors", methods=["POST"])
@login_required
def admin_create_auditor() -> Response | str:
    _require_admin()
    form = CreateAuditorForm()
    if form.validate_on_submit():
        try:
            user = create_auditor(
                db_session(),
                username=form.username.data or "",
                display_name=form.display_name.data or "",
                password=form.password.data or None,
                actor=current_user.username,
            )
        except DomainError as err:
            db.session.rollback()
            flash(error_text(err), "error")
        else:
            db.session.commit()
            flash(_("Auditor %(username)s created.", username=user.username), "success")
            return redirect(url_for("auth.admin_users", q=user.username))
    return _render_list(create_form=form)


@bp.route("/admin/users/<int:user_id>/activation", methods=["POST"])
@login_required
def admin_issue_activation(user_id: int) -> Response | str:
    _require_admin()
    user = _target(user_id)
    form = IssueActivationForm()
    if not form.validate_on_submit():
        flash(_("Please give a validity between 1 and 720 hours."), "error")
        return redirect(url_for("auth.admin_users", q=user.username))
    try:
        token = activation.issue_activation(db_session(), user, actor=current_user.username, hours=form.hours.data or 0)
    except DomainError as err:
        db.session.rollback()
        flash(error_text(err), "error")
        return redirect(url_for("auth.admin_users", q=user.username))
    db.session.commit()
    # Shown once, never flashed: the flash store is the session cookie.
    return render_template(
        "auth/admin_issued.html", account=user, link=activation_url(token), expires_at=user.activation_expires_at
    )


@bp.route("/admin/users/<int:user_id>/initial-password", methods=["POST"])
@login_required
def admin_initial_password(user_id: int) -> Response | str:
    _require_admin()
    user = _target(user_id)
    form = InitialPasswordForm()
    if not form.validate_on_submit():
        abort(400)
    chosen = form.password.data or ""
    password = chosen or generate_initial_password()
    try:
        activation.set_initial_password(db_session(), user, password, actor=current_user.username)
    except DomainError as err:
        db.session.rollback()
        flash(error_text(err), "error")
        return redirect(url_for("auth.admin_users", q=user.username))
    db.session.commit()
    return render_template(
        "auth/admin_issued.html", account=user, password=None if chosen else password, link=None, expires_at=None
    )
