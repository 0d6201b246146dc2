"""The aiohttp application of the mock: handlers, envelopes, status mapping, fault wiring.

Choices where the vendor's documentation is silent are made here, once:

* 401 (missing or wrong ``Authorization``) answers ASP.NET's default body
  ``{"Message": "Authorization has been denied for this request."}`` and does not spend a
  rate-limit token (the organisation is not known yet), but carries the headers.
* The rate-limit 429 body is ``{"code": 429, "message": ...}``, the shape of the documented
  422; ``Retry-After`` is whole seconds, rounded up, at least 1.
* ``size``/``page_size`` above 100 is checked first, before any other parameter.
* Errors keep the endpoint's envelope, with ``null`` collections (what a .NET serialiser
  writes), ``opening_time`` as ``0001-01-01T00:00:00`` and ``page_details: null``.
* Sessions: no match is an empty list, never an error; an unknown center is a center with
  no sessions; a page past the end is an empty list with the real totals.
* Packages/memberships: an empty page (no match, or past the last page) is ObjectNotFound.
* Unknown paths answer 404 and wrong methods 405, with ASP.NET-style ``Message`` bodies.
* Order: base latency, auth (401), rate limit (429), route (404/405), then faults. Faults
  only see requests that reached the API, so ``nth`` counts those.
* Without a rate limit configured, no rate-limit headers are sent at all.
"""

from __future__ import annotations

import asyncio
import hmac
import math
import secrets
import socket
import struct
import zlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import lru_cache
from http import HTTPStatus
from typing import Any, Final, Literal, TypeAlias, get_args

import orjson
from aiohttp import web
from multidict import MultiMapping

from zenoti_async.testing._dataset import MIN_DATE, Dataset, Wire
from zenoti_async.testing._faults import (
    ENDPOINTS,
    Decision,
    Drift,
    EmptyBody,
    ErrorBody,
    ErrorResponse,
    Fault,
    FaultContext,
    FaultPlan,
    FaultRule,
    GzipBomb,
    HugeBody,
    InvalidJSON,
    Latency,
    NonObjectJSON,
    RateLimited,
    Redirect,
    ResetBeforeResponse,
    ResetMidBody,
    SlowBody,
    TruncatedJSON,
)
from zenoti_async.testing._query import (
    CODE_INVALID_DATA,
    CODE_INVALID_INPUT,
    CODE_IO_EXCEPTION,
    CODE_MISSING_INPUT,
    CODE_NOT_FOUND,
    InputError,
    ItemQuery,
    Paging,
    SessionQuery,
    TooManyItemsError,
    normalize_guid,
    parse_memberships,
    parse_packages,
    parse_sessions,
)
from zenoti_async.testing._ratelimit import RateLimitConfig, TokenBucket
from zenoti_async.testing._recorder import RecordedRequest, Recorder

__all__ = [
    "ERROR_STATUS_MODES",
    "MOCK_STATE",
    "PAGE_DETAILS_VARIANTS",
    "ErrorStatusMode",
    "MockState",
    "PageDetailsVariant",
    "create_app",
    "http_status_for_code",
]

PageDetailsVariant: TypeAlias = Literal[
    "default", "page_info", "count", "camel", "null", "missing", "wrong_echo", "lying_total"
]
ErrorStatusMode: TypeAlias = Literal["mapped", "always_200", "code_as_status"]
PAGE_DETAILS_VARIANTS: Final[tuple[str, ...]] = get_args(PageDetailsVariant)
ERROR_STATUS_MODES: Final[tuple[str, ...]] = get_args(ErrorStatusMode)

PATHS: Final = {f"/v1/classes/{name}": name for name in ENDPOINTS}
JSON_TYPE: Final = "application/json; charset=utf-8"

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
UNAUTHORIZED_BODY: Final = orjson.dumps(
    {"Message": "Authorization has been denied for this request."}
)
_MEGABYTE: Final = 1024 * 1024


def http_status_for_code(code: int, mode: str) -> int:
    """The HTTP status that carries Zenoti body ``code`` under an ``error_status`` mode."""
    if mode == "always_200":
        return 200
    if mode == "code_as_status":
        return code
    return _MAPPED_STATUS.get(code, 500)


def page_details(
    variant: str, *, total: int, page: int, size: int
) -> tuple[bool, dict[str, int] | None]:
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
    return True, {"total_records": total, "total_pages": pages, "page_size": size, "page": page}


@dataclass(frozen=True, slots=True)
class _Rendered:
    """A normal (fault-free) answer, plus what the drift faults need to know about it."""

    status: int
    body: bytes
    endpoint: str | None = None
    center_id: str | None = None
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


def _error_envelope(endpoint: str, error: Wire) -> Wire:
    if endpoint == "sessions":
        return {
            "sessions": None,
            "classes": None,
            "instructors": None,
            "categories": None,
            "rooms": None,
            "levels": None,
            "opening_time": MIN_DATE,
            "page_details": None,
            "error": error,
        }
    return {"error": error, endpoint: None, "page_details": None}


class MockState:
    """Everything a running mock knows and can be told; shared by the handlers.

    :class:`~zenoti_async.testing.MockZenoti` wraps one of these; an application made with
    :func:`create_app` carries it as ``app[MOCK_STATE]``.
    """

    def __init__(
        self,
        *,
        centers: int = 300,
        seed: int = 7,
        uniform_sessions: int | None = None,
        api_key: str | None = None,
        bearer_token: str | None = None,
        rate_limit: RateLimitConfig | int | None = None,
        page_details: PageDetailsVariant = "default",
        error_status: ErrorStatusMode = "mapped",
        faults: FaultPlan | Iterable[Fault | FaultRule] | None = None,
        latency: Latency | float | None = None,
        max_recorded: int | None = 100_000,
        cache_bytes: int = 64 * 1024 * 1024,
        on_request: Callable[[RecordedRequest], None] | None = None,
    ) -> None:
        self.dataset = Dataset(centers=centers, seed=seed, uniform_sessions=uniform_sessions)
        self.api_key = api_key if api_key is not None else secrets.token_hex(16)
        self.bearer_token = bearer_token
        if isinstance(rate_limit, int):
            rate_limit = RateLimitConfig(limit=rate_limit)
        self.rate_limiter = TokenBucket(rate_limit) if rate_limit is not None else None
        self.page_details = page_details
        self.error_status = error_status
        self.faults = faults
        self.latency = latency
        self.recorder = Recorder(max_recorded, on_complete=on_request)
        # Rendered pages are bounded by bytes (a size-100 page is ~150 KB); filtered row
        # lists only hold references to shared dicts, so a count bound is enough.
        self._pages = _LRU(100_000, max_weight=cache_bytes)
        self._rows = _LRU(512 if cache_bytes else 0)

    # ------------------------------------------------------------------ settings

    @property
    def page_details(self) -> PageDetailsVariant:
        return self._page_details

    @page_details.setter
    def page_details(self, value: PageDetailsVariant) -> None:
        if value not in PAGE_DETAILS_VARIANTS:
            raise ValueError(f"page_details must be one of {PAGE_DETAILS_VARIANTS}")
        self._page_details = value

    @property
    def error_status(self) -> ErrorStatusMode:
        return self._error_status

    @error_status.setter
    def error_status(self, value: ErrorStatusMode) -> None:
        if value not in ERROR_STATUS_MODES:
            raise ValueError(f"error_status must be one of {ERROR_STATUS_MODES}")
        self._error_status = value

    @property
    def faults(self) -> FaultPlan:
        return self._faults

    @faults.setter
    def faults(self, value: FaultPlan | Iterable[Fault | FaultRule] | None) -> None:
        if value is None:
            value = FaultPlan()
        elif not isinstance(value, FaultPlan):
            value = FaultPlan(value)
        self._faults = value

    @property
    def latency(self) -> Latency | None:
        return self._latency

    @latency.setter
    def latency(self, value: Latency | float | None) -> None:
        self._latency = Latency.fixed(value) if isinstance(value, int | float) else value

    # ------------------------------------------------------------------ runtime API

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.recorder.requests

    @property
    def in_flight(self) -> int:
        return self.recorder.in_flight

    @property
    def max_in_flight(self) -> int:
        return self.recorder.max_in_flight

    @property
    def auth_headers(self) -> dict[str, str]:
        """Headers a raw HTTP client needs: ``{"Authorization": "apikey <key>"}``."""
        return {"Authorization": f"apikey {self.api_key}"}

    def inject(
        self,
        fault: Fault,
        *,
        endpoint: str | None = None,
        center_id: str | None = None,
        page: int | None = None,
        nth: int | Iterable[int] | None = None,
        probability: float = 1.0,
        times: int | None = None,
    ) -> FaultRule:
        """Add a rule to the current fault plan; returns it (its ``fired`` counts hits)."""
        return self._faults.add(
            fault,
            endpoint=endpoint,
            center_id=center_id,
            page=page,
            nth=nth if nth is None or isinstance(nth, int) else frozenset(nth),
            probability=probability,
            times=times,
        )

    def clear_faults(self) -> None:
        self._faults = FaultPlan(seed=self._faults.seed)

    def reset(self) -> None:
        """Forget recorded requests, refill the bucket, rewind the faults, undo drift."""
        self.recorder.reset()
        if self.rate_limiter is not None:
            self.rate_limiter.reset()
        self._faults.reset()
        if self._latency is not None:
            self._latency.reset()
        self.dataset.reset()
        self._pages.clear()
        self._rows.clear()

    # ------------------------------------------------------------------ request handling

    def handler(
        self, endpoint: str | None
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handle(request: web.Request) -> web.StreamResponse:
            return await self.handle(request, endpoint)

        return handle

    async def handle(self, request: web.Request, endpoint: str | None) -> web.StreamResponse:
        record = self.recorder.begin(
            method=request.method,
            path=request.path,
            query=request.query.items(),
            headers=request.headers.items(),
            endpoint=endpoint,
            remote=request.remote,
        )
        try:
            response = await self._serve(request, endpoint, record)
            if not record.dropped:
                record.status = response.status
            return response
        finally:
            self.recorder.end(record)

    async def _serve(
        self, request: web.Request, endpoint: str | None, record: RecordedRequest
    ) -> web.StreamResponse:
        params = request.query
        if self._latency is not None:
            delay = self._latency.sample()
            if delay > 0:
                await asyncio.sleep(delay)

        auth = self._check_auth(request.headers.get("Authorization"))
        if auth != "ok":
            record.auth = auth
            headers = self.rate_limiter.peek().headers if self.rate_limiter else {}
            return self._bytes(401, UNAUTHORIZED_BODY, headers, record)
        headers = {}
        if self.rate_limiter is not None:
            verdict = self.rate_limiter.acquire()
            headers = verdict.headers
            if not verdict.allowed:
                record.throttled = True
                body = orjson.dumps(
                    {
                        "code": 429,
                        "message": (
                            f"Rate limit exceeded. Retry after {verdict.retry_after} seconds."
                        ),
                    }
                )
                return self._bytes(429, body, headers, record)

        if endpoint is None:
            return self._no_route(request, headers, record)

        # Decided only for requests that reach the API (authenticated, admitted, a known
        # endpoint), so "the nth request" of a rule never lands on a 401, a 429 or a 404.
        decision = self._faults.decide(
            FaultContext(
                number=record.index,
                endpoint=endpoint,
                center_id=_peek_center(params) if endpoint == "sessions" else None,
                page=_peek_page(params, endpoint),
            )
        )
        if decision.delay > 0:
            await asyncio.sleep(decision.delay)
        record.faults.extend(decision.names)
        if decision.terminal is not None:
            return await self._terminal(request, endpoint, decision, headers, record)
        rendered = self._render(endpoint, params, ignore_page=decision.ignore_page)
        response = self._bytes(rendered.status, rendered.body, headers, record)
        for drift in decision.drift:
            self._drift(rendered, drift)
        return response

    def _check_auth(self, header: str | None) -> str:
        if not header or not header.strip():
            return "missing"
        scheme, _, text = header.strip().partition(" ")
        scheme = scheme.lower()
        # Compared as bytes: compare_digest refuses non-ASCII str, and a stray byte in a
        # header must be a 401, not a 500.
        credential = text.strip().encode("utf-8", "surrogateescape")
        if scheme == "apikey" and hmac.compare_digest(credential, self.api_key.encode()):
            return "ok"
        if (
            scheme == "bearer"
            and self.bearer_token is not None
            and hmac.compare_digest(credential, self.bearer_token.encode())
        ):
            return "ok"
        return "invalid"

    def _bytes(
        self,
        status: int,
        body: bytes,
        headers: dict[str, str],
        record: RecordedRequest,
        content_type: str = JSON_TYPE,
    ) -> web.Response:
        record.response_bytes = len(body)
        response = web.Response(status=status, body=body, headers=headers)
        response.headers["Content-Type"] = content_type
        return response

    def _no_route(
        self, request: web.Request, headers: dict[str, str], record: RecordedRequest
    ) -> web.Response:
        if request.path in PATHS:
            body = orjson.dumps(
                {
                    "Message": (
                        f"The requested resource does not support http method '{request.method}'."
                    )
                }
            )
            response = self._bytes(405, body, headers, record)
            response.headers["Allow"] = "GET"
            return response
        body = orjson.dumps(
            {
                "Message": (
                    f"No HTTP resource was found that matches the request URI '{request.path}'."
                )
            }
        )
        return self._bytes(404, body, headers, record)

    # ------------------------------------------------------------------ rendering

    def _render(
        self, endpoint: str, params: MultiMapping[str], *, ignore_page: bool = False
    ) -> _Rendered:
        try:
            if endpoint == "sessions":
                query, paging = parse_sessions(params)
                if ignore_page:
                    paging = Paging(1, paging.size)
                return self._render_sessions(query, paging)
            if endpoint == "packages":
                item_query, paging = parse_packages(params)
            else:
                item_query, paging = parse_memberships(params)
            if ignore_page:
                paging = Paging(1, paging.size)
            return self._render_items(endpoint, item_query, paging)
        except TooManyItemsError:
            return _Rendered(422, TOO_MANY_ITEMS_BODY)
        except InputError as exc:
            return self._render_error(endpoint, exc.code, exc.message)

    def _render_error(
        self, endpoint: str, code: int, message: str | None = None, status: int | None = None
    ) -> _Rendered:
        error = {"code": code, "message": message or DEFAULT_MESSAGES.get(code, "Error.")}
        if status is None:
            status = http_status_for_code(code, self._error_status)
        return _Rendered(status, orjson.dumps(_error_envelope(endpoint, error)), endpoint)

    def _render_sessions(self, query: SessionQuery, paging: Paging) -> _Rendered:
        version = self.dataset.center_version(query.center_id)
        key = ("sessions", query, paging, self._page_details, version)
        cached: _Rendered | None = self._pages.get(key)
        if cached is not None:
            return cached
        rows_key = (query, version)
        rows: list[Wire] | None = self._rows.get(rows_key)
        if rows is None:
            rows = self.dataset.query_sessions(query)
            self._rows.put(rows_key, rows)
        start = (paging.page - 1) * paging.size
        page_rows = rows[start : start + paging.size]
        body: Wire = {"sessions": page_rows}
        body.update(self.dataset.related_objects(query.center_id, page_rows))
        body["opening_time"] = self.dataset.opening_time(query)
        present, details = page_details(
            self._page_details, total=len(rows), page=paging.page, size=paging.size
        )
        if present:
            body["page_details"] = details
        body["error"] = None
        rendered = _Rendered(
            200,
            orjson.dumps(body),
            "sessions",
            query.center_id,
            tuple(r["id"] for r in page_rows),
        )
        self._pages.put(key, rendered, len(rendered.body))
        return rendered

    def _render_items(self, endpoint: str, query: ItemQuery, paging: Paging) -> _Rendered:
        key = (
            endpoint,
            query,
            paging,
            self._page_details,
            self._error_status,
            self.dataset.org_version,
        )
        cached: _Rendered | None = self._pages.get(key)
        if cached is not None:
            return cached
        if endpoint == "packages":
            rows = self.dataset.query_packages(query)
        else:
            rows = self.dataset.query_memberships(query)
        start = (paging.page - 1) * paging.size
        page_rows = rows[start : start + paging.size]
        if not page_rows:
            rendered = self._render_error(endpoint, CODE_NOT_FOUND, "No Data found.")
        else:
            body: Wire = {"error": None, endpoint: page_rows}
            present, details = page_details(
                self._page_details, total=len(rows), page=paging.page, size=paging.size
            )
            if present:
                body["page_details"] = details
            rendered = _Rendered(
                200, orjson.dumps(body), endpoint, None, tuple(r["id"] for r in page_rows)
            )
        self._pages.put(key, rendered, len(rendered.body))
        return rendered

    def _drift(self, rendered: _Rendered, drift: Drift) -> None:
        targets = rendered.page_ids[: drift.count]
        if not targets or rendered.endpoint is None:
            return
        if rendered.endpoint == "sessions":
            assert rendered.center_id is not None
            for session_id in targets:
                if drift.action == "delete":
                    self.dataset.delete_session(rendered.center_id, session_id)
                else:
                    self.dataset.insert_session_before(rendered.center_id, session_id)
        else:
            for item_id in targets:
                if drift.action == "delete":
                    self.dataset.delete_item(rendered.endpoint, item_id)
                else:
                    self.dataset.insert_item_before(rendered.endpoint, item_id)

    # ------------------------------------------------------------------ terminal faults

    async def _terminal(
        self,
        request: web.Request,
        endpoint: str,
        decision: Decision,
        headers: dict[str, str],
        record: RecordedRequest,
    ) -> web.StreamResponse:
        fault = decision.terminal
        if isinstance(fault, RateLimited):
            headers = dict(headers)
            if fault.retry_after is not None:
                if fault.http_date:
                    when = datetime.now(UTC) + timedelta(seconds=fault.retry_after)
                    headers["Retry-After"] = format_datetime(when, usegmt=True)
                else:
                    headers["Retry-After"] = str(max(0, math.ceil(fault.retry_after)))
            else:
                headers.pop("Retry-After", None)
            body = orjson.dumps({"code": 429, "message": "Rate limit exceeded."})
            return self._bytes(429, body, headers, record)
        if isinstance(fault, ErrorResponse):
            return self._error_response(fault, headers, record)
        if isinstance(fault, ResetBeforeResponse):
            _drop(request, rst=fault.rst)
            record.dropped = True
            return web.Response()
        if isinstance(fault, NonObjectJSON):
            return self._bytes(200, fault.body, headers, record)
        if isinstance(fault, EmptyBody):
            return self._bytes(fault.status, b"", headers, record)
        if isinstance(fault, ErrorBody):
            rendered = self._render_error(endpoint, fault.code, fault.message, fault.status)
            return self._bytes(rendered.status, rendered.body, headers, record)
        if isinstance(fault, Redirect):
            location = fault.location or f"https://redirect.zenoti-mock.invalid{request.path_qs}"
            response = self._bytes(fault.status, b"", headers, record, "text/html")
            response.headers["Location"] = location
            return response
        if isinstance(fault, GzipBomb):
            body = _gzip_bomb(fault.inflated_size)
            response = self._bytes(200, body, headers, record)
            response.headers["Content-Encoding"] = "gzip"
            return response

        rendered = self._render(endpoint, request.query, ignore_page=decision.ignore_page)
        for drift in decision.drift:
            self._drift(rendered, drift)
        if isinstance(fault, InvalidJSON):
            body = fault.body if fault.body is not None else _corrupt(rendered.body)
            return self._bytes(rendered.status, body, headers, record)
        if isinstance(fault, TruncatedJSON):
            cut = rendered.body[: int(len(rendered.body) * fault.fraction)]
            if fault.honest_length:
                return self._bytes(rendered.status, cut, headers, record)
            return await self._stream_then_drop(request, rendered, cut, headers, record, rst=False)
        if isinstance(fault, ResetMidBody):
            cut = rendered.body[: int(len(rendered.body) * fault.fraction)]
            return await self._stream_then_drop(
                request, rendered, cut, headers, record, rst=fault.rst
            )
        if isinstance(fault, SlowBody):
            return await self._trickle(request, rendered, fault, headers, record)
        if isinstance(fault, HugeBody):
            return await self._huge(request, rendered, fault, headers, record)
        raise TypeError(f"unsupported fault {fault!r}")  # pragma: no cover

    def _error_response(
        self, fault: ErrorResponse, headers: dict[str, str], record: RecordedRequest
    ) -> web.Response:
        try:
            reason = HTTPStatus(fault.status).phrase
        except ValueError:
            reason = "Error"
        headers = dict(headers)
        if fault.retry_after is not None:
            headers["Retry-After"] = str(max(0, math.ceil(fault.retry_after)))
        if fault.body == "json":
            message = "An error has occurred." if fault.status == 500 else reason
            return self._bytes(fault.status, orjson.dumps({"Message": message}), headers, record)
        if fault.body == "html":
            html = (
                f"<html>\r\n<head><title>{fault.status} {reason}</title></head>\r\n<body>\r\n"
                f"<center><h1>{fault.status} {reason}</h1></center>\r\n"
                "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            )
            return self._bytes(fault.status, html.encode(), headers, record, "text/html")
        if fault.body == "text":
            return self._bytes(
                fault.status, reason.encode(), headers, record, "text/plain; charset=utf-8"
            )
        return self._bytes(fault.status, b"", headers, record, "text/html")

    async def _stream_then_drop(
        self,
        request: web.Request,
        rendered: _Rendered,
        part: bytes,
        headers: dict[str, str],
        record: RecordedRequest,
        *,
        rst: bool,
    ) -> web.StreamResponse:
        response = web.StreamResponse(status=rendered.status, headers=headers)
        response.content_type = "application/json"
        response.charset = "utf-8"
        response.content_length = len(rendered.body)
        await response.prepare(request)
        await response.write(part)
        record.response_bytes = len(part)
        record.status = rendered.status
        record.dropped = True
        _drop(request, rst=rst)
        return response

    async def _trickle(
        self,
        request: web.Request,
        rendered: _Rendered,
        fault: SlowBody,
        headers: dict[str, str],
        record: RecordedRequest,
    ) -> web.StreamResponse:
        response = web.StreamResponse(status=rendered.status, headers=headers)
        response.content_type = "application/json"
        response.charset = "utf-8"
        response.content_length = len(rendered.body)
        await response.prepare(request)
        step = max(1, fault.chunk_size)
        for offset in range(0, len(rendered.body), step):
            if offset:
                await asyncio.sleep(fault.delay)
            await response.write(rendered.body[offset : offset + step])
        record.response_bytes = len(rendered.body)
        await response.write_eof()
        return response

    async def _huge(
        self,
        request: web.Request,
        rendered: _Rendered,
        fault: HugeBody,
        headers: dict[str, str],
        record: RecordedRequest,
    ) -> web.StreamResponse:
        body = rendered.body
        head = b'{"_padding":"'
        tail = b'",' + body[1:] if body.startswith(b"{") and len(body) > 2 else b'"}'
        padding = max(0, fault.size - len(head) - len(tail))
        response = web.StreamResponse(status=rendered.status, headers=headers)
        response.content_type = "application/json"
        response.charset = "utf-8"
        if fault.chunked:
            response.enable_chunked_encoding()
        else:
            response.content_length = len(head) + padding + len(tail)
        await response.prepare(request)
        await response.write(head)
        block = b"x" * min(_MEGABYTE, padding)
        remaining = padding
        while remaining > 0:
            chunk = block[: min(remaining, len(block))]
            await response.write(chunk)
            remaining -= len(chunk)
        await response.write(tail)
        record.response_bytes = len(head) + padding + len(tail)
        await response.write_eof()
        return response


MOCK_STATE: Final = web.AppKey("zenoti_mock_state", MockState)


def _peek_center(params: MultiMapping[str]) -> str | None:
    raw = params.get("center_id")
    return normalize_guid(raw) if raw else None


def _peek_page(params: MultiMapping[str], endpoint: str) -> int | None:
    raw = params.get("page_number" if endpoint == "memberships" else "page")
    if raw is None or not raw.strip():
        return 1
    try:
        return int(raw)
    except ValueError:
        return None


def _drop(request: web.Request, *, rst: bool) -> None:
    """Close the connection under the response: FIN by default, RST with ``rst``."""
    transport = request.transport
    if transport is None:
        return
    if rst:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        transport.close()


def _corrupt(body: bytes) -> bytes:
    # A single-quoted key: a classic of hand-built "JSON", rejected by every strict parser.
    if body.startswith(b'{"'):
        return b"{'" + body[2:]
    return b"<!-- not json -->" + body


@lru_cache(maxsize=4)
def _gzip_bomb(inflated_size: int) -> bytes:
    """Gzip of a valid JSON object padded with whitespace up to ``inflated_size`` bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    head, tail = b'{"sessions":[],', b'"error":null}'
    parts = [compressor.compress(head)]
    block = b" " * _MEGABYTE
    remaining = max(0, inflated_size - len(head) - len(tail))
    while remaining > 0:
        chunk = block[: min(remaining, _MEGABYTE)]
        parts.append(compressor.compress(chunk))
        remaining -= len(chunk)
    parts.append(compressor.compress(tail))
    parts.append(compressor.flush())
    return b"".join(parts)


def create_app(
    *,
    centers: int = 300,
    seed: int = 7,
    uniform_sessions: int | None = None,
    api_key: str | None = None,
    bearer_token: str | None = None,
    rate_limit: RateLimitConfig | int | None = None,
    page_details: PageDetailsVariant = "default",
    error_status: ErrorStatusMode = "mapped",
    faults: FaultPlan | Iterable[Fault | FaultRule] | None = None,
    latency: Latency | float | None = None,
    max_recorded: int | None = 100_000,
    cache_bytes: int = 64 * 1024 * 1024,
    on_request: Callable[[RecordedRequest], None] | None = None,
) -> web.Application:
    """The mock as an :class:`aiohttp.web.Application`, to mount in your own test server.

    ``app[MOCK_STATE]`` is its :class:`MockState` (API key, dataset, recorded requests,
    faults). Arguments are those of :class:`~zenoti_async.testing.MockZenoti`.
    """
    state = MockState(
        centers=centers,
        seed=seed,
        uniform_sessions=uniform_sessions,
        api_key=api_key,
        bearer_token=bearer_token,
        rate_limit=rate_limit,
        page_details=page_details,
        error_status=error_status,
        faults=faults,
        latency=latency,
        max_recorded=max_recorded,
        cache_bytes=cache_bytes,
        on_request=on_request,
    )
    return build_app(state)


def build_app(state: MockState) -> web.Application:
    app = web.Application()
    app[MOCK_STATE] = state
    for path, endpoint in PATHS.items():
        app.router.add_get(path, state.handler(endpoint))
    # Everything else is recorded too, and answered like ASP.NET would (404/405).
    app.router.add_route("*", "/{tail:.*}", state.handler(None))
    return app
