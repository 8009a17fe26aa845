"""Paragraphs whose parse and line breaks are shared by every agreement of the process (issue 16).

A province's 20,000 agreements set the same clause text again and again: at the demo county, 95 %
of the paragraphs (83 % of the characters) of the 60 agreements are a text another agreement sets
in the same style. reportlab parses each paragraph's markup (an HTML parser) and measures each
character of it to break its lines, every time. :class:`SharedParagraph` does the same work once
per distinct text and style and per line width, and every later paragraph of the process reuses it:

- the parse: the fragments of ``(text, style)``, cloned for each paragraph (a paragraph's own
  fragments are never shared);
- the line breaks of a paragraph of one fragment (all of ours: escaped plain text in one style),
  by ``(text, font, size, line widths)``: the very ``wordSplit`` that reportlab's CJK wrapper
  calls, kept as immutable tuples and rebuilt into the lines that wrapper returns.

Everything else (paragraphs split across pages, several fragments, bullets, end dots) goes to
reportlab unchanged. The output is byte-for-byte what ``Paragraph`` gives
(``tests/unit/pdf/test_shared_text.py``). Both caches are bounded LRUs: a province's
school-specific texts (names, posts, grids) pass through without pushing memory up, while the
shared clause text stays hot. The styles must be long-lived objects (``layout.styles_for``): the
parse is keyed by the style object itself.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import wordSplit
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import ParaParser, cleanBlockQuotedText, textTransformFrags

__all__ = ["CACHE_SIZE", "SharedParagraph", "clear_caches"]

CACHE_SIZE = 20_000
"""Entries per cache. An agreement sets ≈ 500 paragraphs, of which ≈ 100–150 are its own (names,
posts, grids): the clause text every agreement sets stays in, the schools' own texts of the last
hundred or so agreements pass through."""


@lru_cache(maxsize=CACHE_SIZE)
def _parsed(text: str, style: ParagraphStyle) -> tuple[str, ParagraphStyle, tuple[Any, ...], Any]:
    """What ``Paragraph._setup`` derives from ``text``: the cleaned text, the style, the
    fragments and the bullet's fragments."""
    cleaned = cleanBlockQuotedText(text)
    parser = ParaParser()
    parser.caseSensitive = 1
    found_style, frags, bullet = parser.parse(cleaned, style)
    if frags is None:
        raise ValueError(f"xml parser error ({parser.errors[0]}) in paragraph beginning\n{cleaned[:30]!r}")
    textTransformFrags(frags, found_style)
    return cleaned, found_style, tuple(frags), bullet


@lru_cache(maxsize=CACHE_SIZE)
def _lines(text: str, font: str, size: float, widths: tuple[float, ...]) -> tuple[tuple[float, str], ...]:
    return tuple((space, line) for space, line in wordSplit(text, list(widths), font, size))


def clear_caches() -> None:
    _parsed.cache_clear()
    _lines.cache_clear()


class SharedParagraph(Paragraph):  # type: ignore[misc]  # reportlab ships no types: Paragraph is Any
    """A ``Paragraph`` that takes its parse and its line breaks from the process's caches."""

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if frags is not None or self.caseSensitive != 1 or cleaner is not cleanBlockQuotedText:
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        cleaned, found_style, shared, bullet = _parsed(text, style)
        self.text = cleaned
        self.frags = [f.clone() for f in shared]
        self.style = found_style
        self.bulletText = bullet or bulletText
        self.debug = 0

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        frags = self.frags
        first = frags[0] if len(frags) == 1 else None
        if (
            first is None
            or not hasattr(first, "text")
            or hasattr(first, "cbDefn")
            or self.style.endDots
            or self.bulletText
            or (hasattr(self, "blPara") and getattr(self, "_splitpara", 0))
        ):
            return super().breakLinesCJK(maxWidths)
        widths = tuple(maxWidths) if isinstance(maxWidths, (list, tuple)) else (maxWidths,)
        self.height = 0
        lines = _lines(first.text, first.fontName, first.fontSize, widths)
        return first.clone(
            kind=0,
            lines=[(space, [line]) for space, line in lines],
            ascent=first.fontSize,
            descent=-0.2 * first.fontSize,
        )
