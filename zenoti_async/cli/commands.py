"""The client subcommands of ``zenoti-async``: ``sessions``, ``packages``, ``memberships``,
``pull`` and ``demo`` (``mock-server`` lives with the mock, in ``cli``).

Data goes to ``--out`` (a file, written atomically, or ``-`` for stdout); everything meant
for a person (progress bar, summary, errors) goes to stderr, so ``--out -`` can be piped.
Exit status: 0 success, 1 some centers failed, 2 bad usage, 3 the request failed, 130
interrupted. The API key is read from ``--api-key`` or ``$ZENOTI_API_KEY`` and never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from zenoti_async._client import ZenotiClient
    from zenoti_async._pull import PullStats
    from zenoti_async.testing import MockZenoti

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(Exception):
    """A bad argument found after parsing (exit status 2)."""


# -- argument types ----------------------------------------------------------------------


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _filter(text: str) -> tuple[str, str]:
    prop, sep, value = text.partition("=")
    if not sep or not prop:
        raise argparse.ArgumentTypeError(f"expected PROPERTY=VALUE, got {text!r}")
    return prop, value


def _id_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _add_connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--api-key",
        help="Zenoti API key (default: $ZENOTI_API_KEY; prefer the variable, since command "
        "lines are visible to other users of the machine)",
    )
    group.add_argument("--base-url", help="API base URL (default: $ZENOTI_BASE_URL or Zenoti's)")
    group.add_argument(
        "--allow-http", action="store_true", help="allow http:// to a loopback host (mock server)"
    )
    group.add_argument("--timeout", type=float, default=30.0, help="seconds per attempt")
    group.add_argument("--attempts", type=int, default=5, help="tries per request (1: no retry)")
    group.add_argument(
        "--rate",
        type=float,
        default=60.0,
        help="organisation rate limit in calls per minute (0: no client-side limit)",
    )
    group.add_argument("--burst", type=int, default=None, help="bucket size (default: --rate)")
    group.add_argument("-v", "--verbose", action="count", default=0, help="log requests (-vv)")


def _add_output_options(parser: argparse.ArgumentParser, default: str = "-") -> None:
    group = parser.add_argument_group("output")
    group.add_argument(
        "--out",
        default=default,
        help=f"file to write (.jsonl or .csv; '-' is stdout; default {default})",
    )
    group.add_argument("--format", choices=["jsonl", "csv"], help="default: from --out's suffix")
    group.add_argument("--page-size", type=int, default=100, help="records per request (1-100)")


def _add_session_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("session filters")
    group.add_argument("--start-date", type=_date)
    group.add_argument("--end-date", type=_date)
    group.add_argument("--class-id", type=int)
    group.add_argument("--class-name")
    group.add_argument("--show-in-catalog", choices=["true", "false"])
    group.add_argument(
        "--status", help="active, cancelled, upcoming, in_progress, completed or 0-4"
    )
    group.add_argument("--registration-id", type=int)
    group.add_argument("--session-id", type=int)
    group.add_argument("--recurrence-id", type=int)
    group.add_argument("--session-name")
    group.add_argument("--guest-id")
    group.add_argument(
        "--filter", dest="filters", type=_filter, action="append", metavar="PROPERTY=VALUE",
        help="filters[i].property/value (repeat, at most 5)",
    )  # fmt: skip


def _session_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    from zenoti_async.models import SessionStatus  # noqa: PLC0415

    status: SessionStatus | int | None = None
    if args.status is not None:
        text = args.status.strip()
        if text.isdigit():
            status = int(text)
        else:
            try:
                status = SessionStatus[text.upper().replace("-", "_")]
            except KeyError:
                raise UsageError(f"--status: unknown status {args.status!r}") from None
    return {
        "start_date": args.start_date,
        "end_date": args.end_date,
        "class_id": args.class_id,
        "class_name": args.class_name,
        "show_in_catalog": None if args.show_in_catalog is None else args.show_in_catalog == "true",
        "status": status,
        "registration_id": args.registration_id,
        "session_id": args.session_id,
        "recurrence_id": args.recurrence_id,
        "session_name": args.session_name,
        "guest_id": args.guest_id,
        "filters": args.filters,
        "page_size": args.page_size,
    }


def _client_from_args(args: argparse.Namespace) -> ZenotiClient:
    from zenoti_async import RetryPolicy, TokenBucket, ZenotiClient  # noqa: PLC0415

    api_key = args.api_key or os.environ.get("ZENOTI_API_KEY")
    if not api_key:
        raise UsageError("no API key: pass --api-key or set ZENOTI_API_KEY")
    if args.attempts < 1:
        raise UsageError("--attempts must be >= 1")
    if args.rate < 0:
        raise UsageError("--rate must be >= 0")
    limiter = TokenBucket(args.rate, 60.0, burst=args.burst) if args.rate > 0 else None
    return ZenotiClient(
        api_key=api_key,
        base_url=args.base_url,
        allow_http=args.allow_http,
        timeout=args.timeout,
        retry=RetryPolicy(attempts=args.attempts),
        rate_limit=limiter,
    )


def _configure_logging(verbosity: int) -> None:
    if verbosity <= 0:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("zenoti_async")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO)


def _run(main: Callable[[], Any]) -> int:
    """Run a coroutine function, mapping failures to exit statuses and one-line messages."""
    from zenoti_async._errors import ZenotiError  # noqa: PLC0415

    try:
        return int(asyncio.run(main()))
    except UsageError as exc:
        print(f"zenoti-async: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ValueError, TypeError) as exc:
        # The SDK validates every argument before sending anything and names the parameter.
        print(f"zenoti-async: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ZenotiError as exc:
        print(f"zenoti-async: request failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("zenoti-async: interrupted; no output file was written", file=sys.stderr)
        return EXIT_INTERRUPTED


# -- one endpoint --------------------------------------------------------------------------


def add_sessions_parser(subparsers: Subparsers) -> None:
    sub = subparsers.add_parser("sessions", help="list the class sessions of one center")
    sub.add_argument("--center-id", required=True)
    _add_session_filters(sub)
    _add_output_options(sub)
    _add_connection_options(sub)
    sub.set_defaults(func=_cmd_sessions)


def add_packages_parser(subparsers: Subparsers) -> None:
    sub = subparsers.add_parser("packages", help="list packages with a benefit for classes/centers")
    sub.add_argument("--search-type", choices=["class", "center"], required=True)
    sub.add_argument("--item-ids", type=_id_list, required=True, help="comma-separated ids")
    _add_output_options(sub)
    _add_connection_options(sub)
    sub.set_defaults(func=_cmd_packages)


def add_memberships_parser(subparsers: Subparsers) -> None:
    sub = subparsers.add_parser("memberships", help="list memberships with a benefit for classes")
    sub.add_argument("--search-type", choices=["class", "category", "center"], required=True)
    sub.add_argument("--item-ids", type=_id_list, required=True, help="comma-separated ids")
    _add_output_options(sub)
    _add_connection_options(sub)
    sub.set_defaults(func=_cmd_memberships)


def _item_ids(values: list[str]) -> list[int | str]:
    return [int(v) if v.isdigit() else v for v in values]


def _cmd_sessions(args: argparse.Namespace) -> int:
    async def main() -> int:
        kwargs = _session_kwargs(args)
        async with _client_from_args(args) as client:
            return await _write_all(
                client.classes.sessions(center_id=args.center_id, **kwargs), args
            )

    _configure_logging(args.verbose)
    return _run(main)


def _cmd_packages(args: argparse.Namespace) -> int:
    return _cmd_benefit_search(args, "packages")


def _cmd_memberships(args: argparse.Namespace) -> int:
    return _cmd_benefit_search(args, "memberships")


def _cmd_benefit_search(args: argparse.Namespace, endpoint: str) -> int:
    """``packages`` and ``memberships``: the same search, each with its own search types."""
    from zenoti_async.models import MembershipSearchType, PackageSearchType  # noqa: PLC0415

    kind = PackageSearchType if endpoint == "packages" else MembershipSearchType

    async def main() -> int:
        async with _client_from_args(args) as client:
            search = getattr(client.classes, endpoint)
            records = search(
                search_type=kind[args.search_type.upper()],
                item_ids=_item_ids(args.item_ids),
                page_size=args.page_size,
            )
            return await _write_all(records, args)

    _configure_logging(args.verbose)
    return _run(main)


async def _write_all(records: Any, args: argparse.Namespace) -> int:
    from zenoti_async.cli.output import RecordWriter, format_for, record_dict  # noqa: PLC0415

    fmt = format_for(args.out, args.format)
    with RecordWriter(args.out, fmt) as writer:
        async for record in records:
            writer.write(record_dict(record))
    if args.out != "-":
        print(f"wrote {writer.count} records to {args.out}", file=sys.stderr)
    return EXIT_OK


# -- bulk pull -----------------------------------------------------------------------------


def add_pull_parser(subparsers: Subparsers) -> None:
    sub = subparsers.add_parser(
        "pull", help="pull the sessions of many centers concurrently, under the rate limit"
    )
    sub.add_argument(
        "--centers",
        required=True,
        help="a file with one center id per line, or comma-separated ids",
    )
    sub.add_argument("--max-concurrency", type=int, default=8)
    sub.add_argument("--no-progress", action="store_true", help="never draw the progress bar")
    _add_session_filters(sub)
    _add_output_options(sub, default="sessions.jsonl")
    _add_connection_options(sub)
    sub.set_defaults(func=_cmd_pull)


def read_centers(spec: str) -> list[str]:
    """``--centers``: comma-separated ids, one id, or a file with one id per line (``#``
    starts a comment)."""
    if "," in spec:
        return _id_list(spec)
    path = Path(spec)
    try:
        is_file = path.is_file()
    except OSError:  # a name too long to be a path
        is_file = False
    if is_file:
        lines = path.read_text(encoding="utf-8").splitlines()
        ids = [line.split("#", 1)[0].strip() for line in lines]
        return [i for i in ids if i]
    if len(spec.replace("-", "")) == 32:
        return [spec.strip()]
    raise UsageError(f"--centers: {spec!r} is neither a file nor a list of center ids")


def _cmd_pull(args: argparse.Namespace) -> int:
    async def main() -> int:
        centers = read_centers(args.centers)
        if not centers:
            raise UsageError("--centers: no center ids given")
        async with _client_from_args(args) as client:
            stats, failures = await run_pull(
                client,
                centers,
                out=args.out,
                fmt=args.format,
                max_concurrency=args.max_concurrency,
                progress=not args.no_progress,
                session_kwargs=_session_kwargs(args),
            )
        return report(stats, failures, out=args.out)

    _configure_logging(args.verbose)
    return _run(main)


async def run_pull(
    client: ZenotiClient,
    centers: Sequence[str],
    *,
    out: str,
    fmt: str | None,
    max_concurrency: int,
    progress: bool,
    session_kwargs: dict[str, Any],
) -> tuple[PullStats, dict[str, Exception]]:
    """The fan-out into a writer: the file appears only if every record got in."""
    from zenoti_async.cli.output import RecordWriter, format_for, record_dict  # noqa: PLC0415
    from zenoti_async.cli.progress import ProgressBar  # noqa: PLC0415

    bar = ProgressBar(sys.stderr, enabled=progress and sys.stderr.isatty())
    handler = bar.log_handler()
    sdk_logger = logging.getLogger("zenoti_async")
    if handler is not None:
        sdk_logger.addHandler(handler)
    writer = RecordWriter(out, format_for(out, fmt))
    pull = client.classes.sessions_for_centers(
        centers,
        max_concurrency=max_concurrency,
        raise_on_failure=False,
        on_progress=bar,
        **session_kwargs,
    )
    try:
        with writer:
            async with pull:
                async for _center_id, session in pull:
                    writer.write(record_dict(session))
                bar(pull.stats)
            # A partial pull is not a complete file: keep nothing under the target name.
            writer.finish(success=not pull.failures)
    finally:
        bar.close()
        if handler is not None:
            sdk_logger.removeHandler(handler)
    return pull.stats, pull.failures


def report(stats: PullStats, failures: dict[str, Exception], *, out: str) -> int:
    from zenoti_async.cli.progress import summary_table  # noqa: PLC0415

    written = out if not failures and out != "-" else None
    print(summary_table(stats, output=written), file=sys.stderr)
    if failures:
        print(f"\n{len(failures)} centers failed (no output file was written):", file=sys.stderr)
        for center_id, error in sorted(failures.items()):
            print(f"  {center_id}: {error}", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


# -- demo ---------------------------------------------------------------------------------


def add_demo_parser(subparsers: Subparsers) -> None:
    sub = subparsers.add_parser(
        "demo",
        help="run a bulk pull against the bundled mock server (with injected faults)",
    )
    sub.add_argument("--centers", type=int, default=300, help="centers in the mock organisation")
    sub.add_argument("--seed", type=int, default=7)
    sub.add_argument(
        "--rate", type=float, default=1800.0, help="the mock's rate limit, calls per minute"
    )
    sub.add_argument("--fault-rate", type=float, default=0.03, help="share of faulty answers")
    sub.add_argument("--max-concurrency", type=int, default=16)
    sub.add_argument(
        "--out",
        default=os.path.join(tempfile.gettempdir(), "zenoti-demo-sessions.jsonl"),
        help="where the pulled sessions go",
    )
    sub.add_argument("--no-progress", action="store_true")
    sub.set_defaults(func=_cmd_demo)


def _cmd_demo(args: argparse.Namespace) -> int:
    async def main() -> int:
        from zenoti_async import RetryPolicy, TokenBucket, ZenotiClient  # noqa: PLC0415
        from zenoti_async.testing import FaultPlan, MockZenoti, RateLimitConfig  # noqa: PLC0415

        if args.centers < 1 or args.rate <= 0 or not 0 <= args.fault_rate <= 1:
            raise UsageError("--centers and --rate must be positive, --fault-rate within [0, 1]")
        start, end = date(2026, 11, 1), date(2026, 11, 30)
        burst = max(1, int(args.rate / 60))  # one second's worth
        faults = FaultPlan.random(
            args.fault_rate, ["429", "500", "502", "503", "504", "reset"], seed=args.seed
        )
        mock = MockZenoti(
            centers=args.centers,
            seed=args.seed,
            rate_limit=RateLimitConfig(limit=int(args.rate), window=60.0, burst=burst),
            faults=faults,
        )
        async with mock:
            print(
                f"Demo: pulling the November 2026 class sessions of {args.centers} centers from "
                f"the bundled mock Zenoti at {mock.base_url}\n"
                f"      organisation rate limit {args.rate:g} calls/min (burst {burst}), "
                f"{args.fault_rate:.0%} of answers faulty (429, 5xx, resets)\n",
                file=sys.stderr,
            )
            client = ZenotiClient(
                api_key=mock.api_key,
                base_url=mock.base_url,
                allow_http=True,
                rate_limit=TokenBucket(args.rate, 60.0, burst=burst),
                retry=RetryPolicy(attempts=6, wait_initial=0.1, wait_max=2.0),
            )
            async with client:
                stats, failures = await run_pull(
                    client,
                    mock.center_ids,
                    out=args.out,
                    fmt=None,
                    max_concurrency=args.max_concurrency,
                    progress=not args.no_progress,
                    session_kwargs={"start_date": start, "end_date": end},
                )
            status = report(stats, failures, out=args.out)
            if status == EXIT_OK and args.out != "-":
                _verify_demo(mock, args.out, start, end)
            return status

    return _run(main)


def _verify_demo(mock: MockZenoti, out: str, start: date, end: date) -> None:
    """Check the file against the mock's own dataset: nothing lost, nothing duplicated."""
    from zenoti_async.cli.output import iter_lines  # noqa: PLC0415

    expected = {
        (c, s["id"])
        for c in mock.center_ids
        for s in mock.dataset.sessions_for(c, start_date=start, end_date=end)
    }
    rows = [(r["center_id"], r["id"]) for r in iter_lines(out)]
    faulty = sum(1 for r in mock.requests if r.faults or r.throttled)
    verdict = "OK" if len(rows) == len(set(rows)) and set(rows) == expected else "MISMATCH"
    print(
        f"\nverified against the mock's dataset: {len(rows):,} records written, "
        f"{len(expected):,} expected, {len(rows) - len(set(rows))} duplicates -> {verdict} "
        f"(the server injected {faulty} faulty answers)",
        file=sys.stderr,
    )
    if verdict != "OK":
        raise SystemExit(EXIT_FAILED)


SUBCOMMANDS = (
    add_sessions_parser,
    add_packages_parser,
    add_memberships_parser,
    add_pull_parser,
    add_demo_parser,
)
