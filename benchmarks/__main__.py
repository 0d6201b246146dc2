"""``python -m benchmarks [SCENARIO ...] [--quick] [--rounds N] [--out FILE] [--compare FILE]``

Runs the scenarios (all by default: cpu, latency, rate, memory, decode) against the bundled
mock server, prints a Markdown table per scenario with medians and ratios to the baseline of
the same run, checks the targets, and writes everything (every raw run too) to a JSON file
under ``benchmarks/results/`` that ``--compare`` reads back later.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import ROOT, Placement, machine, say, write_json
from benchmarks.scenarios import SCENARIOS, Settings, is_finite


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmarks of zenoti-async against the bare floor and its peers, on the "
        "bundled mock server; medians and ratios to the baseline of the same run.",
    )
    parser.add_argument(
        "scenarios",
        nargs="*",
        choices=[*SCENARIOS, []],
        metavar="SCENARIO",
        help=f"any of {', '.join(SCENARIOS)} (default: all)",
    )
    parser.add_argument("--quick", action="store_true", help="smaller shapes, fewer rounds")
    parser.add_argument("--rounds", type=int, help="rounds per scenario (overrides defaults)")
    parser.add_argument("--out", type=Path, help="results file (default: results/run-*.json)")
    parser.add_argument("--compare", type=Path, help="a previous results file to compare with")
    parser.add_argument(
        "--no-pin", action="store_true", help="do not pin the client and server to own CPUs"
    )
    return parser


def _compare(current: dict[str, Any], previous_path: Path) -> None:
    previous = json.loads(previous_path.read_text())
    say(f"\n## Compared with {previous_path} ({previous['machine'].get('date')})")
    for name, result in current["scenarios"].items():
        before = previous.get("scenarios", {}).get(name)
        if before is None:
            continue
        say(f"\n{result['title']}:")
        for key, value in result["summary"].items():
            old = before["summary"].get(key)
            if is_finite(old) and is_finite(value) and old:
                say(f"  {key:60s} {old:14,.3f} -> {value:14,.3f}  ({value / old:5.2f}x)")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    names = args.scenarios or list(SCENARIOS)
    placement = Placement.choose(pin=not args.no_pin)
    settings = Settings(quick=args.quick, rounds=args.rounds, placement=placement)
    info = machine()
    say("# zenoti-async benchmarks" + (" (quick)" if args.quick else ""))
    say(
        f"{info['cpu']}, {info['cpus']} CPUs, {info['memory_gb'] or 0:.0f} GB, "
        f"{info['implementation']} {info['python']}, {info['system']}"
    )
    say(placement.describe())
    started = time.perf_counter()
    document: dict[str, Any] = {
        "machine": info,
        "placement": placement.describe(),
        "quick": args.quick,
        "scenarios": {},
    }
    for name in names:
        result = SCENARIOS[name](settings)
        document["scenarios"][name] = result
        say()
        say(result["table"])
        for note in result["notes"]:
            say(f"\n{note}")
        for target in result["targets"]:
            say(f"- {target['text']}")
    elapsed = time.perf_counter() - started
    document["elapsed_seconds"] = elapsed
    targets = [t for r in document["scenarios"].values() for t in r["targets"]]
    missed = [t for t in targets if not t["met"]]
    say(f"\n## Targets: {len(targets) - len(missed)} of {len(targets)} met")
    for target in missed:
        say(f"- MISSED {target['text']}")
    out = args.out or ROOT / "benchmarks" / "results" / time.strftime("run-%Y%m%d-%H%M%S.json")
    write_json(out, document)
    say(f"\nelapsed {elapsed:.0f} s; results written to {out}")
    if args.compare is not None:
        _compare(document, args.compare)
    return 0


if __name__ == "__main__":
    sys.exit(main())
