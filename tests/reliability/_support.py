"""Shared pieces of the fault matrix: one mock per case, a client with a recording sleep, and
the secret check every case ends with."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from tests.fakes import EventLog
from zenoti_async import RetryEvent, RetryPolicy, ZenotiClient
from zenoti_async.testing import MockZenoti

#: The key every matrix case uses; no log line, exception or repr may ever contain it.
SECRET = "zk_live_9f2c4e1a7b3d5f60_do_not_leak"


class RetryRecorder(EventLog):
    """Every request and retry event, and a sleep that records instead of waiting."""

    def __init__(self) -> None:
        super().__init__()
        self.sleeps: list[float] = []
        self.retrying = asyncio.Event()

    def on_retry(self, event: RetryEvent) -> None:
        super().on_retry(event)
        self.retrying.set()

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


@asynccontextmanager
async def case(
    *,
    centers: int = 6,
    seed: int = 17,
    client_options: dict[str, Any] | None = None,
    **mock_options: Any,
) -> AsyncIterator[tuple[MockZenoti, ZenotiClient, RetryRecorder]]:
    """A fresh mock and a client pointed at it: retries recorded, never slept."""
    recorder = RetryRecorder()
    options: dict[str, Any] = {
        "api_key": SECRET,
        "allow_http": True,
        "rate_limit": None,
        "retry": RetryPolicy(
            attempts=4, wait_initial=0.5, wait_max=4.0, max_retry_after=30.0,
            sleep=recorder.sleep, random=lambda: 0.5,
        ),
        "observers": [recorder],
    }  # fmt: skip
    options.update(client_options or {})
    async with MockZenoti(centers=centers, seed=seed, api_key=SECRET, **mock_options) as mock:
        options.setdefault("base_url", mock.base_url)
        async with ZenotiClient(**options) as client:
            yield mock, client, recorder


def multi_page_center(mock: MockZenoti) -> str:
    return max(mock.center_ids, key=mock.dataset.session_count)


def expected_ids(mock: MockZenoti, center: str) -> list[int]:
    return [w["id"] for w in mock.dataset.sessions_for(center)]


async def pull_ids(client: ZenotiClient, center: str, page_size: int = 100) -> list[int | None]:
    return [s.id async for s in client.classes.sessions(center_id=center, page_size=page_size)]


def exception_text(exc: BaseException) -> str:
    """Everything a user could see of an exception: str, repr, args, notes, whole chain,
    and the formatted traceback."""
    parts: list[str] = []
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        parts += [str(current), repr(current), repr(current.args), repr(vars(current))]
        parts += getattr(current, "__notes__", [])
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
    parts.append("".join(traceback.format_exception(exc)))
    return "\n".join(parts)


def assert_secret_kept(
    caplog: pytest.LogCaptureFixture, client: ZenotiClient, exc: BaseException | None = None
) -> None:
    """The key is in no captured log record, no part of the exception, no repr of the client."""
    logged = (
        "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records)
        + caplog.text
    )
    assert SECRET not in logged
    assert SECRET not in repr(client) and SECRET not in str(client)
    if exc is not None:
        assert SECRET not in exception_text(exc)


def debug_logging(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="zenoti_async")
