"""The bulk multi-center pull against the mock server over real HTTP."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date

import pytest

from tests.integration.conftest import client_side_tasks, connections_in_use, make_client
from zenoti_async import PullStats, TokenBucket, ZenotiClient, ZenotiError
from zenoti_async.testing import (
    ErrorResponse,
    FaultPlan,
    Latency,
    MockZenoti,
    RateLimitConfig,
)


def expected_by_center(mock: MockZenoti, **filters: object) -> dict[str, list[int]]:
    return {
        c: [w["id"] for w in mock.dataset.sessions_for(c, **filters)]  # type: ignore[arg-type]
        for c in mock.center_ids
    }


async def pull_all(
    client: ZenotiClient, centers: list[str], **kwargs: object
) -> tuple[dict[str, list[int | None]], PullStats, dict[str, Exception]]:
    got: dict[str, list[int | None]] = defaultdict(list)
    async with client.classes.sessions_for_centers(centers, **kwargs) as pull:  # type: ignore[arg-type]
        async for center_id, session in pull:
            got[center_id].append(session.id)
    return dict(got), pull.stats, pull.failures


async def test_200_centers_with_faults_arrive_exactly_once_in_order() -> None:
    plan = FaultPlan.random(0.05, seed=3)  # 5 % of requests: 429, 5xx, resets, IOException
    async with MockZenoti(centers=220, seed=21, faults=plan) as mock:
        expected = expected_by_center(
            mock, start_date=date(2026, 11, 1), end_date=date(2026, 11, 30)
        )
        async with make_client(mock) as client:
            got, stats, failures = await pull_all(
                client,
                mock.center_ids,
                max_concurrency=8,
                start_date=date(2026, 11, 1),
                end_date=date(2026, 11, 30),
            )
        faulted = sum(1 for r in mock.requests if r.faults)
    assert failures == {}
    assert faulted > 5  # the faults really happened
    assert {c: ids for c, ids in expected.items() if ids} == got
    total = sum(len(ids) for ids in expected.values())
    assert stats.records == total
    assert (stats.centers_done, stats.centers_failed) == (220, 0)
    assert stats.retries > 0
    # aiohttp itself re-sends a GET once when a pooled keep-alive connection turns out to be
    # closed, so the server may see a few more attempts than the SDK counted.
    assert stats.requests <= len(mock.requests)


async def test_requests_in_flight_never_exceed_max_concurrency() -> None:
    async with MockZenoti(centers=30, seed=4, latency=Latency.uniform(0.002, 0.01, seed=1)) as mock:
        async with make_client(mock) as client:
            _, stats, _ = await pull_all(client, mock.center_ids, max_concurrency=5, page_size=25)
        assert mock.max_in_flight <= 5
        assert stats.max_in_flight <= 5
        assert mock.max_in_flight >= 3  # the bound was actually reached, not trivially met


async def test_pages_of_one_center_are_fetched_concurrently_but_delivered_in_order() -> None:
    async with MockZenoti(centers=6, seed=9, latency=0.005) as mock:
        big = max(mock.center_ids, key=mock.dataset.session_count)
        async with make_client(mock) as client:
            got, _, _ = await pull_all(client, [big], max_concurrency=6, page_size=20)
        assert got[big] == [w["id"] for w in mock.dataset.sessions_for(big)]
        assert mock.max_in_flight > 1  # prefetching happened within the single center


async def test_one_failing_center_is_reported_and_the_others_complete() -> None:
    async with MockZenoti(centers=25, seed=8) as mock:
        populated = [c for c in mock.center_ids if mock.dataset.session_count(c)]
        broken = populated[3]
        mock.inject(ErrorResponse(500), center_id=broken)
        async with make_client(mock) as client:
            got: dict[str, list[int | None]] = defaultdict(list)
            pull = client.classes.sessions_for_centers(mock.center_ids, max_concurrency=4)
            with pytest.raises(ExceptionGroup) as info:
                async with pull:
                    async for center_id, session in pull:
                        got[center_id].append(session.id)
        expected = expected_by_center(mock)
    assert list(pull.failures) == [broken]
    [error] = info.value.exceptions
    assert isinstance(error, ZenotiError) and error.status == 500
    assert f"center_id={broken}" in error.__notes__
    assert {c: ids for c, ids in expected.items() if ids and c != broken} == dict(got)
    assert pull.stats.centers_failed == 1 and pull.stats.centers_done == 24


async def test_raise_on_failure_false_only_reports(mock: MockZenoti) -> None:
    mock.inject(ErrorResponse(500), center_id=mock.center_ids[0])
    async with make_client(mock) as client:
        _, stats, failures = await pull_all(
            client, mock.center_ids, max_concurrency=4, raise_on_failure=False
        )
    assert list(failures) == [mock.center_ids[0]]
    assert stats.centers_failed == 1


async def test_break_mid_pull_stops_every_worker_and_releases_connections(
    mock: MockZenoti,
) -> None:
    mock.latency = 0.002
    before = client_side_tasks()
    async with make_client(mock) as client:
        async with client.classes.sessions_for_centers(mock.center_ids, max_concurrency=6) as pull:
            count = 0
            async for _center, _session in pull:
                count += 1
                if count == 150:
                    break
        assert client_side_tasks() == before
        assert connections_in_use(client) == 0
    assert pull.stats.records == 150


async def test_cancelling_the_consumer_cancels_the_pull(mock: MockZenoti) -> None:
    mock.latency = 0.01
    before = client_side_tasks()
    async with make_client(mock) as client:

        async def consume() -> None:
            async with client.classes.sessions_for_centers(
                mock.center_ids, max_concurrency=6
            ) as pull:
                async for _ in pull:
                    pass

        task = asyncio.create_task(consume())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert client_side_tasks() == before
        assert connections_in_use(client) == 0


async def test_a_center_listed_twice_is_pulled_once(mock: MockZenoti, client: ZenotiClient) -> None:
    center = max(mock.center_ids, key=mock.dataset.session_count)
    got, _, _ = await pull_all(client, [center, center.upper()])
    assert len(got[center]) == mock.dataset.session_count(center)


async def test_bad_arguments_raise_before_any_request(
    mock: MockZenoti, client: ZenotiClient
) -> None:
    with pytest.raises(ValueError, match=r"center_ids\[1\]"):
        client.classes.sessions_for_centers([mock.center_ids[0], "nope"])
    with pytest.raises(ValueError, match="max_concurrency"):
        client.classes.sessions_for_centers(mock.center_ids, max_concurrency=0)
    with pytest.raises(ValueError, match="end_date"):
        client.classes.sessions_for_centers(
            mock.center_ids, start_date=date(2026, 2, 1), end_date=date(2026, 1, 1)
        )
    with pytest.raises(
        TypeError, match=r"sessions_for_centers\(\) got an unexpected .*'stat_date'"
    ):
        client.classes.sessions_for_centers(mock.center_ids, stat_date=date(2026, 2, 1))
    with pytest.raises(ValueError, match="class_id"):
        client.classes.sessions_for_centers([], class_id=0)
    assert mock.requests == []


async def test_rate_limited_pull_with_the_limit_known_sees_no_429() -> None:
    # A scaled-down organisation bucket: 50 calls/s, burst 5 (real time, about one second).
    limit = RateLimitConfig(limit=3000, window=60.0, burst=5)
    async with MockZenoti(centers=40, seed=2, rate_limit=limit) as mock:
        async with make_client(mock, rate_limit=TokenBucket(3000, 60.0, burst=5)) as client:
            got, stats, failures = await pull_all(
                client, mock.center_ids, max_concurrency=8, page_size=100
            )
        throttled = [r for r in mock.requests if r.throttled]
    assert failures == {}
    assert throttled == []
    assert stats.throttled == 0
    assert sum(len(v) for v in got.values()) == sum(
        mock.dataset.session_count(c) for c in mock.center_ids
    )


async def test_a_429_pauses_every_worker() -> None:
    async with MockZenoti(centers=10, seed=2) as mock:
        from zenoti_async.testing import RateLimited

        mock.inject(RateLimited(retry_after=0.2), nth=3)
        limiter = TokenBucket(10_000, 1.0)
        async with make_client(mock, rate_limit=limiter) as client:
            await pull_all(client, mock.center_ids, max_concurrency=4)
        assert limiter.stats().pauses >= 1
        # Every request after the 429 (except those already in flight) waited out the pause.
        times = [r.started for r in mock.requests]
        throttled_at = times[2]
        later = [t - throttled_at for t in times[3 + 4 :]]
        assert later and min(later) >= 0.19
