"""`flask chain trace`: JSON shape and order, source ids, exit 2 on bad input."""

from __future__ import annotations

import json

from chain_county import DAY
from trace_data import make_agreement, make_campaign


def test_trace_json_from_grid_to_chief(county, runner):
    s = county.session
    campaign = make_campaign(s)
    make_agreement(s, campaign, county.orgs["SCH-A"], "issued", {"sig_school_principal": county.persons["P-PRIN"].id})
    s.commit()
    result = runner.invoke(args=["chain", "trace", "--grid", "G-3", "--at", DAY.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["subject"] == {"kind": "grid", "id": "G-3"}
    assert data["at"] == DAY.isoformat()
    links = data["links"]
    assert links[0]["role"] == "grid_owner" and links[0]["person_id"] == "P-G3"
    assert links[-1]["role"] == "bureau_chief" and links[-1]["person_id"] == "P-CHIEF"
    for key in ("role", "person_id", "person_name", "post", "agreement_id", "agreement_state", "gap"):
        assert all(key in link for link in links)
    principal = next(link for link in links if link["role"] == "principal")
    assert (principal["agreement_id"], principal["agreement_state"]) == ("T-2025-SCH-A", "signed")


def test_trace_other_subjects(county, runner):
    for option, sid in (("--building", "BLD-A"), ("--school", "SCH-A"), ("--person", "P-COOK")):
        result = runner.invoke(args=["chain", "trace", option, sid, "--at", DAY.isoformat(), "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["links"][-1]["role"] == "bureau_chief"


def test_trace_bad_input_exit_2(county, runner):
    for args in (["--grid", "NOPE"], ["--grid", "G-3", "--at", "2025-13-01"], ["--grid", "G-3", "--school", "SCH-A"]):
        result = runner.invoke(args=["chain", "trace", *args, "--json"])
        assert result.exit_code == 2, result.output
        assert len(result.output.strip().splitlines()) == 1


def test_trace_plain_text(county, runner):
    result = runner.invoke(args=["chain", "trace", "--school", "SCH-A", "--at", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("school SCH-A on 2025-01-15")
    assert lines[-1].split("\t")[:2] == ["bureau_chief", "P-CHIEF"]
