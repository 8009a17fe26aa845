"""Fixtures of the import/export tests."""

from __future__ import annotations

import pytest

from responsibility import create_app
from responsibility.extensions import db


@pytest.fixture
def empty_app(database_factory, schema_template, tmp_path):  # type: ignore[no-untyped-def]
    """A second app on its own empty migrated database."""
    url = database_factory.clone(schema_template)
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url}, instance_path=tmp_path / "other"
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    database_factory.drop(url)
