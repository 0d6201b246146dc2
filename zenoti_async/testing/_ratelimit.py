"""The organisation-wide token bucket of the mock, with Zenoti's rate-limit headers.

Zenoti documents 60 calls per minute per organisation as a token bucket shared by every key
of the account, and these headers on responses::

    Organization-RateLimit-Limit: 60;w=60;b=60
    RateLimit-Remaining: 48
    RateLimit-Reset: 50          (seconds until the bucket is full again)

and HTTP 429 with ``Retry-After: <seconds>`` once it is empty. The clock is injectable so a
test can move time instead of sleeping.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["RateLimitConfig", "RateLimitDecision", "TokenBucket"]


@dataclass(frozen=True, slots=True)
class RateLimitConfig:
    """``limit`` calls per ``window`` seconds, at most ``burst`` (default ``limit``) at once."""

    limit: int = 60
    window: float = 60.0
    burst: int | None = None
    clock: Callable[[], float] = field(default=time.monotonic, compare=False)

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window <= 0:
            raise ValueError("rate limit needs limit >= 1 and window > 0")
        if self.burst is not None and self.burst < 1:
            raise ValueError("burst must be >= 1")

    @property
    def capacity(self) -> int:
        return self.burst if self.burst is not None else self.limit


@dataclass(frozen=True, slots=True)
class RateLimitDecision:
    allowed: bool
    remaining: int
    reset_seconds: int
    retry_after: int | None
    headers: dict[str, str]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class TokenBucket:
    """Starts full; refills continuously at ``limit / window`` tokens per second."""

    def __init__(self, config: RateLimitConfig) -> None:
        self.config = config
        self._rate = config.limit / config.window
        self._capacity = float(config.capacity)
        self._tokens = self._capacity
        self._updated = config.clock()
        self._policy = f"{config.limit};w={_number(config.window)};b={config.capacity}"

    def _refill(self) -> None:
        now = self.config.clock()
        elapsed = max(0.0, now - self._updated)
        self._updated = now
        self._tokens = min(self._capacity, self._tokens + elapsed * self._rate)

    @property
    def tokens(self) -> float:
        self._refill()
        return self._tokens

    def acquire(self) -> RateLimitDecision:
        """Take one token if there is one; report the headers for the response either way."""
        self._refill()
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return self._decision(allowed=True)
        return self._decision(allowed=False)

    def peek(self) -> RateLimitDecision:
        """The headers for a response that does not count (a 401 before the org is known)."""
        self._refill()
        return self._decision(allowed=True)

    def reset(self) -> None:
        self._tokens = self._capacity
        self._updated = self.config.clock()

    def _decision(self, *, allowed: bool) -> RateLimitDecision:
        # A tiny epsilon keeps float noise (59.999999) from showing up as one second more.
        missing = self._capacity - self._tokens
        reset_seconds = max(0, math.ceil(missing / self._rate - 1e-9))
        remaining = int(self._tokens + 1e-9)
        headers = {
            "Organization-RateLimit-Limit": self._policy,
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": str(reset_seconds),
        }
        retry_after = None
        if not allowed:
            retry_after = max(1, math.ceil((1.0 - self._tokens) / self._rate - 1e-9))
            headers["Retry-After"] = str(retry_after)
        return RateLimitDecision(allowed, remaining, reset_seconds, retry_after, headers)
