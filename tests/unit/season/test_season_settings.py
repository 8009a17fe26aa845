"""The season's settings: leading posts, holiday spans and visit categories are configuration."""

from __future__ import annotations

import datetime as dt

from responsibility.settings import SeasonSettings, Settings


def test_defaults_follow_the_domain_reference(tmp_path) -> None:  # type: ignore[no-untyped-def]
    season = Settings.from_config({}, tmp_path).season
    assert season == SeasonSettings()
    assert {"S01", "S03", "B02"} <= season.leading_posts and "S16" not in season.leading_posts  # 门卫 never leads
    assert season.winter_break == () and season.spring_festival == ()
    assert "留守儿童" in season.visit_categories and "心理关注学生" in season.visit_categories


def test_configured_values_replace_the_defaults(tmp_path) -> None:  # type: ignore[no-untyped-def]
    season = Settings.from_config(
        {
            "ROSTER_LEADING_POSTS": "S01, S03",
            "ROSTER_WINTER_BREAK": "2026-01-24/2026-03-01",
            "ROSTER_SPRING_FESTIVAL": "2026-02-15/2026-02-23,2027-02-06",
            "VISIT_CATEGORIES": ["留守儿童", "孤儿"],
        },
        tmp_path,
    ).season
    assert season.leading_posts == frozenset({"S01", "S03"})
    assert season.winter_break == ((dt.date(2026, 1, 24), dt.date(2026, 3, 1)),)
    assert season.spring_festival == (
        (dt.date(2026, 2, 15), dt.date(2026, 2, 23)),
        (dt.date(2027, 2, 6), dt.date(2027, 2, 6)),
    )
    assert season.visit_categories == ("留守儿童", "孤儿")
