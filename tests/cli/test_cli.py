"""The `zenoti-async` command line, run as a real subprocess against the mock server."""

from __future__ import annotations

import asyncio
import csv
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest

from zenoti_async.testing import ErrorResponse, MockZenoti

SECRET = "cli-secret-key-8d1f"


async def run_cli(*args: str, env_key: str | None = None) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZENOTI_")}
    if env_key is not None:
        env["ZENOTI_API_KEY"] = env_key
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "zenoti_async.cli", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


@pytest.fixture
async def mock() -> AsyncIterator[MockZenoti]:
    async with MockZenoti(centers=30, seed=3, api_key=SECRET) as server:
        yield server


def connection(mock: MockZenoti) -> list[str]:
    return ["--base-url", mock.base_url, "--allow-http", "--rate", "0"]


def expected_pairs(mock: MockZenoti) -> set[tuple[str, int]]:
    return {(c, s["id"]) for c in mock.center_ids for s in mock.dataset.sessions_for(c)}


async def test_pull_writes_every_record_once_as_jsonl(mock: MockZenoti, tmp_path: Path) -> None:
    out = tmp_path / "sessions.jsonl"
    centers = ",".join(mock.center_ids)
    code, stdout, stderr = await run_cli(
        "pull", "--centers", centers, "--out", str(out), *connection(mock), env_key=SECRET
    )
    assert code == 0, stderr
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    pairs = [(r["center_id"], r["id"]) for r in rows]
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == expected_pairs(mock)
    assert "\r" not in stderr  # no progress bar when stderr is not a terminal
    assert "records" in stderr and f"{len(rows):,}" in stderr  # the summary table
    assert stdout == ""
    assert SECRET not in stderr
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


async def test_pull_reads_centers_from_a_file_and_writes_csv(
    mock: MockZenoti, tmp_path: Path
) -> None:
    centers = tmp_path / "centers.txt"
    centers.write_text("# centers to pull\n" + "\n".join(mock.center_ids[:5]) + "\n")
    out = tmp_path / "sessions.csv"
    code, _, stderr = await run_cli(
        "pull", "--centers", str(centers), "--out", str(out), *connection(mock), env_key=SECRET
    )
    assert code == 0, stderr
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = sum(mock.dataset.session_count(c) for c in mock.center_ids[:5])
    assert len(rows) == expected
    assert {"id", "center_id", "start_time", "start_time_utc", "status"} <= set(rows[0])


async def test_failed_centers_give_exit_1_an_error_list_and_no_file(
    mock: MockZenoti, tmp_path: Path
) -> None:
    broken = next(c for c in mock.center_ids if mock.dataset.session_count(c))
    mock.inject(ErrorResponse(500), center_id=broken)
    out = tmp_path / "sessions.jsonl"
    code, _, stderr = await run_cli(
        "pull", "--centers", ",".join(mock.center_ids), "--out", str(out),
        "--attempts", "2", *connection(mock), env_key=SECRET,
    )  # fmt: skip
    assert code == 1
    assert "1 centers failed" in stderr and broken in stderr and "HTTP 500" in stderr
    assert list(tmp_path.iterdir()) == []  # never a half-written file


async def test_sessions_to_stdout(mock: MockZenoti) -> None:
    center = max(mock.center_ids, key=mock.dataset.session_count)
    code, stdout, stderr = await run_cli(
        "sessions", "--center-id", center, "--status", "active", "--out", "-",
        *connection(mock), env_key=SECRET,
    )  # fmt: skip
    assert code == 0, stderr
    ids = [orjson.loads(line)["id"] for line in stdout.splitlines()]
    assert ids == [s["id"] for s in mock.dataset.sessions_for(center, status=0)]


async def test_packages_and_memberships(mock: MockZenoti) -> None:
    class_ids = mock.dataset.class_ids
    expected = {
        "packages": len(mock.dataset.packages_for(0, class_ids)),
        "memberships": len(mock.dataset.memberships_for(0, class_ids)),
    }
    assert all(expected.values())
    for command, count in expected.items():
        code, stdout, stderr = await run_cli(
            command, "--search-type", "class", "--item-ids", ",".join(map(str, class_ids)),
            *connection(mock), env_key=SECRET,
        )  # fmt: skip
        assert code == 0, stderr
        assert len(stdout.splitlines()) == count


async def test_missing_key_is_a_usage_error(mock: MockZenoti) -> None:
    code, _, stderr = await run_cli(
        "sessions", "--center-id", mock.center_ids[0], *connection(mock)
    )
    assert code == 2
    assert "ZENOTI_API_KEY" in stderr


async def test_wrong_key_fails_without_echoing_it(mock: MockZenoti) -> None:
    wrong = "wrong-key-never-printed-42"
    code, stdout, stderr = await run_cli(
        "sessions", "--center-id", mock.center_ids[0], "--api-key", wrong, "-vv", *connection(mock)
    )
    assert code == 3
    assert "HTTP 401" in stderr
    assert wrong not in stderr and wrong not in stdout


async def test_bad_argument_names_the_parameter_before_any_request(mock: MockZenoti) -> None:
    code, _, stderr = await run_cli(
        "sessions", "--center-id", "not-a-guid", *connection(mock), env_key=SECRET
    )
    assert code == 2
    assert "center_id" in stderr
    assert mock.requests == []


async def test_demo_runs_and_verifies_itself(tmp_path: Path) -> None:
    out = tmp_path / "demo.jsonl"
    code, _, stderr = await run_cli(
        "demo", "--centers", "25", "--rate", "12000", "--out", str(out), "--no-progress"
    )
    assert code == 0, stderr
    assert "-> OK" in stderr
    assert out.stat().st_size > 0
