"""Soak: a fan-out over 1,200 centers against a mock server in its own process, with 3 % of
mixed faults. It must complete with the exact record set, keep memory flat, and emit no
warning. Run with `make soak` (a few minutes); not part of `make test`.

The server runs in a subprocess so that the resident memory measured here is the client's.
Records are checked against per-center digests rather than kept, so the check itself does not
grow with the pull.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

import pytest

from tests.soak._support import mock_server_process, rss_mb
from zenoti_async import PullStats, RetryPolicy, ZenotiClient
from zenoti_async.testing import Dataset

CENTERS = 1200
SEED = 31
KEY = "soak-key-0c9d"
FAULTS = "429,500,502,503,504,reset,reset-mid-body,error-506,truncated-dishonest"


@pytest.fixture
def server() -> Iterator[str]:
    with mock_server_process(
        "--centers", str(CENTERS), "--seed", str(SEED), "--api-key", KEY, "--rate-limit", "0",
        "--fault-rate", "0.03", "--fault-kinds", FAULTS
    ) as url:  # fmt: skip
        yield url


async def test_1200_centers_with_mixed_faults_exact_and_flat(server: str) -> None:
    samples: list[tuple[int, float]] = []

    def on_progress(stats: PullStats) -> None:
        if stats.centers_finished % 50 == 0:
            samples.append((stats.records, rss_mb()))

    running: dict[str, hashlib._Hash] = defaultdict(hashlib.sha256)
    ids_seen: dict[str, list[str]] = defaultdict(list)
    start = date(2026, 10, 1)
    end = date(2026, 12, 31)
    client = ZenotiClient(
        api_key=KEY,
        base_url=server,
        allow_http=True,
        rate_limit=None,
        retry=RetryPolicy(attempts=8, wait_initial=0.01, wait_max=0.2),
    )
    dataset = Dataset(CENTERS, SEED)
    center_ids = list(dataset.center_ids)
    started = time.monotonic()
    async with (
        client,
        client.classes.sessions_for_centers(
            center_ids, max_concurrency=16, start_date=start, end_date=end, on_progress=on_progress
        ) as pull,
    ):
        async for center_id, session in pull:
            ids_seen[center_id].append(str(session.id))
            if len(ids_seen[center_id]) >= 64:  # fold into the digest: constant memory
                running[center_id].update(",".join(ids_seen[center_id]).encode() + b",")
                ids_seen[center_id].clear()
    elapsed = time.monotonic() - started
    for center_id, rest in ids_seen.items():
        if rest:
            running[center_id].update(",".join(rest).encode() + b",")

    expected: dict[str, str] = {}
    total = 0
    for center_id in center_ids:
        ids = [s["id"] for s in dataset.sessions_for(center_id, start_date=start, end_date=end)]
        total += len(ids)
        if ids:
            expected[center_id] = hashlib.sha256("".join(f"{i}," for i in ids).encode()).hexdigest()
    got = {c: h.hexdigest() for c, h in running.items()}
    assert got == expected, "every record exactly once, in order, for every center"
    assert pull.failures == {}
    assert pull.stats.records == total
    assert pull.stats.retries > 0

    early = [mb for records, mb in samples if records <= total * 0.25]
    late = [mb for records, mb in samples if records >= total * 0.75]
    growth = max(late) - max(early)
    print(
        f"\nsoak: {CENTERS} centers, {total:,} sessions, {pull.stats.requests:,} requests "
        f"({pull.stats.retries} retries, {pull.stats.throttled} x 429), {elapsed:.1f} s, "
        f"{total / elapsed:,.0f} records/s; RSS early {max(early):.1f} MB, "
        f"late {max(late):.1f} MB, peak {max(mb for _r, mb in samples):.1f} MB"
    )
    assert growth < 10, f"memory grew by {growth:.1f} MB over the pull"
