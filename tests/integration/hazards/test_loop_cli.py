"""The whole loop through the CLI on the demo county: report → plan → progress → accept → closed."""

from __future__ import annotations

from hazard_tools import DEPUTY, GRID, LEADER, RECTIFIER, REPORTER, SCHOOL, day, jpeg
from sqlalchemy import func, select

from responsibility.extensions import db
from responsibility.models import AuditEvent, HazardPhoto


def _report(hz, tmp_path, *extra: str):  # type: ignore[no-untyped-def]
    photo = tmp_path / "p.jpg"
    photo.write_bytes(jpeg())
    args = ["report", "--school", SCHOOL, "--grid", GRID, "--area", "R03", "--description", "疏散指示灯不亮"]
    result = hz(*args, "--by", REPORTER, "--photo", str(photo), *extra)
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def test_whole_loop(hz, show, tmp_path, pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    file_no = _report(hz, tmp_path)
    assert file_no.startswith(f"{SCHOOL}-YH-") and file_no.endswith("-0001")
    assert show(file_no)["state"] == "reported"

    plan = ["plan", file_no, "--by", DEPUTY, "--level", "一般", "--measures", "更换指示灯"]
    result = hz(*plan, "--rectifier", RECTIFIER, "--deadline", day(10), "--funds", "600")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == file_no
    view = show(file_no)
    assert (view["state"], view["level"], view["rectifier_id"]) == ("planned", "一般", RECTIFIER)

    assert hz("progress", file_no, "--by", RECTIFIER, "--note", "已采购").exit_code == 0
    assert show(file_no)["state"] == "rectifying"
    assert hz("progress", file_no, "--by", RECTIFIER, "--note", "更换完毕", "--done").exit_code == 0
    assert show(file_no)["state"] == "awaiting_acceptance"

    refused = hz("accept", file_no, "--by", RECTIFIER)
    assert refused.exit_code == 2 and len(refused.output.strip().splitlines()) == 1
    assert show(file_no)["state"] == "awaiting_acceptance"

    assert hz("accept", file_no, "--by", LEADER, "--reject", "--note", "仍有一处不亮").exit_code == 0
    assert show(file_no)["state"] == "rectifying"
    assert hz("progress", file_no, "--by", RECTIFIER, "--note", "全部更换", "--done").exit_code == 0
    accepted = hz("accept", file_no, "--by", LEADER)
    assert accepted.exit_code == 0, accepted.output
    view = show(file_no)
    assert view["state"] == "closed" and view["accepted_by_id"] == LEADER
    kinds = [r["kind"] for r in view["records"]]
    assert kinds == ["report", "file", "plan", "progress", "done", "reject", "done", "accept"]
    assert view["records"][0]["photos"][0]["sha256"] != view["records"][0]["photos"][0]["original_sha256"]
    with pki_demo_app.app_context():
        events = db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.subject == f"hazard:{file_no}"))
        assert events == len(kinds) + 1  # exactly one audit event per step, and the sealed dossier's
        assert db.session.scalar(select(func.count(HazardPhoto.id))) == 1


def test_bad_input_is_one_line_and_changes_nothing(hz, show, tmp_path) -> None:  # type: ignore[no-untyped-def]
    file_no = _report(hz, tmp_path)
    not_an_image = tmp_path / "notes.jpg"
    not_an_image.write_text("我不是图片")
    base = ["plan", file_no, "--by", DEPUTY, "--measures", "整改", "--rectifier", RECTIFIER]
    cases = [
        [*base, "--level", "重大", "--deadline", day(5)],  # 重大 without temporary controls
        [*base, "--level", "一般", "--deadline", "2020-01-01"],  # deadline before the report
        [*base, "--level", "一般", "--deadline", "soon"],
        [
            "plan",
            file_no,
            "--by",
            REPORTER,
            "--level",
            "一般",
            "--measures",
            "x",
            "--rectifier",
            RECTIFIER,
            "--deadline",
            day(5),
        ],  # no post that may plan
        ["accept", file_no, "--by", LEADER],  # closing without acceptance (nothing to accept)
        ["progress", file_no, "--by", RECTIFIER, "--note", "x"],  # not the rectifier yet
        ["report", "--school", SCHOOL, "--grid", "G99999", "--area", "R03", "--description", "x", "--by", REPORTER],
        ["report", "--school", "SCH002", "--grid", GRID, "--area", "R03", "--description", "x", "--by", REPORTER],
        ["report", "--school", SCHOOL, "--grid", "G00111", "--area", "R03", "--description", "x", "--by", REPORTER],
        [
            "report",
            "--school",
            SCHOOL,
            "--grid",
            GRID,
            "--area",
            "R03",
            "--description",
            "x",
            "--by",
            REPORTER,
            "--photo",
            str(not_an_image),
        ],
        ["progress", file_no, "--by", RECTIFIER, "--note", "x", "--photo", str(not_an_image)],
    ]
    for args in cases:
        result = hz(*args)
        assert result.exit_code == 2, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1, result.output
    view = show(file_no)
    assert view["state"] == "reported" and len(view["records"]) == 1
    assert _report(hz, tmp_path).endswith("-0002")  # no refused report used up a number


def test_void_keeps_the_hazard(hz, show, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = _report(hz, tmp_path)
    second = _report(hz, tmp_path)
    assert second.endswith("-0002")
    assert hz("void", second, "--by", DEPUTY, "--reason", f"与 {first} 重复").exit_code == 0
    view = show(second)
    assert view["state"] == "void" and view["records"][-1]["note"] == f"与 {first} 重复"
    assert (
        hz(
            "plan",
            second,
            "--by",
            DEPUTY,
            "--level",
            "一般",
            "--measures",
            "x",
            "--rectifier",
            RECTIFIER,
            "--deadline",
            day(3),
        ).exit_code
        == 2
    )


def test_imported_hazard_keeps_working(hz, show) -> None:  # type: ignore[no-untyped-def]
    view = show("HZ0004")
    assert view["state"] == "rectifying"


def test_bureau_supervisors_may_report_and_unlinked_bureau_staff_may_not(hz, show) -> None:  # type: ignore[no-untyped-def]
    """B02 and the school's liaison section (SCH001: SEC02, liaison P00010) report on the school's
    grids; the chief of another section (P00012, SEC03) has no link to it and is refused."""
    args = ["report", "--school", SCHOOL, "--grid", GRID, "--area", "R03", "--description", "配电箱未上锁"]
    for bureau_person in ("P00002", "P00010"):
        made = hz(*args, "--by", bureau_person)
        assert made.exit_code == 0, made.output
        view = show(made.output.strip().splitlines()[-1])
        assert view["state"] == "reported"
    refused = hz(*args, "--by", "P00012")
    assert refused.exit_code == 2 and "P00012" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    without_grid = hz("report", "--school", SCHOOL, "--area", "R03", "--description", "x", "--by", "P00002")
    assert without_grid.exit_code == 2 and "网格" in without_grid.output  # a bureau person names the grid
