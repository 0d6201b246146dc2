"""The public surface: MockZenoti's lifecycle, create_app embedding, the pytest plugin."""

from __future__ import annotations

import asyncio
import inspect
import time

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

import zenoti_async.testing
from tests.testing._support import center_with_sessions
from zenoti_async.testing import MOCK_STATE, Delay, MockZenoti, create_app


def test_all_resolves_and_exports_every_public_class_and_function() -> None:
    # Its order is ruff's (RUF022: constants, classes, functions), checked by the linter.
    exported = zenoti_async.testing.__all__
    for name in exported:
        assert hasattr(zenoti_async.testing, name), name
    public = {
        name
        for name, value in vars(zenoti_async.testing).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__.startswith("zenoti_async")
    }
    assert public <= set(exported)


async def test_base_url_is_a_free_port_on_loopback() -> None:
    async with MockZenoti(centers=2) as one, MockZenoti(centers=2) as two:
        assert one.base_url.startswith("http://127.0.0.1:")
        assert one.port != two.port
        assert one.url("packages") == f"{one.base_url}/v1/classes/packages"
        assert str(one.port) in repr(one)


async def test_using_a_stopped_mock_is_an_error() -> None:
    mock = MockZenoti(centers=2)
    with pytest.raises(RuntimeError, match="not running"):
        _ = mock.base_url
    assert "not running" in repr(mock)
    async with mock:
        with pytest.raises(RuntimeError, match="already running"):
            await mock.start()
    await mock.close()  # closing twice is harmless


async def test_close_does_not_wait_for_a_stalled_response(http: aiohttp.ClientSession) -> None:
    mock = MockZenoti(centers=2, faults=[Delay(30)])
    await mock.start()

    async def stalled() -> bytes:
        async with http.get(mock.url("sessions"), headers=mock.auth_headers) as resp:
            return await resp.read()

    task = asyncio.create_task(stalled())
    while mock.in_flight == 0:  # noqa: ASYNC110  (the mock exposes a counter, not an event)
        await asyncio.sleep(0.002)
    started = time.perf_counter()
    await mock.close()
    assert time.perf_counter() - started < 2.0
    with pytest.raises(aiohttp.ClientError):
        await task
    assert mock.in_flight == 0


async def test_create_app_embeds_in_an_aiohttp_test_server(http: aiohttp.ClientSession) -> None:
    app = create_app(centers=5, seed=3, api_key="k")
    state = app[MOCK_STATE]
    async with TestServer(app, host="127.0.0.1") as server:
        center = center_with_sessions(state.dataset, 1)
        url = server.make_url("/v1/classes/sessions")
        async with http.get(
            url, params={"center_id": center, "size": 100}, headers={"Authorization": "apikey k"}
        ) as resp:
            assert resp.status == 200
            body = await resp.json()
    assert body["sessions"] == state.dataset.sessions_for(center)[:100]
    assert [r.status for r in state.requests] == [200]


@pytest.mark.zenoti_mock(centers=7, seed=5)
async def test_marker_options_reach_the_fixture(zenoti_mock: MockZenoti) -> None:
    assert len(zenoti_mock.center_ids) == 7
    assert zenoti_mock.dataset.seed == 5


@pytest.mark.zenoti_mock(centers=4, seed=9, page_details="count")
class TestMarkersMerge:
    @pytest.mark.zenoti_mock(seed=2)
    async def test_the_closest_marker_wins_per_option(self, zenoti_mock: MockZenoti) -> None:
        assert len(zenoti_mock.center_ids) == 4
        assert zenoti_mock.dataset.seed == 2
        assert zenoti_mock.page_details == "count"


async def test_fixture_defaults(zenoti_mock: MockZenoti) -> None:
    assert len(zenoti_mock.center_ids) == 300
    assert zenoti_mock.rate_limiter is None
