"""挂牌督办 of a 重大 hazard, the bureau's countersign at close, and the sealed dossier that
verifies (flask verify, pyHanko with only the county root trusted)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hazard_tools import DEPUTY, GRID, LEADER, PRINCIPAL, RECTIFIER, REPORTER, SCHOOL, day, jpeg
from sqlalchemy import select

from responsibility.evidence.readme import pyhanko_command
from responsibility.extensions import db
from responsibility.instance import instance_of
from responsibility.models import Hazard, Notification, Person

DEPUTY_IN_CHARGE = "P00002"  # B02 of the demo bureau
LIAISON = "P00010"  # SCH001's liaison person (SEC02, chief P00009)
PYHANKO = Path(sys.executable).with_name("pyhanko")


def _major(hz, tmp_path) -> str:  # type: ignore[no-untyped-def]
    photo = tmp_path / "crack.jpg"
    photo.write_bytes(jpeg((120, 90)))
    args = ["--school", SCHOOL, "--grid", GRID, "--area", "R04", "--description", "教学楼外墙裂缝", "--by", REPORTER]
    file_no = hz("report", *args, "--photo", str(photo)).output.strip().splitlines()[-1]
    plan = ["--level", "重大", "--measures", "鉴定加固", "--rectifier", RECTIFIER, "--deadline", day(30)]
    assert hz("plan", file_no, "--by", DEPUTY, *plan, "--temporary", "封闭该区域").exit_code == 0
    return file_no


def test_supervised_hazard_closes_with_the_bureau_and_its_dossier_verifies(  # type: ignore[no-untyped-def]
    hz, show, tmp_path, pki_demo_app
) -> None:
    file_no = _major(hz, tmp_path)
    refused = hz("supervise", file_no, "--by", DEPUTY)  # a school post may not list it
    assert refused.exit_code == 2 and len(refused.output.strip().splitlines()) == 1
    listed = hz("supervise", file_no, "--by", DEPUTY_IN_CHARGE)
    assert listed.exit_code == 0, listed.output
    assert listed.output.strip().splitlines()[-1] == file_no
    view = show(file_no)
    assert view["listed_for_supervision"] and view["supervised_by_id"] == DEPUTY_IN_CHARGE
    assert hz("supervise", file_no, "--by", LIAISON).exit_code == 2  # once only
    with pki_demo_app.app_context():
        digest = db.session.scalar(select(Hazard.supervision_notice_sha256).where(Hazard.file_no == file_no))
        notice = instance_of(pki_demo_app).store.read(digest)
        db.session.remove()
    (tmp_path / "notice.pdf").write_bytes(notice)
    assert pki_demo_app.test_cli_runner().invoke(args=["verify", str(tmp_path / "notice.pdf")]).exit_code == 0

    with pki_demo_app.app_context():
        notified = db.session.scalars(
            select(Person.source_id)
            .join(Notification, Notification.recipient_person_id == Person.id)
            .where(Notification.kind == "hazard_supervised")
        ).all()
    assert set(notified) == {PRINCIPAL, "P00028", LIAISON, "P00009"}

    assert hz("progress", file_no, "--by", RECTIFIER, "--note", "加固完成", "--done").exit_code == 0
    assert hz("accept", file_no, "--by", LIAISON).exit_code == 2  # the school accepts first
    assert hz("accept", file_no, "--by", LEADER).exit_code == 0
    assert show(file_no)["state"] == "awaiting_acceptance"  # waits for the bureau's countersign
    assert hz("accept", file_no, "--by", PRINCIPAL).exit_code == 2  # the school has accepted already
    assert hz("accept", file_no, "--by", LIAISON).exit_code == 0
    view = show(file_no)
    assert view["state"] == "closed" and view["countersigned_by_id"] == LIAISON

    out = tmp_path / "dossier.pdf"
    done = hz("dossier", file_no, str(out))
    assert done.exit_code == 0, done.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/ByteRange") == 2  # seal + document timestamp

    runner = pki_demo_app.test_cli_runner()
    verified = runner.invoke(args=["verify", str(out)])
    assert verified.exit_code == 0, verified.output

    root = tmp_path / "root.pem"  # the name pyhanko_command trusts
    assert runner.invoke(args=["pki", "root", str(root)]).exit_code == 0
    if not PYHANKO.exists():
        pytest.skip("pyhanko-cli is not installed")
    command = [str(PYHANKO), *pyhanko_command(out.name)[1:]]
    check = subprocess.run(command, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert check.returncode == 0 and "INTACT" in check.stdout and "UNTRUSTED" not in check.stdout, check.stdout
    if shutil.which("pdfsig"):
        assert subprocess.run(["pdfsig", str(out)], capture_output=True, check=False).returncode == 0


def test_only_a_major_hazard_is_supervised(hz, tmp_path) -> None:  # type: ignore[no-untyped-def]
    args = ["--school", SCHOOL, "--grid", GRID, "--area", "R03", "--description", "灭火器过期", "--by", REPORTER]
    file_no = hz("report", *args).output.strip().splitlines()[-1]
    plan = ["--level", "一般", "--measures", "更换", "--rectifier", RECTIFIER, "--deadline", day(3)]
    assert hz("plan", file_no, "--by", DEPUTY, *plan).exit_code == 0
    assert hz("supervise", file_no, "--by", DEPUTY_IN_CHARGE).exit_code == 2
