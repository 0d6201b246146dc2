"""``decode_sessions_records``: record iteration decodes the records and paging, not the related
objects that only ``.pages()`` shows."""

from __future__ import annotations

import copy
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import payloads
from tests.sansio.test_converter import SESSIONS_PAGE_KEYS, json_values, outcome
from zenoti_async._errors import DecodeError
from zenoti_async._paginator import Paginator
from zenoti_async._resources.classes import SESSIONS
from zenoti_async._sansio.converter import decode_sessions_page, decode_sessions_records
from zenoti_async._sansio.request import Request
from zenoti_async.models import Session, SessionsPage

RELATED = ("classes", "instructors", "categories", "rooms", "levels")


def without_related(page: SessionsPage) -> SessionsPage:
    return attrs.evolve(page, **{name: [] for name in RELATED})


def test_records_only_is_the_full_page_without_the_related_objects() -> None:
    payload = payloads.full_sessions_payload()
    full = decode_sessions_page(payload)
    assert all(getattr(full, name) for name in RELATED)
    lean = decode_sessions_records(payload)
    assert lean == without_related(full)
    assert type(lean) is SessionsPage


@pytest.mark.parametrize("key", RELATED)
def test_broken_related_objects_do_not_fail_record_iteration(key: str) -> None:
    payload = payloads.full_sessions_payload()
    payload[key] = [{"id": {"not": "an id"}}]
    with pytest.raises(DecodeError, match=key):
        decode_sessions_page(payload)
    assert (
        decode_sessions_records(payload).sessions
        == decode_sessions_page(payloads.full_sessions_payload()).sessions
    )


def test_a_broken_record_is_reported_without_the_related_objects() -> None:
    payload = payloads.full_sessions_payload()
    payload["sessions"][0]["id"] = "x"
    payload["classes"][0]["id"] = "y"
    with pytest.raises(DecodeError) as info:
        decode_sessions_records(payload)
    assert info.value.errors == ["$.sessions[0].id: expected an integer, got 'x'"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=st.sampled_from([*payloads.SESSION_FIELDS, "start_time_utc", "unknown"]),
    page_key=st.sampled_from(SESSIONS_PAGE_KEYS),
    value=json_values,
    page_value=json_values,
)
def test_records_only_agrees_with_the_full_decode_on_what_it_reads(
    key: str, page_key: str, value: object, page_value: object
) -> None:
    payload: dict[str, Any] = payloads.full_sessions_payload()
    payload["sessions"][0][key] = value
    payload[page_key] = page_value
    lean = outcome(decode_sessions_records, copy.deepcopy(payload))
    reference = outcome(
        decode_sessions_page, {k: v for k, v in payload.items() if k not in RELATED}
    )
    if isinstance(reference, DecodeError):
        assert isinstance(lean, DecodeError)
        assert lean.errors == reference.errors
    else:
        assert lean == reference


def paginator_over(payload: dict[str, Any]) -> Paginator[SessionsPage, Session]:
    async def fetch(request: Request, decode: Any) -> SessionsPage:
        page_payload: dict[str, Any] = copy.deepcopy(payload)
        result: SessionsPage = decode(page_payload)
        return result

    return Paginator(fetch, SESSIONS, [], page_size=100, start_page=1, max_pages=10)


async def test_record_iteration_skips_the_related_objects_and_pages_decode_them() -> None:
    payload = payloads.full_sessions_payload()
    payload["classes"] = [{"id": "not a class id"}]
    expected = [s.id for s in decode_sessions_records(payload).sessions]
    assert [s.id async for s in paginator_over(payload)] == expected
    with pytest.raises(DecodeError, match="classes"):
        [page async for page in paginator_over(payload).pages()]
    good = payloads.full_sessions_payload()
    [page] = [page async for page in paginator_over(good).pages()]
    assert page == decode_sessions_page(good)
