"""Shared paragraphs (issue 16): an agreement set with the process-wide parse and line-break
caches (``pdf.shared_text``) is byte-for-byte the agreement reportlab's own ``Paragraph`` sets,
whether the caches are cold, warmed by another school's agreement, or warmed by the same one; and
the caches are used (their hits grow), so the comparison is not of two plain renders."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from responsibility.demo import sample_kindergarten, sample_large_school
from responsibility.pdf import shared_text
from responsibility.pdf.fonts import ensure_font_registered
from responsibility.pdf.layout import reportlab_paragraphs, styles_for
from responsibility.pdf.render import render_agreement


def test_shared_paragraphs_set_the_very_bytes_reportlab_sets(template, tools) -> None:  # type: ignore[no-untyped-def]
    large, kindergarten = sample_large_school(template), sample_kindergarten(template)
    with reportlab_paragraphs():
        plain = {"large": render_agreement(template, large), "kindergarten": render_agreement(template, kindergarten)}
    shared_text.clear_caches()
    assert render_agreement(template, large) == plain["large"]  # cold caches
    cold = shared_text._parsed.cache_info()
    assert cold.misses > 100
    assert render_agreement(template, kindergarten) == plain["kindergarten"]  # warmed by another school
    assert render_agreement(template, large) == plain["large"]  # warmed by itself
    warm = shared_text._parsed.cache_info()
    assert warm.hits - cold.hits > 100 and shared_text._lines.cache_info().hits > 100


def _words(paragraph: Paragraph) -> list[list[dict[str, object]]]:
    return [[dict(word.__dict__) for word in line.words] for line in paragraph.blPara.lines]


def test_a_paragraph_of_several_fragments_wraps_as_reportlab_wraps(tools) -> None:  # type: ignore[no-untyped-def]
    """Markup (several fragments) and a split across frames take reportlab's own path."""
    st = styles_for(ensure_font_registered())
    text = "一岗双责，" * 40 + "<b>党政同责</b>" + "齐抓共管。" * 40
    ours, theirs = shared_text.SharedParagraph(text, st.body), Paragraph(text, st.body)
    assert ours.wrap(300, 1000) == theirs.wrap(300, 1000)
    assert _words(ours) == _words(theirs) and len(ours.blPara.lines) > 3
    halves = [[p.wrap(300, 1000) for p in para.split(300, 100)] for para in (ours, theirs)]
    assert halves[0] == halves[1] and len(halves[0]) == 2
