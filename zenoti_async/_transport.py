"""The only module that speaks aiohttp: a request goes in, (status, headers, body) comes out.

Every aiohttp and asyncio failure is translated here into the SDK's ``TransportError`` family.
aiohttp's ``ClientResponseError`` family carries the request headers (the API key among them)
in ``request_info``: such an exception is never chained, and the SDK error is raised outside
the ``except`` block so it is not even the implicit ``__context__``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

import aiohttp
import attrs
from multidict import CIMultiDictProxy

from zenoti_async._errors import (
    ConnectError,
    RequestContext,
    RequestTimeoutError,
    ResponseTooLargeError,
    TransportError,
    ZenotiError,
)

_READ_CHUNK = 256 * 1024


@attrs.frozen
class RawResponse:
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes
    elapsed: float  #: seconds from sending the request to the last body byte


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _translate(exc: BaseException, method: str, path: str) -> ZenotiError:
    where: RequestContext = {"method": method, "path": path}
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return RequestTimeoutError(f"connect timeout ({_describe(exc)})", **where)
    if isinstance(exc, asyncio.TimeoutError):
        # aiohttp's SocketTimeoutError and the total timeout are both TimeoutError subclasses.
        return RequestTimeoutError(f"timed out waiting for the server ({_describe(exc)})", **where)
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return ConnectError(f"DNS lookup failed ({_describe(exc)})", **where)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return ConnectError(f"cannot connect ({_describe(exc)})", **where)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return ConnectError("the server closed the connection before answering", **where)
    if isinstance(exc, aiohttp.ClientPayloadError) and _is_decompression_bomb(exc):
        return ResponseTooLargeError(
            "the compressed body inflates beyond aiohttp's decompression limit", **where
        )
    if isinstance(exc, aiohttp.ClientPayloadError):
        return ConnectError(f"the response body was cut off ({_describe(exc)})", **where)
    if isinstance(exc, aiohttp.ClientResponseError):
        # A malformed status line or headers. Only the message travels: see the module doc.
        return TransportError(f"malformed HTTP response ({exc.message})", **where)
    if isinstance(exc, aiohttp.ClientConnectionError | ConnectionError):
        return ConnectError(f"connection error ({_describe(exc)})", **where)
    return TransportError(f"HTTP client error ({_describe(exc)})", **where)


def _is_decompression_bomb(exc: BaseException) -> bool:
    # aiohttp (>= 3.13) stops inflating a body past its own per-chunk limit and reports it as a
    # payload error caused by DecompressSizeError; matched by name to stay version-tolerant.
    cause: BaseException | None = exc
    for _ in range(5):
        if cause is None:
            return False
        if type(cause).__name__ == "DecompressSizeError":
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _is_secret_bearing(exc: BaseException) -> bool:
    return isinstance(exc, aiohttp.ClientResponseError)


class AiohttpTransport:
    """Sends one GET over a shared ``aiohttp.ClientSession`` and reads the body under a cap."""

    def __init__(self, session: aiohttp.ClientSession, *, max_response_bytes: int) -> None:
        self.session = session
        self.max_response_bytes = max_response_bytes

    async def get(
        self,
        url: str,
        *,
        path: str,
        params: list[tuple[str, str]],
        headers: Mapping[str, str],
        request_timeout: aiohttp.ClientTimeout | None = None,
    ) -> RawResponse:
        """``request_timeout`` overrides the session's for this request (``None``: keep it)."""
        started = time.perf_counter()
        failure: ZenotiError | None = None
        # Never pass None on: aiohttp reads timeout=None as "no timeout at all".
        timeout = request_timeout if request_timeout is not None else self.session.timeout
        try:
            async with self.session.get(
                url,
                params=params,
                headers=headers,
                allow_redirects=False,
                timeout=timeout,
            ) as response:
                body = await self._read_capped(response, path)
                return RawResponse(
                    status=response.status,
                    headers=response.headers,
                    body=body,
                    elapsed=time.perf_counter() - started,
                )
        except (TimeoutError, aiohttp.ClientError, ConnectionError) as exc:
            failure = _translate(exc, "GET", path)
            if not _is_secret_bearing(exc):
                # Safe to keep as the cause (no request headers inside): useful when debugging.
                raise failure from exc
        # Secret-bearing aiohttp error: raised here, outside the except block, so neither
        # __cause__ nor __context__ links to it.
        raise failure

    async def _read_capped(self, response: aiohttp.ClientResponse, path: str) -> bytes:
        cap = self.max_response_bytes
        declared = response.content_length
        if declared is not None and declared > cap:
            raise ResponseTooLargeError(
                f"the response declares {declared} bytes, over the {cap}-byte cap",
                method="GET",
                path=path,
                status=response.status,
            )
        # Count the *decoded* bytes as they stream in, so a small gzip body that inflates to
        # gigabytes is stopped at the cap instead of exhausting memory.
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(_READ_CHUNK):
            size += len(chunk)
            if size > cap:
                response.close()
                raise ResponseTooLargeError(
                    f"the response body exceeds the {cap}-byte cap",
                    method="GET",
                    path=path,
                    status=response.status,
                )
            chunks.append(chunk)
        return b"".join(chunks)
