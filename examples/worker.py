"""A plain asyncio worker: every N minutes, pull the sessions of every center into JSON Lines.

The shape of a long-lived job:

- One ``ZenotiClient`` for the life of the process: one pool, one rate limiter, reused by
  every run (no client, no pool per run).
- Each run is a ``sessions_for_centers`` fan-out. It writes ``<out>`` as a snapshot: to a
  temporary file first, renamed over ``<out>`` only once complete, so a reader never sees a
  half-written file and a failed run leaves the previous snapshot in place.
- File writes run in a thread (``asyncio.to_thread``): the event loop never waits on a disk.
- Runs start on a fixed schedule (every N minutes from the first); a run that overruns its
  slot is followed at once by the next, never by a pile-up.
- SIGTERM or Ctrl-C cancels the run in flight: its temporary file is removed, its
  connections are released, and the client is closed.
- A center that fails is logged and left out of that snapshot; the next run tries again.

Run it against Zenoti (one center id per line in ``centers.txt``)::

    ZENOTI_API_KEY=... python -m examples.worker --centers centers.txt --every 15 \\
        --out sessions.jsonl

or against the bundled mock, twice, a few seconds apart::

    python -m examples.worker --mock --every 0.05 --runs 2 --out /tmp/sessions.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

import attrs
import orjson

from zenoti_async import ZenotiClient
from zenoti_async.testing import WINDOW_END, WINDOW_START, MockZenoti

logger = logging.getLogger("zenoti_worker")

_FLUSH_BYTES = 256 * 1024


@attrs.frozen
class RunReport:
    records: int
    centers_ok: int
    centers_failed: list[str]
    requests: int
    retries: int
    seconds: float


async def pull_once(
    client: ZenotiClient,
    center_ids: Sequence[str],
    out: Path,
    *,
    start_date: date,
    end_date: date,
    max_concurrency: int = 8,
) -> RunReport:
    """Pull every center's sessions into ``out``, replaced atomically when the run ends."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    handle: IO[bytes] = await asyncio.to_thread(open, tmp, "wb")
    done = False
    try:
        buffer: list[bytes] = []
        size = 0
        async with client.classes.sessions_for_centers(
            center_ids,
            max_concurrency=max_concurrency,
            start_date=start_date,
            end_date=end_date,
            raise_on_failure=False,  # a failing center must not cost the others their data
        ) as pull:
            async for center_id, session in pull:
                line = orjson.dumps(
                    {"center_id": center_id, **attrs.asdict(session)},
                    option=orjson.OPT_APPEND_NEWLINE,
                )
                buffer.append(line)
                size += len(line)
                if size >= _FLUSH_BYTES:
                    await asyncio.to_thread(handle.write, b"".join(buffer))
                    buffer, size = [], 0
        await asyncio.to_thread(_commit, handle, b"".join(buffer), tmp, out)
        done = True
    finally:
        if not done:
            # Cancelled or failed: drop the partial file, keep the previous snapshot.
            handle.close()
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    stats = pull.stats
    return RunReport(
        records=stats.records,
        centers_ok=stats.centers_done,
        centers_failed=sorted(pull.failures),
        requests=stats.requests,
        retries=stats.retries,
        seconds=stats.elapsed,
    )


def _commit(handle: IO[bytes], tail: bytes, tmp: Path, out: Path) -> None:
    with handle:
        handle.write(tail)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, out)


async def run_worker(
    center_ids: Sequence[str],
    out: Path,
    *,
    every: float,
    runs: int | None = None,
    window: tuple[date, date] | None = None,
    days: int = 7,
    max_concurrency: int = 8,
    **client_options: Any,
) -> list[RunReport]:
    """Pull every ``every`` seconds, ``runs`` times (``None``: until cancelled).

    ``window`` fixes the date range; otherwise each run covers today and the next ``days``.
    ``client_options`` go to ``ZenotiClient`` (default: the environment).
    """
    reports: list[RunReport] = []
    async with ZenotiClient(**client_options) as client:
        next_start = time.monotonic()
        while runs is None or len(reports) < runs:
            await asyncio.sleep(max(0.0, next_start - time.monotonic()))
            next_start = max(next_start + every, time.monotonic())
            start, end = window or (date.today(), date.today() + timedelta(days=days))
            report = await pull_once(
                client,
                center_ids,
                out,
                start_date=start,
                end_date=end,
                max_concurrency=max_concurrency,
            )
            reports.append(report)
            health = client.stats()
            logger.info(
                "run %d: %d records from %d centers in %.1f s (%d requests, %d retries); "
                "pool: %d idle connections; limiter: %s",
                len(reports), report.records, report.centers_ok, report.seconds,
                report.requests, report.retries, health.connections_idle,
                health.rate_limiter,
            )  # fmt: skip
            if report.centers_failed:
                logger.warning(
                    "%d centers failed and are missing from this snapshot: %s",
                    len(report.centers_failed), ", ".join(report.centers_failed),
                )  # fmt: skip
    return reports


async def _main(args: argparse.Namespace, center_ids: list[str]) -> None:
    # asyncio.run() already turns Ctrl-C into a cancellation of this task; SIGTERM (what a
    # process manager sends) gets the same treatment.
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    every = args.every * 60.0
    if not args.mock:
        await run_worker(center_ids, Path(args.out), every=every, runs=args.runs, days=args.days)
        return
    async with MockZenoti(centers=50) as mock:
        await run_worker(
            mock.center_ids,
            Path(args.out),
            every=every,
            runs=args.runs,
            window=(WINDOW_START, WINDOW_END),
            api_key=mock.api_key,
            base_url=mock.base_url,
            allow_http=True,
            rate_limit=None,
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Pull every center's sessions periodically.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--centers", help="a file with one center id per line")
    source.add_argument("--mock", action="store_true", help="pull from a bundled mock server")
    parser.add_argument("--out", default="sessions.jsonl")
    parser.add_argument("--every", type=float, default=15.0, help="minutes between runs")
    parser.add_argument("--runs", type=int, default=None, help="stop after this many runs")
    parser.add_argument("--days", type=int, default=7, help="days ahead to pull (from today)")
    args = parser.parse_args(argv)
    center_ids: list[str] = []
    if args.centers:
        lines = Path(args.centers).read_text().splitlines()
        center_ids = [line.strip() for line in lines if line.strip()]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with contextlib.suppress(asyncio.CancelledError, KeyboardInterrupt):
        asyncio.run(_main(args, center_ids))


if __name__ == "__main__":
    main()
