"""The demo county with the instance PKI and one issued (certified) agreement, for the signing
pages; logins by source id (the demo accounts' usernames)."""

from __future__ import annotations

import pytest
from fixtures.instance_pki import install_pki
from support import DEMO_PASSWORD


@pytest.fixture
def signer_app(demo_app, instance_pki_template):  # type: ignore[no-untyped-def]
    install_pki(instance_pki_template, demo_app.instance_path)
    return demo_app


@pytest.fixture
def login(signer_app, give_login):  # type: ignore[no-untyped-def]
    """``login(source_id)`` → a test client logged in as that person (demo password set first)."""

    def _login(username: str):  # type: ignore[no-untyped-def]
        give_login(username)
        client = signer_app.test_client()
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        return client

    return _login


@pytest.fixture
def give_login(signer_app):  # type: ignore[no-untyped-def]
    """``give_login(source_id)``: set the demo password on that person's account (only some demo
    accounts have one)."""
    from sqlalchemy import select

    from responsibility.accounts.passwords import set_password
    from responsibility.extensions import db
    from responsibility.models import User

    def _give(source_id: str) -> str:
        with signer_app.app_context():
            user = db.session.scalars(select(User).where(User.username == source_id)).one()
            set_password(user, DEMO_PASSWORD, must_change=False)
            db.session.commit()
        return source_id

    return _give


@pytest.fixture
def issued(signer_app):  # type: ignore[no-untyped-def]
    """(agreement id, {role: source id}) of SCH001's issued agreement; heads and chief enrolled."""
    from fixtures.signing_workflow import TWO_HEADS, enrol_person, issue_schools, signers_of

    from responsibility.extensions import db

    with signer_app.app_context():
        (agreement,) = issue_schools(signer_app, db.session, [TWO_HEADS])
        people = signers_of(db.session, agreement)
        for who in (people.party_head, people.principal, people.chief):
            enrol_person(signer_app, db.session, who)
        ids = {"party_head": people.party_head.source_id, "principal": people.principal.source_id,
               "chief": people.chief.source_id}  # fmt: skip
        result = agreement.id, ids
        db.session.remove()
    return result
