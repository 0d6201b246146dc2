"""The client-wide rate limiter: every request of a client, on every endpoint and from every
fan-out worker, takes a slot from one limiter before it is sent.

Zenoti allows 60 calls per minute per *organisation* (a token bucket shared by every app and key
of the account), so a semaphore is not enough: the limiter spaces requests in time, and it
listens to the server, pausing *all* callers when one of them is throttled.

``RateLimiter`` is the interface (a deployment with several processes sharing an organisation
can plug in a shared implementation); ``TokenBucket`` is the in-process default.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

import attrs

from zenoti_async._sansio.response import RateLimitSnapshot

logger = logging.getLogger("zenoti_async")

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@runtime_checkable
class RateLimiter(Protocol):
    """What the client needs from a limiter."""

    async def acquire(self, *, max_wait: float | None = None, bulk: bool = False) -> None:
        """Wait until one more request may be sent, and take its slot.

        ``max_wait``: the longest the caller accepts to wait; when the wait is known to be
        longer, raise ``RateLimitError`` (``status`` ``None``, ``retry_after`` the expected
        wait) at once instead of waiting. ``bulk``: a bulk pull's request, which interactive
        requests may overtake.
        """

    def on_response(self, snapshot: RateLimitSnapshot | None, *, status: int) -> None:
        """Learn from a response's rate-limit headers (``Remaining: 0`` means slow down)."""

    def pause(self, seconds: float) -> None:
        """Hold every caller for ``seconds`` (a 429's ``Retry-After``)."""


@attrs.frozen
class RateLimiterStats:
    """A point-in-time view of a limiter, for health checks and metrics."""

    calls_per_second: float
    burst: int
    waiting: int  #: callers waiting for a slot right now
    acquired: int  #: slots handed out since the limiter was made
    waited_seconds: float  #: total time callers spent waiting
    pauses: int  #: server-requested pauses (429s and ``RateLimit-Remaining: 0``)
    paused_for: float  #: seconds left in the current pause (0 when not paused)
    last_server_limit: RateLimitSnapshot | None


class TokenBucket:
    """A token bucket: ``calls`` per ``period`` seconds, at most ``burst`` at once.

    It mirrors the server's own bucket on purpose: tokens are taken at the moment a request
    really leaves, and refill is capped at the burst, so when the event loop stalls (GC, a
    CPU-bound consumer) the requests that were due are not then sent all at once.
    Waiters are served first-come first-served: only the head of the queue sleeps on the
    clock, and hands over to the next when it leaves (no thundering herd, no lock, no task).

    It also listens to the server (:meth:`on_response`): a lower advertised rate or burst
    (``Organization-RateLimit-Limit: 60;w=60;b=60``) is adopted; ``RateLimit-Remaining``
    below our own count means other apps share the organisation's bucket, and ours is lowered
    to match (``Remaining: 0`` so waits for the next token; without a known rate it waits
    ``RateLimit-Reset``); a 429 pauses every caller (:meth:`pause`).

    ``headroom`` tokens of the burst are kept in reserve (default 1 when ``burst > 1``):
    requests leave on schedule but reach the server after varying network delays, and one
    token absorbs that jitter for the cost of one interval at the start of a pull.
    ``clock`` and ``sleep`` are injectable so tests run on a fake clock.
    """

    def __init__(
        self,
        calls: float = 60,
        period: float = 60.0,
        *,
        burst: int | None = None,
        headroom: int | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if calls <= 0 or period <= 0:
            raise ValueError("calls and period must be > 0")
        if burst is not None and burst < 1:
            raise ValueError("burst must be >= 1")
        self.rate = calls / period  # tokens per second
        self.burst = int(burst if burst is not None else max(1, math.ceil(calls)))
        if headroom is None:
            headroom = 1 if self.burst > 1 else 0
        if not 0 <= headroom < self.burst:
            raise ValueError("headroom must be >= 0 and smaller than burst")
        self.headroom = headroom
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(self.capacity)
        self._updated = clock()
        self._paused_until = 0.0
        self._queue: deque[asyncio.Future[None]] = deque()
        self._acquired = 0
        self._waited = 0.0
        self._pauses = 0
        self._last: RateLimitSnapshot | None = None

    @property
    def capacity(self) -> int:
        """Tokens the bucket holds when full: the burst less the headroom."""
        return self.burst - self.headroom

    @property
    def calls_per_second(self) -> float:
        return self.rate

    def _refill(self, now: float) -> None:
        elapsed = now - self._updated
        if elapsed > 0:
            self._tokens = min(float(self.capacity), self._tokens + elapsed * self.rate)
            self._updated = now

    def _try_take(self) -> float:
        """Take a token and return 0, or return how long until one may be taken."""
        now = self._clock()
        if now < self._paused_until:
            return self._paused_until - now
        self._refill(now)
        # The epsilon absorbs float error: after sleeping exactly the computed wait, the
        # refill can land at 0.9999999999 tokens, and a clock near 1e3 s cannot advance by
        # the remaining 1e-16 s.
        if self._tokens >= 1.0 - 1e-9:
            self._tokens = max(0.0, self._tokens - 1.0)
            return 0.0
        return (1.0 - self._tokens) / self.rate

    async def acquire(self, *, max_wait: float | None = None, bulk: bool = False) -> None:
        # max_wait and bulk are accepted and not yet honoured by this bucket.
        del max_wait, bulk
        if not self._queue and self._try_take() == 0.0:
            self._acquired += 1
            return
        started = self._clock()
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append(turn)
        try:
            if self._queue[0] is not turn:
                await turn  # the waiter ahead of us wakes us when it leaves
            while (wait := self._try_take()) > 0.0:
                await self._sleep(wait)
        finally:
            self._queue.remove(turn)
            if self._queue and not self._queue[0].done():
                self._queue[0].set_result(None)
        self._acquired += 1
        self._waited += self._clock() - started

    def pause(self, seconds: float) -> None:
        if seconds <= 0:
            return
        now = self._clock()
        until = now + seconds
        if until > self._paused_until:
            self._paused_until = until
            self._pauses += 1
        # The server's bucket is empty: restart from empty after the pause, so the first
        # requests after it are spaced, not a burst that would only earn more 429s.
        self._tokens = 0.0
        self._updated = max(self._updated, until)

    def on_response(self, snapshot: RateLimitSnapshot | None, *, status: int) -> None:
        if snapshot is None:
            return
        self._last = snapshot
        if snapshot.limit and snapshot.window:
            server_rate = snapshot.limit / snapshot.window
            if server_rate < self.rate * 0.999:
                logger.info(
                    "the server allows %.3g calls/s, fewer than the %.3g configured: "
                    "adopting the server's rate",
                    server_rate, self.rate,
                )  # fmt: skip
                self.rate = server_rate
        if snapshot.burst and snapshot.burst < self.burst:
            self.burst = snapshot.burst
            self.headroom = min(self.headroom, self.burst - 1)
        remaining = snapshot.remaining
        if remaining is None or status == 429:
            return
        now = self._clock()
        self._refill(now)
        if remaining < self._tokens:
            # Fewer tokens at the server than we count: other apps (or processes) share the
            # organisation's bucket. Never more than the server says is left.
            self._tokens = float(remaining)
        if remaining == 0 and not (snapshot.limit and snapshot.window) and snapshot.reset:
            self.pause(snapshot.reset)

    def stats(self) -> RateLimiterStats:
        now = self._clock()
        return RateLimiterStats(
            calls_per_second=self.rate,
            burst=self.burst,
            waiting=len(self._queue),
            acquired=self._acquired,
            waited_seconds=self._waited,
            pauses=self._pauses,
            paused_for=max(0.0, self._paused_until - now),
            last_server_limit=self._last,
        )

    def __repr__(self) -> str:
        return f"TokenBucket({self.rate * 60:g}/min, burst={self.burst}, headroom={self.headroom})"
