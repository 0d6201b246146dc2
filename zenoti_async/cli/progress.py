"""Showing a bulk pull to a person: a one-line live progress bar and a summary table.

The bar is drawn only on a terminal and at most ten times a second; when output is piped it
stays silent, so logs and files are not filled with carriage returns.
"""

from __future__ import annotations

import logging
import time
from typing import TextIO

from zenoti_async._pull import PullStats


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = max(0, int(seconds))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def progress_line(stats: PullStats, width: int = 24) -> str:
    total = max(1, stats.centers_total)
    done = stats.centers_finished
    filled = int(width * done / total)
    bar = "#" * filled + "-" * (width - filled)
    failed = f" ({stats.centers_failed} failed)" if stats.centers_failed else ""
    return (
        f"[{bar}] centers {done}/{stats.centers_total}{failed} | records {stats.records:,} | "
        f"{stats.records_per_second:,.0f} rec/s | 429s {stats.throttled} | "
        f"retries {stats.retries} | ETA {_duration(stats.eta)}"
    )


class ProgressBar:
    """Call with the stats as often as you like; it redraws at most every ``interval``."""

    def __init__(self, stream: TextIO, *, enabled: bool, interval: float = 0.1) -> None:
        self.stream = stream
        self.enabled = enabled
        self.interval = interval
        self._last = 0.0
        self._drawn = False

    def __call__(self, stats: PullStats) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self.interval and stats.centers_finished < stats.centers_total:
            return
        self._last = now
        self.stream.write("\r\x1b[2K" + progress_line(stats))
        self.stream.flush()
        self._drawn = True

    def log_handler(self) -> logging.Handler | None:
        """A handler that prints SDK warnings above the bar instead of through it."""
        if not self.enabled:
            return None
        bar = self

        class _AboveTheBar(logging.StreamHandler):  # type: ignore[type-arg]
            def emit(self, record: logging.LogRecord) -> None:
                if bar._drawn:
                    bar.stream.write("\r\x1b[2K")
                super().emit(record)
                bar._last = 0.0  # redraw on the next update

        handler = _AboveTheBar(self.stream)
        handler.setLevel(logging.WARNING)
        return handler

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def _avg_wait(stats: PullStats) -> float:
    return stats.rate_limit_wait / stats.requests if stats.requests else 0.0


def summary_table(stats: PullStats, *, output: str | None = None) -> str:
    rows = [
        ("centers", f"{stats.centers_done} ok, {stats.centers_failed} failed, "
                    f"{stats.centers_total} total"),
        ("records", f"{stats.records:,}"),
        ("pages", f"{stats.pages:,}"),
        ("requests", f"{stats.requests:,} ({stats.retries} retries, {stats.throttled} x 429)"),
        ("rate-limit wait", f"{_avg_wait(stats) * 1000:.0f} ms per request on average"),
        ("max in flight", str(stats.max_in_flight)),
        ("duplicates dropped", str(stats.duplicates_dropped)),
        ("count mismatches", str(stats.count_mismatches)),
        ("elapsed", f"{stats.elapsed:.2f} s"),
        ("throughput", f"{stats.records_per_second:,.0f} records/s"),
    ]  # fmt: skip
    if output:
        rows.append(("output", output))
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"  {name.ljust(width)}  {value}" for name, value in rows)
