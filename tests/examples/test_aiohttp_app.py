"""examples/aiohttp_app.py on aiohttp's TestServer (127.0.0.1), against a MockZenoti in the
same loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aiohttp.test_utils import TestClient, TestServer

from examples import aiohttp_app
from tests.examples.conftest import biggest_center, client_options
from tests.integration.conftest import client_side_tasks
from zenoti_async import ZenotiClient
from zenoti_async.testing import Delay, GatewayError, MockZenoti, RateLimited


async def serve(mock: MockZenoti, **extra: Any) -> TestClient[Any, Any]:
    http: TestClient[Any, Any] = TestClient(
        TestServer(aiohttp_app.create_app(**client_options(mock, **extra)))
    )
    await http.start_server()
    return http


@pytest.fixture
async def web(mock: MockZenoti) -> AsyncIterator[TestClient[Any, Any]]:
    http = await serve(mock)
    try:
        yield http
    finally:
        await http.close()


def ids(records: list[dict[str, Any]]) -> list[int]:
    return [r["id"] for r in records]


async def test_cleanup_ctx_opens_one_client_and_closes_it_with_the_app(mock: MockZenoti) -> None:
    http = await serve(mock)
    client = http.app[aiohttp_app.ZENOTI]
    view = http.app[aiohttp_app.INTERACTIVE]
    assert view._pool is client._pool  # the fail-fast view shares the client's pool
    async with http.get(f"/centers/{mock.center_ids[0]}/sessions") as reply:
        assert reply.status == 200
    assert not client.closed
    await http.close()
    assert client.closed and view.closed


async def test_the_page_endpoint_returns_one_page_and_the_next_page_number(
    web: TestClient[Any, Any], mock: MockZenoti
) -> None:
    center = biggest_center(mock)
    expected = mock.dataset.sessions_for(center)
    async with web.get(f"/centers/{center}/sessions?page=3&page_size=20") as reply:
        assert reply.status == 200
        body = await reply.json()
    assert ids(body["sessions"]) == [s["id"] for s in expected[40:60]]
    assert body["next_page"] == 4


async def test_the_stream_endpoint_sends_every_session_as_json_lines(
    web: TestClient[Any, Any], mock: MockZenoti
) -> None:
    center = biggest_center(mock)
    async with web.get(f"/centers/{center}/sessions.jsonl") as reply:
        assert reply.status == 200
        assert reply.content_type == aiohttp_app.JSONL
        lines = [orjson.loads(line) async for line in reply.content if line.strip()]
    assert ids(lines) == [s["id"] for s in mock.dataset.sessions_for(center)]


async def test_many_concurrent_streams_share_one_pool(mock: MockZenoti) -> None:
    http = await serve(mock, max_connections=3)
    try:
        centers = mock.center_ids[:12]

        async def stream(center: str) -> list[int]:
            async with http.get(f"/centers/{center}/sessions.jsonl") as reply:
                return ids([orjson.loads(line) async for line in reply.content if line.strip()])

        results = await asyncio.gather(*(stream(c) for c in centers))
        client = http.app[aiohttp_app.ZENOTI]
        stats = client.stats()
    finally:
        await http.close()
    for center, got in zip(centers, results, strict=True):
        assert got == [s["id"] for s in mock.dataset.sessions_for(center)]
    assert mock.max_in_flight <= 3
    assert stats.connections_limit == 3
    assert stats.connections_in_use == 0


async def test_errors_map_to_gateway_statuses_and_bad_parameters_to_422(
    web: TestClient[Any, Any], mock: MockZenoti
) -> None:
    center = mock.center_ids[0]
    async with web.get("/centers/nope/sessions") as reply:
        assert reply.status == 422
        assert "center_id" in (await reply.json())["detail"]
    async with web.get(f"/centers/{center}/sessions?page_size=500") as reply:
        assert reply.status == 422
    assert mock.requests == []
    mock.inject(RateLimited(retry_after=300), endpoint="sessions", times=1)
    async with web.get(f"/centers/{center}/sessions") as reply:
        assert reply.status == 503
        assert reply.headers["Retry-After"] == "300"
    mock.inject(GatewayError(502), endpoint="sessions")
    async with web.get(f"/centers/{center}/sessions.jsonl") as reply:
        assert reply.status == 502
        assert (await reply.json())["error"] == "HTTPStatusError"


async def test_a_failure_after_the_first_page_ends_the_stream_with_an_error_line(
    web: TestClient[Any, Any], mock: MockZenoti
) -> None:
    mock.inject(GatewayError(503), endpoint="sessions", page=2)
    async with web.get(f"/centers/{biggest_center(mock)}/sessions.jsonl") as reply:
        assert reply.status == 200
        lines = [orjson.loads(line) async for line in reply.content if line.strip()]
    assert len(lines) == 101
    assert lines[-1]["error"] == "HTTPStatusError"


async def test_a_caller_hanging_up_cancels_the_sdk_request_in_flight(mock: MockZenoti) -> None:
    center = biggest_center(mock)
    mock.inject(Delay(30.0), endpoint="sessions", page=2)  # page 2 would take 30 s
    http = await serve(mock)
    client: ZenotiClient = http.app[aiohttp_app.ZENOTI]
    try:
        before = client_side_tasks()
        reply = await http.get(f"/centers/{center}/sessions.jsonl")
        assert reply.status == 200
        await reply.content.readline()  # page 1 has arrived; page 2 is in flight
        for _ in range(200):
            if client.stats().requests_in_flight == 1:
                break
            await asyncio.sleep(0.005)
        assert client.stats().connections_in_use == 1
        reply.close()  # hang up
        for _ in range(400):
            stats = client.stats()
            if stats.requests_in_flight == 0 and stats.connections_in_use == 0:
                break
            await asyncio.sleep(0.005)
        assert stats.requests_in_flight == 0
        assert stats.connections_in_use == 0
        assert stats.requests_failed == 0  # cancelled, not failed
        assert client_side_tasks() == before
    finally:
        await http.close()
    assert client.closed
