"""One timed run of one contender, in a fresh process (``python -m benchmarks.run_one JSON``).

A fresh process per run gives every contender the same start (nothing imported or cached by
another contender) and a peak RSS of its own. Prints one JSON line: wall and CPU seconds of
the pull, records, requests, 429s, and the peak RSS (after imports and at the end).
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import json
import os
import resource
import sys
import time
from typing import Any

from benchmarks.contenders import CONTENDERS, Target

_PEERS = {
    "aiohttp-pydantic": "benchmarks.peer_pydantic",
    "aiohttp-msgspec": "benchmarks.peer_msgspec",
    "aiohttp-naive": "benchmarks.peer_naive",
    "httpx-json": "httpx",
}


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run(spec: dict[str, Any]) -> dict[str, Any]:
    if spec.get("cpu") is not None:
        os.sched_setaffinity(0, {spec["cpu"]})
    contender = CONTENDERS[spec["contender"]]
    # Imports are not part of the pull: load what the contender needs before the clock starts.
    peer = _PEERS.get(spec["contender"])
    if peer is not None:
        importlib.import_module(peer)
    if spec["contender"].startswith("sdk"):
        importlib.import_module("zenoti_async")

    target = Target(**spec["target"])
    gc.collect()
    rss_before = _peak_rss_mb()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    outcome = asyncio.run(contender(target))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {
        "wall": wall,
        "cpu": cpu,
        "records": outcome.records,
        "requests": outcome.requests,
        "throttled": outcome.throttled,
        "rss_start_mb": rss_before,
        "rss_peak_mb": _peak_rss_mb(),
    }


def main() -> None:
    spec = json.loads(sys.argv[1])
    print(json.dumps(run(spec)), flush=True)


if __name__ == "__main__":
    main()
