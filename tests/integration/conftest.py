"""Fixtures for tests that run the SDK against the bundled mock server over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from zenoti_async import RetryPolicy, ZenotiClient
from zenoti_async.testing import MockZenoti


def make_client(mock: MockZenoti, **kwargs: Any) -> ZenotiClient:
    options: dict[str, Any] = {
        "api_key": mock.api_key,
        "base_url": mock.base_url,
        "allow_http": True,
        "rate_limit": None,
        "retry": RetryPolicy.no_wait(attempts=6),
    }
    options.update(kwargs)
    return ZenotiClient(**options)


@pytest.fixture
async def mock() -> AsyncIterator[MockZenoti]:
    async with MockZenoti(centers=40, seed=11) as server:
        yield server


@pytest.fixture
async def client(mock: MockZenoti) -> AsyncIterator[ZenotiClient]:
    async with make_client(mock) as c:
        yield c


def connections_in_use(client: ZenotiClient) -> int:
    return client.stats().connections_in_use


def client_side_tasks() -> set[asyncio.Task[object]]:
    """Tasks of this loop except the mock server's own connection handlers (the mock runs in
    the same loop as the client under test, and keeps keep-alive connections open)."""
    return {
        task
        for task in asyncio.all_tasks()
        if not getattr(task.get_coro(), "__qualname__", "").startswith("RequestHandler.")
    }
