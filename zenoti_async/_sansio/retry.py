"""Retry policy: which failures are retried, and how long to wait (pure decisions).

The engine is tenacity (one fresh ``AsyncRetrying`` per request, in ``_client``); the opinions
are stamina's: retry by allow-list only (a deny-list would retry ``CancelledError``),
exponential backoff with full jitter, capped, stopped by attempts *and* by total time, and a
server's ``Retry-After`` wins over the computed wait up to a cap.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

import attrs

from zenoti_async._errors import (
    APIError,
    HTTPStatusError,
    InvalidInputError,
    MissingInputError,
    ObjectNotFoundError,
    RateLimitError,
    ServerIOError,
    TransportError,
)

#: HTTP statuses that mean "try again": timeouts, too early, throttled, and gateway trouble.
RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})

Sleep = Callable[[float], Awaitable[None]]


async def _no_sleep(_seconds: float) -> None:
    return None


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How a failed request is retried.

    ``attempts`` counts the first try (``attempts=1`` disables retries). ``timeout`` caps the
    total seconds spent on one request including waits (``None``: no cap). Waits grow as
    ``wait_initial * 2**n`` up to ``wait_max``, each drawn uniformly from ``[0, that]`` (full
    jitter). A server's ``Retry-After`` is obeyed instead when given, up to
    ``max_retry_after``; a longer one is not waited out but raised as ``RateLimitError`` so a
    caller decides. ``sleep`` and ``random`` are injectable so tests never wait.
    """

    attempts: int = attrs.field(default=5)
    timeout: float | None = 120.0
    wait_initial: float = 0.5
    wait_max: float = 20.0
    max_retry_after: float = 120.0
    sleep: Sleep = attrs.field(default=asyncio.sleep, eq=False, repr=False)
    random: Callable[[], float] = attrs.field(default=random.random, eq=False, repr=False)

    @attempts.validator
    def _check_attempts(self, _attribute: object, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"attempts must be an int >= 1, got {value!r}")

    def __attrs_post_init__(self) -> None:
        for name in ("wait_initial", "wait_max", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if self.timeout is not None and self.timeout <= 0:
            raise ValueError("timeout must be > 0 or None")

    @classmethod
    def no_wait(cls, attempts: int = 5) -> RetryPolicy:
        """Retries that never sleep (for tests): same decisions, zero waits."""
        return cls(
            attempts=attempts, wait_initial=0.0, wait_max=0.0, max_retry_after=1e9, sleep=_no_sleep
        )

    @classmethod
    def disabled(cls) -> RetryPolicy:
        return cls(attempts=1)

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential wait before retry number ``attempt`` (1-based)."""
        ceiling: float = min(self.wait_max, self.wait_initial * (2.0 ** (attempt - 1)))
        return ceiling * self.random()

    def wait_before_retry(self, attempt: int, error: BaseException | None) -> float:
        """Seconds to wait after failed attempt ``attempt``; the server's word wins."""
        if isinstance(error, RateLimitError) and error.retry_after is not None:
            return error.retry_after
        return self.backoff(attempt)


def is_retryable(error: BaseException) -> bool:
    """The allow-list. Anything not named here (CancelledError included) is never retried."""
    if isinstance(error, TransportError):
        # Every request of this SDK is a GET, so a repeat has no side effect.
        return True
    if isinstance(error, RateLimitError):
        return True
    if isinstance(error, MissingInputError | InvalidInputError | ObjectNotFoundError):
        # Zenoti says the request itself is wrong: the same request fails the same way,
        # whatever HTTP status carried it (InvalidInput's code 502 is not a bad gateway).
        return False
    if isinstance(error, ServerIOError):
        return True
    if isinstance(error, APIError):
        return error.status in RETRYABLE_STATUSES
    if isinstance(error, HTTPStatusError):
        # Gateway pages (HTML 502/503/504), 500s without a Zenoti body, 408 and 425.
        return error.status in RETRYABLE_STATUSES
    return False


def retry_after_too_long(policy: RetryPolicy, error: BaseException | None) -> bool:
    return (
        isinstance(error, RateLimitError)
        and error.retry_after is not None
        and error.retry_after > policy.max_retry_after
    )
