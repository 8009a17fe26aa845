"""The demo county with the instance PKI installed (cascade tests)."""

from __future__ import annotations

import pytest
from fixtures.instance_pki import install_pki


@pytest.fixture
def cc_app(demo_app, instance_pki_template):  # type: ignore[no-untyped-def]
    install_pki(instance_pki_template, demo_app.instance_path)
    return demo_app


@pytest.fixture
def cc_session(cc_app):  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    with cc_app.app_context():
        yield db.session
