"""The agreement preview as page images, for browsers that will not show a PDF in a frame (most
phone browsers): each page rendered once by poppler's ``pdftoppm`` and kept in a cache.

Bytes in, files out, no database: the caller names the revision by its SHA-256 (the content
address of the PDF store), checks who may see it, and hands the bytes over only when a page is
not cached yet. A revision never changes, so a cached page never goes stale; a new revision has a
new hash and its own pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader

from responsibility.atomic_files import write_atomic
from responsibility.pdf.errors import PreviewUnavailable

__all__ = ["DEFAULT_RESOLUTION", "PageImages"]

#: Dots per inch of a page image: an A4 page becomes 595 × 842 pixels, readable on a phone and
#: about 100 kB as PNG.
DEFAULT_RESOLUTION = 72
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class PageImages:
    """Page images of PDF revisions under ``cache_dir`` (``<sha[:2]>/<sha>/<n>.png``)."""

    def __init__(self, cache_dir: Path, *, resolution: int = DEFAULT_RESOLUTION, timeout: float = 30.0) -> None:
        self.cache_dir = Path(cache_dir)
        self.resolution = resolution
        self.timeout = timeout

    def _folder(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise PreviewUnavailable(f"not a revision hash: {sha256[:80]!r}")
        return self.cache_dir / sha256[:2] / sha256

    def page_count(self, sha256: str, read: Callable[[], bytes]) -> int:
        """How many pages the revision has (read once, then remembered beside its images)."""
        marker = self._folder(sha256) / "pages"
        if marker.is_file():
            return int(marker.read_text(encoding="ascii"))
        try:
            count = int(PdfFileReader(BytesIO(read())).root["/Pages"]["/Count"])
        except Exception as exc:  # a stored revision we made is readable; anything else: no preview
            raise PreviewUnavailable(f"the PDF cannot be read: {exc}") from exc
        write_atomic(marker, str(count).encode("ascii"), durable=False)
        return count

    def image(self, sha256: str, page: int, read: Callable[[], bytes]) -> Path:
        """The PNG of page ``page`` (1-based), rendered on first request."""
        if page < 1 or page > self.page_count(sha256, read):
            raise PreviewUnavailable(f"no page {page}")
        path = self._folder(sha256) / f"{page}.png"
        if path.is_file():
            return path
        write_atomic(path, self._render(read(), page), durable=False)
        return path

    def _render(self, data: bytes, page: int) -> bytes:
        tool = shutil.which("pdftoppm")
        if tool is None:
            raise PreviewUnavailable("pdftoppm (Debian package poppler-utils) is not installed")
        command = [tool, "-png", "-r", str(self.resolution), "-f", str(page), "-l", str(page), "-singlefile", "-"]
        try:
            done = subprocess.run(command, input=data, capture_output=True, timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PreviewUnavailable(f"rendering page {page} took longer than {self.timeout:g} s") from exc
        if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
            raise PreviewUnavailable(f"pdftoppm failed on page {page}: {done.stderr[:200]!r}")
        return done.stdout
