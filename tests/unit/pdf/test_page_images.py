"""Page images of a PDF revision: rendered by pdftoppm once, then served from the cache; a bad hash,
a page that does not exist, or no pdftoppm is a PreviewUnavailable (the page offers the PDF)."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from responsibility.pdf.errors import PreviewUnavailable
from responsibility.pdf.page_images import PageImages

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")


def _pdf(pages: int) -> bytes:
    out = io.BytesIO()
    drawing = canvas.Canvas(out)
    for n in range(pages):
        drawing.drawString(72, 720, f"page {n + 1}")
        drawing.showPage()
    drawing.save()
    return out.getvalue()


@needs_poppler
def test_pages_are_rendered_once_then_read_from_the_cache(tmp_path: Path) -> None:
    data = _pdf(3)
    sha = hashlib.sha256(data).hexdigest()
    reads = []

    def read() -> bytes:
        reads.append(1)
        return data

    images = PageImages(tmp_path)
    assert images.page_count(sha, read) == 3
    second = images.image(sha, 2, read)
    assert second == tmp_path / sha[:2] / sha / "2.png" and second.read_bytes().startswith(b"\x89PNG")
    before = len(reads)
    assert images.image(sha, 2, read) == second and images.page_count(sha, read) == 3
    assert len(reads) == before  # nothing read again: the count and the page are cached
    with pytest.raises(PreviewUnavailable):
        images.image(sha, 4, read)
    with pytest.raises(PreviewUnavailable):
        images.image(sha, 0, read)


def test_a_name_that_is_not_a_hash_never_reaches_the_file_system(tmp_path: Path) -> None:
    with pytest.raises(PreviewUnavailable):
        PageImages(tmp_path).page_count("../../etc/passwd", lambda: b"")
    assert list(tmp_path.iterdir()) == []


def test_unreadable_bytes_and_a_missing_pdftoppm_give_no_preview(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PreviewUnavailable):
        PageImages(tmp_path).page_count("a" * 64, lambda: b"not a pdf")
    data = _pdf(1)
    sha = hashlib.sha256(data).hexdigest()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(PreviewUnavailable, match="poppler-utils"):
        PageImages(tmp_path).image(sha, 1, lambda: data)
