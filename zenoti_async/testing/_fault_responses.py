"""How each terminal fault answers: one small handler per fault type, all through :class:`Reply`.

A handler gets the fault, the :class:`Reply` and a :class:`NormalAnswer` that renders the
answer the request would have had (for faults that damage a real body: truncation, resets,
slowness, padding, corruption). Handlers are found by the fault's class, then its bases, so
:class:`GatewayError` answers like the :class:`ErrorResponse` it is.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import lru_cache
from http import HTTPStatus
from typing import Any, Final, Protocol, TypeVar

import orjson
from aiohttp import web

from zenoti_async.testing._faults import (
    DisguisedError,
    EchoingUnauthorized,
    EmptyBody,
    ErrorBody,
    ErrorResponse,
    Fault,
    GzipBomb,
    HugeBody,
    InvalidJSON,
    NonObjectJSON,
    RateLimited,
    Redirect,
    ResetBeforeResponse,
    ResetMidBody,
    SlowBody,
    TruncatedJSON,
)
from zenoti_async.testing._render import Rendered
from zenoti_async.testing._respond import Reply

__all__ = ["NormalAnswer", "respond_with_fault"]

_MEGABYTE: Final = 1024 * 1024
UNAUTHORIZED_MESSAGE: Final = "Authorization has been denied for this request."


class NormalAnswer(Protocol):
    """What a fault handler may ask of the mock about the request it is spoiling."""

    def render(self) -> Rendered:
        """The fault-free answer (applying the request's drift, once)."""

    def render_error(self, code: int | str, message: str | None, status: int | None) -> Rendered:
        """Zenoti's error object in this endpoint's envelope."""


F = TypeVar("F", bound=Fault)
Handler = Callable[[Any, Reply, NormalAnswer], Awaitable[web.StreamResponse]]
_HANDLERS: dict[type[Fault], Handler] = {}


def _handles(
    kind: type[F],
) -> Callable[
    [Callable[[F, Reply, NormalAnswer], Awaitable[web.StreamResponse]]],
    Callable[[F, Reply, NormalAnswer], Awaitable[web.StreamResponse]],
]:
    def register(
        handler: Callable[[F, Reply, NormalAnswer], Awaitable[web.StreamResponse]],
    ) -> Callable[[F, Reply, NormalAnswer], Awaitable[web.StreamResponse]]:
        _HANDLERS[kind] = handler
        return handler

    return register


async def respond_with_fault(
    fault: Fault, reply: Reply, normal: NormalAnswer
) -> web.StreamResponse:
    """Answer with ``fault``; a fault type without a handler is a ``TypeError`` naming it."""
    for kind in type(fault).__mro__:
        handler = _HANDLERS.get(kind)
        if handler is not None:
            return await handler(fault, reply, normal)
    raise TypeError(f"no response handler for fault {fault!r}")


# ---------------------------------------------------------------------- status and headers


@_handles(RateLimited)
async def _rate_limited(fault: RateLimited, reply: Reply, _: NormalAnswer) -> web.StreamResponse:
    body = orjson.dumps({"code": 429, "message": "Rate limit exceeded."})
    if fault.retry_after is None:
        return reply.send(429, body, without_headers=("Retry-After",))
    if fault.http_date:
        when = datetime.now(UTC) + timedelta(seconds=fault.retry_after)
        retry_after = format_datetime(when, usegmt=True)
    else:
        retry_after = str(max(0, math.ceil(fault.retry_after)))
    return reply.send(429, body, extra_headers={"Retry-After": retry_after})


@_handles(ErrorResponse)
async def _error_response(
    fault: ErrorResponse, reply: Reply, _: NormalAnswer
) -> web.StreamResponse:
    try:
        reason = HTTPStatus(fault.status).phrase
    except ValueError:
        reason = "Error"
    extra = {}
    if fault.retry_after is not None:
        extra["Retry-After"] = str(max(0, math.ceil(fault.retry_after)))
    if fault.body == "json":
        message = "An error has occurred." if fault.status == 500 else reason
        body = orjson.dumps({"Message": message})
        return reply.send(fault.status, body, extra_headers=extra)
    if fault.body == "html":
        html = (
            f"<html>\r\n<head><title>{fault.status} {reason}</title></head>\r\n<body>\r\n"
            f"<center><h1>{fault.status} {reason}</h1></center>\r\n"
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        )
        return reply.send(
            fault.status, html.encode(), content_type="text/html", extra_headers=extra
        )
    if fault.body == "text":
        return reply.send(
            fault.status,
            reason.encode(),
            content_type="text/plain; charset=utf-8",
            extra_headers=extra,
        )
    return reply.send(fault.status, b"", content_type="text/html", extra_headers=extra)


@_handles(Redirect)
async def _redirect(fault: Redirect, reply: Reply, _: NormalAnswer) -> web.StreamResponse:
    location = fault.location or f"https://redirect.zenoti-mock.invalid{reply.request.path_qs}"
    return reply.send(
        fault.status, b"", content_type="text/html", extra_headers={"Location": location}
    )


@_handles(EchoingUnauthorized)
async def _echoing_unauthorized(
    _fault: EchoingUnauthorized, reply: Reply, _: NormalAnswer
) -> web.StreamResponse:
    echoed = reply.request.headers.get("Authorization", "")
    body = orjson.dumps({"Message": UNAUTHORIZED_MESSAGE, "Authorization": echoed})
    return reply.send(401, body, extra_headers={"X-Echoed-Authorization": echoed})


# ---------------------------------------------------------------------- other bodies


@_handles(ErrorBody)
async def _error_body(fault: ErrorBody, reply: Reply, normal: NormalAnswer) -> web.StreamResponse:
    rendered = normal.render_error(fault.code, fault.message, fault.status)
    return reply.send(rendered.status, rendered.body)


@_handles(DisguisedError)
async def _disguised_error(
    fault: DisguisedError, reply: Reply, _: NormalAnswer
) -> web.StreamResponse:
    body = orjson.dumps(
        {
            "Message": "An error has occurred.",
            "ExceptionMessage": fault.exception_message,
            "ExceptionType": fault.exception_type,
            "StackTrace": (
                "   at Zenoti.Api.Controllers.ClassesController.Get()\r\n"
                "   at System.Web.Http.Controllers.ReflectedHttpActionDescriptor.ExecuteAsync()"
            ),
        }
    )
    return reply.send(fault.status, body)


@_handles(NonObjectJSON)
async def _non_object(fault: NonObjectJSON, reply: Reply, _: NormalAnswer) -> web.StreamResponse:
    return reply.send(200, fault.body)


@_handles(EmptyBody)
async def _empty(fault: EmptyBody, reply: Reply, _: NormalAnswer) -> web.StreamResponse:
    return reply.send(fault.status, b"")


@_handles(GzipBomb)
async def _gzip_bomb(fault: GzipBomb, reply: Reply, _: NormalAnswer) -> web.StreamResponse:
    body = _gzip_of_padded_json(fault.inflated_size)
    return reply.send(200, body, extra_headers={"Content-Encoding": "gzip"})


# ---------------------------------------------------------------------- connection faults


@_handles(ResetBeforeResponse)
async def _reset_before(
    fault: ResetBeforeResponse, reply: Reply, _: NormalAnswer
) -> web.StreamResponse:
    return reply.drop(rst=fault.rst)


# ---------------------------------------------------------------------- damaged real answers


@_handles(InvalidJSON)
async def _invalid_json(
    fault: InvalidJSON, reply: Reply, normal: NormalAnswer
) -> web.StreamResponse:
    rendered = normal.render()
    body = fault.body if fault.body is not None else _corrupt(rendered.body)
    return reply.send(rendered.status, body)


@_handles(TruncatedJSON)
async def _truncated(
    fault: TruncatedJSON, reply: Reply, normal: NormalAnswer
) -> web.StreamResponse:
    rendered = normal.render()
    cut = rendered.body[: int(len(rendered.body) * fault.fraction)]
    if fault.honest_length:
        return reply.send(rendered.status, cut)
    return await reply.stream(
        rendered.status, [cut], content_length=len(rendered.body), then_drop=True
    )


@_handles(ResetMidBody)
async def _reset_mid_body(
    fault: ResetMidBody, reply: Reply, normal: NormalAnswer
) -> web.StreamResponse:
    rendered = normal.render()
    cut = rendered.body[: int(len(rendered.body) * fault.fraction)]
    return await reply.stream(
        rendered.status,
        [cut],
        content_length=len(rendered.body),
        then_drop=True,
        rst=fault.rst,
    )


@_handles(SlowBody)
async def _slow(fault: SlowBody, reply: Reply, normal: NormalAnswer) -> web.StreamResponse:
    rendered = normal.render()
    body = rendered.body
    step = max(1, fault.chunk_size)
    chunks = (body[offset : offset + step] for offset in range(0, len(body), step))
    return await reply.stream(rendered.status, chunks, content_length=len(body), pause=fault.delay)


@_handles(HugeBody)
async def _huge(fault: HugeBody, reply: Reply, normal: NormalAnswer) -> web.StreamResponse:
    rendered = normal.render()
    body = rendered.body
    head = b'{"_padding":"'
    tail = b'",' + body[1:] if body.startswith(b"{") and len(body) > 2 else b'"}'
    padding = max(0, fault.size - len(head) - len(tail))
    length = len(head) + padding + len(tail)
    return await reply.stream(
        rendered.status,
        _padded(head, padding, tail),
        content_length=None if fault.chunked else length,
    )


def _padded(head: bytes, padding: int, tail: bytes) -> Iterator[bytes]:
    yield head
    block = b"x" * min(_MEGABYTE, padding)
    remaining = padding
    while remaining > 0:
        chunk = block[: min(remaining, len(block))]
        yield chunk
        remaining -= len(chunk)
    yield tail


def _corrupt(body: bytes) -> bytes:
    # A single-quoted key: a classic of hand-built "JSON", rejected by every strict parser.
    if body.startswith(b'{"'):
        return b"{'" + body[2:]
    return b"<!-- not json -->" + body


@lru_cache(maxsize=4)
def _gzip_of_padded_json(inflated_size: int) -> bytes:
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
