"""Fixtures for the tests of `examples/`: the mock Zenoti, in this loop or in a thread."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from tests.threaded_mock import ThreadedMock
from zenoti_async.testing import MockZenoti


@pytest.fixture
def threaded_mock() -> Iterator[MockZenoti]:
    with ThreadedMock(centers=30, seed=5) as mock:
        yield mock


@pytest.fixture
async def mock() -> AsyncIterator[MockZenoti]:
    async with MockZenoti(centers=30, seed=5) as server:
        yield server


def client_options(mock: MockZenoti, **extra: Any) -> dict[str, Any]:
    from zenoti_async import RetryPolicy

    options: dict[str, Any] = {
        "api_key": mock.api_key,
        "base_url": mock.base_url,
        "allow_http": True,
        "rate_limit": None,
        "retry": RetryPolicy.no_wait(attempts=3),
    }
    options.update(extra)
    return options


def biggest_center(mock: MockZenoti) -> str:
    return max(mock.center_ids, key=mock.dataset.session_count)
