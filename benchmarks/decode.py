"""Decode only: records per second from response bytes to records, no HTTP.

Run in its own process by the harness (``python -m benchmarks.decode ROUNDS CPU``): it takes
ten real pages of 100 sessions from the bundled mock, then times each decoder over them,
interleaved, for several rounds, and prints the medians as one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import orjson

from benchmarks.contenders import PAGE_SIZE, json_dicts, orjson_dicts
from benchmarks.peer_msgspec import msgspec_page
from benchmarks.peer_naive import naive_page
from benchmarks.peer_pydantic import pydantic_page
from zenoti_async._sansio.converter import decode_sessions_page, decode_sessions_records
from zenoti_async._sansio.response import decipher
from zenoti_async.testing import MockZenoti

_NO_HEADERS: dict[str, str] = {}


def sdk_page(body: bytes) -> tuple[list[Any], int | None]:
    """What the SDK's request path does with a body for ``.pages()``: decipher (status,
    JSON, error body) then the converter into frozen attrs models, related objects included,
    as every peer here decodes them."""
    page = decode_sessions_page(decipher("GET", "/v1/classes/sessions", 200, _NO_HEADERS, body))
    details = page.page_details
    return page.sessions, details.total_pages if details else None


def sdk_records(body: bytes) -> tuple[list[Any], int | None]:
    """The same for record iteration (``async for``, the fan-out): the related objects are
    neither decoded nor checked."""
    payload = decipher("GET", "/v1/classes/sessions", 200, _NO_HEADERS, body)
    page = decode_sessions_records(payload)
    details = page.page_details
    return page.sessions, details.total_pages if details else None


DECODERS: dict[str, Callable[[bytes], tuple[Any, int | None]]] = {
    "json-dicts": json_dicts,
    "orjson-dicts": orjson_dicts,
    "sdk": sdk_page,
    "sdk-records": sdk_records,
    "pydantic": pydantic_page,
    "msgspec": msgspec_page,
    "naive-cattrs": naive_page,
}


async def _pages(count: int) -> list[bytes]:
    async with (
        MockZenoti(centers=1, seed=7, uniform_sessions=count * PAGE_SIZE) as mock,
        aiohttp.ClientSession() as http,
    ):
        bodies = []
        for page in range(1, count + 1):
            params = {"center_id": mock.center_ids[0], "page": page, "size": PAGE_SIZE}
            async with http.get(
                mock.url("sessions"), params=params, headers=mock.auth_headers
            ) as response:
                bodies.append(await response.read())
        return bodies


def _time(decode: Callable[[bytes], tuple[Any, int | None]], bodies: list[bytes]) -> float:
    """Records per second over every page, repeated until at least 0.2 s went by."""
    records = 0
    repeats = 0
    started = time.perf_counter()
    while True:
        for body in bodies:
            sessions, _ = decode(body)
            records += len(sessions)
        repeats += 1
        elapsed = time.perf_counter() - started
        if elapsed >= 0.2 and repeats >= 2:
            return records / elapsed


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if len(sys.argv) > 2 and sys.argv[2] != "-":
        os.sched_setaffinity(0, {int(sys.argv[2])})
    bodies = asyncio.run(_pages(10))
    for decode in DECODERS.values():  # warm-up: first calls build caches
        _time(decode, bodies[:1])
    samples: dict[str, list[float]] = {name: [] for name in DECODERS}
    names = list(DECODERS)
    for number in range(rounds):
        order = names[number % len(names) :] + names[: number % len(names)]
        for name in order:
            samples[name].append(_time(DECODERS[name], bodies))
    result = {
        "bytes_per_page": statistics.mean(len(b) for b in bodies),
        "records_per_second": {name: statistics.median(v) for name, v in samples.items()},
        "samples": samples,
    }
    # Sanity: every decoder reads the same records.
    assert len({len(d(bodies[0])[0]) for d in DECODERS.values()}) == 1
    assert orjson.loads(bodies[0])["sessions"]
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
