"""Paging against servers that lie: bodies without the list, totals that contradict each other
or change, pages served again, garbage ``page_details``. Nothing may be lost, skipped or handed
over twice without a word."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.hostile._scripted import CENTER, page_number, scripted, session
from zenoti_async import (
    DecodeError,
    MembershipSearchType,
    PackageSearchType,
    PaginationError,
    Paginator,
    ZenotiClient,
)

ASP_NET_FAILURE = {"Message": "An error has occurred.", "InternalMessage": "boom"}

# The three list endpoints; each body's list is under the endpoint's name.
ENDPOINTS = ("sessions", "packages", "memberships")


def call(client: ZenotiClient, endpoint: str, page_size: int = 3) -> Paginator[Any, Any]:
    if endpoint == "sessions":
        return client.classes.sessions(center_id=CENTER, page_size=page_size)
    if endpoint == "packages":
        return client.classes.packages(
            search_type=PackageSearchType.CLASS, item_ids=[1], page_size=page_size
        )
    return client.classes.memberships(
        search_type=MembershipSearchType.CLASS, item_ids=[1], page_size=page_size
    )


def record(endpoint: str, record_id: int) -> dict[str, Any]:
    return session(record_id) if endpoint == "sessions" else {"id": str(record_id)}


def ids(records: list[Any]) -> list[Any]:
    return [r.id for r in records]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_body_without_the_list_on_the_first_page_is_a_decode_error(
    endpoint: str,
) -> None:
    async with scripted(lambda path, query: (200, ASP_NET_FAILURE)) as (client, _):
        with pytest.raises(DecodeError) as info:
            await call(client, endpoint).collect()
    error = info.value
    assert error.path == f"/v1/classes/{endpoint}" and error.page == 1
    assert f"no '{endpoint}' list" in str(error)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_body_without_the_list_on_a_later_page_is_a_decode_error_not_the_end(
    endpoint: str,
) -> None:
    def answer(path: str, query: dict[str, str]) -> tuple[int, Any]:
        if page_number(query) == 1:
            return 200, {endpoint: [record(endpoint, i) for i in (1, 2, 3)]}
        return 200, ASP_NET_FAILURE

    async with scripted(answer) as (client, _):
        paginator = call(client, endpoint)
        got = []
        with pytest.raises(DecodeError) as info:
            async for item in paginator:
                got.append(item)
    assert len(got) == 3
    assert (info.value.page, info.value.records_yielded) == (2, 3)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_null_list_is_an_empty_page(endpoint: str) -> None:
    async with scripted(lambda path, query: (200, {endpoint: None})) as (client, seen):
        assert await call(client, endpoint).collect() == []
    assert len(seen) == 1


@pytest.mark.parametrize(
    "page_details",
    [{"total_records": 3, "total_pages": 3}, {"count": 3, "pages": 3}],
    ids=["total_records/total_pages", "count/pages"],
)
async def test_contradicting_totals_fetch_every_page_and_warn_once(
    page_details: dict[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    def answer(path: str, query: dict[str, str]) -> tuple[int, Any]:
        n = page_number(query)
        if n > 3:
            return 200, {"sessions": [], "page_details": page_details}
        rows = [session(3 * (n - 1) + i) for i in (1, 2, 3)]
        return 200, {"sessions": rows, "page_details": page_details}

    caplog.set_level(logging.WARNING, logger="zenoti_async")
    async with scripted(answer) as (client, seen):
        paginator = call(client, "sessions")
        got = await paginator.collect()
    assert ids(got) == list(range(1, 10))
    assert len(seen) == 3
    assert paginator.count_mismatch is not None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "9 unique records" in warnings[0].getMessage()


@pytest.mark.parametrize("repeated", [1, 2, 3])
async def test_a_server_serving_any_earlier_page_again_raises_before_a_repeat(
    repeated: int,
) -> None:
    def answer(path: str, query: dict[str, str]) -> tuple[int, Any]:
        n = page_number(query)
        served = n if n <= 4 else repeated  # ignores `page` after page 4
        return 200, {"sessions": [session(3 * (served - 1) + i) for i in (1, 2, 3)]}

    async with scripted(answer) as (client, _):
        got = []
        with pytest.raises(PaginationError) as info:
            async for item in call(client, "sessions"):
                got.append(item.id)
    assert got == list(range(1, 13))
    assert info.value.page == 5


async def test_records_shifted_by_inserts_are_dropped_by_id_and_reported() -> None:
    # Between fetches a record is inserted at the front: page 2 starts with page 1's last.
    pages = {1: [1, 2, 3], 2: [3, 4, 5], 3: [6, 7]}

    def answer(path: str, query: dict[str, str]) -> tuple[int, Any]:
        rows = pages.get(page_number(query), [])
        return 200, {"sessions": [session(i) for i in rows], "page_details": {"total": 8}}

    async with scripted(answer) as (client, _):
        paginator = call(client, "sessions")
        got = ids(await paginator.collect())
    assert got == [1, 2, 3, 4, 5, 6, 7]
    assert paginator.duplicates_dropped == 1
    assert paginator.count_mismatch is not None


@pytest.mark.parametrize(
    ("totals", "fetched"),
    [((9, 6, 6), 2), ((6, 9, 9), 3)],
    ids=["shrinking", "growing"],
)
async def test_totals_changing_mid_iteration_end_cleanly_and_are_reported(
    totals: tuple[int, int, int], fetched: int
) -> None:
    def answer(path: str, query: dict[str, str]) -> tuple[int, Any]:
        n = page_number(query)
        total = totals[min(n, 3) - 1]
        rows = [session(3 * (n - 1) + i) for i in (1, 2, 3) if 3 * (n - 1) + i <= total]
        return 200, {"sessions": rows, "page_details": {"total_records": total}}

    async with scripted(answer) as (client, seen):
        paginator = call(client, "sessions")
        got = ids(await paginator.collect())
    assert got == list(range(1, 3 * fetched + 1))
    assert len(set(got)) == len(got)
    assert len(seen) == fetched
    assert paginator.count_mismatch is not None
    assert paginator.count_mismatch.first_total == totals[0]


async def test_an_empty_middle_page_ends_with_a_reported_mismatch() -> None:
    def answer(path: str, query: dict[str, str]) -> tuple[int, Any]:
        n = page_number(query)
        rows = [] if n == 2 else [session(3 * (n - 1) + i) for i in (1, 2, 3)]
        return 200, {"sessions": rows, "page_details": {"total_records": 9, "total_pages": 3}}

    async with scripted(answer) as (client, seen):
        paginator = call(client, "sessions")
        assert ids(await paginator.collect()) == [1, 2, 3]
    assert len(seen) == 2
    mismatch = paginator.count_mismatch
    assert mismatch is not None and (mismatch.yielded, mismatch.last_total) == (3, 9)


@pytest.mark.parametrize(
    "garbage",
    [None, "lots", [], {"total_records": "many", "total_pages": -1}, {"total": [1]}, 7],
)
async def test_garbage_page_details_page_by_full_pages(garbage: object) -> None:
    def answer(path: str, query: dict[str, str]) -> tuple[int, Any]:
        n = page_number(query)
        rows = [session(i) for i in range(3 * n - 2, min(3 * n, 7) + 1)]
        return 200, {"sessions": rows, "page_details": garbage}

    async with scripted(answer) as (client, seen):
        paginator = call(client, "sessions")
        assert ids(await paginator.collect()) == [1, 2, 3, 4, 5, 6, 7]
    assert len(seen) == 3
    assert paginator.count_mismatch is None


async def test_a_huge_total_after_a_short_page_costs_one_empty_page_and_is_reported() -> None:
    def answer(path: str, query: dict[str, str]) -> tuple[int, Any]:
        rows = [session(1), session(2)] if page_number(query) == 1 else []
        return 200, {"sessions": rows, "page_details": {"total_records": 10**12}}

    async with scripted(answer) as (client, seen):
        paginator = call(client, "sessions")
        assert ids(await paginator.collect()) == [1, 2]
    assert len(seen) == 2
    assert paginator.count_mismatch is not None


async def test_a_huge_page_count_of_new_records_stops_at_max_pages() -> None:
    def answer(path: str, query: dict[str, str]) -> tuple[int, Any]:
        n = page_number(query)
        rows = [session(3 * (n - 1) + i) for i in (1, 2, 3)]
        return 200, {"sessions": rows, "page_details": {"total_pages": 10**9}}

    got: list[int | None] = []
    async with scripted(answer) as (client, seen):
        paginator = client.with_options(max_pages=4).classes.sessions(center_id=CENTER, page_size=3)
        with pytest.raises(PaginationError, match="more than 4 pages") as info:
            async for item in paginator:
                got.append(item.id)
    assert len(seen) == 4
    assert got == list(range(1, 13))  # every page fetched reached the caller
    assert (info.value.page, info.value.records_yielded) == (5, 12)


async def test_a_consumer_breaking_early_sends_nothing_more() -> None:
    def answer(path: str, query: dict[str, str]) -> tuple[int, Any]:
        n = page_number(query)
        return 200, {"sessions": [session(3 * (n - 1) + i) for i in (1, 2, 3)]}

    async with scripted(answer) as (client, seen):
        paginator = call(client, "sessions")
        async for item in paginator:
            if item.id == 4:
                break
    assert len(seen) == 2
    assert (paginator.records_yielded, paginator.next_page) == (4, 3)
