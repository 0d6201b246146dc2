"""Reading Zenoti's answers: status + headers + body -> a JSON object or a typed error (pure).

The unknowns of ZENOTI_API.md that concern responses are settled here, in one place:
which HTTP status carries a body error (any: the body's ``code`` decides), the shapes an error
body takes (``error``, legacy ``Error``, or a bare ``code``/``message`` object like the 422),
and the rate-limit headers.
"""

from __future__ import annotations

import email.utils
import html
import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs
import orjson

from zenoti_async._errors import (
    APIError,
    AuthenticationError,
    DecodeError,
    HTTPStatusError,
    InvalidDataError,
    InvalidInputError,
    MissingInputError,
    ObjectNotFoundError,
    RateLimitError,
    RedirectError,
    RequestContext,
    ServerIOError,
)

#: Zenoti's own body codes (seeds). They are *not* HTTP statuses.
API_ERROR_CLASSES: Mapping[int, type[APIError]] = {
    503: MissingInputError,
    502: InvalidInputError,
    404: ObjectNotFoundError,
    506: ServerIOError,
    500: InvalidDataError,
}

_EXCERPT_CHARS = 300
_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")


@attrs.frozen
class RateLimitSnapshot:
    """The rate-limit headers of one response (``None`` where a header was absent)."""

    limit: int | None  #: calls per window, from ``Organization-RateLimit-Limit`` "60;w=60;b=60"
    window: float | None  #: the window in seconds (``w=``)
    remaining: int | None  #: ``RateLimit-Remaining``
    reset: float | None  #: ``RateLimit-Reset``: seconds until the bucket is refilled
    burst: int | None = None  #: the bucket's capacity (``b=``)


def _leading_number(text: str | None) -> float | None:
    if text is None:
        return None
    match = re.match(r"\s*(\d+(?:\.\d+)?)", text)
    return float(match.group(1)) if match else None


def parse_rate_limit(headers: Mapping[str, str]) -> RateLimitSnapshot | None:
    limit_header = headers.get("Organization-RateLimit-Limit") or headers.get("RateLimit-Limit")
    remaining = _leading_number(headers.get("RateLimit-Remaining"))
    reset = _leading_number(headers.get("RateLimit-Reset"))
    if limit_header is None and remaining is None and reset is None:
        return None
    limit = _leading_number(limit_header)
    window = burst = None
    if limit_header:
        match = re.search(r"w=(\d+(?:\.\d+)?)", limit_header)
        window = float(match.group(1)) if match else None
        match = re.search(r"b=(\d+)", limit_header)
        burst = int(match.group(1)) if match else None
    return RateLimitSnapshot(
        limit=int(limit) if limit is not None else None,
        window=window,
        remaining=int(remaining) if remaining is not None else None,
        reset=reset,
        burst=burst,
    )


def parse_retry_after(value: str | None, now: Callable[[], datetime] | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date. Unparseable -> ``None``."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return None if math.isnan(seconds) else max(0.0, seconds)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now() if now is not None else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


def body_excerpt(body: bytes) -> str:
    """A short, readable excerpt of a failing body (HTML gateway pages lose their tags)."""
    text = body[: _EXCERPT_CHARS * 4].decode("utf-8", errors="replace")
    if "<" in text:
        text = html.unescape(_TAG_RE.sub(" ", text))
    text = _SPACE_RE.sub(" ", text).strip()
    return text[:_EXCERPT_CHARS]


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def find_api_error(obj: object) -> tuple[int | None, str | None] | None:
    """Zenoti's error in a decoded body, as (code, message), or ``None`` for no error.

    Shapes: ``{"error": {"code", "message"}}`` (documented), ``{"Error": {"StatusCode",
    "Message"}}`` (legacy), ``{"code", "message"}`` at the top (the 422 page-size answer).
    ``"error": null`` and an empty error object mean success.
    """
    if not isinstance(obj, dict):
        return None
    err = obj.get("error")
    if err is None:
        err = obj.get("Error")
    if isinstance(err, dict):
        code = _as_int(err.get("code", err.get("StatusCode")))
        message = _as_text(err.get("message", err.get("Message")))
        if code is None and not message:
            return None
        return code, message
    if isinstance(err, str) and err.strip():
        return None, err
    if "code" in obj and "message" in obj and len(obj) <= 4:
        code = _as_int(obj.get("code"))
        if code is not None:
            return code, _as_text(obj.get("message"))
    return None


def _parse_json(body: bytes) -> Any:
    # orjson refuses nesting deeper than 1024 with its own JSONDecodeError, so no
    # RecursionError escapes; it reads integers beyond 64 bits as floats, which the converter
    # refuses for int fields (a float id above 2**53 would be a silently corrupted id).
    return orjson.loads(body)


def decipher(
    method: str,
    path: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
) -> dict[str, Any]:
    """The JSON object of a successful answer, or the typed error it stands for."""
    where: RequestContext = {"method": method, "path": path, "status": status}
    if 300 <= status < 400:
        location = headers.get("Location")
        raise RedirectError(
            f"the server answered with a redirect to {location!r}, which is not followed "
            "(the API key is never sent to another URL)",
            location=location,
            **where,
        )
    parsed: Any = None
    parse_error: str | None = None
    if body.strip():
        try:
            parsed = _parse_json(body)
        except orjson.JSONDecodeError as exc:
            parse_error = f"the body is not valid JSON ({exc})"
    else:
        parse_error = "the body is empty"

    api_error = find_api_error(parsed)
    if status in (401, 403):
        code, message = api_error or (None, None)
        raise AuthenticationError(
            "authentication failed: check the API key (or token) and its access",
            code=code,
            api_message=message,
            body_excerpt="" if api_error else body_excerpt(body),
            **where,
        )
    if status == 429:
        code, message = api_error or (None, None)
        retry_after = parse_retry_after(headers.get("Retry-After"))
        raise RateLimitError(
            "rate limit exceeded"
            + (f"; the server asks to retry after {retry_after:g} s" if retry_after else ""),
            retry_after=retry_after,
            code=code,
            api_message=message,
            **where,
        )
    if api_error is not None:
        code, message = api_error
        cls = API_ERROR_CLASSES.get(code, APIError) if code is not None else APIError
        raise cls("Zenoti returned an error", code=code, api_message=message, **where)
    if status >= 400:
        raise HTTPStatusError(
            f"HTTP error {status}", body_excerpt=body_excerpt(body) if body else "", **where
        )
    if status < 200:
        raise HTTPStatusError(f"unexpected informational status {status}", **where)
    if parse_error is not None:
        # A 200 with an empty or broken body is never "no more data": it is an error.
        raise DecodeError(parse_error, **where)
    if not isinstance(parsed, dict):
        raise DecodeError(
            f"the body is JSON but not an object (got {type(parsed).__name__})", **where
        )
    return parsed
