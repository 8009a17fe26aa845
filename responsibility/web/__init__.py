"""Web layer: blueprints, templates, language, login, error pages. Thin: views parse input,
call services with ``db.session``, commit, and render."""

from __future__ import annotations

from flask import Flask, abort, render_template, request
from flask_babel import Babel
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..errors import DomainError
from ..pki.instance import PkiMissing
from .clock import init_clock
from .i18n import select_locale
from .json_errors import http_error_json, json_error, wants_json
from .labels import init_labels
from .messages import error_text, init_messages
from .security import init_security_headers


def init_web(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    init_clock(app)
    init_messages(app)
    init_labels(app)
    _register_blueprints(app)
    _register_error_pages(app)
    from .verify.door import cap_verify_posts

    app.before_request(cap_verify_posts)  # before any hook reads the body
    app.before_request(_refuse_nul_bytes)
    init_security_headers(app)


def _register_blueprints(app: Flask) -> None:
    from . import (
        assessment,
        audit,
        auth,
        campaigns,
        cascade,
        chain,
        firefiles,
        hazards,
        incidents,
        org,
        patrols,
        pki,
        rosters,
        rounds,
        schoolwork,
        season,
        sign,
        targets,
        verify,
    )

    packages = (auth, org, campaigns, pki, audit, verify, sign, chain, cascade, hazards, patrols, firefiles)
    for package in (*packages, rosters, rounds, schoolwork, incidents, targets, assessment, season):
        app.register_blueprint(package.bp)


def _refuse_nul_bytes() -> None:
    """A NUL byte is never valid text here (PostgreSQL cannot even store one): 400, not a 500."""
    values = [request.path, *request.args.keys(), *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            values += [*request.form.keys(), *request.form.values()]
        except RequestEntityTooLarge:
            return  # the view answers it in its own form (the API in JSON, the page with its form)
    if any("\x00" in value for value in values):
        abort(400, description=_("The request contains a NUL character, which is not allowed."))


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(PkiMissing)
    def _pki_missing(err: PkiMissing):  # type: ignore[no-untyped-def]
        message = _("Electronic signing is not set up on this server yet: an administrator runs flask pki init.")
        if wants_json():
            return json_error(err.http_status, "unavailable", message, retry_after=60)
        return render_template("error.html", code=err.http_status, message=message), err.http_status

    @app.errorhandler(DomainError)
    def _domain_error(err: DomainError):  # type: ignore[no-untyped-def]
        if wants_json():
            return json_error(err.http_status, type(err).__name__, error_text(err))
        return render_template("error.html", code=err.http_status, message=error_text(err)), err.http_status

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):  # type: ignore[no-untyped-def]
        if wants_json():
            return http_error_json(err)
        return render_template("error.html", code=err.code, message=err.description), err.code or 500
