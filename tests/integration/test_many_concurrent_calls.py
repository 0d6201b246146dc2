"""A short soak for the main suite: thousands of concurrent calls through one client in one
loop stay within the pool's bound and leave no socket, task or connection behind. (The long
version, with faults, several views and many waves, is tests/soak/test_soak_web_backend.py.)
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from collections.abc import Callable

import aiohttp
import pytest

from tests.integration.conftest import client_side_tasks, make_client
from zenoti_async import TokenBucket
from zenoti_async.testing import MockZenoti

CALLS = 2000
CANCELLED_ROUND = 400
POOL = 16
PAGE_SIZE = 5


def open_sockets() -> int:
    """Sockets held by this process (both ends of every loopback connection are ours)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            continue  # closed since listdir
    return count


async def settle(condition: Callable[[], bool], within: float = 5.0) -> None:
    """Wait for state that nothing announces (the server closing its ends of connections)."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not come true in time")
        await asyncio.sleep(0.01)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts sockets in /proc")
async def test_thousands_of_concurrent_calls_share_one_bounded_pool_and_leak_nothing(
    mock: MockZenoti,
) -> None:
    opened = 0

    async def on_connection(*_args: object) -> None:
        nonlocal opened
        opened += 1

    trace = aiohttp.TraceConfig()
    trace.on_connection_create_end.append(on_connection)
    centers = mock.center_ids
    expected = {
        (c, p): [s["id"] for s in mock.dataset.sessions_for(c)[(p - 1) * PAGE_SIZE : p * PAGE_SIZE]]
        for c in centers
        for p in (1, 2, 3)
    }
    baseline_sockets = open_sockets()
    tasks_before = client_side_tasks()
    peak_sockets = baseline_sockets
    limiter = TokenBucket(1_000_000, 1.0, burst=64)  # shared, with a real queue of waiters
    client = make_client(mock, rate_limit=limiter, max_connections=POOL, trace_configs=[trace])

    async def call(index: int) -> tuple[tuple[str, int], list[int | None]]:
        key = (centers[index % len(centers)], 1 + index % 3)
        paginator = client.classes.sessions(
            center_id=key[0], page_size=PAGE_SIZE, start_page=key[1]
        )
        page = await anext(paginator.pages())
        return key, [s.id for s in page.sessions]

    async def sample() -> None:
        nonlocal peak_sockets
        while True:
            peak_sockets = max(peak_sockets, open_sockets())
            await asyncio.sleep(0.005)

    sampler = asyncio.create_task(sample())
    started = time.perf_counter()
    async with client:
        # Round 1: every call at once.
        results = await asyncio.gather(*(call(i) for i in range(CALLS)))
        elapsed = time.perf_counter() - started
        assert all(got == expected[key] for key, got in results)
        stats = client.stats()
        assert stats.requests_sent == CALLS == len(mock.requests)
        assert opened <= POOL  # every connection was reused: no churn, no per-call pool
        opened_in_round_1 = opened
        assert mock.max_in_flight <= POOL
        assert stats.connections_idle <= POOL

        # Round 2: the same under cancellation, as when callers hang up.
        rng = random.Random(7)
        tasks = [asyncio.create_task(call(i)) for i in range(CANCELLED_ROUND)]
        for task in tasks[::5]:
            asyncio.get_running_loop().call_later(rng.uniform(0, 0.05), task.cancel)
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        for outcome in outcomes:
            if not isinstance(outcome, BaseException):
                key, got = outcome
                assert got == expected[key]
            else:
                assert isinstance(outcome, asyncio.CancelledError)
        stats = client.stats()
        assert stats.requests_in_flight == 0
        assert stats.requests_waiting_for_limiter == 0
        assert stats.connections_in_use == 0
        assert stats.requests_failed == 0
        assert limiter.stats().waiting == 0
        assert mock.max_in_flight <= POOL
    sampler.cancel()
    await asyncio.gather(sampler, return_exceptions=True)

    # Closed: the server notices each connection's end and closes its side too.
    await settle(lambda: open_sockets() == baseline_sockets)
    assert client_side_tasks() == tasks_before
    assert peak_sockets - baseline_sockets <= 2 * POOL
    print(
        f"\n{CALLS} concurrent calls in {elapsed:.2f} s over {opened_in_round_1} connections "
        f"(pool {POOL}); {CANCELLED_ROUND} more with {CANCELLED_ROUND // 5} cancelled "
        f"({opened - opened_in_round_1} connections reopened); peak "
        f"{peak_sockets - baseline_sockets} loopback sockets; sockets {baseline_sockets} "
        f"before, {open_sockets()} after"
    )
