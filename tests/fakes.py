"""Fakes shared by tests: a clock that only moves when told to, and a sleep that moves it."""

from __future__ import annotations

import asyncio

from zenoti_async import RequestEvent, RetryEvent


class FakeClock:
    """A monotonic clock for limiter and retry tests: ``sleep`` advances it instantly.

    ``sleeps`` records every requested wait so tests can assert on the schedule.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        # Let other tasks run, as a real sleep would.
        await asyncio.sleep(0)


class EventLog:
    """A request observer that keeps every event it is given."""

    def __init__(self) -> None:
        self.requests: list[RequestEvent] = []
        self.retries: list[RetryEvent] = []

    def on_request(self, event: RequestEvent) -> None:
        self.requests.append(event)

    def on_retry(self, event: RetryEvent) -> None:
        self.retries.append(event)
