"""Signed copies of the checkpoints in the instance folder, and the witnesses verify-log reads.

Each checkpoint is written, when it is made, as ``instance/audit/checkpoints/NNNNNN.json`` (the
signed payload, verbatim) and ``NNNNNN.p7s`` (the bureau seal's detached CMS with its RFC 3161
token): whoever deletes rows from ``audit_checkpoints`` must also find and delete these, and
can check them offline::

    openssl cms -verify -binary -inform DER -in 000042.p7s -content 000042.json -CAfile root.pem -purpose any

The files are written before the caller commits (atomically): a committed checkpoint always has
its files; a commit that fails leaves files of a checkpoint the table lacks, which verify-log
reports, rightly, since a signed checkpoint exists. Numbers are never reused
(``audit.checkpoints.checkpoint_head`` counts the files), so no file is ever overwritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..agreements.storage import PdfStore
from ..atomic_files import write_atomic
from ..audit.witness import Witness, missing_checkpoints, parse_witness
from ..errors import NotFound
from ..models import Agreement, AgreementRevision, AuditCheckpoint
from ..signing import read_witness
from ..verify.settings import TrustConfig
from .checkpoint_signature import verify_checkpoint_signature

__all__ = [
    "WitnessFile",
    "agreement_witnesses",
    "check_witnesses",
    "file_witnesses",
    "highest_file_number",
    "pdf_witnesses",
    "read_witness_files",
    "witness_dir",
    "write_witness_file",
]

_NAME = re.compile(r"^(\d{6,})\.json$")


def witness_dir(instance_dir: Path) -> Path:
    """Where the instance keeps the checkpoints' signed copies."""
    return instance_dir / "audit" / "checkpoints"


def write_witness_file(directory: Path, row: AuditCheckpoint) -> Path:
    """Write ``row``'s payload and signature as ``NNNNNN.json`` + ``.p7s`` (signature first, so a
    ``.json`` never exists without its signature)."""
    stem = directory / f"{row.id:06d}"
    write_atomic(stem.with_suffix(".p7s"), bytes(row.cms))
    return write_atomic(stem.with_suffix(".json"), row.payload.encode("utf-8"))


@dataclass(frozen=True)
class WitnessFile:
    """One checkpoint file pair as found in the folder."""

    number: int
    name: str
    payload: bytes
    cms: bytes | None
    """None when the ``.p7s`` is missing."""


def read_witness_files(directory: Path) -> Iterator[WitnessFile]:
    """The file pairs in ``directory`` (none when it does not exist), by number."""
    if not directory.is_dir():
        return
    for path in sorted(directory.glob("*.json")):
        match = _NAME.match(path.name)
        if match is None:
            continue
        signature = path.with_suffix(".p7s")
        cms = signature.read_bytes() if signature.is_file() else None
        yield WitnessFile(int(match.group(1)), path.name, path.read_bytes(), cms)


def highest_file_number(directory: Path) -> int:
    """The highest checkpoint number with a file (0 when none)."""
    return max((f.number for f in read_witness_files(directory)), default=0)


def _witness_of(payload: bytes) -> Witness | None:
    try:
        body = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    number, seq, head = body.get("number"), body.get("seq"), body.get("head_hash")
    if not (isinstance(number, int) and isinstance(seq, int) and isinstance(head, str)):
        return None
    return Witness(number, seq, head)


def file_witnesses(
    session: Session, directory: Path, trust: TrustConfig | None
) -> tuple[list[tuple[str, Witness]], list[str]]:
    """``(witnesses, problems)`` of the files in ``directory``. A file identical to its row
    witnesses it without another signature check (the row's is checked); any other file counts
    only if the bureau seal's signature over it holds (``trust``), else it is a problem."""
    rows = {row.id: row for row in session.scalars(select(AuditCheckpoint))}
    witnesses: list[tuple[str, Witness]] = []
    problems: list[str] = []
    for found in read_witness_files(directory):
        source = f"instance file {found.name}"
        witness = _witness_of(found.payload)
        if witness is None or witness.number != found.number:
            problems.append(f"{source} is not a checkpoint of that number")
            continue
        row = rows.get(found.number)
        if row is not None and row.payload.encode("utf-8") == found.payload and bytes(row.cms) == found.cms:
            witnesses.append((source, witness))
            continue
        if found.cms is None or trust is None:
            problems.append(f"{source} has no signature that can be checked")
            continue
        problem, _ = verify_checkpoint_signature(found.payload, found.cms, trust)
        if problem is not None:
            problems.append(f"{source}: {problem}")
            continue
        witnesses.append((source, witness))
    return witnesses, problems


def pdf_witnesses(named_pdfs: Iterable[tuple[str, bytes]]) -> list[tuple[str, Witness]]:
    """The witnesses the given documents carry (those without one are skipped)."""
    found = []
    for source, pdf in named_pdfs:
        witness = parse_witness(read_witness(pdf))
        if witness is not None:
            found.append((source, witness))
    return found


def agreement_witnesses(session: Session, store: PdfStore) -> tuple[list[tuple[str, Witness]], list[str]]:
    """``(witnesses, problems)`` of every stored agreement revision: the checkpoint each signed
    revision named; a revision whose file is missing or damaged is a problem."""
    rows = session.execute(
        select(Agreement.document_number, AgreementRevision.seq, AgreementRevision.sha256)
        .join(AgreementRevision, AgreementRevision.agreement_id == Agreement.id)
        .order_by(Agreement.id, AgreementRevision.seq)
    ).all()
    problems: list[str] = []

    def documents() -> Iterator[tuple[str, bytes]]:
        for number, seq, sha in rows:
            try:
                yield f"agreement {number} revision {seq}", store.read(sha)
            except NotFound as exc:
                problems.append(f"agreement {number} revision {seq}: {exc}")

    return pdf_witnesses(documents()), problems


def check_witnesses(
    session: Session,
    *,
    trust: TrustConfig | None,
    directory: Path,
    store: PdfStore | None,
    documents: Iterable[tuple[str, bytes]] = (),
) -> list[str]:
    """Every way the checkpoint table may have lost history, one English line each: checkpoints
    witnessed by the instance files, the stored agreement revisions (``store``), the given
    ``documents`` (e.g. a school's copy) or the chain's events but missing or different in the
    table, gaps in the numbers, and witness files that do not check. Reads only."""
    witnesses, problems = file_witnesses(session, directory, trust)
    if store is not None:
        stored, unreadable = agreement_witnesses(session, store)
        witnesses += stored
        problems += unreadable
    witnesses += pdf_witnesses(documents)
    return missing_checkpoints(session, witnesses) + problems
