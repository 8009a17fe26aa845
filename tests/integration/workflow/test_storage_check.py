"""Crash leftovers (issue 15, item 4): ``flask storage check [--repair]`` finds an orphan PDF, a
stale ``.tmp`` file and a row whose file is missing; the repair removes the first two (old enough
only), never a referenced file, and still reports the missing one."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from fixtures.signing_workflow import TWO_HEADS, issue_schools

from responsibility.agreements.storage_check import check_storage
from responsibility.instance import instance_of


def _age(path: Path, seconds: int) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_storage_check_finds_and_repairs_crash_leftovers(wf_app, wf_session) -> None:  # type: ignore[no-untyped-def]
    agreements = issue_schools(wf_app, wf_session, [TWO_HEADS, "SCH002"])
    store = instance_of(wf_app).store
    runner = wf_app.test_cli_runner()
    clean = runner.invoke(args=["storage", "check"])
    assert clean.exit_code == 0, clean.output
    referenced = [store.path(a.pdf_sha256) for a in agreements]

    orphan_sha, _ = store.put(b"%PDF-1.7 a signature whose row never committed")
    orphan = store.path(orphan_sha)
    fresh_sha, _ = store.put(b"%PDF-1.7 a signature being written right now")
    stale_tmp = orphan.parent / f".{orphan.name}.abc123.tmp"
    stale_tmp.write_bytes(b"half")
    for path in (orphan, stale_tmp):
        _age(path, 3600)
    missing = store.path(agreements[1].pdf_sha256)
    missing.unlink()

    found = runner.invoke(args=["storage", "check"])
    assert found.exit_code == 1
    lines = found.output.splitlines()
    assert f"orphan {orphan} (no row references it)" in lines
    assert any(line.startswith(f"stale_tmp {stale_tmp}") for line in lines)
    assert any(line.startswith(f"missing {missing}") and agreements[1].document_number in line for line in lines)
    assert orphan.exists() and stale_tmp.exists()  # only listed without --repair

    repaired = runner.invoke(args=["storage", "check", "--repair"])
    assert repaired.exit_code == 1  # the missing file cannot be repaired
    assert f"removed orphan {orphan} (no row references it)" in repaired.output
    assert not orphan.exists() and not stale_tmp.exists()
    assert store.exists(fresh_sha)  # too recent: may be a signature being committed
    assert referenced[0].exists()

    instance_dir = Path(wf_app.instance_path)
    report = check_storage(wf_session, store, instance_dir, repair=True, min_age=dt.timedelta(0))
    assert not store.exists(fresh_sha)
    assert [f.kind for f in report.problems] == ["missing"] and referenced[0].exists()
    assert runner.invoke(args=["storage", "check", "--min-age-minutes", "x"]).exit_code == 2
