"""``uniform_sessions``: every center has exactly N sessions (the benchmarks' exact shapes)."""

from __future__ import annotations

import aiohttp
import pytest

from tests.testing._support import all_sessions
from zenoti_async.cli import build_parser
from zenoti_async.cli.mock_server import _server_options
from zenoti_async.testing import MAX_UNIFORM_SESSIONS, Dataset, MockZenoti


@pytest.mark.parametrize("count", [0, 1, 7, 250, MAX_UNIFORM_SESSIONS])
def test_every_center_has_exactly_the_uniform_count(count: int) -> None:
    dataset = Dataset(centers=6, seed=5, uniform_sessions=count)
    for center in dataset.center_ids:
        assert dataset.session_count(center) == count


def test_uniform_sessions_have_ids_unique_across_the_organisation() -> None:
    dataset = Dataset(centers=4, seed=5, uniform_sessions=MAX_UNIFORM_SESSIONS)
    ids = [s["id"] for c in dataset.center_ids for s in dataset.sessions_for(c)]
    assert len(ids) == len(set(ids)) == 4 * MAX_UNIFORM_SESSIONS


def test_uniform_sessions_are_deterministic_and_keep_the_center_ids() -> None:
    first = Dataset(centers=5, seed=9, uniform_sessions=120)
    second = Dataset(centers=5, seed=9, uniform_sessions=120)
    assert first.center_ids == second.center_ids == Dataset(centers=5, seed=9).center_ids
    last = first.center_ids[-1]
    assert first.sessions_for(last) == second.sessions_for(last)


@pytest.mark.parametrize("count", [-1, MAX_UNIFORM_SESSIONS + 1])
def test_uniform_sessions_out_of_range_is_refused(count: int) -> None:
    with pytest.raises(ValueError, match="uniform_sessions"):
        Dataset(centers=2, uniform_sessions=count)


async def test_the_mock_serves_uniform_centers_as_full_pages(http: aiohttp.ClientSession) -> None:
    async with MockZenoti(centers=3, seed=2, uniform_sessions=300) as mock:
        for center in mock.center_ids:
            served = await all_sessions(http, mock, {"center_id": center}, size=100)
            assert len(served) == 300
            assert served == mock.dataset.sessions_for(center)


def test_mock_server_cli_option_maps_to_uniform_sessions() -> None:
    default = _server_options(build_parser().parse_args(["mock-server"]))
    assert default.uniform_sessions is None
    args = build_parser().parse_args(["mock-server", "--uniform-sessions", "1000"])
    assert _server_options(args).uniform_sessions == 1000
    with pytest.raises(ValueError, match="--uniform-sessions"):
        _server_options(build_parser().parse_args(["mock-server", "--uniform-sessions", "9999"]))
