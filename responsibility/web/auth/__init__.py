"""Authentication pages: login, logout, password change, activation, and the admin's account pages.

Registering this blueprint also configures Flask-Login (user loader, login view, "strong" session
protection) and the app-wide pages for a refused CSRF token (400) and a rate limit (429), so
that ``web/__init__.py`` only has to register it.
"""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from .blueprint import bp


@bp.record_once
def _configure_login(state: BlueprintSetupState) -> None:
    from flask_babel import gettext

    from ...extensions import login_manager
    from .session import LOGIN_MESSAGE

    login_manager.login_view = "auth.login"
    login_manager.login_message = LOGIN_MESSAGE
    login_manager.login_message_category = "info"
    login_manager.localize_callback = gettext
    login_manager.session_protection = "strong"


from . import admin, routes, session  # noqa: E402,F401  (registers the routes on bp)
