"""Rendering: the font, text, fields, attachment, QR codes and determinism of generated PDFs."""

from __future__ import annotations

import dataclasses
import json
import re
from io import BytesIO
from pathlib import Path

import pytest
from pdf_tools import run
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from responsibility.pdf.errors import ContentError
from responsibility.pdf.render import render_agreement

NAMES = ("large", "kindergarten")


def page_count(path: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(path))).group(1))


@pytest.mark.parametrize("name", NAMES)
def test_every_font_is_an_embedded_subset_of_the_cjk_truetype_font(samples, name):
    _, _, path = samples[name]
    rows = run("pdffonts", str(path)).splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        font, kind, _enc, emb, sub = row.split()[:5]
        assert (kind, emb, sub) == ("TrueType", "yes", "yes"), row
        assert re.match(r"^[A-Z]{6}\+UMingCN", font), row


@pytest.mark.parametrize("name", NAMES)
def test_text_is_extractable_chinese(samples, name):
    content, _, path = samples[name]
    text = run("pdftotext", str(path), "-")
    flat = text.replace("\n", "")
    for needle in (content.school.name, "党政同责", "附件1", "岗位安全责任清单", "附件2", "网格责任清单", "一票否决"):
        assert needle in flat, needle
    for clause in content.clauses:
        assert re.search(rf"^{clause.code}$", text, re.M), clause.code
    for row in content.posts[:5] + content.posts[-2:]:
        assert row.person.name in flat


@pytest.mark.parametrize("name", NAMES)
def test_only_a_party_with_a_seal_field_is_printed_with_seal(samples, name):
    """The bureau seals its side (甲方（盖章）); the school has no seal field, so no 乙方（盖章）."""
    content, _, path = samples[name]
    flat = run("pdftotext", str(path), "-").replace("\n", "")
    assert any(s.party == "bureau" and s.person_source_id is None for s in content.signature_fields)
    assert not any(s.party == "school" and s.person_source_id is None for s in content.signature_fields)
    assert "甲方（盖章）" in flat and "乙方（盖章）" not in flat
    assert f"乙方：{content.school.name}" in flat


def test_clause_selection_shows_in_the_documents(samples):
    large = run("pdftotext", str(samples["large"][2]), "-")
    kindergarten = run("pdftotext", str(samples["kindergarten"][2]), "-")
    assert re.search(r"^C08$", large, re.M) and re.search(r"^C24$", large, re.M)
    assert not re.search(r"^C25$", large, re.M)
    assert re.search(r"^C25$", kindergarten, re.M)
    assert not re.search(r"^C1[05]$", kindergarten, re.M)


@pytest.mark.parametrize("name", NAMES)
def test_no_line_starts_with_closing_punctuation(samples, name):
    text = run("pdftotext", str(samples[name][2]), "-")
    bad = [line for line in text.splitlines() if line and line[0] in "，。、；：？！）》”"]
    assert bad == []


def _fields(pdf: bytes):
    reader = PdfFileReader(BytesIO(pdf))
    return reader, reader.root["/AcroForm"]["/Fields"]


@pytest.mark.parametrize("name", NAMES)
def test_signature_fields_are_exactly_the_specified_ones_and_there_is_no_other_field(samples, name):
    content, pdf, _ = samples[name]
    reader, fields = _fields(pdf)
    names = [fname for fname, _value, _ref in enumerate_sig_fields(reader)]
    assert names == [f.field_name for f in content.signature_fields]
    for ref in fields:
        field = ref.get_object()
        assert field["/FT"] == "/Sig", field.get("/T")
        assert "/Kids" not in field or all(k.get_object().get("/FT", "/Sig") == "/Sig" for k in field["/Kids"])
    # reportlab's revision plus the update adding the fields and the matrix; no signature yet
    assert reader.xrefs.total_revisions == 2
    assert reader.embedded_signatures == []


def test_the_expected_field_names_per_school(samples):
    _, large, _ = samples["large"]
    _, kindergarten, _ = samples["kindergarten"]
    assert [n for n, *_ in enumerate_sig_fields(_fields(large)[0])] == [
        "sig_bureau_seal",
        "sig_bureau_heads",
        "sig_school_party_head",
        "sig_school_principal",
    ]
    assert [n for n, *_ in enumerate_sig_fields(_fields(kindergarten)[0])] == [
        "sig_bureau_seal",
        "sig_bureau_party_secretary",
        "sig_bureau_chief",
        "sig_school_party_head",
        "sig_school_principal",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_signature_widgets_are_visible_on_the_signature_page(samples, name):
    content, pdf, path = samples[name]
    reader = PdfFileReader(BytesIO(pdf))
    pages = _pages(reader.root["/Pages"])
    widget_pages = {}
    for index, page in enumerate(pages):
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Widget":
                llx, lly, urx, ury = (float(v) for v in annot["/Rect"])
                assert urx - llx > 100 and ury - lly > 30  # a visible box, not an invisible field
                widget_pages[str(annot["/T"])] = index
    assert set(widget_pages) == {f.field_name for f in content.signature_fields}
    (page,) = set(widget_pages.values())
    page_text = run("pdftotext", "-f", str(page + 1), "-l", str(page + 1), str(path), "-")
    assert "签署" in page_text and "签订日期" in page_text
    for spec in content.signature_fields:
        assert spec.label in page_text.replace("\n", "")


def _pages(node):
    node = node.get_object()
    if node["/Type"] == "/Page":
        return [node]
    return [p for kid in node["/Kids"] for p in _pages(kid)]


@pytest.mark.parametrize("name", NAMES)
def test_the_responsibility_matrix_is_attached_and_parses(samples, name, tmp_path):
    content, _, path = samples[name]
    assert "responsibility-matrix.json" in run("pdfdetach", "-list", str(path))
    out = tmp_path / "matrix.json"
    run("pdfdetach", "-save", "1", "-o", str(out), str(path))
    matrix = json.loads(out.read_text(encoding="utf-8"))
    assert matrix == json.loads(content.matrix_json())
    assert matrix["document_number"] == content.parameters.document_number
    assert len(matrix["posts"]) == len(content.posts) and len(matrix["grids"]) == len(content.grids)


@pytest.mark.parametrize("name", NAMES)
def test_a_qr_code_with_the_verification_url_on_every_page(samples, name, tmp_path):
    content, _, path = samples[name]
    run("pdftoppm", "-r", "100", "-png", str(path), str(tmp_path / "page"))
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == page_count(path)
    for png in pngs:
        decoded = run("zbarimg", "-q", "--raw", str(png)).split()
        assert decoded == [content.parameters.verification_url], png.name
    assert content.parameters.verification_url.endswith("/verify/" + content.parameters.document_number)


@pytest.mark.parametrize("name", NAMES)
def test_two_runs_give_identical_bytes(samples, template, name):
    content, pdf, _ = samples[name]
    assert render_agreement(template, content) == pdf


def test_different_content_gives_a_different_document_id(samples):
    ids = [PdfFileReader(BytesIO(samples[n][1])).trailer_view["/ID"][0].original_bytes for n in NAMES]
    assert ids[0] != ids[1]


def test_creation_date_comes_from_the_parameters(samples):
    info = run("pdfinfo", "-isodates", str(samples["large"][2]))
    assert re.search(r"CreationDate:\s+2025-11-10T09:00:00\+08", info), info


def test_incomplete_content_is_refused_before_rendering(samples, template):
    content = samples["kindergarten"][0]
    broken = dataclasses.replace(content, grids=(), school=dataclasses.replace(content.school, party_head=None))
    with pytest.raises(ContentError) as err:
        render_agreement(template, broken)
    assert "no grids" in str(err.value) and "党建指导员" in str(err.value)


def test_a_missing_target_value_is_refused(samples, template):
    content = samples["kindergarten"][0]
    targets = {k: v for k, v in content.parameters.targets.items() if k != "drills_per_season"}
    params = dataclasses.replace(content.parameters, targets=targets)
    with pytest.raises(ContentError, match="drills_per_season"):
        render_agreement(template, dataclasses.replace(content, parameters=params))
