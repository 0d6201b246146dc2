"""zenoti-async: a typed, fast, asyncio client for the Zenoti classes API.

Start with :class:`ZenotiClient`; records are the attrs classes of :mod:`zenoti_async.models`;
every failure is a :class:`ZenotiError`; :mod:`zenoti_async.testing` is a local mock server.
"""

from zenoti_async._client import ZenotiClient
from zenoti_async._errors import (
    APIError,
    AuthenticationError,
    ClientStateError,
    ConnectError,
    DecodeError,
    HTTPStatusError,
    InvalidDataError,
    InvalidInputError,
    MissingInputError,
    ObjectNotFoundError,
    PaginationError,
    RateLimitError,
    RedirectError,
    RequestTimeoutError,
    ResponseError,
    ResponseTooLargeError,
    ServerIOError,
    TransportError,
    ZenotiError,
)
from zenoti_async._observe import RequestEvent, RequestObserver, RetryEvent
from zenoti_async._paginator import CountMismatch, Paginator
from zenoti_async._pool import ClientStats
from zenoti_async._pull import PullStats, SessionsPull
from zenoti_async._ratelimit import RateLimiter, RateLimiterStats, TokenBucket
from zenoti_async._resources.classes import ClassesAPI
from zenoti_async._sansio.query import SessionFilters
from zenoti_async._sansio.response import RateLimitSnapshot
from zenoti_async._sansio.retry import RetryPolicy
from zenoti_async._version import __version__
from zenoti_async.models import (
    ClassType,
    MembershipSearchType,
    MembershipType,
    PackageSearchType,
    SessionStatus,
)

__all__ = [
    "APIError",
    "AuthenticationError",
    "ClassType",
    "ClassesAPI",
    "ClientStateError",
    "ClientStats",
    "ConnectError",
    "CountMismatch",
    "DecodeError",
    "HTTPStatusError",
    "InvalidDataError",
    "InvalidInputError",
    "MembershipSearchType",
    "MembershipType",
    "MissingInputError",
    "ObjectNotFoundError",
    "PackageSearchType",
    "PaginationError",
    "Paginator",
    "PullStats",
    "RateLimitError",
    "RateLimitSnapshot",
    "RateLimiter",
    "RateLimiterStats",
    "RedirectError",
    "RequestEvent",
    "RequestObserver",
    "RequestTimeoutError",
    "ResponseError",
    "ResponseTooLargeError",
    "RetryEvent",
    "RetryPolicy",
    "ServerIOError",
    "SessionFilters",
    "SessionStatus",
    "SessionsPull",
    "TokenBucket",
    "TransportError",
    "ZenotiClient",
    "ZenotiError",
    "__version__",
]
