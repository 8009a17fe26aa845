"""The command line end to end: `campaign issue` certifies with the bureau seal, `keys enroll`,
`flask sign` by each head (prints the new revision hash, exit 0), refusals exit 2 with one line;
the final file is valid and trusted with only the county root, in pyHanko and in pdfsig."""

from __future__ import annotations

import datetime as dt
import shutil

from cryptography.hazmat.primitives import serialization
from fixtures.signing_workflow import (
    TWO_HEADS,
    assert_all_valid_with_root_only,
    holder,
    pdfsig_blocks,
    school,
    store_of,
)

from responsibility.clock import today as county_today
from responsibility.models import Agreement
from responsibility.pki.instance import load_instance_pki

PIN = "739184"


def _ok(runner, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def _refused(runner, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=list(args))
    assert result.exit_code == 2, (args, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_the_whole_workflow_on_the_command_line(wf_app, wf_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = wf_app.test_cli_runner()
    today = county_today()
    campaign_id = _ok(
        runner, "campaign", "create", "命令行测试责任书",
        "--start", (today - dt.timedelta(days=10)).isoformat(), "--end", (today + dt.timedelta(days=100)).isoformat(),
    ).strip().splitlines()[-1]  # fmt: skip
    _ok(runner, "campaign", "generate", campaign_id, "--school", TWO_HEADS)
    _ok(runner, "campaign", "issue", campaign_id, "--allow-missing")
    agreement = wf_session.query(Agreement).filter_by(kind="school").one()  # the bureau agreements are issued too
    assert [r.kind for r in agreement.revisions] == ["generated", "certified"]
    sch = school(wf_session, TWO_HEADS)
    principal, head, chief = (
        holder(wf_session, sch, "S01"),
        holder(wf_session, sch, "S02"),
        holder(wf_session, None, "B01"),
    )
    pin_file = tmp_path / "pin"
    pin_file.write_text(PIN + "\n", encoding="utf-8")
    wrong = tmp_path / "wrong"
    wrong.write_text("000001\n", encoding="utf-8")

    assert "signing PIN" in _refused(
        runner, "sign", str(agreement.id), "--as", principal.source_id, "--pin-file", str(pin_file)
    )
    for who in (principal, head, chief):
        _ok(runner, "keys", "enroll", who.source_id, "--pin-file", str(pin_file))
    assert "学校方签署完成后" in _refused(
        runner, "sign", str(agreement.id), "--as", chief.source_id, "--pin-file", str(pin_file)
    )
    deputy = holder(wf_session, sch, "S03")
    _ok(runner, "keys", "enroll", deputy.source_id, "--pin-file", str(pin_file))
    assert "无权签署" in _refused(
        runner, "sign", str(agreement.id), "--as", deputy.source_id, "--pin-file", str(pin_file)
    )
    _refused(runner, "sign", str(agreement.id), "--as", principal.source_id, "--pin-file", str(wrong))
    _refused(runner, "sign", "99999", "--as", principal.source_id, "--pin-file", str(pin_file))

    hashes = []
    for who in (head, principal, chief):
        out = _ok(runner, "sign", agreement.document_number, "--as", who.source_id, "--pin-file", str(pin_file))
        hashes.append(out.strip())
    assert "已签署" in _refused(runner, "sign", str(agreement.id), "--as", head.source_id, "--pin-file", str(pin_file))
    wf_session.expire_all()
    row = wf_session.get(Agreement, agreement.id)
    assert row.state == "archived" and hashes[-1] == row.pdf_sha256
    assert [r.sha256 for r in row.revisions[2:4]] == hashes[:2]
    pdf = store_of(wf_app).read(row.pdf_sha256)
    root = load_instance_pki(wf_app.instance_path, wf_app.config).root_certificate
    assert len(assert_all_valid_with_root_only(pdf, root.public_bytes(serialization.Encoding.DER))) == 5
    if shutil.which("pdfsig") and shutil.which("certutil"):
        blocks = pdfsig_blocks(pdf, root.public_bytes(serialization.Encoding.PEM), tmp_path)
        assert len(blocks) == 4 and all("Certificate is Trusted." in b and "Signature is Valid." in b for b in blocks)
