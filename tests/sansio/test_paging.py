"""The pure next-page decision."""

from __future__ import annotations

import pytest

from zenoti_async._errors import PaginationError
from zenoti_async._paginator import PaginationState, accept_page, count_mismatch
from zenoti_async.models import PageDetails


def state(page_size: int = 3, max_pages: int = 100) -> PaginationState:
    return PaginationState(page_size=page_size, next_page=1, max_pages=max_pages)


def details(total: int | None = None, pages: int | None = None) -> PageDetails:
    return PageDetails(total_records=total, total_pages=pages, page=None, page_size=None)


def test_short_page_ends() -> None:
    s = state()
    assert accept_page(s, [1, 2, 3], None) == [0, 1, 2]
    assert (s.done, s.next_page) == (False, 2)
    assert accept_page(s, [4], None) == [0]
    assert s.done


def test_empty_page_ends() -> None:
    s = state()
    accept_page(s, [1, 2, 3], None)
    assert accept_page(s, [], None) == []
    assert s.done


def test_known_total_ends_a_full_last_page_without_an_extra_request() -> None:
    s = state()
    accept_page(s, [1, 2, 3], details(total=6))
    accept_page(s, [4, 5, 6], details(total=6))
    assert s.done
    assert count_mismatch(s) is None


def test_known_page_count_ends() -> None:
    s = state()
    accept_page(s, [1, 2, 3], details(pages=1))
    assert s.done


def test_server_ignoring_page_raises_instead_of_looping() -> None:
    s = state()
    accept_page(s, [1, 2, 3], None)
    with pytest.raises(PaginationError, match="ignore"):
        accept_page(s, [1, 2, 3], None)


def test_page_cap_raises() -> None:
    s = state(page_size=1, max_pages=2)
    accept_page(s, [1], None)
    with pytest.raises(PaginationError, match="more than 2 pages"):
        accept_page(s, [2], None)


def test_shifted_duplicates_are_dropped_and_a_changed_total_is_reported() -> None:
    s = state()
    accept_page(s, [1, 2, 3], details(total=7))
    # A record was inserted before the offset: 3 shows again at the top of page 2.
    assert accept_page(s, [3, 4, 5], details(total=8)) == [1, 2]
    assert accept_page(s, [6, 7], details(total=8)) == [0, 1]
    assert s.duplicates_dropped == 1
    mismatch = count_mismatch(s)
    assert mismatch is not None
    assert (mismatch.first_total, mismatch.last_total, mismatch.yielded) == (7, 8, 7)
    assert "inserted or deleted" in mismatch.describe()


def test_deleted_record_is_reported_even_when_the_count_matches_the_new_total() -> None:
    s = state()
    accept_page(s, [1, 2, 3], details(total=7))
    accept_page(s, [5, 6, 7], details(total=6))  # 4 was skipped by the shift
    assert s.done
    mismatch = count_mismatch(s)
    assert mismatch is not None and mismatch.yielded == 6


def test_records_without_id_are_kept() -> None:
    s = state()
    assert accept_page(s, [None, None], None) == [0, 1]
