"""One client for the life of a service, against the mock over real HTTP: event-loop binding,
closing, ``with_options()`` views, ``stats()``, cancellation, concurrency, hooks."""

from __future__ import annotations

import asyncio
import gc
import itertools
import logging
import time
import warnings
import weakref
from typing import Any

import aiohttp
import pytest

from tests.fakes import EventLog
from tests.integration.conftest import client_side_tasks, make_client
from tests.threaded_mock import ThreadedMock
from zenoti_async import (
    ClientStateError,
    ClientStats,
    PaginationError,
    RequestEvent,
    RequestTimeoutError,
    RetryEvent,
    RetryPolicy,
    TokenBucket,
    ZenotiClient,
)
from zenoti_async.testing import (
    Delay,
    GatewayError,
    MockZenoti,
    RateLimitConfig,
    RateLimited,
    SlowBody,
)


class Gate:
    """An injectable ``sleep`` that waits until released: a wait that is certainly in
    progress when the test looks, without sleeping for real."""

    def __init__(self) -> None:
        self.waiting = 0
        self._open = asyncio.Event()

    async def sleep(self, _seconds: float) -> None:
        self.waiting += 1
        try:
            await self._open.wait()
        finally:
            self.waiting -= 1


async def until(condition: Any, within: float = 5.0) -> None:
    """Poll state that nothing announces (the pool's, the server's), for ``within`` seconds."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not come true in time")
        await asyncio.sleep(0.002)


def expected_ids(mock: MockZenoti, center: str) -> list[int]:
    return [s["id"] for s in mock.dataset.sessions_for(center)]


def biggest_center(mock: MockZenoti) -> str:
    return max(mock.center_ids, key=mock.dataset.session_count)


# -- event loops ---------------------------------------------------------------------------


def test_a_client_used_in_one_loop_refuses_another_loop_with_a_clear_error() -> None:
    with ThreadedMock(centers=5, seed=2) as mock, asyncio.Runner() as first:
        client = make_client(mock)
        center = mock.center_ids[0]
        first.run(client.classes.sessions(center_id=center).collect())
        with pytest.raises(ClientStateError, match="first used in another event loop"):
            asyncio.run(client.classes.sessions(center_id=center).collect())
        with pytest.raises(ClientStateError, match="must run in the event loop"):
            asyncio.run(client.aclose())
        assert not client.closed  # a refused aclose() changes nothing
        assert first.run(client.classes.sessions(center_id=center).collect())
        first.run(client.aclose())
        assert client.closed


def test_a_client_that_never_sent_a_request_moves_to_the_loop_that_first_uses_it() -> None:
    with ThreadedMock(centers=5, seed=2) as mock:
        client = make_client(mock)  # made outside any loop, as at import time
        asyncio.run(client.__aenter__())  # entered in a loop that then ends, unused
        center = mock.center_ids[0]
        with asyncio.Runner() as runner:
            got = runner.run(client.classes.sessions(center_id=center).collect())
            assert [s.id for s in got] == expected_ids(mock, center)
            runner.run(client.aclose())


# -- closing -------------------------------------------------------------------------------


async def test_aclose_is_idempotent_and_any_later_use_raises_a_clear_error(
    mock: MockZenoti,
) -> None:
    client = make_client(mock)
    await client.classes.sessions(center_id=mock.center_ids[0]).collect()
    await client.aclose()
    await client.aclose()
    assert client.closed
    assert "closed" in repr(client)
    with pytest.raises(ClientStateError, match="closed; create a new one"):
        await client.classes.sessions(center_id=mock.center_ids[0]).collect()
    with pytest.raises(ClientStateError, match="closed"):
        async with client:
            pass
    assert client.stats().closed


async def test_closing_the_client_ends_requests_in_flight_with_client_state_error(
    mock: MockZenoti,
) -> None:
    mock.inject(Delay(30.0), endpoint="sessions")
    client = make_client(mock)
    call = asyncio.create_task(client.classes.sessions(center_id=mock.center_ids[0]).collect())
    await until(lambda: client.stats().connections_in_use == 1)
    await client.aclose()
    with pytest.raises(ClientStateError, match="closed while this request was in flight") as info:
        await call
    assert info.value.attempts == 1  # not retried as if the network had failed
    assert client.stats().requests_in_flight == 0


async def test_an_unclosed_client_warns_naming_it_and_never_its_key(mock: MockZenoti) -> None:
    client = make_client(mock)
    client._get_transport()  # opens the pool, as the first request would
    session = client._pool.session
    assert session is not None
    name = repr(client)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del client
        gc.collect()
    await session.close()
    messages = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert [m for m in messages if name in m and "unclosed" in m and "aclose()" in m]
    assert all(mock.api_key not in m for m in messages)


async def test_a_client_that_never_opened_its_pool_does_not_warn(mock: MockZenoti) -> None:
    client = make_client(mock)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del client
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


# -- views ---------------------------------------------------------------------------------


async def test_a_view_shares_the_pool_limiter_and_credentials_with_its_own_options(
    mock: MockZenoti,
) -> None:
    root_hook, view_hook = EventLog(), EventLog()
    limiter = TokenBucket(100_000, 1.0)
    async with make_client(mock, rate_limit=limiter, observers=[root_hook]) as client:
        policy = RetryPolicy.no_wait(attempts=2)
        view = client.with_options(timeout=7.5, retry=policy, max_pages=3, observers=[view_hook])
        assert view._pool is client._pool
        assert view.rate_limiter is client.rate_limiter
        assert view.retry_policy is policy and client.retry_policy is not policy
        assert view.max_pages == 3 and client.max_pages is None
        assert view._request_timeout == aiohttp.ClientTimeout(total=7.5, connect=7.5)
        assert "view" in repr(view) and mock.api_key not in repr(view)
        center = mock.center_ids[0]
        await client.classes.sessions(center_id=center, page_size=5).pages().__anext__()
        await view.classes.sessions(center_id=center, page_size=5).pages().__anext__()
        stats = view.stats()
        assert stats == client.stats()
    assert stats.requests_sent == 2
    assert stats.connections_idle == 1  # the view reused the client's keep-alive connection
    assert limiter.stats().acquired == 2
    assert len(root_hook.requests) == 2  # the client's observers see the view's requests too
    assert len(view_hook.requests) == 1
    assert all(r.header_map["Authorization"].startswith("apikey ") for r in mock.requests)


async def test_a_views_timeout_applies_to_its_requests_only(mock: MockZenoti) -> None:
    mock.inject(Delay(0.3), endpoint="sessions")
    async with make_client(mock) as client:
        hasty = client.with_options(timeout=0.05, retry=RetryPolicy.disabled())
        center = mock.center_ids[0]
        with pytest.raises(RequestTimeoutError):
            await hasty.classes.sessions(center_id=center, page_size=5).pages().__anext__()
        page = await client.classes.sessions(center_id=center, page_size=5).pages().__anext__()
        assert len(page.sessions) == 5


async def test_a_views_max_pages_applies_to_its_iterations(mock: MockZenoti) -> None:
    async with make_client(mock) as client:
        center = biggest_center(mock)
        with pytest.raises(PaginationError, match="more than 2 pages"):
            await (
                client.with_options(max_pages=2)
                .classes.sessions(center_id=center, page_size=10)
                .collect()
            )
        assert len(await client.classes.sessions(center_id=center, page_size=10).collect()) > 20


async def test_closing_a_view_leaves_the_pool_open_and_closing_the_client_closes_every_view(
    mock: MockZenoti,
) -> None:
    center = mock.center_ids[0]
    client = make_client(mock)
    first, second = client.with_options(timeout=5), client.with_options(timeout=5)
    async with first:
        await first.classes.sessions(center_id=center).collect()
    assert first.closed and not client.closed and not second.closed
    with pytest.raises(ClientStateError, match="view is closed"):
        await first.classes.sessions(center_id=center).collect()
    await second.classes.sessions(center_id=center).collect()
    assert client.stats().connections_idle == 1
    await client.aclose()
    assert second.closed
    with pytest.raises(ClientStateError, match="closed; create a new one"):
        await second.classes.sessions(center_id=center).collect()


async def test_a_view_keeps_its_client_alive_and_only_the_client_can_warn(
    mock: MockZenoti,
) -> None:
    client = make_client(mock)
    view = client.with_options(timeout=5)
    await view.classes.sessions(center_id=mock.center_ids[0]).collect()
    alive = weakref.ref(client)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del client
        gc.collect()
        assert alive() is not None
    assert not caught
    parent = alive()
    assert parent is not None
    await parent.aclose()


def test_with_options_checks_its_arguments() -> None:
    client = ZenotiClient(api_key="k", rate_limit=None)
    with pytest.raises(ValueError, match="timeout"):
        client.with_options(timeout=0)
    with pytest.raises(TypeError, match="RetryPolicy"):
        client.with_options(retry=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_pages"):
        client.with_options(max_pages=0)
    view = client.with_options()
    assert view.retry_policy is client.retry_policy
    assert view._request_timeout is None


# -- stats ---------------------------------------------------------------------------------


def test_stats_before_first_use() -> None:
    stats = ZenotiClient(api_key="k", max_connections=12).stats()
    assert stats == ClientStats(
        closed=False,
        connections_limit=12,
        connections_in_use=0,
        connections_idle=0,
        requests_waiting_for_connection=0,
        requests_in_flight=0,
        requests_waiting_for_limiter=0,
        requests_sent=0,
        requests_failed=0,
        retries=0,
        throttled=0,
        rate_limiter=stats.rate_limiter,
        last_rate_limit=None,
        last_rate_limit_age=None,
    )
    assert stats.rate_limiter is not None and stats.rate_limiter.acquired == 0


async def test_stats_count_traffic_and_keep_the_last_rate_limit_headers() -> None:
    async with MockZenoti(centers=5, seed=3, rate_limit=RateLimitConfig(6000, 60.0)) as mock:
        mock.inject(RateLimited(retry_after=0), endpoint="sessions", nth=1)
        mock.inject(GatewayError(503), endpoint="sessions", nth=2)
        mock.inject(GatewayError(502), endpoint="packages")
        async with make_client(mock, rate_limit=TokenBucket(6000, 60.0)) as client:
            await anext(client.classes.sessions(center_id=mock.center_ids[0]).pages())
            with pytest.raises(Exception, match="502"):
                await (
                    client.with_options(retry=RetryPolicy.disabled())
                    .classes.packages(search_type=1, item_ids=[mock.center_ids[0]])
                    .collect()
                )
            stats = client.stats()
    assert stats.requests_sent == 4  # 429, 503, 200 for sessions; 502 for packages
    assert stats.retries == 2
    assert stats.throttled == 1
    assert stats.requests_failed == 1
    assert stats.requests_in_flight == 0
    assert stats.last_rate_limit is not None
    assert stats.last_rate_limit.limit == 6000
    assert stats.last_rate_limit.window == 60.0
    assert stats.last_rate_limit_age is not None and 0 <= stats.last_rate_limit_age < 5
    assert stats.rate_limiter is not None and stats.rate_limiter.acquired == 4


async def test_stats_show_requests_waiting_for_the_limiter_and_connections_in_use(
    mock: MockZenoti,
) -> None:
    gate = Gate()
    mock.inject(Delay(30.0), endpoint="sessions")
    # One token, then one per hour: the first request leaves, the next two wait.
    limiter = TokenBucket(1, 3600.0, burst=1, sleep=gate.sleep)
    async with make_client(mock, rate_limit=limiter) as client:
        before = client_side_tasks()
        calls = [
            asyncio.create_task(client.classes.sessions(center_id=c).collect())
            for c in mock.center_ids[:3]
        ]
        await until(lambda: client.stats().connections_in_use == 1 and gate.waiting == 1)
        stats = client.stats()
        assert stats.requests_in_flight == 3
        assert stats.requests_waiting_for_limiter == 2
        assert stats.rate_limiter is not None and stats.rate_limiter.waiting == 2
        for call in calls:
            call.cancel()
        await asyncio.gather(*calls, return_exceptions=True)
        stats = client.stats()
        assert (stats.requests_in_flight, stats.requests_waiting_for_limiter) == (0, 0)
        assert stats.connections_in_use == 0
        assert stats.requests_failed == 0  # cancelled is not failed
        assert limiter.stats().waiting == 0
        assert client_side_tasks() == before


async def test_stats_show_requests_waiting_for_a_connection(mock: MockZenoti) -> None:
    mock.inject(Delay(30.0), endpoint="sessions")
    async with make_client(mock, max_connections=2) as client:
        calls = [
            asyncio.create_task(client.classes.sessions(center_id=c).collect())
            for c in mock.center_ids[:5]
        ]
        await until(
            lambda: mock.in_flight == 2 and client.stats().requests_waiting_for_connection == 3
        )
        assert client.stats().connections_in_use == 2
        for call in calls:
            call.cancel()
        await asyncio.gather(*calls, return_exceptions=True)
        assert client.stats().requests_waiting_for_connection == 0
        assert client.stats().connections_in_use == 0


async def test_stats_of_a_borrowed_session_report_its_own_pool(mock: MockZenoti) -> None:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=7)) as session:
        client = make_client(mock, session=session)
        await client.classes.sessions(center_id=mock.center_ids[0]).collect()
        stats = client.stats()
        assert stats.connections_limit == 7
        assert stats.connections_idle == 1
        await client.aclose()
        assert not session.closed  # the lender's, never closed by the client


# -- cancellation --------------------------------------------------------------------------


async def test_cancelling_a_call_mid_body_frees_its_connection_for_the_next_call(
    mock: MockZenoti,
) -> None:
    center = biggest_center(mock)
    mock.inject(SlowBody(chunk_size=256, delay=0.05), endpoint="sessions", nth=1)
    async with make_client(mock, max_connections=1) as client:
        before = client_side_tasks()
        call = asyncio.create_task(client.classes.sessions(center_id=center).collect())
        await until(lambda: client.stats().connections_in_use == 1)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        stats = client.stats()
        assert (stats.connections_in_use, stats.requests_in_flight, stats.requests_failed) == (
            0,
            0,
            0,
        )
        assert client_side_tasks() == before
        # The only connection slot is free again: the next call goes through at once.
        page = await client.classes.sessions(center_id=center).pages().__anext__()
        assert len(page.sessions) == 100


async def test_cancelling_a_call_while_it_waits_to_retry_ends_it_cleanly(
    mock: MockZenoti,
) -> None:
    gate = Gate()
    mock.inject(GatewayError(503), endpoint="sessions", nth=1)
    retry = RetryPolicy(attempts=3, sleep=gate.sleep)
    async with make_client(mock, retry=retry) as client:
        call = asyncio.create_task(client.classes.sessions(center_id=mock.center_ids[0]).collect())
        await until(lambda: gate.waiting == 1)
        assert client.stats().requests_in_flight == 1
        assert client.stats().connections_in_use == 0  # the failed attempt let go already
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert client.stats().requests_in_flight == 0
        assert len(mock.requests) == 1


# -- sharing -------------------------------------------------------------------------------


async def test_iterations_from_many_tasks_interleave_over_one_pool_and_one_limiter(
    mock: MockZenoti,
) -> None:
    opened = 0

    async def on_connection(*_args: object) -> None:
        nonlocal opened
        opened += 1

    trace = aiohttp.TraceConfig()
    trace.on_connection_create_end.append(on_connection)
    limiter = TokenBucket(100_000, 1.0, burst=8)
    centers = mock.center_ids[:30]
    async with make_client(
        mock, rate_limit=limiter, max_connections=4, trace_configs=[trace]
    ) as client:

        async def pull(center: str) -> list[int | None]:
            return [s.id async for s in client.classes.sessions(center_id=center, page_size=20)]

        results = await asyncio.gather(*(pull(c) for c in centers))
        stats = client.stats()
    for center, got in zip(centers, results, strict=True):
        assert got == expected_ids(mock, center)
    asked = [r.params["center_id"] for r in mock.requests]
    switches = sum(1 for a, b in itertools.pairwise(asked) if a != b)
    assert switches > 2 * len(centers)  # the iterations really interleaved
    assert limiter.stats().acquired == len(mock.requests) == stats.requests_sent
    assert mock.max_in_flight <= 4
    assert opened <= 4  # one pool, its connections reused across all tasks


# -- hooks ---------------------------------------------------------------------------------


async def test_a_failing_observer_is_logged_and_never_fails_the_request(
    mock: MockZenoti, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        def on_request(self, event: RequestEvent) -> None:
            raise RuntimeError("metrics backend down")

        def on_retry(self, event: RetryEvent) -> None:
            raise RuntimeError("metrics backend down")

    good = EventLog()
    mock.inject(GatewayError(503), endpoint="sessions", nth=1)
    async with make_client(mock, observers=[Broken(), good]) as client:
        with caplog.at_level(logging.ERROR, logger="zenoti_async"):
            got = await client.classes.sessions(center_id=mock.center_ids[0]).collect()
    assert [s.id for s in got] == expected_ids(mock, mock.center_ids[0])
    # Later observers still run: every attempt and the retry reached them.
    assert len(good.requests) == len(mock.requests) and len(good.retries) == 1
    failures = [r for r in caplog.records if "observer" in r.getMessage()]
    assert len(failures) == len(good.requests) + len(good.retries)
    assert all(mock.api_key not in r.getMessage() for r in caplog.records)


async def test_trace_configs_reach_the_clients_own_session(mock: MockZenoti) -> None:
    seen: list[str] = []

    async def on_start(
        _session: aiohttp.ClientSession,
        _context: object,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        seen.append(params.url.path)

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    async with make_client(mock, trace_configs=[trace]) as client:
        await client.classes.sessions(center_id=mock.center_ids[0]).collect()
    assert seen == ["/v1/classes/sessions"] * len(mock.requests)


async def test_trace_configs_cannot_be_given_with_a_borrowed_session() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(ValueError, match="trace_configs"):
            ZenotiClient(api_key="k", session=session, trace_configs=[aiohttp.TraceConfig()])
