"""The lazy iterator over the pages of one query, driven by the pure ``PageCursor``.

It adds to the cursor what needs the event loop: sending each page's request through the
client's one request path, turning ObjectNotFound into an empty page, stamping errors with the
page and the records yielded, and logging a count mismatch once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from typing import Any, Generic, Protocol, TypeVar

import attrs

from zenoti_async._errors import ObjectNotFoundError, ZenotiError
from zenoti_async._sansio.paging import DEFAULT_MAX_PAGES, CountMismatch, PageCursor
from zenoti_async._sansio.request import Request
from zenoti_async.models import PageDetails

__all__ = [
    "DEFAULT_MAX_PAGES",
    "CountMismatch",
    "EndpointSpec",
    "Paginator",
    "Send",
    "accept_page",
    "fetch_page",
]

logger = logging.getLogger("zenoti_async")

P = TypeVar("P")  # a decoded page (SessionsPage, PackagesPage, MembershipsPage)
T = TypeVar("T")  # one record of a page
R = TypeVar("R")


class Send(Protocol):
    """``ZenotiClient._send``: the client's one request path (retries, rate limit, errors)."""

    def __call__(self, request: Request, decode: Callable[[dict[str, Any]], R]) -> Awaitable[R]: ...


@attrs.frozen
class EndpointSpec(Generic[P, T]):
    """How one list endpoint pages and decodes. One per endpoint, in ``_resources``."""

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

    def request(
        self, query: list[tuple[str, str]], page: int, page_size: int, *, bulk: bool = False
    ) -> Request:
        """The request for page ``page`` of ``query``."""
        return Request.get(
            self.path,
            [*query, (self.page_param, str(page)), (self.size_param, str(page_size))],
            page=page,
            bulk=bulk,
        )


async def fetch_page(
    send: Send, spec: EndpointSpec[P, Any], request: Request, decode: Callable[[dict[str, Any]], P]
) -> P:
    """Send one page's request; ObjectNotFound is an empty page where the endpoint says so."""
    try:
        return await send(request, decode)
    except ObjectNotFoundError:
        if not spec.not_found_is_empty:
            raise
        return spec.empty()


def accept_page(cursor: PageCursor, spec: EndpointSpec[P, T], page_number: int, page: P) -> P:
    """Let ``cursor`` accept ``page``; the page without the records it dropped as duplicates.

    Logs the count mismatch, if any, once paging is over."""
    records = spec.records(page)
    keep = cursor.accept(page_number, [spec.record_id(r) for r in records], spec.page_details(page))
    if len(keep) != len(records):
        page = spec.with_records(page, [records[i] for i in keep])
    if cursor.count_mismatch is not None:
        logger.warning("GET %s: %s", spec.path, cursor.count_mismatch.describe())
    return page


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
        send: Send,
        spec: EndpointSpec[P, T],
        query: list[tuple[str, str]],
        *,
        page_size: int,
        start_page: int,
        max_pages: int,
    ) -> None:
        self._send = send
        self._spec = spec
        self._query = query
        self._cursor = PageCursor(
            page_size=page_size, start_page=start_page, max_pages=max_pages, path=spec.path
        )
        self._buffer: list[T] = []
        self._index = 0
        self._mode: str | None = None
        self._fetching = False

    # -- public read-only state --------------------------------------------------------

    @property
    def next_page(self) -> int | None:
        """The page the next fetch asks for (``None`` once the iteration is complete)."""
        return self._cursor.next_page

    @property
    def records_yielded(self) -> int:
        return self._cursor.records_accepted - (len(self._buffer) - self._index)

    @property
    def pages_fetched(self) -> int:
        return self._cursor.pages_fetched

    @property
    def duplicates_dropped(self) -> int:
        return self._cursor.duplicates_dropped

    @property
    def count_mismatch(self) -> CountMismatch | None:
        """Set when the iteration ended and the server's totals disagree with what was seen
        (also logged as one WARNING on the ``zenoti_async`` logger)."""
        return self._cursor.count_mismatch

    # -- fetching ------------------------------------------------------------------------

    async def _fetch_next(self) -> P | None:
        cursor = self._cursor
        page_number = cursor.next_page
        if page_number is None:
            return None
        try:
            cursor.plan(1)  # the page cap: raised before the request
        except ZenotiError as exc:
            exc.page = page_number
            exc.records_yielded = self.records_yielded
            raise
        if self._fetching:
            # Two tasks advancing one iterator would race on the page number and each see
            # half the records: refuse loudly instead.
            raise RuntimeError(
                "this Paginator is already fetching a page for another task: iterate each "
                "Paginator from one task (call the endpoint once per task)"
            )
        self._fetching = True
        spec = self._spec
        # Records or whole pages: decode what will be shown.
        decode = spec.decode if self._mode == "pages" else spec.decode_records
        try:
            request = spec.request(self._query, page_number, cursor.page_size)
            page = await fetch_page(self._send, spec, request, decode)
            return accept_page(cursor, spec, page_number, page)
        except ZenotiError as exc:
            exc.page = page_number
            exc.records_yielded = self.records_yielded
            raise
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
