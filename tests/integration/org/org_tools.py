"""Helpers of the import/export tests (a uniquely named module: several conftest.py exist)."""

from __future__ import annotations

from typing import Any

from responsibility.extensions import db
from responsibility.org.stats import content_dump

AUDIT = ("audit_events", "audit_chain_head")


def dump(app: Any, skip: tuple[str, ...] = AUDIT) -> dict[str, Any]:
    with app.app_context():
        try:
            return content_dump(db.session, skip=skip)
        finally:
            db.session.remove()
