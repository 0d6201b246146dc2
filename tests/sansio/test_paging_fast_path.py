"""``accept_page``'s set-based fast path decides exactly as the record-by-record rule does."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from hypothesis import given
from hypothesis import strategies as st

from zenoti_async._paginator import PaginationState, accept_page


def reference_keep(window: list[set[Hashable]], ids: Sequence[Hashable | None]) -> list[int]:
    """The rule, one record at a time: keep a record unless its id is None-free and was
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
def test_fast_path_keeps_exactly_what_the_rule_keeps(sequence: list[list[int | None]]) -> None:
    state = PaginationState(page_size=8, next_page=1, max_pages=100)
    window: list[set[Hashable]] = []
    dropped = 0
    for ids in sequence:
        if state.done:
            break
        expected = reference_keep(window, ids)
        previous = state.previous_ids
        if ids and previous is not None and tuple(ids) == previous:
            break  # a repeated page raises PaginationError; covered by test_pagination
        assert accept_page(state, ids, None) == expected
        dropped += len(ids) - len(expected)
        window = [*window, {ids[i] for i in expected if ids[i] is not None}][-3:]
        assert state.duplicates_dropped == dropped
        if not state.done:
            assert [set(s) for s in state.recent_ids] == window


def test_a_page_of_unique_unseen_ids_keeps_every_record_in_order() -> None:
    state = PaginationState(page_size=3, next_page=1, max_pages=10)
    assert accept_page(state, [10, 11, 12], None) == [0, 1, 2]
    assert accept_page(state, [13, 14, 15], None) == [0, 1, 2]
    assert accept_page(state, [15, 16, 17], None) == [1, 2]
    assert state.duplicates_dropped == 1
