"""The one clock: aware UTC for storage, the county's day and local display."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from responsibility import clock

BEIJING = ZoneInfo("Asia/Shanghai")
# 2026-12-02 17:05 UTC is already 2026-12-03 01:05 in Beijing: the day boundary is 16:00 UTC.
LATE_UTC = dt.datetime(2026, 12, 2, 17, 5, tzinfo=dt.UTC)


def test_default_zone_is_beijing_and_configurable() -> None:
    assert clock.DEFAULT_ZONE.key == "Asia/Shanghai"
    assert clock.configured_zone({}).key == "Asia/Shanghai"
    assert clock.configured_zone({clock.ZONE_SETTING: None}).key == "Asia/Shanghai"
    assert clock.configured_zone({"BABEL_DEFAULT_TIMEZONE": "Europe/Berlin"}).key == "Europe/Berlin"
    assert clock.zone("Europe/Berlin") is clock.zone("Europe/Berlin")


def test_now_utc_is_aware_utc() -> None:
    now = clock.now_utc()
    assert now.utcoffset() == dt.timedelta(0)
    assert abs(now - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)


def test_today_is_the_day_in_the_given_zone() -> None:
    east, west = clock.today(ZoneInfo("Pacific/Kiritimati")), clock.today(ZoneInfo("Pacific/Pago_Pago"))
    assert (east - west).days in (1, 2)  # UTC+14 and UTC-11 are 25 hours apart
    assert clock.today(BEIJING) == dt.datetime.now(BEIJING).date()


def test_as_utc_reads_naive_values_as_utc_and_converts_aware_ones() -> None:
    naive = dt.datetime(2026, 12, 2, 6, 5)  # what SQLite hands back
    assert clock.as_utc(naive) == dt.datetime(2026, 12, 2, 6, 5, tzinfo=dt.UTC)
    assert clock.as_utc(naive).tzinfo is dt.UTC
    local = dt.datetime(2026, 12, 2, 14, 5, tzinfo=BEIJING)
    assert clock.as_utc(local) == naive.replace(tzinfo=dt.UTC)
    assert clock.as_utc(local).utcoffset() == dt.timedelta(0)


def test_to_local_crosses_the_day_boundary() -> None:
    local = clock.to_local(LATE_UTC, BEIJING)
    assert (local.date(), local.hour, local.minute) == (dt.date(2026, 12, 3), 1, 5)
    assert clock.to_local(LATE_UTC.replace(tzinfo=None), BEIJING) == local


def test_local_display_with_and_without_label() -> None:
    assert clock.local_display(LATE_UTC, BEIJING) == "2026-12-03 01:05"
    assert clock.local_display(LATE_UTC, BEIJING, seconds=True) == "2026-12-03 01:05:00"
    assert clock.local_display(LATE_UTC, BEIJING, with_zone="（北京时间）") == "2026-12-03 01:05（北京时间）"
    assert clock.local_display(LATE_UTC, ZoneInfo("Europe/Berlin")) == "2026-12-02 18:05"


def test_iso_utc_is_fixed_width_utc_for_naive_and_aware() -> None:
    expected = "2026-12-02T17:05:00.000000Z"
    assert clock.iso_utc(LATE_UTC) == expected
    assert clock.iso_utc(LATE_UTC.replace(tzinfo=None)) == expected
    assert clock.iso_utc(LATE_UTC.astimezone(BEIJING)) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (dt.datetime(2026, 12, 2, 14, 5, tzinfo=BEIJING), "D:20261202140500+08'00'"),
        (dt.datetime(2026, 12, 2, 6, 5, tzinfo=dt.UTC), "D:20261202060500+00'00'"),
        (dt.datetime(2026, 12, 2, 6, 5), "D:20261202060500Z"),
        (
            dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone(-dt.timedelta(hours=3, minutes=30))),
            "D:20260102030405-03'30'",
        ),
    ],
)
def test_pdf_date(moment: dt.datetime, expected: str) -> None:
    assert clock.pdf_date(moment) == expected


def test_the_chinese_zone_label_names_beijing_time_or_the_configured_zone() -> None:
    from responsibility.clock import DEFAULT_ZONE, chinese_zone_label

    assert chinese_zone_label(DEFAULT_ZONE) == "（北京时间）"
    assert chinese_zone_label(ZoneInfo("Asia/Urumqi")) == "（Asia/Urumqi）"


def test_the_evidence_readme_shows_its_time_in_the_configured_zone() -> None:
    from responsibility.evidence.readme import readme_text

    moment = dt.datetime(2026, 12, 2, 17, 5, tzinfo=dt.UTC)
    beijing = readme_text(scope="s", generated_at=moment, example_pdf="a.pdf", crls=[])
    urumqi = readme_text(scope="s", generated_at=moment, example_pdf="a.pdf", crls=[], zone=ZoneInfo("Asia/Urumqi"))
    assert "生成时间：2026-12-03 01:05:00（北京时间）" in beijing
    assert "生成时间：2026-12-02 23:05:00（Asia/Urumqi）" in urumqi
