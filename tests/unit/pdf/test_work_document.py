"""The work-document renderer: byte-identical output for the same content, exactly the signature
fields asked for and no other form field, the facts embedded for the verifier, and templates that
refuse an unknown placeholder or a malformed table with every problem listed."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from responsibility.assessment.results import PLACEHOLDERS
from responsibility.pdf.content import AgreementParameters, SignatureFieldSpec
from responsibility.pdf.errors import TemplateError
from responsibility.pdf.work_document import WorkDocumentContent, load_work_template, render_work_document
from responsibility.verify.inspect import read_embedded_matrix

PARAMS = AgreementParameters(
    county="岚川县", bureau="岚川县教育局", season="2025—2026年冬春季", term_start=dt.date(2025, 11, 15),
    term_end=dt.date(2026, 4, 30), signing_date=dt.date(2025, 11, 15), due_date=dt.date(2025, 12, 1), copies=2,
    document_number="LC-2025-KH-SCH001", verification_base_url="https://anquan.example.cn",
    created_at=dt.datetime(2026, 5, 6, tzinfo=dt.UTC),
)  # fmt: skip
FIELDS = (
    SignatureFieldSpec("sig_bureau_seal", ("bureau_seal",), "单位印章：岚川县教育局", "bureau"),
    SignatureFieldSpec("sig_school_party_head", ("school_party_secretary",), "党组织书记：王芳", "school", "P00028"),
    SignatureFieldSpec("sig_school_principal", ("principal",), "校长：李明", "school", "P00027"),
)


def _content(total: str = "82") -> WorkDocumentContent:
    return WorkDocumentContent(
        kind="assessment_result", parameters=PARAMS, organisation="岚川县第一中学",
        texts={"school_name": "岚川县第一中学", "school_id": "SCH001", "campaign_name": "冬春季", "at": "2026年4月30日",
               "total": total, "grade": "合格", "veto_text": "无", "rules_version": "2025-v1", "scheme": "县考核方案"},
        rows={"parts": (("隐患排查治理", "25", "20", "20", "—"),),
              "deductions": (("隐患排查治理", "H02 重大隐患逾期", "1", "5", "H2:HZ0008"),), "vetoes": ()},
        data={"total": float(total)}, signature_fields=FIELDS, names={"P00027": "李明", "P00028": "王芳"},
    )  # fmt: skip


def test_same_content_same_bytes_with_only_the_signature_fields_and_the_matrix() -> None:
    template = load_work_template("assessment_result/2025-v1", PLACEHOLDERS)
    pdf = render_work_document(template, _content())
    assert pdf == render_work_document(template, _content())
    assert pdf != render_work_document(template, _content("70"))
    reader = PdfFileReader(io.BytesIO(pdf))
    assert [name for name, value, _ in enumerate_sig_fields(reader)] == [f.field_name for f in FIELDS]
    fields = reader.root["/AcroForm"]["/Fields"]
    assert all(f.get_object()["/FT"] == "/Sig" for f in fields)
    number, signers = read_embedded_matrix(pdf)
    assert number == PARAMS.document_number
    assert [(s.field, s.person_source_id) for s in signers] == [(f.field_name, f.person_source_id) for f in FIELDS]


def test_the_facts_hash_ignores_the_number_and_day_but_not_the_facts() -> None:
    other = _content()
    moved = WorkDocumentContent(**{**other.__dict__, "parameters": AgreementParameters(
        **{**PARAMS.__dict__, "document_number": "LC-2025-KH-SCH001-2", "created_at": dt.datetime(2026, 6, 1, tzinfo=dt.UTC)}
    )})  # fmt: skip
    assert moved.facts_hash == other.facts_hash != _content("70").facts_hash
    assert json.loads(json.dumps(other.matrix()))["data"] == {"total": 82.0}


def test_a_broken_template_lists_every_problem(tmp_path: Path) -> None:
    directory = tmp_path / "broken" / "v1"
    directory.mkdir(parents=True)
    (directory / "document.toml").write_text(
        'title = "{nope}"\nheading = "h"\nsignature_heading = "s"\nparty_bureau = "b"\n'
        '[[tables]]\nkey = "t"\ncolumns = ["a", "b"]\nwidths = [0.5]\n',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError) as caught:
        load_work_template("broken/v1", frozenset(), tmp_path)
    text = str(caught.value)
    assert "date_line" in text and "{nope}" in text and "widths" in text
