"""The faults hostile client tests script: errors disguised as success, codes printed as text,
a server that stops paging, totals that contradict the page, a 401 that echoes the key."""

from __future__ import annotations

import aiohttp
import pytest

from tests.testing._support import center_with_sessions, fetch
from zenoti_async.testing import (
    FAULT_PRESETS,
    DisguisedError,
    EchoingUnauthorized,
    ErrorBody,
    FaultPlan,
    IgnorePage,
    MockZenoti,
    PageDetailsAs,
)

pytestmark = pytest.mark.zenoti_mock(centers=30, seed=7)


def page_params(mock: MockZenoti, page: int, size: int = 10) -> dict[str, str]:
    center = center_with_sessions(mock.dataset, 5 * size)
    return {"center_id": center, "page": str(page), "size": str(size)}


def ids(body: dict[str, list[dict[str, int]]], key: str = "sessions") -> list[int]:
    return [record["id"] for record in body[key]]


async def test_disguised_error_is_a_200_with_aspnets_exception_body(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(DisguisedError(exception_message="Timeout expired."))
    reply = await fetch(http, zenoti_mock, "sessions", page_params(zenoti_mock, 1))
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    body = reply.json()
    assert body["Message"] == "An error has occurred."
    assert body["ExceptionMessage"] == "Timeout expired."
    assert body["ExceptionType"] == "System.NullReferenceException"
    assert "sessions" not in body
    assert zenoti_mock.requests[-1].fault == "DisguisedError"


async def test_error_body_can_print_its_code_as_text(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(ErrorBody("502 - InvalidInput", "Invalid center.", status=502))
    reply = await fetch(http, zenoti_mock, "packages", {"search_type": 0, "item_ids": 1})
    assert reply.status == 502
    assert reply.json() == {
        "error": {"code": "502 - InvalidInput", "message": "Invalid center."},
        "packages": None,
        "page_details": None,
    }


@pytest.mark.zenoti_mock(error_status="code_as_status")
async def test_a_text_code_maps_to_its_number_under_code_as_status(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(ErrorBody("503 - MissingInput", status=None))
    reply = await fetch(http, zenoti_mock, "sessions", page_params(zenoti_mock, 1))
    assert reply.status == 503
    assert reply.json()["error"] == {"code": "503 - MissingInput", "message": "Missing input."}


async def test_ignore_page_after_n_serves_page_n_again(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    page_2 = (await fetch(http, zenoti_mock, "sessions", page_params(zenoti_mock, 2))).json()
    page_3 = (await fetch(http, zenoti_mock, "sessions", page_params(zenoti_mock, 3))).json()
    zenoti_mock.inject(IgnorePage(after=2))
    served = [
        ids((await fetch(http, zenoti_mock, "sessions", page_params(zenoti_mock, page))).json())
        for page in (2, 3, 4)
    ]
    assert served == [ids(page_2), ids(page_2), ids(page_2)]
    assert ids(page_3) != ids(page_2)


async def test_ignore_page_after_n_uses_the_endpoints_own_page_name(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    params = {"search_type": 2, "item_ids": ",".join(zenoti_mock.center_ids), "page_size": 5}
    first = (await fetch(http, zenoti_mock, "memberships", {**params, "page_number": 1})).json()
    zenoti_mock.inject(IgnorePage(after=1))
    again = (await fetch(http, zenoti_mock, "memberships", {**params, "page_number": 2})).json()
    assert [m["id"] for m in again["memberships"]] == [m["id"] for m in first["memberships"]]


def test_ignore_page_refuses_a_page_below_1() -> None:
    with pytest.raises(ValueError, match="after"):
        IgnorePage(after=0)


async def test_short_total_claims_fewer_records_than_the_pages_served(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(PageDetailsAs(), page=3)
    reply = await fetch(http, zenoti_mock, "sessions", page_params(zenoti_mock, 3))
    body = reply.json()
    served_so_far = 2 * 10 + len(body["sessions"])
    assert len(body["sessions"]) == 10
    assert body["page_details"]["total_records"] < served_so_far
    assert body["page_details"]["total_pages"] < 3


async def test_page_details_as_only_changes_the_requests_it_matches(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(PageDetailsAs("camel"), nth=1)
    first = (await fetch(http, zenoti_mock, "sessions", page_params(zenoti_mock, 1))).json()
    second = (await fetch(http, zenoti_mock, "sessions", page_params(zenoti_mock, 1))).json()
    assert "totalRecords" in first["page_details"]
    assert "total_records" in second["page_details"]
    assert first["sessions"] == second["sessions"]


def test_page_details_as_refuses_an_unknown_variant() -> None:
    with pytest.raises(ValueError, match="snake"):
        PageDetailsAs("snake")


async def test_echoing_unauthorized_sends_the_key_back_in_body_and_header(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.inject(EchoingUnauthorized())
    reply = await fetch(http, zenoti_mock, "sessions", page_params(zenoti_mock, 1))
    assert reply.status == 401
    assert reply.json() == {
        "Message": "Authorization has been denied for this request.",
        "Authorization": f"apikey {zenoti_mock.api_key}",
    }
    assert reply.headers["X-Echoed-Authorization"] == f"apikey {zenoti_mock.api_key}"


async def test_hostile_faults_are_scriptable_through_a_fault_plan(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.faults = FaultPlan.sequence(
        DisguisedError(), EchoingUnauthorized(), None, endpoint="sessions"
    )
    statuses = [
        (await fetch(http, zenoti_mock, "sessions", page_params(zenoti_mock, 1))).status
        for _ in range(3)
    ]
    assert statuses == [200, 401, 200]
    assert [r.fault for r in zenoti_mock.requests] == [
        "DisguisedError",
        "EchoingUnauthorized",
        None,
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("disguised-error", DisguisedError),
        ("error-502-text", ErrorBody),
        ("echo-401", EchoingUnauthorized),
        ("short-total", PageDetailsAs),
    ],
)
def test_hostile_faults_have_presets_for_the_command_line(name: str, kind: type) -> None:
    assert isinstance(FAULT_PRESETS[name], kind)
