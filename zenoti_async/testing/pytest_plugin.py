"""pytest fixtures for the bundled mock Zenoti server (registered through ``pytest11``).

Fixtures (function-scoped):

``zenoti_mock``
    A running :class:`~zenoti_async.testing.MockZenoti`. Options come from the closest
    ``@pytest.mark.zenoti_mock(...)`` markers (function over class over module), for
    example ``@pytest.mark.zenoti_mock(centers=20, seed=3, rate_limit=RateLimitConfig())``.
``zenoti_client``
    A ``zenoti_async.ZenotiClient`` pointed at ``zenoti_mock`` (``allow_http=True``), with
    ``RetryPolicy.no_wait()`` and a rate limiter matching the mock's (none by default). Other
    constructor arguments come from ``@pytest.mark.zenoti_client(...)``.

The async fixtures need pytest-asyncio. This module is imported by every pytest run of any
environment where zenoti-async is installed, so it imports nothing heavy at import time and
never fails when pytest-asyncio is absent: the fixtures then explain what is missing.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from zenoti_async import ZenotiClient
    from zenoti_async.testing._server import MockZenoti

__all__ = ["pytest_configure", "zenoti_client", "zenoti_mock"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "zenoti_mock(**options): MockZenoti keyword arguments for the zenoti_mock fixture",
    )
    config.addinivalue_line(
        "markers",
        "zenoti_client(**options): extra ZenotiClient keyword arguments for zenoti_client",
    )


def _marker_options(request: pytest.FixtureRequest, name: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    # iter_markers yields the closest first; apply farthest first so the closest wins.
    for marker in reversed(list(request.node.iter_markers(name))):
        if marker.args:
            raise pytest.UsageError(f"@pytest.mark.{name} takes keyword arguments only")
        options.update(marker.kwargs)
    return options


if TYPE_CHECKING or importlib.util.find_spec("pytest_asyncio") is not None:
    import pytest_asyncio

    @pytest_asyncio.fixture
    async def zenoti_mock(request: pytest.FixtureRequest) -> AsyncIterator[MockZenoti]:
        """A running mock Zenoti server; configure it with ``@pytest.mark.zenoti_mock``."""
        from zenoti_async.testing._server import MockZenoti  # noqa: PLC0415

        async with MockZenoti(**_marker_options(request, "zenoti_mock")) as mock:
            yield mock

    @pytest_asyncio.fixture
    async def zenoti_client(
        request: pytest.FixtureRequest, zenoti_mock: MockZenoti
    ) -> AsyncIterator[ZenotiClient]:
        """A ``ZenotiClient`` talking to ``zenoti_mock`` over plain HTTP on 127.0.0.1."""
        # Imported here so the plugin loads (and zenoti_mock works) even if the client
        # cannot be imported.
        from zenoti_async import RetryPolicy, TokenBucket, ZenotiClient  # noqa: PLC0415

        # Test-friendly defaults: the same retry decisions without sleeping, and a limiter
        # matching the mock's own (none unless the mock enforces one), so a test never waits
        # on the production 60 calls/min budget.
        bucket = zenoti_mock.rate_limiter
        limiter = None
        if bucket is not None:
            config = bucket.config
            limiter = TokenBucket(config.limit, config.window, burst=config.capacity)
        options: dict[str, Any] = {
            "api_key": zenoti_mock.api_key,
            "base_url": zenoti_mock.base_url,
            "allow_http": True,
            "retry": RetryPolicy.no_wait(),
            "rate_limit": limiter,
        }
        options.update(_marker_options(request, "zenoti_client"))
        async with ZenotiClient(**options) as client:
            yield client

else:  # pragma: no cover - only without pytest-asyncio

    @pytest.fixture
    def zenoti_mock() -> None:
        pytest.fail("the zenoti_mock fixture needs pytest-asyncio (pip install pytest-asyncio)")

    @pytest.fixture
    def zenoti_client() -> None:
        pytest.fail("the zenoti_client fixture needs pytest-asyncio (pip install pytest-asyncio)")
