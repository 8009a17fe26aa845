"""The typed session accessor that views hand to services."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from responsibility.extensions import db, db_session
from responsibility.models import KIND_ADMIN, User


def test_db_session_is_the_session_behind_db_session(app):
    """Services get the very session the view commits through ``db.session``."""
    with app.app_context():
        session = db_session()
        assert isinstance(session, Session)
        assert session is db.session()
        user = User(username="typed-accessor", display_name="Typed accessor", kind=KIND_ADMIN)
        session.add(user)
        assert user in db.session
        db.session.rollback()
        assert db_session().scalars(select(User).where(User.username == "typed-accessor")).first() is None
