"""The page cursor: which page to fetch next, and when paging is over (pure: no I/O, no await).

One cursor follows one paged query. The paginator (one page at a time) and the bulk pull
(several pages of a query fetched at once, accepted in order) both drive a cursor through its
public methods, so there is exactly one place that decides "what page next".

``page_details``' field names are not public, echoed ``page``/``size`` values have been seen
wrong, and totals have been seen to contradict each other. So the page number is tracked here,
on the client side, and paging goes on while any signal says there is more: a full page, a
reported page count not reached yet, a reported record total beyond the pages fetched. It ends
on an empty page, or when no signal says there is more. When the signals disagree with what
was seen, the end reports a ``CountMismatch`` instead of stopping silently on the smaller one.

A server that ignores ``page`` (serving any earlier page again) raises ``PaginationError``
before a repeated record reaches the caller; so does passing the hard page cap.

Records inserted or deleted between page fetches shift the server's offsets: a shifted record
shows up twice (dropped here, by id) or not at all (detected by comparing the unique records
with the reported totals, and reported as a ``CountMismatch``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Sequence

import attrs

from zenoti_async._errors import PaginationError
from zenoti_async.models import PageDetails

DEFAULT_MAX_PAGES = 10_000  # 1,000,000 records at 100 per page: past that, something loops.
# Offset drift moves a record by at most a few pages between fetches: ids are compared with
# the last few pages one by one; older pages are remembered only as a fingerprint of the page.
_DEDUPE_WINDOW_PAGES = 3


@attrs.frozen
class CountMismatch:
    """What the server reported disagrees with what was seen: records may be missing."""

    first_total: int | None  #: total reported on the first page
    last_total: int | None  #: total reported on the last page
    yielded: int  #: unique records yielded
    duplicates_dropped: int
    expected: int | None = None  #: records the last total implies from the first page fetched
    reported_pages: int | None = None  #: page count reported on the last page
    last_page: int | None = None  #: the last page fetched

    def describe(self) -> str:
        if self.first_total != self.last_total:
            said = (
                f"the reported total changed from {self.first_total} to {self.last_total} "
                "during the iteration"
            )
        elif self.expected is not None and self.expected != self.last_total:
            said = f"the server reported {self.last_total} ({self.expected} from the start page)"
        else:
            said = f"the server reported {self.last_total}"
        pages = (
            f"; the server reported {self.reported_pages} pages and page {self.last_page} "
            "was the last one fetched"
            if self.reported_pages is not None and self.reported_pages != self.last_page
            else ""
        )
        return (
            f"{self.yielded} unique records were yielded but {said} "
            f"({self.duplicates_dropped} duplicates dropped){pages}; records were probably "
            "inserted or deleted while paging, or the server's totals are wrong, so some may "
            "be missing: re-run for a consistent set"
        )


class PageCursor:
    """The paging state of one query, and the decisions on it.

    ``accept(page, ids, details)`` records the page that ``next_page`` named and returns the
    indexes of its records to hand on (duplicates of earlier pages left out); ``plan(ahead)``
    names the pages that may be fetched now, concurrently, in the order they must be accepted.
    ``path`` only names the request in errors.
    """

    def __init__(
        self,
        *,
        page_size: int,
        start_page: int = 1,
        max_pages: int = DEFAULT_MAX_PAGES,
        path: str = "",
    ) -> None:
        self._page_size = page_size
        self._start_page = start_page
        self._max_pages = max_pages
        self._path = path
        self._next_page = start_page
        self._done = False
        self._pages_fetched = 0
        self._accepted = 0
        self._duplicates_dropped = 0
        self._first_total: int | None = None
        self._last_total: int | None = None
        self._total_pages: int | None = None
        self._last_filled_page = 0
        self._recent_ids: deque[frozenset[Hashable]] = deque(maxlen=_DEDUPE_WINDOW_PAGES)
        self._page_fingerprints: set[int] = set()
        self._count_mismatch: CountMismatch | None = None

    # -- read-only state -------------------------------------------------------------------

    @property
    def next_page(self) -> int | None:
        """The page to accept next (``None`` once paging is over)."""
        return None if self._done else self._next_page

    @property
    def done(self) -> bool:
        return self._done

    @property
    def page_size(self) -> int:
        return self._page_size

    @property
    def known_last_page(self) -> int | None:
        """The last page that some signal of the server says exists (``None`` until one has).

        The larger of the reported page count and the pages the reported total fills: paging
        goes on while either says there is more, so both pages will be fetched anyway.
        """
        candidates = []
        if self._total_pages is not None:
            candidates.append(self._total_pages)
        if self._last_total is not None:
            candidates.append(-(-self._last_total // self._page_size))
        return max(candidates) if candidates else None

    @property
    def pages_fetched(self) -> int:
        return self._pages_fetched

    @property
    def records_accepted(self) -> int:
        """Unique records accepted so far (duplicates dropped are not counted)."""
        return self._accepted

    @property
    def duplicates_dropped(self) -> int:
        return self._duplicates_dropped

    @property
    def count_mismatch(self) -> CountMismatch | None:
        """Set when paging ended and the server's totals disagree with what was seen."""
        return self._count_mismatch

    # -- decisions -------------------------------------------------------------------------

    def plan(self, ahead: int) -> range:
        """The pages that may be fetched now, at most ``ahead`` of them, starting with
        ``next_page``: more than one only once the server has said how many there are.
        Empty once paging is over. Pages past the real end are harmless: the caller drops them
        when ``done`` turns true before it reaches them.

        Raises ``PaginationError`` when the next page would pass ``max_pages``: the one place
        that decides whether a page may be fetched, for the paginator and the pull alike.
        """
        if self._done:
            return range(0)
        first = self._next_page
        if first > self._max_pages:
            # Raised before the request, so every page fetched so far reached the caller.
            raise PaginationError(
                f"more than {self._max_pages} pages: stopping instead of looping "
                "(raise max_pages if the data really is that large)",
                method="GET",
                path=self._path,
            )
        last = self.known_last_page
        if last is None or last <= first:
            return range(first, first + 1)
        return range(first, min(last, first + max(1, ahead) - 1, self._max_pages) + 1)

    def accept(
        self, page: int, ids: Sequence[Hashable | None], details: PageDetails | None
    ) -> list[int]:
        """Record fetched page ``page`` (it must be ``next_page``) with the ids of its records
        in order, and decide what comes next.

        Returns the indexes of the records to hand on. Raises ``PaginationError`` when the
        page repeats earlier records wholesale (a server ignoring ``page``); ``ValueError``
        when ``page`` is not the page expected.
        """
        if self._done or page != self._next_page:
            raise ValueError(f"page {page} is not the page the cursor expects ({self.next_page})")
        self._pages_fetched += 1
        if details is not None:
            if details.total_records is not None:
                if self._first_total is None:
                    self._first_total = details.total_records
                self._last_total = details.total_records
            if details.total_pages is not None:
                self._total_pages = details.total_pages
        keep = self._unique(page, ids)
        if ids:
            self._last_filled_page = page
        self._accepted += len(keep)
        if self._more_after(page, len(ids)):
            self._next_page = page + 1
        else:
            self._finish(page)
        return keep

    def _unique(self, page: int, ids: Sequence[Hashable | None]) -> list[int]:
        present = frozenset(i for i in ids if i is not None)
        fingerprint = hash(present)
        if present and (
            fingerprint in self._page_fingerprints
            or all(any(i in seen for seen in self._recent_ids) for i in present)
        ):
            # Offset drift repeats a few records, never a whole page of them: this is a server
            # serving an earlier page again. Yielding on would hand the caller repeats or loop.
            raise PaginationError(
                f"page {page} repeated records of earlier pages: the server seems to ignore "
                "the page parameter, so paging stops here instead of repeating records",
                method="GET",
                path=self._path,
            )
        keep: list[int] = []
        seen_now: set[Hashable] = set()
        for index, record_id in enumerate(ids):
            if record_id is not None:
                if record_id in seen_now or any(record_id in s for s in self._recent_ids):
                    self._duplicates_dropped += 1
                    continue
                seen_now.add(record_id)
            keep.append(index)
        if present:
            self._page_fingerprints.add(fingerprint)
        self._recent_ids.append(frozenset(seen_now))
        return keep

    def _more_after(self, page: int, count: int) -> bool:
        """Does any signal say there is a page after ``page``?

        An empty page says there is not, whatever the totals claim (a server out of records
        cannot be paged further). Once the server has reported a total or a page count, those
        decide (a full last page then costs no extra request, and a short page is not the end
        while they say there is more: a server may cap the page size, and records inserted
        while paging push others to later pages); before that, a full page is the only hint.
        """
        if count == 0:
            return False
        if self._total_pages is None and self._last_total is None:
            return count >= self._page_size
        total = self._last_total
        return (
            (self._total_pages is not None and page < self._total_pages)
            or (total is not None and page * self._page_size < total)
            or (total is not None and self._accepted < self._expected(total))
        )

    def _expected(self, total: int) -> int:
        """Records a reported total implies from the start page on."""
        return max(0, total - (self._start_page - 1) * self._page_size)

    def _finish(self, page: int) -> None:
        self._done = True
        # The dedupe memory is only needed between pages: a bulk pull holds many cursors.
        self._recent_ids.clear()
        self._page_fingerprints.clear()
        self._count_mismatch = self._compare(page)

    def _compare(self, last_page: int) -> CountMismatch | None:
        total = self._last_total
        expected = None if total is None else self._expected(total)
        records_agree = total is None or (self._accepted == expected and self._first_total == total)
        # Pages agree when paging reached the reported count and found no records past it
        # (an empty page after the end, or a start page past it, is no disagreement).
        pages_agree = self._total_pages is None or (
            last_page >= self._total_pages and self._last_filled_page <= self._total_pages
        )
        if records_agree and pages_agree:
            return None
        return CountMismatch(
            first_total=self._first_total,
            last_total=total,
            yielded=self._accepted,
            duplicates_dropped=self._duplicates_dropped,
            expected=expected,
            reported_pages=self._total_pages,
            last_page=last_page,
        )
