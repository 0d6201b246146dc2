"""``zenoti-async mock-server``: serve the bundled mock Zenoti API until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import shlex
import signal
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zenoti_async.cli import Subparsers
    from zenoti_async.testing import Latency, RecordedRequest

_MOCK_LOGGER = "zenoti_async.mock_server"


def add_mock_server_parser(subparsers: Subparsers) -> None:
    from zenoti_async.testing import (  # noqa: PLC0415
        ERROR_STATUS_MODES,
        FAULT_PRESETS,
        PAGE_DETAILS_VARIANTS,
        TRANSIENT_PRESETS,
    )

    sub = subparsers.add_parser(
        "mock-server",
        help="serve the bundled mock Zenoti API until Ctrl-C",
        description=(
            "Serve a deterministic mock of the Zenoti classes API (sessions, packages, "
            "memberships) with Zenoti's auth, paging limits, rate limit and error bodies, "
            "and optional faults. Each request is logged to stderr."
        ),
    )
    sub.add_argument("--host", default="127.0.0.1", help="interface to bind (default %(default)s)")
    sub.add_argument(
        "--port", type=int, default=8080, help="0 picks a free port (default %(default)s)"
    )
    sub.add_argument(
        "--centers", type=int, default=300, help="number of centers (default %(default)s)"
    )
    sub.add_argument("--seed", type=int, default=7, help="dataset seed (default %(default)s)")
    sub.add_argument(
        "--uniform-sessions",
        type=int,
        metavar="N",
        help="give every center exactly N sessions (benchmark shapes; default: realistic spread)",
    )
    sub.add_argument("--api-key", help="the API key to accept (default: a random one, printed)")
    sub.add_argument("--bearer-token", help="also accept 'Authorization: bearer <token>'")
    sub.add_argument(
        "--rate-limit",
        type=int,
        default=60,
        metavar="PER_MINUTE",
        help="organisation-wide calls per minute, 0 to disable (default %(default)s)",
    )
    sub.add_argument("--burst", type=int, help="token bucket size (default: the rate limit)")
    sub.add_argument(
        "--page-details",
        choices=PAGE_DETAILS_VARIANTS,
        default="default",
        metavar="VARIANT",
        help=f"spelling of page_details: {', '.join(PAGE_DETAILS_VARIANTS)}",
    )
    sub.add_argument(
        "--error-status",
        choices=ERROR_STATUS_MODES,
        default="mapped",
        metavar="MODE",
        help=f"HTTP status of Zenoti error bodies: {', '.join(ERROR_STATUS_MODES)}",
    )
    sub.add_argument(
        "--latency-ms",
        metavar="MS",
        help="added latency: '20' (fixed), '5-50' (uniform) or 'exp:20' (exponential mean)",
    )
    sub.add_argument(
        "--fault-rate",
        type=float,
        default=0.0,
        metavar="FRACTION",
        help="fraction of requests that get a random fault (default 0)",
    )
    sub.add_argument(
        "--fault-kinds",
        default=",".join(TRANSIENT_PRESETS),
        metavar="NAMES",
        help=f"comma-separated faults for --fault-rate, among: {', '.join(FAULT_PRESETS)}",
    )
    sub.add_argument("--fault-seed", type=int, help="seed of the fault RNG (default: --seed)")
    sub.add_argument("--quiet", action="store_true", help="do not log requests")
    sub.set_defaults(func=_cmd_mock_server)


def _parse_latency(text: str | None, seed: int) -> Latency | None:
    from zenoti_async.testing import Latency  # noqa: PLC0415

    if not text:
        return None
    try:
        if text.startswith("exp:"):
            return Latency.exponential(float(text[4:]) / 1000, seed=seed)
        low, sep, high = text.partition("-")
        if sep:
            return Latency.uniform(float(low) / 1000, float(high) / 1000, seed=seed)
        return Latency.fixed(float(text) / 1000)
    except ValueError as exc:
        raise ValueError(f"invalid --latency-ms {text!r}: {exc}") from None


def _mock_options(args: argparse.Namespace) -> dict[str, Any]:
    """``MockZenoti`` keyword arguments from the parsed command line (ValueError if invalid)."""
    from zenoti_async.testing import (  # noqa: PLC0415
        FAULT_PRESETS,
        MAX_UNIFORM_SESSIONS,
        FaultPlan,
        RateLimitConfig,
    )

    if args.centers < 1:
        raise ValueError("--centers must be at least 1")
    if args.uniform_sessions is not None and not 0 <= args.uniform_sessions <= MAX_UNIFORM_SESSIONS:
        raise ValueError(f"--uniform-sessions must be within 0..{MAX_UNIFORM_SESSIONS}")
    if not 0.0 <= args.fault_rate <= 1.0:
        raise ValueError("--fault-rate must be within [0, 1]")
    fault_seed = args.seed if args.fault_seed is None else args.fault_seed
    kinds = [k.strip() for k in args.fault_kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in FAULT_PRESETS]
    if unknown:
        raise ValueError(f"unknown --fault-kinds {', '.join(unknown)}")
    rate_limit = None
    if args.rate_limit > 0:
        rate_limit = RateLimitConfig(limit=args.rate_limit, burst=args.burst)
    return {
        "centers": args.centers,
        "seed": args.seed,
        "uniform_sessions": args.uniform_sessions,
        "api_key": args.api_key,
        "bearer_token": args.bearer_token,
        "rate_limit": rate_limit,
        "page_details": args.page_details,
        "error_status": args.error_status,
        "latency": _parse_latency(args.latency_ms, fault_seed),
        "faults": FaultPlan.random(args.fault_rate, kinds, seed=fault_seed),
        "host": args.host,
        "port": args.port,
        # A long-running server must not grow without bound; the log has the history.
        "max_recorded": 1000,
    }


def _log_request(record: RecordedRequest) -> None:
    status = "---" if record.status is None else str(record.status)
    size = "-" if record.response_bytes is None else f"{record.response_bytes}B"
    millis = (record.duration or 0.0) * 1000
    notes = []
    if record.faults:
        notes.append(f"fault={','.join(record.faults)}")
    if record.throttled:
        notes.append("throttled")
    if record.auth != "ok":
        notes.append(f"auth={record.auth}")
    suffix = f" {' '.join(notes)}" if notes else ""
    logging.getLogger(_MOCK_LOGGER).info(
        '%s "%s %s" %s %s %.1fms%s',
        record.remote or "-",
        record.method,
        record.path_qs,
        status,
        size,
        millis,
        suffix,
    )


def _cmd_mock_server(args: argparse.Namespace) -> int:
    try:
        options = _mock_options(args)
    except ValueError as exc:
        print(f"zenoti-async mock-server: error: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger = logging.getLogger(_MOCK_LOGGER)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        options["on_request"] = _log_request
    return asyncio.run(_serve_mock(options))


async def _serve_mock(options: dict[str, Any]) -> int:
    from zenoti_async.testing import WINDOW_END, WINDOW_START, MockZenoti  # noqa: PLC0415

    mock = MockZenoti(**options)
    try:
        await mock.start()
    except OSError as exc:
        print(
            f"zenoti-async mock-server: cannot listen on {mock.host}:{options['port']}: {exc}",
            file=sys.stderr,
        )
        return 1
    try:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            # Windows event loops cannot; Ctrl-C then arrives as KeyboardInterrupt in main().
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, stop.set)
        center = mock.center_ids[0]
        url = (
            f"{mock.url('sessions')}?center_id={center}&start_date={WINDOW_START.isoformat()}"
            f"&end_date={(WINDOW_START.replace(day=7)).isoformat()}&size=5"
        )
        limiter = mock.rate_limiter
        limit = (
            f"{limiter.config.limit} calls per {limiter.config.window:g}s, "
            f"burst {limiter.config.capacity}"
            if limiter is not None
            else "off"
        )
        curl = shlex.join(["curl", "-s", "-H", f"Authorization: apikey {mock.api_key}", url])
        print(
            f"Mock Zenoti API listening on {mock.base_url}\n"
            f"  API key:    {mock.api_key}\n"
            f"  Centers:    {len(mock.center_ids)} (seed {mock.dataset.seed}), sessions "
            f"{WINDOW_START.isoformat()}..{WINDOW_END.isoformat()}\n"
            f"  Rate limit: {limit}\n"
            f"  Try:\n    {curl}\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        await stop.wait()
    finally:
        await mock.close()
    return 0
