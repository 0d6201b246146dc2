"""The fan-out's consumer side: the per-record fast path keeps the block's rules."""

from __future__ import annotations

import pytest

from zenoti_async import ZenotiClient
from zenoti_async.testing import MockZenoti


def busy_centers(mock: MockZenoti, count: int) -> list[str]:
    return [c for c in mock.center_ids if mock.dataset.session_count(c) > 5][:count]


async def test_records_left_in_a_page_are_not_served_after_the_block(
    mock: MockZenoti, client: ZenotiClient
) -> None:
    async with client.classes.sessions_for_centers(busy_centers(mock, 2)) as pull:
        async for _ in pull:
            break
    with pytest.raises(RuntimeError, match="inside its 'async with' block"):
        await pull.__anext__()


async def test_every_record_is_counted_once_in_order(
    mock: MockZenoti, client: ZenotiClient
) -> None:
    centers = busy_centers(mock, 3)
    async with client.classes.sessions_for_centers(centers, max_concurrency=2) as pull:
        got: dict[str, list[int | None]] = {}
        async for center_id, session in pull:
            got.setdefault(center_id, []).append(session.id)
            assert pull.stats.records == sum(len(ids) for ids in got.values())
    for center in centers:
        assert got[center] == [s["id"] for s in mock.dataset.sessions_for(center)]
