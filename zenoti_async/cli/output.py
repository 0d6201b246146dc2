"""Writing pulled records to JSON Lines or CSV, atomically.

A file is written under a temporary name in the target's directory and renamed over the target
only once every record is in and flushed to disk, so a crash, a failed pull or Ctrl-C never
leaves a half-written file where a reader expects a complete one. ``-`` streams to stdout.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, Self

import attrs
import orjson

Format = Literal["jsonl", "csv"]


def record_dict(record: Any, **extra: Any) -> dict[str, Any]:
    """A record as a flat dict with clean (Python) names; ``extra`` keys go first."""
    out = dict(extra)
    out.update(attrs.asdict(record, recurse=True))
    return out


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode()
    return str(value)


def format_for(path: str, explicit: str | None = None) -> Format:
    if explicit in ("jsonl", "csv"):
        return explicit  # type: ignore[return-value]
    if explicit is not None:
        raise ValueError(f"--format must be jsonl or csv, got {explicit!r}")
    return "csv" if path.lower().endswith(".csv") else "jsonl"


class RecordWriter:
    """``with RecordWriter(path, fmt) as w: w.write(dict)``; the file appears only on success."""

    def __init__(self, path: str, fmt: Format) -> None:
        self.path = path
        self.fmt = fmt
        self.count = 0
        self._tmp: Path | None = None
        self._stream: IO[bytes] | None = None
        self._text: io.TextIOWrapper | None = None
        self._csv: Any = None
        self._columns: list[str] | None = None

    def __enter__(self) -> Self:
        if self.path == "-":
            self._stream = sys.stdout.buffer
        else:
            target = Path(self.path)
            directory = target.parent if str(target.parent) else Path(".")
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
            self._tmp = Path(tmp)
            self._stream = os.fdopen(fd, "wb")
        return self

    def write(self, row: dict[str, Any]) -> None:
        assert self._stream is not None
        if self.fmt == "jsonl":
            self._stream.write(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))
        else:
            if self._csv is None:
                self._text = io.TextIOWrapper(self._stream, encoding="utf-8", newline="")
                self._columns = list(row)
                self._csv = csv.writer(self._text)
                self._csv.writerow(self._columns)
            assert self._columns is not None
            self._csv.writerow([_csv_cell(row.get(c)) for c in self._columns])
        self.count += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.finish(success=exc_type is None)

    def finish(self, *, success: bool) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        if self._text is not None:
            self._text.flush()
            self._text.detach()
        if self._tmp is None:
            stream.flush()
            return
        try:
            stream.flush()
            if success:
                os.fsync(stream.fileno())
        finally:
            stream.close()
        if success:
            os.replace(self._tmp, self.path)
        else:
            with contextlib.suppress(FileNotFoundError):
                self._tmp.unlink()


def iter_lines(path: str) -> Iterator[dict[str, Any]]:
    """Read a JSON Lines file back (for tests and tools)."""
    with open(path, "rb") as handle:
        for line in handle:
            if line.strip():
                yield orjson.loads(line)
