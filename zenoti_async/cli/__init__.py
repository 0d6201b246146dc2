"""The ``zenoti-async`` command line.

Adding a subcommand: write ``_add_<name>_parser(subparsers)``, which registers the
subcommand's arguments and sets ``func`` to a ``(argparse.Namespace) -> int`` function, and
append it to ``_SUBCOMMANDS``. Import what the subcommand needs inside its functions: this
module imports only the standard library at import time, so ``--help`` stays fast and one
subcommand's dependencies can never break another.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TypeAlias

from zenoti_async.cli.commands import SUBCOMMANDS as CLIENT_SUBCOMMANDS
from zenoti_async.cli.mock_server import add_mock_server_parser

__all__ = ["build_parser", "main"]

# argparse does not export the type of add_subparsers()'s result.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("zenoti-async")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zenoti-async",
        description="Typed asyncio client for the Zenoti classes API, and its mock server.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add_parser in _SUBCOMMANDS:
        add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.func
    try:
        return run(args)
    except KeyboardInterrupt:
        # Where the event loop cannot install signal handlers (Windows), Ctrl-C lands here.
        return 130


_SUBCOMMANDS: list[Callable[[Subparsers], None]] = [*CLIENT_SUBCOMMANDS, add_mock_server_parser]


if __name__ == "__main__":
    raise SystemExit(main())
