"""The one way the mock answers: whole bodies, streamed bodies, and dropped connections.

Every answer, normal or faulty, goes through :class:`Reply`, so the recorded size and status
of a request and the headers every answer carries (rate limit) are set in one place.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from aiohttp import web

from zenoti_async.testing._recorder import RecordedRequest

__all__ = ["JSON_TYPE", "Reply"]

JSON_TYPE: Final = "application/json; charset=utf-8"


@dataclass(slots=True)
class Reply:
    """How to answer one request: its aiohttp request, the headers every answer carries,
    and the record the recorder keeps."""

    request: web.Request
    headers: Mapping[str, str]
    record: RecordedRequest

    def send(
        self,
        status: int,
        body: bytes,
        *,
        content_type: str = JSON_TYPE,
        extra_headers: Mapping[str, str] | None = None,
        without_headers: Iterable[str] = (),
    ) -> web.Response:
        """A complete answer with a Content-Length."""
        headers = dict(self.headers)
        for name in without_headers:
            headers.pop(name, None)
        if extra_headers:
            headers.update(extra_headers)
        self.record.response_bytes = len(body)
        response = web.Response(status=status, body=body, headers=headers)
        response.headers["Content-Type"] = content_type
        return response

    async def stream(
        self,
        status: int,
        parts: Iterable[bytes],
        *,
        content_length: int | None,
        pause: float = 0.0,
        then_drop: bool = False,
        rst: bool = False,
    ) -> web.StreamResponse:
        """Write ``parts`` one by one (``pause`` seconds apart), announcing
        ``content_length`` (``None``: chunked); ``then_drop`` closes the connection instead
        of finishing the response."""
        response = web.StreamResponse(status=status, headers=self.headers)
        response.content_type = "application/json"
        response.charset = "utf-8"
        if content_length is None:
            response.enable_chunked_encoding()
        else:
            response.content_length = content_length
        await response.prepare(self.request)
        written = 0
        for i, part in enumerate(parts):
            if i and pause > 0:
                await asyncio.sleep(pause)
            await response.write(part)
            written += len(part)
        self.record.response_bytes = written
        if then_drop:
            self.record.status = status
            self.drop(rst=rst)
        else:
            await response.write_eof()
        return response

    def drop(self, *, rst: bool) -> web.Response:
        """Close the connection under the response: FIN by default, RST with ``rst``."""
        self.record.dropped = True
        transport = self.request.transport
        if transport is not None:
            if rst:
                sock = transport.get_extra_info("socket")
                if sock is not None:
                    # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                transport.abort()
            else:
                transport.close()
        return web.Response()
