"""The write lock of one agreement: taken briefly, just before a new revision is recorded.

Signatures are made and checked without any lock on the revision read first; only then is the
agreement claimed and compared (``signing_flow.store_signatures``), so signers of different
agreements never wait on each other and two signers of one agreement never lose a signature.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import Agreement
from .errors import AgreementNotFound

__all__ = ["claim_agreement", "read_agreement"]


def claim_agreement(session: Session, agreement_id: int) -> Agreement:
    """Take the agreement's write lock and return it freshly read.

    The first statement is an UPDATE of the row (to itself): on SQLite it takes the database's
    writer lock (waiting up to the busy timeout), on PostgreSQL the row lock; a second writer of
    the same agreement waits here and then reads what the first one committed. Hold it briefly:
    sign first, claim, compare, record, commit.
    """
    found = session.execute(
        update(Agreement)
        .where(Agreement.id == agreement_id)
        .values(version=Agreement.version)
        .execution_options(synchronize_session=False)
    )
    if not found.rowcount:  # type: ignore[attr-defined]
        raise AgreementNotFound(f"no agreement {agreement_id}")
    agreement = session.scalars(
        select(Agreement)
        .where(Agreement.id == agreement_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    session.expire(agreement, ["revisions"])
    return agreement


def read_agreement(session: Session, agreement_id: int) -> Agreement:
    """The agreement freshly read, without a lock (its revisions reloaded on access)."""
    agreement = session.scalars(
        select(Agreement).where(Agreement.id == agreement_id).execution_options(populate_existing=True)
    ).one_or_none()
    if agreement is None:
        raise AgreementNotFound(f"no agreement {agreement_id}")
    session.expire(agreement, ["revisions"])
    return agreement
