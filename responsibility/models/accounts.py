"""User accounts. A person's roles are derived from the posts they hold; only the bureau admin
and auditors are accounts without (or beyond) a post."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .people import Person

KIND_PERSON = "person"
KIND_ADMIN = "admin"
KIND_AUDITOR = "auditor"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), default=KIND_PERSON)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    activation_token_hash: Mapped[str | None] = mapped_column(String(128), index=True)
    activation_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person | None] = relationship()

    @property
    def has_usable_password(self) -> bool:
        return self.password_hash is not None

    # The user protocol Flask-Login expects, written out so that models never import Flask.
    @property
    def is_active(self) -> bool:
        return bool(self.is_enabled)

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)
