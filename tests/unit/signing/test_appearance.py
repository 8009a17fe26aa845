"""Signature appearances: embedded CJK font, name, posts, date; the red seal."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.pki import FONT_PATH, Kit

from responsibility.errors import BadInput
from responsibility.signing import Appearance, load_stamp_font, render_stamp

WHEN = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)  # 10:30 in Beijing


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "stamp.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _fonts(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "stamp.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_appearance_shows_name_posts_and_beijing_date(kit: Kit, tmp_path: Path) -> None:
    both = Appearance(name="李明", posts=("党支部书记", "校长"), organisation="示例县第一中学", font=kit.font)
    pdf = render_stamp(both, when=WHEN, width=230, height=75)
    text = _text(pdf, tmp_path)
    assert "李明" in text
    assert "党支部书记、校长" in text
    assert "示例县第一中学" in text
    assert "2026年03月01日 10:30" in text


def test_cjk_font_is_embedded_as_a_subset(kit: Kit, tmp_path: Path) -> None:
    pdf = render_stamp(kit.principal.appearance(kit.font), when=WHEN, width=230, height=75)
    cjk = [line for line in _fonts(pdf, tmp_path).splitlines() if "+" in line.split(" ")[0]]
    assert cjk, "no embedded subset font"
    assert all(" yes yes " in line for line in cjk)  # embedded, subset
    assert len(pdf) < 40_000


def test_seal_is_drawn_in_red(kit: Kit, tmp_path: Path) -> None:
    with_seal = render_stamp(kit.seal.appearance(kit.font, seal=True), when=WHEN, width=230, height=75)
    without = render_stamp(kit.seal.appearance(kit.font), when=WHEN, width=230, height=75)
    red = b".85 .1 .1 rg"  # reportlab writes the fill colour of SEAL_RED like this
    assert red in _uncompressed(with_seal, tmp_path)
    assert red not in _uncompressed(without, tmp_path)


def _uncompressed(pdf: bytes, tmp_path: Path) -> bytes:
    src, dst = tmp_path / "in.pdf", tmp_path / "out.pdf"
    src.write_bytes(pdf)
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(src), str(dst)], check=True)
    return dst.read_bytes()


def test_font_collection_needs_a_cache_and_is_extracted_once(tmp_path: Path) -> None:
    ttc = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    if not ttc.is_file():
        pytest.skip("fonts-wqy-microhei is not installed")
    with pytest.raises(BadInput, match="cache"):
        load_stamp_font(ttc)
    font = load_stamp_font(ttc, cache_dir=tmp_path)
    assert font.path.parent == tmp_path and font.path.suffix == ".ttf"
    mtime = font.path.stat().st_mtime_ns
    assert load_stamp_font(ttc, cache_dir=tmp_path) is font
    assert font.path.stat().st_mtime_ns == mtime


def test_same_font_file_is_registered_once() -> None:
    assert load_stamp_font(FONT_PATH) is load_stamp_font(FONT_PATH)


def test_missing_font_and_empty_field_are_bad_input(kit: Kit, tmp_path: Path) -> None:
    with pytest.raises(BadInput):
        load_stamp_font(tmp_path / "nope.ttf")
    with pytest.raises(BadInput):
        render_stamp(kit.principal.appearance(kit.font), when=WHEN, width=0, height=0)
