"""examples/fastapi_app.py, in-process: Starlette's TestClient (the app runs in the TestClient's
own loop, in another thread) against a MockZenoti on 127.0.0.1, and a raw ASGI call for the
client-disconnect case."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson
import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from examples import fastapi_app
from tests.examples.conftest import biggest_center, client_options
from tests.integration.conftest import client_side_tasks
from tests.threaded_mock import ThreadedMock
from zenoti_async import ClientStateError, RetryPolicy, TokenBucket, ZenotiClient
from zenoti_async.testing import (
    GatewayError,
    MockZenoti,
    RateLimitConfig,
    RateLimited,
    SlowBody,
)


def ids(sessions: list[dict[str, Any]]) -> list[int]:
    return [s["id"] for s in sessions]


@pytest.fixture
def web(threaded_mock: MockZenoti) -> Iterator[TestClient]:
    app = fastapi_app.create_app(**client_options(threaded_mock))
    with TestClient(app) as http:
        yield http


def test_the_lifespan_opens_one_client_and_closes_it_on_shutdown(
    threaded_mock: MockZenoti,
) -> None:
    app = fastapi_app.create_app(**client_options(threaded_mock))
    with TestClient(app) as http:
        client: ZenotiClient = app.state.zenoti
        center = threaded_mock.center_ids[0]
        assert http.get(f"/centers/{center}/sessions").status_code == 200
        assert http.get(f"/centers/{center}/sessions.jsonl").status_code == 200
        assert app.state.zenoti is client  # the same client served both requests
        assert not client.closed
    assert client.closed
    assert client.stats().connections_in_use == 0


def test_the_page_endpoint_returns_one_page_and_the_next_page_number(
    web: TestClient, threaded_mock: MockZenoti
) -> None:
    center = biggest_center(threaded_mock)
    expected = threaded_mock.dataset.sessions_for(center)
    reply = web.get(f"/centers/{center}/sessions", params={"page": 2, "page_size": 50})
    assert reply.status_code == 200
    body = reply.json()
    assert ids(body["sessions"]) == [s["id"] for s in expected[50:100]]
    assert body["next_page"] == 3
    assert body["sessions"][0]["start_time_utc"].endswith("+00:00")
    [request] = threaded_mock.requests_to("sessions")
    assert ("page", "2") in request.query


def test_the_stream_endpoint_sends_every_session_as_json_lines(
    web: TestClient, threaded_mock: MockZenoti
) -> None:
    center = biggest_center(threaded_mock)
    expected = [s["id"] for s in threaded_mock.dataset.sessions_for(center)]
    assert len(expected) > 1000
    with web.stream("GET", f"/centers/{center}/sessions.jsonl") as reply:
        assert reply.status_code == 200
        assert reply.headers["content-type"] == fastapi_app.JSONL
        lines = [orjson.loads(line) for line in reply.iter_lines() if line]
    assert ids(lines) == expected


def test_concurrent_requests_share_one_pool_and_its_connection_limit(
    threaded_mock: MockZenoti,
) -> None:
    app = fastapi_app.create_app(**client_options(threaded_mock, max_connections=4))
    centers = threaded_mock.center_ids[:16]
    with TestClient(app) as http:

        def page(center: str) -> int:
            return http.get(f"/centers/{center}/sessions", params={"page_size": 10}).status_code

        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(page, centers * 8))
        stats = app.state.zenoti.stats()
    assert statuses == [200] * 128
    assert threaded_mock.max_in_flight <= 4
    assert stats.requests_sent == 128
    assert stats.connections_limit == 4


def test_an_upstream_auth_failure_is_a_502_that_does_not_show_the_key(
    threaded_mock: MockZenoti,
) -> None:
    app = fastapi_app.create_app(**client_options(threaded_mock, api_key="wrong-key-1234"))
    with TestClient(app) as http:
        reply = http.get(f"/centers/{threaded_mock.center_ids[0]}/sessions.jsonl")
    assert reply.status_code == 502
    assert reply.json()["error"] == "AuthenticationError"
    assert "wrong-key-1234" not in reply.text


def test_a_long_throttle_is_a_503_with_retry_after(
    web: TestClient, threaded_mock: MockZenoti
) -> None:
    # Longer than the policy's max_retry_after: raised at once instead of waited out.
    threaded_mock.inject(RateLimited(retry_after=300), endpoint="sessions")
    reply = web.get(f"/centers/{threaded_mock.center_ids[0]}/sessions")
    assert reply.status_code == 503
    assert reply.headers["retry-after"] == "300"
    assert reply.json()["error"] == "RateLimitError"


def test_a_malformed_center_id_is_a_422_without_any_upstream_request(
    web: TestClient, threaded_mock: MockZenoti
) -> None:
    assert web.get("/centers/not-a-guid/sessions").status_code == 422
    reply = web.get(
        f"/centers/{threaded_mock.center_ids[0]}/sessions",
        params={"start_date": "2026-11-30", "end_date": "2026-11-01"},
    )
    assert reply.status_code == 422
    assert "end_date" in reply.json()["detail"]
    assert threaded_mock.requests == []


def test_a_failure_after_the_first_page_ends_the_stream_with_an_error_line(
    web: TestClient, threaded_mock: MockZenoti
) -> None:
    center = biggest_center(threaded_mock)
    threaded_mock.inject(GatewayError(502), endpoint="sessions", page=3)
    with web.stream("GET", f"/centers/{center}/sessions.jsonl") as reply:
        assert reply.status_code == 200
        lines = [orjson.loads(line) for line in reply.iter_lines() if line]
    assert len(lines) == 201  # pages 1 and 2, then the error
    assert lines[-1]["error"] == "HTTPStatusError"
    assert "page 3" in lines[-1]["detail"]


def test_healthz_reports_the_pool_the_limiter_and_the_servers_rate_limit() -> None:
    with ThreadedMock(centers=5, seed=5, rate_limit=RateLimitConfig(6000, 60.0)) as mock:
        options = client_options(mock, rate_limit=TokenBucket(6000, 60.0), max_connections=8)
        app = fastapi_app.create_app(**options)
        with TestClient(app) as http:
            for center in mock.center_ids:
                assert http.get(f"/centers/{center}/sessions").status_code == 200
            health = http.get("/healthz")
    assert health.status_code == 200
    body = health.json()
    assert body["closed"] is False
    assert body["connections_limit"] == 8
    assert body["connections_in_use"] == 0
    assert body["connections_idle"] >= 1
    assert body["requests_in_flight"] == 0
    assert body["requests_sent"] == 5
    assert body["rate_limiter"]["acquired"] == 5
    assert body["last_rate_limit"]["limit"] == 6000
    assert body["last_rate_limit_age"] >= 0


def test_a_client_first_used_in_another_loop_fails_with_a_clear_error(
    threaded_mock: MockZenoti,
) -> None:
    # The anti-pattern: a client made and used outside the server's loop, then injected.
    with asyncio.Runner() as runner:
        client = ZenotiClient(**client_options(threaded_mock))
        center = threaded_mock.center_ids[0]
        runner.run(client.classes.sessions(center_id=center).collect())
        app = fastapi_app.create_app(**client_options(threaded_mock))
        app.dependency_overrides[fastapi_app.zenoti] = lambda: client
        with TestClient(app) as http:
            reply = http.get(f"/centers/{center}/sessions.jsonl")
        assert reply.status_code == 503
        assert reply.json()["error"] == "ClientStateError"
        assert "another event loop" in reply.json()["detail"]
        runner.run(client.aclose())


async def test_a_client_disconnect_cancels_the_page_in_flight_and_frees_its_connection(
    mock: MockZenoti,
) -> None:
    """Raw ASGI, in this loop: the mock trickles page 3 slowly, the caller hangs up while it
    is in flight, and Starlette cancels the stream (and with it the SDK's request)."""
    center = biggest_center(mock)
    mock.inject(SlowBody(chunk_size=512, delay=0.05), endpoint="sessions", page=3)
    app = fastapi_app.create_app(**client_options(mock))
    hang_up = asyncio.Event()
    chunks: list[bytes] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": f"/centers/{center}/sessions.jsonl",
        "raw_path": f"/centers/{center}/sessions.jsonl".encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await hang_up.wait()
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            chunks.append(message["body"])
            if len(chunks) == 2:  # pages 1 and 2 are out; page 3 is being fetched now
                asyncio.get_running_loop().call_later(0.1, hang_up.set)

    async with app.router.lifespan_context(app):
        client: ZenotiClient = app.state.zenoti
        before = client_side_tasks()
        await asyncio.wait_for(app(scope, receive, send), 10)
        stats = client.stats()
        assert stats.requests_in_flight == 0
        assert stats.connections_in_use == 0
        assert client_side_tasks() == before
        page_3 = [r for r in mock.requests_to("sessions") if ("page", "3") in r.query]
        assert len(page_3) == 1
        assert len(chunks) == 2  # nothing of page 3 was sent
        # The pool still works for the next caller.
        page = await anext(client.classes.sessions(center_id=center, page_size=10).pages())
        assert len(page.sessions) == 10
    assert client.closed


async def test_interactive_endpoints_use_a_view_with_their_own_timeout_and_retries(
    mock: MockZenoti,
) -> None:
    app = fastapi_app.create_app(**client_options(mock, retry=RetryPolicy.no_wait(attempts=6)))
    async with app.router.lifespan_context(app):
        client: ZenotiClient = app.state.zenoti
        view = fastapi_app.interactive_zenoti(client)
        assert view.retry_policy == fastapi_app.INTERACTIVE_RETRY
        assert view._pool is client._pool
        await view.aclose()
        assert not client.closed
    with pytest.raises(ClientStateError):
        await view.classes.sessions(center_id=mock.center_ids[0]).collect()
