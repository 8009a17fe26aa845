"""The agreement as reportlab platypus flowables: styles, text, tables and signature slots.

Only layout lives here; the page furniture (header, footer, QR code) and the PDF post-processing
are in ``render``. ``build_story`` is public so the benchmark can build the very same flowables
with a bare ``SimpleDocTemplate`` and compare.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _rl_paragraph

from responsibility.pdf.content import AgreementContent, SignatureFieldSpec, fill, placeholder_values
from responsibility.pdf.shared_text import SharedParagraph
from responsibility.pdf.template import AgreementTemplate, Section

__all__ = [
    "BUSINESS_DUTY_GAP",
    "FRAME_WIDTH",
    "MARGINS",
    "PAGE_SIZE",
    "SAFETY_DUTIES_GAP",
    "SignatureSlot",
    "SlotPosition",
    "Styles",
    "build_story",
    "data_table",
    "paragraph",
    "reportlab_paragraphs",
    "styles_for",
]

BUSINESS_DUTY_GAP = "（未填写业务职责）"
SAFETY_DUTIES_GAP = "（未填写安全职责）"
"""What Annex 1 prints for a post whose duty is empty (declared empty, or absent with no catalogue
text): the gap stays visible on the signed document (P1 of the gap report), never filled in."""

PAGE_SIZE = A4
MARGINS = {"left": 26 * mm, "right": 24 * mm, "top": 30 * mm, "bottom": 30 * mm}
FRAME_WIDTH = PAGE_SIZE[0] - MARGINS["left"] - MARGINS["right"]
SLOT_SIZE = (62 * mm, 18 * mm)


# Chinese punctuation that may not start a line (行首禁则). reportlab's list covers Japanese
# usage and misses the full-width comma, semicolon, colon, closing book-title marks and quotes;
# its CJK wrapper hangs such a character at the line end instead, so styles keep a right indent
# of one character for it and nothing crosses the frame.
_CANNOT_START = "，；：？！》〉」』】〕）”’…—·"
for _module in (_rl_textsplit, _rl_paragraph):
    _module.ALL_CANNOT_START += "".join(ch for ch in _CANNOT_START if ch not in _module.ALL_CANNOT_START)


@dataclass(frozen=True)
class SlotPosition:
    """Where a signature slot landed: 0-based page index and box (llx, lly, urx, ury) in pt."""

    page_index: int
    box: tuple[int, int, int, int]


class Styles:
    """Paragraph styles for one font. Every style wraps CJK text (``wordWrap='CJK'``)."""

    def __init__(self, font: str) -> None:
        self.font = font
        base = ParagraphStyle(
            "body",
            fontName=font,
            fontSize=11.5,
            leading=20,
            wordWrap="CJK",
            firstLineIndent=23,
            rightIndent=11.5,
            alignment=TA_JUSTIFY,
            allowWidows=0,
        )
        self.body = base
        self.item = ParagraphStyle("item", parent=base, firstLineIndent=0, leftIndent=23)
        self.heading = ParagraphStyle(
            "heading", parent=base, fontSize=14, leading=22, firstLineIndent=0, spaceBefore=10, spaceAfter=4
        )
        self.subheading = ParagraphStyle("subheading", parent=base, fontSize=12, firstLineIndent=23, spaceBefore=2)
        self.title = ParagraphStyle(
            "title", parent=base, fontSize=24, leading=38, alignment=TA_CENTER, firstLineIndent=0, rightIndent=0
        )
        self.annex_title = ParagraphStyle("annex", parent=self.title, fontSize=16, leading=26, spaceAfter=8)
        self.cover_line = ParagraphStyle("cover_line", parent=base, fontSize=15, leading=30, firstLineIndent=0)
        self.center = ParagraphStyle(
            "center", parent=base, fontSize=15, alignment=TA_CENTER, firstLineIndent=0, rightIndent=0
        )
        self.small = ParagraphStyle("small", parent=base, fontSize=9, leading=14, firstLineIndent=0)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=9, leading=12.5, firstLineIndent=0, rightIndent=9)
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, alignment=TA_CENTER, rightIndent=0)
        self.label = ParagraphStyle("label", parent=base, fontSize=10.5, leading=15, firstLineIndent=0)
        self.levels = [ParagraphStyle(f"lvl{i}", parent=self.cell, leftIndent=8 * i) for i in range(4)]


class SignatureSlot(Flowable):  # type: ignore[misc]  # reportlab ships no types: Flowable is Any
    """An empty rectangle where a signature field goes; records its position when drawn."""

    def __init__(self, spec: SignatureFieldSpec, positions: dict[str, SlotPosition]) -> None:
        super().__init__()
        self.spec = spec
        self.positions = positions
        self.width, self.height = SLOT_SIZE

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        box = (round(x), round(y), round(x + self.width), round(y + self.height))
        self.positions[self.spec.field_name] = SlotPosition(self.canv.getPageNumber() - 1, box)


@cache
def styles_for(font: str) -> Styles:
    """The styles of ``font``, one set per process: the shared paragraphs' parse is keyed by the
    style object (``shared_text``), so every document must set its text in the same objects.
    Nothing changes a style after it is made."""
    return Styles(font)


_paragraph_class: type[Paragraph] = SharedParagraph


@contextmanager
def reportlab_paragraphs() -> Iterator[None]:
    """Within it, stories are built of reportlab's own ``Paragraph`` (no shared parse or line
    breaks): the bare baseline of ``bench/pdf_bench.py`` and the reference the tests compare the
    shared paragraphs' output with. Not for production code (one process-wide switch)."""
    global _paragraph_class
    before, _paragraph_class = _paragraph_class, Paragraph
    try:
        yield
    finally:
        _paragraph_class = before


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return _paragraph_class(escape(text), style)


def _table(
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    st: Styles,
    cell_styles: list[list[ParagraphStyle]] | None = None,
) -> Table:
    """A table of wrapped paragraphs whose header row repeats on every page it spans."""
    data = [[_p(h, st.cell_head) for h in header]]
    for r, row in enumerate(rows):
        data.append([_p(v, (cell_styles[r][c] if cell_styles else st.cell)) for c, v in enumerate(row)])
    table = Table(data, colWidths=widths, repeatRows=1, splitByRow=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), st.font, 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _widths(*fractions: float) -> list[float]:
    return [FRAME_WIDTH * f for f in fractions]


def _section_text(section: Section, values: dict[str, str], st: Styles) -> list[Flowable]:
    out: list[Flowable] = [_p(fill(section.heading, values), st.heading)]
    for block in section.blocks:
        if block.kind == "para":
            out.append(_p(fill(block.text, values), st.body))
        elif block.kind == "subheading":
            out.append(_p(fill(block.text, values), st.subheading))
        else:
            out.extend(_p(fill(item, values), st.item) for item in block.items)
    return out


def _cover(template: AgreementTemplate, values: dict[str, str], st: Styles) -> list[Flowable]:
    cover = template.cover
    lines = [_p(fill(line, values), st.cover_line) for line in cover.lines]
    return [
        Spacer(1, 35 * mm),
        _p(fill(cover.title, values), st.title),
        Spacer(1, 40 * mm),
        Table([[line] for line in lines], colWidths=[FRAME_WIDTH * 0.8], style=[("FONT", (0, 0), (-1, -1), st.font)]),
        Spacer(1, 20 * mm),
        _p(fill(cover.date_line, values), st.center),
        Spacer(1, 12 * mm),
        _p(fill(cover.notice, values), st.small),
        PageBreak(),
    ]


def _party_line(template: str, party: str, content: AgreementContent, values: dict[str, str]) -> str:
    """The party's heading line; "（盖章）" only when a seal field of that party backs it (the
    bureau seals, a school signs by its two heads without a seal of its own)."""
    sealed = any(spec.party == party and spec.person_source_id is None for spec in content.signature_fields)
    line = fill(template, values)
    return line if sealed else line.replace("（盖章）", "")


def _signatures(
    section: Section,
    content: AgreementContent,
    values: dict[str, str],
    st: Styles,
    positions: dict[str, SlotPosition],
) -> list[Flowable]:
    columns = []
    for party, key in (("bureau", "party_a"), ("school", "party_b")):
        cell: list[Flowable] = [_p(_party_line(section.extra[key], party, content, values), st.label), Spacer(1, 4)]
        for spec in content.signature_fields:
            if spec.party == party:
                cell += [_p(spec.label, st.label), SignatureSlot(spec, positions), Spacer(1, 6)]
        columns.append(cell)
    block = Table([columns], colWidths=[FRAME_WIDTH / 2] * 2)
    block.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), st.font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [
        CondPageBreak(110 * mm),
        KeepTogether(
            [
                _p(fill(section.heading, values), st.heading),
                block,
                Spacer(1, 4),
                _p(fill(section.extra["date_line"], values), st.label),
            ]
        ),
    ]


def _annex_posts(section: Section, content: AgreementContent, values: dict[str, str], st: Styles) -> list[Flowable]:
    rows = [
        [
            str(i),
            r.person.name,
            r.post_name,
            r.business_duty or BUSINESS_DUTY_GAP,
            "；".join(r.safety_duties) or SAFETY_DUTIES_GAP,
        ]
        for i, r in enumerate(content.posts, 1)
    ]
    return [
        PageBreak(),
        _p(fill(section.heading, values), st.annex_title),
        *[_p(fill(b.text, values), st.body) for b in section.blocks if b.kind == "para"],
        Spacer(1, 4),
        _table(list(section.columns), rows, _widths(0.07, 0.11, 0.2, 0.22, 0.4), st),
    ]


def _annex_grids(section: Section, content: AgreementContent, values: dict[str, str], st: Styles) -> list[Flowable]:
    rows, styles = [], []
    for g in content.grids:
        owner = g.owner.name if g.owner else "（空缺）"
        rows.append([str(g.level), g.name, g.scope_type, owner, "、".join(m.name for m in g.members)])
        name_style = st.levels[min(g.level - 1, 3)]
        styles.append([st.cell, name_style, st.cell, st.cell, st.cell])
    out: list[Flowable] = [
        PageBreak(),
        _p(fill(section.heading, values), st.annex_title),
        *[_p(fill(b.text, values), st.body) for b in section.blocks if b.kind == "para"],
        Spacer(1, 4),
        _table(list(section.columns), rows, _widths(0.07, 0.3, 0.1, 0.13, 0.4), st, styles),
    ]
    if content.buildings:
        buildings = [
            [b.name, b.building_type, str(b.floors), b.fire_plan_no or "未建立", b.grid_name or b.grid_source_id]
            for b in content.buildings
        ]
        out += [
            Spacer(1, 10),
            _p(fill(section.extra["building_heading"], values), st.heading),
            _table(list(section.extra["building_columns"]), buildings, _widths(0.2, 0.13, 0.07, 0.37, 0.23), st),
        ]
    return out


def build_story(
    template: AgreementTemplate, content: AgreementContent, font: str, positions: dict[str, SlotPosition]
) -> list[Flowable]:
    """All flowables of the agreement, cover to Annex 2. ``positions`` is filled while building."""
    st = styles_for(font)
    values = placeholder_values(content.parameters, content.school, content.buildings, content.parties)
    story = _cover(template, values, st)
    for sid in ("general", "parties", "targets", "party_a_duties"):
        story += _section_text(template.section(sid), values, st)
    clause_section = template.section("party_b_clauses")
    story += _section_text(clause_section, values, st)
    story.append(
        _table(
            list(clause_section.columns),
            [[c.code, c.risk_area, c.text, c.target] for c in content.clauses],
            _widths(0.08, 0.14, 0.54, 0.24),
            st,
        )
    )
    for sid in ("assessment", "term", "supplementary"):
        story += _section_text(template.section(sid), values, st)
    story += _signatures(template.section("signatures"), content, values, st, positions)
    story += _annex_posts(template.section("annex_posts"), content, values, st)
    story += _annex_grids(template.section("annex_grids"), content, values, st)
    return story


paragraph = _p
"""An escaped paragraph of plain text in ``style`` (for the other documents' layouts)."""
data_table = _table
"""A table of wrapped paragraphs with a repeating grey header row (for the other layouts)."""
