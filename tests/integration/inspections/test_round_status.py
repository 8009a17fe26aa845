"""The bureau's view of a round: completion per school and town, fail rate per area."""

from __future__ import annotations

import json

from round_tools import BUS_SCHOOL, DEPUTY, SCHOOL


def test_status_counts_completion_and_the_fail_rate_per_area(open_round, rnd, checklist) -> None:  # type: ignore[no-untyped-def]
    round_id = open_round("--areas", "R05,R12")
    answers = [
        ["R05-06", "pass"],
        ["R05-07", "fail", "--note", "校门口无减速带"],
    ]
    for item, result, *extra in answers:
        done = rnd("answer", round_id, SCHOOL, item, "--by", DEPUTY, "--result", result, *extra)
        assert done.exit_code == 0, done.output
    assert rnd("submit", round_id, SCHOOL, "--by", DEPUTY).exit_code == 0

    result = rnd("status", round_id, "--json")
    assert result.exit_code == 0, result.output
    view = json.loads(result.output)
    assert view["submitted"] == 1
    schools = {s["school_id"]: s for s in view["schools"]}
    assert schools[SCHOOL] == {
        "school_id": SCHOOL,
        "school": schools[SCHOOL]["school"],
        "town_id": "T01",
        "status": "submitted",
        "items": 2,
        "answered": 2,
        "fails": 1,
    }
    bus_items = len(checklist(round_id, BUS_SCHOOL)["items"])
    assert schools[BUS_SCHOOL]["answered"] == 0 and schools[BUS_SCHOOL]["items"] == bus_items
    assert view["towns"]["T01"]["submitted"] == 1 and view["towns"]["T02"]["submitted"] == 0
    assert view["towns"]["T01"]["schools"] == 21
    assert view["areas"] == {"R05": {"pass": 1, "fail": 1, "na": 0, "fail_rate": 0.5}}
    text = rnd("status", round_id)
    assert text.exit_code == 0 and "R05: pass 1 fail 1 na 0" in text.output
    assert rnd("status", "nope").exit_code == 2
