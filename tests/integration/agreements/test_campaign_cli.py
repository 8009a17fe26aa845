"""`flask campaign …` and `flask agreement export` on the demo county."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from agreement_tools import school
from sqlalchemy import update

from responsibility.models import PostAssignment


def _create(runner, name: str = "2024—2025年冬春季") -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["campaign", "create", name, "--start", "2024-11-15", "--end", "2025-04-30"])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def test_create_generate_show_issue_export(demo_app, demo_runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    campaign_id = _create(demo_runner)
    assert campaign_id.isdigit()

    result = demo_runner.invoke(args=["campaign", "generate", campaign_id, "--workers", "2"])
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.stdout.strip().splitlines()]
    assert len(lines) == 60 and all(row[0].isdigit() for row in lines)
    assert lines[0][1:] == ["JTAQ-2024DC-SCH001", "SCH001"]
    assert "60 generated, 0 refused" in result.stderr

    shown = demo_runner.invoke(args=["campaign", "show", campaign_id, "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["state"] == "draft" and len(data["agreements"]) == 60
    assert data["last_batch"]["state"] == "finished" and data["last_batch"]["done"] == 60
    assert not any(a["stale"] for a in data["agreements"])
    first = data["agreements"][0]
    assert str(first["id"]) == lines[0][0]

    out = tmp_path / "out.pdf"
    exported = demo_runner.invoke(args=["agreement", "export", str(first["id"]), str(out)])
    assert exported.exit_code == 0, exported.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() == first["sha256"]

    issued = demo_runner.invoke(args=["campaign", "issue", campaign_id])
    assert issued.exit_code == 0, issued.output
    assert "issued 60 agreements" in issued.output
    after = json.loads(demo_runner.invoke(args=["campaign", "show", campaign_id, "--json"]).stdout)
    assert after["state"] == "issued" and {a["state"] for a in after["agreements"]} == {"issued"}

    again = demo_runner.invoke(args=["campaign", "generate", campaign_id])
    assert again.exit_code == 2 and again.stderr.count("\n") == 1 and "frozen" in again.stderr


def test_a_refused_school_exits_1_and_is_listed(demo_app, demo_runner) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    campaign_id = _create(demo_runner)
    with demo_app.app_context():
        target = school(db.session, "SCH013")
        db.session.execute(
            update(PostAssignment)
            .where(PostAssignment.org_id == target.id, PostAssignment.post_code == "S01")
            .values(valid_to=dt.date(2024, 12, 1))
        )
        db.session.commit()
    result = demo_runner.invoke(args=["campaign", "generate", campaign_id, "--school", "SCH013"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "refused: SCH013 岚川县白石镇中心小学: no 校长 on file\n" in result.stderr

    ok = demo_runner.invoke(args=["campaign", "generate", campaign_id, "--school", "SCH014"])
    assert ok.exit_code == 0 and ok.stdout.strip().endswith("SCH014")


def test_bad_input_is_one_line_and_exit_2(demo_runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cases = [
        ["campaign", "create", "x", "--start", "2024-13-01", "--end", "2025-04-30"],
        ["campaign", "create", "x", "--start", "2025-04-30", "--end", "2024-11-15"],
        ["campaign", "create", "x", "--start", "2024-11-15", "--end", "2025-04-30", "--template", "nope/v1"],
        ["campaign", "generate", "no-such-campaign"],
        ["campaign", "show", "999"],
        ["campaign", "issue", "999"],
        ["agreement", "export", "999", str(tmp_path / "x.pdf")],
    ]
    for args in cases:
        result = demo_runner.invoke(args=args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.output
    campaign_id = _create(demo_runner)
    unknown = demo_runner.invoke(args=["campaign", "generate", campaign_id, "--school", "SCH999"])
    assert unknown.exit_code == 2 and "no school 'SCH999'" in unknown.stderr
    empty = demo_runner.invoke(args=["campaign", "issue", campaign_id])
    assert empty.exit_code == 2 and "generate them first" in empty.stderr
    assert not (tmp_path / "x.pdf").exists()
