"""Every request parameter of GET /v1/classes/sessions filters what it says.

Expected sets are computed here from the unfiltered schedule, independently of the mock's
own filter code, then compared with what the server returns over HTTP (all pages).
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from tests.testing._support import all_sessions, center_with_sessions, fetch
from zenoti_async.testing import MockZenoti

pytestmark = pytest.mark.zenoti_mock(centers=40, seed=7)

Session = dict[str, Any]


def ids(sessions: list[Session]) -> list[int]:
    return [s["id"] for s in sessions]


@pytest.fixture
def center(zenoti_mock: MockZenoti) -> str:
    return center_with_sessions(zenoti_mock.dataset, 250)


@pytest.fixture
def schedule(zenoti_mock: MockZenoti, center: str) -> list[Session]:
    return zenoti_mock.dataset.sessions_for(center)


async def check(
    http: aiohttp.ClientSession,
    mock: MockZenoti,
    center: str,
    params: dict[str, object],
    expected: list[Session],
) -> list[Session]:
    served = await all_sessions(http, mock, {"center_id": center, **params})
    assert served, "the filter should select something for this test to mean anything"
    assert ids(served) == ids(expected)
    assert served == mock.dataset.sessions_for(center, **params)  # type: ignore[arg-type]
    return served


async def test_center_id_accepts_dashless_and_upper_case_guids(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, center: str, schedule: list[Session]
) -> None:
    for spelling in (center, center.replace("-", ""), center.upper()):
        served = await all_sessions(http, zenoti_mock, {"center_id": spelling})
        assert ids(served) == ids(schedule)
    assert all(s["center_id"] == center for s in schedule)


async def test_start_and_end_dates_are_inclusive_on_the_session_start_date(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, center: str, schedule: list[Session]
) -> None:
    start, end = "2026-10-10", "2026-10-20"
    expected = [s for s in schedule if start <= s["start_time"][:10] <= end]
    served = await check(
        http, zenoti_mock, center, {"start_date": start, "end_date": end}, expected
    )
    days = {s["start_time"][:10] for s in served}
    assert start in days or end in days
    only_start = [s for s in schedule if s["start_time"][:10] >= "2026-12-01"]
    await check(http, zenoti_mock, center, {"start_date": "2026-12-01"}, only_start)


# Request parameter -> the session field it selects on.
INTEGER_FILTERS = {
    "class_id": "class_id",
    "status": "status",
    "session_id": "id",
    "recurrence_id": "recurrence_id",
}


@pytest.mark.parametrize("name", list(INTEGER_FILTERS))
async def test_integer_filters(
    zenoti_mock: MockZenoti,
    http: aiohttp.ClientSession,
    center: str,
    schedule: list[Session],
    name: str,
) -> None:
    field = INTEGER_FILTERS[name]
    value = schedule[len(schedule) // 2][field]
    expected = [s for s in schedule if s[field] == value]
    await check(http, zenoti_mock, center, {name: value}, expected)


async def test_status_filter_on_cancelled_sessions(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, center: str, schedule: list[Session]
) -> None:
    expected = [s for s in schedule if s["status"] == 1]
    served = await check(http, zenoti_mock, center, {"status": 1}, expected)
    assert all(s["can_book_status"] == "Session Cancelled" for s in served)


async def test_class_name_matches_the_class_case_insensitively(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, center: str, schedule: list[Session]
) -> None:
    class_names = {c["id"]: c["name"] for c in zenoti_mock.dataset.classes()}
    target = next(class_names[s["class_id"]] for s in schedule if class_names[s["class_id"]])
    expected = [s for s in schedule if (class_names[s["class_id"]] or "") == target]
    await check(http, zenoti_mock, center, {"class_name": target.upper()}, expected)


async def test_session_name_matches_the_session_case_insensitively(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, center: str, schedule: list[Session]
) -> None:
    target = schedule[-1]["name"]
    expected = [s for s in schedule if s["name"].casefold() == target.casefold()]
    await check(http, zenoti_mock, center, {"session_name": target.swapcase()}, expected)


@pytest.mark.parametrize(("sent", "wanted"), [("true", 1), ("1", 1), ("FALSE", 0), ("0", 0)])
async def test_show_in_catalog_filters_on_the_sessions_class(
    zenoti_mock: MockZenoti,
    http: aiohttp.ClientSession,
    sent: str,
    wanted: int,
) -> None:
    catalog = {c["id"]: c["show_in_catalog"] for c in zenoti_mock.dataset.classes()}
    hidden = {c for c, shown in catalog.items() if not shown}
    center = next(
        c
        for c in zenoti_mock.dataset.center_ids
        if hidden & set(zenoti_mock.dataset.class_ids_for(c))
        and zenoti_mock.dataset.session_count(c)
    )
    schedule = zenoti_mock.dataset.sessions_for(center)
    expected = [s for s in schedule if catalog[s["class_id"]] == wanted]
    served = await all_sessions(http, zenoti_mock, {"center_id": center, "show_in_catalog": sent})
    assert ids(served) == ids(expected)


async def test_guest_id_selects_the_guests_registrations(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, center: str
) -> None:
    dataset = zenoti_mock.dataset
    guests = dataset.guest_ids_for(center)
    registrations = dataset.registration_ids_for(center)
    assert guests
    assert registrations
    seen: list[int] = []
    for guest in guests[:8]:
        served = await all_sessions(
            http, zenoti_mock, {"center_id": center, "guest_id": guest.replace("-", "").upper()}
        )
        assert served
        for session in served:
            assert session["registration_id"] in registrations
            assert session["registration_status"] in (1, 2, 3, 4)
            assert (session["current_waitlist_position"] is not None) == (
                session["registration_status"] == 2
            )
        seen += [s["registration_id"] for s in served]
    assert len(seen) == len(set(seen))
    # Without a guest, the registration fields are .NET defaults.
    assert {s["registration_id"] for s in dataset.sessions_for(center)} == {0}


async def test_registration_id_selects_one_session_with_that_registration(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, center: str
) -> None:
    guest = zenoti_mock.dataset.guest_ids_for(center)[0]
    booked = zenoti_mock.dataset.sessions_for(center, guest_id=guest)
    target = booked[0]
    served = await all_sessions(
        http, zenoti_mock, {"center_id": center, "registration_id": target["registration_id"]}
    )
    assert served == [target]


async def test_indexed_filters_match_field_values_as_strings_case_insensitively(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, center: str, schedule: list[Session]
) -> None:
    room = schedule[0]["room_id"]
    expected = [s for s in schedule if s["room_id"] == room and s["is_free_session"] is False]
    params = [
        ("center_id", center),
        ("filters[0].property", "room_id"),
        ("filters[0].value", room.upper()),
        ("filters[1].property", "is_free_session"),
        ("filters[1].value", "False"),
    ]
    served = await all_sessions(http, zenoti_mock, params)
    assert served
    assert ids(served) == ids(expected)


async def test_all_five_filter_slots_are_honoured(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, center: str, schedule: list[Session]
) -> None:
    first = schedule[0]
    fields = ["room_id", "instructor_id", "class_id", "status", "capacity"]
    params: list[tuple[str, object]] = [("center_id", center)]
    for i, field in enumerate(fields):
        params += [(f"filters[{i}].property", field), (f"filters[{i}].value", first[field])]
    served = await all_sessions(http, zenoti_mock, params)
    expected = [s for s in schedule if all(s[f] == first[f] for f in fields)]
    assert ids(served) == ids(expected)
    # A sixth slot does not exist in the API: it is ignored like any unknown parameter.
    params += [("filters[5].property", "id"), ("filters[5].value", "-1")]
    assert ids(await all_sessions(http, zenoti_mock, params)) == ids(expected)


async def test_unknown_filter_property_is_invalid_input(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, center: str
) -> None:
    params = {"center_id": center, "filters[0].property": "colour", "filters[0].value": "red"}
    reply = await fetch(http, zenoti_mock, "sessions", params)
    assert reply.status == 400
    assert reply.json()["error"] == {"code": 502, "message": "Filter property colour is invalid."}


async def test_filters_combine(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, center: str, schedule: list[Session]
) -> None:
    class_id = schedule[0]["class_id"]
    expected = [
        s
        for s in schedule
        if s["class_id"] == class_id and s["start_time"][:10] <= "2026-11-15" and s["status"] == 0
    ]
    params = {"class_id": class_id, "end_date": "2026-11-15", "status": 0}
    await check(http, zenoti_mock, center, params, expected)


async def test_a_filter_that_matches_nothing_gives_an_empty_list_not_an_error(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, center: str
) -> None:
    reply = await fetch(http, zenoti_mock, "sessions", {"center_id": center, "session_id": 1})
    assert reply.status == 200
    body = reply.json()
    assert body["sessions"] == []
    assert body["error"] is None
    assert body["page_details"] == {
        "total_records": 0,
        "total_pages": 0,
        "page_size": 10,
        "page": 1,
    }


async def test_an_unknown_center_has_no_sessions(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    unknown = "12345678-1234-4234-8234-123456789abc"
    body = (await fetch(http, zenoti_mock, "sessions", {"center_id": unknown})).json()
    assert body["sessions"] == []
    assert body["opening_time"] == "0001-01-01T00:00:00"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"center_id": "not-a-guid"}, "Center Id is invalid."),
        ({"start_date": "10/01/2026"}, "Start Date is invalid."),
        ({"end_date": "2026-13-01"}, "End Date is invalid."),
        ({"start_date": "2026-11-02", "end_date": "2026-11-01"}, None),
        ({"status": "active"}, "Status is invalid."),
        ({"show_in_catalog": "yes"}, "Show In Catalog is invalid."),
        ({"guest_id": "g-1"}, "Guest Id is invalid."),
        ({"page": "0"}, "Page number is invalid."),
        ({"size": "0"}, "Page size is invalid."),
    ],
)
async def test_invalid_values_are_invalid_input(
    zenoti_mock: MockZenoti,
    http: aiohttp.ClientSession,
    center: str,
    params: dict[str, str],
    message: str | None,
) -> None:
    reply = await fetch(http, zenoti_mock, "sessions", {"center_id": center, **params})
    assert reply.status == 400
    error = reply.json()["error"]
    assert error["code"] == 502
    if message is not None:
        assert error["message"] == message
