"""Same seed and options, same bytes; different seed, different data; no hidden inputs."""

from __future__ import annotations

import random
import time

import aiohttp

from tests.testing._support import center_with_sessions, fetch
from zenoti_async.testing import Dataset, MockZenoti


async def bodies(mock: MockZenoti, http: aiohttp.ClientSession) -> list[bytes]:
    dataset = mock.dataset
    center = center_with_sessions(dataset, 50)
    requests: list[tuple[str, dict[str, object]]] = [
        ("sessions", {"center_id": center, "size": 100}),
        ("sessions", {"center_id": center, "page": 2, "size": 7}),
        ("sessions", {"center_id": dataset.center_ids[-1]}),
        ("packages", {"search_type": 1, "item_ids": ",".join(dataset.center_ids[:10])}),
        ("memberships", {"search_type": 1, "item_ids": ",".join(map(str, dataset.category_ids))}),
    ]
    return [(await fetch(http, mock, e, p)).body for e, p in requests]


async def test_same_seed_gives_byte_identical_responses(http: aiohttp.ClientSession) -> None:
    async with MockZenoti(centers=50, seed=11) as first, MockZenoti(centers=50, seed=11) as second:
        assert first.center_ids == second.center_ids
        assert await bodies(first, http) == await bodies(second, http)


async def test_different_seed_gives_different_data(http: aiohttp.ClientSession) -> None:
    async with MockZenoti(centers=50, seed=11) as first, MockZenoti(centers=50, seed=12) as second:
        assert first.center_ids != second.center_ids
        assert set(first.dataset.class_ids) != set(second.dataset.class_ids)
        first_bodies, second_bodies = await bodies(first, http), await bodies(second, http)
        assert all(a != b for a, b in zip(first_bodies, second_bodies, strict=True))


def test_a_center_does_not_depend_on_which_centers_were_generated_before() -> None:
    one, other = Dataset(centers=30, seed=3), Dataset(centers=30, seed=3)
    for center in one.center_ids:
        one.session_count(center)
    last = one.center_ids[-1]
    assert other.sessions_for(last) == one.sessions_for(last)


def test_more_centers_keep_the_first_centers_ids() -> None:
    assert Dataset(centers=500, seed=3).center_ids[:100] == Dataset(centers=100, seed=3).center_ids


def test_the_global_random_generator_is_neither_used_nor_disturbed() -> None:
    random.seed(1)
    state = random.getstate()
    dataset = Dataset(centers=20, seed=3)
    first = [dataset.sessions_for(c) for c in dataset.center_ids]
    assert random.getstate() == state
    random.seed(99)
    again = Dataset(centers=20, seed=3)
    assert [again.sessions_for(c) for c in again.center_ids] == first


def test_sessions_sit_in_the_fixed_window_not_around_today() -> None:
    dataset = Dataset(centers=30, seed=3)
    days = {s["start_time"][:10] for c in dataset.center_ids for s in dataset.sessions_for(c)}
    assert min(days) >= "2026-10-01"
    assert max(days) <= "2026-12-31"


async def test_startup_is_fast_for_hundreds_of_centers() -> None:
    started = time.perf_counter()
    async with MockZenoti(centers=300) as mock:
        assert len(mock.center_ids) == 300
    # Generous bound: the real figure is ~10 ms, centers are generated lazily.
    assert time.perf_counter() - started < 1.0


async def test_the_page_cache_never_changes_a_response(http: aiohttp.ClientSession) -> None:
    async with (
        MockZenoti(centers=50, seed=11) as cached,
        MockZenoti(centers=50, seed=11, cache_bytes=0) as uncached,
    ):
        first = await bodies(cached, http)
        assert await bodies(cached, http) == first  # served from the cache
        assert await bodies(uncached, http) == first
