"""Crash leftovers in the instance's storage (issue 15, item 4): ``flask storage check [--repair]``.

Signing writes the new PDF *before* the row that names it commits (``agreements.storage``), and
every file is written through a temporary ``.<name>.*.tmp`` beside its target (``atomic_files``).
A process killed in between leaves complete but unreferenced PDFs and ``.tmp`` files; the data
stays consistent, the disk fills. This sweep lists:

- ``orphan``: a PDF in the agreement store that no agreement or revision row references;
- ``stale_tmp``: a temporary file of an interrupted write anywhere in the instance folder;
- ``unknown``: a file in the agreement store that is not a store file at all (never removed);
- ``missing``: a row whose PDF is not in the store (cannot be repaired here: restore a backup).

``repair`` removes orphans and temporaries, only when older than ``min_age`` (default ten minutes)
so that a signature being written right now — file stored, row not yet committed — is never
touched; referenced files are never removed. Reads the database only; the caller commits nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Agreement, AgreementRevision
from .storage import PdfStore

__all__ = ["MIN_AGE", "Finding", "StorageReport", "check_storage"]

MIN_AGE = dt.timedelta(minutes=10)
_STORE_FILE = re.compile(r"^[0-9a-f]{2}/([0-9a-f]{64})\.pdf$")
_TEMPORARY = ".*.tmp"


@dataclass(frozen=True)
class Finding:
    """One problem; ``repaired`` when ``repair`` removed the file."""

    kind: str
    """``orphan``, ``stale_tmp``, ``unknown`` or ``missing``."""
    path: str
    detail: str = ""
    repaired: bool = False

    def line(self) -> str:
        """The one line the command prints."""
        verb = "removed " if self.repaired else ""
        return f"{verb}{self.kind} {self.path}" + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class StorageReport:
    findings: tuple[Finding, ...]
    referenced: int
    """Distinct files the rows reference."""

    @property
    def problems(self) -> tuple[Finding, ...]:
        """What is still wrong after the sweep (missing files, unknown files, unrepaired leftovers)."""
        return tuple(f for f in self.findings if not f.repaired)


def _references(session: Session) -> dict[str, list[str]]:
    """SHA-256 → who references it (``LCJT-… current`` / ``LCJT-… revision 3``)."""
    refs: dict[str, list[str]] = {}
    for number, sha in session.execute(select(Agreement.document_number, Agreement.pdf_sha256)):
        refs.setdefault(sha, []).append(f"{number} current")
    rows = session.execute(
        select(Agreement.document_number, AgreementRevision.seq, AgreementRevision.sha256).join(
            Agreement, Agreement.id == AgreementRevision.agreement_id
        )
    )
    for number, seq, sha in rows:
        refs.setdefault(sha, []).append(f"{number} revision {seq}")
    return refs


def _old(path: Path, now: float, min_age: dt.timedelta) -> bool:
    try:
        return now - path.stat().st_mtime >= min_age.total_seconds()
    except FileNotFoundError:
        return False


def _remove(path: Path, kind: str, repair: bool, now: float, min_age: dt.timedelta, detail: str = "") -> Finding:
    if repair and _old(path, now, min_age):
        path.unlink(missing_ok=True)
        return Finding(kind, str(path), detail, repaired=True)
    if repair:
        detail = (detail + "; " if detail else "") + "too recent to remove"
    return Finding(kind, str(path), detail)


def check_storage(
    session: Session,
    store: PdfStore,
    instance_dir: Path,
    *,
    repair: bool = False,
    min_age: dt.timedelta = MIN_AGE,
    now: float | None = None,
) -> StorageReport:
    """Compare the agreement store and the instance folder with the rows; with ``repair`` remove
    unreferenced PDFs and temporaries older than ``min_age``. Never removes a referenced file."""
    moment = time.time() if now is None else now
    refs = _references(session)
    findings: list[Finding] = []
    root = store.root
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.match(_TEMPORARY)):
            match = _STORE_FILE.match(path.relative_to(root).as_posix())
            if match is None:
                findings.append(Finding("unknown", str(path), "not a file of the agreement store"))
            elif match.group(1) not in refs:
                findings.append(_remove(path, "orphan", repair, moment, min_age, "no row references it"))
    for sha, holders in sorted(refs.items()):
        if not store.exists(sha):
            findings.append(Finding("missing", str(store.path(sha)), ", ".join(holders)))
    temporaries = {*instance_dir.rglob(_TEMPORARY), *(root.rglob(_TEMPORARY) if root.is_dir() else ())}
    for path in sorted(p for p in temporaries if p.is_file()):
        findings.append(_remove(path, "stale_tmp", repair, moment, min_age, "left by an interrupted write"))
    return StorageReport(tuple(findings), len(refs))
