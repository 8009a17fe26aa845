"""Numbered pages of a list held in full: positions, the last page, an empty list, a page past the end."""

from __future__ import annotations

from responsibility.web.paging import page_of


def test_pages_cut_the_list_and_say_where_they_are() -> None:
    items = list(range(1, 451))
    first, last = page_of(items, 1, 200), page_of(items, 3, 200)
    assert (first.first, first.last, first.has_next, first.paged) == (1, 200, True, True)
    assert list(last.items) == list(range(401, 451))
    assert (last.first, last.last, last.has_next) == (401, 450, False)


def test_one_page_shows_no_pager_and_an_empty_list_has_no_positions() -> None:
    assert not page_of([1, 2, 3], 1, 200).paged
    empty = page_of([], 1, 200)
    assert (empty.first, empty.last, empty.has_next, empty.paged) == (0, 0, False, False)


def test_a_page_past_the_end_is_empty_but_keeps_its_pager() -> None:
    past = page_of(list(range(10)), 4, 5)
    assert list(past.items) == [] and past.paged and not past.has_next and past.total == 10
