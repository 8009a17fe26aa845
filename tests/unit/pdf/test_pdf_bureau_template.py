"""The third template (the bureau's internal agreements) and the party placeholders."""

from __future__ import annotations

import dataclasses
import json

import pytest

from responsibility.demo import sample_kindergarten
from responsibility.pdf.content import Parties, PersonRef, apply_clauses, fill, placeholder_values
from responsibility.pdf.errors import ContentError
from responsibility.pdf.signers import post_signature_fields
from responsibility.pdf.template import load_template

CHIEF, DEPUTY = PersonRef("P00001", "龚伟"), PersonRef("P00002", "魏平毅")
PARTIES = Parties(CHIEF, "党组书记、局长", DEPUTY, "副局长（分管安全稳定）", "岚川县教育体育和科技局", "分管领导具体抓")


@pytest.fixture(scope="module")
def bureau_template():
    return load_template("bureau_agreement/2025-v1")


def test_the_bureau_template_loads_and_names_both_parties(bureau_template) -> None:
    content = sample_kindergarten(load_template("winter_spring/2025-v1"))
    params = content.parameters
    clauses = apply_clauses(bureau_template, params, content.school, (), PARTIES)
    assert [c.code for c in clauses] == ["C01", "C02", "C03", "C04", "C05", "C06"]
    values = placeholder_values(params, content.school, (), PARTIES)
    cover = [line.replace("{party_a_name}", values["party_a_name"]) for line in bureau_template.cover.lines]
    assert any("龚伟" in line for line in cover)
    assert values["party_b_title"] == "副局长（分管安全稳定）" and values["responsibility_scope"] == "分管领导具体抓"
    assert set(bureau_template.suggested_targets()) <= set(params.targets)


def test_party_placeholders_need_parties(bureau_template) -> None:
    content = sample_kindergarten(load_template("winter_spring/2025-v1"))
    text = bureau_template.section("general").blocks[0].text
    with pytest.raises(ContentError, match="party_a_name"):
        fill(text, placeholder_values(content.parameters, content.school))
    assert "魏平毅" in fill(text, placeholder_values(content.parameters, content.school, (), PARTIES))


def test_parties_enter_the_matrix_and_hash_only_when_present(bureau_template) -> None:
    content = sample_kindergarten(load_template("winter_spring/2025-v1"))
    assert "parties" not in content.responsibility_matrix()
    fields = post_signature_fields("岚川县教育体育和科技局", CHIEF, "局长", DEPUTY, "副局长")
    bureau = dataclasses.replace(content, parties=PARTIES, signature_fields=fields)
    matrix = json.loads(bureau.matrix_json())
    assert matrix["parties"]["party_a"]["person_id"] == "P00001"
    assert matrix["parties"]["party_b"]["title"] == "副局长（分管安全稳定）"
    assert bureau.content_hash != content.content_hash
    # A bureau agreement needs no school heads; it still needs both parties' fields.
    no_heads = dataclasses.replace(bureau, school=dataclasses.replace(content.school, principal=None, party_head=None))
    assert no_heads.problems() == []
    assert "no school signature field" in dataclasses.replace(no_heads, signature_fields=fields[:2]).problems()
