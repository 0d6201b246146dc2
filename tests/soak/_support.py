"""Pieces shared by the soaks: the mock server in its own process (so the memory measured is
the client's), and the process's resident memory."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def mock_server_process(*args: str) -> Iterator[str]:
    """Run ``zenoti-async mock-server --port 0 --quiet ARGS``; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "zenoti_async.cli", "mock-server", "--port", "0", "--quiet", *args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", proc.stdout.readline())
            if match:
                break
        else:
            raise AssertionError("the mock server did not start")
        yield match.group(1)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
        proc.stdout.close()


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
