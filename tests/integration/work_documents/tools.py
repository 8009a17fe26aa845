"""Shared steps of the work-document tests: commands that must succeed or be refused in one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PIN = "739184"


def ok(runner, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def refused(runner, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=list(args))
    assert result.exit_code == 2, (args, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def pin_file(tmp_path: Path) -> str:
    path = tmp_path / "pin"
    path.write_text(PIN + "\n", encoding="utf-8")
    return str(path)


def enrol(runner, tmp_path: Path, *persons: str) -> str:  # type: ignore[no-untyped-def]
    pin = pin_file(tmp_path)
    for person in persons:
        ok(runner, "keys", "enroll", person, "--pin-file", pin)
    return pin


def verify(runner, tmp_path: Path, number: str) -> tuple[int, dict[str, Any]]:  # type: ignore[no-untyped-def]
    out = tmp_path / f"{number}.pdf"
    ok(runner, "agreement", "export", number, str(out))
    result = runner.invoke(args=["verify", str(out), "--json"])
    return result.exit_code, json.loads(result.stdout)
