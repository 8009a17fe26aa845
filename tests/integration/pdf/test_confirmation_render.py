"""The supplementary confirmation PDF (补充确认书): its template, its text, its fields and its
embedded facts; deterministic bytes. No database."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from pdf_tools import run

from responsibility.errors import BadInput
from responsibility.pdf.confirmation import ConfirmationContent, load_confirmation_template, render_confirmation
from responsibility.pdf.content import AgreementParameters, PersonRef
from responsibility.pdf.errors import TemplateError
from responsibility.pdf.signers import confirmation_signature_fields
from responsibility.pdf.template import DEFAULT_ROOT

VERSION = "confirmation/2025-v1"
BOUND_SHA = "3f" * 32


def _content(**changes) -> ConfirmationContent:  # type: ignore[no-untyped-def]
    params = AgreementParameters(
        county="岚川县",
        bureau="岚川县教育体育和科技局",
        season="2025—2026年冬春季",
        term_start=dt.date(2025, 11, 1),
        term_end=dt.date(2026, 4, 30),
        signing_date=dt.date(2025, 11, 15),
        due_date=dt.date(2025, 11, 30),
        copies=2,
        document_number="LCJT-2025DC-SCH001-BC-G00012-P00100",
        verification_base_url="https://anquan.example.cn",
        created_at=dt.datetime(2025, 11, 1, 8, tzinfo=dt.UTC),
        targets={},
    )
    successor = PersonRef("P00100", "李晓燕")
    values = {
        "parameters": params,
        "school_name": "岚川县城关小学",
        "subject": "网格长：三年级二班（G00012）",
        "predecessor": PersonRef("P00042", "王建国"),
        "successor": successor,
        "successor_title": "网格长",
        "change_date": dt.date(2026, 1, 5),
        "due_date": dt.date(2026, 1, 12),
        "bound_kind": "岗位安全责任书",
        "bound_document_number": "LCJT-2025DC-SCH001-P00042",
        "bound_sha256": BOUND_SHA,
        "signature_fields": confirmation_signature_fields("岚川县教育体育和科技局", successor, "网格长"),
    }
    values.update(changes)
    return ConfirmationContent(**values)


def test_the_confirmation_names_the_bound_agreement_and_both_people(tools, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    template = load_confirmation_template(VERSION)
    pdf = render_confirmation(template, _content())
    assert pdf == render_confirmation(template, _content())  # deterministic
    assert pdf != render_confirmation(template, _content(bound_sha256="4e" * 32))
    path = tmp_path / "confirmation.pdf"
    path.write_bytes(pdf)
    text = run("pdftotext", "-enc", "UTF-8", str(path), "-").replace("\n", "")
    for wanted in (
        "安全责任补充确认书",
        "LCJT-2025DC-SCH001-P00042",
        BOUND_SHA,
        "王建国",
        "李晓燕",
        "G00012",
        "2026年1月5日",
        "由接任者承接，并签补充确认",
    ):
        assert wanted in text, wanted
    run("pdfdetach", "-savefile", "responsibility-matrix.json", "-o", str(tmp_path / "m.json"), str(path))
    facts = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert facts["document_number"] == "LCJT-2025DC-SCH001-BC-G00012-P00100"
    assert facts["bound_agreement"] == {"document_number": "LCJT-2025DC-SCH001-P00042", "sha256": BOUND_SHA}
    assert [s["field"] for s in facts["signers"]] == ["sig_bureau_seal", "sig_holder"]
    assert facts["signers"][1]["person_id"] == "P00100"


def test_a_template_with_an_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    source = DEFAULT_ROOT / VERSION / "confirmation.toml"
    broken = tmp_path / "confirmation" / "broken"
    broken.mkdir(parents=True)
    shutil.copy(source, broken / "confirmation.toml")
    text = (broken / "confirmation.toml").read_text(encoding="utf-8")
    (broken / "confirmation.toml").write_text(text.replace("{successor_name}", "{salary}"), encoding="utf-8")
    with pytest.raises(TemplateError) as refused:
        load_confirmation_template("confirmation/broken", tmp_path)
    assert "salary" in str(refused.value)
    assert isinstance(refused.value, BadInput)
    with pytest.raises(TemplateError):
        load_confirmation_template("confirmation/none", tmp_path)
