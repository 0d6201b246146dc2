"""The running mock: its settings, what it remembers, and the order a request goes through.

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
import secrets
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final

import orjson
from aiohttp import web
from multidict import MultiMapping

from zenoti_async.testing._auth import UNAUTHORIZED_BODY, check_authorization
from zenoti_async.testing._dataset import Dataset
from zenoti_async.testing._endpoints import ENDPOINTS, Endpoint, endpoint_at
from zenoti_async.testing._fault_plan import Decision, FaultContext, FaultPlan, FaultRule
from zenoti_async.testing._fault_responses import respond_with_fault
from zenoti_async.testing._faults import Fault, Latency
from zenoti_async.testing._options import MockOptions, OptionError, same_keywords_as
from zenoti_async.testing._ratelimit import RateLimitConfig, TokenBucket
from zenoti_async.testing._recorder import RecordedRequest, Recorder
from zenoti_async.testing._render import (
    ERROR_STATUS_MODES,
    PAGE_DETAILS_VARIANTS,
    ErrorStatusMode,
    PageDetailsVariant,
    PageRenderer,
    Rendered,
)
from zenoti_async.testing._respond import Reply

__all__ = ["MOCK_STATE", "MockState", "build_app", "create_app"]


class MockState:
    """Everything a running mock knows and can be told; shared by the handlers.

    :class:`~zenoti_async.testing.MockZenoti` wraps one of these; an application made with
    :func:`create_app` carries it as ``app[MOCK_STATE]``.
    """

    def __init__(self, options: MockOptions) -> None:
        self.options = options
        self.dataset = Dataset(
            centers=options.centers, seed=options.seed, uniform_sessions=options.uniform_sessions
        )
        self.api_key = options.api_key if options.api_key is not None else secrets.token_hex(16)
        self.bearer_token = options.bearer_token
        rate_limit = options.rate_limit
        if isinstance(rate_limit, int):
            rate_limit = RateLimitConfig(limit=rate_limit)
        self.rate_limiter = TokenBucket(rate_limit) if rate_limit is not None else None
        self.page_details = options.page_details
        self.error_status = options.error_status
        self.faults = options.faults
        self.latency = options.latency
        self.recorder = Recorder(options.max_recorded, on_complete=options.on_request)
        self.renderer = PageRenderer(self.dataset, cache_bytes=options.cache_bytes)

    # ------------------------------------------------------------------ settings

    @property
    def page_details(self) -> PageDetailsVariant:
        return self._page_details

    @page_details.setter
    def page_details(self, value: PageDetailsVariant) -> None:
        if value not in PAGE_DETAILS_VARIANTS:
            raise OptionError("page_details", f"must be one of {', '.join(PAGE_DETAILS_VARIANTS)}")
        self._page_details = value

    @property
    def error_status(self) -> ErrorStatusMode:
        return self._error_status

    @error_status.setter
    def error_status(self, value: ErrorStatusMode) -> None:
        if value not in ERROR_STATUS_MODES:
            raise OptionError("error_status", f"must be one of {', '.join(ERROR_STATUS_MODES)}")
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
        self.renderer.clear()

    # ------------------------------------------------------------------ request handling

    def handler(
        self, endpoint: Endpoint[Any] | None
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handle(request: web.Request) -> web.StreamResponse:
            return await self.handle(request, endpoint)

        return handle

    async def handle(
        self, request: web.Request, endpoint: Endpoint[Any] | None
    ) -> web.StreamResponse:
        record = self.recorder.begin(
            method=request.method,
            path=request.path,
            query=request.query.items(),
            headers=request.headers.items(),
            endpoint=endpoint.name if endpoint is not None else None,
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
        self, request: web.Request, endpoint: Endpoint[Any] | None, record: RecordedRequest
    ) -> web.StreamResponse:
        if self._latency is not None:
            delay = self._latency.sample()
            if delay > 0:
                await asyncio.sleep(delay)

        auth = check_authorization(
            request.headers.get("Authorization"),
            api_key=self.api_key,
            bearer_token=self.bearer_token,
        )
        if auth != "ok":
            record.auth = auth
            headers = self.rate_limiter.peek().headers if self.rate_limiter else {}
            return Reply(request, headers, record).send(401, UNAUTHORIZED_BODY)
        headers = {}
        if self.rate_limiter is not None:
            verdict = self.rate_limiter.acquire()
            headers = verdict.headers
            if not verdict.allowed:
                record.throttled = True
                message = f"Rate limit exceeded. Retry after {verdict.retry_after} seconds."
                body = orjson.dumps({"code": 429, "message": message})
                return Reply(request, headers, record).send(429, body)
        reply = Reply(request, headers, record)
        if endpoint is None:
            return _no_route(reply)

        params = request.query
        # Decided only for requests that reach the API (authenticated, admitted, a known
        # endpoint), so "the nth request" of a rule never lands on a 401, a 429 or a 404.
        decision = self._faults.decide(
            FaultContext(
                number=record.index,
                endpoint=endpoint.name,
                center_id=endpoint.center_of(params),
                page=endpoint.page_param_value(params),
            )
        )
        if decision.delay > 0:
            await asyncio.sleep(decision.delay)
        record.faults.extend(decision.names)
        normal = _NormalAnswer(self, endpoint, params, decision)
        if decision.terminal is not None:
            return await respond_with_fault(decision.terminal, reply, normal)
        rendered = normal.render()
        return reply.send(rendered.status, rendered.body)


class _NormalAnswer:
    """The answer a request would have had, rendered on demand and at most once, so the
    request's drift applies once whether a fault needs the real body or not."""

    def __init__(
        self,
        state: MockState,
        endpoint: Endpoint[Any],
        params: MultiMapping[str],
        decision: Decision,
    ) -> None:
        self._state = state
        self._endpoint = endpoint
        self._params = params
        self._decision = decision
        self._rendered: Rendered | None = None

    def render(self) -> Rendered:
        if self._rendered is None:
            state = self._state
            rendered = state.renderer.render(
                self._endpoint,
                self._params,
                details_variant=self._decision.page_details or state.page_details,
                error_status=state.error_status,
                replay_after=self._decision.replay_after,
            )
            for drift in self._decision.drift:
                state.renderer.apply_drift(rendered, drift.action, drift.count)
            self._rendered = rendered
        return self._rendered

    def render_error(self, code: int | str, message: str | None, status: int | None) -> Rendered:
        return self._state.renderer.render_error(
            self._endpoint, code, message, status, error_status=self._state.error_status
        )


def _no_route(reply: Reply) -> web.Response:
    request = reply.request
    if endpoint_at(request.path) is not None:
        message = f"The requested resource does not support http method '{request.method}'."
        return reply.send(405, orjson.dumps({"Message": message}), extra_headers={"Allow": "GET"})
    message = f"No HTTP resource was found that matches the request URI '{request.path}'."
    return reply.send(404, orjson.dumps({"Message": message}))


MOCK_STATE: Final = web.AppKey("zenoti_mock_state", MockState)


@same_keywords_as(MockOptions)
def create_app(**options: Any) -> web.Application:
    """The mock as an :class:`aiohttp.web.Application`, to mount in your own test server.

    ``app[MOCK_STATE]`` is its :class:`MockState` (API key, dataset, recorded requests,
    faults). Keyword arguments are the fields of :class:`MockOptions` (those of
    :class:`~zenoti_async.testing.MockZenoti` without ``host``, ``port`` and
    ``shutdown_timeout``).
    """
    return build_app(MockState(MockOptions(**options)))


def build_app(state: MockState) -> web.Application:
    app = web.Application()
    app[MOCK_STATE] = state
    for endpoint in ENDPOINTS.values():
        app.router.add_get(endpoint.path, state.handler(endpoint))
    # Everything else is recorded too, and answered like ASP.NET would (404/405).
    app.router.add_route("*", "/{tail:.*}", state.handler(None))
    return app
