"""The pure page cursor: what page next, when paging ends, what is dropped or reported."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zenoti_async._errors import PaginationError
from zenoti_async._sansio.paging import PageCursor
from zenoti_async.models import PageDetails


def cursor(page_size: int = 3, max_pages: int = 100, start_page: int = 1) -> PageCursor:
    return PageCursor(page_size=page_size, max_pages=max_pages, start_page=start_page)


def details(total: int | None = None, pages: int | None = None) -> PageDetails:
    return PageDetails(total_records=total, total_pages=pages, page=None, page_size=None)


def feed(c: PageCursor, ids: Sequence[Hashable | None], d: PageDetails | None = None) -> list[int]:
    page = c.next_page
    assert page is not None
    return c.accept(page, ids, d)


def test_short_page_ends() -> None:
    c = cursor()
    assert feed(c, [1, 2, 3]) == [0, 1, 2]
    assert (c.done, c.next_page) == (False, 2)
    assert feed(c, [4]) == [0]
    assert c.done and c.next_page is None


def test_empty_page_ends() -> None:
    c = cursor()
    feed(c, [1, 2, 3])
    assert feed(c, []) == []
    assert c.done


def test_known_total_ends_a_full_last_page_without_an_extra_request() -> None:
    c = cursor()
    feed(c, [1, 2, 3], details(total=6))
    feed(c, [4, 5, 6], details(total=6))
    assert c.done
    assert c.count_mismatch is None


def test_known_page_count_ends() -> None:
    c = cursor()
    feed(c, [1, 2, 3], details(pages=1))
    assert c.done


def test_a_short_page_is_not_the_end_while_the_totals_say_there_is_more() -> None:
    # A server capping the page size below the one asked for.
    c = cursor(page_size=3)
    feed(c, [1, 2], details(total=5))
    assert c.next_page == 2
    feed(c, [3, 4], details(total=5))
    feed(c, [5], details(total=5))
    assert c.done and c.count_mismatch is None


def test_an_empty_page_ends_even_when_the_totals_say_more_and_is_reported() -> None:
    c = cursor()
    feed(c, [1, 2, 3], details(total=9, pages=3))
    feed(c, [], details(total=9, pages=3))
    assert c.done
    mismatch = c.count_mismatch
    assert mismatch is not None
    assert (mismatch.yielded, mismatch.last_total, mismatch.reported_pages) == (3, 9, 3)


@pytest.mark.parametrize(
    "signals", [details(total=3, pages=3), details(total=9, pages=1)], ids=["pages", "records"]
)
def test_contradicting_totals_page_until_neither_says_more_and_report_it(
    signals: PageDetails,
) -> None:
    c = cursor()
    fed = 0
    while not c.done:
        feed(c, [fed * 3 + 1, fed * 3 + 2, fed * 3 + 3], signals)
        fed += 1
    assert fed == 3
    assert c.records_accepted == 9
    assert c.count_mismatch is not None


def test_a_start_page_is_not_a_mismatch() -> None:
    c = cursor(start_page=3)
    feed(c, [7, 8, 9], details(total=10, pages=4))
    feed(c, [10], details(total=10, pages=4))
    assert c.done and c.count_mismatch is None


def test_no_records_reported_as_zero_pages_is_not_a_mismatch() -> None:
    c = cursor()
    feed(c, [], details(total=0, pages=0))
    assert c.done and c.count_mismatch is None


def test_server_ignoring_page_raises_instead_of_looping() -> None:
    c = cursor()
    feed(c, [1, 2, 3])
    with pytest.raises(PaginationError, match="ignore"):
        feed(c, [1, 2, 3])


def test_any_earlier_page_served_again_raises_even_beyond_the_dedupe_window() -> None:
    c = cursor(page_size=2)
    for n in range(6):
        feed(c, [2 * n, 2 * n + 1])
    with pytest.raises(PaginationError, match="page 7 repeated"):
        feed(c, [0, 1])


def test_an_earlier_page_served_again_in_another_order_raises() -> None:
    c = cursor(page_size=2)
    feed(c, [1, 2])
    feed(c, [3, 4])
    with pytest.raises(PaginationError):
        feed(c, [2, 1])


def test_a_page_made_only_of_records_seen_on_recent_pages_raises() -> None:
    c = cursor()
    feed(c, [1, 2, 3])
    feed(c, [4, 5, 6])
    with pytest.raises(PaginationError):
        feed(c, [3, 4, 5])


def test_the_page_cap_raises_before_a_page_past_it_is_planned() -> None:
    c = cursor(page_size=1, max_pages=2)
    feed(c, [1])
    assert feed(c, [2]) == [0]  # the last page allowed is still handed on
    assert c.next_page == 3
    with pytest.raises(PaginationError, match="more than 2 pages"):
        c.plan(1)


def test_accepting_a_page_other_than_the_next_is_refused() -> None:
    c = cursor()
    with pytest.raises(ValueError, match="page 2"):
        c.accept(2, [1], None)


def test_shifted_duplicates_are_dropped_and_a_changed_total_is_reported() -> None:
    c = cursor()
    feed(c, [1, 2, 3], details(total=7))
    # A record was inserted before the offset: 3 shows again at the top of page 2.
    assert feed(c, [3, 4, 5], details(total=8)) == [1, 2]
    assert feed(c, [6, 7], details(total=8)) == [0, 1]
    assert not c.done  # 7 unique records of 8: the next page may hold the last one
    assert feed(c, [], details(total=8)) == []
    assert c.duplicates_dropped == 1
    mismatch = c.count_mismatch
    assert mismatch is not None
    assert (mismatch.first_total, mismatch.last_total, mismatch.yielded) == (7, 8, 7)
    assert "inserted or deleted" in mismatch.describe()


def test_deleted_record_is_reported_even_when_the_count_matches_the_new_total() -> None:
    c = cursor()
    feed(c, [1, 2, 3], details(total=7))
    feed(c, [5, 6, 7], details(total=6))  # 4 was skipped by the shift
    assert c.done
    mismatch = c.count_mismatch
    assert mismatch is not None and mismatch.yielded == 6


def test_records_without_id_are_kept() -> None:
    c = cursor()
    assert feed(c, [None, None]) == [0, 1]


def test_a_page_of_unique_unseen_ids_keeps_every_record_in_order() -> None:
    c = cursor()
    assert feed(c, [10, 11, 12]) == [0, 1, 2]
    assert feed(c, [13, 14, 15]) == [0, 1, 2]
    assert feed(c, [15, 16, 17]) == [1, 2]
    assert c.duplicates_dropped == 1


def test_plan_is_one_page_until_the_server_says_how_many() -> None:
    c = cursor()
    assert list(c.plan(4)) == [1]
    feed(c, [1, 2, 3], details(total=30))
    assert list(c.plan(4)) == [2, 3, 4, 5]
    assert list(c.plan(100)) == list(range(2, 11))
    assert c.known_last_page == 10


def test_plan_follows_the_larger_of_contradicting_totals() -> None:
    c = cursor()
    feed(c, [1, 2, 3], details(total=3, pages=4))
    assert list(c.plan(10)) == [2, 3, 4]


def test_plan_never_passes_the_page_cap_and_is_empty_when_done() -> None:
    c = cursor(max_pages=3)
    feed(c, [1, 2, 3], details(total=1_000_000))
    assert list(c.plan(10)) == [2, 3]
    c2 = cursor()
    feed(c2, [])
    assert list(c2.plan(10)) == []


def reference_keep(window: list[set[Hashable]], ids: Sequence[Hashable | None]) -> list[int]:
    """The rule, one record at a time: keep a record unless its id is not None and was
    already seen on this page or on the pages of the dedupe window."""
    keep, seen = [], set()
    for index, record_id in enumerate(ids):
        if record_id is not None:
            if record_id in seen or any(record_id in s for s in window):
                continue
            seen.add(record_id)
        keep.append(index)
    return keep


# Small ids so that pages overlap (duplicates within and across pages) often.
pages = st.lists(st.lists(st.one_of(st.none(), st.integers(0, 30)), max_size=8), max_size=6)


@given(pages)
def test_duplicates_of_the_last_pages_are_dropped_record_by_record(
    sequence: list[list[int | None]],
) -> None:
    c = PageCursor(page_size=8, max_pages=100)
    window: list[set[Hashable]] = []
    earlier_pages: list[frozenset[Hashable]] = []
    dropped = 0
    for ids in sequence:
        if c.done:
            break
        present = frozenset(i for i in ids if i is not None)
        repeats = bool(present) and (
            present in earlier_pages or all(any(i in s for s in window) for i in present)
        )
        if repeats:
            # A page of nothing but already-seen ids is a server ignoring `page`.
            with pytest.raises(PaginationError):
                feed(c, ids)
            break
        expected = reference_keep(window, ids)
        assert feed(c, ids) == expected
        dropped += len(ids) - len(expected)
        window = [*window, {ids[i] for i in expected if ids[i] is not None}][-3:]
        earlier_pages.append(present)
        assert c.duplicates_dropped == dropped
