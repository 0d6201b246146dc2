"""``decode_page_details``' fast path for the canonical spelling agrees with the alias table."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.sansio.test_converter import json_values
from zenoti_async._sansio.converter import decode_page_details

KEYS = ("total_records", "total_pages", "page", "page_size")


@given(st.tuples(*(json_values for _ in KEYS)))
def test_canonical_keys_decode_as_through_the_alias_table(values: tuple[object, ...]) -> None:
    canonical = dict(zip(KEYS, values, strict=True))
    # A fifth, unknown key sends the same object through the general alias-table path.
    assert decode_page_details(canonical) == decode_page_details({**canonical, "other": 1})


@given(st.tuples(*(st.integers(min_value=-5, max_value=10**12) for _ in KEYS)))
def test_canonical_integers(values: tuple[int, ...]) -> None:
    canonical = dict(zip(KEYS, values, strict=True))
    assert decode_page_details(canonical) == decode_page_details({**canonical, "other": 1})
