"""The client against the bundled mock server over real HTTP: all three endpoints, every
``page_details`` variant, every documented error and error-status mode."""

from __future__ import annotations

from datetime import date

import pytest

from tests.integration.conftest import make_client
from zenoti_async import (
    AuthenticationError,
    InvalidInputError,
    MembershipSearchType,
    MissingInputError,
    PackageSearchType,
    PaginationError,
    ZenotiClient,
)
from zenoti_async.testing import (
    ERROR_STATUS_MODES,
    PAGE_DETAILS_VARIANTS,
    IgnorePage,
    MockZenoti,
)


def biggest_center(mock: MockZenoti) -> str:
    return max(mock.center_ids, key=mock.dataset.session_count)


async def test_sessions_of_a_multi_page_center_arrive_complete_and_in_order(
    mock: MockZenoti, client: ZenotiClient
) -> None:
    center = biggest_center(mock)
    expected = mock.dataset.sessions_for(center)
    assert len(expected) > 250
    got = await client.classes.sessions(center_id=center).collect()
    assert [s.id for s in got] == [w["id"] for w in expected]
    first, wire = got[0], expected[0]
    assert first.name == wire["name"]
    assert first.center_id == wire["center_id"]
    assert first.start_time is not None
    assert first.start_time.isoformat() == wire["start_time"]
    assert first.start_time_utc is not None and first.start_time_utc.tzinfo is not None
    pages_requested = len(mock.requests_to("sessions"))
    assert pages_requested == -(-len(expected) // 100)  # no extra request past the last page


async def test_session_pages_carry_their_related_objects(
    mock: MockZenoti, client: ZenotiClient
) -> None:
    center = biggest_center(mock)
    async for page in client.classes.sessions(center_id=center, page_size=50).pages():
        class_ids = {c.id for c in page.classes}
        assert {s.class_id for s in page.sessions} <= class_ids
        room_ids = {r.id for r in page.rooms}
        assert {s.room_id for s in page.sessions if s.room_id} <= room_ids
        assert page.instructors and page.categories and page.levels
        assert page.opening_time is not None


async def test_date_range_and_filters_reach_the_server(
    mock: MockZenoti, client: ZenotiClient
) -> None:
    center = biggest_center(mock)
    start, end = date(2026, 11, 1), date(2026, 11, 15)
    expected = mock.dataset.sessions_for(center, start_date=start, end_date=end, status=0)
    got = await client.classes.sessions(
        center_id=center, start_date=start, end_date=end, status=0
    ).collect()
    assert [s.id for s in got] == [w["id"] for w in expected]
    [request] = mock.requests_to("sessions")[-1:]
    assert ("start_date", "2026-11-01") in request.query
    assert ("end_date", "2026-11-15") in request.query


async def test_packages_and_memberships_for_classes(mock: MockZenoti, client: ZenotiClient) -> None:
    class_ids = mock.dataset.class_ids[:10]
    packages = await client.classes.packages(
        search_type=PackageSearchType.CLASS, item_ids=class_ids, page_size=3
    ).collect()
    expected_packages = mock.dataset.packages_for(0, class_ids)
    assert [p.id for p in packages] == [w["id"] for w in expected_packages]
    assert all(p.price is not None for p in packages)
    memberships = await client.classes.memberships(
        search_type=MembershipSearchType.CLASS, item_ids=class_ids, page_size=2
    ).collect()
    expected_memberships = mock.dataset.memberships_for(0, class_ids)
    assert [m.id for m in memberships] == [w["id"] for w in expected_memberships]
    assert any(m.price_details is not None for m in memberships)
    assert {r.path for r in mock.requests} == {"/v1/classes/packages", "/v1/classes/memberships"}
    assert any(("page_number", "2") in r.query for r in mock.requests_to("memberships"))


async def test_no_data_found_is_an_empty_result(mock: MockZenoti, client: ZenotiClient) -> None:
    empty_center = next(c for c in mock.center_ids if mock.dataset.session_count(c) == 0)
    assert await client.classes.sessions(center_id=empty_center).collect() == []
    unknown = "00000000-0000-0000-0000-000000000001"
    assert await client.classes.packages(search_type=1, item_ids=[unknown]).collect() == []
    assert await client.classes.memberships(search_type=2, item_ids=[unknown]).collect() == []


@pytest.mark.parametrize("variant", PAGE_DETAILS_VARIANTS)
async def test_every_page_details_variant_yields_the_exact_record_set(variant: str) -> None:
    async with MockZenoti(centers=12, seed=5, page_details=variant) as mock:  # type: ignore[arg-type]
        center = biggest_center(mock)
        expected = [w["id"] for w in mock.dataset.sessions_for(center)]
        async with make_client(mock) as client:
            paginator = client.classes.sessions(center_id=center, page_size=40)
            got = [s.id async for s in paginator]
        assert got == expected
        pages = len(mock.requests_to("sessions"))
        assert pages <= -(-len(expected) // 40) + 1
        if variant == "lying_total":
            assert paginator.count_mismatch is not None
        else:
            assert paginator.count_mismatch is None


async def test_server_ignoring_page_raises_pagination_error(mock: MockZenoti) -> None:
    center = biggest_center(mock)
    mock.inject(IgnorePage())
    async with make_client(mock) as client:
        with pytest.raises(PaginationError) as info:
            await client.classes.sessions(center_id=center).collect()
    assert info.value.page is None or info.value.page >= 2
    assert len(mock.requests_to("sessions")) == 2


@pytest.mark.parametrize("mode", ERROR_STATUS_MODES)
async def test_body_errors_are_typed_and_never_retried_in_every_status_mode(mode: str) -> None:
    async with (
        MockZenoti(centers=3, seed=1, error_status=mode) as mock,  # type: ignore[arg-type]
        make_client(mock) as client,
    ):
        # The SDK refuses these inputs itself, so go below the validation layer to prove
        # the server's answer is mapped right however it is carried.
        with pytest.raises(InvalidInputError) as invalid:
            await client._get_json(
                "/v1/classes/packages", [("search_type", "7"), ("item_ids", "1")]
            )
        with pytest.raises(MissingInputError) as missing:
            await client._get_json("/v1/classes/memberships", [("search_type", "0")])
        assert await client.classes.packages(search_type=0, item_ids=[999999]).collect() == []
    assert invalid.value.attempts == 1 and missing.value.attempts == 1
    assert invalid.value.code == 502 and missing.value.code == 503
    assert len(mock.requests) == 3


async def test_wrong_key_is_an_authentication_error(mock: MockZenoti) -> None:
    async with ZenotiClient(
        api_key="wrong", base_url=mock.base_url, allow_http=True, rate_limit=None
    ) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.classes.sessions(center_id=mock.center_ids[0]).collect()
    assert info.value.status == 401
    assert len(mock.requests) == 1
