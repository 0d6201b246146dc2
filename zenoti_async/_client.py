"""``ZenotiClient``: configuration, the connection pool, and ``_get_json``, the ONE place
where a request gets its headers, its rate-limit slot, its retries, its logging and its
error mapping.
"""

from __future__ import annotations

import asyncio
import copy
import ipaddress
import logging
import os
import time
import warnings
from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import Any, Final, Generic, Self, TypeVar
from urllib.parse import urlsplit

import aiohttp
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.stop import stop_base, stop_before_delay

from zenoti_async._errors import ClientStateError, RateLimitError, ZenotiError
from zenoti_async._observe import RequestEvent, RequestObserver, RetryEvent, current_observers
from zenoti_async._pool import ClientStats, Pool
from zenoti_async._ratelimit import RateLimiter, TokenBucket
from zenoti_async._resources.classes import ClassesAPI
from zenoti_async._sansio.request import Request
from zenoti_async._sansio.response import decipher, parse_rate_limit
from zenoti_async._sansio.retry import RetryPolicy, is_retryable, retry_after_too_long
from zenoti_async._transport import AiohttpTransport
from zenoti_async._version import __version__

logger = logging.getLogger("zenoti_async")
T = TypeVar("T")

DEFAULT_BASE_URL: Final = "https://api.zenoti.com"
DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_MAX_RESPONSE_BYTES: Final = 32 * 1024 * 1024
DEFAULT_MAX_CONNECTIONS: Final = 64
#: The documented organisation limit: 60 calls per minute, token bucket, burst 60.
DEFAULT_RATE_LIMIT: Final = (60, 60.0)


class _Default:
    """Marks "argument not given" where ``None`` has a meaning (``rate_limit=None``)."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Final = _Default()


class _Secret:
    """Holds the credential so that no repr, log record or traceback can show it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<secret>"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("credentials are not picklable")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_base_url(base_url: str, *, allow_http: bool) -> str:
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"base_url must be an https:// URL, got {base_url!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("base_url must not carry a query, a fragment or credentials")
    if parts.scheme == "http":
        if not allow_http:
            raise ValueError(
                "base_url must use https:// (plain http:// would send the API key in clear); "
                "pass allow_http=True to reach a local mock server"
            )
        if not _is_loopback(parts.hostname):
            raise ValueError(
                f"allow_http=True only permits loopback hosts (127.0.0.1, ::1, localhost), "
                f"not {parts.hostname!r}"
            )
    return base_url.rstrip("/")


def _client_timeout(timeout: object) -> aiohttp.ClientTimeout:
    if isinstance(timeout, aiohttp.ClientTimeout):
        return timeout
    if isinstance(timeout, int | float) and not isinstance(timeout, bool) and timeout > 0:
        return aiohttp.ClientTimeout(total=float(timeout), connect=min(10.0, timeout))
    raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")


def _check_max_pages(max_pages: object) -> int | None:
    if max_pages is None:
        return None
    if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
        raise ValueError(f"max_pages must be an int >= 1 or None, got {max_pages!r}")
    return max_pages


class _StopOnLongRetryAfter(stop_base):
    """Stop when the server asks for a longer wait than the policy accepts."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy

    def __call__(self, retry_state: RetryCallState) -> bool:
        outcome = retry_state.outcome
        if outcome is None or not outcome.failed:
            return False
        return retry_after_too_long(self._policy, outcome.exception())


class ZenotiClient:
    """An asyncio client for the Zenoti classes API.

    Create one per application and share it: it owns one connection pool and one rate
    limiter, and is safe to use from many tasks of one event loop::

        async with ZenotiClient(api_key="...") as client:
            async for session in client.classes.sessions(center_id=CENTER):
                ...

    ``api_key`` falls back to ``$ZENOTI_API_KEY`` and ``base_url`` to ``$ZENOTI_BASE_URL``;
    ``access_token`` (a bearer token) is the alternative to a key. ``session`` lends the client
    an ``aiohttp.ClientSession`` that it uses but never closes; otherwise the client creates
    one on first use, in the running loop, and closes it in ``aclose()``.
    ``rate_limit`` is a :class:`RateLimiter` (default: a 60 calls/min :class:`TokenBucket`)
    or ``None`` to send as fast as the server lets us.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        access_token: str | None = None,
        base_url: str | None = None,
        allow_http: bool = False,
        session: aiohttp.ClientSession | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimiter | _Default | None = DEFAULT,
        timeout: float | aiohttp.ClientTimeout = DEFAULT_TIMEOUT,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_pages: int | None = None,
        trust_env: bool = False,
        user_agent: str | None = None,
        observers: Sequence[RequestObserver] = (),
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
    ) -> None:
        if api_key is not None and access_token is not None:
            raise ValueError("pass either api_key or access_token, not both")
        if access_token is None:
            api_key = api_key if api_key is not None else os.environ.get("ZENOTI_API_KEY")
            if api_key is None:
                raise ValueError(
                    "api_key is required: pass api_key=... or set ZENOTI_API_KEY "
                    "(or pass access_token=... for a bearer token)"
                )
        credential = access_token if access_token is not None else api_key
        assert credential is not None
        if not isinstance(credential, str) or not credential.strip():
            raise ValueError("api_key (or access_token) must be a non-empty string")
        if any(c in credential for c in "\r\n"):
            raise ValueError("api_key (or access_token) must not contain line breaks")
        scheme = "bearer" if access_token is not None else "apikey"
        self._auth = _Secret(f"{scheme} {credential.strip()}")
        self._auth_scheme = scheme

        self.base_url = _check_base_url(
            base_url or os.environ.get("ZENOTI_BASE_URL") or DEFAULT_BASE_URL,
            allow_http=allow_http,
        )
        self._timeout = _client_timeout(timeout)
        if max_response_bytes < 1:
            raise ValueError("max_response_bytes must be >= 1")
        if max_connections < 1:
            raise ValueError("max_connections must be >= 1")
        self.retry_policy = retry if retry is not None else RetryPolicy()
        if isinstance(rate_limit, _Default):
            rate_limit = TokenBucket(*DEFAULT_RATE_LIMIT)
        elif rate_limit is not None and not isinstance(rate_limit, RateLimiter):
            raise TypeError("rate_limit must be a RateLimiter (e.g. TokenBucket(...)) or None")
        self.rate_limiter: RateLimiter | None = rate_limit
        self.max_response_bytes = max_response_bytes
        self.max_connections = max_connections
        self.max_pages = _check_max_pages(max_pages)
        self._trust_env = trust_env
        self._user_agent = user_agent or f"zenoti-async/{__version__}"
        self._headers_template = {"Accept": "application/json", "User-Agent": self._user_agent}

        self._observers = tuple(observers)
        if session is not None and trace_configs:
            raise ValueError(
                "trace_configs apply to the client's own pool: with session=..., give them to "
                "your aiohttp.ClientSession instead"
            )
        # Shared with every with_options() view; only this client (the root) closes it.
        self._pool = Pool(
            borrowed=session,
            max_connections=max_connections,
            timeout=self._timeout,
            trust_env=trust_env,
            max_response_bytes=max_response_bytes,
            trace_configs=trace_configs,
        )
        self._parent: ZenotiClient | None = None  # set on views: keeps the root (the owner) alive
        self._request_timeout: aiohttp.ClientTimeout | None = None  # a view's own timeout
        self._closed = False

        self.classes = ClassesAPI(self)

    # -- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        self._bind_loop()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (if the client owns it). Safe to call more than once.

        On a ``with_options()`` view it closes the view only: the pool stays open for the
        client it came from. Requests still in flight end with ``ClientStateError``.
        """
        if self._closed:
            return
        if self._parent is None:
            await self._pool.close()
        self._closed = True

    @property
    def closed(self) -> bool:
        return self._closed or self._pool.closed

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        kind = "ZenotiClient view" if self._parent is not None else "ZenotiClient"
        return f"<{kind} {self.base_url} auth={self._auth_scheme} ***, {state}>"

    def __del__(self, _warn: Any = warnings.warn) -> None:
        # Only the root's own pool needs closing: a borrowed session is the lender's, and a
        # view keeps its root alive, so the root is collected (and warns) after its views.
        pool = getattr(self, "_pool", None)
        if getattr(self, "_parent", None) is None and pool is not None and pool.owns_open_session:
            _warn(
                f"unclosed {self!r}: use 'async with ZenotiClient(...)' or await aclose()",
                ResourceWarning,
                source=self,
                stacklevel=2,
            )

    def _bind_loop(self) -> asyncio.AbstractEventLoop:
        if self._closed and not self._pool.closed:
            raise ClientStateError(
                "this ZenotiClient view is closed (the client it came from is still open)"
            )
        return self._pool.bind()  # raises if the client itself is closed or in another loop

    def _get_transport(self) -> AiohttpTransport:
        self._bind_loop()
        return self._pool.get_transport()

    # -- sharing -------------------------------------------------------------------------

    def with_options(
        self,
        *,
        timeout: float | aiohttp.ClientTimeout | None = None,
        retry: RetryPolicy | None = None,
        max_pages: int | None = None,
        observers: Sequence[RequestObserver] = (),
    ) -> ZenotiClient:
        """A view of this client with other per-request options, sharing its connection pool,
        rate limiter, event loop and credentials. Cheap: make one per use if you like.

        ``timeout`` (seconds or an ``aiohttp.ClientTimeout``), ``retry`` and ``max_pages``
        replace this client's (``None`` keeps them); ``observers`` are added to its own.
        Closing a view leaves the pool open; closing the client closes it for every view.
        """
        view = copy.copy(self)
        view._parent = self
        view._closed = False
        if timeout is not None:
            view._request_timeout = _client_timeout(timeout)
        if retry is not None:
            if not isinstance(retry, RetryPolicy):
                raise TypeError(f"retry must be a RetryPolicy, got {type(retry).__name__}")
            view.retry_policy = retry
        if max_pages is not None:
            view.max_pages = _check_max_pages(max_pages)
        view._observers = (*self._observers, *observers)
        view.classes = ClassesAPI(view)
        return view

    def stats(self) -> ClientStats:
        """Connections in use, idle and waiting, requests in flight and waiting for the rate
        limiter, traffic counters, the limiter's state and the last rate-limit headers seen:
        for health checks and metrics. Shared by the client and its views; never blocks."""
        return self._pool.stats(self.rate_limiter)

    # -- the one request path ------------------------------------------------------------

    async def _send(self, request: Request, decode: Callable[[dict[str, Any]], T]) -> T:
        """Send ``request`` and ``decode`` its JSON object; every failure is a ``ZenotiError``."""
        return await self._get(request.path, list(request.params), request.page, decode)

    async def _get_json(
        self, path: str, params: list[tuple[str, str]], page: int | None = None
    ) -> dict[str, Any]:
        """GET ``path`` with retries and rate limiting; the JSON object or a ``ZenotiError``."""
        return await self._get(path, params, page, _as_is)

    async def _get(
        self,
        path: str,
        params: list[tuple[str, str]],
        page: int | None,
        decode: Callable[[dict[str, Any]], T],
    ) -> T:
        """GET ``path`` and ``decode`` its JSON object; every failure is a ``ZenotiError``
        that names the request (a decode failure included: it is never retried)."""
        run = _RequestRun(self, self._get_transport(), path, params, page=page, decode=decode)
        pool = self._pool
        pool.in_flight += 1
        try:
            # Most requests succeed at once: the first attempt runs outside tenacity, whose
            # per-call machinery costs tens of microseconds. A failure the policy may retry is
            # then handed to tenacity as its own first attempt: the decisions are the same.
            started = time.monotonic()
            try:
                return await run.attempt()
            except ZenotiError as exc:
                if not is_retryable(exc):
                    raise
                first_failure = exc
            retrying = self._retrying(run, elapsed=time.monotonic() - started)
            return await retrying(_replay_first(first_failure, run.attempt))
        except ZenotiError as exc:
            exc.attempts = run.attempts
            pool.failed += 1
            raise
        finally:
            pool.in_flight -= 1

    def _retrying(self, run: _RequestRun[T], *, elapsed: float) -> AsyncRetrying:
        """A fresh AsyncRetrying per request (its state is per call, never shared), for a
        request whose first attempt took ``elapsed`` seconds outside it."""
        policy = self.retry_policy
        stop: stop_base = stop_after_attempt(policy.attempts) | _StopOnLongRetryAfter(policy)
        if policy.timeout is not None:
            # tenacity's clock starts after that first attempt: the total budget does not.
            stop = stop | stop_before_delay(policy.timeout - elapsed)
        return AsyncRetrying(
            stop=stop,
            wait=run.wait,
            retry=retry_if_exception(is_retryable),
            sleep=policy.sleep,
            before_sleep=run.before_sleep,
            reraise=True,
        )


def _replay_first(
    failure: ZenotiError, attempt: Callable[[], Awaitable[T]]
) -> Callable[[], Awaitable[T]]:
    """``attempt`` for tenacity, whose first call re-raises the first attempt's ``failure``."""
    pending: list[ZenotiError] = [failure]

    async def replayed() -> T:
        if pending:
            raise pending.pop()
        return await attempt()

    return replayed


def _as_is(payload: dict[str, Any]) -> dict[str, Any]:
    return payload


class _RequestRun(Generic[T]):
    """The attempts of one request: what tenacity calls back into."""

    def __init__(
        self,
        client: ZenotiClient,
        transport: AiohttpTransport,
        path: str,
        params: list[tuple[str, str]],
        *,
        page: int | None,
        decode: Callable[[dict[str, Any]], T],
    ) -> None:
        self.client = client
        self.pool = client._pool
        self.transport = transport
        self.timeout = client._request_timeout
        self.url = client.base_url + path
        self.path = path
        self.params = params
        self.page = page
        self.limiter = client.rate_limiter
        self.policy = client.retry_policy
        self.observers = current_observers.get() + client._observers
        self.debug = logger.isEnabledFor(logging.DEBUG)
        self.decode = decode
        self.attempts = 0
        self.queued = 0.0

    async def attempt(self) -> T:
        self.attempts += 1
        limiter = self.limiter
        pool = self.pool
        queued_since = time.perf_counter()
        if limiter is not None:
            pool.waiting_for_limiter += 1
            try:
                await limiter.acquire()
            finally:
                pool.waiting_for_limiter -= 1
        self.queued = time.perf_counter() - queued_since
        if pool.closed:
            raise ClientStateError(
                "the client was closed while this request waited", method="GET", path=self.path
            )
        headers = {**self.client._headers_template, "Authorization": self.client._auth.reveal()}
        started = time.perf_counter()
        pool.sent += 1
        try:
            raw = await self.transport.get(
                self.url,
                path=self.path,
                params=self.params,
                headers=headers,
                request_timeout=self.timeout,
            )
        except ZenotiError as exc:
            self._notify(None, started, exc)
            if pool.closed:
                # aclose() cut the connection: not a network fault to retry.
                raise ClientStateError(
                    "the client was closed while this request was in flight",
                    method="GET",
                    path=self.path,
                ) from exc
            raise
        snapshot = parse_rate_limit(raw.headers)
        if snapshot is not None:
            pool.note_rate_limit(snapshot)
        if raw.status == 429:
            pool.throttled += 1
        if limiter is not None:
            limiter.on_response(snapshot, status=raw.status)
        try:
            payload = decipher("GET", self.path, raw.status, raw.headers, raw.body)
            result = self.decode(payload)
        except ZenotiError as exc:
            # The converter knows the payload, not the request: say which request it was.
            if exc.path is None:
                exc.method, exc.path, exc.status = "GET", self.path, raw.status
            self._notify(raw.status, started, exc)
            raise
        self._notify(raw.status, started, None)
        return result

    def _notify(self, status: int | None, started: float, error: BaseException | None) -> None:
        elapsed = time.perf_counter() - started
        if self.debug:
            outcome = str(status) if error is None else type(error).__name__
            logger.debug(
                "GET %s page=%s -> %s in %.1f ms (attempt %d)",
                self.path, self.page, outcome, elapsed * 1000, self.attempts,
            )  # fmt: skip
        if self.observers:
            event = RequestEvent(
                "GET", self.path, self.page, self.attempts, status, elapsed, error, self.queued
            )
            for observer in self.observers:
                try:
                    observer.on_request(event)
                except Exception:  # a broken metrics hook must not fail the request
                    logger.exception("request observer %r failed; the request goes on", observer)

    def wait(self, retry_state: RetryCallState) -> float:
        assert retry_state.outcome is not None
        error = retry_state.outcome.exception()
        seconds = self.policy.wait_before_retry(retry_state.attempt_number, error)
        if isinstance(error, RateLimitError) and self.limiter is not None:
            # A 429 pauses every caller of this client, not only the one that got it.
            self.limiter.pause(seconds)
        return seconds

    def before_sleep(self, retry_state: RetryCallState) -> None:
        assert retry_state.outcome is not None
        error = retry_state.outcome.exception()
        assert error is not None
        logger.warning(
            "GET %s page=%s failed (%s); retrying in %.2f s (attempt %d of %d)",
            self.path, self.page, _short(error), retry_state.upcoming_sleep,
            retry_state.attempt_number + 1, self.policy.attempts,
        )  # fmt: skip
        self.pool.retries += 1
        if self.observers:
            event = RetryEvent(
                "GET", self.path, self.page, retry_state.attempt_number,
                retry_state.upcoming_sleep, error,
            )  # fmt: skip
            for observer in self.observers:
                try:
                    observer.on_retry(event)
                except Exception:  # a broken metrics hook must not fail the request
                    logger.exception("request observer %r failed; the request goes on", observer)


def _short(error: BaseException | None) -> str:
    if isinstance(error, ZenotiError):
        status = f"HTTP {error.status}" if error.status is not None else type(error).__name__
        code = f", Zenoti code {error.code}" if error.code is not None else ""
        return f"{status}{code}: {error.description}"
    return type(error).__name__
