"""The connection pool of a client, shared with its ``with_options()`` views.

A pool belongs to the event loop it was first used in: aiohttp's connections, futures and
timers are bound to that loop, and touching them from another one fails deep inside aiohttp
("attached to a different loop", "Timeout context manager should be used inside a task").
So the pool checks the running loop itself and says plainly what is wrong; a pool that has
not opened a connection yet has nothing bound to a loop and simply moves to the new one.

It also keeps the live counters a long-lived service wants for health checks and metrics.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Final

import aiohttp
import attrs

from zenoti_async._errors import ClientStateError
from zenoti_async._ratelimit import RateLimiter, RateLimiterStats
from zenoti_async._sansio.response import RateLimitSnapshot
from zenoti_async._transport import AiohttpTransport

_OTHER_LOOP: Final = (
    "this ZenotiClient was first used in another event loop; a client (and its connection "
    "pool) belongs to one loop: create the client inside the loop that uses it (in a web "
    "app: in the lifespan/startup hook), one client per loop"
)


@attrs.frozen
class ClientStats:
    """A point-in-time view of a client's pool, limiter and traffic (``client.stats()``).

    Shared by a client and all its ``with_options()`` views. Counters run from the client's
    creation; gauges are the state at the moment of the call.
    """

    closed: bool  #: ``aclose()`` was called: every further request raises ``ClientStateError``
    connections_limit: int | None  #: the pool's size (``None``: no limit)
    connections_in_use: int  #: connections carrying a request (or being opened) right now
    connections_idle: int  #: open keep-alive connections ready for the next request
    requests_waiting_for_connection: int  #: requests queued because the pool is exhausted
    requests_in_flight: int  #: SDK requests started and not finished (waits and retries included)
    requests_waiting_for_limiter: int  #: of those, how many wait for a rate-limit slot
    requests_sent: int  #: HTTP attempts sent (retries included)
    requests_failed: int  #: requests that ended in an error, after their retries
    retries: int
    throttled: int  #: 429 answers
    rate_limiter: RateLimiterStats | None  #: ``None`` without a limiter or if it has no stats
    last_rate_limit: RateLimitSnapshot | None  #: the last rate-limit headers the server sent
    last_rate_limit_age: float | None  #: seconds since those headers arrived


def _connector_counts(connector: aiohttp.BaseConnector | None) -> tuple[int, int, int]:
    """(in use, idle, waiting) connections of an aiohttp connector.

    aiohttp exposes no public counters, so these read its private bookkeeping (the same
    names from 3.9 to the newest release, checked by the test suite on both), defensively:
    a future rename reads as zeros, never as an exception in a health check.
    """
    if connector is None or connector.closed:
        return 0, 0, 0
    try:
        in_use = len(getattr(connector, "_acquired", ()))
        idle = sum(len(conns) for conns in getattr(connector, "_conns", {}).values())
        waiting = sum(len(waiters) for waiters in getattr(connector, "_waiters", {}).values())
    except (TypeError, AttributeError):
        return 0, 0, 0
    return in_use, idle, waiting


class Pool:
    """The aiohttp session (created lazily in the running loop), its loop, and counters."""

    def __init__(
        self,
        *,
        borrowed: aiohttp.ClientSession | None,
        max_connections: int,
        timeout: aiohttp.ClientTimeout,
        trust_env: bool,
        max_response_bytes: int,
        trace_configs: Sequence[aiohttp.TraceConfig],
    ) -> None:
        self.borrowed = borrowed
        self.session: aiohttp.ClientSession | None = borrowed
        self.transport: AiohttpTransport | None = (
            AiohttpTransport(borrowed, max_response_bytes=max_response_bytes)
            if borrowed is not None
            else None
        )
        self.max_connections = max_connections
        self.timeout = timeout
        self.trust_env = trust_env
        self.max_response_bytes = max_response_bytes
        self.trace_configs = list(trace_configs)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.closed = False
        # Counters, updated on the request path (plain ints: one loop, no locking needed).
        self.in_flight = 0
        self.waiting_for_limiter = 0
        self.sent = 0
        self.failed = 0
        self.retries = 0
        self.throttled = 0
        self.last_rate_limit: RateLimitSnapshot | None = None
        self.last_rate_limit_at = 0.0

    @property
    def owns_open_session(self) -> bool:
        session = self.session
        return session is not None and session is not self.borrowed and not session.closed

    def bind(self) -> asyncio.AbstractEventLoop:
        """The running loop, once it is checked to be the pool's own (or adopted)."""
        loop = asyncio.get_running_loop()
        if self.closed:
            raise ClientStateError("this ZenotiClient is closed; create a new one")
        if self.loop is not loop:
            # Nothing of an unused pool lives in a loop yet (a borrowed session does).
            if self.loop is not None and (self.session is not None or self.loop.is_running()):
                raise ClientStateError(_OTHER_LOOP)
            self.loop = loop
        return loop

    def get_transport(self) -> AiohttpTransport:
        self.bind()
        if self.transport is None:
            connector = aiohttp.TCPConnector(
                limit=self.max_connections, limit_per_host=self.max_connections
            )
            self.session = aiohttp.ClientSession(
                connector=connector,
                timeout=self.timeout,
                trust_env=self.trust_env,
                cookie_jar=aiohttp.DummyCookieJar(),  # an API: cookies would only leak state
                raise_for_status=False,
                trace_configs=self.trace_configs or None,
            )
            self.transport = AiohttpTransport(
                self.session, max_response_bytes=self.max_response_bytes
            )
        return self.transport

    async def close(self) -> None:
        if self.closed:
            return
        session = self.session if self.owns_open_session else None
        if session is not None and self.loop is not asyncio.get_running_loop():
            # Its connections can only be closed by the loop they belong to.
            raise ClientStateError(
                "aclose() must run in the event loop the client was used in (its "
                "connections belong to that loop)"
            )
        self.closed = True
        self.session = None
        self.transport = None
        if session is not None:
            await session.close()

    def note_rate_limit(self, snapshot: RateLimitSnapshot) -> None:
        self.last_rate_limit = snapshot
        self.last_rate_limit_at = time.monotonic()

    def stats(self, limiter: RateLimiter | None) -> ClientStats:
        session = self.session
        connector = session.connector if session is not None and not session.closed else None
        in_use, idle, waiting = _connector_counts(connector)
        if self.borrowed is not None:
            limit = self.borrowed.connector.limit if self.borrowed.connector is not None else 0
        else:
            limit = self.max_connections
        limiter_stats = getattr(limiter, "stats", None)
        last = self.last_rate_limit
        return ClientStats(
            closed=self.closed,
            connections_limit=limit or None,
            connections_in_use=in_use,
            connections_idle=idle,
            requests_waiting_for_connection=waiting,
            requests_in_flight=self.in_flight,
            requests_waiting_for_limiter=self.waiting_for_limiter,
            requests_sent=self.sent,
            requests_failed=self.failed,
            retries=self.retries,
            throttled=self.throttled,
            rate_limiter=limiter_stats() if callable(limiter_stats) else None,
            last_rate_limit=last,
            last_rate_limit_age=(
                time.monotonic() - self.last_rate_limit_at if last is not None else None
            ),
        )
