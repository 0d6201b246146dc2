"""Request events, for statistics, progress and user hooks.

``_get_json`` reports each response and each retry to the observers in a context variable.
A fan-out sets its own observer in the context of the worker tasks it starts, so its counts
are exactly its own requests, even when other tasks share the client.
"""

from __future__ import annotations

import contextvars
from typing import Protocol

import attrs


@attrs.frozen
class RequestEvent:
    """One attempt of one request, as seen by hooks (never carries credentials)."""

    method: str
    path: str
    page: int | None
    attempt: int
    status: int | None  #: ``None`` when no HTTP answer arrived
    elapsed: float  #: seconds
    error: BaseException | None  #: the SDK error this attempt ended with, if any
    queued: float = 0.0  #: seconds spent waiting for the rate limiter before sending


@attrs.frozen
class RetryEvent:
    """A failed attempt about to be retried after ``wait`` seconds."""

    method: str
    path: str
    page: int | None
    attempt: int  #: the attempt that failed (1-based)
    wait: float
    error: BaseException


class RequestObserver(Protocol):
    def on_request(self, event: RequestEvent) -> None: ...

    def on_retry(self, event: RetryEvent) -> None: ...


current_observers: contextvars.ContextVar[tuple[RequestObserver, ...]] = contextvars.ContextVar(
    "zenoti_async_observers", default=()
)
