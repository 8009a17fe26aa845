"""responsibility: issue, sign, verify and trace the county's safety responsibility agreements."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from . import config as config_module
from .extensions import babel, csrf, db, limiter, login_manager, migrate

__all__ = ["create_app"]

MIGRATIONS_DIR = config_module.PROJECT_ROOT / "migrations"


def create_app(config: dict[str, Any] | None = None, instance_path: str | Path | None = None) -> Flask:
    """Build the application.

    Settings: defaults < ``instance/config.py`` < ``RESPONSIBILITY_*`` env vars < ``config``.
    The instance folder is ``instance_path``, else ``RESPONSIBILITY_INSTANCE_PATH``, else
    ``./instance`` beside the package.
    """
    resolved_instance = Path(instance_path).resolve() if instance_path else config_module.instance_path_from_env()
    resolved_instance.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(resolved_instance),
        instance_relative_config=True,
        template_folder="web/templates",
        static_folder="web/static",
    )
    app.config.from_object(config_module.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    config_module.apply_environment(app.config)
    if config:
        app.config.update(config)

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = config_module.sqlite_url(resolved_instance)
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 30}})
    if not app.config.get("SECRET_KEY"):
        # Before `flask init` there is no instance config; sessions then use a throw-away key
        # (they die with the process) so that `flask init` itself can run.
        app.config["SECRET_KEY"] = secrets.token_urlsafe(48)
        app.config["SECRET_KEY_EPHEMERAL"] = True

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    from .instance import install_instance

    install_instance(app)
    _mail_after_commit(app)

    from .web import init_web

    init_web(app, babel)

    from .cli import register_cli

    register_cli(app)
    return app


def _mail_after_commit(app: Flask) -> None:
    """At the end of each request or command, mail what its committed transactions notified
    (``jobs.mail_outbox``); registered after the database, so it runs before the session ends."""
    from .instance import instance_of
    from .jobs.mail_outbox import deliver_in_background, install_listeners, take_committed

    install_listeners()

    @app.teardown_appcontext
    def deliver(_exc: BaseException | None) -> None:
        if take_committed(db.session()):
            deliver_in_background(db.engine, instance_of(app).settings.mail)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Enforce foreign keys and allow concurrent readers on SQLite; no-op on other databases."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
