"""The supplementary confirmation (补充确认书): a short PDF binding a successor to the agreement
their predecessor signed.

Outline §七: 责任人工作变动的，由接任者承接，并签补充确认. The confirmation names the school, the
post or grid that changed hands, the predecessor, the successor, the change day, and the bound
agreement by its document number and SHA-256 (anyone can check that hash against the file the
verifier shows). Its template is one TOML file under ``pdf_templates/confirmation/<version>/``;
the page furniture, fonts, signature slots and the embedded matrix are the agreement renderer's,
so ``flask verify`` reads a confirmation like any agreement (document number, expected signers).
Bytes in, bytes out: no database, deterministic output.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from responsibility.canonical import canonical_json
from responsibility.pdf.content import AgreementParameters, PersonRef, SignatureFieldSpec, cn_date, fill
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
    "CONFIRMATION_PLACEHOLDERS",
    "ConfirmationContent",
    "ConfirmationTemplate",
    "load_confirmation_template",
    "render_confirmation",
]

CONFIRMATION_PLACEHOLDERS = frozenset(
    {
        "bureau",
        "county",
        "season",
        "term_start",
        "term_end",
        "due_date",
        "document_number",
        "verification_url",
        "school_name",
        "subject",
        "predecessor_name",
        "successor_name",
        "successor_title",
        "change_date",
        "bound_kind",
        "bound_document_number",
        "bound_sha256",
    }
)
"""The only placeholders a confirmation template may use."""

_TEXTS = ("title", "heading", "signature_heading", "party_a", "party_b", "date_line")


@dataclass(frozen=True)
class ConfirmationTemplate:
    version: str
    title: str
    heading: str
    intro: tuple[str, ...]
    facts_columns: tuple[str, str]
    facts: tuple[tuple[str, str], ...]
    clauses: tuple[str, ...]
    signature_heading: str
    party_a: str
    party_b: str
    date_line: str
    content_hash: str
    """SHA-256 over the template's files (the same framing as the agreement templates)."""


@dataclass(frozen=True)
class ConfirmationContent:
    """Everything one confirmation shows (plain data; ``content_hash`` is the data snapshot)."""

    parameters: AgreementParameters
    """The campaign's parameters with the confirmation's own document number."""
    school_name: str
    subject: str
    """What changed hands, e.g. ``网格：一号教学楼三层（G00012）`` or ``岗位：分管安全副校长``."""
    predecessor: PersonRef
    successor: PersonRef
    successor_title: str
    change_date: date
    due_date: date
    bound_kind: str
    """``学校安全责任书`` or ``岗位安全责任书``."""
    bound_document_number: str
    bound_sha256: str
    signature_fields: tuple[SignatureFieldSpec, ...]

    def values(self) -> dict[str, str]:
        p = self.parameters
        return {
            "bureau": p.bureau,
            "county": p.county,
            "season": p.season,
            "term_start": cn_date(p.term_start),
            "term_end": cn_date(p.term_end),
            "due_date": cn_date(self.due_date),
            "document_number": p.document_number,
            "verification_url": p.verification_url,
            "school_name": self.school_name,
            "subject": self.subject,
            "predecessor_name": self.predecessor.name,
            "successor_name": self.successor.name,
            "successor_title": self.successor_title,
            "change_date": cn_date(self.change_date),
            "bound_kind": self.bound_kind,
            "bound_document_number": self.bound_document_number,
            "bound_sha256": self.bound_sha256,
        }

    def matrix(self) -> dict[str, Any]:
        """The embedded machine-readable facts (the verifier reads ``document_number`` and
        ``signers`` from it, as from an agreement's responsibility matrix)."""
        p = self.parameters
        return {
            "schema": "succession-confirmation/1",
            "document_number": p.document_number,
            "verification_url": p.verification_url,
            "season": p.season,
            "term": {"start": p.term_start.isoformat(), "end": p.term_end.isoformat()},
            "school": self.school_name,
            "subject": self.subject,
            "change_date": self.change_date.isoformat(),
            "predecessor": {"person_id": self.predecessor.source_id, "person_name": self.predecessor.name},
            "successor": {"person_id": self.successor.source_id, "person_name": self.successor.name},
            "bound_agreement": {"document_number": self.bound_document_number, "sha256": self.bound_sha256},
            "posts": [{"person_id": self.successor.source_id, "person_name": self.successor.name}],
            "signers": [
                {"field": f.field_name, "roles": list(f.role_codes), "person_id": f.person_source_id}
                for f in self.signature_fields
            ],
        }

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(canonical_json(asdict(self))).hexdigest()


def load_confirmation_template(version: str, root: Path = DEFAULT_ROOT) -> ConfirmationTemplate:
    """Load and check ``root/version/confirmation.toml``; ``TemplateError`` lists every problem."""
    directory = Path(root) / version
    doc = read_template_toml(directory, "confirmation.toml", version)
    problems = missing_texts(doc, _TEXTS)
    lists = {key: doc.get(key) for key in ("intro", "clauses")}
    problems += [f"{k!r} must be a list of texts" for k, v in lists.items() if not is_text_list(v, allow_empty=False)]
    facts = text_pairs(doc.get("facts"), problems, allow_empty=False)
    columns: list[str] = doc.get("facts_columns") or []
    if not is_text_list(columns, allow_empty=False) or len(columns) != 2:
        problems.append("'facts_columns' needs 2 labels")
        columns = ["", ""]
    texts = [doc.get(k, "") for k in _TEXTS] + list(doc.get("intro") or []) + list(doc.get("clauses") or [])
    texts += [cell for row in facts for cell in row]
    problems += unknown_placeholders(texts, CONFIRMATION_PLACEHOLDERS)
    if problems:
        raise TemplateError(version, problems)
    return ConfirmationTemplate(
        version=version,
        title=doc["title"],
        heading=doc["heading"],
        intro=tuple(doc["intro"]),
        facts_columns=(columns[0], columns[1]),
        facts=tuple((row[0], row[1]) for row in facts),
        clauses=tuple(doc["clauses"]),
        signature_heading=doc["signature_heading"],
        party_a=doc["party_a"],
        party_b=doc["party_b"],
        date_line=doc["date_line"],
        content_hash=template_files_hash(directory),
    )


def _signature_block(
    template: ConfirmationTemplate, content: ConfirmationContent, values: dict[str, str], st: Styles,
    positions: dict[str, SlotPosition],
) -> Flowable:  # fmt: skip
    columns = []
    for party, label in (("bureau", template.party_a), ("school", template.party_b)):
        cell: list[Flowable] = [paragraph(fill(label, values), st.label), Spacer(1, 4)]
        for spec in content.signature_fields:
            if spec.party == party:
                cell += [paragraph(spec.label, st.label), SignatureSlot(spec, positions), Spacer(1, 6)]
        columns.append(cell)
    block = Table([columns], colWidths=[FRAME_WIDTH / 2] * 2)
    block.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st.font), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether(
        [
            paragraph(fill(template.signature_heading, values), st.heading),
            block,
            Spacer(1, 4),
            paragraph(fill(template.date_line, values), st.label),
        ]
    )


def _story(
    template: ConfirmationTemplate, content: ConfirmationContent, st: Styles, positions: dict[str, SlotPosition]
) -> list[Flowable]:
    values = content.values()
    story: list[Flowable] = [Spacer(1, 6 * mm), paragraph(fill(template.heading, values), st.annex_title)]
    story += [paragraph(fill(text, values), st.body) for text in template.intro]
    story += [Spacer(1, 4)]
    rows = [[label, fill(text, values)] for label, text in template.facts]
    story.append(data_table(list(template.facts_columns), rows, [FRAME_WIDTH * 0.25, FRAME_WIDTH * 0.75], st))
    story += [Spacer(1, 6)] + [paragraph(fill(text, values), st.item) for text in template.clauses]
    story += [Spacer(1, 8), _signature_block(template, content, values, st, positions)]
    return story


def render_confirmation(
    template: ConfirmationTemplate, content: ConfirmationContent, *, font: FontSpec | None = None
) -> bytes:
    """The confirmation PDF: one or two pages, the signature fields of ``content`` (the issuing
    seal and the successor), the facts embedded as ``responsibility-matrix.json``. The same
    template and content give byte-identical output. ``ContentError`` without a successor field."""
    if not any(f.party == "school" for f in content.signature_fields):
        raise ContentError(content.parameters.document_number, ["no successor signature field"])
    font_name = ensure_font_registered(font)
    st = styles_for(font_name)
    positions: dict[str, SlotPosition] = {}
    story = _story(template, content, st, positions)
    p = content.parameters
    pdf = build_pdf(
        story,
        font=font_name,
        title=fill(template.title, content.values()),
        document_number=p.document_number,
        verification_url=p.verification_url,
        author=p.bureau,
        subject=f"{p.document_number} {content.school_name}",
        created_at=p.created_at,
    )
    seed = f"{template.version}\n{template.content_hash}\n{content.content_hash}".encode()
    return add_fields_and_matrix(
        pdf,
        [(f, positions[f.field_name]) for f in content.signature_fields],
        canonical_json(content.matrix()),
        document_id=hashlib.sha256(seed).digest()[:16],
        created_at=p.created_at,
        description="补充确认书（原责任书文书编号与哈希、前任与接任责任人、变动日期）",
    )
