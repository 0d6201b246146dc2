"""The bulk pull: one query over many keys (sessions of many centers), under one client's
rate limit, delivered as one stream.

Shape (trio's structured concurrency on asyncio): ``Pull`` is an ``async with`` that owns a
TaskGroup holding every task it starts: the workers (one per concurrent key) and their page
fetches. The caller iterates ``(key, record)`` pairs. Leaving the block, however it is left,
cancels and awaits every task before the block exits, and an exception raised in the block
comes out of it unchanged.

Each key's pages are followed by its own ``PageCursor``: once the first page has said how many
there are, the next ones are fetched concurrently and still accepted and delivered in page
order, so records of one key keep their order and the duplicate/drift checks apply unchanged.

Two bounds hold by construction, not by timing:

* requests in flight never exceed ``max_concurrency`` (every fetch takes a slot of one
  semaphore, whichever key it belongs to);
* pages fetched but not yet consumed (in flight, waiting for an earlier page, queued, or the
  page the caller is reading) never exceed ``2 * max_concurrency``: a fetch takes a token of a
  page budget before it starts, and the token comes back when the caller moves past the page.
  A worker that holds fetched pages never waits for a token (it only takes free ones), so the
  budget cannot deadlock: it stalls only on a stalled consumer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine, Iterable, Sequence
from types import TracebackType
from typing import Any, Final, Generic, Self, TypeVar

import attrs

from zenoti_async._errors import AuthenticationError, ConnectError, ZenotiError
from zenoti_async._observe import RequestEvent, RetryEvent, current_observers
from zenoti_async._paginator import EndpointSpec, Send, accept_page, fetch_page
from zenoti_async._sansio.paging import PageCursor
from zenoti_async.models import Session, SessionsPage

logger = logging.getLogger("zenoti_async")

P = TypeVar("P")
T = TypeVar("T")
R = TypeVar("R")


@attrs.define
class PullStats:
    """Live counters of one pull (read them from a progress callback or after the pull)."""

    centers_total: int
    centers_done: int = 0
    centers_failed: int = 0
    pages: int = 0
    records: int = 0  #: records delivered to the caller
    requests: int = 0  #: HTTP attempts, retries included
    retries: int = 0
    throttled: int = 0  #: 429 answers
    rate_limit_wait: float = 0.0  #: seconds this pull's requests waited for the limiter
    duplicates_dropped: int = 0
    count_mismatches: int = 0  #: centers whose record count disagreed with the reported total
    in_flight: int = 0
    max_in_flight: int = 0
    started: float = attrs.field(factory=time.monotonic)
    finished: float | None = None

    @property
    def elapsed(self) -> float:
        end = self.finished if self.finished is not None else time.monotonic()
        return end - self.started

    @property
    def centers_finished(self) -> int:
        return self.centers_done + self.centers_failed

    @property
    def records_per_second(self) -> float:
        elapsed = self.elapsed
        return self.records / elapsed if elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left, extrapolated from the centers finished so far."""
        done = self.centers_finished
        if done == 0 or self.finished is not None:
            return None
        return self.elapsed / done * (self.centers_total - done)


ProgressCallback = Callable[[PullStats], None]
_DONE: Final = object()  # queued when the last worker ends
_STOP: Final = object()  # queued when a failure ends the whole pull


class _StatsObserver:
    def __init__(self, stats: PullStats) -> None:
        self.stats = stats

    def on_request(self, event: RequestEvent) -> None:
        self.stats.requests += 1
        self.stats.rate_limit_wait += event.queued
        if event.status == 429:
            self.stats.throttled += 1

    def on_retry(self, event: RetryEvent) -> None:
        self.stats.retries += 1


class _PageBudget:
    """Tokens for pages fetched but not consumed yet (see the module docstring)."""

    def __init__(self, size: int) -> None:
        self.free = size
        self._returned = asyncio.Event()

    def try_take(self) -> bool:
        if self.free > 0:
            self.free -= 1
            return True
        return False

    async def take(self) -> None:
        while self.free == 0:
            self._returned.clear()
            await self._returned.wait()
        self.free -= 1

    def give(self) -> None:
        self.free += 1
        self._returned.set()  # every waiter re-checks; one of them gets the token


def _ends_the_pull(error: Exception, any_success: bool) -> bool:
    """Failures that no retry and no other key can fix: a refused key, or no connection at
    all before anything worked (a wrong host, DNS down). Going on would cost one failure per
    key and hundreds of requests."""
    return isinstance(error, AuthenticationError) or (
        isinstance(error, ConnectError) and not any_success
    )


class Pull(Generic[P, T]):
    """``async with ... as pull: async for key, record in pull: ...``: one endpoint's query
    for many keys at once.

    After the stream ends, ``pull.failures`` maps each failed key to its error, and unless
    ``raise_on_failure=False`` an ``ExceptionGroup`` of those errors is raised when the block
    exits, so no key is silently missing. Leaving early (``break``) raises nothing; an
    exception raised in the block comes out of it unchanged.

    An ``AuthenticationError``, or a ``ConnectError`` before any request of the pull
    succeeded, ends the whole pull at once: it is raised as itself (from the iteration, or
    from the block's exit) and no further request is sent.

    ``on_progress(stats)`` is called after each key finishes and at the end. A callback that
    raises is logged (with its traceback) and not called again: a broken progress display
    must not cost data, and the pull goes on.
    """

    #: What the keys are, as failures' notes name them (``center_id=...``).
    key_name = "key"

    def __init__(
        self,
        send: Send,
        spec: EndpointSpec[P, T],
        queries: Sequence[tuple[str, list[tuple[str, str]]]],
        *,
        page_size: int,
        max_pages: int,
        max_concurrency: int,
        raise_on_failure: bool,
        on_progress: ProgressCallback | None,
    ) -> None:
        self._send = send
        self._spec = spec
        self._queries = queries
        self._page_size = page_size
        self._max_pages = max_pages
        self.max_concurrency = max_concurrency
        self.raise_on_failure = raise_on_failure
        self._on_progress = on_progress
        self.failures: dict[str, Exception] = {}
        self.stats = PullStats(centers_total=len(queries))
        # Unbounded: the page budget bounds what can be in it.
        self._queue: asyncio.Queue[tuple[str, list[T]] | object] = asyncio.Queue()
        self._slots = asyncio.Semaphore(max_concurrency)
        self._budget = _PageBudget(2 * max_concurrency)
        self._group: asyncio.TaskGroup | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._todo = iter(queries)
        self._running = 0
        self._batch: list[T] = []
        self._batch_key = ""
        self._batch_holds_token = False
        self._index = 0
        self._exhausted = False
        self._entered = False
        self._any_success = False
        self._fatal: Exception | None = None
        self._fatal_raised = False

    # -- lifecycle -----------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        if self._entered:
            raise RuntimeError(f"a {type(self).__name__} can be entered only once")
        self._entered = True
        self.stats.started = time.monotonic()
        group = asyncio.TaskGroup()
        await group.__aenter__()
        self._group = group
        # Tasks copy the context at creation: this pull's observer sees its requests only.
        token = current_observers.set((*current_observers.get(), _StatsObserver(self.stats)))
        try:
            count = min(self.max_concurrency, len(self._queries)) or 1
            self._running = count
            for _ in range(count):
                self._start(self._worker())
        finally:
            current_observers.reset(token)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._cancel_all()
        self._release_batch()
        self._batch, self._index = [], 0
        group, self._group = self._group, None
        if group is not None:
            # The block's own exception is not the group's business: handed to the TaskGroup
            # it would come out wrapped in an ExceptionGroup. A cancellation is, so that the
            # TaskGroup keeps asyncio's cancellation semantics (uncancel, re-raise).
            if exc_type is asyncio.CancelledError:
                await group.__aexit__(exc_type, exc, tb)
            else:
                await group.__aexit__(None, None, None)
        if self.stats.finished is None:
            self.stats.finished = time.monotonic()
        if exc_type is not None:
            return
        if self._fatal is not None and not self._fatal_raised:
            raise self._fatal
        if self._exhausted and self.failures and self.raise_on_failure:
            errors = list(self.failures.values())
            raise ExceptionGroup(
                f"{len(errors)} of {self.stats.centers_total} centers failed "
                "(their records are missing; see pull.failures)",
                errors,
            )

    def _start(self, coro: Coroutine[Any, Any, R]) -> asyncio.Task[R]:
        assert self._group is not None
        task = self._group.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    # -- consumer side -------------------------------------------------------------------

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> tuple[str, T]:
        if self._group is None and not self._exhausted:
            raise RuntimeError(f"iterate a {type(self).__name__} inside its 'async with' block")
        while self._index >= len(self._batch):
            if self._exhausted:
                raise StopAsyncIteration
            self._release_batch()
            item = await self._queue.get()
            if item is _STOP:
                assert self._fatal is not None
                self._exhausted = True
                self._fatal_raised = True  # here, so not again when the block exits
                raise self._fatal
            if item is _DONE:
                self._exhausted = True
                self.stats.finished = time.monotonic()
                self._report()
                raise StopAsyncIteration
            assert isinstance(item, tuple)
            self._batch_key, self._batch = item
            self._batch_holds_token = True
            self._index = 0
        record = self._batch[self._index]
        self._index += 1
        self.stats.records += 1
        return self._batch_key, record

    def _release_batch(self) -> None:
        if self._batch_holds_token:
            self._batch_holds_token = False
            self._budget.give()

    # -- workers ---------------------------------------------------------------------------

    def _report(self) -> None:
        callback = self._on_progress
        if callback is None:
            return
        try:
            callback(self.stats)
        except Exception:
            self._on_progress = None
            logger.exception("on_progress callback %r failed; it is not called again", callback)

    async def _worker(self) -> None:
        try:
            for key, query in self._todo:
                cursor = PageCursor(
                    page_size=self._page_size, max_pages=self._max_pages, path=self._spec.path
                )
                try:
                    await self._pull_one(key, query, cursor)
                except Exception as exc:  # noqa: BLE001  (one key must not stop the others)
                    exc.add_note(f"{self.key_name}={key}")
                    if _ends_the_pull(exc, self._any_success):
                        self._end_pull(exc)
                        return
                    self.failures[key] = exc
                    self.stats.centers_failed += 1
                else:
                    self.stats.centers_done += 1
                    if cursor.count_mismatch is not None:
                        self.stats.count_mismatches += 1
                self.stats.duplicates_dropped += cursor.duplicates_dropped
                self._report()
        finally:
            self._running -= 1
        if self._running == 0:
            self._queue.put_nowait(_DONE)

    def _end_pull(self, error: Exception) -> None:
        if self._fatal is None:
            self._fatal = error
            current = asyncio.current_task()
            for task in list(self._tasks):
                if task is not current:
                    task.cancel()
            self._queue.put_nowait(_STOP)

    async def _fetch(self, page_number: int, query: list[tuple[str, str]]) -> P | Exception:
        """One page, or the error it failed with (a task of the group must not raise: the
        TaskGroup would cancel everything, the caller's block included)."""
        spec = self._spec
        request = spec.request(query, page_number, self._page_size, bulk=True)
        async with self._slots:
            stats = self.stats
            stats.in_flight += 1
            stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
            try:
                page = await fetch_page(self._send, spec, request, spec.decode_records)
            except Exception as exc:  # noqa: BLE001  (handed to the worker, in page order)
                if isinstance(exc, ZenotiError):
                    exc.page = page_number
                return exc
            finally:
                stats.in_flight -= 1
        self._any_success = True
        return page

    async def _pull_one(self, key: str, query: list[tuple[str, str]], cursor: PageCursor) -> None:
        spec = self._spec
        pending: deque[tuple[int, asyncio.Task[P | Exception]]] = deque()
        try:
            while (page_number := cursor.next_page) is not None:
                # Start what the cursor allows, in page order: the first page waits for a
                # token, later ones only take free tokens (see the module docstring).
                started = pending[-1][0] if pending else page_number - 1
                for number in cursor.plan(self.max_concurrency):
                    if number <= started:
                        continue
                    if pending:
                        if not self._budget.try_take():
                            break
                    else:
                        await self._budget.take()
                    pending.append((number, self._start(self._fetch(number, query))))
                number, task = pending.popleft()
                assert number == page_number
                outcome = await task
                if isinstance(outcome, Exception):
                    self._budget.give()
                    raise outcome
                try:
                    page = accept_page(cursor, spec, page_number, outcome)
                except BaseException:
                    self._budget.give()
                    raise
                self.stats.pages += 1
                records = spec.records(page)
                if records:
                    self._queue.put_nowait((key, records))  # its token goes with it
                else:
                    self._budget.give()
        finally:
            # Pages past the real end (the server's count was too high), or a failure.
            for _, task in pending:
                task.cancel()
                self._budget.give()


class SessionsPull(Pull[SessionsPage, Session]):
    """``async with client.classes.sessions_for_centers(ids, ...) as pull:
    async for center_id, session in pull: ...``

    After the stream ends, ``pull.failures`` maps each failed center to its error, and unless
    ``raise_on_failure=False`` an ``ExceptionGroup`` of those errors is raised when the block
    exits, so no center is silently missing. Leaving early (``break``) raises nothing; an
    exception raised in the block comes out of it unchanged.

    An ``AuthenticationError`` from any center, or a ``ConnectError`` before any request of
    the pull succeeded, ends the whole pull at once and is raised as itself.

    ``on_progress(stats)`` is called after each center finishes and at the end. A callback
    that raises is logged (with its traceback) and not called again; the pull goes on.
    """

    key_name = "center_id"


def unique_centers(center_ids: Iterable[Any], canonical: Callable[[Any], str]) -> list[str]:
    """Canonical center ids in first-seen order: a center listed twice is pulled once."""
    seen: dict[str, None] = {}
    for index, raw in enumerate(center_ids):
        try:
            seen.setdefault(canonical(raw), None)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"center_ids[{index}]: {exc}") from None
    return list(seen)
