"""Processes and statistics: the server process, one process per contender run, medians.

The server runs in its own process for the whole scenario; each contender run is a fresh
client process (``benchmarks.run_one``). On a machine with two or more CPUs the client is
pinned to CPU 0 and the server to CPU 1, so a contender's CPU cost never competes with the
server's and the server's CPU time (read from ``/proc``) shows it is not the bottleneck.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

ROOT = Path(__file__).resolve().parent.parent
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Placement:
    """Which CPU the client and the server run on (``None``: not pinned)."""

    client: int | None
    server: int | None

    @classmethod
    def choose(cls, *, pin: bool) -> Placement:
        if not pin or not hasattr(os, "sched_getaffinity"):
            return cls(None, None)
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            return cls(None, None)
        return cls(cpus[0], cpus[1])

    def describe(self) -> str:
        if self.client is None:
            return "not pinned (client and server share the CPUs)"
        return f"client pinned to CPU {self.client}, server to CPU {self.server}"


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process, from ``/proc`` (0.0 where unavailable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the command name: state is field 3, utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


class Server:
    """``benchmarks.server`` in a child process; a context manager."""

    def __init__(
        self,
        *,
        centers: int,
        sessions: int,
        cpu: int | None,
        latency_ms: float = 0.0,
        rate: float = 0.0,
        burst: int = 10,
        prewarm: bool = True,
        cache_mb: int = 512,
    ) -> None:
        self.args = [
            "--centers",
            str(centers),
            "--sessions",
            str(sessions),
            "--latency-ms",
            str(latency_ms),
            "--rate",
            str(rate),
            "--burst",
            str(burst),
            "--cache-mb",
            str(cache_mb),
        ]
        if prewarm:
            self.args.append("--prewarm")
        if cpu is not None:
            self.args += ["--cpu", str(cpu)]
        self._proc: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}

    def __enter__(self) -> Self:
        self._proc = subprocess.Popen(  # noqa: S603  (our own interpreter and module)
            [sys.executable, "-m", "benchmarks.server", *self.args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.info = json.loads(self._readline())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def _readline(self) -> str:
        assert self._proc is not None
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the benchmark server exited (status {self._proc.wait()})")
        return line

    def command(self, name: str) -> dict[str, Any]:
        assert self._proc is not None
        assert self._proc.stdin is not None
        self._proc.stdin.write(name + "\n")
        self._proc.stdin.flush()
        reply: dict[str, Any] = json.loads(self._readline())
        return reply

    @property
    def center_ids(self) -> list[str]:
        ids: list[str] = self.info["center_ids"]
        return ids

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(int(self.info["pid"]))


@dataclass
class Run:
    """One timed run of one contender."""

    contender: str
    round: int
    wall: float
    cpu: float
    records: int
    requests: int
    throttled: int
    rss_start_mb: float
    rss_peak_mb: float
    server_cpu: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def records_per_second(self) -> float:
        return self.records / self.wall if self.wall > 0 else 0.0


def run_contender(
    contender: str,
    server: Server,
    *,
    center_ids: Sequence[str],
    concurrency: int,
    placement: Placement,
    round_number: int,
    rate: float = 0.0,
    burst: int = 0,
    timeout: float = 600.0,
) -> Run:
    spec = {
        "contender": contender,
        "cpu": placement.client,
        "target": {
            "base_url": server.info["base_url"],
            "api_key": server.info["api_key"],
            "center_ids": list(center_ids),
            "concurrency": concurrency,
            "rate": rate,
            "burst": burst,
        },
    }
    before = server.cpu_seconds()
    done = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "benchmarks.run_one", json.dumps(spec)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    server_cpu = server.cpu_seconds() - before
    if done.returncode != 0:
        raise RuntimeError(f"{contender} failed (status {done.returncode}):\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return Run(contender=contender, round=round_number, server_cpu=server_cpu, **result)


def rotated(items: Sequence[str], round_number: int) -> list[str]:
    """The contenders in a different order each round, so none always runs first or last."""
    shift = round_number % len(items)
    return [*items[shift:], *items[:shift]]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summarize(runs: Sequence[Run]) -> dict[str, float]:
    """Medians over the rounds of one contender."""
    return {
        "wall": median([r.wall for r in runs]),
        "records_per_second": median([r.records_per_second for r in runs]),
        "cpu": median([r.cpu for r in runs]),
        "rss_peak_mb": median([r.rss_peak_mb for r in runs]),
        "rss_start_mb": median([r.rss_start_mb for r in runs]),
        "server_cpu_share": median([r.server_cpu / r.wall for r in runs if r.wall > 0]),
        "records": median([float(r.records) for r in runs]),
        "requests": median([float(r.requests) for r in runs]),
        "throttled": median([float(r.throttled) for r in runs]),
        "rounds": float(len(runs)),
    }


def runs_as_json(runs: Sequence[Run]) -> list[dict[str, Any]]:
    return [asdict(r) for r in runs]


# ----------------------------------------------------------------------------- reporting


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (it pastes into the README as is), columns padded to line up."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    # Text columns read left-aligned, figures right-aligned.
    left = [any(not _is_figure(r[i]) for r in rows) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            c.ljust(w) if left[i] else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rules = [":" + "-" * (w + 1) if left[i] else "-" * (w + 1) + ":" for i, w in enumerate(widths)]
    rule = "|" + "|".join(rules) + "|"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


_FIGURE = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?(?:x| %)?|-")


def _is_figure(cell: str) -> bool:
    return _FIGURE.fullmatch(cell) is not None


def fmt_int(value: float) -> str:
    return f"{value:,.0f}"


def fmt(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str | None:
    try:
        return subprocess.run(  # noqa: S603  (fixed git arguments from this module)
            ["git", *args],  # noqa: S607  (git from PATH)
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def _git_revision() -> str | None:
    """The commit measured, with ``+dirty`` when the library or the benchmarks differ from it."""
    head = _git("rev-parse", "--short", "HEAD")
    changes = _git("status", "--porcelain", "--", "zenoti_async", "benchmarks/*.py")
    return f"{head}+dirty" if head and changes else head


def machine() -> dict[str, Any]:
    packages = ["zenoti-async", "aiohttp", "orjson", "attrs", "cattrs", "tenacity", "pydantic"]
    packages += ["pydantic-core", "msgspec", "httpx"]
    return {
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.release()}",
        "packages": {p: _version(p) for p in packages},
        "git": _git_revision(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, indent=2, sort_keys=False)
    path.write_text(text + "\n")


def say(text: str = "", stream: IO[str] | None = None) -> None:
    print(text, file=stream or sys.stdout, flush=True)
