"""The bulk pull: sessions of many centers at once, under one client's rate limit.

Shape (trio's structured concurrency on asyncio): ``SessionsPull`` is an ``async with`` that
owns a TaskGroup of workers. Workers put whole pages into a bounded queue (back-pressure: memory
stays flat however many records flow) and the caller iterates ``(center_id, session)`` pairs
from it. Leaving the block, however it is left, cancels and awaits every worker before the block
exits. Requests in flight never exceed ``max_concurrency``: every page fetch takes a slot of one
semaphore, whichever center it belongs to.

Within a center, once the first page has said how many pages there are, the next pages are
fetched concurrently (inside the same bound, at most ``max_concurrency`` ahead) and still
accepted and delivered in page order, so records of one center keep their order and the
duplicate/drift checks of the paginator apply unchanged.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

import attrs

from zenoti_async._observe import RequestEvent, RetryEvent, current_observers
from zenoti_async._paginator import Paginator
from zenoti_async.models import Session, SessionsPage

if TYPE_CHECKING:
    from zenoti_async._client import ZenotiClient


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
_DONE: Final = object()


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


class SessionsPull:
    """``async with client.classes.sessions_for_centers(ids, ...) as pull:
    async for center_id, session in pull: ...``

    After the stream ends, ``pull.failures`` maps each failed center to its error, and unless
    ``raise_on_failure=False`` an ``ExceptionGroup`` of those errors is raised when the block
    exits, so no center is silently missing. Leaving early (``break``) raises nothing.
    """

    def __init__(
        self,
        client: ZenotiClient,
        paginators: list[tuple[str, Paginator[SessionsPage, Session]]],
        *,
        max_concurrency: int,
        raise_on_failure: bool,
        on_progress: ProgressCallback | None,
    ) -> None:
        self._client = client
        self._paginators = paginators
        self.max_concurrency = max_concurrency
        self.raise_on_failure = raise_on_failure
        self._on_progress = on_progress
        self.failures: dict[str, Exception] = {}
        self.stats = PullStats(centers_total=len(paginators))
        # Whole pages travel through the queue: per-record queue traffic would cost more than
        # decoding. Two pages per worker keeps every worker busy while bounding memory.
        self._queue: asyncio.Queue[tuple[str, list[Session]] | object] = asyncio.Queue(
            maxsize=2 * max_concurrency
        )
        self._slots = asyncio.Semaphore(max_concurrency)
        self._group: asyncio.TaskGroup | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._todo: Iterator[tuple[str, Paginator[SessionsPage, Session]]] = iter(paginators)
        self._running = 0
        self._batch: list[Session] = []
        self._batch_center = ""
        self._index = 0
        self._exhausted = False
        self._entered = False

    # -- lifecycle -----------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        if self._entered:
            raise RuntimeError("a SessionsPull can be entered only once")
        self._entered = True
        self.stats.started = time.monotonic()
        group = asyncio.TaskGroup()
        await group.__aenter__()
        self._group = group
        # Workers copy the context at creation: this pull's observer sees their requests only.
        token = current_observers.set((*current_observers.get(), _StatsObserver(self.stats)))
        try:
            count = min(self.max_concurrency, len(self._paginators)) or 1
            self._running = count
            self._workers = [group.create_task(self._worker()) for _ in range(count)]
        finally:
            current_observers.reset(token)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for task in self._workers:
            task.cancel()
        self._batch, self._index = [], 0
        group, self._group = self._group, None
        if group is not None:
            await group.__aexit__(exc_type, exc, tb)
        if self.stats.finished is None:
            self.stats.finished = time.monotonic()
        if exc_type is None and self._exhausted and self.failures and self.raise_on_failure:
            errors = list(self.failures.values())
            raise ExceptionGroup(
                f"{len(errors)} of {self.stats.centers_total} centers failed "
                "(their records are missing; see pull.failures)",
                errors,
            )

    # -- consumer side -------------------------------------------------------------------

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> tuple[str, Session]:
        # Once per record: the common case (the current page has more) comes first and costs
        # a few attribute reads. Leaving the block empties the batch, so this cannot be
        # reached outside it.
        index = self._index
        batch = self._batch
        if index < len(batch):
            self._index = index + 1
            self.stats.records += 1
            return self._batch_center, batch[index]
        return await self._next_page()

    async def _next_page(self) -> tuple[str, Session]:
        if self._group is None and not self._exhausted:
            raise RuntimeError("iterate a SessionsPull inside its 'async with' block")
        while self._index >= len(self._batch):
            if self._exhausted:
                raise StopAsyncIteration
            item = await self._queue.get()
            if item is _DONE:
                self._exhausted = True
                self.stats.finished = time.monotonic()
                self._report()
                raise StopAsyncIteration
            assert isinstance(item, tuple)
            self._batch_center, self._batch = item
            self._index = 0
        record = self._batch[self._index]
        self._index += 1
        self.stats.records += 1
        return self._batch_center, record

    # -- workers ---------------------------------------------------------------------------

    def _report(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self.stats)

    async def _worker(self) -> None:
        try:
            for center_id, paginator in self._todo:
                try:
                    await self._pull_center(center_id, paginator)
                except Exception as exc:  # noqa: BLE001  (one center must not stop the others)
                    exc.add_note(f"center_id={center_id}")
                    self.failures[center_id] = exc
                    self.stats.centers_failed += 1
                else:
                    self.stats.centers_done += 1
                    if paginator.count_mismatch is not None:
                        self.stats.count_mismatches += 1
                self.stats.duplicates_dropped += paginator.duplicates_dropped
                self._report()
        finally:
            self._running -= 1
        if self._running == 0:
            await self._queue.put(_DONE)

    async def _fetch(
        self, paginator: Paginator[SessionsPage, Session], page_number: int
    ) -> SessionsPage:
        async with self._slots:
            stats = self.stats
            stats.in_flight += 1
            stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
            try:
                return await paginator._fetch_decoded(page_number)
            finally:
                stats.in_flight -= 1

    async def _deliver(self, center_id: str, page: SessionsPage) -> None:
        self.stats.pages += 1
        if page.sessions:
            await self._queue.put((center_id, page.sessions))

    async def _pull_center(
        self, center_id: str, paginator: Paginator[SessionsPage, Session]
    ) -> None:
        while (next_page := paginator.next_page) is not None:
            last = paginator._known_last_page()
            if last is None or last <= next_page:
                page = paginator._accept(await self._fetch(paginator, next_page))
                await self._deliver(center_id, page)
                continue
            window = range(next_page, min(last, next_page + self.max_concurrency - 1) + 1)
            fetches = [asyncio.ensure_future(self._fetch(paginator, n)) for n in window]
            try:
                for fetch in fetches:
                    page = paginator._accept(await fetch)
                    await self._deliver(center_id, page)
                    if paginator.next_page is None:
                        break  # the server's count was too high: later pages are not needed
            finally:
                for fetch in fetches:
                    fetch.cancel()
                await asyncio.gather(*fetches, return_exceptions=True)


def unique_centers(center_ids: Iterable[Any], canonical: Callable[[Any], str]) -> list[str]:
    """Canonical center ids in first-seen order: a center listed twice is pulled once."""
    seen: dict[str, None] = {}
    for index, raw in enumerate(center_ids):
        try:
            seen.setdefault(canonical(raw), None)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"center_ids[{index}]: {exc}") from None
    return list(seen)
