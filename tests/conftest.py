"""Shared fixtures.

Databases: SQLite by default, PostgreSQL when ``DATABASE_URL`` is set (CI runs both). Each test
gets its own database cloned from a template built once per session (and per xdist worker):
``schema`` (migrated, empty) or ``demo`` (the project's own demo county loaded). Cloning is a file
copy on SQLite and ``CREATE DATABASE … TEMPLATE`` on PostgreSQL, so tests stay isolated and fast.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from support import DEMO_PASSWORD, SHARED_DIR, make_app

from responsibility.config import normalise_database_url
from responsibility.web.i18n import compile_translations

#: Fixture modules shared across directories, loaded as plugins (pytest reads ``pytest_plugins`` only
#: in this top-level conftest) instead of being re-imported into each conftest. Their fixture names
#: are unique in the suite: a directory's own fixture never shadows one of these by accident.
pytest_plugins = [
    "fixtures.campaign_pages",  # demo_login, make_campaign, agreement_id (demo county pages)
    "fixtures.instance_pki",  # instance_pki_template (copy it with install_pki)
    "fixtures.pki",  # kit: the session test PKI and signing kit
    "fixtures.smtp",  # smtp_sink: a local SMTP server (aiosmtpd) that keeps what it receives
]


def pytest_configure(config: pytest.Config) -> None:
    compile_translations()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the project; tests that need it skip when it is absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared is not present")
    return SHARED_DIR


@pytest.fixture(scope="session")
def worker_id_safe(request: pytest.FixtureRequest) -> str:
    """Unique per pytest process, so concurrent runs never drop each other's databases."""
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    return f"{worker}_{os.getpid()}".replace("-", "_")


class DatabaseFactory:
    """Builds template databases once and clones one per test."""

    def __init__(self, base_url: str | None, workdir: Path, worker: str) -> None:
        self.base_url = normalise_database_url(base_url) if base_url else None
        self.workdir = workdir
        self.worker = worker
        self.templates: set[str] = set()
        self.counter = 0

    @property
    def is_postgres(self) -> bool:
        return bool(self.base_url and self.base_url.startswith("postgresql"))

    def _pg_admin(self):  # type: ignore[no-untyped-def]
        import psycopg

        url = make_url(self.base_url)
        return psycopg.connect(
            host=url.host or "127.0.0.1",
            port=url.port or 5432,
            user=url.username or "postgres",
            password=url.password,
            dbname="postgres",
            autocommit=True,
        )

    def _url_for(self, name: str) -> str:
        if self.is_postgres:
            return make_url(self.base_url).set(database=name).render_as_string(hide_password=False)
        return f"sqlite:///{self.workdir / (name + '.sqlite3')}"

    def template(self, kind: str, builder: Callable[[str], None]) -> str:
        name = f"rsp_tmpl_{kind}_{self.worker}"
        if name not in self.templates:
            if self.is_postgres:
                with self._pg_admin() as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    conn.execute(f'CREATE DATABASE "{name}"')
            else:
                (self.workdir / (name + ".sqlite3")).unlink(missing_ok=True)
            builder(self._url_for(name))
            self.templates.add(name)
        return name

    def clone(self, template_name: str) -> str:
        self.counter += 1
        name = f"rsp_t_{self.worker}_{self.counter}"
        if self.is_postgres:
            with self._pg_admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
        else:
            shutil.copyfile(self.workdir / (template_name + ".sqlite3"), self.workdir / (name + ".sqlite3"))
        return self._url_for(name)

    def drop(self, url: str) -> None:
        if self.is_postgres:
            name = make_url(url).database
            with self._pg_admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            Path(make_url(url).database or "").unlink(missing_ok=True)


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory, worker_id_safe: str) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(os.environ.get("DATABASE_URL"), tmp_path_factory.mktemp("db"), worker_id_safe)
    yield factory
    for name in factory.templates:
        factory.drop(factory._url_for(name))


def _build_schema(tmp_root: Path) -> Callable[[str], None]:
    def builder(url: str) -> None:
        from flask_migrate import upgrade

        from responsibility.extensions import db

        app = make_app(url, tmp_root / "schema-instance")
        with app.app_context():
            upgrade()
            db.engine.dispose()

    return builder


def _build_demo(tmp_root: Path) -> Callable[[str], None]:
    def builder(url: str) -> None:
        from flask_migrate import upgrade

        from responsibility.demo import load_demo
        from responsibility.extensions import db

        app = make_app(url, tmp_root / "demo-instance")
        with app.app_context():
            upgrade()
            load_demo(db.session, password=DEMO_PASSWORD)
            db.session.commit()
            db.session.remove()
            db.engine.dispose()

    return builder


@pytest.fixture(scope="session")
def schema_template(database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory) -> str:
    return database_factory.template("schema", _build_schema(tmp_path_factory.mktemp("tmpl")))


@pytest.fixture(scope="session")
def demo_template(database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory) -> str:
    return database_factory.template("demo", _build_demo(tmp_path_factory.mktemp("tmpl")))


@pytest.fixture
def database_url(database_factory: DatabaseFactory, schema_template: str) -> Iterator[str]:
    """A migrated, empty database for this test only."""
    url = database_factory.clone(schema_template)
    yield url
    database_factory.drop(url)


@pytest.fixture
def demo_database_url(database_factory: DatabaseFactory, demo_template: str) -> Iterator[str]:
    """A database holding the generated demo county, for this test only."""
    url = database_factory.clone(demo_template)
    yield url
    database_factory.drop(url)


def _app_fixture(url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    app = make_app(url, tmp_path / "instance")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An app on an empty migrated database (CSRF and rate limits off; see make_app)."""
    yield from _app_fixture(database_url, tmp_path)


@pytest.fixture
def demo_app(demo_database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An app whose database holds the generated demo county with demo passwords set."""
    yield from _app_fixture(demo_database_url, tmp_path)


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def demo_client(demo_app):  # type: ignore[no-untyped-def]
    return demo_app.test_client()


@pytest.fixture
def runner(app):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def demo_runner(demo_app):  # type: ignore[no-untyped-def]
    return demo_app.test_cli_runner()


@pytest.fixture
def session(app):  # type: ignore[no-untyped-def]
    """``db.session`` inside an app context, for integration tests of services."""
    from responsibility.extensions import db

    with app.app_context():
        yield db.session


@pytest.fixture
def demo_session(demo_app):  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    with demo_app.app_context():
        yield db.session
