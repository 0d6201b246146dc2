"""Pages cover the exact record set; page_details comes in every plausible spelling."""

from __future__ import annotations

import math

import aiohttp
import pytest

from tests.testing._support import center_with_sessions, empty_center, fetch
from zenoti_async.testing import PAGE_DETAILS_VARIANTS, MockZenoti

pytestmark = pytest.mark.zenoti_mock(centers=60, seed=7)


async def test_paging_a_big_center_at_size_100_covers_every_session_once(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    center = center_with_sessions(zenoti_mock.dataset, 600)
    expected = zenoti_mock.dataset.sessions_for(center)
    pages = math.ceil(len(expected) / 100)
    served: list[int] = []
    for page in range(1, pages + 2):
        params = {"center_id": center, "page": page, "size": 100}
        body = (await fetch(http, zenoti_mock, "sessions", params)).json()
        assert body["page_details"] == {
            "total_records": len(expected),
            "total_pages": pages,
            "page_size": 100,
            "page": page,
        }
        served += [s["id"] for s in body["sessions"]]
        if page <= pages:
            assert body["sessions"], page
        else:
            assert body["sessions"] == []
    assert pages >= 6
    assert len(served) == len(set(served))
    assert served == [s["id"] for s in expected]


async def test_defaults_are_page_1_and_size_10(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    center = center_with_sessions(zenoti_mock.dataset, 30)
    body = (await fetch(http, zenoti_mock, "sessions", {"center_id": center})).json()
    expected = zenoti_mock.dataset.sessions_for(center)
    assert body["sessions"] == expected[:10]
    assert body["page_details"]["page_size"] == 10
    assert body["page_details"]["page"] == 1


async def test_an_empty_center_answers_an_empty_list(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    center = empty_center(zenoti_mock.dataset)
    reply = await fetch(http, zenoti_mock, "sessions", {"center_id": center})
    assert reply.status == 200
    body = reply.json()
    assert body["sessions"] == []
    assert body["classes"] == []
    assert body["error"] is None


async def test_packages_pages_cover_the_result_then_answer_not_found(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    centers = ",".join(zenoti_mock.center_ids)
    expected = zenoti_mock.dataset.packages_for(1, zenoti_mock.center_ids)
    served: list[str] = []
    page = 1
    while True:
        params = {"search_type": 1, "item_ids": centers, "page": page, "size": 7}
        reply = await fetch(http, zenoti_mock, "packages", params)
        if reply.status == 404:
            assert reply.json()["error"] == {"code": 404, "message": "No Data found."}
            break
        body = reply.json()
        assert body["page_details"]["total_records"] == len(expected)
        served += [p["id"] for p in body["packages"]]
        page += 1
    assert page == math.ceil(len(expected) / 7) + 1
    assert served == [p["id"] for p in expected]


async def test_memberships_page_with_page_number_and_page_size(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    categories = zenoti_mock.dataset.category_ids
    expected = zenoti_mock.dataset.memberships_for(1, categories)
    base = {"search_type": 1, "item_ids": ",".join(map(str, categories))}
    second = await fetch(
        http, zenoti_mock, "memberships", {**base, "page_number": 2, "page_size": 5}
    )
    assert [m["id"] for m in second.json()["memberships"]] == [m["id"] for m in expected[5:10]]
    # page/size are the other endpoints' names: memberships ignores them.
    ignored = await fetch(http, zenoti_mock, "memberships", {**base, "page": 2, "size": 5})
    assert ignored.json()["memberships"] == expected[:10]


async def test_item_ids_may_be_comma_separated_or_repeated(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    classes = [str(c) for c in zenoti_mock.dataset.class_ids[:12]]
    joined = await fetch(
        http,
        zenoti_mock,
        "packages",
        {"search_type": 0, "item_ids": ",".join(classes), "size": 100},
    )
    repeated = await fetch(
        http,
        zenoti_mock,
        "packages",
        [("search_type", 0), ("size", 100), *(("item_ids", c) for c in classes)],
    )
    mixed = await fetch(
        http,
        zenoti_mock,
        "packages",
        [("search_type", 0), ("size", 100), ("item_ids", ",".join(classes[:6]))]
        + [("item_ids", c) for c in classes[6:]],
    )
    assert joined.status == 200
    assert joined.body == repeated.body == mixed.body
    expected = zenoti_mock.dataset.packages_for(0, classes)
    assert joined.json()["packages"] == expected


async def test_memberships_search_by_class_category_and_center(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    dataset = zenoti_mock.dataset
    searches = {
        0: [str(c) for c in dataset.class_ids],
        1: [str(c) for c in dataset.category_ids],
        2: [c.replace("-", "") for c in dataset.center_ids],
    }
    for search_type, items in searches.items():
        params = {"search_type": search_type, "item_ids": ",".join(items), "page_size": 100}
        body = (await fetch(http, zenoti_mock, "memberships", params)).json()
        assert body["memberships"] == dataset.memberships_for(search_type, items)[:100]
        assert body["memberships"]


def _expected_details(variant: str, total: int, page: int, size: int) -> object:
    pages = math.ceil(total / size)
    return {
        "default": {"total_records": total, "total_pages": pages, "page_size": size, "page": page},
        "page_info": {"total": total, "page": page, "size": size},
        "count": {"total_count": total, "page_count": pages, "size": size},
        "camel": {"totalRecords": total, "totalPages": pages, "pageSize": size, "pageNumber": page},
        "null": None,
    }[variant]


@pytest.mark.parametrize("variant", PAGE_DETAILS_VARIANTS)
@pytest.mark.parametrize("endpoint", ["sessions", "packages", "memberships"])
async def test_page_details_variants(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession, variant: str, endpoint: str
) -> None:
    dataset = zenoti_mock.dataset
    zenoti_mock.page_details = variant  # type: ignore[assignment]
    if endpoint == "sessions":
        center = center_with_sessions(dataset, 30)
        total = dataset.session_count(center)
        params: dict[str, object] = {"center_id": center, "page": 2, "size": 10}
    elif endpoint == "packages":
        total = len(dataset.packages_for(1, dataset.center_ids))
        params = {"search_type": 1, "item_ids": ",".join(dataset.center_ids), "page": 2, "size": 10}
    else:
        total = len(dataset.memberships_for(2, dataset.center_ids))
        params = {
            "search_type": 2,
            "item_ids": ",".join(dataset.center_ids),
            "page_number": 2,
            "page_size": 10,
        }
    body = (await fetch(http, zenoti_mock, endpoint, params)).json()
    assert len(body[endpoint]) == 10
    if variant == "missing":
        assert "page_details" not in body
    elif variant == "wrong_echo":
        details = body["page_details"]
        assert details["total_records"] == total
        assert details["page"] != 2
        assert details["page_size"] != 10
    elif variant == "lying_total":
        details = body["page_details"]
        assert details["total_records"] > total
        assert details["total_pages"] > math.ceil(total / 10)
    else:
        assert body["page_details"] == _expected_details(variant, total, 2, 10)


async def test_lying_total_pages_past_the_real_end_are_empty(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    zenoti_mock.page_details = "lying_total"
    center = center_with_sessions(zenoti_mock.dataset, 30)
    first = (await fetch(http, zenoti_mock, "sessions", {"center_id": center, "size": 100})).json()
    claimed = first["page_details"]["total_pages"]
    last = await fetch(
        http, zenoti_mock, "sessions", {"center_id": center, "size": 100, "page": claimed}
    )
    assert last.json()["sessions"] == []


@pytest.mark.zenoti_mock(centers=10, seed=7, page_details="camel")
async def test_page_details_variant_is_a_constructor_option(zenoti_mock: MockZenoti) -> None:
    assert zenoti_mock.page_details == "camel"
    with pytest.raises(ValueError, match="page_details"):
        zenoti_mock.page_details = "snake"  # type: ignore[assignment]
