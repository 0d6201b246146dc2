"""What the mock records about each request, with credentials redacted; concurrency peaks."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from tests.testing._support import fetch
from zenoti_async.testing import Delay, MockZenoti, RecordedRequest

pytestmark = pytest.mark.zenoti_mock(centers=10, seed=7, api_key="secret-key-0123456789")


async def test_requests_are_recorded_with_their_query_and_headers(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    before = time.time()
    params = [("search_type", 0), ("item_ids", "1,2"), ("item_ids", "3"), ("size", 5)]
    headers = {**zenoti_mock.auth_headers, "X-Trace": "abc"}
    await fetch(http, zenoti_mock, "packages", params, headers=headers)
    [record] = zenoti_mock.requests
    assert record.index == 1
    assert (record.method, record.path, record.endpoint) == (
        "GET",
        "/v1/classes/packages",
        "packages",
    )
    assert record.query == (
        ("search_type", "0"),
        ("item_ids", "1,2"),
        ("item_ids", "3"),
        ("size", "5"),
    )
    assert record.params.getall("item_ids") == ["1,2", "3"]
    assert record.header("x-trace") == "abc"
    assert record.status == 404
    assert record.remote == "127.0.0.1"
    assert record.wall_time >= before
    assert record.duration is not None
    assert record.response_bytes is not None
    assert record.response_bytes > 0
    assert record.path_qs.startswith("/v1/classes/packages?search_type=0&item_ids=1%2C2")


async def test_the_api_key_is_redacted_everywhere(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    await fetch(http, zenoti_mock, "sessions", {"center_id": zenoti_mock.center_ids[0]})
    await fetch(http, zenoti_mock, "sessions", {}, headers={"Authorization": "bearer other-secret"})
    first, second = zenoti_mock.requests
    assert first.header("Authorization") == "apikey [REDACTED]"
    assert second.header("Authorization") == "bearer [REDACTED]"
    assert second.auth == "invalid"
    dumped = repr(zenoti_mock.requests) + str([r.headers for r in zenoti_mock.requests])
    assert "secret-key-0123456789" not in dumped
    assert "other-secret" not in dumped


async def test_reset_forgets_requests_and_restarts_numbering(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    for _ in range(3):
        await fetch(http, zenoti_mock, "sessions", {"center_id": zenoti_mock.center_ids[0]})
    assert [r.index for r in zenoti_mock.requests] == [1, 2, 3]
    assert len(zenoti_mock.requests_to("sessions")) == 3
    assert zenoti_mock.requests_to("packages") == []
    zenoti_mock.reset()
    assert zenoti_mock.requests == []
    await fetch(http, zenoti_mock, "sessions", {"center_id": zenoti_mock.center_ids[0]})
    assert [r.index for r in zenoti_mock.requests] == [1]


async def test_max_in_flight_counts_concurrent_requests(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(Delay(0.05))
    params = {"center_id": zenoti_mock.center_ids[0]}
    assert (zenoti_mock.in_flight, zenoti_mock.max_in_flight) == (0, 0)
    tasks = [asyncio.create_task(fetch(http, zenoti_mock, "sessions", params)) for _ in range(6)]
    while zenoti_mock.in_flight < 6:  # noqa: ASYNC110  (the mock exposes a counter, not an event)
        await asyncio.sleep(0.002)
    assert zenoti_mock.in_flight == 6
    await asyncio.gather(*tasks)
    assert (zenoti_mock.in_flight, zenoti_mock.max_in_flight) == (0, 6)
    await fetch(http, zenoti_mock, "sessions", params)
    assert zenoti_mock.max_in_flight == 6
    zenoti_mock.reset()
    assert zenoti_mock.max_in_flight == 0


async def test_the_request_hook_sees_each_answered_request(http: aiohttp.ClientSession) -> None:
    seen: list[RecordedRequest] = []
    async with MockZenoti(centers=3, on_request=seen.append, max_recorded=2) as mock:
        for _ in range(3):
            await fetch(http, mock, "sessions", {"center_id": mock.center_ids[0]})
        assert [r.status for r in seen] == [200, 200, 200]
        assert all(r.duration is not None for r in seen)
        # Only the most recent requests are kept when max_recorded is set.
        assert [r.index for r in mock.requests] == [2, 3]
