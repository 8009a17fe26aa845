"""The shipped rule table's target rules name live targets (not ``unrecorded`` ones), and the
patrol rule is read as its own source."""

from __future__ import annotations

from responsibility.assessment.rules import load_rules
from responsibility.targets import MEASURES, load_targets
from responsibility.targets.measures import UNRECORDED


def test_every_target_rule_names_a_measured_target() -> None:
    table = load_rules()
    specs = {s.key: s for s in load_targets(frozenset(MEASURES))}
    named = {r.id: r.target for r in table.rules if r.source == "target"}
    assert {"R04": "signing_rate", "R05": "drills", "D05": "duty_rate"}.items() <= named.items()
    for rule_id, key in named.items():
        assert key in specs and specs[key].measure != UNRECORDED, rule_id


def test_the_patrol_rule_costs_half_a_point_per_grid_week_in_the_hazard_part() -> None:
    (rule,) = [r for r in load_rules().rules if r.source == "patrol_gap"]
    assert (rule.id, rule.part, rule.points, rule.max) == ("H06", "hazards", 0.5, 5)
