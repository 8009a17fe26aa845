"""Looks: no page is blank and nothing crosses the margins (text boxes and rendered pixels)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdf_tools import run

from responsibility.pdf.layout import MARGINS, PAGE_SIZE

NAMES = ("large", "kindergarten")
WORD_RE = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
DPI = 50


def words_per_page(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    html = run("pdftotext", "-bbox", str(path), "-")
    pages = []
    for width, height, body in PAGE_RE.findall(html):
        assert (round(float(width)), round(float(height))) == (round(PAGE_SIZE[0]), round(PAGE_SIZE[1]))
        pages.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD_RE.findall(body)])
    return pages


@pytest.mark.parametrize("name", NAMES)
def test_every_word_stays_inside_the_side_margins_and_off_the_paper_edge(samples, name):
    _, _, path = samples[name]
    width, height = PAGE_SIZE
    left, right = MARGINS["left"] - 0.5, width - MARGINS["right"] + 0.5
    for number, words in enumerate(words_per_page(path), 1):
        outside = [w for w in words if w[0] < left or w[2] > right or w[1] < 15 or w[3] > height - 5]
        assert outside == [], f"page {number}: {outside[:5]}"


@pytest.mark.parametrize("name", NAMES)
def test_no_page_is_blank(samples, name):
    _, _, path = samples[name]
    top, bottom = MARGINS["top"], PAGE_SIZE[1] - MARGINS["bottom"]
    for number, words in enumerate(words_per_page(path), 1):
        body = [w for w in words if w[1] >= top - 1 and w[3] <= bottom + 1]
        assert len(body) >= 3, f"page {number} has no body text"


def read_pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    magic, width, height, maxval, pixels = re.match(rb"(P5)\s+(\d+)\s+(\d+)\s+(\d+)\s(.*)", data, re.S).groups()
    assert int(maxval) == 255
    return int(width), int(height), pixels


@pytest.mark.parametrize("name", NAMES)
def test_rendered_pixels_stay_inside_the_side_margins_and_the_body_is_inked(samples, name, tmp_path):
    """Catches what text boxes cannot: table rules and cell borders running past the margins."""
    _, _, path = samples[name]
    run("pdftoppm", "-r", str(DPI), "-gray", str(path), str(tmp_path / "p"))
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert pages
    scale = DPI / 72
    for page in pages:
        w, h, px = read_pgm(page)
        x_left = int((MARGINS["left"] - 2) * scale)
        x_right = int((PAGE_SIZE[0] - MARGINS["right"] + 2) * scale) + 1
        y_top, y_bottom = int(MARGINS["top"] * scale), int((PAGE_SIZE[1] - MARGINS["bottom"]) * scale)
        dark_outside = 0
        dark_body = 0
        for y in range(h):
            row = px[y * w : (y + 1) * w]
            dark_outside += sum(1 for v in row[:x_left] if v < 160) + sum(1 for v in row[x_right:] if v < 160)
            if y_top <= y < y_bottom:
                dark_body += sum(1 for v in row[x_left:x_right] if v < 160)
        assert dark_outside == 0, f"{page.name}: {dark_outside} dark pixels in the side margins"
        assert dark_body > 200, f"{page.name}: body looks blank"
