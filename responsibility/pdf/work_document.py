"""Work documents (考核结果、问责决定、排查结果): short PDFs the bureau seals and people sign.

One renderer for every kind: a template (one TOML file under ``pdf_templates/<kind>/<version>/``)
gives the title, the heading, the paragraphs, the label/value facts and the headings and columns
of the tables; the content gives the texts that fill the placeholders, the rows of each table,
the machine-readable facts and the signature fields. The page furniture (document number, page
x of y, the QR code to ``/verify/<number>``), the embedded font, the signature slots and the
embedded ``responsibility-matrix.json`` (``document_number`` and ``signers``, read by the
verifier) are the agreement renderer's, so a work document verifies like any agreement.
Bytes in, bytes out: no database, deterministic output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from responsibility.canonical import canonical_json
from responsibility.pdf.content import AgreementParameters, SignatureFieldSpec, cn_date, fill
from responsibility.pdf.errors import ContentError, TemplateError
from responsibility.pdf.fonts import FontSpec, ensure_font_registered
from responsibility.pdf.layout import (
    FRAME_WIDTH,
    SignatureSlot,
    SlotPosition,
    Styles,
    data_table,
    paragraph,
    styles_for,
)
from responsibility.pdf.postprocess import add_fields_and_matrix
from responsibility.pdf.render import build_pdf
from responsibility.pdf.template import DEFAULT_ROOT, template_files_hash
from responsibility.pdf.template_toml import (
    is_text_list,
    missing_texts,
    read_template_toml,
    text_pairs,
    unknown_placeholders,
)

__all__ = [
    "BASE_PLACEHOLDERS",
    "TableSpec",
    "WorkDocumentContent",
    "WorkDocumentTemplate",
    "load_work_template",
    "render_work_document",
]

BASE_PLACEHOLDERS = frozenset({"bureau", "county", "season", "document_number", "verification_url", "issue_date"})
"""Placeholders every work-document template may use (from the parameters); each kind adds its own."""
_TEXTS = ("title", "heading", "signature_heading", "party_bureau", "date_line")


@dataclass(frozen=True)
class TableSpec:
    key: str
    heading: str
    columns: tuple[str, ...]
    widths: tuple[float, ...]
    """Fractions of the frame width, one per column."""
    empty: str
    """Printed instead of the table when it has no rows."""


@dataclass(frozen=True)
class WorkDocumentTemplate:
    version: str
    title: str
    heading: str
    intro: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    tables: tuple[TableSpec, ...]
    closing: tuple[str, ...]
    signature_heading: str
    party_bureau: str
    party_school: str
    date_line: str
    content_hash: str


@dataclass(frozen=True)
class WorkDocumentContent:
    """Everything one work document shows (plain data)."""

    kind: str
    parameters: AgreementParameters
    """The campaign's parameters with the document's own number and creation date."""
    organisation: str
    texts: Mapping[str, str]
    """The kind's placeholder values (besides :data:`BASE_PLACEHOLDERS`)."""
    rows: Mapping[str, tuple[tuple[str, ...], ...]]
    """Table key → its rows."""
    data: Mapping[str, Any]
    """The facts embedded as the matrix's ``data`` (JSON-able)."""
    signature_fields: tuple[SignatureFieldSpec, ...]
    names: Mapping[str, str] = field(default_factory=dict)
    """Person source id → name of everyone the document names (the matrix's ``posts``)."""

    def values(self) -> dict[str, str]:
        p = self.parameters
        return {
            "bureau": p.bureau,
            "county": p.county,
            "season": p.season,
            "document_number": p.document_number,
            "verification_url": p.verification_url,
            "issue_date": cn_date(p.created_at.date()),
            **self.texts,
        }

    def matrix(self) -> dict[str, Any]:
        p = self.parameters
        return {
            "schema": "work-document/1",
            "kind": self.kind,
            "document_number": p.document_number,
            "verification_url": p.verification_url,
            "organisation": self.organisation,
            "data": dict(self.data),
            "posts": [{"person_id": sid, "person_name": name} for sid, name in sorted(self.names.items())],
            "signers": [
                {"field": f.field_name, "roles": list(f.role_codes), "person_id": f.person_source_id}
                for f in self.signature_fields
            ],
        }

    @property
    def facts_hash(self) -> str:
        """SHA-256 of what the document says, without its number and date (issuing the same
        facts again is recognised by it)."""
        facts = {
            "kind": self.kind,
            "organisation": self.organisation,
            "texts": dict(self.texts),
            "rows": {k: [list(r) for r in v] for k, v in self.rows.items()},
            "data": dict(self.data),
            "signers": self.matrix()["signers"],
        }
        return hashlib.sha256(canonical_json(facts)).hexdigest()


def _tables(doc: dict[str, Any], problems: list[str]) -> tuple[TableSpec, ...]:
    out = []
    for i, raw in enumerate(doc.get("tables") or []):
        columns, widths = raw.get("columns"), raw.get("widths")
        if not isinstance(raw.get("key"), str) or not is_text_list(columns, allow_empty=False):
            problems.append(f"table {i + 1} needs a key and columns")
            continue
        if not isinstance(widths, list) or len(widths) != len(columns) or abs(sum(widths) - 1) > 0.01:
            problems.append(f"table {raw['key']!r}: widths must be one fraction per column, summing to 1")
            continue
        out.append(
            TableSpec(raw["key"], str(raw.get("heading", "")), tuple(columns), tuple(float(w) for w in widths),
                      str(raw.get("empty", "无")))
        )  # fmt: skip
    return tuple(out)


def load_work_template(version: str, placeholders: frozenset[str], root: Path = DEFAULT_ROOT) -> WorkDocumentTemplate:
    """Load and check ``root/version/document.toml``; ``TemplateError`` lists every problem
    (a missing text, a malformed table, a placeholder outside ``placeholders`` and the base ones)."""
    directory = Path(root) / version
    doc = read_template_toml(directory, "document.toml", version)
    problems = missing_texts(doc, _TEXTS)
    problems += [f"{k!r} must be a list of texts" for k in ("intro", "closing") if not is_text_list(doc.get(k, []))]
    facts = text_pairs(doc.get("facts", []), problems)
    tables = _tables(doc, problems)
    texts = (
        [str(doc.get(k, "")) for k in (*_TEXTS, "party_school")]
        + list(doc.get("intro") or [])
        + list(doc.get("closing") or [])
    )
    texts += [cell for row in facts for cell in row] + [t.heading for t in tables]
    problems += unknown_placeholders(texts, placeholders | BASE_PLACEHOLDERS)
    if problems:
        raise TemplateError(version, problems)
    return WorkDocumentTemplate(
        version=version, title=doc["title"], heading=doc["heading"], intro=tuple(doc.get("intro") or ()),
        facts=tuple((r[0], r[1]) for r in facts), tables=tables, closing=tuple(doc.get("closing") or ()),
        signature_heading=doc["signature_heading"], party_bureau=doc["party_bureau"],
        party_school=str(doc.get("party_school", "")), date_line=doc["date_line"], content_hash=template_files_hash(directory),
    )  # fmt: skip


def _signature_block(
    template: WorkDocumentTemplate, content: WorkDocumentContent, values: dict[str, str], st: Styles,
    positions: dict[str, SlotPosition],
) -> Flowable:  # fmt: skip
    columns = []
    for party, label in (("bureau", template.party_bureau), ("school", template.party_school)):
        if not any(spec.party == party for spec in content.signature_fields):
            continue  # a document only the bureau signs has one column
        cell: list[Flowable] = [paragraph(fill(label, values), st.label), Spacer(1, 4)]
        for spec in content.signature_fields:
            if spec.party == party:
                cell += [paragraph(spec.label, st.label), SignatureSlot(spec, positions), Spacer(1, 6)]
        columns.append(cell)
    block = Table([columns], colWidths=[FRAME_WIDTH / len(columns)] * len(columns))
    block.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st.font), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether(
        [paragraph(fill(template.signature_heading, values), st.heading), block, Spacer(1, 4),
         paragraph(fill(template.date_line, values), st.label)]
    )  # fmt: skip


def _story(
    template: WorkDocumentTemplate, content: WorkDocumentContent, st: Styles, positions: dict[str, SlotPosition]
) -> list[Flowable]:
    values = content.values()
    story: list[Flowable] = [Spacer(1, 6 * mm), paragraph(fill(template.heading, values), st.annex_title)]
    story += [paragraph(fill(text, values), st.body) for text in template.intro]
    if template.facts:
        rows = [[label, fill(text, values)] for label, text in template.facts]
        story += [Spacer(1, 4), data_table(["项目", "内容"], rows, [FRAME_WIDTH * 0.25, FRAME_WIDTH * 0.75], st)]
    for table in template.tables:
        story.append(paragraph(fill(table.heading, values), st.heading))
        rows = [list(r) for r in content.rows.get(table.key, ())]
        if rows:
            story.append(data_table(list(table.columns), rows, [FRAME_WIDTH * w for w in table.widths], st))
        else:
            story.append(paragraph(table.empty, st.body))
    story += [Spacer(1, 6)] + [paragraph(fill(text, values), st.body) for text in template.closing]
    story += [Spacer(1, 8), _signature_block(template, content, values, st, positions)]
    return story


def render_work_document(
    template: WorkDocumentTemplate, content: WorkDocumentContent, *, font: FontSpec | None = None
) -> bytes:
    """The PDF: the template's text with the content, the signature fields of ``content`` (the
    bureau seal first) and the facts embedded as ``responsibility-matrix.json``. The same template
    and content give byte-identical output. ``ContentError`` without a bureau-seal field."""
    if not any(f.role_codes == ("bureau_seal",) for f in content.signature_fields):
        raise ContentError(content.parameters.document_number, ["no bureau seal field"])
    font_name = ensure_font_registered(font)
    st = styles_for(font_name)
    positions: dict[str, SlotPosition] = {}
    story = _story(template, content, st, positions)
    p = content.parameters
    pdf = build_pdf(
        story, font=font_name, title=fill(template.title, content.values()), document_number=p.document_number,
        verification_url=p.verification_url, author=p.bureau, subject=f"{p.document_number} {content.organisation}",
        created_at=p.created_at,
    )  # fmt: skip
    seed = f"{template.version}\n{template.content_hash}\n{content.facts_hash}\n{p.document_number}".encode()
    return add_fields_and_matrix(
        pdf,
        [(f, positions[f.field_name]) for f in content.signature_fields],
        canonical_json(content.matrix()),
        document_id=hashlib.sha256(seed).digest()[:16],
        created_at=p.created_at,
        description="文书要素（考核结果、问责决定或排查结果，含证据编号与签署人）",
    )
