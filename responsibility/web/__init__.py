"""Web layer: blueprints, templates, language, login, error pages. Thin: views parse input,
call services with ``db.session``, commit, and render."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import Babel
from werkzeug.exceptions import HTTPException

from ..errors import DomainError
from .i18n import select_locale


def init_web(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    _register_blueprints(app)
    _register_error_pages(app)

    @app.after_request
    def _security_headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def _register_blueprints(app: Flask) -> None:
    from .auth import bp as auth_bp
    from .campaigns import bp as campaigns_bp
    from .org import bp as org_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(org_bp)
    app.register_blueprint(campaigns_bp)
    from .pki import bp as pki_bp

    app.register_blueprint(pki_bp)
    from .audit import bp as audit_bp

    app.register_blueprint(audit_bp)
    from .verify import bp as verify_bp

    app.register_blueprint(verify_bp)
    from .sign import bp as sign_bp

    app.register_blueprint(sign_bp)
    from .chain import bp as chain_bp

    app.register_blueprint(chain_bp)


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(err: DomainError):  # type: ignore[no-untyped-def]
        return render_template("error.html", code=err.http_status, message=str(err)), err.http_status

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):  # type: ignore[no-untyped-def]
        return render_template("error.html", code=err.code, message=err.description), err.code or 500
