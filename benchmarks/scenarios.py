"""The five scenarios of ``make bench``. Each returns a JSON-ready dict with its table, the
medians (``summary``, flat, for comparing runs), every raw run, and its targets."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.contenders import LABELS
from benchmarks.harness import (
    ROOT,
    Placement,
    Run,
    Server,
    fmt,
    fmt_int,
    rotated,
    run_contender,
    runs_as_json,
    say,
    summarize,
    table,
)

PAGE_SIZE = 100
Result = dict[str, Any]


@dataclass(frozen=True)
class Settings:
    quick: bool
    rounds: int | None  #: overrides each scenario's default number of rounds
    placement: Placement

    def rounds_or(self, full: int, quick: int) -> int:
        if self.rounds is not None:
            return self.rounds
        return quick if self.quick else full


def _target(name: str, value: float, limit: float, *, at_most: bool, unit: str = "") -> Result:
    met = value <= limit if at_most else value >= limit
    sign = "<=" if at_most else ">="
    return {
        "target": name,
        "value": value,
        "limit": limit,
        "met": met,
        "text": f"{name}: {value:.3f}{unit} (target {sign} {limit:g}{unit}) "
        + ("MET" if met else "MISSED"),
    }


def _rounds(
    server: Server,
    contenders: Sequence[str],
    rounds: int,
    *,
    center_ids: Sequence[str],
    concurrency: int,
    placement: Placement,
    rate: float = 0.0,
    burst: int = 0,
    refill: bool = False,
    warmup: Sequence[str] = (),
) -> dict[str, list[Run]]:
    """Every contender once per round, in a rotating order; warm-up runs are discarded."""

    def one(contender: str, number: int) -> Run:
        if refill:
            server.command("refill")
        return run_contender(
            contender,
            server,
            center_ids=center_ids,
            concurrency=concurrency,
            placement=placement,
            round_number=number,
            rate=rate,
            burst=burst,
        )

    for contender in warmup:
        one(contender, -1)
    runs: dict[str, list[Run]] = {c: [] for c in contenders}
    for number in range(rounds):
        for contender in rotated(contenders, number):
            run = one(contender, number)
            runs[contender].append(run)
            say(
                f"    round {number + 1}/{rounds} {contender:20s} {run.wall:7.3f} s "
                f"{run.records_per_second:10,.0f} records/s  429s={run.throttled}"
            )
    return runs


# ----------------------------------------------------------------------------- 1. CPU-bound

CPU_CONTENDERS = [
    "aiohttp-json",
    "sdk",
    "aiohttp-orjson",
    "aiohttp-pydantic",
    "aiohttp-msgspec",
    "httpx-json",
    "sequential-json",
    "sdk-sequential",
    "aiohttp-naive",
]


def cpu_bound(settings: Settings) -> Result:
    centers, sessions, concurrency = (20 if settings.quick else 50), 1000, 16
    rounds = settings.rounds_or(5, 3)
    say(
        f"\n## 1. CPU-bound: {centers} centers x 10 pages x 100 sessions, concurrency 16, "
        f"no latency, {rounds} rounds"
    )
    with Server(centers=centers, sessions=sessions, cpu=settings.placement.server) as server:
        runs = _rounds(
            server,
            CPU_CONTENDERS,
            rounds,
            center_ids=server.center_ids,
            concurrency=concurrency,
            placement=settings.placement,
            warmup=["aiohttp-json", "sdk"],
        )
    medians = {c: summarize(r) for c, r in runs.items()}
    base = medians["aiohttp-json"]["records_per_second"]
    limit = medians["aiohttp-msgspec"]["records_per_second"]
    pyd = medians["aiohttp-pydantic"]["records_per_second"]
    rows = []
    for contender in CPU_CONTENDERS:
        m = medians[contender]
        rate = m["records_per_second"]
        rows.append(
            [
                LABELS[contender],
                fmt_int(rate),
                fmt(rate / base) + "x",
                fmt(rate / limit) + "x",
                fmt(m["wall"], 3),
                fmt(m["cpu"], 3),
                fmt(m["cpu"] / m["records"] * 1e6, 1) if m["records"] else "-",
                fmt(m["rss_peak_mb"], 0),
                fmt(m["server_cpu_share"] * 100, 0) + " %",
            ]
        )
    text = table(
        [
            "contender",
            "records/s",
            "vs baseline",
            "vs msgspec",
            "wall s",
            "client CPU s",
            "CPU us/record",
            "peak RSS MB",
            "server CPU",
        ],
        rows,
    )
    sdk_rate = medians["sdk"]["records_per_second"]
    targets = [
        _target("SDK / raw aiohttp + json", sdk_rate / base, 1.0, at_most=False, unit="x"),
        _target("SDK / aiohttp + pydantic", sdk_rate / pyd, 1.0, at_most=False, unit="x"),
    ]
    return {
        "title": "CPU-bound",
        "params": {
            "centers": centers,
            "sessions_per_center": sessions,
            "page_size": PAGE_SIZE,
            "concurrency": concurrency,
            "rounds": rounds,
        },
        "summary": {f"{c} records/s": m["records_per_second"] for c, m in medians.items()},
        "medians": medians,
        "table": text,
        "notes": [f"SDK / msgspec: {sdk_rate / limit:.2f}x"],
        "targets": targets,
        "runs": {c: runs_as_json(r) for c, r in runs.items()},
    }


# ----------------------------------------------------------------------------- 2. latency


def latency_floor(centers: int, pages: int, concurrency: int, latency: float) -> float:
    """The least possible wall time: rounds of ``latency`` with at most ``concurrency``
    requests in flight, where a center's later pages can only be asked for once its first
    page has said how many there are (nothing fetched speculatively). First pages go first:
    they unlock the most work."""
    firsts, unlocked, rounds = centers, 0, 0
    while firsts or unlocked:
        take_first = min(firsts, concurrency)
        take_rest = min(unlocked, concurrency - take_first)
        firsts -= take_first
        unlocked += take_first * (pages - 1) - take_rest
        rounds += 1
    return rounds * latency


LATENCY_CONTENDERS = ["aiohttp-json", "sdk"]


def latency_bound(settings: Settings) -> Result:
    latency_ms = 50.0
    shapes = [(40 if settings.quick else 200, 3), (2, 25)]
    concurrencies = [8, 32, 64]
    rounds = settings.rounds_or(3, 1)
    say(f"\n## 2. Latency-bound: {latency_ms:g} ms per request, {rounds} rounds")
    rows: list[list[str]] = []
    summary: dict[str, float] = {}
    targets: list[Result] = []
    all_runs: dict[str, Any] = {}
    for centers, pages in shapes:
        shape = f"{centers} centers x {pages} pages"
        with Server(
            centers=centers,
            sessions=pages * PAGE_SIZE,
            latency_ms=latency_ms,
            cpu=settings.placement.server,
        ) as server:
            for concurrency in concurrencies:
                say(f"  {shape}, concurrency {concurrency}")
                runs = _rounds(
                    server,
                    LATENCY_CONTENDERS,
                    rounds,
                    center_ids=server.center_ids,
                    concurrency=concurrency,
                    placement=settings.placement,
                    warmup=["aiohttp-json"] if concurrency == concurrencies[0] else [],
                )
                floor = latency_floor(centers, pages, concurrency, latency_ms / 1000)
                medians = {c: summarize(r) for c, r in runs.items()}
                raw = medians["aiohttp-json"]["wall"]
                for contender in LATENCY_CONTENDERS:
                    wall = medians[contender]["wall"]
                    rows.append(
                        [
                            shape,
                            str(concurrency),
                            LABELS[contender],
                            fmt(wall, 3),
                            fmt(floor, 3),
                            fmt(wall / floor) + "x",
                            fmt(wall / raw) + "x",
                            fmt(medians[contender]["server_cpu_share"] * 100, 0) + " %",
                        ]
                    )
                    summary[f"{shape} c={concurrency} {contender} wall"] = wall
                sdk_wall = medians["sdk"]["wall"]
                all_runs[f"{shape} c={concurrency}"] = {
                    "floor": floor,
                    "medians": medians,
                    "runs": {c: runs_as_json(r) for c, r in runs.items()},
                }
                if concurrency == 8:
                    targets.append(
                        _target(
                            f"SDK wall / theoretical minimum, {shape}, c=8",
                            sdk_wall / floor,
                            1.15,
                            at_most=True,
                            unit="x",
                        )
                    )
                targets.append(
                    _target(
                        f"SDK wall / raw aiohttp wall, {shape}, c={concurrency}",
                        sdk_wall / raw,
                        1.2,
                        at_most=True,
                        unit="x",
                    )
                )
    text = table(
        [
            "shape",
            "concurrency",
            "contender",
            "wall s",
            "minimum s",
            "wall / minimum",
            "vs raw aiohttp",
            "server CPU",
        ],
        rows,
    )
    return {
        "title": "Latency-bound",
        "params": {
            "latency_ms": latency_ms,
            "shapes": shapes,
            "concurrency": concurrencies,
            "rounds": rounds,
        },
        "summary": summary,
        "table": text,
        "notes": [],
        "targets": targets,
        "runs": all_runs,
    }


# ----------------------------------------------------------------------------- 3. rate limit

RATE_CONTENDERS = ["sdk-rate-limited", "naive-retry-on-429"]


def rate_limited(settings: Settings) -> Result:
    rate, burst, concurrency = 100.0, 10, 16
    centers = 15 if settings.quick else 60
    pages = centers * 10
    rounds = settings.rounds_or(3, 1)
    floor = max(0.0, pages - burst) / rate
    say(
        f"\n## 3. Rate-limited: the mock enforces {rate:g} calls/s, burst {burst}; "
        f"{pages} pages, concurrency {concurrency}, {rounds} rounds"
    )
    with Server(
        centers=centers, sessions=1000, rate=rate, burst=burst, cpu=settings.placement.server
    ) as server:
        runs = _rounds(
            server,
            RATE_CONTENDERS,
            rounds,
            center_ids=server.center_ids,
            concurrency=concurrency,
            placement=settings.placement,
            rate=rate,
            burst=burst,
            refill=True,
        )
    medians = {c: summarize(r) for c, r in runs.items()}
    rows = []
    for contender in RATE_CONTENDERS:
        m = medians[contender]
        worst = max(r.throttled for r in runs[contender])
        rows.append(
            [
                LABELS[contender],
                fmt(m["wall"], 3),
                fmt(floor, 3),
                fmt(m["wall"] / floor, 3) + "x",
                fmt_int(m["throttled"]),
                str(worst),
                fmt_int(m["requests"]),
            ]
        )
    text = table(
        [
            "contender",
            "wall s",
            "bucket floor s",
            "wall / floor",
            "429s (median)",
            "429s (worst round)",
            "requests",
        ],
        rows,
    )
    sdk = medians["sdk-rate-limited"]
    sdk_worst = max(r.throttled for r in runs["sdk-rate-limited"])
    targets = [
        _target("SDK wall / bucket floor", sdk["wall"] / floor, 1.05, at_most=True, unit="x"),
        _target("SDK 429s (worst round)", float(sdk_worst), 0.0, at_most=True),
    ]
    return {
        "title": "Rate-limited",
        "params": {
            "rate_per_second": rate,
            "burst": burst,
            "pages": pages,
            "concurrency": concurrency,
            "rounds": rounds,
            "floor_seconds": floor,
        },
        "summary": {f"{c} wall": m["wall"] for c, m in medians.items()}
        | {f"{c} 429s": m["throttled"] for c, m in medians.items()},
        "medians": medians,
        "table": text,
        "notes": [f"bucket floor = (pages - burst) / rate = ({pages} - {burst}) / {rate:g}"],
        "targets": targets,
        "runs": {c: runs_as_json(r) for c, r in runs.items()},
    }


# ----------------------------------------------------------------------------- 4. memory


def memory(settings: Settings) -> Result:
    small, large = (20, 200) if settings.quick else (100, 1000)
    rounds = settings.rounds_or(1, 1)
    say(
        f"\n## 4. Memory: streaming pulls of {small * 1000:,} and {large * 1000:,} sessions "
        f"({rounds} round(s)), peak RSS of the client process"
    )
    pulls = {"small": small, "large": large}
    runs: dict[str, list[Run]] = {"small": [], "large": []}
    with Server(
        centers=large, sessions=1000, prewarm=False, cache_mb=64, cpu=settings.placement.server
    ) as server:
        for number in range(rounds):
            for name, count in pulls.items():
                run = run_contender(
                    "sdk",
                    server,
                    center_ids=server.center_ids[:count],
                    concurrency=16,
                    placement=settings.placement,
                    round_number=number,
                    timeout=1200,
                )
                runs[name].append(run)
                say(
                    f"    {run.records:>9,} sessions {run.wall:7.2f} s  peak RSS "
                    f"{run.rss_peak_mb:6.1f} MB (after imports {run.rss_start_mb:.1f} MB)"
                )
    medians = {name: summarize(r) for name, r in runs.items()}
    base = medians["small"]["rss_peak_mb"]
    rows = []
    for name in pulls:
        m = medians[name]
        rows.append(
            [
                f"zenoti-async sessions_for_centers, {fmt_int(m['records'])} sessions",
                fmt(m["wall"], 2),
                fmt_int(m["records_per_second"]),
                fmt(m["rss_start_mb"], 1),
                fmt(m["rss_peak_mb"], 1),
                fmt(m["rss_peak_mb"] - m["rss_start_mb"], 1),
                ("+" if m["rss_peak_mb"] >= base else "") + fmt(m["rss_peak_mb"] - base, 1),
            ]
        )
    text = table(
        [
            "pull",
            "wall s",
            "records/s",
            "RSS after imports MB",
            "peak RSS MB",
            "growth during pull MB",
            "vs small pull MB",
        ],
        rows,
    )
    growth = medians["large"]["rss_peak_mb"] - base
    return {
        "title": "Memory",
        "params": {
            "small_sessions": small * 1000,
            "large_sessions": large * 1000,
            "concurrency": 16,
            "rounds": rounds,
        },
        "summary": {f"{n} peak RSS MB": m["rss_peak_mb"] for n, m in medians.items()},
        "medians": medians,
        "table": text,
        "notes": [],
        "targets": [
            _target(
                f"peak RSS {large * 1000:,} minus {small * 1000:,} sessions",
                growth,
                30.0,
                at_most=True,
                unit=" MB",
            ),
        ],
        "runs": {n: runs_as_json(r) for n, r in runs.items()},
    }


# ----------------------------------------------------------------------------- 5. decode only

DECODE_LABELS = {
    "json-dicts": "json.loads -> dicts (baseline)",
    "orjson-dicts": "orjson.loads -> dicts",
    "sdk": "zenoti-async, whole page (.pages())",
    "sdk-records": "zenoti-async, records only (async for)",
    "pydantic": "pydantic v2 model_validate_json",
    "msgspec": "msgspec structs",
    "naive-cattrs": "json + cattrs defaults + frozen attrs",
}


def decode_only(settings: Settings) -> Result:
    rounds = settings.rounds_or(7, 3)
    say(f"\n## 5. Decode only: 10 pages of 100 sessions from bytes, {rounds} rounds")
    cpu = "-" if settings.placement.client is None else str(settings.placement.client)
    done = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "benchmarks.decode", str(rounds), cpu],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"decode benchmark failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    rates: dict[str, float] = result["records_per_second"]
    base, limit = rates["json-dicts"], rates["msgspec"]
    rows = [
        [
            DECODE_LABELS[name],
            fmt_int(rate),
            fmt(1e6 / rate, 2),
            fmt(rate / base) + "x",
            fmt(rate / limit) + "x",
        ]
        for name, rate in rates.items()
    ]
    text = table(["decoder", "records/s", "us/record", "vs json -> dicts", "vs msgspec"], rows)
    return {
        "title": "Decode only",
        "params": {
            "rounds": rounds,
            "pages": 10,
            "page_size": PAGE_SIZE,
            "bytes_per_page": result["bytes_per_page"],
        },
        "summary": {f"{n} records/s": r for n, r in rates.items()},
        "table": text,
        "notes": [
            f"SDK whole page / pydantic: {rates['sdk'] / rates['pydantic']:.2f}x; "
            f"records only / pydantic: {rates['sdk-records'] / rates['pydantic']:.2f}x"
        ],
        "targets": [],
        "runs": result["samples"],
    }


SCENARIOS = {
    "cpu": cpu_bound,
    "latency": latency_bound,
    "rate": rate_limited,
    "memory": memory,
    "decode": decode_only,
}


def is_finite(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)
