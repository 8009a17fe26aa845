"""`flask campaign issue` issues the bureau agreements too; `issue-bureau` adds only missing ones."""

from __future__ import annotations

import json


def _campaign(runner, name: str) -> str:  # type: ignore[no-untyped-def]
    created = runner.invoke(args=["campaign", "create", name, "--start", "2024-11-15", "--end", "2025-04-30"])
    assert created.exit_code == 0, created.output
    campaign_id = created.output.strip().splitlines()[-1]
    generated = runner.invoke(args=["campaign", "generate", campaign_id, "--school", "SCH001", "--workers", "1"])
    assert generated.exit_code == 0, generated.output
    return campaign_id


def test_issue_issues_the_bureau_agreements_and_show_lists_them(demo_app, demo_runner) -> None:  # type: ignore[no-untyped-def]
    campaign_id = _campaign(demo_runner, "2024—2025年冬春季")
    early = demo_runner.invoke(args=["campaign", "issue-bureau", campaign_id])
    assert early.exit_code == 2 and early.stderr.count("\n") == 1 and "issue it first" in early.stderr

    issued = demo_runner.invoke(args=["campaign", "issue", campaign_id, "--allow-missing"])
    assert issued.exit_code == 0, issued.output
    count = int(issued.stdout.strip().splitlines()[-1].split()[1])
    shown = json.loads(demo_runner.invoke(args=["campaign", "show", campaign_id, "--json"]).stdout)
    bureau = shown["bureau_agreements"]
    assert count == len(bureau) > 10
    assert {b["tier"] for b in bureau} == {"leader", "section", "liaison"}
    assert {b["state"] for b in bureau} == {"issued"}
    assert all(b["parties"]["party_a"]["person_id"] != b["parties"]["party_b"]["person_id"] for b in bureau)
    leaders = [b for b in bureau if b["tier"] == "leader"]
    assert {b["parties"]["party_a"]["person_id"] for b in leaders} == {"P00001"}  # the chief signs with each leader
    assert "P00002" in {b["parties"]["party_b"]["person_id"] for b in leaders}  # the deputy in charge among them
    assert len(shown["agreements"]) == 1  # the school agreements stay apart

    again = demo_runner.invoke(args=["campaign", "issue-bureau", campaign_id])
    assert again.exit_code == 0 and again.stdout == "" and f"0 bureau agreements, {count} already" in again.stderr
    text = demo_runner.invoke(args=["campaign", "show", campaign_id]).stdout
    assert all(b["document_number"] in text for b in bureau)
