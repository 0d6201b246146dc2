"""The organisation-wide token bucket, on an injected clock (no sleeping)."""

from __future__ import annotations

import aiohttp
import pytest

from tests.testing._support import fetch
from zenoti_async.testing import MockZenoti, RateLimitConfig, TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_starts_full_and_counts_down() -> None:
    clock = FakeClock()
    bucket = TokenBucket(RateLimitConfig(clock=clock))
    first = bucket.acquire()
    assert first.allowed
    assert first.headers == {
        "Organization-RateLimit-Limit": "60;w=60;b=60",
        "RateLimit-Remaining": "59",
        "RateLimit-Reset": "1",
    }
    remaining = [bucket.acquire().remaining for _ in range(59)]
    assert remaining == list(range(58, -1, -1))


def test_empty_bucket_denies_with_retry_after_then_refills() -> None:
    clock = FakeClock()
    bucket = TokenBucket(RateLimitConfig(limit=60, window=60, clock=clock))
    for _ in range(60):
        assert bucket.acquire().allowed
    denied = bucket.acquire()
    assert not denied.allowed
    assert denied.retry_after == 1
    assert denied.headers["Retry-After"] == "1"
    assert denied.headers["RateLimit-Reset"] == "60"
    clock.now += 0.5
    assert not bucket.acquire().allowed
    clock.now += 0.5
    assert bucket.acquire().allowed
    clock.now += 3600
    assert bucket.acquire().remaining == 59


def test_retry_after_is_whole_seconds_rounded_up() -> None:
    clock = FakeClock()
    bucket = TokenBucket(RateLimitConfig(limit=7, window=60, clock=clock))
    for _ in range(7):
        bucket.acquire()
    assert bucket.acquire().retry_after == 9  # 60/7 = 8.57 s for one token
    clock.now += 8.0
    assert bucket.acquire().retry_after == 1


def test_burst_smaller_than_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(RateLimitConfig(limit=120, window=60, burst=5, clock=clock))
    decisions = [bucket.acquire() for _ in range(6)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False]
    assert decisions[0].headers["Organization-RateLimit-Limit"] == "120;w=60;b=5"
    clock.now += 0.5
    assert bucket.acquire().allowed


def test_invalid_configurations_are_refused() -> None:
    with pytest.raises(ValueError, match="limit"):
        RateLimitConfig(limit=0)
    with pytest.raises(ValueError, match="burst"):
        RateLimitConfig(burst=0)


async def test_every_response_carries_the_headers_and_429_when_exhausted(
    http: aiohttp.ClientSession,
) -> None:
    clock = FakeClock()
    config = RateLimitConfig(limit=3, window=60, clock=clock)
    async with MockZenoti(centers=5, rate_limit=config) as mock:
        ok = {"center_id": mock.center_ids[0]}
        replies = [await fetch(http, mock, "sessions", ok) for _ in range(3)]
        assert [r.status for r in replies] == [200, 200, 200]
        assert [r.headers["RateLimit-Remaining"] for r in replies] == ["2", "1", "0"]
        assert all(r.headers["Organization-RateLimit-Limit"] == "3;w=60;b=3" for r in replies)
        assert replies[-1].headers["RateLimit-Reset"] == "60"

        throttled = await fetch(http, mock, "sessions", ok)
        assert throttled.status == 429
        assert throttled.headers["Retry-After"] == "20"
        assert throttled.json()["code"] == 429
        assert mock.requests[-1].throttled

        clock.now += 19.9
        assert (await fetch(http, mock, "sessions", ok)).status == 429
        clock.now += 0.1
        refilled = await fetch(http, mock, "sessions", ok)
        assert refilled.status == 200
        assert refilled.headers["RateLimit-Remaining"] == "0"


async def test_errors_and_401_carry_the_headers_and_401_costs_nothing(
    http: aiohttp.ClientSession,
) -> None:
    clock = FakeClock()
    async with MockZenoti(centers=5, rate_limit=RateLimitConfig(limit=2, clock=clock)) as mock:
        denied = await fetch(http, mock, "sessions", {}, headers={})
        assert denied.status == 401
        assert denied.headers["RateLimit-Remaining"] == "2"
        error = await fetch(http, mock, "packages", {"item_ids": "1"})
        assert error.status == 400
        assert error.headers["RateLimit-Remaining"] == "1"


async def test_the_bucket_is_shared_by_every_key_and_endpoint(
    http: aiohttp.ClientSession,
) -> None:
    config = RateLimitConfig(limit=2, clock=FakeClock())
    async with MockZenoti(centers=5, rate_limit=config, bearer_token="tok") as mock:
        center = {"center_id": mock.center_ids[0]}
        assert (await fetch(http, mock, "sessions", center)).status == 200
        packages = {"search_type": 1, "item_ids": mock.center_ids[0]}
        bearer = {"Authorization": "bearer tok"}
        assert (await fetch(http, mock, "packages", packages, headers=bearer)).status in (200, 404)
        assert (await fetch(http, mock, "memberships", {}, headers=bearer)).status == 429


async def test_reset_refills_the_bucket(http: aiohttp.ClientSession) -> None:
    async with MockZenoti(
        centers=5, rate_limit=RateLimitConfig(limit=1, clock=FakeClock())
    ) as mock:
        center = {"center_id": mock.center_ids[0]}
        assert (await fetch(http, mock, "sessions", center)).status == 200
        assert (await fetch(http, mock, "sessions", center)).status == 429
        mock.reset()
        assert (await fetch(http, mock, "sessions", center)).status == 200


async def test_an_int_is_calls_per_minute_and_none_disables(http: aiohttp.ClientSession) -> None:
    async with MockZenoti(centers=5, rate_limit=90) as limited, MockZenoti(centers=5) as free:
        assert limited.rate_limiter is not None
        assert limited.rate_limiter.config == RateLimitConfig(limit=90)
        reply = await fetch(http, limited, "sessions", {"center_id": limited.center_ids[0]})
        assert reply.headers["Organization-RateLimit-Limit"] == "90;w=60;b=90"
        assert free.rate_limiter is None
        unlimited = await fetch(http, free, "sessions", {"center_id": free.center_ids[0]})
        assert "RateLimit-Remaining" not in unlimited.headers
