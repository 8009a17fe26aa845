"""Content-addressed storage of agreement PDFs under ``instance/agreements/``.

A file's name is its SHA-256, so a stored file can never be changed in place and two agreements
with identical bytes share one file. Writes are atomic and durable: a temporary file in the same
directory, ``fsync``, ``rename``, then ``fsync`` of the directory. Services write the file BEFORE
the database row that names it commits, so a committed row always finds its file; a crash
between the two leaves at most an unreferenced, complete file, never a half-written one.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from ..atomic_files import write_atomic
from .errors import StoredPdfUnavailable

__all__ = ["PdfStore", "sha256_hex"]

_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PdfStore:
    """PDF files keyed by their hex SHA-256 below ``root``."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if not _SHA_RE.match(sha256):
            raise ValueError(f"not a hex SHA-256: {sha256!r}")
        return self.root / sha256[:2] / f"{sha256}.pdf"

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes) -> tuple[str, bool]:
        """Store ``data``; returns ``(sha256, created)`` where ``created`` is False when the
        identical file was already there (it is then left untouched)."""
        digest = sha256_hex(data)
        target = self.path(digest)
        if target.is_file():
            return digest, False
        write_atomic(target, data)
        return digest, True

    def read(self, sha256: str) -> bytes:
        """The stored bytes, checked against their name; ``StoredPdfUnavailable`` (a ``NotFound``) when missing or damaged."""
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise StoredPdfUnavailable(f"PDF {sha256[:12]}… is missing from the agreement store") from None
        if sha256_hex(data) != sha256:
            raise StoredPdfUnavailable(f"PDF {sha256[:12]}… in the agreement store is damaged (hash mismatch)")
        return data

    def discard(self, sha256: str) -> None:
        """Remove a file this process just created and no row references (a rolled-back write)."""
        self.path(sha256).unlink(missing_ok=True)

    def stray_temporaries(self) -> list[Path]:
        """Temporary files left by an interrupted write (there should be none)."""
        if not self.root.is_dir():
            return []
        return sorted(self.root.glob("*/.*.tmp"))
