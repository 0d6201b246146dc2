"""The benchmark's server process: the bundled mock Zenoti, pre-rendered, driven over stdin.

Run by the harness as ``python -m benchmarks.server --centers 50 --sessions 1000 ...``. It
prints one JSON line (URL, key, center ids, pid) once it is ready, then reads commands, one
per line, and answers each with one JSON line:

* ``stats``: requests served and 429s sent so far;
* ``refill``: fill the rate-limit bucket again (each contender starts from a full bucket);
* end of input: shut down.

Pages are rendered once before the ready line (``--prewarm``) and kept in the mock's page
cache, so a request costs the server an aiohttp round trip and a cache lookup: the server
stays off the critical path, which the harness checks by reporting its CPU time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

import aiohttp

from zenoti_async.testing import (
    Latency,
    MockZenoti,
    RateLimitConfig,
    RecordedRequest,
    TokenBucket,
)

PAGE_SIZE = 100


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server")
    parser.add_argument("--centers", type=int, required=True)
    parser.add_argument("--sessions", type=int, required=True, help="sessions per center")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--rate", type=float, default=0.0, help="calls per second, 0: no limit")
    parser.add_argument("--burst", type=int, default=10)
    parser.add_argument("--cache-mb", type=int, default=512)
    parser.add_argument("--prewarm", action="store_true", help="render every page first")
    parser.add_argument("--cpu", type=int, default=None, help="pin the process to this CPU")
    return parser


class _Counts:
    def __init__(self) -> None:
        self.requests = 0
        self.throttled = 0

    def __call__(self, record: RecordedRequest) -> None:
        self.requests += 1
        if record.status == 429:
            self.throttled += 1


async def _prewarm(mock: MockZenoti, sessions: int) -> None:
    """Fetch every page once, with the parameters the contenders send, to fill the cache."""
    pages = max(1, -(-sessions // PAGE_SIZE))
    connector = aiohttp.TCPConnector(limit=8)
    async with aiohttp.ClientSession(connector=connector) as http:
        slots = asyncio.Semaphore(8)

        async def one(center: str, page: int) -> None:
            params = {"center_id": center, "page": str(page), "size": str(PAGE_SIZE)}
            async with (
                slots,
                http.get(
                    mock.url("sessions"), params=params, headers=mock.auth_headers
                ) as response,
            ):
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"prewarm got HTTP {response.status}")

        await asyncio.gather(*(one(c, p) for c in mock.center_ids for p in range(1, pages + 1)))


async def _serve(args: argparse.Namespace) -> None:
    counts = _Counts()
    rate_limit = None
    if args.rate > 0:
        # The mock's bucket takes calls per window; one second windows express any rate.
        rate_limit = RateLimitConfig(limit=round(args.rate), window=1.0, burst=args.burst)
    mock = MockZenoti(
        centers=args.centers,
        seed=args.seed,
        uniform_sessions=args.sessions,
        max_recorded=0,  # nothing to inspect later: do not hold per-request records
        cache_bytes=args.cache_mb * 1024 * 1024,
        on_request=counts,
    )
    await mock.start()
    try:
        if args.prewarm:
            await _prewarm(mock, args.sessions)
        # Limits and latency only from here on: the prewarm requests must not spend tokens.
        if rate_limit is not None:
            mock.state.rate_limiter = TokenBucket(rate_limit)
        if args.latency_ms > 0:
            mock.latency = Latency.fixed(args.latency_ms / 1000)
        counts.requests = counts.throttled = 0
        ready = {
            "pid": os.getpid(),
            "base_url": mock.base_url,
            "api_key": mock.api_key,
            "center_ids": mock.center_ids,
        }
        print(json.dumps(ready), flush=True)
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            command = line.strip()
            if command == "refill" and mock.rate_limiter is not None:
                mock.rate_limiter.reset()
            reply = {"requests": counts.requests, "throttled": counts.throttled}
            print(json.dumps(reply), flush=True)
    finally:
        await mock.close()


def main() -> None:
    args = _parser().parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
