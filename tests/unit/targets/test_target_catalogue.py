"""The target catalogue is data: the shipped one loads, a broken one lists every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from responsibility.targets import MEASURES, TargetCatalogueError, load_targets
from responsibility.targets.catalogue import parse_goal


def test_the_shipped_catalogue_loads_with_every_manifest_key_known() -> None:
    specs = load_targets(frozenset(MEASURES))
    keys = [s.key for s in specs]
    assert {"signing_rate", "grid_coverage", "rectification_rate", "home_visit_rate", "duty_rate"} <= set(keys)
    assert len(keys) == len(set(keys))
    manifest = Path(__file__).resolve().parents[3] / "pdf_templates/winter_spring/2025-v1/manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    for spec in specs:
        if spec.manifest:
            assert f"\n{spec.manifest} = " in text, spec.manifest


def test_a_broken_catalogue_lists_every_problem(tmp_path: Path) -> None:
    (tmp_path / "x1.toml").write_text(
        'version = "x1"\n'
        '[[targets]]\nkey = "Bad Key"\nlabel = "a"\nlabel_en = "a"\nkind = "rate_min"\nmeasure = "nope"\ngoal = "1%"\n'
        '[[targets]]\nkey = "two"\nlabel = ""\nlabel_en = "b"\nkind = "count_min"\nmeasure = "grid_coverage"\n'
        'manifest = "x"\ngoal = "3"\n',
        encoding="utf-8",
    )
    with pytest.raises(TargetCatalogueError) as caught:
        load_targets(frozenset(MEASURES), "x1", tmp_path)
    problems = "\n".join(caught.value.problems)
    for expected in ("not a lower-case code", "unknown measure 'nope'", "label missing", "exactly one of", "per ("):
        assert expected in problems


def test_a_missing_catalogue_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TargetCatalogueError, match="nothing.toml"):
        load_targets(frozenset(MEASURES), "nothing", tmp_path)


@pytest.mark.parametrize(
    ("text", "kind", "goal"),
    [("100%", "rate_min", 1.0), ("95%", "rate_min", 0.95), ("≥1", "count_min", 1.0), ("0", "count_max", 0.0),
     ("30", "minutes_max", 30.0), ("abc", "rate_min", None), ("5%", "count_min", None)],
)  # fmt: skip
def test_goals_are_read_from_the_declared_text(text: str, kind: str, goal: float | None) -> None:
    assert parse_goal(text, kind) == goal
