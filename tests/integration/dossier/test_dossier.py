"""The dossier of a place at a moment through the real chain, signing and audit path: the links'
agreements and marks, and a ZIP whose JSON and PDFs verify offline."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from fixtures.instance_pki import install_pki
from sqlalchemy import select

from responsibility.audit.log import canonical_json, event_hash
from responsibility.models import Building, FirePlan, Grid

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def signed_school(demo_app, instance_pki_template):  # type: ignore[no-untyped-def]
    """SCH001's agreement signed by both heads and the chief; a grid of SCH001 and its principal."""
    from fixtures import signing_workflow as wt

    from responsibility.extensions import db

    install_pki(instance_pki_template, demo_app.instance_path)
    with demo_app.app_context():
        session = db.session
        (agreement,) = wt.issue_schools(demo_app, session, [wt.TWO_HEADS])
        people = wt.signers_of(session, agreement)
        for who in (people.party_head, people.principal, people.chief):
            wt.enrol_person(demo_app, session, who)
            wt.sign_as(demo_app, session, agreement.id, who)
        school_id = agreement.school.id
        grid = session.scalars(select(Grid).where(Grid.school_id == school_id).order_by(Grid.source_id.desc())).first()
        building = session.scalars(
            select(Building).join(FirePlan, FirePlan.building_id == Building.id).where(Building.school_id == school_id)
        ).first()
        info = (grid.source_id, building.source_id if building else None, people.principal.source_id)
        session.remove()
    return demo_app, info


def _dossier(app, place: str):  # type: ignore[no-untyped-def]
    from responsibility.cli.evidence_dossier import place_subject
    from responsibility.dossier import build_dossier
    from responsibility.extensions import db

    with app.app_context():
        return build_dossier(db.session, place_subject(place), NOW)


def _by_role(dossier, role: str):  # type: ignore[no-untyped-def]
    return next(link for link in dossier.links if link.link.link.role == role)


def test_links_carry_their_agreement_and_a_mark_that_follows_the_records(signed_school) -> None:
    from responsibility.extensions import db
    from responsibility.season.firechecks import record_fire_check

    app, (grid, building, principal) = signed_school
    before = _dossier(app, grid)
    head = _by_role(before, "principal")
    assert head.link.agreement_state == "signed"
    assert head.link.link.person_id == principal
    assert (head.mark.mark, head.mark.reasons) == ("no_record", ("no_records",))
    assert {link.link.link.role for link in before.links} >= {"grid_owner", "principal", "school_party_secretary"}
    for link in before.links:
        if link.link.agreement_state != "signed":
            assert link.mark.mark == "not_done" and "agreement_not_signed" in link.mark.reasons

    if building is None:
        pytest.skip("the demo school has no building with a fire file")
    today = NOW.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    with app.app_context():
        record_fire_check(db.session, building, by=principal, day=today, today=today, actor="test")
        db.session.commit()
    after = _by_role(_dossier(app, grid), "principal")
    assert after.mark.mark == "done"
    assert [r.kind for r in after.records] == ["fire_check"]


def test_a_grid_owner_who_missed_patrols_is_marked_not_done(signed_school) -> None:
    from responsibility.cli.evidence_dossier import place_subject
    from responsibility.dossier import build_dossier
    from responsibility.extensions import db
    from responsibility.instance import instance_of

    app, (grid, _, _) = signed_school
    with app.app_context():
        patrols = instance_of(app).settings.patrols
        dossier = build_dossier(db.session, place_subject(grid), NOW, patrols=patrols)
        without = build_dossier(db.session, place_subject(grid), NOW)
    owner = next(d for d in dossier.links if d.link.link.role == "grid_owner" and d.link.link.grid_source_id == grid)
    # the campaign's term began 20 days ago and nobody patrolled: the owner missed whole weeks
    assert owner.patrol_gaps > 0
    assert "patrols_missed" in owner.mark.reasons
    assert owner.as_dict()["patrol_gaps"] == owner.patrol_gaps
    plain = next(d for d in without.links if d.link.link.role == "grid_owner" and d.link.link.grid_source_id == grid)
    assert "patrols_missed" not in plain.mark.reasons


def test_the_zip_verifies_offline(signed_school, tmp_path: Path) -> None:
    from responsibility.cli.evidence_dossier import place_subject
    from responsibility.dossier import build_dossier
    from responsibility.dossier.package import dossier_zip
    from responsibility.extensions import db
    from responsibility.instance import instance_of

    app, (grid, _, _) = signed_school
    with app.app_context():
        dossier = build_dossier(db.session, place_subject(grid), NOW)
        data = dossier_zip(db.session, instance_of(app), dossier, subject=f"place:{grid}", actor="auditor", now=NOW)
        db.session.commit()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path)
        names = archive.namelist()
    assert {"dossier.json", "DOSSIER.txt", "manifest.json", "root.pem", "audit-events.jsonl"} <= set(names)
    pdfs = [n for n in names if n.startswith("agreements/") and n.endswith(".pdf") and "verification" not in n]
    assert pdfs, names  # the school agreement binding the heads
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from fixtures.signing_workflow import assert_all_valid_with_root_only

    root_der = x509.load_pem_x509_certificate((tmp_path / "root.pem").read_bytes()).public_bytes(
        serialization.Encoding.DER
    )
    for folder in {n.rsplit("/", 1)[0] for n in pdfs}:
        report = json.loads((tmp_path / folder / "verification.json").read_text("utf-8"))
        assert report["verdict"] == "valid", report["reasons"]
    for pdf in pdfs:  # with only the county root of the ZIP trusted, nothing fetched
        assert assert_all_valid_with_root_only((tmp_path / pdf).read_bytes(), root_der)

    body = (tmp_path / "dossier.json").read_bytes()
    assert json.loads(body)["place"] == {"kind": "grid", "id": grid}
    digest = hashlib.sha256(body).hexdigest()
    events = [json.loads(x) for x in (tmp_path / "audit-events.jsonl").read_text("utf-8").splitlines()]
    built = [e for e in events if e["action"] == "dossier.built"]
    assert [e["data"]["sha256"] for e in built] == [digest]
    # from the dossier event to the sealed checkpoint's head, every hash recomputes and links
    tail = [e for e in events if e["seq"] >= built[0]["seq"]]
    for prev, e in zip(tail, tail[1:], strict=False):
        assert e["prev_hash"] == prev["hash"]
    for e in tail:
        at = dt.datetime.fromisoformat(e["at"].replace("Z", "+00:00"))
        assert (
            event_hash(e["prev_hash"], canonical_json(e["seq"], at, e["actor"], e["action"], e["subject"], e["data"]))
            == e["hash"]
        )
    checkpoints = sorted(n for n in names if n.startswith("checkpoints/") and n.endswith(".json"))
    last = json.loads((tmp_path / checkpoints[-1]).read_text("utf-8"))
    assert last["seq"] >= built[0]["seq"]
    assert last["head_hash"] == next(e["hash"] for e in tail if e["seq"] == last["seq"])
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert manifest["files"]["dossier.json"] == digest

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    stem = checkpoints[-1][: -len(".json")]
    done = subprocess.run(
        [
            openssl,
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            f"{stem}.p7s",
            "-content",
            f"{stem}.json",
            "-CAfile",
            "root.pem",
            "-purpose",
            "any",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # a changed dossier no longer matches the digest sealed in the chain
    assert hashlib.sha256(body.replace(grid.encode(), b"G99999")).hexdigest() != digest


def test_cli_refuses_bad_input_with_one_line(demo_runner) -> None:
    for args, expected in (
        (["evidence", "dossier", "G00001", "--at", "yesterday", "--json"], "--at"),
        (["evidence", "dossier", "G00001", "--at", "2999-01-01T10:00", "--json"], "future"),
        (["evidence", "dossier", "G00001", "--at", "2025-12-01T10:00"], "OUT.zip"),
        (["evidence", "dossier", "GNOPE", "--at", "2025-12-01T10:00", "--json"], "GNOPE"),
    ):
        result = demo_runner.invoke(args=args)
        assert result.exit_code == 2, (args, result.output)
        assert expected in result.output, result.output
        assert "Traceback" not in result.output
