"""Declarative base shared by every model.

Models use plain SQLAlchemy 2 (``DeclarativeBase``, ``Mapped[]``) so that domain services can
import them without importing Flask; Flask-SQLAlchemy is only given this metadata in
``extensions``. The naming convention makes Alembic migrations deterministic on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, MetaData
from sqlalchemy.orm import DeclarativeBase

from ..clock import now_utc

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of all models; carries the shared metadata and type map."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[Any]: JSON,
    }


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC (:func:`responsibility.clock.now_utc`), the default of every
    ``created_at``-like column."""
    return now_utc()
