"""Issue 10, "done when": a county with every §2.4 defect planted (the demo generator's plants,
including a level-3 grid without a parent, a level that skips, a parent in another school and
duties declared empty) imports with exit 0 through ``flask org import`` — as JSON and as the
exported workbook alike — and ``flask audit gaps --at AS_OF --json`` finds exactly the planted
defects; the same county without its plants gives none. Export → import round-trips the defects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from org_tools import dump

from responsibility.chain.gaps import CHECK_CODES
from responsibility.demo import build_demo_county, planted_problems

AS_OF = "2025-01-31"
FINDINGS_LINE = "{} findings; see flask audit gaps"


@pytest.fixture(scope="module")
def planted() -> set[tuple[str, str, str]]:
    found = {(p.check, p.school_id, p.subject_id) for p in planted_problems()}
    assert {check for check, _, _ in found} == set(CHECK_CODES)  # every check of §2.4 has a defect
    return found


def _write(tmp_path: Path, data: dict[str, Any], name: str) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _import(runner: Any, path: Path, findings: int) -> None:
    result = runner.invoke(args=["org", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == FINDINGS_LINE.format(findings)


def _gaps(runner: Any) -> set[tuple[str, str, str]]:
    result = runner.invoke(args=["audit", "gaps", "--at", AS_OF, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    keys = [(f["check"], f["school_id"], f["subject_id"]) for f in report["findings"]]
    assert len(keys) == len(set(keys))  # one finding per defect
    return set(keys)


def test_planted_county_imports_and_the_audit_finds_exactly_the_plants(
    app, runner, empty_app, planted, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    _import(runner, _write(tmp_path, build_demo_county(), "planted.json"), len(planted))
    assert _gaps(runner) == planted

    out = tmp_path / "planted.xlsx"
    assert runner.invoke(args=["org", "export", str(out)]).exit_code == 0
    copy_runner = empty_app.test_cli_runner()
    _import(copy_runner, out, len(planted))  # the workbook behaves as the JSON did
    assert _gaps(copy_runner) == planted
    original, copied = dump(app), dump(empty_app)
    original.pop("users"), copied.pop("users")  # accounts are not organisation data
    assert copied == original  # every defect stored the same, nothing repaired on the way
    again = copy_runner.invoke(args=["org", "import", str(out)])
    assert "nothing changed" in again.output and again.exit_code == 0


def test_the_same_county_without_its_plants_has_no_findings(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "clean.json"
    result = runner.invoke(args=["demo", "export-json", str(path), "--clean"])
    assert result.exit_code == 0, result.output
    assert json.loads(path.read_text(encoding="utf-8")) == build_demo_county(plant=False)
    _import(runner, path, 0)
    assert _gaps(runner) == set()
