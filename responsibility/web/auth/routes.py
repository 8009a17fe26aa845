"""Login, logout, password change and account activation.

Views are thin: they parse the form, call ``accounts`` services with ``db.session``, commit, and
render. A failed login is committed too, because its audit event is the record of the attempt.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from ...accounts import activation
from ...accounts.errors import LoginFailed, PersonOutOfService
from ...accounts.service import authenticate, change_password
from ...errors import DomainError, InvalidState, NotFound
from ...extensions import db, db_session, limiter
from ...models import LEFT_UNDATED
from ..clock import local_today
from ..json_errors import http_error_json, wants_json
from ..messages import error_text
from ..redirects import safe_next
from .blueprint import bp
from .forms import ActivationForm, ChangePasswordForm, LoginForm
from .session import FINGERPRINT_KEY, remember_login


def home_url() -> str:
    return request.script_root + "/"


def _login_rate_limit() -> str:
    return str(current_app.config.get("LOGIN_RATE_LIMIT", "10 per minute"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login() -> Response | str:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        if current_user.is_authenticated:
            return redirect(safe_next(form.next.data) or home_url())
    if form.validate_on_submit():
        try:
            user = authenticate(
                db_session(),
                form.username.data or "",
                form.password.data or "",
                remote_addr=request.remote_addr,
                day=local_today(),
            )
        except PersonOutOfService as err:
            db.session.commit()
            flash(_out_of_service_message(err), "error")
        except LoginFailed:
            db.session.commit()
            flash(_("Wrong username or password."), "error")
        else:
            db.session.commit()
            language = session.get("lang")
            session.clear()
            if language:
                session["lang"] = language
            login_user(user)
            remember_login(user)
            target = safe_next(form.next.data)
            if user.must_change_password:
                flash(_("Please choose a new password before you continue."), "info")
                return redirect(url_for("auth.change_password", next=target))
            return redirect(target or home_url())
    form.password.data = ""
    return render_template("auth/login.html", form=form)


def _out_of_service_message(err: PersonOutOfService) -> str:
    """Why a right password did not let the person in: they left (on which day) or have not
    joined yet."""
    if err.left_on is None:
        return _("You are not in service yet, so this account cannot sign in.")
    if err.left_on == LEFT_UNDATED:
        return _("You have left service, so this account can no longer sign in.")
    return _("You left service on %(day)s, so this account can no longer sign in.", day=err.left_on.isoformat())


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    logout_user()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"], endpoint="change_password")
@login_required
def change_password_page() -> Response | str:
    form = ChangePasswordForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        try:
            change_password(
                db_session(),
                current_user,
                current_password=form.current_password.data or "",
                new_password=form.new_password.data or "",
            )
        except DomainError as err:
            db.session.rollback()
            flash(error_text(err), "error")
        else:
            db.session.commit()
            remember_login(current_user)
            flash(_("Your password has been changed."), "success")
            return redirect(safe_next(form.next.data) or home_url())
    return render_template("auth/password.html", form=form, forced=current_user.must_change_password)


@bp.route("/activate/<token>", methods=["GET", "POST"])
def activate(token: str) -> Response | str | tuple[str, int]:
    try:
        user = activation.user_for_activation(db_session(), token)
    except NotFound:
        return render_template("auth/activation_invalid.html", expired=False), 404
    except InvalidState:
        return render_template("auth/activation_invalid.html", expired=True), 410
    form = ActivationForm()
    if form.validate_on_submit():
        try:
            activation.activate(db_session(), token, form.new_password.data or "")
        except DomainError as err:
            db.session.rollback()
            flash(error_text(err), "error")
        else:
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()
                session.pop(FINGERPRINT_KEY, None)
            flash(_("Your account is active. Please log in with your new password."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/activate.html", form=form, account=user)


@bp.app_errorhandler(CSRFError)
def _csrf_refused(err: CSRFError) -> tuple[str, int] | tuple[Response, int]:
    message = _("The form has expired or its security token is missing. Please reload the page and try again.")
    if wants_json():
        return http_error_json(err, message)
    return render_template("auth/refused.html", code=400, message=message), 400


@bp.app_errorhandler(TooManyRequests)
def _too_many_requests(err: TooManyRequests) -> tuple[str, int] | tuple[Response, int]:
    if wants_json():
        return http_error_json(err)
    message = _("Too many attempts. Please wait a minute and try again.")
    return render_template("auth/refused.html", code=429, message=message), 429
