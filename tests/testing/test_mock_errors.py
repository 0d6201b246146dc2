"""Auth, the 422 page-size limit, Zenoti's error objects and the HTTP status carrying them."""

from __future__ import annotations

import aiohttp
import pytest

from tests.testing._support import fetch
from zenoti_async.testing import ErrorBody, MockZenoti
from zenoti_async.testing._render import http_status_for_code

pytestmark = pytest.mark.zenoti_mock(centers=20, seed=7)

DENIED = {"Message": "Authorization has been denied for this request."}
TOO_MANY = {"code": 422, "message": "You cannot request more than 100 items."}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "apikey wrong-key"},
        {"Authorization": "bearer some-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "apikey cl\u00e9"},
    ],
)
async def test_requests_without_the_right_credentials_get_401(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    params = {"center_id": zenoti_mock.center_ids[0]}
    reply = await fetch(http, zenoti_mock, "sessions", params, headers=headers)
    assert reply.status == 401
    assert reply.json() == DENIED
    assert reply.headers["Content-Type"].startswith("application/json")


async def test_the_api_key_scheme_is_case_insensitive(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    headers = {"Authorization": f"ApiKey {zenoti_mock.api_key}"}
    params = {"center_id": zenoti_mock.center_ids[0]}
    assert (await fetch(http, zenoti_mock, "sessions", params, headers=headers)).status == 200


@pytest.mark.zenoti_mock(bearer_token="tok-123", api_key="key-456")
async def test_a_configured_bearer_token_is_accepted_too(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    assert zenoti_mock.api_key == "key-456"
    params = {"center_id": zenoti_mock.center_ids[0]}
    for value in ("bearer tok-123", "apikey key-456"):
        reply = await fetch(http, zenoti_mock, "sessions", params, headers={"Authorization": value})
        assert reply.status == 200
    wrong = await fetch(
        http, zenoti_mock, "sessions", params, headers={"Authorization": "bearer x"}
    )
    assert wrong.status == 401


async def test_default_api_key_is_random_looking() -> None:
    async with MockZenoti(centers=1) as one, MockZenoti(centers=1) as two:
        assert one.api_key != two.api_key
        assert len(one.api_key) >= 32


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        ("sessions", {"size": 101}),
        ("packages", {"search_type": 0, "item_ids": "1", "size": 101}),
        ("memberships", {"search_type": 0, "item_ids": "1", "page_size": 500}),
        # Checked before anything else, even a missing required parameter.
        ("packages", {"size": 1000}),
    ],
)
async def test_more_than_100_items_is_http_422(
    zenoti_mock: MockZenoti,
    http: aiohttp.ClientSession,
    endpoint: str,
    params: dict[str, object],
) -> None:
    if endpoint == "sessions":
        params = {"center_id": zenoti_mock.center_ids[0], **params}
    reply = await fetch(http, zenoti_mock, endpoint, params)
    assert reply.status == 422
    assert reply.json() == TOO_MANY


async def test_size_100_is_allowed(zenoti_mock: MockZenoti, http: aiohttp.ClientSession) -> None:
    params = {"center_id": zenoti_mock.center_ids[0], "size": 100}
    assert (await fetch(http, zenoti_mock, "sessions", params)).status == 200


PACKAGE_HINT = "(Hint: 0: Class, 1: Center)."
MEMBERSHIP_HINT = "(Hint: 0: Class, 1: Category, 2: Center)."
NO_TYPE = (503, f"Search Type is not provided. {PACKAGE_HINT}")
BAD_TYPE = (502, f"Search Type is invalid. {PACKAGE_HINT}")
NO_TYPE_M = (503, f"Search Type is not provided. {MEMBERSHIP_HINT}")
BAD_TYPE_M = (502, f"Search Type is invalid. {MEMBERSHIP_HINT}")
NO_ITEMS = (503, "Item Ids list is not provided.")
BAD_ITEMS = (502, "Item Ids list is invalid.")
NO_DATA = (404, "No Data found.")


@pytest.mark.parametrize(
    ("endpoint", "params", "error"),
    [
        ("packages", {"item_ids": "1"}, NO_TYPE),
        ("packages", {"search_type": "", "item_ids": "1"}, NO_TYPE),
        ("packages", {"search_type": 2, "item_ids": "1"}, BAD_TYPE),
        ("packages", {"search_type": "x", "item_ids": "1"}, BAD_TYPE),
        ("packages", {"search_type": 0}, NO_ITEMS),
        ("packages", {"search_type": 0, "item_ids": " , "}, NO_ITEMS),
        ("packages", {"search_type": 0, "item_ids": "abc"}, BAD_ITEMS),
        ("packages", {"search_type": 1, "item_ids": "123"}, BAD_ITEMS),
        ("memberships", {"item_ids": "1"}, NO_TYPE_M),
        ("memberships", {"search_type": 3, "item_ids": "1"}, BAD_TYPE_M),
        ("memberships", {"search_type": 1}, NO_ITEMS),
        ("packages", {"search_type": 0, "item_ids": "1"}, NO_DATA),
        ("memberships", {"search_type": 1, "item_ids": "1"}, NO_DATA),
        ("sessions", {}, (503, "Center Id is not provided.")),
        ("sessions", {"center_id": ""}, (503, "Center Id is not provided.")),
        ("sessions", {"center_id": "nope"}, (502, "Center Id is invalid.")),
    ],
)
async def test_seed_error_objects(
    zenoti_mock: MockZenoti,
    http: aiohttp.ClientSession,
    endpoint: str,
    params: dict[str, object],
    error: tuple[int, str],
) -> None:
    reply = await fetch(http, zenoti_mock, endpoint, params)
    code, message = error
    body = reply.json()
    assert body["error"] == {"code": code, "message": message}
    assert body[endpoint] is None
    assert body["page_details"] is None
    assert reply.status == {503: 400, 502: 400, 404: 404}[code]


async def test_sessions_error_envelope_keeps_every_key(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    body = (await fetch(http, zenoti_mock, "sessions", {})).json()
    assert body == {
        "sessions": None,
        "classes": None,
        "instructors": None,
        "categories": None,
        "rooms": None,
        "levels": None,
        "opening_time": "0001-01-01T00:00:00",
        "page_details": None,
        "error": {"code": 503, "message": "Center Id is not provided."},
    }


CASES = {
    "missing_input": ("sessions", {}, 503),
    "invalid_input": ("packages", {"search_type": 9, "item_ids": "1"}, 502),
    "not_found": ("packages", {"search_type": 0, "item_ids": "1"}, 404),
}
EXPECTED_STATUS = {
    "mapped": {503: 400, 502: 400, 404: 404, 506: 500, 500: 500},
    "always_200": {503: 200, 502: 200, 404: 200, 506: 200, 500: 200},
    "code_as_status": {503: 503, 502: 502, 404: 404, 506: 506, 500: 500},
}


@pytest.mark.parametrize("mode", list(EXPECTED_STATUS))
@pytest.mark.parametrize("case", list(CASES))
async def test_error_status_modes_for_input_errors(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, mode: str, case: str
) -> None:
    zenoti_mock.error_status = mode  # type: ignore[assignment]
    endpoint, params, code = CASES[case]
    reply = await fetch(http, zenoti_mock, endpoint, params)
    assert reply.json()["error"]["code"] == code
    assert reply.status == EXPECTED_STATUS[mode][code]


@pytest.mark.parametrize("mode", list(EXPECTED_STATUS))
@pytest.mark.parametrize("code", [506, 500])
async def test_error_status_modes_for_server_side_errors(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, mode: str, code: int
) -> None:
    zenoti_mock.error_status = mode  # type: ignore[assignment]
    zenoti_mock.inject(ErrorBody(code, status=None))
    reply = await fetch(http, zenoti_mock, "packages", {"search_type": 0, "item_ids": "1"})
    assert reply.status == EXPECTED_STATUS[mode][code]
    error = reply.json()["error"]
    assert error["code"] == code
    assert error["message"].startswith("Something went wrong.")
    assert http_status_for_code(code, mode) == reply.status


@pytest.mark.zenoti_mock(error_status="code_as_status")
async def test_invalid_input_can_arrive_as_http_502(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    reply = await fetch(http, zenoti_mock, "memberships", {"search_type": 7, "item_ids": "1"})
    assert reply.status == 502
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.json()["error"]["code"] == 502


async def test_unknown_paths_and_methods_answer_like_aspnet(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    async with http.get(
        f"{zenoti_mock.base_url}/v1/classes/nothing", headers=zenoti_mock.auth_headers
    ) as resp:
        assert resp.status == 404
        assert "No HTTP resource" in (await resp.json())["Message"]
    async with http.post(zenoti_mock.url("sessions"), headers=zenoti_mock.auth_headers) as resp:
        assert resp.status == 405
        assert resp.headers["Allow"] == "GET"
    assert [r.status for r in zenoti_mock.requests] == [404, 405]
