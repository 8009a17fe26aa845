"""The checklist catalogue: the repository's version loads, every applicability rule holds, and a
broken catalogue is refused with every problem listed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from responsibility.inspections.catalogue import DEFAULT_ROOT, SCOPES, applicable_items, load_catalogue
from responsibility.inspections.errors import CatalogueError

CATALOGUE = load_catalogue()
THIRTEEN = [f"R{n:02d}" for n in range(3, 16)]


def ids(features: list[str], areas: list[str] | None = None) -> set[str]:
    return {i.id for i in applicable_items(CATALOGUE, features, areas)}


def test_the_repository_catalogue_covers_the_thirteen_areas() -> None:
    assert CATALOGUE.version == "2025-v1"
    assert set(THIRTEEN) <= set(CATALOGUE.areas)
    assert len(CATALOGUE.items) >= 100
    assert {i.scope for i in CATALOGUE.items} == set(SCOPES)
    for area in THIRTEEN:
        assert any(i.area == area for i in CATALOGUE.items), area
    assert all(i.id.startswith(i.area + "-") for i in CATALOGUE.items)
    assert len(CATALOGUE.content_hash) == 64


def test_items_for_all_apply_to_a_school_without_features() -> None:
    bare = ids([])
    assert "R03-01" in bare and "R08-01" in bare and "R14-01" in bare
    assert all(CATALOGUE.item(i).applies_when == ("all",) for i in bare)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("feature", "only_with_it"),
    [
        ("school_bus", {"R05-01", "R05-02", "R05-03", "R05-04", "R05-05"}),
        ("boarding", {"R09-04", "R21-01", "R21-08"}),
        ("lab", {"R11-01", "R11-07"}),
        ("canteen", {"R13-01", "R13-04", "R13-08"}),
        ("gas_or_heating", {"R10-04", "R10-06"}),
        ("special_equipment", {"R15-01", "R15-04", "R15-07"}),
        ("construction", {"R12-01", "R12-02", "R12-06"}),
        ("vocational", {"R07-01", "R07-07"}),
        ("kindergarten", {"R20-01", "R20-08"}),
    ],
)
def test_a_feature_brings_its_items_and_its_absence_keeps_them_out(feature: str, only_with_it: set[str]) -> None:
    assert only_with_it <= ids([feature])
    assert not only_with_it & ids([]), "a school without the feature gets none of its items"
    others = [f for f in CATALOGUE.features if f != feature]
    assert not only_with_it & ids(others)


def test_a_school_without_a_bus_gets_no_bus_items() -> None:
    no_bus = ids(["boarding", "canteen", "k12", "lab"])
    assert not {i for i in no_bus if CATALOGUE.item(i).applies_when == ("school_bus",)}  # type: ignore[union-attr]
    assert "R05-07" in no_bus  # the school gate's traffic safety concerns everyone
    assert "R05-06" in no_bus  # 黑校车 among k12 pupils


def test_any_of_several_features_is_enough() -> None:
    # R10-01 gas alarm: gas_or_heating or canteen; R20-06 bus head count: kindergarten or school_bus
    assert "R10-01" in ids(["canteen"]) and "R10-01" in ids(["gas_or_heating"]) and "R10-01" not in ids(["lab"])
    assert "R20-06" in ids(["school_bus"]) and "R20-06" in ids(["kindergarten"])
    assert "R12-05" in ids(["central_school"])  # the central school oversees its villages' building sites
    assert "R06-01" in ids(["k12"]) and "R06-01" not in ids(["kindergarten"])


def test_the_round_areas_restrict_the_checklist() -> None:
    chosen = applicable_items(CATALOGUE, ["school_bus", "canteen"], ["R03", "R05"])
    assert {i.area for i in chosen} == {"R03", "R05"}
    assert "R13-01" not in {i.id for i in chosen}


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "2025-v1"
    shutil.copytree(DEFAULT_ROOT / "2025-v1", target)
    return target


def test_a_broken_catalogue_lists_every_problem(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    bus = directory / "R05.toml"
    text = bus.read_text(encoding="utf-8")
    text = text.replace('scope = "school"', 'scope = "campus"', 1)
    text = text.replace('applies_when = ["school_bus"]', 'applies_when = ["hovercraft"]', 1)
    text = text.replace('id = "R05-02"', 'id = "R03-01"', 1)
    bus.write_text(text, encoding="utf-8")
    (directory / "R04.toml").write_text('area = "R04"\nname = "校舍"\n', encoding="utf-8")
    with pytest.raises(CatalogueError) as raised:
        load_catalogue("2025-v1", tmp_path)
    problems = "\n".join(raised.value.problems)
    assert "scope 'campus'" in problems
    assert "hovercraft" in problems
    assert "not of area R05" in problems
    assert "R04.toml: no [[items]]" in problems


def test_all_cannot_be_mixed_and_ids_are_unique(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    buildings = directory / "R04.toml"
    text = buildings.read_text(encoding="utf-8").replace('applies_when = ["all"]', 'applies_when = ["all", "lab"]', 1)
    buildings.write_text(text, encoding="utf-8")
    fire = directory / "R03.toml"
    fire.write_text(
        fire.read_text(encoding="utf-8")
        + '\n[[items]]\nid = "R03-01"\ntext = "重复"\nscope = "school"\napplies_when = ["all"]\n'
    )
    with pytest.raises(CatalogueError) as raised:
        load_catalogue("2025-v1", tmp_path)
    problems = "\n".join(raised.value.problems)
    assert "'all' cannot be combined" in problems and "R03-01 is used twice" in problems


def test_an_unknown_version_or_bad_toml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError):
        load_catalogue("../etc")
    with pytest.raises(CatalogueError):
        load_catalogue("1999-v9")
    directory = _copy(tmp_path)
    (directory / "manifest.toml").write_text("version = [", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        load_catalogue("2025-v1", tmp_path)
