"""The fault matrix: every row is one failure the API or the network can produce, run over
real HTTP against the mock server, with DEBUG logging on. Each ends in one of three outcomes:
retried and completed with the exact record set; a clear typed error naming what happened;
or an empty result where the API means "no data". Every row also checks that the API key
appears in no log record, no part of the exception and no repr.

The table in docs/reliability.md lists these rows with their expected behaviour.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from datetime import date
from typing import Any

import pytest

from tests.integration.conftest import client_side_tasks, connections_in_use
from tests.reliability._support import (
    SECRET,
    assert_secret_kept,
    case,
    debug_logging,
    expected_ids,
    multi_page_center,
    pull_ids,
)
from tests.transport.rawserver import raw_server, response
from zenoti_async import (
    APIError,
    ConnectError,
    DecodeError,
    HTTPStatusError,
    InvalidDataError,
    InvalidInputError,
    MissingInputError,
    PaginationError,
    RateLimitError,
    RedirectError,
    RequestTimeoutError,
    ResponseTooLargeError,
    RetryPolicy,
    ZenotiClient,
    ZenotiError,
)
from zenoti_async.testing import (
    PAGE_DETAILS_VARIANTS,
    Delay,
    Drift,
    EmptyBody,
    ErrorBody,
    ErrorResponse,
    GzipBomb,
    HugeBody,
    IgnorePage,
    InvalidJSON,
    NonObjectJSON,
    RateLimited,
    Redirect,
    ResetBeforeResponse,
    ResetMidBody,
    SlowBody,
    TruncatedJSON,
)

pytestmark = pytest.mark.usefixtures("caplog")


async def completes_after_one_retry(
    caplog: pytest.LogCaptureFixture, fault: Any, *, times: int = 1, **mock_options: Any
) -> list[float]:
    """Inject ``fault`` on page 2 of a multi-page center; the pull must still be exact."""
    debug_logging(caplog)
    async with case(**mock_options) as (mock, client, recorder):
        center = multi_page_center(mock)
        mock.inject(fault, center_id=center, page=2, times=times)
        assert await pull_ids(client, center) == expected_ids(mock, center)
        assert recorder.retries, "the fault was retried"
        assert all(r.page == 2 for r in recorder.retries)
        assert_secret_kept(caplog, client)
        return recorder.sleeps


async def fails_with(
    caplog: pytest.LogCaptureFixture,
    fault: Any,
    error: type[ZenotiError],
    *,
    attempts: int,
    **mock_options: Any,
) -> ZenotiError:
    """Inject ``fault`` on every request; the pull must raise ``error`` after ``attempts``."""
    debug_logging(caplog)
    async with case(**mock_options) as (mock, client, _recorder):
        center = multi_page_center(mock)
        mock.inject(fault)
        with pytest.raises(error) as info:
            await pull_ids(client, center)
        err = info.value
        assert err.attempts == attempts
        assert (err.method, err.path, err.page) == ("GET", "/v1/classes/sessions", 1)
        assert_secret_kept(caplog, client, err)
        return err


# -- 429 --------------------------------------------------------------------------------


async def test_429_with_retry_after_seconds_waits_that_long(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sleeps = await completes_after_one_retry(caplog, RateLimited(retry_after=3))
    assert sleeps == [3.0]


async def test_429_with_retry_after_as_http_date(caplog: pytest.LogCaptureFixture) -> None:
    [wait] = await completes_after_one_retry(caplog, RateLimited(retry_after=2, http_date=True))
    assert 0.0 <= wait <= 3.0


async def test_429_without_retry_after_backs_off(caplog: pytest.LogCaptureFixture) -> None:
    sleeps = await completes_after_one_retry(caplog, RateLimited(retry_after=None))
    assert sleeps == [0.25]  # wait_initial 0.5 x jitter 0.5


async def test_429_asking_more_than_the_cap_is_raised_at_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    err = await fails_with(caplog, RateLimited(retry_after=3600), RateLimitError, attempts=1)
    assert isinstance(err, RateLimitError) and err.retry_after == 3600
    assert err.status == 429


# -- HTTP error statuses ----------------------------------------------------------------


@pytest.mark.parametrize("body", ["json", "html", "empty"])
@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_5xx_is_retried_and_the_pull_completes(
    caplog: pytest.LogCaptureFixture, status: int, body: str
) -> None:
    await completes_after_one_retry(caplog, ErrorResponse(status, body=body))  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [408, 425])
async def test_408_and_425_are_retried(caplog: pytest.LogCaptureFixture, status: int) -> None:
    await completes_after_one_retry(caplog, ErrorResponse(status, body="empty"))


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_5xx_that_persists_is_a_status_error_after_all_attempts(
    caplog: pytest.LogCaptureFixture, status: int
) -> None:
    err = await fails_with(caplog, ErrorResponse(status, body="html"), HTTPStatusError, attempts=4)
    assert type(err) is HTTPStatusError and err.status == status
    assert isinstance(err, HTTPStatusError) and err.body_excerpt


# -- Zenoti's own error bodies, under every HTTP status ---------------------------------

BODY_STATUSES = [200, 400, 404, 500, 502]


@pytest.mark.parametrize("status", BODY_STATUSES)
@pytest.mark.parametrize(
    ("code", "error"),
    [(503, MissingInputError), (502, InvalidInputError)],
    ids=["MissingInput", "InvalidInput"],
)
async def test_request_errors_in_the_body_are_never_retried(
    caplog: pytest.LogCaptureFixture, code: int, error: type[APIError], status: int
) -> None:
    err = await fails_with(caplog, ErrorBody(code, status=status), error, attempts=1)
    assert (err.code, err.status) == (code, status)


@pytest.mark.parametrize("status", BODY_STATUSES)
async def test_object_not_found_in_the_body_is_an_empty_result(
    caplog: pytest.LogCaptureFixture, status: int
) -> None:
    debug_logging(caplog)
    async with case() as (mock, client, recorder):
        mock.inject(ErrorBody(404, status=status))
        assert await pull_ids(client, multi_page_center(mock)) == []
        for search in (client.classes.packages, client.classes.memberships):
            assert await search(search_type=0, item_ids=[1]).collect() == []
        assert recorder.retries == []
        assert_secret_kept(caplog, client)


@pytest.mark.parametrize("status", BODY_STATUSES)
async def test_io_exception_in_the_body_is_retried(
    caplog: pytest.LogCaptureFixture, status: int
) -> None:
    await completes_after_one_retry(caplog, ErrorBody(506, status=status))


@pytest.mark.parametrize("status", BODY_STATUSES)
async def test_invalid_data_in_the_body_follows_the_http_status(
    caplog: pytest.LogCaptureFixture, status: int
) -> None:
    if status in (500, 502):
        await completes_after_one_retry(caplog, ErrorBody(500, status=status))
    else:
        err = await fails_with(caplog, ErrorBody(500, status=status), InvalidDataError, attempts=1)
        assert err.api_message


# -- connections and time -------------------------------------------------------------


async def test_connection_refused(caplog: pytest.LogCaptureFixture) -> None:
    debug_logging(caplog)
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    async with case(client_options={"base_url": f"http://127.0.0.1:{port}"}) as (_m, client, _r):
        with pytest.raises(ConnectError, match="cannot connect") as info:
            await pull_ids(client, "e1693623-bda5-4b3e-a2a7-611ea4f1f7ad")
        assert info.value.attempts == 4
        assert_secret_kept(caplog, client, info.value)


async def test_reset_before_the_status_line(caplog: pytest.LogCaptureFixture) -> None:
    # aiohttp itself re-sends a GET once on a reset keep-alive connection: two resets in a
    # row reach the SDK's own retry.
    await completes_after_one_retry(caplog, ResetBeforeResponse(), times=2)


async def test_reset_in_the_middle_of_the_body(caplog: pytest.LogCaptureFixture) -> None:
    await completes_after_one_retry(caplog, ResetMidBody(), times=2)


async def test_connect_timeout(caplog: pytest.LogCaptureFixture) -> None:
    debug_logging(caplog)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):  # fill the accept queue: further SYNs are dropped, connect() hangs
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        async with case(
            client_options={"base_url": f"http://127.0.0.1:{port}", "timeout": 0.2,
                            "retry": RetryPolicy.no_wait(attempts=2)}
        ) as (_m, client, _r):  # fmt: skip
            with pytest.raises(RequestTimeoutError) as info:
                await pull_ids(client, "e1693623-bda5-4b3e-a2a7-611ea4f1f7ad")
            assert info.value.attempts == 2
            assert_secret_kept(caplog, client, info.value)
    finally:
        for sock in [*fillers, listener]:
            sock.close()


async def test_read_timeout(caplog: pytest.LogCaptureFixture) -> None:
    debug_logging(caplog)
    async with case(client_options={"timeout": 0.15, "retry": RetryPolicy.no_wait(attempts=2)}) as (
        mock, client, _r,
    ):  # fmt: skip
        mock.inject(Delay(1.0))
        with pytest.raises(RequestTimeoutError) as info:
            await pull_ids(client, multi_page_center(mock))
        assert info.value.attempts == 2
        assert_secret_kept(caplog, client, info.value)


async def test_body_trickling_slower_than_the_timeout(caplog: pytest.LogCaptureFixture) -> None:
    debug_logging(caplog)
    async with case(client_options={"timeout": 0.3, "retry": RetryPolicy.no_wait(attempts=2)}) as (
        mock, client, _r,
    ):  # fmt: skip
        mock.inject(SlowBody(chunk_size=512, delay=0.05))
        with pytest.raises(RequestTimeoutError) as info:
            await pull_ids(client, multi_page_center(mock))
        assert_secret_kept(caplog, client, info.value)


async def test_dns_failure(caplog: pytest.LogCaptureFixture) -> None:
    debug_logging(caplog)
    async with ZenotiClient(
        api_key=SECRET, base_url="https://no-such-host.invalid", rate_limit=None,
        retry=RetryPolicy.no_wait(attempts=2),
    ) as client:  # fmt: skip
        with pytest.raises(ConnectError, match="DNS lookup failed") as info:
            await pull_ids(client, "e1693623-bda5-4b3e-a2a7-611ea4f1f7ad")
        assert info.value.attempts == 2
        assert_secret_kept(caplog, client, info.value)


# -- bodies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        TruncatedJSON(honest_length=True),
        InvalidJSON(),
        NonObjectJSON(b"[]"),
        NonObjectJSON(b"null"),
        EmptyBody(),
        InvalidJSON(body=b"[" * 100_000 + b"]" * 100_000),
        InvalidJSON(body=b'{"sessions": ' + b"[" * 900 + b"]" * 900 + b"}"),
        InvalidJSON(body=b'{"sessions": [{"id": 123456789012345678901234567890}]}'),
    ],
    ids=["truncated", "invalid", "array", "null", "empty", "nested-100k", "nested-900", "huge-int"],
)
async def test_unusable_200_bodies_are_decode_errors(
    caplog: pytest.LogCaptureFixture, fault: Any
) -> None:
    err = await fails_with(caplog, fault, DecodeError, attempts=1)
    assert err.status == 200


async def test_truncated_body_with_a_lying_content_length_is_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    await completes_after_one_retry(caplog, TruncatedJSON(honest_length=False), times=2)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_body_over_the_size_cap(caplog: pytest.LogCaptureFixture, chunked: bool) -> None:
    debug_logging(caplog)
    async with case(client_options={"max_response_bytes": 1_000_000}) as (mock, client, _r):
        mock.inject(HugeBody(size=3_000_000, chunked=chunked))
        with pytest.raises(ResponseTooLargeError) as info:
            await pull_ids(client, multi_page_center(mock))
        assert info.value.attempts == 1
        assert_secret_kept(caplog, client, info.value)


async def test_gzip_bomb(caplog: pytest.LogCaptureFixture) -> None:
    await fails_with(
        caplog, GzipBomb(inflated_size=64 * 1024 * 1024), ResponseTooLargeError, attempts=1
    )


# -- pagination -------------------------------------------------------------------------


@pytest.mark.parametrize("variant", PAGE_DETAILS_VARIANTS)
async def test_page_details_variants_yield_the_exact_record_set(
    caplog: pytest.LogCaptureFixture, variant: str
) -> None:
    debug_logging(caplog)
    async with case(page_details=variant) as (mock, client, _r):
        center = multi_page_center(mock)
        paginator = client.classes.sessions(center_id=center, page_size=30)
        assert [s.id async for s in paginator] == expected_ids(mock, center)
        assert (paginator.count_mismatch is not None) == (variant == "lying_total")
        assert_secret_kept(caplog, client)


async def test_server_ignoring_page_raises_instead_of_looping(
    caplog: pytest.LogCaptureFixture,
) -> None:
    debug_logging(caplog)
    async with case() as (mock, client, _r):
        mock.inject(IgnorePage())
        with pytest.raises(PaginationError, match="ignore") as info:
            await pull_ids(client, multi_page_center(mock))
        assert len(mock.requests) == 2
        assert_secret_kept(caplog, client, info.value)


@pytest.mark.parametrize("action", ["insert", "delete"])
async def test_records_inserted_or_deleted_between_pages(
    caplog: pytest.LogCaptureFixture, action: str
) -> None:
    debug_logging(caplog)
    async with case() as (mock, client, _r):
        center = multi_page_center(mock)
        before = expected_ids(mock, center)
        mock.inject(Drift(action, 1), center_id=center, page=1, times=1)  # type: ignore[arg-type]
        paginator = client.classes.sessions(center_id=center)
        got = [s.id async for s in paginator]
        assert len(got) == len(set(got)), "no duplicates reach the caller"
        assert set(got) <= set(before) | set(expected_ids(mock, center))
        mismatch = paginator.count_mismatch
        assert mismatch is not None, "a shifted page is reported, never silent"
        if action == "insert":
            assert paginator.duplicates_dropped == 1
        warnings_ = [r for r in caplog.records if "inserted or deleted" in r.getMessage()]
        assert len(warnings_) == 1
        assert_secret_kept(caplog, client)


async def test_retries_exhausted_on_page_3_say_where_and_resume(
    caplog: pytest.LogCaptureFixture,
) -> None:
    debug_logging(caplog)
    async with case() as (mock, client, _r):
        center = multi_page_center(mock)
        rule = mock.inject(ErrorResponse(503, body="html"), center_id=center, page=3)
        paginator = client.classes.sessions(center_id=center)
        got: list[int | None] = []
        with pytest.raises(HTTPStatusError) as info:
            async for session in paginator:
                got.append(session.id)
        err = info.value
        assert (err.page, err.records_yielded, err.attempts) == (3, 200, 4)
        assert "page 3" in str(err) and "200 records were yielded" in str(err)
        mock.clear_faults()
        assert rule.fired == 4
        got.extend([s.id async for s in paginator])  # the same iterator resumes at page 3
        assert got == expected_ids(mock, center)
        resumed = client.classes.sessions(center_id=center, start_page=err.page or 1)
        assert [s.id async for s in resumed] == expected_ids(mock, center)[200:]
        assert_secret_kept(caplog, client, err)


# -- redirects -----------------------------------------------------------------------------


async def test_redirect_to_another_host_is_not_followed_and_the_key_stays_home(
    caplog: pytest.LogCaptureFixture,
) -> None:
    debug_logging(caplog)
    stolen: list[bytes] = []

    async def thief(head: bytes, writer: asyncio.StreamWriter) -> None:
        stolen.append(head)
        writer.write(response("200 OK", b'{"sessions": []}'))
        await writer.drain()

    async with raw_server(thief) as (elsewhere, _heads), case() as (mock, client, _r):
        mock.inject(Redirect(location=f"{elsewhere}/v1/classes/sessions", status=307))
        with pytest.raises(RedirectError) as info:
            await pull_ids(client, multi_page_center(mock))
        assert info.value.attempts == 1 and info.value.status == 307
        assert_secret_kept(caplog, client, info.value)
    assert stolen == []


# -- cancellation ------------------------------------------------------------------------


async def test_asyncio_timeout_around_a_pull(caplog: pytest.LogCaptureFixture) -> None:
    debug_logging(caplog)
    before = client_side_tasks()
    async with case(latency=0.05) as (mock, client, _r):
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.12):
                await pull_ids(client, multi_page_center(mock), page_size=10)
        assert connections_in_use(client) == 0
        assert client_side_tasks() == before
        assert_secret_kept(caplog, client)


async def test_cancel_during_a_retry_sleep(caplog: pytest.LogCaptureFixture) -> None:
    debug_logging(caplog)
    slow_policy = RetryPolicy(attempts=3, wait_initial=30.0, wait_max=30.0)  # real asyncio.sleep
    async with case(client_options={"retry": slow_policy}) as (mock, client, recorder):
        mock.inject(ErrorResponse(503))
        task = asyncio.create_task(pull_ids(client, multi_page_center(mock)))
        await recorder.retrying.wait()  # the first attempt failed; the 15 s sleep begins
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert len(mock.requests) == 1  # cancelled in the sleep, before a second attempt
        assert connections_in_use(client) == 0


async def test_cancel_in_the_middle_of_a_body(caplog: pytest.LogCaptureFixture) -> None:
    debug_logging(caplog)
    async with case() as (mock, client, _r):
        mock.inject(SlowBody(chunk_size=256, delay=0.02))
        task = asyncio.create_task(pull_ids(client, multi_page_center(mock)))
        while not mock.in_flight:  # noqa: ASYNC110  (the mock has no event to wait on)
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert connections_in_use(client) == 0


async def test_break_in_the_middle_of_a_page(caplog: pytest.LogCaptureFixture) -> None:
    debug_logging(caplog)
    before = client_side_tasks()
    async with case() as (mock, client, _r):
        async for session in client.classes.sessions(center_id=multi_page_center(mock)):
            if session.id is not None:
                break
        assert connections_in_use(client) == 0
        assert len(mock.requests) == 1
    assert client_side_tasks() == before


# -- bad input: refused before any request ------------------------------------------------

CENTER = "e1693623-bda5-4b3e-a2a7-611ea4f1f7ad"
BAD_INPUT: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("sessions", {"center_id": "e1693623"}, ValueError, "center_id"),
    ("sessions", {"center_id": 42}, TypeError, "center_id"),
    ("sessions", {"center_id": CENTER, "start_date": "2026-11-01"}, TypeError, "start_date"),
    (
        "sessions",
        {"center_id": CENTER, "end_date": date(2026, 1, 1), "start_date": date(2026, 2, 1)},
        ValueError,
        "end_date",
    ),
    (
        "sessions",
        {"center_id": CENTER, "start_date": __import__("datetime").datetime(2026, 11, 1)},
        TypeError,
        "start_date",
    ),
    ("sessions", {"center_id": CENTER, "class_id": "7"}, TypeError, "class_id"),
    ("sessions", {"center_id": CENTER, "class_name": ""}, ValueError, "class_name"),
    ("sessions", {"center_id": CENTER, "show_in_catalog": "yes"}, TypeError, "show_in_catalog"),
    ("sessions", {"center_id": CENTER, "status": 12}, ValueError, "status"),
    ("sessions", {"center_id": CENTER, "registration_id": -1}, ValueError, "registration_id"),
    ("sessions", {"center_id": CENTER, "session_id": True}, TypeError, "session_id"),
    ("sessions", {"center_id": CENTER, "recurrence_id": 1.5}, TypeError, "recurrence_id"),
    ("sessions", {"center_id": CENTER, "session_name": 5}, TypeError, "session_name"),
    ("sessions", {"center_id": CENTER, "guest_id": "guest"}, ValueError, "guest_id"),
    ("sessions", {"center_id": CENTER, "filters": [("a", "1")] * 6}, ValueError, "filters"),
    ("sessions", {"center_id": CENTER, "filters": "room=1"}, TypeError, "filters"),
    ("sessions", {"center_id": CENTER, "page_size": 0}, ValueError, "page_size"),
    ("sessions", {"center_id": CENTER, "page_size": 101}, ValueError, "page_size"),
    ("sessions", {"center_id": CENTER, "start_page": 0}, ValueError, "start_page"),
    ("packages", {"search_type": 2, "item_ids": [1]}, ValueError, "search_type"),
    ("packages", {"search_type": "class", "item_ids": [1]}, TypeError, "search_type"),
    ("packages", {"search_type": 0, "item_ids": []}, ValueError, "item_ids"),
    ("packages", {"search_type": 0, "item_ids": "11370"}, TypeError, "item_ids"),
    ("packages", {"search_type": 1, "item_ids": [11370]}, TypeError, "item_ids"),
    ("memberships", {"search_type": 3, "item_ids": [1]}, ValueError, "search_type"),
    ("memberships", {"search_type": 0, "item_ids": [None]}, TypeError, "item_ids"),
    ("memberships", {"search_type": 0, "item_ids": [1], "page_size": 500}, ValueError, "page_size"),
]


@pytest.mark.parametrize(
    ("endpoint", "kwargs", "error", "name"),
    BAD_INPUT,
    ids=[f"{e}-{n}-{i}" for i, (e, _k, _x, n) in enumerate(BAD_INPUT)],
)
async def test_bad_input_is_refused_before_any_request(
    caplog: pytest.LogCaptureFixture,
    endpoint: str,
    kwargs: dict[str, Any],
    error: type[Exception],
    name: str,
) -> None:
    async with case() as (mock, client, _r):
        with pytest.raises(error, match=rf"^{name}") as info:
            getattr(client.classes, endpoint)(**kwargs)
        assert mock.requests == []
        assert_secret_kept(caplog, client, info.value)
