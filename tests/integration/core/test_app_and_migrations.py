"""The app factory, instance placement, `flask init` and the committed migrations."""

import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from responsibility import create_app
from responsibility.extensions import db
from responsibility.models import Base

PROJECT = Path(__file__).resolve().parents[3]


def test_migrations_match_the_models(app):
    """The committed migration creates exactly the tables and columns the models declare."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == []
        assert set(inspect(conn).get_table_names()) >= set(Base.metadata.tables)


def test_instance_path_from_environment(tmp_path, monkeypatch):
    target = tmp_path / "elsewhere"
    monkeypatch.setenv("RESPONSIBILITY_INSTANCE_PATH", str(target))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert Path(app.instance_path) == target.resolve()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{target.resolve() / 'responsibility.sqlite3'}"
    assert app.config["SECRET_KEY_EPHEMERAL"] is True


def test_flask_init_is_idempotent(tmp_path, monkeypatch):
    """`flask init` creates config and schema; a second run keeps the config and changes nothing.

    The instance here uses its default SQLite database whatever DATABASE_URL the suite runs with.
    """
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env = {"RESPONSIBILITY_INSTANCE_PATH": str(tmp_path / "inst"), "PATH": "/usr/bin:/bin"}
    flask = [sys.executable, "-m", "flask", "--app", "app", "init"]
    first = subprocess.run(flask, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout
    config_text = (tmp_path / "inst" / "config.py").read_text()
    second = subprocess.run(flask, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "kept" in second.stdout
    assert (tmp_path / "inst" / "config.py").read_text() == config_text
    app = create_app(instance_path=tmp_path / "inst")
    assert app.config.get("SECRET_KEY_EPHEMERAL") is None
    with app.app_context():
        assert "organizations" in inspect(db.engine).get_table_names()
        db.engine.dispose()
