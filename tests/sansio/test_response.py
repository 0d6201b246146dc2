"""Reading answers: status/body -> JSON or the right typed error. Pure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

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
    ServerIOError,
)
from zenoti_async._sansio import response as _wire
from zenoti_async._sansio.retry import is_retryable

PATH = "/v1/classes/packages"


def decipher(status: int, body: bytes, headers: dict[str, str] | None = None) -> object:
    return _wire.decipher("GET", PATH, status, headers or {}, body)


def test_success_returns_the_object() -> None:
    assert decipher(200, b'{"packages": [], "error": null}') == {"packages": [], "error": None}


@pytest.mark.parametrize(
    ("code", "message", "cls", "retried"),
    [
        (
            503,
            "Search Type is not provided. (Hint: 0: Class, 1: Center).",
            MissingInputError,
            False,
        ),
        (502, "Search Type is invalid. (Hint: 0: Class, 1: Center).", InvalidInputError, False),
        (404, "No Data found.", ObjectNotFoundError, False),
        (506, "IOException Something went wrong.", ServerIOError, True),
    ],
)
@pytest.mark.parametrize("status", [200, 400, 404, 500, 502])
def test_body_codes_map_to_their_errors_whatever_the_status(
    code: int, message: str, cls: type[APIError], retried: bool, status: int
) -> None:
    body = f'{{"error": {{"code": {code}, "message": "{message}"}}}}'.encode()
    with pytest.raises(cls) as info:
        decipher(status, body)
    err = info.value
    assert (err.code, err.api_message, err.status) == (code, message, status)
    assert is_retryable(err) is retried
    text = str(err)
    assert PATH in text and f"HTTP {status}" in text and str(code) in text and message in text


def test_invalid_data_is_retried_only_when_the_http_status_says_so() -> None:
    body = b'{"error": {"code": 500, "message": "Something went wrong."}}'
    with pytest.raises(InvalidDataError) as in_200:
        decipher(200, body)
    with pytest.raises(InvalidDataError) as in_502:
        decipher(502, body)
    assert not is_retryable(in_200.value)
    assert is_retryable(in_502.value)


def test_gateway_html_is_a_retryable_status_error_with_a_readable_excerpt() -> None:
    html = (
        b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
    )
    with pytest.raises(HTTPStatusError) as info:
        decipher(502, html)
    assert type(info.value) is HTTPStatusError
    assert info.value.body_excerpt.startswith("502 Bad Gateway Bad Gateway")
    assert is_retryable(info.value)


@pytest.mark.parametrize("status", [408, 425, 500, 503, 504])
def test_transient_statuses_are_retryable(status: int) -> None:
    with pytest.raises(HTTPStatusError) as info:
        decipher(status, b"")
    assert is_retryable(info.value)


@pytest.mark.parametrize("status", [400, 404, 405, 422])
def test_client_statuses_are_not_retryable(status: int) -> None:
    with pytest.raises(ZenotiErrorTypes) as info:
        decipher(status, b"")
    assert not is_retryable(info.value)


ZenotiErrorTypes = (HTTPStatusError, APIError)


def test_the_422_page_size_body_is_an_api_error() -> None:
    with pytest.raises(APIError) as info:
        decipher(422, b'{"code": 422, "message": "You cannot request more than 100 items."}')
    assert info.value.code == 422
    assert "100 items" in str(info.value)


def test_legacy_error_shape_is_read() -> None:
    with pytest.raises(InvalidInputError):
        decipher(200, b'{"Error": {"StatusCode": 502, "Message": "bad"}}')


def test_empty_error_object_is_success() -> None:
    assert decipher(200, b'{"sessions": [], "error": {}}') == {"sessions": [], "error": {}}


@pytest.mark.parametrize("status", [401, 403])
def test_auth_failures(status: int) -> None:
    with pytest.raises(AuthenticationError) as info:
        decipher(status, b'{"message": "Unauthorized"}')
    assert not is_retryable(info.value)


def test_429_carries_retry_after_seconds() -> None:
    with pytest.raises(RateLimitError) as info:
        decipher(429, b"", {"Retry-After": "7"})
    assert info.value.retry_after == 7.0
    assert is_retryable(info.value)


def test_retry_after_http_date() -> None:
    now = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)
    assert _wire.parse_retry_after("Sat, 21 Nov 2026 12:00:30 GMT", now=lambda: now) == 30.0
    assert _wire.parse_retry_after("Sat, 21 Nov 2026 11:00:00 GMT", now=lambda: now) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "NaN"])
def test_unusable_retry_after_is_none(value: str | None) -> None:
    assert _wire.parse_retry_after(value) is None


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirects_are_errors(status: int) -> None:
    with pytest.raises(RedirectError) as info:
        decipher(status, b"", {"Location": "https://evil.example/steal"})
    assert info.value.location == "https://evil.example/steal"
    assert not is_retryable(info.value)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"", "empty"),
        (b"   ", "empty"),
        (b'{"sessions": [', "not valid JSON"),
        (b"<html>oops</html>", "not valid JSON"),
        (b"[1, 2]", "not an object"),
        (b'"text"', "not an object"),
        (b"[" * 5000 + b"]" * 5000, "not valid JSON"),
    ],
    ids=["empty", "blank", "truncated", "html", "array", "string", "deep"],
)
def test_unusable_200_bodies_are_decode_errors(body: bytes, needle: str) -> None:
    with pytest.raises(DecodeError, match=needle) as info:
        decipher(200, body)
    assert not is_retryable(info.value)


def test_rate_limit_headers_are_parsed() -> None:
    snap = _wire.parse_rate_limit(
        {
            "Organization-RateLimit-Limit": "60;w=60;b=60",
            "RateLimit-Remaining": "48",
            "RateLimit-Reset": "50",
        }
    )
    assert snap == _wire.RateLimitSnapshot(
        limit=60, window=60.0, remaining=48, reset=50.0, burst=60
    )
    assert _wire.parse_rate_limit({}) is None
