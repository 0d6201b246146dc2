"""The one exception tree of the SDK.

Every failure a caller can see is a :class:`ZenotiError` (bad *input* is the exception: it is a
plain ``ValueError``/``TypeError`` raised before any request). Foreign exceptions (aiohttp,
asyncio, json, cattrs, tenacity) are translated at the boundary, and none of them ever carries
the API key: the messages here are built from method, path, status and Zenoti's own code and
message only, never from headers or full URLs with query strings.

```
ZenotiError
 +-- TransportError              the request did not get an HTTP answer (retried)
 |    +-- ConnectError           connect refused / DNS / TLS / reset before the status line
 |    +-- RequestTimeoutError    connect, read or total timeout
 +-- HTTPStatusError             an HTTP answer with a failing status, no Zenoti error body
 |    +-- AuthenticationError    401 / 403
 |    +-- RateLimitError         429, carries ``retry_after``
 |    +-- RedirectError          3xx: redirects are never followed
 +-- APIError                    Zenoti's own ``error`` object (any HTTP status, even 200)
 |    +-- MissingInputError      code 503 "MissingInput"      (never retried)
 |    +-- InvalidInputError      code 502 "InvalidInput"      (never retried)
 |    +-- ObjectNotFoundError    code 404 "ObjectNotFound"    (never retried)
 |    +-- ServerIOError          code 506 "IOException"       (retried)
 |    +-- InvalidDataError       code 500 "Invalid Data"
 +-- ResponseError               the body cannot be used
 |    +-- DecodeError            not JSON, not an object, or not the documented shape
 |    +-- ResponseTooLargeError  over the client's size cap
 +-- PaginationError             the server's paging cannot be trusted (would loop or lose data)
 +-- ClientStateError            the client is closed or bound to another event loop
```
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict, Unpack

__all__ = [
    "APIError",
    "AuthenticationError",
    "ClientStateError",
    "ConnectError",
    "DecodeError",
    "HTTPStatusError",
    "InvalidDataError",
    "InvalidInputError",
    "MissingInputError",
    "ObjectNotFoundError",
    "PaginationError",
    "RateLimitError",
    "RedirectError",
    "RequestTimeoutError",
    "ResponseError",
    "ResponseTooLargeError",
    "ServerIOError",
    "TransportError",
    "ZenotiError",
]


class RequestContext(TypedDict, total=False):
    """Which request failed."""

    method: str | None
    path: str | None
    status: int | None


class ErrorContext(RequestContext, total=False):
    """Where an error happened and what Zenoti said; shared by all error constructors."""

    code: int | None
    api_message: str | None
    attempts: int | None


class ZenotiError(Exception):
    """Root of every error the SDK raises about a request or a response.

    Attributes that are not known for a given error are ``None``. ``page`` and
    ``records_yielded`` are filled in by the paginator when the error escapes an iteration, so
    a caller can resume with ``client.classes.sessions(..., start_page=err.page)``.
    """

    def __init__(
        self,
        description: str,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        code: int | None = None,
        api_message: str | None = None,
        attempts: int | None = None,
    ) -> None:
        self.description = description
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.api_message = api_message
        self.attempts = attempts
        self.page: int | None = None
        self.records_yielded: int | None = None
        super().__init__(description)

    def __str__(self) -> str:
        parts: list[str] = []
        if self.method and self.path:
            parts.append(f"{self.method} {self.path}")
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code is not None or self.api_message:
            parts.append(f"Zenoti error {self.code}: {self.api_message or ''}".rstrip(": "))
        parts.append(self.description)
        if self.attempts is not None and self.attempts > 1:
            parts.append(f"after {self.attempts} attempts")
        if self.records_yielded is not None:
            parts.append(f"{self.records_yielded} records were yielded before this error")
        return " | ".join(parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class TransportError(ZenotiError):
    """No usable HTTP response: connection or timeout failure. Safe to retry for a GET."""


class ConnectError(TransportError):
    """The connection could not be made or was reset before a response arrived."""


class RequestTimeoutError(TransportError):
    """A connect, read or total timeout expired."""


class HTTPStatusError(ZenotiError):
    """The server answered with a failing HTTP status and no Zenoti ``error`` object.

    ``body_excerpt`` holds the first bytes of the body (an HTML gateway page, say), decoded
    leniently, for diagnosis.
    """

    def __init__(
        self, description: str, *, body_excerpt: str = "", **kwargs: Unpack[ErrorContext]
    ) -> None:
        super().__init__(description, **kwargs)
        self.body_excerpt = body_excerpt


class AuthenticationError(HTTPStatusError):
    """401 or 403: the API key or token is missing, wrong, or lacks access."""


class RateLimitError(HTTPStatusError):
    """429 Too Many Requests. ``retry_after`` is the server's wait in seconds, when given."""

    def __init__(
        self,
        description: str,
        *,
        retry_after: float | None = None,
        body_excerpt: str = "",
        **kwargs: Unpack[ErrorContext],
    ) -> None:
        super().__init__(description, body_excerpt=body_excerpt, **kwargs)
        self.retry_after = retry_after


class RedirectError(HTTPStatusError):
    """A 3xx answer. Redirects are never followed so the key never reaches another host."""

    def __init__(
        self,
        description: str,
        *,
        location: str | None = None,
        body_excerpt: str = "",
        **kwargs: Unpack[ErrorContext],
    ) -> None:
        super().__init__(description, body_excerpt=body_excerpt, **kwargs)
        self.location = location


class APIError(ZenotiError):
    """Zenoti's own ``error`` object in the body, whatever the HTTP status (even 200).

    ``code`` is Zenoti's code, which is *not* an HTTP status: ``502`` means InvalidInput, not a
    bad gateway. ``status`` is the HTTP status that carried it.
    """


class MissingInputError(APIError):
    """Zenoti code 503, MissingInput: a required parameter was not sent. Never retried."""


class InvalidInputError(APIError):
    """Zenoti code 502, InvalidInput: a parameter has an invalid value. Never retried."""


class ObjectNotFoundError(APIError):
    """Zenoti code 404, ObjectNotFound ("No Data found").

    For packages and memberships this means an empty result, and the iterator yields nothing
    instead of raising it.
    """


class ServerIOError(APIError):
    """Zenoti code 506, IOException: a server-side failure. Retried."""


class InvalidDataError(APIError):
    """Zenoti code 500, "Invalid Data" / "Something went wrong"."""


class ResponseError(ZenotiError):
    """The response arrived but its body cannot be used."""


class DecodeError(ResponseError):
    """The body is not JSON, not an object, or does not fit the documented models.

    ``errors`` lists every problem with its path in the payload, for example
    ``$.sessions[3].start_time: invalid datetime '2026-13-01T00:00:00'``.
    """

    def __init__(
        self, description: str, *, errors: Sequence[str] = (), **kwargs: Unpack[ErrorContext]
    ) -> None:
        super().__init__(description, **kwargs)
        self.errors = list(errors)

    def __str__(self) -> str:
        base = super().__str__()
        if not self.errors:
            return base
        shown = "; ".join(self.errors[:5])
        more = f" (+{len(self.errors) - 5} more)" if len(self.errors) > 5 else ""
        return f"{base}: {shown}{more}"


class ResponseTooLargeError(ResponseError):
    """The body is larger than ``ZenotiClient(max_response_bytes=...)``."""


class PaginationError(ZenotiError):
    """The server's paging cannot be trusted: it would make the iterator loop or lose data.

    Raised when a page repeats the previous page's ids (a server that ignores ``page``), or
    when the hard page cap is passed.
    """


class ClientStateError(ZenotiError):
    """The client is closed, or is used from an event loop other than the one it is bound to."""
