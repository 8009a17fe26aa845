"""`flask verify` on hostile files is quiet: one verdict line per file, problems one line each on
stderr, no library traceback — unless ``--verbose`` asks for the details.

Runs the real command in a subprocess (the verification workers write to the process's own
stderr, which an in-process runner would not capture) over the pyHanko corpus of
``../shared/corpora/pyhanko``; skipped when the corpus is absent.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[3]
VERDICT_LINE = re.compile(r"^(?P<file>/\S+\.pdf): .+ \((valid|incomplete|invalid|unreadable)\)$")


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> list[Path]:
    files = sorted((shared_dir / "corpora" / "pyhanko").glob("*.pdf"))
    if not files:
        pytest.skip("no pyHanko corpus in ../shared/corpora/pyhanko")
    return files


@pytest.fixture(scope="module")
def flask_cmd(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """``run(*args)`` → the completed ``flask --app app ARGS`` in a fresh instance (``flask init``)."""
    instance = tmp_path_factory.mktemp("quiet-cli") / "instance"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RESPONSIBILITY_VERBOSE")}
    env["RESPONSIBILITY_INSTANCE_PATH"] = str(instance)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "flask", "--app", "app", *args]
        return subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=900)

    init = run("init")
    assert init.returncode == 0, init.stderr
    return run


def test_hostile_files_give_one_verdict_line_each_and_no_traceback(flask_cmd, corpus: list[Path]) -> None:  # type: ignore[no-untyped-def]
    result = flask_cmd("verify", *map(str, corpus))
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    verdicts = [m.group("file") for line in result.stdout.splitlines() if (m := VERDICT_LINE.match(line))]
    assert verdicts == [str(path) for path in corpus]
    problems = result.stderr.splitlines()
    assert all(line.startswith("error: /") for line in problems), problems[:5]
    assert len(problems) == len({line.split(":", 2)[1] for line in problems})  # at most one per file
    assert result.returncode == 2  # some corpus files are unreadable: the worst verdict wins


def test_verbose_shows_the_details(flask_cmd, corpus: list[Path]) -> None:  # type: ignore[no-untyped-def]
    result = flask_cmd("verify", "--verbose", *map(str, corpus))
    assert "Traceback" in result.stderr  # pyHanko's logged details, on request
    verdicts = [line for line in result.stdout.splitlines() if VERDICT_LINE.match(line)]
    assert len(verdicts) == len(corpus)


def test_one_file_keeps_the_single_report_and_exit_code(flask_cmd, corpus: list[Path]) -> None:  # type: ignore[no-untyped-def]
    header = next(path for path in corpus if path.name.startswith("broken-objstream"))
    result = flask_cmd("verify", str(header))
    assert "Traceback" not in result.stderr
    first = result.stdout.splitlines()[0]
    assert re.match(r"^.+ \((valid|incomplete|invalid|unreadable)\)$", first) and not first.startswith("/")
    assert result.returncode in (1, 2) and len(result.stderr.splitlines()) <= 1
