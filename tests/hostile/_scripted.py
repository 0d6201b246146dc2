"""A scripted Zenoti over real local HTTP, for servers that misbehave in ways the mock does not
model: ``answer(path, query)`` returns the status and JSON body of each request."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web

from zenoti_async import RetryPolicy, ZenotiClient

Answer = Callable[[str, dict[str, str]], tuple[int, Any]]
CENTER = "9a0b9b36-9c1f-4a43-bd41-6f2c0b1c1d11"


@asynccontextmanager
async def scripted(answer: Answer) -> AsyncIterator[tuple[ZenotiClient, list[dict[str, str]]]]:
    """A client bound to a local server answering with ``answer``; yields it and the queries
    the server received, in order."""
    seen: list[dict[str, str]] = []

    async def handle(request: web.Request) -> web.Response:
        query = dict(request.query)
        seen.append({"path": request.path, **query})
        status, body = answer(request.path, query)
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    client = ZenotiClient(
        api_key="k" * 32,
        base_url=f"http://127.0.0.1:{port}",
        allow_http=True,
        rate_limit=None,
        retry=RetryPolicy.no_wait(attempts=2),
    )
    try:
        async with client:
            yield client, seen
    finally:
        await runner.cleanup()


def session(record_id: int) -> dict[str, Any]:
    return {"id": record_id, "name": f"s{record_id}"}


def page_number(query: dict[str, str]) -> int:
    return int(query.get("page") or query.get("page_number") or "1")
