"""zenoti-async: a typed, fast, asyncio client for the Zenoti classes API."""

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

__version__ = "0.1.0.dev0"

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
    "__version__",
]
