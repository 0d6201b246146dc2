"""The endpoint table: every endpoint is a row, an unknown name is an error naming it."""

from __future__ import annotations

import aiohttp
import pytest

from tests.testing._support import fetch
from zenoti_async.testing import FaultRule, GatewayError, MockZenoti
from zenoti_async.testing._endpoints import ENDPOINTS, endpoint_named


def test_the_table_holds_each_endpoints_wire_page_names() -> None:
    names = {row.name: (row.page_param, row.size_param) for row in ENDPOINTS.values()}
    assert names == {
        "sessions": ("page", "size"),
        "packages": ("page", "size"),
        "memberships": ("page_number", "page_size"),
    }


def test_only_packages_and_memberships_answer_an_empty_page_with_not_found() -> None:
    assert {n: row.empty_page for n, row in ENDPOINTS.items()} == {
        "sessions": "empty_list",
        "packages": "not_found",
        "memberships": "not_found",
    }


def test_an_unknown_endpoint_name_is_a_value_error_naming_it() -> None:
    with pytest.raises(ValueError, match="unknown endpoint 'classes'.*sessions"):
        endpoint_named("classes")


async def test_mock_url_of_an_unknown_endpoint_is_an_error_not_memberships() -> None:
    async with MockZenoti(centers=2) as mock:
        assert mock.url("memberships").endswith("/v1/classes/memberships")
        with pytest.raises(ValueError, match="'membership'"):
            mock.url("membership")
        with pytest.raises(ValueError, match="'package'"):
            mock.requests_to("package")


def test_a_fault_rule_for_an_unknown_endpoint_is_refused() -> None:
    with pytest.raises(ValueError, match="'guests'"):
        FaultRule(GatewayError(), endpoint="guests")


@pytest.mark.zenoti_mock(centers=3)
async def test_each_row_is_served_at_its_path(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    for name in ENDPOINTS:
        await fetch(http, zenoti_mock, name)
    assert [(r.path, r.endpoint) for r in zenoti_mock.requests] == [
        (f"/v1/classes/{name}", name) for name in ENDPOINTS
    ]


@pytest.mark.zenoti_mock(centers=3)
async def test_a_path_outside_the_table_is_a_404_recorded_without_endpoint(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    url = f"{zenoti_mock.base_url}/v1/classes/guests"
    async with http.get(url, headers=zenoti_mock.auth_headers) as resp:
        assert resp.status == 404
    assert zenoti_mock.requests[-1].endpoint is None
