"""The CJK font: found on the system, registered once per process, a clear error when missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from responsibility.pdf.errors import FontMissing
from responsibility.pdf.fonts import DEFAULT_FONT, FontSpec, ensure_font_registered


def test_missing_font_names_the_package_to_install(tmp_path: Path):
    spec = FontSpec("NoSuchFontCN", tmp_path / "nope.ttc", 0, "fonts-arphic-uming")
    with pytest.raises(FontMissing) as err:
        ensure_font_registered(spec)
    assert "fonts-arphic-uming" in str(err.value)
    assert "nope.ttc" in str(err.value)


def test_a_non_truetype_file_is_refused(tmp_path: Path):
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font")
    with pytest.raises(FontMissing, match="cannot embed"):
        ensure_font_registered(FontSpec("BogusFont", bogus))


@pytest.mark.skipif(not DEFAULT_FONT.path.is_file(), reason="fonts-arphic-uming is not installed")
def test_the_default_font_is_registered_once():
    name = ensure_font_registered()
    font = pdfmetrics.getFont(name)
    assert ensure_font_registered() == name
    assert ensure_font_registered(DEFAULT_FONT) == name
    assert pdfmetrics.getFont(name) is font  # not parsed and registered again
    assert font.face.familyName == b"AR PL UMing CN"  # the simplified-Chinese face of the collection


@pytest.mark.skipif(not DEFAULT_FONT.path.is_file(), reason="fonts-arphic-uming is not installed")
def test_a_name_cannot_be_rebound_to_another_file(tmp_path: Path):
    ensure_font_registered()
    with pytest.raises(FontMissing, match="already registered"):
        ensure_font_registered(FontSpec(DEFAULT_FONT.name, tmp_path / "other.ttf"))
