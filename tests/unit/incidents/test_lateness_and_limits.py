"""The reporting limit of each kind and the lateness of a report (no app, no database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from responsibility.incidents import lateness_seconds, load_catalogue
from responsibility.incidents.errors import IncidentCatalogueError
from responsibility.settings_work import IncidentSettings, incident_settings

BEIJING = dt.timezone(dt.timedelta(hours=8))


def test_lateness_counts_the_seconds_past_the_limit_and_never_below_zero() -> None:
    at = dt.datetime(2025, 1, 15, 8, 0, tzinfo=BEIJING)
    assert lateness_seconds(at, at + dt.timedelta(minutes=59), 3600) == 0
    assert lateness_seconds(at, at + dt.timedelta(hours=1), 3600) == 0
    assert lateness_seconds(at, at + dt.timedelta(hours=2, seconds=5), 3600) == 3605
    # the same moment in UTC: the zone of either side does not matter
    assert lateness_seconds(at, (at + dt.timedelta(hours=3)).astimezone(dt.UTC), 3600) == 7200


def test_limits_per_kind_default_to_one_hour_for_veto_kinds_and_a_day_for_others() -> None:
    catalogue, limits = load_catalogue(), IncidentSettings()
    veto = {k.code for k in catalogue.kinds if k.veto}
    assert {"E01", "E02", "E03"} <= veto and "E05" not in veto
    assert limits.limit_minutes("E01", True) == 60 and limits.limit_minutes("E05", False) == 24 * 60


def test_limits_come_from_the_configuration_with_per_kind_overrides() -> None:
    limits = incident_settings(
        {
            "INCIDENT_VETO_LIMIT_MINUTES": "30",
            "INCIDENT_OTHER_LIMIT_MINUTES": 240,
            "INCIDENT_KIND_LIMITS": "E04=120, E11=15",
        }
    )
    assert limits.limit_minutes("E01", True) == 30 and limits.limit_minutes("E05", False) == 240
    assert limits.limit_minutes("E04", False) == 120 and limits.limit_minutes("E11", False) == 15
    assert incident_settings({}) == IncidentSettings()


def test_a_bad_catalogue_lists_every_problem(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        'version = "bad"\n[[kinds]]\ncode = "e1"\nname = "x"\nname_en = "x"\nveto = true\n'
        '[[kinds]]\ncode = "E02"\nname = "火灾"\nname_en = "Fire"\nveto = "yes"\n',
        encoding="utf-8",
    )
    with pytest.raises(IncidentCatalogueError) as err:
        load_catalogue("bad", tmp_path)
    problems = " ".join(err.value.problems)
    assert "kinds[0]: code" in problems and "kinds[1]: veto" in problems and "no [[severities]]" in problems
