"""Bodies of normal answers: one page of an endpoint, page_details spellings, error envelopes.

Pure with respect to HTTP (bytes and a status, no aiohttp), cached because a benchmark asks
for the same size-100 page thousands of times. Pages are cached by the query, the paging,
the settings that shape the bytes and the dataset version the endpoint row reports, so a
drift mutation or a settings change never serves stale bytes.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias, get_args

import orjson
from multidict import MultiMapping

from zenoti_async.testing._dataset import Dataset, Wire
from zenoti_async.testing._endpoints import DriftAction, Endpoint, PageDetailsEntry
from zenoti_async.testing._query import (
    CODE_INVALID_DATA,
    CODE_INVALID_INPUT,
    CODE_IO_EXCEPTION,
    CODE_MISSING_INPUT,
    CODE_NOT_FOUND,
    InputError,
    Paging,
    TooManyItemsError,
    parse_paging,
)

__all__ = [
    "CONTRADICTORY_PAGE_DETAILS",
    "ERROR_STATUS_MODES",
    "PAGE_DETAILS_VARIANTS",
    "ErrorStatusMode",
    "PageDetailsVariant",
    "PageRenderer",
    "Rendered",
    "http_status_for_code",
    "page_details",
]

PageDetailsVariant: TypeAlias = Literal[
    "default",
    "page_info",
    "count",
    "camel",
    "null",
    "missing",
    "wrong_echo",
    "lying_total",
]
ErrorStatusMode: TypeAlias = Literal["mapped", "always_200", "code_as_status"]
PAGE_DETAILS_VARIANTS: Final[tuple[str, ...]] = get_args(PageDetailsVariant)
ERROR_STATUS_MODES: Final[tuple[str, ...]] = get_args(ErrorStatusMode)
# Not a spelling but a contradiction: only the PageDetailsAs fault serves it, so "every
# variant yields the exact record set" stays a promise about PAGE_DETAILS_VARIANTS.
CONTRADICTORY_PAGE_DETAILS: Final = ("short_total",)

DEFAULT_MESSAGES: Final = {
    CODE_INVALID_DATA: "Something went wrong.",
    CODE_IO_EXCEPTION: (
        'Something went wrong. Message: "exception_message", StackTrace: "exception_stacktrace".'
    ),
    CODE_NOT_FOUND: "No Data found.",
    CODE_INVALID_INPUT: "Invalid input.",
    CODE_MISSING_INPUT: "Missing input.",
}
_MAPPED_STATUS: Final = {
    CODE_MISSING_INPUT: 400,
    CODE_INVALID_INPUT: 400,
    CODE_NOT_FOUND: 404,
    CODE_IO_EXCEPTION: 500,
    CODE_INVALID_DATA: 500,
}
TOO_MANY_ITEMS_BODY: Final = orjson.dumps(
    {"code": 422, "message": "You cannot request more than 100 items."}
)


def _code_number(code: int | str) -> int | None:
    """The number in a code Zenoti printed as text (``"502 - InvalidInput"``)."""
    if isinstance(code, int):
        return code
    digits = code.strip().split(" ", 1)[0]
    return int(digits) if digits.isdigit() else None


def http_status_for_code(code: int | str, mode: str) -> int:
    """The HTTP status that carries Zenoti body ``code`` under an ``error_status`` mode."""
    if mode == "always_200":
        return 200
    number = _code_number(code)
    if mode == "code_as_status":
        return number if number is not None and 100 <= number <= 599 else 500
    return _MAPPED_STATUS.get(number or 0, 500)


def page_details(variant: str, *, total: int, page: int, size: int) -> PageDetailsEntry:
    """``(present, value)`` of ``page_details`` in one of the plausible spellings."""
    pages = math.ceil(total / size) if total else 0
    if variant == "page_info":
        return True, {"total": total, "page": page, "size": size}
    if variant == "count":
        return True, {"total_count": total, "page_count": pages, "size": size}
    if variant == "camel":
        return True, {
            "totalRecords": total,
            "totalPages": pages,
            "pageSize": size,
            "pageNumber": page,
        }
    if variant == "null":
        return True, None
    if variant == "missing":
        return False, None
    if variant == "wrong_echo":
        # Like the vendor's own sample {"total":1,"page":25,"size":1}: totals right,
        # echoes wrong.
        return True, {
            "total_records": total,
            "total_pages": pages,
            "page_size": 1 if size != 1 else 2,
            "page": page + 24,
        }
    if variant == "lying_total":
        lie = total + 3 * size + 7
        return True, {
            "total_records": lie,
            "total_pages": math.ceil(lie / size),
            "page_size": size,
            "page": page,
        }
    if variant == "short_total":
        # Contradicts the page it comes with: the records served before this page are "all
        # there is", so a client that trusts the totals stops here and loses this page.
        return True, {
            "total_records": (page - 1) * size,
            "total_pages": page - 1,
            "page_size": size,
            "page": page,
        }
    return True, {"total_records": total, "total_pages": pages, "page_size": size, "page": page}


@dataclass(frozen=True, slots=True)
class Rendered:
    """A normal (fault-free) answer, plus what the drift faults need to know about it."""

    status: int
    body: bytes
    endpoint: Endpoint[Any] | None = None
    query: Any = None
    page_ids: tuple[Any, ...] = ()


class _LRU:
    """Least-recently-used cache bounded by entry count and, optionally, by total weight."""

    def __init__(self, size: int, *, max_weight: int | None = None) -> None:
        self.size = size
        self.max_weight = max_weight
        self.weight = 0
        self._data: OrderedDict[object, tuple[Any, int]] = OrderedDict()

    def get(self, key: object) -> Any:
        entry = self._data.get(key)
        if entry is None:
            return None
        self._data.move_to_end(key)
        return entry[0]

    def put(self, key: object, value: Any, weight: int = 0) -> None:
        if self.size <= 0 or (self.max_weight is not None and weight > self.max_weight):
            return
        old = self._data.pop(key, None)
        if old is not None:
            self.weight -= old[1]
        self._data[key] = (value, weight)
        self.weight += weight
        while len(self._data) > self.size or (
            self.max_weight is not None and self.weight > self.max_weight
        ):
            _, (_, dropped) = self._data.popitem(last=False)
            self.weight -= dropped

    def clear(self) -> None:
        self._data.clear()
        self.weight = 0


class PageRenderer:
    """Renders pages of the dataset through the endpoint table, with bounded caches."""

    def __init__(self, dataset: Dataset, *, cache_bytes: int) -> None:
        self.dataset = dataset
        # Rendered pages are bounded by bytes (a size-100 page is ~150 KB); filtered row
        # lists only hold references to shared dicts, so a count bound is enough.
        self._pages = _LRU(100_000, max_weight=cache_bytes)
        self._rows = _LRU(512 if cache_bytes else 0)

    def render(
        self,
        endpoint: Endpoint[Any],
        params: MultiMapping[str],
        *,
        details_variant: str,
        error_status: str,
        replay_after: int | None = None,
    ) -> Rendered:
        """The answer to ``params``; ``replay_after=N`` serves page N for any later page."""
        try:
            paging = parse_paging(params, endpoint.page_param, endpoint.size_param)
            query = endpoint.parse_query(params)
            rows = self._matching_rows(endpoint, query)
        except TooManyItemsError:
            return Rendered(422, TOO_MANY_ITEMS_BODY)
        except InputError as exc:
            return self.render_error(endpoint, exc.code, exc.message, error_status=error_status)
        if replay_after is not None and paging.page > replay_after:
            paging = Paging(max(1, replay_after), paging.size)
        key = (
            endpoint.name,
            query,
            paging,
            details_variant,
            error_status,
            endpoint.version(self.dataset, query),
        )
        cached: Rendered | None = self._pages.get(key)
        if cached is not None:
            return cached
        start = (paging.page - 1) * paging.size
        page_rows = rows[start : start + paging.size]
        if not page_rows and endpoint.empty_page == "not_found":
            rendered = self.render_error(
                endpoint, CODE_NOT_FOUND, "No Data found.", error_status=error_status
            )
        else:
            details = page_details(
                details_variant, total=len(rows), page=paging.page, size=paging.size
            )
            body = endpoint.body(self.dataset, query, page_rows, details)
            rendered = Rendered(
                200, orjson.dumps(body), endpoint, query, tuple(r["id"] for r in page_rows)
            )
        self._pages.put(key, rendered, len(rendered.body))
        return rendered

    def render_error(
        self,
        endpoint: Endpoint[Any],
        code: int | str,
        message: str | None = None,
        status: int | None = None,
        *,
        error_status: str,
    ) -> Rendered:
        """Zenoti's ``error`` object in the endpoint's envelope."""
        default = DEFAULT_MESSAGES.get(_code_number(code) or 0, "Error.")
        error: Wire = {"code": code, "message": message or default}
        if status is None:
            status = http_status_for_code(code, error_status)
        return Rendered(status, orjson.dumps(endpoint.error_envelope(error)), endpoint)

    def apply_drift(self, rendered: Rendered, action: DriftAction, count: int) -> None:
        """Delete or insert ``count`` records at the start of the page just served."""
        targets = rendered.page_ids[:count]
        if not targets or rendered.endpoint is None:
            return
        for record_id in targets:
            rendered.endpoint.drift(self.dataset, rendered.query, action, record_id)

    def clear(self) -> None:
        self._pages.clear()
        self._rows.clear()

    def _matching_rows(self, endpoint: Endpoint[Any], query: Any) -> list[Wire]:
        key = (endpoint.name, query, endpoint.version(self.dataset, query))
        rows: list[Wire] | None = self._rows.get(key)
        if rows is None:
            rows = endpoint.rows(self.dataset, query)
            self._rows.put(key, rows)
        return rows
