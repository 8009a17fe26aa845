"""`flask accountability …`: a school-level decision names both heads (PG3) with their degrees, a
person-level one rests on a finding, a due-diligence claim links the person's records."""

from __future__ import annotations

import json

from sqlalchemy import select

ON = "2025-01-31"


def _ok(runner, *args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def _refused(runner, expected: str, *args: str) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=list(args))
    assert result.exit_code == 2, result.output
    assert expected in result.output and len(result.output.strip().splitlines()) == 1, result.output


def test_the_catalogue_lists_forms_and_degrees(demo_runner) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(_ok(demo_runner, "accountability", "kinds", "--json").output)
    forms = {f["code"]: f for f in doc["forms"]}
    assert forms["interview"]["name"] == "约谈" and forms["discipline_referral"]["persons_only"]
    assert {"principal", "important", "leading"} <= {d["code"] for d in doc["degrees"]}


def test_a_school_level_decision_names_both_heads_with_their_degrees(demo_runner) -> None:  # type: ignore[no-untyped-def]
    base = [
        "accountability",
        "record",
        "--school",
        "SCH001",
        "--kind",
        "interview",
        "--reason",
        "寒假值班表未按期报局",
        "--on",
        ON,
    ]
    number = _ok(
        demo_runner, *base, "--person", "P00027", "--person", "P00028", "--degree", "P00027=principal"
    ).output.split()[-1]
    assert number.startswith("AC-2025-")
    (row,) = json.loads(_ok(demo_runner, "accountability", "list", "--school", "SCH001", "--json").output)
    assert row["scope"] == "school" and row["decided_by"] == "P00001"  # the chief by default
    degrees = {p["person"]: (p["degree"], p["roles"]) for p in row["persons"]}
    assert degrees == {"P00027": ("principal", ["principal"]), "P00028": ("leading", ["party_head"])}

    _refused(demo_runner, "missing: party_head", *base, "--person", "P00027")
    _refused(demo_runner, "missing: party_head, principal", *base)
    admonition = [a if a != "interview" else "admonition" for a in base]
    _refused(demo_runner, "applies to persons", *admonition, "--person", "P00027", "--person", "P00028")
    _refused(demo_runner, "No degree", *base, "--person", "P00027", "--person", "P00028", "--degree", "P00027=awful")
    _refused(
        demo_runner,
        "No accountability form",
        *[a if a != "interview" else "flogging" for a in base],
        "--person",
        "P00027",
    )
    _refused(demo_runner, "reason is required", "accountability", "record", "--school", "SCH001", "--kind", "interview",
             "--reason", " ", "--person", "P00027", "--person", "P00028", "--on", ON)  # fmt: skip
    _refused(demo_runner, "only bureau staff", *base, "--person", "P00027", "--person", "P00028", "--by", "P00047")
    assert len(json.loads(_ok(demo_runner, "accountability", "list", "--json").output)) == 1  # nothing half-written


def test_a_claim_links_the_persons_records_and_is_decided_once(demo_runner, demo_app) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.models import Hazard, Person

    with demo_app.app_context():
        hazard = db.session.scalar(select(Hazard).where(Hazard.source_id == "HZ0008"))
        rectifier = db.session.get(Person, hazard.responsible_person_id).source_id
    number = _ok(
        demo_runner, "accountability", "record", "--person", rectifier, "--kind", "reminder", "--reason",
        "隐患逾期未整改", "--finding", "H2:HZ0008", "--on", ON, "--by", "P00002",
    ).output.split()[-1]  # fmt: skip
    _refused(demo_runner, "not named", "accountability", "claim", number, "--by", "P00027", "--statement", "我已尽职")
    claim = _ok(
        demo_runner, "accountability", "claim", number, "--by", rectifier, "--statement", "已多次申请经费，见记录"
    )
    claim_id = claim.output.split()[-1]
    with demo_app.app_context():
        from responsibility.models import DueDiligenceClaim

        row = db.session.get(DueDiligenceClaim, int(claim_id))
        assert any(r["kind"] == "hazard_overdue" and r["ref"] for r in row.records)
        assert (row.window_end - row.window_start).days == 30 and row.state == "filed"
    _refused(
        demo_runner, "already filed", "accountability", "claim", number, "--by", rectifier, "--statement", "再来一次"
    )
    _ok(
        demo_runner,
        "accountability",
        "decide-claim",
        claim_id,
        "--accept",
        "--reason",
        "记录显示已申请经费",
        "--by",
        "P00002",
    )
    _refused(
        demo_runner,
        "already decided",
        "accountability",
        "decide-claim",
        claim_id,
        "--reject",
        "--reason",
        "改判驳回",
        "--by",
        "P00002",
    )
    _refused(demo_runner, "finding is named", "accountability", "record", "--person", rectifier, "--kind", "reminder",
             "--reason", "依据格式不对", "--finding", "HZ0008", "--on", ON)  # fmt: skip
