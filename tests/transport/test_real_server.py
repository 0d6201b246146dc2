"""The transport against real sockets on 127.0.0.1: what mocks cannot fake.

These run on both the pinned and the newest aiohttp (`make test` runs them twice).
Timeouts here are real but tiny (a few hundred milliseconds at most).
"""

from __future__ import annotations

import asyncio
import gzip
import traceback
from collections.abc import AsyncIterator

import orjson
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.transport.rawserver import raw_server, response
from zenoti_async import (
    ConnectError,
    HTTPStatusError,
    RedirectError,
    RequestTimeoutError,
    ResponseTooLargeError,
    RetryPolicy,
    TransportError,
    ZenotiClient,
)

KEY = "real-server-key-3b7e91d2"
PACKAGES_OK = orjson.dumps({"packages": [{"id": "p1", "name": "Ten classes"}], "error": None})


def client_for(base_url: str, **kwargs: object) -> ZenotiClient:
    options: dict[str, object] = {
        "api_key": KEY,
        "base_url": base_url,
        "allow_http": True,
        "rate_limit": None,
        "retry": RetryPolicy.no_wait(attempts=3),
    }
    options.update(kwargs)
    return ZenotiClient(**options)  # type: ignore[arg-type]


async def fetch_packages(client: ZenotiClient) -> list[str | None]:
    return [p.id async for p in client.classes.packages(search_type=0, item_ids=[1])]


@pytest.fixture
async def app_server() -> AsyncIterator[tuple[web.Application, TestServer]]:
    app = web.Application()
    server = TestServer(app, host="127.0.0.1")
    yield app, server
    await server.close()


def all_exception_text(exc: BaseException) -> str:
    """Everything a user could see of an exception: str, repr, args, chain, traceback."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts += [str(current), repr(current), repr(current.args)]
        current = current.__cause__ or current.__context__
    parts.append("".join(traceback.format_exception(exc)))
    return "\n".join(parts)


async def test_reset_before_status_line_is_retried_then_succeeds() -> None:
    calls = 0

    async def handler(_head: bytes, writer: asyncio.StreamWriter) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            writer.transport.abort()
            return
        writer.write(response("200 OK", PACKAGES_OK))
        await writer.drain()

    async with raw_server(handler) as (url, heads), client_for(url) as client:
        assert await fetch_packages(client) == ["p1"]
    assert calls == 2
    assert f"Authorization: apikey {KEY}".encode() in heads[0]


async def test_body_cut_mid_way_is_a_retried_connect_error() -> None:
    async def handler(_head: bytes, writer: asyncio.StreamWriter) -> None:
        full = response("200 OK", PACKAGES_OK)
        writer.write(full[: len(full) - 10])
        await writer.drain()
        writer.transport.abort()

    async with raw_server(handler) as (url, heads), client_for(url) as client:
        with pytest.raises(ConnectError, match="cut off") as info:
            await fetch_packages(client)
    assert info.value.attempts == 3 and len(heads) == 3
    assert KEY not in all_exception_text(info.value)


async def test_malformed_status_line_never_chains_the_secret_bearing_aiohttp_error() -> None:
    async def handler(_head: bytes, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 abc NOT-A-STATUS\r\n\r\n")
        await writer.drain()

    async with raw_server(handler) as (url, _heads), client_for(url) as client:
        with pytest.raises(TransportError) as info:
            await fetch_packages(client)
    err = info.value
    assert err.__cause__ is None and err.__context__ is None
    assert KEY not in all_exception_text(err)


async def test_read_timeout_is_a_timeout_error(
    app_server: tuple[web.Application, TestServer],
) -> None:
    app, server = app_server
    release = asyncio.Event()

    async def slow(_request: web.Request) -> web.Response:
        await release.wait()
        return web.json_response({})

    app.router.add_get("/v1/classes/packages", slow)
    await server.start_server()
    url = str(server.make_url("")).rstrip("/")
    async with client_for(url, timeout=0.2, retry=RetryPolicy.no_wait(attempts=2)) as client:
        with pytest.raises(RequestTimeoutError) as info:
            await fetch_packages(client)
    release.set()
    assert info.value.attempts == 2


async def test_trickling_body_slower_than_the_timeout_times_out(
    app_server: tuple[web.Application, TestServer],
) -> None:
    app, server = app_server

    async def trickle(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "application/json"})
        await resp.prepare(request)
        for byte in PACKAGES_OK:
            await resp.write(bytes([byte]))
            await asyncio.sleep(0.05)
        return resp

    app.router.add_get("/v1/classes/packages", trickle)
    await server.start_server()
    url = str(server.make_url("")).rstrip("/")
    async with client_for(url, timeout=0.3, retry=RetryPolicy.disabled()) as client:
        with pytest.raises(RequestTimeoutError):
            await fetch_packages(client)


async def test_html_gateway_error_is_retried(
    app_server: tuple[web.Application, TestServer],
) -> None:
    app, server = app_server
    calls = 0

    async def flaky(_request: web.Request) -> web.Response:
        nonlocal calls
        calls += 1
        if calls < 3:
            return web.Response(
                status=504,
                text="<html><h1>504 Gateway Time-out</h1></html>",
                content_type="text/html",
            )
        return web.Response(body=PACKAGES_OK, content_type="application/json")

    app.router.add_get("/v1/classes/packages", flaky)
    await server.start_server()
    async with client_for(str(server.make_url("")).rstrip("/")) as client:
        assert await fetch_packages(client) == ["p1"]
    assert calls == 3


async def test_html_gateway_error_after_retries_has_status_and_excerpt(
    app_server: tuple[web.Application, TestServer],
) -> None:
    app, server = app_server

    async def down(_request: web.Request) -> web.Response:
        return web.Response(
            status=502, text="<html><h1>502 Bad Gateway</h1></html>", content_type="text/html"
        )

    app.router.add_get("/v1/classes/packages", down)
    await server.start_server()
    async with client_for(str(server.make_url("")).rstrip("/")) as client:
        with pytest.raises(HTTPStatusError) as info:
            await fetch_packages(client)
    assert info.value.status == 502 and "502 Bad Gateway" in info.value.body_excerpt


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_body_over_the_cap_is_refused(
    app_server: tuple[web.Application, TestServer], chunked: bool
) -> None:
    app, server = app_server
    big = b'{"packages": [' + b'{"id": "x"},' * 200_000 + b'{"id": "y"}]}'

    async def huge(request: web.Request) -> web.StreamResponse:
        if not chunked:
            return web.Response(body=big, content_type="application/json")
        resp = web.StreamResponse(headers={"Content-Type": "application/json"})
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        for i in range(0, len(big), 65536):
            await resp.write(big[i : i + 65536])
        return resp

    app.router.add_get("/v1/classes/packages", huge)
    await server.start_server()
    async with client_for(
        str(server.make_url("")).rstrip("/"), max_response_bytes=1_000_000
    ) as client:
        with pytest.raises(ResponseTooLargeError):
            await fetch_packages(client)


async def test_gzip_bomb_is_stopped_at_the_cap(
    app_server: tuple[web.Application, TestServer],
) -> None:
    app, server = app_server
    bomb = gzip.compress(b'{"packages": [], "pad": "' + b" " * 50_000_000 + b'"}', compresslevel=9)
    assert len(bomb) < 100_000

    async def handler(_request: web.Request) -> web.Response:
        return web.Response(
            body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}
        )

    app.router.add_get("/v1/classes/packages", handler)
    await server.start_server()
    async with client_for(
        str(server.make_url("")).rstrip("/"), max_response_bytes=1_000_000
    ) as client:
        with pytest.raises(ResponseTooLargeError):
            await fetch_packages(client)


async def test_redirect_to_another_host_is_not_followed_and_gets_no_key(
    app_server: tuple[web.Application, TestServer],
) -> None:
    app, server = app_server
    stolen: list[bytes] = []

    async def thief(head: bytes, writer: asyncio.StreamWriter) -> None:
        stolen.append(head)
        writer.write(response("200 OK", PACKAGES_OK))
        await writer.drain()

    async with raw_server(thief) as (other_url, _heads):

        async def redirect(_request: web.Request) -> web.Response:
            raise web.HTTPFound(location=f"{other_url}/v1/classes/packages")

        app.router.add_get("/v1/classes/packages", redirect)
        await server.start_server()
        async with client_for(str(server.make_url("")).rstrip("/")) as client:
            with pytest.raises(RedirectError) as info:
                await fetch_packages(client)
    assert stolen == []
    assert info.value.status == 302 and info.value.attempts == 1


async def test_connection_refused_is_a_connect_error() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    async with client_for(f"http://127.0.0.1:{port}") as client:
        with pytest.raises(ConnectError, match="cannot connect") as info:
            await fetch_packages(client)
    assert info.value.attempts == 3
    assert KEY not in all_exception_text(info.value)


@pytest.mark.parametrize("trust_env", [False, True], ids=["default", "trust_env=True"])
async def test_environment_proxies_are_used_only_when_asked(
    app_server: tuple[web.Application, TestServer],
    monkeypatch: pytest.MonkeyPatch,
    trust_env: bool,
) -> None:
    app, server = app_server

    async def packages(_request: web.Request) -> web.Response:
        return web.Response(body=PACKAGES_OK, content_type="application/json")

    app.router.add_get("/v1/classes/packages", packages)
    await server.start_server()
    proxied: list[bytes] = []

    async def proxy(head: bytes, writer: asyncio.StreamWriter) -> None:
        proxied.append(head)
        writer.write(response("200 OK", PACKAGES_OK))
        await writer.drain()

    async with raw_server(proxy) as (proxy_url, _heads):
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy_url)
        monkeypatch.setenv("http_proxy", proxy_url)
        url = str(server.make_url("")).rstrip("/")
        async with client_for(url, trust_env=trust_env) as client:
            assert await fetch_packages(client) == ["p1"]
    # By default an environment cannot route the key through a proxy of its choosing.
    assert bool(proxied) is trust_env
    if trust_env:
        assert f"apikey {KEY}".encode() in proxied[0]
