"""`flask incident dossier`: an incident's dossier is the dossier of its place at its moment, with
the incident's facts, and its ZIP is logged under the incident; the incident page links to it."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from fixtures.instance_pki import install_pki

REPORT = ["incident", "report", "--school", "SCH001", "--place", "G00002", "--severity", "ordinary", "--kind", "E07",
          "--description", "学生在楼梯摔伤", "--at", "2025-01-15 08:30", "--reported", "2025-01-15 09:00"]  # fmt: skip


def _report(runner) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=REPORT)
    assert result.exit_code == 0, result.output
    return str(result.output.split()[-1])


def test_the_json_names_the_incident_and_its_places_chain(demo_runner) -> None:  # type: ignore[no-untyped-def]
    number = _report(demo_runner)
    result = demo_runner.invoke(args=["incident", "dossier", number, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["subject"] == f"incident:{number}"
    assert doc["incident"]["number"] == number and doc["incident"]["kind"] == "E07"
    assert doc["place"] == {"kind": "grid", "id": "G00002"}
    assert doc["day"] == "2025-01-15" and doc["window"]["start"] == "2024-12-16"
    roles = [link["role"] for link in doc["links"]]
    assert "grid_owner" in roles and "principal" in roles and roles[-1] == "bureau_chief"
    # the same chain as `flask chain trace --at` that day: link by link, the same people and agreements
    trace = demo_runner.invoke(args=["chain", "trace", "--grid", "G00002", "--at", "2025-01-15", "--json"])
    assert trace.exit_code == 0, trace.output
    traced = json.loads(trace.output)["links"]
    keys = ("role", "person_id", "post_code", "grid_id", "agreement_id", "agreement_state")
    assert [{k: link[k] for k in keys} for link in doc["links"]] == [{k: link[k] for k in keys} for link in traced]
    assert all(link["mark"] in {"done", "not_done", "no_record"} for link in doc["links"])


def test_the_zip_is_logged_under_the_incident(demo_app, demo_runner, instance_pki_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_pki(instance_pki_template, demo_app.instance_path)
    number = _report(demo_runner)
    out = tmp_path / "dossier.zip"
    result = demo_runner.invoke(args=["incident", "dossier", number, str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        doc = json.loads(archive.read("dossier.json"))
        events = [json.loads(x) for x in archive.read("audit-events.jsonl").decode().splitlines()]
    assert doc["incident"]["number"] == number
    built = [e for e in events if e["action"] == "dossier.built"]
    assert [e["subject"] for e in built] == [f"incident:{number}"]


def test_bad_input_is_one_line(demo_runner) -> None:  # type: ignore[no-untyped-def]
    for args, expected in (
        (["incident", "dossier", "SG-2099-9999", "--json"], "SG-2099-9999"),
        (["incident", "dossier", "SG-2099-9999"], "OUT.zip"),
    ):
        result = demo_runner.invoke(args=args)
        assert result.exit_code == 2, result.output
        assert expected in result.output and len(result.output.strip().splitlines()) == 1, result.output


def test_the_incident_page_links_to_its_dossier(demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    number = _report(demo_runner)
    client = demo_login("P00027")
    page = client.get(f"/incidents/{number}").get_data(as_text=True)
    assert f'href="/chain/dossier?incident={number}"' in page
    dossier = client.get(f"/chain/dossier?incident={number}")
    assert dossier.status_code == 200
    html = dossier.get_data(as_text=True)
    assert number in html and "G00002" in html and 'data-mark="' in html
    assert client.get("/chain/dossier?incident=SG-2099-9999").status_code == 404
