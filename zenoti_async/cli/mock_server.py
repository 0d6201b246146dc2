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
    from zenoti_async.testing import RecordedRequest, ServerOptions

_MOCK_LOGGER = "zenoti_async.mock_server"


def add_mock_server_parser(subparsers: Subparsers) -> None:
    from zenoti_async.testing._options import ServerOptions, flags_of  # noqa: PLC0415

    sub = subparsers.add_parser(
        "mock-server",
        help="serve the bundled mock Zenoti API until Ctrl-C",
        description=(
            "Serve a deterministic mock of the Zenoti classes API (sessions, packages, "
            "memberships) with Zenoti's auth, paging limits, rate limit and error bodies, "
            "and optional faults. Each request is logged to stderr."
        ),
    )
    # Every flag, its default and its help come from the mock's one table of options.
    for command_flag in flags_of(ServerOptions):
        flag = command_flag.flag
        extra: dict[str, Any] = {}
        if flag.type is not None:
            extra["type"] = flag.type
        if flag.choices is not None:
            extra["choices"] = flag.choices
        sub.add_argument(
            flag.name,
            default=command_flag.default,
            metavar=flag.metavar,
            help=f"{flag.help} (default: {command_flag.shown_default})",
            **extra,
        )
    sub.add_argument(
        "--list-centers",
        action="store_true",
        help="print the center ids of --centers/--seed, one per line, and exit (default: serve)",
    )
    sub.add_argument(
        "--quiet", action="store_true", help="do not log requests (default: log to stderr)"
    )
    sub.set_defaults(func=_cmd_mock_server)


def _server_options(args: argparse.Namespace) -> ServerOptions:
    """The mock's options from the parsed command line (``ValueError`` naming the flag)."""
    from zenoti_async.testing._options import (  # noqa: PLC0415
        OptionError,
        ServerOptions,
        flag_of,
        options_from_flags,
    )

    values = options_from_flags(ServerOptions, vars(args))
    try:
        return ServerOptions(**values)
    except OptionError as exc:
        raise ValueError(f"{flag_of(ServerOptions, exc.option)} {exc.problem}") from None


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
        options = _server_options(args)
    except ValueError as exc:
        print(f"zenoti-async mock-server: error: {exc}", file=sys.stderr)
        return 2
    if args.list_centers:
        from zenoti_async.testing import Dataset  # noqa: PLC0415

        for center_id in Dataset(centers=options.centers, seed=options.seed).center_ids:
            print(center_id)
        return 0
    if not args.quiet:
        import attrs  # noqa: PLC0415

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger = logging.getLogger(_MOCK_LOGGER)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        options = attrs.evolve(options, on_request=_log_request)
    return asyncio.run(_serve_mock(options))


async def _serve_mock(options: ServerOptions) -> int:
    import attrs  # noqa: PLC0415

    from zenoti_async.testing import WINDOW_END, WINDOW_START, MockZenoti  # noqa: PLC0415

    mock = MockZenoti(**attrs.asdict(options, recurse=False))
    try:
        await mock.start()
    except OSError as exc:
        print(
            f"zenoti-async mock-server: cannot listen on {mock.host}:{options.port}: {exc}",
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
            f"  Center ids: zenoti-async mock-server --centers {len(mock.center_ids)} "
            f"--seed {mock.dataset.seed} --list-centers\n"
            f"  Rate limit: {limit}\n"
            f"  Try:\n    {curl}\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        await stop.wait()
    finally:
        await mock.close()
    return 0
