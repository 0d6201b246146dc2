"""Request building, decoding, error mapping and retry decisions, with aioresponses.

These run on the pinned aiohttp (aioresponses cannot run on aiohttp >= 3.14); the transport
itself is proven against a real local server in tests/transport/.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aioresponses import aioresponses
from yarl import URL

from tests.fakes import FakeClock
from zenoti_async import (
    AuthenticationError,
    HTTPStatusError,
    InvalidInputError,
    MembershipSearchType,
    PackageSearchType,
    PaginationError,
    RateLimitError,
    RetryPolicy,
    TokenBucket,
    ZenotiClient,
)

pytestmark = pytest.mark.aioresponses

KEY = "test-key-5f1c0ffee"
BASE = "https://api.zenoti.com"
CENTER = "e1693623-bda5-4b3e-a2a7-611ea4f1f7ad"
SESSIONS_RE = re.compile(r"^https://api\.zenoti\.com/v1/classes/sessions\?.*$")
PACKAGES_RE = re.compile(r"^https://api\.zenoti\.com/v1/classes/packages\?.*$")
MEMBERSHIPS_RE = re.compile(r"^https://api\.zenoti\.com/v1/classes/memberships\?.*$")


def sessions_body(ids: list[int], total: int | None = None) -> dict[str, Any]:
    return {
        "sessions": [{"id": i, "name": f"s{i}", "center_id": CENTER} for i in ids],
        "classes": [],
        "instructors": [],
        "categories": [],
        "rooms": [],
        "levels": [],
        "opening_time": "2026-11-01T06:00:00",
        "page_details": None if total is None else {"total_records": total},
        "error": None,
    }


@pytest.fixture
def mocked() -> Any:
    with aioresponses() as m:
        yield m


@pytest.fixture
async def client() -> AsyncIterator[ZenotiClient]:
    async with ZenotiClient(api_key=KEY, retry=RetryPolicy.no_wait(), rate_limit=None) as c:
        yield c


def sent_urls(m: Any, method: str = "GET") -> list[URL]:
    return [url for (meth, url), calls in m.requests.items() if meth == method for _ in calls]


def sent_calls(m: Any) -> list[tuple[URL, dict[str, Any]]]:
    return [(url, call.kwargs) for (_meth, url), calls in m.requests.items() for call in calls]


async def test_sessions_sends_key_header_and_paging_wire_names(
    mocked: Any, client: ZenotiClient
) -> None:
    mocked.get(SESSIONS_RE, payload=sessions_body([1, 2], total=2))
    records = [s async for s in client.classes.sessions(center_id=CENTER, page_size=2)]
    assert [s.id for s in records] == [1, 2]
    [(url, kwargs)] = sent_calls(mocked)
    assert kwargs["headers"]["Authorization"] == f"apikey {KEY}"
    assert kwargs["allow_redirects"] is False
    assert list(url.query.items()) == [("center_id", CENTER), ("page", "1"), ("size", "2")]


async def test_memberships_use_page_number_and_page_size(mocked: Any, client: ZenotiClient) -> None:
    mocked.get(
        MEMBERSHIPS_RE, payload={"memberships": [{"id": "m1"}], "page_details": None, "error": None}
    )
    items = await client.classes.memberships(
        search_type=MembershipSearchType.CLASS, item_ids=[7]
    ).collect()
    assert [m.id for m in items] == ["m1"]
    [url] = sent_urls(mocked)
    assert url.query["page_number"] == "1" and url.query["page_size"] == "100"
    assert url.query["item_ids"] == "7" and url.query["search_type"] == "0"


async def test_bearer_token_is_sent_as_bearer(mocked: Any) -> None:
    mocked.get(PACKAGES_RE, payload={"packages": [], "error": None})
    async with ZenotiClient(access_token="tok", rate_limit=None) as c:
        await c.classes.packages(search_type=PackageSearchType.CLASS, item_ids=[1]).collect()
    [(_url, kwargs)] = sent_calls(mocked)
    assert kwargs["headers"]["Authorization"] == "bearer tok"


async def test_pages_are_followed_until_a_short_page(mocked: Any, client: ZenotiClient) -> None:
    mocked.get(SESSIONS_RE, payload=sessions_body([1, 2]))
    mocked.get(SESSIONS_RE, payload=sessions_body([3, 4]))
    mocked.get(SESSIONS_RE, payload=sessions_body([5]))
    pages = [p async for p in client.classes.sessions(center_id=CENTER, page_size=2).pages()]
    assert [[s.id for s in p.sessions] for p in pages] == [[1, 2], [3, 4], [5]]
    assert [u.query["page"] for u in sent_urls(mocked)] == ["1", "2", "3"]


async def test_retry_refetches_the_same_page_in_place(mocked: Any, client: ZenotiClient) -> None:
    mocked.get(SESSIONS_RE, payload=sessions_body([1, 2]))
    mocked.get(SESSIONS_RE, status=503, body="<html>Service Unavailable</html>")
    mocked.get(SESSIONS_RE, payload=sessions_body([3]))
    ids = [s.id async for s in client.classes.sessions(center_id=CENTER, page_size=2)]
    assert ids == [1, 2, 3]
    assert [u.query["page"] for u in sent_urls(mocked)] == ["1", "2", "2"]


async def test_exhausted_retries_say_which_page_and_how_many_records_came_before(
    mocked: Any,
) -> None:
    mocked.get(SESSIONS_RE, payload=sessions_body([1, 2]))
    for _ in range(3):
        mocked.get(SESSIONS_RE, status=502, body="<html>Bad Gateway</html>")
    mocked.get(SESSIONS_RE, payload=sessions_body([3]))
    async with ZenotiClient(
        api_key=KEY, retry=RetryPolicy.no_wait(attempts=3), rate_limit=None
    ) as c:
        paginator = c.classes.sessions(center_id=CENTER, page_size=2)
        seen: list[int | None] = []
        with pytest.raises(HTTPStatusError) as info:
            async for s in paginator:
                seen.append(s.id)
        err = info.value
        assert (err.page, err.records_yielded, err.attempts, err.status) == (2, 2, 3, 502)
        assert "GET /v1/classes/sessions" in str(err) and "page 2" in str(err)
        # The same iterator resumes at the failed page.
        assert paginator.next_page == 2
        seen.extend([s.id async for s in paginator])
    assert seen == [1, 2, 3]


async def test_invalid_input_body_is_never_retried_even_under_http_502(
    mocked: Any, client: ZenotiClient
) -> None:
    mocked.get(
        PACKAGES_RE,
        status=502,
        payload={
            "error": {
                "code": 502,
                "message": "Search Type is invalid. (Hint: 0: Class, 1: Center).",
            }
        },
    )
    with pytest.raises(InvalidInputError) as info:
        await client.classes.packages(search_type=0, item_ids=[1]).collect()
    assert info.value.attempts == 1
    assert len(sent_urls(mocked)) == 1


async def test_object_not_found_is_an_empty_result(mocked: Any, client: ZenotiClient) -> None:
    mocked.get(
        PACKAGES_RE, status=404, payload={"error": {"code": 404, "message": "No Data found."}}
    )
    assert await client.classes.packages(search_type=0, item_ids=[1]).collect() == []


async def test_error_inside_http_200_is_raised(mocked: Any, client: ZenotiClient) -> None:
    mocked.get(
        SESSIONS_RE,
        payload={"sessions": [], "error": {"code": 500, "message": "Something went wrong."}},
    )
    with pytest.raises(Exception, match="Something went wrong") as info:
        await client.classes.sessions(center_id=CENTER).collect()
    assert info.value.__class__.__name__ == "InvalidDataError"


async def test_429_pauses_the_shared_limiter_for_retry_after(mocked: Any) -> None:
    clock = FakeClock()
    limiter = TokenBucket(1000, 1.0, clock=clock, sleep=clock.sleep)
    policy = RetryPolicy(attempts=3, sleep=clock.sleep, random=lambda: 0.0)
    mocked.get(SESSIONS_RE, status=429, headers={"Retry-After": "5"})
    mocked.get(SESSIONS_RE, payload=sessions_body([1]))
    async with ZenotiClient(api_key=KEY, retry=policy, rate_limit=limiter) as c:
        assert [s.id async for s in c.classes.sessions(center_id=CENTER)] == [1]
    assert limiter.stats().pauses == 1
    assert clock.now - 1000.0 == pytest.approx(5.0, abs=0.002)  # + one 1 ms interval


async def test_retry_after_beyond_the_cap_is_raised_not_waited(mocked: Any) -> None:
    clock = FakeClock()
    policy = RetryPolicy(attempts=5, max_retry_after=30, sleep=clock.sleep)
    mocked.get(SESSIONS_RE, status=429, headers={"Retry-After": "3600"})
    async with ZenotiClient(api_key=KEY, retry=policy, rate_limit=None) as c:
        with pytest.raises(RateLimitError) as info:
            await c.classes.sessions(center_id=CENTER).collect()
    assert info.value.retry_after == 3600
    assert clock.sleeps == []


async def test_backoff_is_exponential_full_jitter_and_capped(mocked: Any) -> None:
    clock = FakeClock()
    policy = RetryPolicy(
        attempts=5, wait_initial=1.0, wait_max=3.0, sleep=clock.sleep, random=lambda: 1.0
    )
    for _ in range(5):
        mocked.get(SESSIONS_RE, status=500)
    async with ZenotiClient(api_key=KEY, retry=policy, rate_limit=None) as c:
        with pytest.raises(HTTPStatusError):
            await c.classes.sessions(center_id=CENTER).collect()
    assert clock.sleeps == [1.0, 2.0, 3.0, 3.0]


async def test_authentication_failure_is_not_retried(mocked: Any, client: ZenotiClient) -> None:
    mocked.get(SESSIONS_RE, status=401, payload={"message": "Unauthorized"})
    with pytest.raises(AuthenticationError):
        await client.classes.sessions(center_id=CENTER).collect()
    assert len(sent_urls(mocked)) == 1


async def test_server_ignoring_page_raises(mocked: Any, client: ZenotiClient) -> None:
    mocked.get(SESSIONS_RE, payload=sessions_body([1, 2]), repeat=True)
    with pytest.raises(PaginationError):
        await client.classes.sessions(center_id=CENTER, page_size=2).collect()
    assert len(sent_urls(mocked)) == 2


async def test_bad_input_raises_before_any_request(mocked: Any, client: ZenotiClient) -> None:
    with pytest.raises(ValueError, match="^center_id"):
        client.classes.sessions(center_id="nope")
    with pytest.raises(ValueError, match="^page_size"):
        client.classes.packages(search_type=0, item_ids=[1], page_size=101)
    assert sent_urls(mocked) == []


async def test_retries_are_logged_as_warnings_without_the_key(
    mocked: Any, client: ZenotiClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="zenoti_async")
    mocked.get(SESSIONS_RE, status=503)
    mocked.get(SESSIONS_RE, payload=sessions_body([1]))
    await client.classes.sessions(center_id=CENTER).collect()
    warnings_ = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings_) == 1 and "retrying" in warnings_[0].getMessage()
    assert any("-> 200" in r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
    assert all(KEY not in r.getMessage() for r in caplog.records)
