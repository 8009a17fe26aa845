"""Codes sort in their natural order (T2 before T10), as the import lists them."""

from __future__ import annotations

from responsibility.models import Town
from responsibility.org.ordering import natural_key, sort_towns


def test_digit_runs_compare_as_numbers() -> None:
    codes = ["T10", "T2", "T01", "SCH100", "SCH020", "T1a", "T1", None]
    assert sorted(codes, key=natural_key) == ["SCH020", "SCH100", "T01", "T1", "T1a", "T2", "T10", None]


def test_towns_sort_by_code_not_by_name() -> None:
    towns = [
        Town(id=1, source_id="T10", name="城关镇"),
        Town(id=2, source_id="T9", name="涧池镇"),
        Town(id=3, source_id="T1", name="蒲溪镇"),
    ]
    assert [t.source_id for t in sort_towns(towns)] == ["T1", "T9", "T10"]


def test_board_progress_lists_towns_in_code_order() -> None:
    from responsibility.agreements.signing_queries import BoardRow, town_progress
    from responsibility.models import Agreement, School

    def row(code: str, name: str, state: str) -> BoardRow:
        school = School(source_id=f"S-{code}", name="学校", town=Town(source_id=code, name=name))
        return BoardRow(Agreement(state=state), school, name, "", None, False)  # type: ignore[arg-type]

    rows = [row("T10", "城关镇", "issued"), row("T2", "涧池镇", "archived"), row("T1", "蒲溪镇", "school_signed")]
    progress = town_progress(rows)
    assert [p.town for p in progress] == ["蒲溪镇", "涧池镇", "城关镇"]  # T1, T2, T10; not by name
    assert [(p.total, p.complete) for p in progress] == [(1, 0), (1, 1), (1, 0)]
