"""One paginator belongs to one task: a second concurrent consumer is refused loudly."""

from __future__ import annotations

import asyncio

import pytest

from zenoti_async import ZenotiClient
from zenoti_async.testing import MockZenoti


async def test_two_tasks_on_one_paginator_are_refused(
    mock: MockZenoti, client: ZenotiClient
) -> None:
    mock.latency = 0.02
    center = max(mock.center_ids, key=mock.dataset.session_count)
    paginator = client.classes.sessions(center_id=center)

    async def drain() -> int:
        return len([s async for s in paginator])

    first = asyncio.create_task(drain())
    await asyncio.sleep(0.005)  # the first task is now waiting for page 1
    with pytest.raises(RuntimeError, match="one task"):
        await drain()
    assert await first == mock.dataset.session_count(center)


async def test_separate_paginators_from_many_tasks_interleave_safely(
    mock: MockZenoti, client: ZenotiClient
) -> None:
    centers = mock.center_ids[:10]

    async def pull(center: str) -> list[int | None]:
        return [s.id async for s in client.classes.sessions(center_id=center, page_size=20)]

    results = await asyncio.gather(*(pull(c) for c in centers))
    for center, ids in zip(centers, results, strict=True):
        assert ids == [w["id"] for w in mock.dataset.sessions_for(center)]
