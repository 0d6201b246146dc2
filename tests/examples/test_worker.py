"""examples/worker.py against a MockZenoti on 127.0.0.1."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson

from examples import worker
from tests.examples.conftest import client_options
from tests.integration.conftest import client_side_tasks
from zenoti_async.testing import WINDOW_END, WINDOW_START, Delay, GatewayError, MockZenoti

WINDOW = (WINDOW_START, WINDOW_END)


def read(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def expected_ids(mock: MockZenoti, centers: list[str]) -> set[tuple[str, int]]:
    return {
        (center, s["id"])
        for center in centers
        for s in mock.dataset.sessions_for(center, start_date=WINDOW_START, end_date=WINDOW_END)
    }


async def test_each_run_replaces_the_snapshot_with_every_session_of_every_center(
    mock: MockZenoti, tmp_path: Path
) -> None:
    out = tmp_path / "sessions.jsonl"
    centers = mock.center_ids[:10]
    reports = await worker.run_worker(
        centers, out, every=0.01, runs=2, window=WINDOW, **client_options(mock)
    )
    assert len(reports) == 2
    rows = read(out)
    assert {(r["center_id"], r["id"]) for r in rows} == expected_ids(mock, centers)
    assert len(rows) == reports[1].records
    assert reports[0].records == reports[1].records
    assert all(not r.centers_failed for r in reports)
    # Both runs went through one client: every center was asked twice, over one pool.
    firsts = [r for r in mock.requests_to("sessions") if ("page", "1") in r.query]
    assert len(firsts) == 2 * len(centers)
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


async def test_a_failing_center_is_left_out_and_the_others_are_written(
    mock: MockZenoti, tmp_path: Path
) -> None:
    out = tmp_path / "sessions.jsonl"
    centers = mock.center_ids[:6]
    broken = centers[2]
    mock.inject(GatewayError(502), endpoint="sessions", center_id=broken)
    [report] = await worker.run_worker(
        centers, out, every=0, runs=1, window=WINDOW, **client_options(mock)
    )
    assert report.centers_failed == [broken]
    got = {(r["center_id"], r["id"]) for r in read(out)}
    assert got == expected_ids(mock, [c for c in centers if c != broken])


async def test_cancelling_a_run_keeps_the_previous_snapshot_and_leaks_nothing(
    mock: MockZenoti, tmp_path: Path
) -> None:
    out = tmp_path / "sessions.jsonl"
    centers = mock.center_ids[:6]
    await worker.run_worker(centers, out, every=0, runs=1, window=WINDOW, **client_options(mock))
    snapshot = out.read_bytes()
    before = client_side_tasks()

    mock.inject(Delay(30.0), endpoint="sessions", center_id=centers[3])
    task = asyncio.create_task(
        worker.run_worker(centers, out, every=0, runs=1, window=WINDOW, **client_options(mock))
    )
    for _ in range(1000):
        if mock.in_flight and any(p.name.endswith(".part") for p in tmp_path.iterdir()):
            break
        await asyncio.sleep(0.005)
    assert mock.in_flight  # the slow center's request is in flight
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=5)
    assert task in done and task.cancelled()
    assert out.read_bytes() == snapshot
    assert list(tmp_path.iterdir()) == [out]
    assert client_side_tasks() == before


def test_the_command_line_runs_against_the_bundled_mock(tmp_path: Path) -> None:
    out = tmp_path / "mock.jsonl"
    worker.main(["--mock", "--every", "0", "--runs", "1", "--out", str(out)])
    rows = read(out)
    assert rows
    assert {"center_id", "id", "start_time", "start_time_utc"} <= set(rows[0])
