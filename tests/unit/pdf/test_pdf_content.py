"""Agreement content: signature field rules, clause filling, completeness checks, the matrix."""

from __future__ import annotations

import dataclasses
import json

import pytest

from responsibility.demo import sample_kindergarten, sample_large_school
from responsibility.pdf.content import (
    PersonRef,
    SchoolFacts,
    apply_clauses,
    fill,
)
from responsibility.pdf.errors import ContentError
from responsibility.pdf.signers import bureau_signature_fields, school_signature_fields
from responsibility.pdf.template import load_template

CHIEF = PersonRef("P00001", "龚伟")
DEPUTY = PersonRef("P00002", "魏平毅")


@pytest.fixture(scope="module")
def template():
    return load_template("winter_spring/2025-v1")


def school(**overrides) -> SchoolFacts:
    base = dict(
        source_id="SCH100",
        name="岚川县测试初级中学",
        school_type="junior_middle",
        type_label="单设初中",
        features=("boarding", "school_bus"),
        students=900,
        classes=18,
        staff=70,
        boarders=420,
        buses=2,
        principal=PersonRef("P100", "刘明"),
        party_head=PersonRef("P101", "陈静"),
    )
    base.update(overrides)
    return SchoolFacts(**base)


def test_bureau_heads_held_by_one_person_get_one_field_naming_both_posts():
    fields = bureau_signature_fields("岚川县教育体育和科技局", CHIEF, CHIEF)
    assert [f.field_name for f in fields] == ["sig_bureau_seal", "sig_bureau_heads"]
    heads = fields[1]
    assert heads.role_codes == ("bureau_party_secretary", "bureau_chief")
    assert "党组书记" in heads.label and "局长" in heads.label and "龚伟" in heads.label
    assert fields[0].role_codes == ("bureau_seal",)


def test_bureau_heads_held_by_two_people_get_two_fields():
    fields = bureau_signature_fields("局", DEPUTY, CHIEF)
    assert [f.field_name for f in fields] == ["sig_bureau_seal", "sig_bureau_party_secretary", "sig_bureau_chief"]
    assert fields[1].person_source_id == "P00002"
    assert fields[2].person_source_id == "P00001"


def test_school_heads_get_two_fields_or_one_when_one_person_holds_both():
    two = school_signature_fields(school())
    assert [(f.field_name, f.role_codes) for f in two] == [
        ("sig_school_party_head", ("school_party_secretary",)),
        ("sig_school_principal", ("principal",)),
    ]
    same = PersonRef("P100", "刘明")
    one = school_signature_fields(school(principal=same, party_head=same))
    assert [(f.field_name, f.role_codes) for f in one] == [
        ("sig_school_heads", ("school_party_secretary", "principal"))
    ]
    assert one[0].label == "党组织书记、校长：刘明"


def test_private_schools_sign_the_party_side_by_the_party_instructor():
    fields = school_signature_fields(school(school_type="private", party_head_is_instructor=True))
    assert fields[0].role_codes == ("party_instructor",)
    assert fields[0].label.startswith("党建指导员")


def test_kindergarten_heads_are_called_yuanzhang():
    fields = school_signature_fields(school(school_type="kindergarten", features=("kindergarten",)))
    assert fields[1].label.startswith("园长")


def test_a_missing_principal_or_party_head_is_refused_by_name():
    with pytest.raises(ContentError) as err:
        school_signature_fields(school(principal=None, party_head=None))
    assert "校长" in str(err.value) and "党组织书记" in str(err.value) and "SCH100" in str(err.value)


def test_applied_clauses_carry_the_schools_own_facts(template):
    content = sample_large_school(template)
    by_code = {c.code: c for c in content.clauses}
    assert "4辆校车" in by_code["C08"].text
    assert "2380名寄宿学生" in by_code["C24"].text
    assert "7栋建筑" in by_code["C05"].text and "女生公寓" in by_code["C05"].text
    assert "{" not in "".join(c.text + c.target for c in content.clauses)


def test_campaign_targets_reach_the_clause_text(template):
    content = sample_large_school(template)
    params = dataclasses.replace(
        content.parameters, targets={**content.parameters.targets, "dorm_patrols_per_night": "3"}
    )
    clauses = apply_clauses(template, params, content.school, content.buildings)
    assert "每晚巡查不少于3次" in {c.code: c for c in clauses}["C24"].text


def test_fill_refuses_a_missing_value():
    with pytest.raises(ContentError, match=r"\{buses\}"):
        fill("校车{buses}辆", {})


def test_check_lists_everything_missing(template):
    content = sample_large_school(template)
    broken = dataclasses.replace(
        content, school=dataclasses.replace(content.school, principal=None), grids=(), posts=()
    )
    with pytest.raises(ContentError) as err:
        broken.check()
    assert {"no 校长 on file", "no grids", "no post assignments"} <= set(err.value.problems)
    content.check()  # the complete content passes


def test_matrix_has_clauses_posts_duties_grids_owners_with_source_ids(template):
    content = sample_kindergarten(template)
    matrix = json.loads(content.matrix_json())
    assert matrix["school"]["id"] == "SCH902"
    assert [c["code"] for c in matrix["clauses"]] == [c.code for c in content.clauses]
    post = matrix["posts"][0]
    assert post["assignment_id"] == content.posts[0].assignment_source_id
    assert post["business_duty"] and post["safety_duties"]
    assert {g["grid_id"] for g in matrix["grids"]} == {g.source_id for g in content.grids}
    owner = content.grids[0].owner.source_id
    assert content.grids[0].source_id in matrix["owners"][owner]
    assert {s["field"] for s in matrix["signers"]} == {f.field_name for f in content.signature_fields}


def test_content_hash_follows_the_data(template):
    content = sample_kindergarten(template)
    assert content.content_hash == sample_kindergarten(template).content_hash
    changed = dataclasses.replace(content, school=dataclasses.replace(content.school, students=211))
    assert changed.content_hash != content.content_hash
