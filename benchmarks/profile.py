"""Where a contender's time goes: py-spy over repeated CPU-bound pulls, then a summary.

``python -m benchmarks.profile [CONTENDER] [--pulls N] [--out FILE]`` starts the CPU-bound
scenario's server (50 centers x 10 pages x 100 sessions), samples ``--pulls`` pulls of the
contender (default ``sdk``) with py-spy at 1 kHz, and prints the functions with the most
samples: where they ran (self) and what they called (inclusive). Import time is left out.
The raw samples (py-spy's collapsed-stack format, one stack per line) stay in ``--out`` (by
default in the temp directory) for a flame graph. Garbage collection shows up inside
whichever function allocated when it ran.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.contenders import CONTENDERS, Target
from benchmarks.harness import ROOT, Placement, Server, say

_MARK = "run (asyncio/runners.py"  # samples inside a pull, not imports or start-up


def _child(spec: dict[str, object]) -> None:
    """The profiled process: ``pulls`` pulls in a row."""
    cpu = spec.get("cpu")
    if isinstance(cpu, int):
        os.sched_setaffinity(0, {cpu})
    import zenoti_async  # noqa: F401  (import time is not profiled)

    contender = CONTENDERS[str(spec["contender"])]
    target = Target(**spec["target"])  # type: ignore[arg-type]
    for _ in range(int(str(spec["pulls"]))):
        asyncio.run(contender(target))


def _short(frame: str) -> str:
    frame = re.sub(r":\d+\)$", ")", frame)
    return re.sub(
        r"\(.*?(site-packages/|lib/python3\.\d+/|/benchmarks/|/zenoti_async/)", "(", frame
    )


def summarize(raw: Path, top: int) -> str:
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if _MARK not in stack:
            continue
        samples = int(count)
        frames = [_short(f) for f in stack.split(";")]
        total += samples
        own[frames[-1]] += samples
        for frame in set(frames):
            inclusive[frame] += samples
    # Frames under every sample (the event loop, asyncio.run, this module) say nothing.
    for frame in [f for f, n in inclusive.items() if n >= 0.99 * total]:
        del inclusive[frame]
    lines = [f"{total} samples in pulls"]
    for title, counter in (("self", own), ("inclusive", inclusive)):
        lines.append(f"\n{title}:")
        lines += [f"  {100 * n / total:5.1f} %  {f}" for f, n in counter.most_common(top)]
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(json.loads(sys.argv[2]))
        return 0
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    parser.add_argument("contender", nargs="?", default="sdk", choices=sorted(CONTENDERS))
    parser.add_argument("--pulls", type=int, default=10)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--out", type=Path, help="raw samples (default: in the temp directory)")
    args = parser.parse_args()
    if args.out is None:
        args.out = Path(tempfile.gettempdir()) / f"zenoti-async-profile-{args.contender}.txt"
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(py_spy).exists():
        say("py-spy is not installed: make bench installs it (the bench dependency group)")
        return 2
    placement = Placement.choose(pin=True)
    with Server(centers=50, sessions=1000, cpu=placement.server) as server:
        spec = {
            "contender": args.contender,
            "pulls": args.pulls,
            "cpu": placement.client,
            "target": {
                "base_url": server.info["base_url"],
                "api_key": server.info["api_key"],
                "center_ids": server.center_ids,
                "concurrency": 16,
            },
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        command = [py_spy, "record", "--rate", "1000", "--format", "raw", "--output"]
        command += [str(args.out), "--", sys.executable, "-m", "benchmarks.profile", "--child"]
        subprocess.run([*command, json.dumps(spec)], check=True, cwd=ROOT)  # noqa: S603
    say(summarize(args.out, args.top))
    say(f"\nraw samples: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
