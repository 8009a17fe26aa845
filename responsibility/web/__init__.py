"""Web layer: blueprints, templates, language, login, error pages. Thin: views parse input,
call services with ``db.session``, commit, and render."""

from __future__ import annotations

from flask import Flask, abort, render_template, request
from flask_babel import Babel
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ..errors import DomainError
from ..pki.instance import PkiMissing
from .clock import init_clock
from .i18n import select_locale
from .security import init_security_headers


def init_web(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    init_clock(app)
    _register_blueprints(app)
    _register_error_pages(app)
    app.before_request(_refuse_nul_bytes)
    init_security_headers(app)


def _register_blueprints(app: Flask) -> None:
    from . import audit, auth, campaigns, cascade, chain, org, pki, sign, verify

    for package in (auth, org, campaigns, pki, audit, verify, sign, chain, cascade):
        app.register_blueprint(package.bp)


def _refuse_nul_bytes() -> None:
    """A NUL byte is never valid text here (PostgreSQL cannot even store one): 400, not a 500."""
    values = [request.path, *request.args.keys(), *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.keys(), *request.form.values()]
    if any("\x00" in value for value in values):
        abort(400, description=_("The request contains a NUL character, which is not allowed."))


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(PkiMissing)
    def _pki_missing(err: PkiMissing):  # type: ignore[no-untyped-def]
        message = _("Electronic signing is not set up on this server yet: an administrator runs flask pki init.")
        return render_template("error.html", code=err.http_status, message=message), err.http_status

    @app.errorhandler(DomainError)
    def _domain_error(err: DomainError):  # type: ignore[no-untyped-def]
        return render_template("error.html", code=err.http_status, message=str(err)), err.http_status

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):  # type: ignore[no-untyped-def]
        return render_template("error.html", code=err.code, message=err.description), err.code or 500
