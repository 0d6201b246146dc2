"""Following ``page_details`` across pages: the pure "what next?" decision and the lazy
iterator built on it.

``page_details``' field names are not public, echoed ``page``/``size`` values have been seen
wrong, and public clients have looped forever or stopped early. So the page number is tracked
here, on the client side, and the iteration ends on the first of: an empty page, a short page,
the reported total reached, the reported page count reached. It raises ``PaginationError``
rather than loop when a page repeats the previous page's ids (a server ignoring ``page``) or
when the hard page cap is passed.

Records inserted or deleted between page fetches shift the server's offsets: a shifted record
shows up twice (dropped here, by id) or not at all (detected by comparing the count of unique
records with the reported totals, and reported on the ``zenoti_async`` logger and in
``Paginator.count_mismatch``).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Sequence
from typing import Any, Generic, Protocol, TypeVar

import attrs

from zenoti_async._errors import ObjectNotFoundError, PaginationError, ZenotiError
from zenoti_async.models import PageDetails

logger = logging.getLogger("zenoti_async")

P = TypeVar("P")  # a decoded page (SessionsPage, PackagesPage, MembershipsPage)
T = TypeVar("T")  # one record of a page

DEFAULT_MAX_PAGES = 10_000  # 1,000,000 records at 100 per page: past that, something loops.
_DEDUPE_WINDOW_PAGES = 3  # offset drift moves a record by at most a few pages between fetches


@attrs.frozen
class CountMismatch:
    """The unique records yielded differ from what the server reported: records may be lost."""

    first_total: int | None  #: total reported on the first page
    last_total: int | None  #: total reported on the last page
    yielded: int  #: unique records yielded
    duplicates_dropped: int

    def describe(self) -> str:
        changed = (
            f"the reported total changed from {self.first_total} to {self.last_total} during "
            "the iteration"
            if self.first_total != self.last_total
            else f"the server reported {self.last_total}"
        )
        return (
            f"{self.yielded} unique records were yielded but {changed} "
            f"({self.duplicates_dropped} duplicates dropped); records were probably inserted "
            "or deleted while paging, so some may be missing: re-run for a consistent set"
        )


@attrs.define
class PaginationState:
    """What the decision needs to remember between pages. Pure data."""

    page_size: int
    next_page: int
    max_pages: int
    pages_fetched: int = 0
    yielded: int = 0
    duplicates_dropped: int = 0
    first_total: int | None = None
    last_total: int | None = None
    total_pages: int | None = None
    previous_ids: tuple[Hashable, ...] | None = None
    recent_ids: deque[set[Hashable]] = attrs.field(
        factory=lambda: deque(maxlen=_DEDUPE_WINDOW_PAGES)
    )
    done: bool = False


def accept_page(
    state: PaginationState,
    ids: Sequence[Hashable | None],
    details: PageDetails | None,
    *,
    path: str = "",
) -> list[int]:
    """Record one fetched page and decide what comes next (pure).

    Returns the indexes of the page's records to yield (duplicates of the last few pages are
    left out). Sets ``state.done`` when the iteration is over and advances
    ``state.next_page`` otherwise. Raises ``PaginationError`` when paging cannot be trusted.
    """
    page = state.next_page
    count = len(ids)
    state.pages_fetched += 1
    if details is not None:
        if details.total_records is not None:
            if state.first_total is None:
                state.first_total = details.total_records
            state.last_total = details.total_records
        if details.total_pages is not None:
            state.total_pages = details.total_pages

    id_tuple = tuple(ids)
    if count and state.previous_ids is not None and id_tuple == state.previous_ids:
        raise PaginationError(
            f"page {page} repeated the records of page {page - 1}: the server seems to ignore "
            "the page parameter, so paging stops here instead of looping",
            method="GET",
            path=path,
        )
    state.previous_ids = id_tuple

    # The common page: every id present, unique, and unseen on the last pages. Set operations
    # decide that at C speed; anything else takes the record-by-record loop below.
    seen_now: set[Hashable] = set(id_tuple)
    if (
        len(seen_now) == count
        and None not in seen_now
        and all(seen_now.isdisjoint(recent) for recent in state.recent_ids)
    ):
        state.recent_ids.append(seen_now)
        state.yielded += count
        return _finish(state, page, count, list(range(count)), path)
    seen_now = set()
    keep: list[int] = []
    for index, record_id in enumerate(ids):
        if record_id is not None:
            if record_id in seen_now or any(record_id in s for s in state.recent_ids):
                state.duplicates_dropped += 1
                continue
            seen_now.add(record_id)
        keep.append(index)
    state.recent_ids.append(seen_now)
    state.yielded += len(keep)
    return _finish(state, page, count, keep, path)


def _finish(state: PaginationState, page: int, count: int, keep: list[int], path: str) -> list[int]:
    """The end of ``accept_page``: is this the last page, and which page comes next."""
    if (
        count == 0
        or count < state.page_size
        or (state.last_total is not None and state.yielded >= state.last_total)
        or (state.total_pages is not None and page >= state.total_pages)
    ):
        state.done = True
        return keep
    if page >= state.max_pages:
        raise PaginationError(
            f"more than {state.max_pages} pages: stopping instead of looping "
            "(raise max_pages if the data really is that large)",
            method="GET",
            path=path,
        )
    state.next_page = page + 1
    return keep


def count_mismatch(state: PaginationState) -> CountMismatch | None:
    """Compare the unique records yielded with what the server said, once iteration ended."""
    if state.last_total is None:
        return None
    if state.yielded == state.last_total and state.first_total == state.last_total:
        return None
    return CountMismatch(
        first_total=state.first_total,
        last_total=state.last_total,
        yielded=state.yielded,
        duplicates_dropped=state.duplicates_dropped,
    )


@attrs.frozen
class EndpointSpec(Generic[P, T]):
    """How one list endpoint pages and decodes. One instance per endpoint, in ``_classes``."""

    path: str
    page_param: str
    size_param: str
    decode: Callable[[dict[str, Any]], P]
    #: Decodes what record iteration needs: the records and paging, not the related objects
    #: that only ``.pages()`` shows (``decode`` where a page has nothing else).
    decode_records: Callable[[dict[str, Any]], P]
    records: Callable[[P], list[T]]
    record_id: Callable[[T], Hashable | None]
    page_details: Callable[[P], PageDetails | None]
    #: ObjectNotFound ("No Data found") means an empty result rather than an error.
    not_found_is_empty: bool
    #: Rebuild a page keeping only some records (used when duplicates are dropped).
    with_records: Callable[[P, list[T]], P]
    #: An empty page, for when ObjectNotFound means "nothing here".
    empty: Callable[[], P]


class Fetch(Protocol):
    """``ZenotiClient._get``: one GET through the client's single request path, decoded."""

    def __call__(
        self,
        path: str,
        params: list[tuple[str, str]],
        page: int | None,
        decode: Callable[[dict[str, Any]], P],
    ) -> Awaitable[P]: ...


class Paginator(Generic[P, T]):
    """The result of an endpoint call: an async iterator of records, with ``.pages()``.

    Nothing is fetched until iteration starts. Each page is read whole and decoded, and its
    connection is back in the pool before the first record of the page is yielded, so a
    ``break`` at any point leaks nothing.

    If a page fails (after retries), the error carries ``page`` and ``records_yielded``, and
    iterating the same ``Paginator`` again resumes at that page; ``start_page=`` does the same
    for a new call.
    """

    def __init__(
        self,
        fetch: Fetch,
        spec: EndpointSpec[P, T],
        query: list[tuple[str, str]],
        *,
        page_size: int,
        start_page: int,
        max_pages: int,
    ) -> None:
        self._fetch = fetch
        self._spec = spec
        self._query = query
        self._state = PaginationState(
            page_size=page_size, next_page=start_page, max_pages=max_pages
        )
        self._buffer: list[T] = []
        self._index = 0
        self._mode: str | None = None
        self._fetching = False
        self.count_mismatch: CountMismatch | None = None

    # -- public read-only state --------------------------------------------------------

    @property
    def next_page(self) -> int | None:
        """The page the next fetch asks for (``None`` once the iteration is complete)."""
        return None if self._state.done else self._state.next_page

    @property
    def records_yielded(self) -> int:
        return self._state.yielded - (len(self._buffer) - self._index)

    @property
    def pages_fetched(self) -> int:
        return self._state.pages_fetched

    @property
    def duplicates_dropped(self) -> int:
        return self._state.duplicates_dropped

    # -- fetching ------------------------------------------------------------------------

    def _page_query(self, page_number: int) -> list[tuple[str, str]]:
        return [
            *self._query,
            (self._spec.page_param, str(page_number)),
            (self._spec.size_param, str(self._state.page_size)),
        ]

    async def _fetch_decoded(self, page_number: int) -> P:
        """Fetch and decode one page, without accepting it (the fan-out prefetches with this).

        A failure carries the page number and the records yielded so far.
        """
        spec = self._spec
        # Records (an iterator's or a fan-out's) or whole pages: decode what will be shown.
        decode = spec.decode if self._mode == "pages" else spec.decode_records
        try:
            return await self._fetch(spec.path, self._page_query(page_number), page_number, decode)
        except ObjectNotFoundError:
            if not spec.not_found_is_empty:
                raise
            return spec.empty()
        except ZenotiError as exc:
            exc.page = page_number
            exc.records_yielded = self.records_yielded
            raise

    def _accept(self, page: P) -> P:
        """Record the page (the next one in order) and drop duplicates of earlier pages."""
        spec = self._spec
        state = self._state
        records = spec.records(page)
        keep = accept_page(
            state, list(map(spec.record_id, records)), spec.page_details(page), path=spec.path
        )
        if len(keep) != len(records):
            page = spec.with_records(page, [records[i] for i in keep])
        if state.done:
            # The dedupe window is only needed between pages: free it now, since a fan-out
            # may hold thousands of finished paginators.
            state.recent_ids.clear()
            state.previous_ids = None
            self.count_mismatch = count_mismatch(state)
            if self.count_mismatch is not None:
                logger.warning("GET %s: %s", spec.path, self.count_mismatch.describe())
        return page

    def _known_last_page(self) -> int | None:
        """The last page, once the server has said how many there are (pages or total)."""
        state = self._state
        if state.total_pages is not None:
            return state.total_pages
        if state.last_total is not None:
            return max(1, -(-state.last_total // state.page_size))
        return None

    async def _fetch_next(self) -> P | None:
        if self._state.done:
            return None
        if self._fetching:
            # Two tasks advancing one iterator would race on the page number and each see
            # half the records: refuse loudly instead.
            raise RuntimeError(
                "this Paginator is already fetching a page for another task: iterate each "
                "Paginator from one task (call the endpoint once per task)"
            )
        self._fetching = True
        try:
            return self._accept(await self._fetch_decoded(self._state.next_page))
        finally:
            self._fetching = False

    def _enter(self, mode: str) -> None:
        if self._mode is not None and self._mode != mode:
            raise RuntimeError("iterate a Paginator either by record or with .pages(), not both")
        self._mode = mode

    # -- record iteration ----------------------------------------------------------------

    def __aiter__(self) -> Paginator[P, T]:
        self._enter("records")
        return self

    async def __anext__(self) -> T:
        while self._index >= len(self._buffer):
            page = await self._fetch_next()
            if page is None:
                raise StopAsyncIteration
            self._buffer = self._spec.records(page)
            self._index = 0
        record = self._buffer[self._index]
        self._index += 1
        return record

    # -- page iteration -----------------------------------------------------------------

    def pages(self) -> AsyncIterator[P]:
        """Iterate whole pages instead of records (with their related objects)."""
        self._enter("pages")
        return _PageIterator(self)

    async def collect(self) -> list[T]:
        """Every record of every page, in order (convenient for small result sets)."""
        return [record async for record in self]


class _PageIterator(Generic[P, T]):
    def __init__(self, paginator: Paginator[P, T]) -> None:
        self._paginator = paginator

    def __aiter__(self) -> _PageIterator[P, T]:
        return self

    async def __anext__(self) -> P:
        page = await self._paginator._fetch_next()
        if page is None:
            raise StopAsyncIteration
        return page
