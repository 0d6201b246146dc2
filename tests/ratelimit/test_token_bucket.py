"""The client-side token bucket, on a fake clock."""

from __future__ import annotations

import asyncio

import pytest

from tests.fakes import FakeClock
from zenoti_async._ratelimit import RateLimiter, TokenBucket
from zenoti_async._sansio.response import RateLimitSnapshot


def bucket(
    clock: FakeClock,
    calls: float = 60,
    period: float = 60.0,
    burst: int | None = None,
    headroom: int | None = 0,
) -> TokenBucket:
    return TokenBucket(
        calls, period, burst=burst, headroom=headroom, clock=clock, sleep=clock.sleep
    )


def test_token_bucket_is_a_rate_limiter() -> None:
    assert isinstance(TokenBucket(), RateLimiter)


async def test_burst_is_free_then_requests_are_spaced_by_the_interval() -> None:
    clock = FakeClock()
    limiter = bucket(clock, calls=10, period=1.0, burst=3)
    times = []
    for _ in range(6):
        await limiter.acquire()
        times.append(round(clock.now - 1000.0, 6))
    assert times == [0.0, 0.0, 0.0, 0.1, 0.2, 0.3]


async def test_concurrent_callers_are_served_in_order_at_the_rate() -> None:
    clock = FakeClock()
    limiter = bucket(clock, calls=2, period=1.0, burst=1)
    order: list[int] = []

    async def worker(i: int) -> None:
        await limiter.acquire()
        order.append(i)

    await asyncio.gather(*(worker(i) for i in range(5)))
    assert order == [0, 1, 2, 3, 4]
    assert clock.now - 1000.0 == pytest.approx(2.0)  # 5 calls at 2/s, the first free
    assert limiter.stats().acquired == 5


async def test_pause_holds_every_caller_then_restarts_with_an_empty_bucket() -> None:
    clock = FakeClock()
    limiter = bucket(clock, calls=10, period=1.0, burst=5)
    await limiter.acquire()
    limiter.pause(3.0)
    await limiter.acquire()
    # The server's bucket is empty after a 429: the first request after the pause waits
    # one interval more, the next ones are spaced by the interval.
    assert clock.now - 1000.0 == pytest.approx(3.1)
    await limiter.acquire()
    assert clock.now - 1000.0 == pytest.approx(3.2)
    assert limiter.stats().pauses == 1


async def test_remaining_zero_pauses_for_one_refill_interval_when_the_limit_is_known() -> None:
    clock = FakeClock()
    limiter = bucket(clock, calls=1000, period=1.0)
    limiter.on_response(
        RateLimitSnapshot(limit=60, window=60.0, remaining=0, reset=50.0), status=200
    )
    await limiter.acquire()
    assert clock.now - 1000.0 == pytest.approx(1.0)


async def test_remaining_zero_without_limit_waits_for_reset() -> None:
    clock = FakeClock()
    limiter = bucket(clock, calls=1000, period=1.0)
    limiter.on_response(
        RateLimitSnapshot(limit=None, window=None, remaining=0, reset=4.0), status=200
    )
    await limiter.acquire()
    assert clock.now - 1000.0 == pytest.approx(4.001)
    assert limiter.stats().last_server_limit is not None


async def test_headroom_keeps_one_token_of_the_burst_in_reserve() -> None:
    clock = FakeClock()
    limiter = bucket(clock, calls=10, period=1.0, burst=3, headroom=None)
    assert (limiter.headroom, limiter.capacity) == (1, 2)
    for _ in range(3):
        await limiter.acquire()
    assert clock.now - 1000.0 == pytest.approx(0.1)


async def test_a_stalled_loop_does_not_release_a_burst_larger_than_the_bucket() -> None:
    clock = FakeClock()
    limiter = bucket(clock, calls=10, period=1.0, burst=3)
    for _ in range(3):
        await limiter.acquire()
    clock.now += 5.0  # the loop was blocked for 5 s: the bucket refills to 3, not to 50
    start = clock.now
    for _ in range(5):
        await limiter.acquire()
    assert clock.now - start == pytest.approx(0.2)


async def test_a_cancelled_waiter_hands_its_turn_to_the_next() -> None:
    clock = FakeClock()
    limiter = bucket(clock, calls=1, period=1.0, burst=1)
    await limiter.acquire()
    first = asyncio.create_task(limiter.acquire())
    second = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0)
    first.cancel()
    await second
    assert first.cancelled()
    assert limiter.stats().waiting == 0


async def test_the_server_advertised_lower_rate_is_adopted() -> None:
    clock = FakeClock()
    limiter = bucket(clock, calls=600, period=60.0, burst=1)
    limiter.on_response(
        RateLimitSnapshot(limit=60, window=60.0, remaining=5, reset=1.0), status=200
    )
    assert limiter.calls_per_second == pytest.approx(1.0)
    await limiter.acquire()
    await limiter.acquire()
    assert clock.now - 1000.0 == pytest.approx(1.0)


async def test_remaining_below_our_count_lowers_our_bucket() -> None:
    clock = FakeClock()
    limiter = bucket(clock, calls=10, period=1.0, burst=10)
    limiter.on_response(
        RateLimitSnapshot(limit=None, window=None, remaining=2, reset=None), status=200
    )
    for _ in range(3):
        await limiter.acquire()
    assert clock.now - 1000.0 == pytest.approx(0.1)


def test_invalid_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="calls"):
        TokenBucket(0)
    with pytest.raises(ValueError, match="burst"):
        TokenBucket(10, burst=0)
