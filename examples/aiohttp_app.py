"""aiohttp.web: one ZenotiClient for the whole application, owned by a ``cleanup_ctx``.

The same service as ``fastapi_app.py``, with no dependency beyond the SDK's own:

- ``zenoti_ctx`` creates the client when the application starts (inside the server's loop)
  and closes it when the application stops: one pool and one rate limiter for every request.
- ``/centers/{id}/sessions`` returns one page through a fail-fast ``with_options()`` view;
  ``/centers/{id}/sessions.jsonl`` streams every session as JSON Lines, page by page;
  ``/healthz`` reports ``client.stats()``.
- A middleware turns SDK errors into gateway statuses (502, 503 with ``Retry-After``, 504).
- ``handler_cancellation=True``: a caller who hangs up cancels the SDK call in flight.

Run it::

    ZENOTI_API_KEY=... python -m examples.aiohttp_app --port 8000

or against the bundled mock (``zenoti-async mock-server --port 8080`` prints a key)::

    ZENOTI_API_KEY=<key> ZENOTI_BASE_URL=http://127.0.0.1:8080 ZENOTI_ALLOW_HTTP=1 \\
        python -m examples.aiohttp_app
"""

from __future__ import annotations

import argparse
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import date
from typing import Any

import attrs
import orjson
from aiohttp import web

from zenoti_async import (
    ClientStateError,
    RateLimitError,
    RequestTimeoutError,
    RetryPolicy,
    ZenotiClient,
    ZenotiError,
)
from zenoti_async.models import Session

JSONL = "application/x-ndjson"
#: For endpoints a person waits on: two quick attempts, not two minutes of retries.
INTERACTIVE_RETRY = RetryPolicy(attempts=2, timeout=10.0, wait_initial=0.2, wait_max=1.0)
INTERACTIVE_TIMEOUT = 5.0

ZENOTI = web.AppKey("zenoti", ZenotiClient)
INTERACTIVE = web.AppKey("zenoti_interactive", ZenotiClient)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def create_app(**client_options: Any) -> web.Application:
    """The application; ``client_options`` go to ``ZenotiClient`` (default: the environment)."""

    async def zenoti_ctx(app: web.Application) -> AsyncIterator[None]:
        async with ZenotiClient(**client_options) as client:
            app[ZENOTI] = client
            # A view, not a new client: same pool and limiter, its own timeout and retries.
            app[INTERACTIVE] = client.with_options(
                timeout=INTERACTIVE_TIMEOUT, retry=INTERACTIVE_RETRY
            )
            yield

    app = web.Application(middlewares=[zenoti_errors])
    app.cleanup_ctx.append(zenoti_ctx)
    app.router.add_get("/centers/{center_id}/sessions", sessions_page)
    app.router.add_get("/centers/{center_id}/sessions.jsonl", sessions_stream)
    app.router.add_get("/healthz", healthz)
    return app


# -- endpoints -------------------------------------------------------------------------------


def _int(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise _unprocessable(f"{name} must be an integer from {low} to {high}")
    return value


def _date(request: web.Request, name: str) -> date | None:
    raw = request.query.get(name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _unprocessable(f"{name} must be a date (YYYY-MM-DD)") from None


def _unprocessable(detail: str) -> web.HTTPUnprocessableEntity:
    return web.HTTPUnprocessableEntity(
        text=orjson.dumps({"detail": detail}).decode(), content_type="application/json"
    )


async def sessions_page(request: web.Request) -> web.Response:
    """One page of a center's sessions, with the number of the next page (or null)."""
    client = request.app[INTERACTIVE]
    page = _int(request, "page", 1, 1, 1_000_000)
    try:
        paginator = client.classes.sessions(
            center_id=request.match_info["center_id"],
            start_date=_date(request, "start_date"),
            end_date=_date(request, "end_date"),
            page_size=_int(request, "page_size", 100, 1, 100),
            start_page=page,
        )
    except ValueError as exc:  # the SDK checks every parameter before sending anything
        raise _unprocessable(str(exc)) from exc
    first = await anext(paginator.pages(), None)
    body = {
        "center_id": request.match_info["center_id"],
        "page": page,
        "next_page": paginator.next_page,
        "sessions": [session_dict(s) for s in first.sessions] if first is not None else [],
    }
    return web.Response(body=orjson.dumps(body), content_type="application/json")


async def sessions_stream(request: web.Request) -> web.StreamResponse:
    """Every session of the range, as JSON Lines, streamed page by page."""
    client = request.app[ZENOTI]
    try:
        pages = client.classes.sessions(
            center_id=request.match_info["center_id"],
            start_date=_date(request, "start_date"),
            end_date=_date(request, "end_date"),
        ).pages()
    except ValueError as exc:
        raise _unprocessable(str(exc)) from exc
    # The first page is fetched before the response starts, so a wrong key or a Zenoti
    # outage still gets a real HTTP status rather than a 200 with a broken body.
    first = await anext(pages, None)
    response = web.StreamResponse(headers={"Content-Type": JSONL})
    await response.prepare(request)
    if first is not None:
        await response.write(jsonl_lines(first.sessions))
        try:
            async for page in pages:
                await response.write(jsonl_lines(page.sessions))
        except ZenotiError as exc:
            # The status line is long gone: tell the reader in-band that the stream is cut.
            error = {"error": type(exc).__name__, "detail": str(exc)}
            await response.write(orjson.dumps(error) + b"\n")
    await response.write_eof()
    return response


async def healthz(request: web.Request) -> web.Response:
    stats = request.app[ZENOTI].stats()
    return web.Response(
        body=orjson.dumps(attrs.asdict(stats)),
        status=503 if stats.closed else 200,
        content_type="application/json",
    )


# -- errors and encoding ---------------------------------------------------------------------


def upstream_status(exc: ZenotiError) -> int:
    """Zenoti's failure as seen by *our* caller: never their fault, so never a 4xx."""
    if isinstance(exc, RateLimitError | ClientStateError):
        return 503
    if isinstance(exc, RequestTimeoutError):
        return 504
    return 502


@web.middleware
async def zenoti_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ZenotiError as exc:
        headers = {}
        if isinstance(exc, RateLimitError) and exc.retry_after is not None:
            headers["Retry-After"] = str(max(1, round(exc.retry_after)))
        body = {"error": type(exc).__name__, "detail": str(exc)}  # SDK errors never carry the key
        return web.Response(
            body=orjson.dumps(body),
            status=upstream_status(exc),
            headers=headers,
            content_type="application/json",
        )


def session_dict(session: Session) -> dict[str, Any]:
    return attrs.asdict(session)


def jsonl_lines(sessions: Iterable[Session]) -> bytes:
    # orjson writes datetimes as ISO 8601 and enums as their values.
    return b"".join(
        orjson.dumps(session_dict(s), option=orjson.OPT_APPEND_NEWLINE) for s in sessions
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    app = create_app(allow_http=os.environ.get("ZENOTI_ALLOW_HTTP") == "1")
    # A caller who hangs up cancels their handler, and with it the Zenoti request in flight
    # (whose connection goes back to the pool). Without it, the handler would run on until
    # its next write fails.
    web.run_app(app, host=args.host, port=args.port, handler_cancellation=True)


if __name__ == "__main__":
    main()
