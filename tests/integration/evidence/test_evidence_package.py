"""The evidence package of a demo agreement signed through the real workflow: its contents, the
sealed verification report, and the README's offline commands run against the unpacked files."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fixtures.instance_pki import install_pki
from sqlalchemy import select

from responsibility.audit.log import canonical_json, event_hash
from responsibility.models import Agreement, AuditEvent

PYHANKO = Path(sys.executable).parent / "pyhanko"
SIGNING_ACTIONS = {"agreement.signed", "agreement.countersigned"}


@pytest.fixture
def signed(demo_app, instance_pki_template):  # type: ignore[no-untyped-def]
    """Two agreements issued in one campaign; the first signed by everyone (archived)."""
    from fixtures import signing_workflow as wt

    from responsibility.extensions import db

    install_pki(instance_pki_template, demo_app.instance_path)
    with demo_app.app_context():
        session = db.session
        first, second = wt.issue_schools(demo_app, session, [wt.TWO_HEADS, "SCH002"])[:2]
        people = wt.signers_of(session, first)
        for who in (people.party_head, people.principal, people.chief):
            wt.enrol_person(demo_app, session, who)
        for who in (people.principal, people.party_head, people.chief):
            wt.sign_as(demo_app, session, first.id, who)
        row = session.get(Agreement, first.id)
        assert row.state == "archived"
        final = wt.store_of(demo_app).read(sorted(row.revisions, key=lambda r: r.seq)[-1].sha256)
        ids = (first.id, second.id, row.campaign_id, row.document_number)
        session.remove()
    return demo_app, ids, final


def _export(app, **kw):  # type: ignore[no-untyped-def]
    from responsibility.evidence.export import export_evidence
    from responsibility.evidence.sealing import checkpoint_now
    from responsibility.extensions import db
    from responsibility.instance import instance_of

    with app.app_context():
        checkpoint_now(db.session, instance_of(app), actor="test")
        result = export_evidence(db.session, instance_of(app), actor="auditor", **kw)
        db.session.commit()
        db.session.remove()
    return result


def _unpack(data: bytes, target: Path) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        archive.extractall(target)
    return names


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_agreement_package_verifies_offline(signed, tmp_path):
    from responsibility.evidence.readme import openssl_checkpoint_command, pyhanko_command

    app, (agreement_id, _, _, number), final = signed
    result = _export(app, agreement_id=agreement_id)
    names = _unpack(result.data, tmp_path)
    assert names == sorted(names)
    folder = f"agreements/{number}/"
    for name in (
        "README.txt",
        "manifest.json",
        "root.pem",
        "audit-events.jsonl",
        folder + f"{number}.pdf",
        folder + "verification.json",
        folder + "verification.pdf",
        "checkpoints/000001.p7s",
    ):
        assert name in names, name
    assert any(n.startswith("crl/") for n in names)
    assert (tmp_path / folder / f"{number}.pdf").read_bytes() == final  # the latest accepted revision
    report = json.loads((tmp_path / folder / "verification.json").read_text("utf-8"))
    assert report["verdict"] == "valid", report["reasons"]
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == digest, name
    assert manifest["agreements"][0]["verdict"] == "valid"

    # the audit events: every one about this agreement, each hash recomputes from the file alone
    lines = [json.loads(x) for x in (tmp_path / "audit-events.jsonl").read_text("utf-8").splitlines()]
    actions = [e["action"] for e in lines]
    assert {"agreement.generated", "agreement.certified", "agreement.archived"} <= set(actions), actions
    assert sum(a in SIGNING_ACTIONS for a in actions) == 3, actions  # two school heads and the chief
    for e in lines:
        body = canonical_json(e["seq"], _at(e["at"]), e["actor"], e["action"], e["subject"], e["data"])
        assert event_hash(e["prev_hash"], body) == e["hash"]

    readme = (tmp_path / "README.txt").read_text("utf-8")
    assert "离线" in readme and " ".join(pyhanko_command(folder + f"{number}.pdf")) in readme

    # The README's pyHanko command, run as documented, on the agreement and on the sealed report.
    if not PYHANKO.exists():
        pytest.skip("pyhanko-cli is not installed (requirements-dev.txt)")
    for pdf in (folder + f"{number}.pdf", folder + "verification.pdf"):
        done = _run([str(PYHANKO), *pyhanko_command(pdf)[1:]], tmp_path)
        assert done.returncode == 0, (pdf, done.stdout, done.stderr)
        assert "INTACT" in done.stdout and "UNTRUSTED" not in done.stdout, done.stdout
    # a tampered report fails the same command
    tampered = bytearray((tmp_path / folder / "verification.pdf").read_bytes())
    start = tampered.index(b"stream") + 20
    tampered[start] ^= 0xFF
    (tmp_path / "tampered.pdf").write_bytes(bytes(tampered))
    done = _run([str(PYHANKO), *pyhanko_command("tampered.pdf")[1:]], tmp_path)
    assert done.returncode != 0, done.stdout

    # The README's OpenSSL command on the signed checkpoint; a changed checkpoint fails it.
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    done = _run(openssl_checkpoint_command("000001"), tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Verification successful" in done.stderr + done.stdout
    path = tmp_path / "checkpoints" / "000001.json"
    path.write_text(path.read_text("utf-8").replace('"seq":', '"seq":1'), "utf-8")
    assert _run(openssl_checkpoint_command("000001"), tmp_path).returncode != 0


def _at(text: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_export_is_logged_and_campaign_package_has_every_agreement(signed, tmp_path):
    from responsibility.extensions import db

    app, (first_id, second_id, campaign_id, number), _ = signed
    result = _export(app, campaign_key=str(campaign_id))
    names = _unpack(result.data, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    verdicts = {a["document_number"]: a["verdict"] for a in manifest["agreements"]}
    assert verdicts[number] == "valid"
    assert len(verdicts) == result.agreements >= 2
    assert all(v == "incomplete" for n, v in verdicts.items() if n != number)  # issued, unsigned
    assert sum(n.endswith("/verification.pdf") for n in names) == len(verdicts)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.exported")).one()
        assert event.subject == f"campaign:{campaign_id}" and event.actor == "auditor"
        assert event.data["sha256"] == hashlib.sha256(result.data).hexdigest()
        db.session.remove()


def test_cli_export(signed, tmp_path):
    app, (agreement_id, _, _, number), _ = signed
    runner = app.test_cli_runner()
    out = tmp_path / "out" / "evidence.zip"
    done = runner.invoke(args=["evidence", "export", "--agreement", str(agreement_id), str(out)])
    assert done.exit_code == 0, done.output
    with zipfile.ZipFile(out) as archive:
        assert f"agreements/{number}/{number}.pdf" in archive.namelist()
    both = runner.invoke(args=["evidence", "export", "--agreement", "1", "--campaign", "1", str(tmp_path / "x.zip")])
    assert both.exit_code == 2 and not (tmp_path / "x.zip").exists()
    missing = runner.invoke(args=["evidence", "export", "--agreement", "999999", str(tmp_path / "y.zip")])
    assert missing.exit_code == 2 and "999999" in missing.output and not (tmp_path / "y.zip").exists()
