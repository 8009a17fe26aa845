"""Witnesses of the checkpoints outside their table: what deleting checkpoint rows cannot hide.

Signed checkpoints catch a rewritten chain only while they exist; whoever rewrites the chain can
also delete them. So every checkpoint is witnessed elsewhere:

* by its number: checkpoints are numbered 1, 2, 3 … (the number is in the signed payload and is
  the row's id), so a row deleted in the middle leaves a gap;
* by the ``audit.checkpoint`` event appended after it in the chain itself;
* by a signed copy in the instance folder (``evidence.witness_files``);
* by every signature the system makes after it: the latest checkpoint's :class:`Witness`
  string goes into the signed document (``signing.pades.WITNESS_KEY``), so every agreement a
  school holds names the checkpoint that existed when it was signed.

This module parses witness strings and compares witnesses with the table. It imports nothing
above ``models``: the callers read files and PDFs and pass the witnesses in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AuditCheckpoint, AuditEvent

__all__ = ["WITNESS_FORMAT", "Witness", "latest_witness", "missing_checkpoints", "parse_witness"]

WITNESS_FORMAT = "audit-checkpoint/1"
_PATTERN = re.compile(rf"^{re.escape(WITNESS_FORMAT)} number=(\d+) seq=(\d+) head=([0-9a-f]{{64}})$")
_CHECKPOINT_SUBJECT = re.compile(r"^checkpoint:(\d+)$")


@dataclass(frozen=True)
class Witness:
    """One checkpoint as a witness names it: its number, the event it pins and that event's hash."""

    number: int
    seq: int
    head_hash: str

    def text(self) -> str:
        """The string signatures carry (``audit-checkpoint/1 number=N seq=S head=H``)."""
        return f"{WITNESS_FORMAT} number={self.number} seq={self.seq} head={self.head_hash}"

    @classmethod
    def of(cls, row: AuditCheckpoint) -> Witness:
        return cls(row.id, row.seq, row.head_hash)


def parse_witness(text: str | None) -> Witness | None:
    """The witness in ``text``, or None when it is not one."""
    match = _PATTERN.match((text or "").strip())
    if match is None:
        return None
    return Witness(int(match.group(1)), int(match.group(2)), match.group(3))


def latest_witness(session: Session) -> Witness | None:
    """The newest checkpoint (highest number) as a witness, None before the first one."""
    row = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)).first()
    return Witness.of(row) if row is not None else None


def _chain_witnesses(session: Session) -> list[tuple[str, Witness]]:
    """The ``audit.checkpoint`` events of the chain, as witnesses of their checkpoints."""
    found = []
    for event in session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.checkpoint")):
        match = _CHECKPOINT_SUBJECT.match(event.subject)
        data = event.data or {}
        if match is None or not isinstance(data.get("seq"), int) or not isinstance(data.get("head_hash"), str):
            continue
        found.append((f"audit event {event.seq}", Witness(int(match.group(1)), data["seq"], data["head_hash"])))
    return found


def _describe(sources: list[str], shown: int = 3) -> str:
    more = len(sources) - shown
    return ", ".join(sources[:shown]) + (f" and {more} more" if more > 0 else "")


def missing_checkpoints(session: Session, witnesses: Iterable[tuple[str, Witness]]) -> list[str]:
    """One line (English) per checkpoint that is missing or differs from what witnesses saw.

    ``witnesses`` are ``(source, witness)`` pairs read outside the table (witness files, signed
    documents); the chain's own ``audit.checkpoint`` events and the numbering are added here. A
    checkpoint missing for several witnesses gives one line naming the first three and the count."""
    rows = {row.id: row for row in session.scalars(select(AuditCheckpoint))}
    missing: dict[int, tuple[int, list[str]]] = {}
    differs: dict[tuple[int, int, str], list[str]] = {}
    for source, witness in [*_chain_witnesses(session), *witnesses]:
        row = rows.get(witness.number)
        if row is None:
            missing.setdefault(witness.number, (witness.seq, []))[1].append(source)
        elif (row.seq, row.head_hash) != (witness.seq, witness.head_hash):
            differs.setdefault((witness.number, witness.seq, witness.head_hash), []).append(source)
    problems = [
        f"checkpoint {number} (event {seq}) is missing: witnessed by {_describe(sources)}"
        for number, (seq, sources) in sorted(missing.items())
    ]
    problems += [
        f"checkpoint {number} differs from its witness (event {seq}, head {head[:12]}…): {_describe(sources)}"
        for (number, seq, head), sources in sorted(differs.items())
    ]
    highest = max(rows, default=0)
    gaps = sorted(set(range(1, highest + 1)) - set(rows) - set(missing))
    problems += [f"checkpoint {number} is missing: gap in the checkpoint numbers" for number in gaps]
    return problems
