"""FastAPI: one ZenotiClient for the whole application, shared by every request.

The shape:

- The client is created in the lifespan, so inside the server's event loop, and closed when
  the application stops. Every request shares its connection pool and its rate limiter (the
  organisation's 60 calls/min are shared by all of them, not granted per request).
- Endpoints receive it through a dependency (``app.dependency_overrides`` swaps it in tests).
- ``/centers/{id}/sessions`` returns one page, through a ``with_options()`` view that fails
  fast: someone is waiting for that answer. The view shares the client's pool.
- ``/centers/{id}/sessions.jsonl`` streams every session of a date range as JSON Lines, page
  by page. If the caller disconnects, Starlette cancels the stream: the page request in
  flight is cancelled and its connection released.
- ``/healthz`` reports the pool and the limiter (``client.stats()``).

Run it (``pip install fastapi uvicorn``)::

    ZENOTI_API_KEY=... uvicorn examples.fastapi_app:app

or against the bundled mock (``zenoti-async mock-server --port 8080`` prints a key)::

    ZENOTI_API_KEY=<key> ZENOTI_BASE_URL=http://127.0.0.1:8080 ZENOTI_ALLOW_HTTP=1 \\
        uvicorn examples.fastapi_app:app
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any

import attrs
import orjson
from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import StreamingResponse

from zenoti_async import (
    ClientStateError,
    RateLimitError,
    RequestTimeoutError,
    RetryPolicy,
    ZenotiClient,
    ZenotiError,
)
from zenoti_async.models import Session, SessionsPage

JSONL = "application/x-ndjson"
#: For endpoints a person waits on: two quick attempts, not two minutes of retries.
INTERACTIVE_RETRY = RetryPolicy(attempts=2, timeout=10.0, wait_initial=0.2, wait_max=1.0)
INTERACTIVE_TIMEOUT = 5.0


def create_app(**client_options: Any) -> FastAPI:
    """The application; ``client_options`` go to ``ZenotiClient`` (default: the environment)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with ZenotiClient(**client_options) as client:
            app.state.zenoti = client
            yield

    app = FastAPI(title="sessions", lifespan=lifespan)
    app.add_api_route("/centers/{center_id}/sessions", sessions_page, methods=["GET"])
    app.add_api_route("/centers/{center_id}/sessions.jsonl", sessions_stream, methods=["GET"])
    app.add_api_route("/healthz", healthz, methods=["GET"])
    app.add_exception_handler(ZenotiError, zenoti_error)  # type: ignore[arg-type]
    return app


# -- dependencies ----------------------------------------------------------------------------


def zenoti(request: Request) -> ZenotiClient:
    client: ZenotiClient = request.app.state.zenoti
    return client


Zenoti = Annotated[ZenotiClient, Depends(zenoti)]


def interactive_zenoti(client: Zenoti) -> ZenotiClient:
    # A view, not a new client: same pool, same limiter, different timeout and retries.
    return client.with_options(timeout=INTERACTIVE_TIMEOUT, retry=INTERACTIVE_RETRY)


InteractiveZenoti = Annotated[ZenotiClient, Depends(interactive_zenoti)]


# -- endpoints -------------------------------------------------------------------------------


async def sessions_page(
    center_id: uuid.UUID,
    *,
    client: InteractiveZenoti,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 100,
    start_date: date | None = None,
    end_date: date | None = None,
) -> Response:
    """One page of a center's sessions, with the number of the next page (or null)."""
    try:
        paginator = client.classes.sessions(
            center_id=center_id,
            start_date=start_date,
            end_date=end_date,
            page_size=page_size,
            start_page=page,
        )
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    first = await anext(paginator.pages(), None)
    body = {
        "center_id": str(center_id),
        "page": page,
        "next_page": paginator.next_page,
        "sessions": [session_dict(s) for s in first.sessions] if first is not None else [],
    }
    return Response(orjson.dumps(body), media_type="application/json")


async def sessions_stream(
    center_id: uuid.UUID,
    *,
    client: Zenoti,
    start_date: date | None = None,
    end_date: date | None = None,
) -> StreamingResponse:
    """Every session of the range, as JSON Lines, streamed page by page."""
    try:
        pages = client.classes.sessions(
            center_id=center_id, start_date=start_date, end_date=end_date
        ).pages()
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    # The first page is fetched before the response starts, so a wrong key or a Zenoti
    # outage still gets a real HTTP status rather than a 200 with a broken body.
    first = await anext(pages, None)
    return StreamingResponse(_jsonl(first, pages), media_type=JSONL)


async def _jsonl(
    first: SessionsPage | None, rest: AsyncIterator[SessionsPage]
) -> AsyncIterator[bytes]:
    if first is None:
        return
    yield jsonl_lines(first.sessions)
    try:
        async for page in rest:
            yield jsonl_lines(page.sessions)  # one write per page, not per record
    except ZenotiError as exc:
        # The status line is long gone: tell the reader in-band that the stream is cut short.
        yield orjson.dumps({"error": type(exc).__name__, "detail": str(exc)}) + b"\n"


async def healthz(client: Zenoti) -> Response:
    stats = client.stats()
    return Response(
        orjson.dumps(attrs.asdict(stats)),
        status_code=503 if stats.closed else 200,
        media_type="application/json",
    )


# -- errors and encoding ---------------------------------------------------------------------


def upstream_status(exc: ZenotiError) -> int:
    """Zenoti's failure as seen by *our* caller: never their fault, so never a 4xx."""
    if isinstance(exc, RateLimitError | ClientStateError):
        return 503
    if isinstance(exc, RequestTimeoutError):
        return 504
    return 502


async def zenoti_error(_request: Request, exc: ZenotiError) -> Response:
    headers = {}
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        headers["Retry-After"] = str(max(1, round(exc.retry_after)))
    body = {"error": type(exc).__name__, "detail": str(exc)}  # SDK errors never carry the key
    return Response(
        orjson.dumps(body),
        status_code=upstream_status(exc),
        headers=headers,
        media_type="application/json",
    )


def session_dict(session: Session) -> dict[str, Any]:
    return attrs.asdict(session)


def jsonl_lines(sessions: Iterable[Session]) -> bytes:
    # orjson writes datetimes as ISO 8601 and enums as their values.
    return b"".join(
        orjson.dumps(session_dict(s), option=orjson.OPT_APPEND_NEWLINE) for s in sessions
    )


app = create_app(allow_http=os.environ.get("ZENOTI_ALLOW_HTTP") == "1")
