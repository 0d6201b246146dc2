"""Each fault, observed on the wire with a raw aiohttp client; and how rules pick requests."""

from __future__ import annotations

import time
import zlib
from email.utils import parsedate_to_datetime

import aiohttp
import orjson
import pytest

from tests.testing._support import Reply, center_with_sessions, fetch
from zenoti_async.testing import (
    Delay,
    Drift,
    EmptyBody,
    ErrorBody,
    ErrorResponse,
    FaultPlan,
    GatewayError,
    GzipBomb,
    HugeBody,
    IgnorePage,
    InvalidJSON,
    Latency,
    MockZenoti,
    NonObjectJSON,
    OneOf,
    RateLimited,
    Redirect,
    ResetBeforeResponse,
    ResetMidBody,
    SlowBody,
    TruncatedJSON,
)

pytestmark = pytest.mark.zenoti_mock(centers=30, seed=7)


def sessions_params(mock: MockZenoti, **extra: object) -> dict[str, str]:
    params = {"center_id": center_with_sessions(mock.dataset, 60), "size": 50, **extra}
    return {k: str(v) for k, v in params.items()}


async def normal(http: aiohttp.ClientSession, mock: MockZenoti) -> Reply:
    return await fetch(http, mock, "sessions", sessions_params(mock))


# ------------------------------------------------------------------ HTTP-level faults


@pytest.mark.parametrize(
    ("fault", "header"),
    [
        (RateLimited(retry_after=7), "7"),
        (RateLimited(retry_after=2.2), "3"),
        (RateLimited(retry_after=None), None),
    ],
)
async def test_rate_limited_with_seconds_or_without_retry_after(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, fault: RateLimited, header: str | None
) -> None:
    zenoti_mock.inject(fault)
    reply = await normal(http, zenoti_mock)
    assert reply.status == 429
    assert reply.headers.get("Retry-After") == header
    assert zenoti_mock.requests[-1].fault == "RateLimited"


async def test_rate_limited_with_an_http_date(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(RateLimited(retry_after=120, http_date=True))
    reply = await normal(http, zenoti_mock)
    assert reply.status == 429
    when = parsedate_to_datetime(reply.headers["Retry-After"])
    assert reply.headers["Retry-After"].endswith(" GMT")
    assert 100 < when.timestamp() - time.time() < 140


@pytest.mark.parametrize(
    "case",
    [
        (ErrorResponse(500), 500, "application/json", b'{"Message":"An error has occurred."}'),
        (GatewayError(502), 502, "text/html", b"<h1>502 Bad Gateway</h1>"),
        (GatewayError(503, body="empty"), 503, "text/html", b""),
        (GatewayError(504, body="json"), 504, "application/json", b"Gateway Timeout"),
        (ErrorResponse(408, body="text"), 408, "text/plain", b"Request Timeout"),
        (ErrorResponse(425), 425, "application/json", b"Too Early"),
    ],
)
async def test_error_statuses_with_html_json_text_or_empty_bodies(
    zenoti_mock: MockZenoti,
    http: aiohttp.ClientSession,
    case: tuple[ErrorResponse, int, str, bytes],
) -> None:
    fault, status, content_type, marker = case
    zenoti_mock.inject(fault)
    reply = await normal(http, zenoti_mock)
    assert reply.status == status
    assert reply.headers["Content-Type"].startswith(content_type)
    assert marker in reply.body
    if not marker:
        assert reply.body == b""


async def test_gateway_error_can_carry_retry_after(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(GatewayError(503, retry_after=4))
    assert (await normal(http, zenoti_mock)).headers["Retry-After"] == "4"


async def test_error_object_inside_a_200(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(ErrorBody(506))
    reply = await normal(http, zenoti_mock)
    assert reply.status == 200
    body = reply.json()
    assert body["error"]["code"] == 506
    assert "StackTrace" in body["error"]["message"]
    assert body["sessions"] is None


async def test_redirect_to_another_host(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(Redirect())
    params = sessions_params(zenoti_mock)
    reply = await fetch(http, zenoti_mock, "sessions", params, allow_redirects=False)
    assert reply.status == 302
    location = reply.headers["Location"]
    assert location.startswith("https://redirect.zenoti-mock.invalid/v1/classes/sessions?")
    assert str(params["center_id"]) in location
    zenoti_mock.faults = [Redirect("http://198.51.100.7/elsewhere", status=307)]
    reply = await fetch(http, zenoti_mock, "sessions", params, allow_redirects=False)
    assert (reply.status, reply.headers["Location"]) == (307, "http://198.51.100.7/elsewhere")


# ------------------------------------------------------------------ body faults


async def test_truncated_json_with_an_honest_content_length(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    full = (await normal(http, zenoti_mock)).body
    zenoti_mock.inject(TruncatedJSON(fraction=0.5))
    reply = await normal(http, zenoti_mock)
    assert reply.status == 200
    assert int(reply.headers["Content-Length"]) == len(reply.body) == len(full) // 2
    assert full.startswith(reply.body)
    with pytest.raises(orjson.JSONDecodeError):
        reply.json()


async def test_truncated_json_with_a_lying_content_length_fails_the_read(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(TruncatedJSON(honest_length=False))
    with pytest.raises(aiohttp.ClientPayloadError):
        await normal(http, zenoti_mock)


async def test_invalid_json_and_json_that_is_not_an_object(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(InvalidJSON(), nth=1)
    zenoti_mock.inject(NonObjectJSON(b'"OK"'), nth=2)
    zenoti_mock.inject(NonObjectJSON(), nth=3)
    invalid = await normal(http, zenoti_mock)
    assert invalid.status == 200
    assert invalid.headers["Content-Type"].startswith("application/json")
    with pytest.raises(orjson.JSONDecodeError):
        invalid.json()
    assert (await normal(http, zenoti_mock)).json() == "OK"
    assert (await normal(http, zenoti_mock)).json() == []


async def test_empty_200_body(zenoti_mock: MockZenoti, http: aiohttp.ClientSession) -> None:
    zenoti_mock.inject(EmptyBody())
    reply = await normal(http, zenoti_mock)
    assert (reply.status, reply.body, reply.headers["Content-Length"]) == (200, b"", "0")


async def test_slow_body_trickles_the_real_body(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    full = (await normal(http, zenoti_mock)).body
    chunk = len(full) // 4 + 1
    zenoti_mock.inject(SlowBody(chunk_size=chunk, delay=0.01))
    started = time.perf_counter()
    reply = await normal(http, zenoti_mock)
    assert time.perf_counter() - started >= 0.03  # three pauses between four chunks
    assert reply.body == full


async def test_huge_body_is_valid_json_without_content_length(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    full = (await normal(http, zenoti_mock)).json()
    zenoti_mock.inject(HugeBody(size=3 * 1024 * 1024))
    reply = await normal(http, zenoti_mock)
    assert "Content-Length" not in reply.headers
    assert reply.headers["Transfer-Encoding"] == "chunked"
    assert len(reply.body) >= 3 * 1024 * 1024
    body = reply.json()
    assert body["sessions"] == full["sessions"]
    zenoti_mock.faults = [HugeBody(size=1024 * 1024, chunked=False)]
    sized = await normal(http, zenoti_mock)
    assert int(sized.headers["Content-Length"]) == len(sized.body) >= 1024 * 1024


async def test_gzip_bomb_inflates_far_beyond_its_size(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    inflated = 8 * 1024 * 1024
    zenoti_mock.inject(GzipBomb(inflated_size=inflated))
    async with aiohttp.ClientSession(auto_decompress=False) as raw:
        reply = await normal(raw, zenoti_mock)
    assert reply.headers["Content-Encoding"] == "gzip"
    assert int(reply.headers["Content-Length"]) == len(reply.body) < 64 * 1024
    data = zlib.decompressobj(31).decompress(reply.body)
    assert len(data) == inflated
    assert orjson.loads(data) == {"sessions": [], "error": None}


# ------------------------------------------------------------------ connection faults


async def test_a_single_reset_is_retried_silently_by_aiohttp(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    # aiohttp re-sends an idempotent request once after a disconnect (RFC 9112 9.3.1), so a
    # client built on it never sees a lone reset: the mock records both attempts.
    zenoti_mock.inject(ResetBeforeResponse(), times=1)
    assert (await normal(http, zenoti_mock)).status == 200
    assert [r.status for r in zenoti_mock.requests] == [None, 200]


async def test_reset_before_the_response(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(ResetBeforeResponse(), times=2)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await normal(http, zenoti_mock)
    record = zenoti_mock.requests[-1]
    assert (record.status, record.dropped, record.fault) == (None, True, "ResetBeforeResponse")
    assert len(zenoti_mock.requests) == 2
    assert (await normal(http, zenoti_mock)).status == 200


async def test_tcp_reset_before_the_response(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(ResetBeforeResponse(rst=True), times=2)
    with pytest.raises(aiohttp.ClientOSError):
        await normal(http, zenoti_mock)
    assert (await normal(http, zenoti_mock)).status == 200


@pytest.mark.parametrize("rst", [False, True])
async def test_reset_in_the_middle_of_the_body(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, rst: bool
) -> None:
    full = (await normal(http, zenoti_mock)).body
    zenoti_mock.inject(ResetMidBody(rst=rst), times=1)
    params = sessions_params(zenoti_mock)
    async with http.get(
        zenoti_mock.url("sessions"), params=params, headers=zenoti_mock.auth_headers
    ) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Length"] == str(len(full))
        with pytest.raises(aiohttp.ClientPayloadError):
            await resp.read()
    record = zenoti_mock.requests[-1]
    assert (record.status, record.dropped, record.response_bytes) == (200, True, len(full) // 2)


# ------------------------------------------------------------------ modifiers


async def test_delay_and_latency_add_time(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(Delay(0.03), times=1)
    started = time.perf_counter()
    assert (await normal(http, zenoti_mock)).status == 200
    assert time.perf_counter() - started >= 0.03
    zenoti_mock.latency = 0.02
    started = time.perf_counter()
    await normal(http, zenoti_mock)
    assert time.perf_counter() - started >= 0.02


def test_latency_distributions_are_reproducible() -> None:
    first, second = Latency.uniform(0.0, 1.0, seed=4), Latency.uniform(0.0, 1.0, seed=4)
    draws = [first.sample() for _ in range(20)]
    assert draws == [second.sample() for _ in range(20)]
    assert all(0.0 <= d <= 1.0 for d in draws)
    assert len(set(draws)) == 20
    first.reset()
    assert [first.sample() for _ in range(20)] == draws
    capped = Latency.exponential(0.5, cap=0.6, seed=1)
    assert max(capped.sample() for _ in range(200)) == 0.6
    assert Latency.fixed(0.25).sample() == 0.25


async def test_ignore_page_always_serves_page_one(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    first = await fetch(http, zenoti_mock, "sessions", sessions_params(zenoti_mock, page=1))
    zenoti_mock.inject(IgnorePage())
    second = await fetch(http, zenoti_mock, "sessions", sessions_params(zenoti_mock, page=2))
    assert second.body == first.body
    assert zenoti_mock.requests[-1].faults == ["IgnorePage"]


async def test_drift_delete_makes_an_offset_pager_skip_a_record(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    center = center_with_sessions(zenoti_mock.dataset, 40)
    original = [s["id"] for s in zenoti_mock.dataset.sessions_for(center)]
    zenoti_mock.inject(Drift("delete"), center_id=center, page=1, times=1)
    page1 = await fetch(http, zenoti_mock, "sessions", {"center_id": center, "page": 1})
    page2 = await fetch(http, zenoti_mock, "sessions", {"center_id": center, "page": 2})
    seen = [s["id"] for s in page1.json()["sessions"] + page2.json()["sessions"]]
    assert seen == original[:10] + original[11:21]  # original[10] slid onto page 1: missed
    assert page2.json()["page_details"]["total_records"] == len(original) - 1
    current = [s["id"] for s in zenoti_mock.dataset.sessions_for(center)]
    assert current == original[1:]
    zenoti_mock.reset()
    assert [s["id"] for s in zenoti_mock.dataset.sessions_for(center)] == original


async def test_drift_insert_makes_an_offset_pager_see_a_record_twice(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    center = center_with_sessions(zenoti_mock.dataset, 40)
    original = [s["id"] for s in zenoti_mock.dataset.sessions_for(center)]
    zenoti_mock.inject(Drift("insert", count=2), center_id=center, page=1, times=1)
    page1 = await fetch(http, zenoti_mock, "sessions", {"center_id": center, "page": 1})
    page2 = await fetch(http, zenoti_mock, "sessions", {"center_id": center, "page": 2})
    first, second = page1.json()["sessions"], page2.json()["sessions"]
    assert [s["id"] for s in first] == original[:10]
    assert [s["id"] for s in second] == original[8:18]  # two records of page 1 again
    current = zenoti_mock.dataset.sessions_for(center)
    assert len(current) == len(original) + 2
    inserted = [s for s in current if s["id"] not in original]
    assert len(inserted) == 2
    assert inserted[0]["start_time"] == first[0]["start_time"]


async def test_drift_on_packages_changes_the_org_wide_list(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    centers = zenoti_mock.center_ids
    before = zenoti_mock.dataset.packages_for(1, centers)
    zenoti_mock.inject(Drift("delete"), endpoint="packages", times=1)
    params = {"search_type": 1, "item_ids": ",".join(centers), "size": 5}
    await fetch(http, zenoti_mock, "packages", params)
    assert zenoti_mock.dataset.packages_for(1, centers) == before[1:]
    page = await fetch(http, zenoti_mock, "packages", params)
    assert page.json()["packages"] == before[1:6]


# ------------------------------------------------------------------ choosing requests


async def test_a_sequence_scripts_the_first_requests(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.faults = FaultPlan.sequence(
        RateLimited(retry_after=1), None, GatewayError(503), endpoint="sessions"
    )
    statuses = [(await normal(http, zenoti_mock)).status for _ in range(5)]
    assert statuses == [429, 200, 503, 200, 200]
    assert [r.fault for r in zenoti_mock.requests] == [
        "RateLimited",
        None,
        "GatewayError",
        None,
        None,
    ]


async def test_rules_target_one_center_or_one_endpoint(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    one, other = zenoti_mock.center_ids[:2]
    rule = zenoti_mock.inject(ErrorResponse(500), center_id=one.replace("-", "").upper())
    zenoti_mock.inject(GatewayError(502), endpoint="memberships")
    assert (await fetch(http, zenoti_mock, "sessions", {"center_id": one})).status == 500
    assert (await fetch(http, zenoti_mock, "sessions", {"center_id": other})).status == 200
    packages = {"search_type": 1, "item_ids": one}
    assert (await fetch(http, zenoti_mock, "packages", packages)).status in (200, 404)
    memberships = {"search_type": 2, "item_ids": one}
    assert (await fetch(http, zenoti_mock, "memberships", memberships)).status == 502
    assert (rule.seen, rule.fired) == (1, 1)


async def test_nth_counts_among_matching_requests_and_times_caps_firing(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(ErrorResponse(500), endpoint="sessions", nth=[2, 3])
    capped = zenoti_mock.inject(GatewayError(504), endpoint="packages", times=2)
    packages = {"search_type": 1, "item_ids": zenoti_mock.center_ids[0]}
    statuses = []
    for _ in range(4):
        statuses.append((await normal(http, zenoti_mock)).status)
        statuses.append((await fetch(http, zenoti_mock, "packages", packages)).status)
    assert statuses[0::2] == [200, 500, 500, 200]
    assert statuses[1::2][:2] == [504, 504]
    assert 504 not in statuses[1::2][2:]
    assert capped.fired == 2


async def test_probabilities_are_reproducible_under_a_seed(http: aiohttp.ClientSession) -> None:
    patterns = []
    for _ in range(2):
        plan = FaultPlan(seed=5)
        plan.add(OneOf((ErrorResponse(500), GatewayError(503))), probability=0.4)
        async with MockZenoti(centers=3, faults=plan) as mock:
            params = {"center_id": mock.center_ids[0]}
            patterns.append(
                [(await fetch(http, mock, "sessions", params)).status for _ in range(30)]
            )
    assert patterns[0] == patterns[1]
    assert {500, 503, 200} == set(patterns[0])
    assert 4 <= sum(s != 200 for s in patterns[0]) <= 20


async def test_random_plan_from_presets_and_reset_replays_it(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.faults = FaultPlan.random(0.5, ["500", "503-empty", "429"], seed=2)
    params = sessions_params(zenoti_mock)

    async def run() -> list[int]:
        return [(await fetch(http, zenoti_mock, "sessions", params)).status for _ in range(12)]

    first = await run()
    zenoti_mock.reset()
    assert await run() == first
    assert set(first) <= {200, 500, 503, 429}
    assert len(set(first)) > 1


async def test_faults_are_replaced_or_cleared_at_runtime(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.faults = [ErrorResponse(500)]
    assert (await normal(http, zenoti_mock)).status == 500
    zenoti_mock.clear_faults()
    assert (await normal(http, zenoti_mock)).status == 200


@pytest.mark.zenoti_mock(faults=[GatewayError(502)])
async def test_faults_are_a_constructor_option(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    assert (await normal(http, zenoti_mock)).status == 502


def test_rule_validation() -> None:
    plan = FaultPlan()
    with pytest.raises(ValueError, match="endpoint"):
        plan.add(EmptyBody(), endpoint="classes")
    with pytest.raises(ValueError, match="GUID"):
        plan.add(EmptyBody(), center_id="downtown")
    with pytest.raises(ValueError, match="probability"):
        plan.add(EmptyBody(), probability=1.5)
    with pytest.raises(ValueError, match="at least one"):
        OneOf(())


async def test_only_requests_that_reach_the_api_count_for_fault_rules(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    rule = zenoti_mock.inject(ErrorResponse(500), nth=1)
    async with http.get(f"{zenoti_mock.base_url}/v1/nothing", headers=zenoti_mock.auth_headers):
        pass
    unauthorized = await fetch(
        http, zenoti_mock, "sessions", sessions_params(zenoti_mock), headers={}
    )
    assert unauthorized.status == 401
    assert rule.seen == 0
    assert (await normal(http, zenoti_mock)).status == 500
