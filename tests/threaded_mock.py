"""A MockZenoti serving from a thread of its own, for tests whose code under test runs in
other event loops (Starlette's TestClient, several ``asyncio.run`` calls)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from zenoti_async.testing import MockZenoti


class ThreadedMock:
    """A MockZenoti serving from its own thread and event loop.

    Starlette's sync TestClient runs the application in a loop of its own (in another
    thread) and blocks the caller meanwhile, so the mock cannot share the test's loop.
    """

    def __init__(self, **options: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.mock = MockZenoti(**options)
        self._thread = threading.Thread(target=self.loop.run_forever, name="mock-zenoti")

    def __enter__(self) -> MockZenoti:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.mock.start(), self.loop).result(10)
        return self.mock

    def __exit__(self, *_exc: object) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self.mock.close(), self.loop).result(10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)
            self.loop.close()
