"""Loading, hashing and validating agreement templates; broken copies are built in tmp dirs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from responsibility.errors import BadInput
from responsibility.pdf.errors import TemplateError
from responsibility.pdf.template import DEFAULT_ROOT, REQUIRED_SECTIONS, load_template, placeholders_in

VERSION = "winter_spring/2025-v1"


@pytest.fixture
def copy_root(tmp_path: Path) -> Path:
    """A writable copy of the real template under tmp_path (returns the new root)."""
    shutil.copytree(DEFAULT_ROOT / VERSION, tmp_path / VERSION)
    return tmp_path


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / VERSION / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_template_loads_with_all_sections_and_27_clauses():
    template = load_template(VERSION)
    assert set(template.sections) == set(REQUIRED_SECTIONS)
    assert [c.code for c in template.clauses] == [f"C{i:02d}" for i in range(1, 28)]
    assert template.version == VERSION
    assert len(template.content_hash) == 64


def test_season_specific_facts_are_placeholders_not_text():
    template = load_template(VERSION)
    texts = [template.title, template.cover.title, *template.cover.lines]
    for section in template.sections.values():
        for block in section.blocks:
            texts += [block.text, *block.items]
    joined = "\n".join(texts)
    for literal in ("岚川", "2025", "2026", "4月30日", "教育体育和科技局"):
        assert literal not in joined
    assert "{season}" in template.cover.title
    assert "{target.drills_per_season}" in joined


def test_content_hash_is_stable_and_follows_the_text(copy_root: Path):
    first = load_template(VERSION, copy_root).content_hash
    assert load_template(VERSION, copy_root).content_hash == first
    assert first == load_template(VERSION).content_hash
    edit(copy_root, "clauses.toml", "严禁超员", "严禁超载")
    assert load_template(VERSION, copy_root).content_hash != first


def test_content_hash_ignores_crlf_line_endings(copy_root: Path):
    first = load_template(VERSION, copy_root).content_hash
    path = copy_root / VERSION / "sections.toml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert load_template(VERSION, copy_root).content_hash == first


def test_unknown_placeholder_is_named(copy_root: Path):
    edit(copy_root, "sections.toml", "{school_name}（以下简称乙方）", "{school_nmae}（以下简称乙方）")
    with pytest.raises(TemplateError) as err:
        load_template(VERSION, copy_root)
    assert "{school_nmae}" in str(err.value)
    assert isinstance(err.value, BadInput)


def test_undeclared_target_is_an_unknown_placeholder(copy_root: Path):
    edit(copy_root, "clauses.toml", "{target.dorm_patrols_per_night}次并", "{target.dorm_checks}次并")
    with pytest.raises(TemplateError, match=r"target\.dorm_checks"):
        load_template(VERSION, copy_root)


def test_condition_with_unknown_feature_is_named(copy_root: Path):
    edit(copy_root, "clauses.toml", 'when = { features = ["school_bus"] }', 'when = { features = ["schoolbus"] }')
    with pytest.raises(TemplateError) as err:
        load_template(VERSION, copy_root)
    assert "C08" in str(err.value)
    assert "'schoolbus'" in str(err.value)


def test_condition_with_unknown_school_type_is_named(copy_root: Path):
    edit(copy_root, "clauses.toml", 'types = ["education_group"]', 'types = ["edu_group"]')
    with pytest.raises(TemplateError, match="edu_group"):
        load_template(VERSION, copy_root)


def test_missing_section_is_named(copy_root: Path):
    edit(copy_root, "sections.toml", 'id = "assessment"', 'id = "term_and_assessment"')
    with pytest.raises(TemplateError) as err:
        load_template(VERSION, copy_root)
    assert "missing section(s) assessment" in str(err.value)


def test_every_problem_is_listed_at_once(copy_root: Path):
    edit(copy_root, "sections.toml", 'id = "signatures"', 'id = "signing"')
    edit(copy_root, "clauses.toml", 'features = ["vocational"]', 'features = ["vocation"]')
    edit(copy_root, "clauses.toml", "{boarders}名", "{boarder_count}名")
    with pytest.raises(TemplateError) as err:
        load_template(VERSION, copy_root)
    message = str(err.value)
    assert "signatures" in message
    assert "'vocation'" in message
    assert "{boarder_count}" in message
    assert len(err.value.problems) >= 4  # unknown section, missing section, feature, placeholder


def test_missing_file_and_bad_toml_are_reported(copy_root: Path):
    (copy_root / VERSION / "clauses.toml").unlink()
    with pytest.raises(TemplateError, match="missing file clauses.toml"):
        load_template(VERSION, copy_root)
    (copy_root / VERSION / "clauses.toml").write_text("[[clauses]\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="not valid TOML"):
        load_template(VERSION, copy_root)


def test_unknown_version_and_path_tricks_are_refused(tmp_path: Path):
    with pytest.raises(TemplateError, match="no such template") as refused:
        load_template("winter_spring/1999-v9", tmp_path)
    assert str(tmp_path) not in str(refused.value)  # never the server's path
    for bad in ("../etc", "winter_spring/../../x", "/abs/path", "noslash"):
        with pytest.raises(TemplateError):
            load_template(bad)


def test_placeholders_in_finds_names_in_order():
    assert placeholders_in("{a}与{target.b}、{a}") == ["a", "target.b", "a"]


def test_template_versions_lists_the_installed_templates(tmp_path: Path):
    from responsibility.pdf.template import template_versions

    assert "winter_spring/2025-v1" in template_versions() and "post_agreement/2025-v1" in template_versions()
    (tmp_path / "fam" / "v1").mkdir(parents=True)
    (tmp_path / "fam" / "v1" / "manifest.toml").write_text("", encoding="utf-8")
    (tmp_path / "fam" / "empty").mkdir()
    assert template_versions(tmp_path) == ["fam/v1"]
