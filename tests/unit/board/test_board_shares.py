"""The board's shares and incident counts add up per town and county, and a share of nothing
has no rate (shown as —, never 0%)."""

from __future__ import annotations

from responsibility.board import IncidentCounts, Share


def test_a_share_of_nothing_has_no_rate() -> None:
    assert Share().rate is None and Share(0, 3).rate == 0.0 and Share(2, 8).rate == 0.25


def test_shares_and_counts_add_fieldwise() -> None:
    assert Share(1, 2) + Share(3, 4) == Share(4, 6)
    assert IncidentCounts(2, 1, 0) + IncidentCounts(1, 0, 1) == IncidentCounts(3, 1, 1)
