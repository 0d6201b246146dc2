"""Soak: one client serving like a web backend for many waves of concurrent calls, against a
mock server in its own process with 2 % of transient faults. Run with `make soak`.

Each wave starts 2,000 calls at once: single pages through the client and through a
fail-fast ``with_options()`` view, whole centers, and calls cancelled part-way (callers who
hang up). Every answer is checked against the mock's dataset. Between waves and at the end:
no request in flight, no connection in use, no task left, at most ``POOL`` sockets open at
any time, memory flat; after ``aclose()`` every socket is closed.

The server runs in a subprocess, so every socket and byte counted here is the client's.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from collections.abc import Iterator

import pytest

from tests.soak._support import mock_server_process, rss_mb
from zenoti_async import RetryPolicy, TokenBucket, ZenotiClient
from zenoti_async.testing import Dataset

CENTERS = 200
SEED = 23
KEY = "soak-web-key-51f0"
WAVES = 10
CALLS_PER_WAVE = 2000
POOL = 32
PAGE_SIZE = 20
FAULTS = "429,502,503,504,reset,reset-mid-body,truncated-dishonest"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="counts sockets and memory in /proc"
)


def open_sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            continue
    return count


@pytest.fixture
def server() -> Iterator[str]:
    with mock_server_process(
        "--centers", str(CENTERS), "--seed", str(SEED), "--api-key", KEY, "--rate-limit", "0",
        "--latency-ms", "0-4", "--fault-rate", "0.02", "--fault-kinds", FAULTS
    ) as url:  # fmt: skip
        yield url


def other_tasks() -> set[asyncio.Task[object]]:
    current = asyncio.current_task()
    return {t for t in asyncio.all_tasks() if t is not current}


async def test_one_client_serves_waves_of_concurrent_calls_bounded_and_flat(server: str) -> None:
    dataset = Dataset(CENTERS, SEED)
    centers = dataset.center_ids
    all_ids = {c: [s["id"] for s in dataset.sessions_for(c)] for c in centers}
    rng = random.Random(SEED)
    baseline_sockets = open_sockets()
    baseline_tasks = other_tasks()
    peak_sockets = 0
    limiter = TokenBucket(1_000_000, 1.0, burst=100)
    client = ZenotiClient(
        api_key=KEY,
        base_url=server,
        allow_http=True,
        rate_limit=limiter,
        max_connections=POOL,
        retry=RetryPolicy(attempts=8, wait_initial=0.01, wait_max=0.2),
    )
    interactive = client.with_options(
        timeout=10.0, retry=RetryPolicy(attempts=8, wait_initial=0.01, wait_max=0.1)
    )

    async def page(via: ZenotiClient, center: str, number: int) -> None:
        paginator = via.classes.sessions(center_id=center, page_size=PAGE_SIZE, start_page=number)
        got = await anext(paginator.pages(), None)
        ids = [s.id for s in got.sessions] if got is not None else []
        assert ids == all_ids[center][(number - 1) * PAGE_SIZE : number * PAGE_SIZE]

    async def whole(center: str) -> None:
        got = await client.classes.sessions(center_id=center).collect()
        assert [s.id for s in got] == all_ids[center]

    def one_call() -> asyncio.Task[None]:
        center = rng.choice(centers)
        kind = rng.random()
        if kind < 0.1:
            return asyncio.create_task(whole(center))
        number = rng.randint(1, 3)
        return asyncio.create_task(page(interactive if kind < 0.35 else client, center, number))

    async def sample() -> None:
        nonlocal peak_sockets
        while True:
            peak_sockets = max(peak_sockets, open_sockets() - baseline_sockets)
            await asyncio.sleep(0.01)

    sampler = asyncio.create_task(sample())
    memory: list[float] = []
    cancelled = 0
    started = time.monotonic()
    async with client:
        for _wave in range(WAVES):
            calls = [one_call() for _ in range(CALLS_PER_WAVE)]
            for call in rng.sample(calls, CALLS_PER_WAVE // 10):
                asyncio.get_running_loop().call_later(rng.uniform(0, 0.05), call.cancel)
            outcomes = await asyncio.gather(*calls, return_exceptions=True)
            errors = [o for o in outcomes if not isinstance(o, asyncio.CancelledError | None)]
            assert errors == []
            cancelled += sum(isinstance(o, asyncio.CancelledError) for o in outcomes)
            stats = client.stats()
            assert stats.requests_in_flight == 0
            assert stats.requests_waiting_for_limiter == 0
            assert stats.requests_waiting_for_connection == 0
            assert stats.connections_in_use == 0
            assert stats.connections_idle <= POOL
            assert limiter.stats().waiting == 0
            assert other_tasks() == baseline_tasks | {sampler}
            memory.append(rss_mb())
        stats = client.stats()
    elapsed = time.monotonic() - started
    sampler.cancel()
    await asyncio.gather(sampler, return_exceptions=True)

    assert open_sockets() == baseline_sockets  # aclose() closed every connection
    assert other_tasks() == baseline_tasks
    assert peak_sockets <= POOL
    assert stats.retries > 0 and stats.requests_failed == 0
    growth = max(memory[-3:]) - max(memory[:3])
    print(
        f"\nsoak: {WAVES} waves x {CALLS_PER_WAVE} concurrent calls ({cancelled} cancelled), "
        f"{stats.requests_sent:,} HTTP requests ({stats.retries} retries, "
        f"{stats.throttled} x 429) in {elapsed:.1f} s; peak {peak_sockets} sockets "
        f"(pool {POOL}); RSS {memory[0]:.1f} -> {memory[-1]:.1f} MB"
    )
    assert growth < 10, f"memory grew by {growth:.1f} MB across the waves"
