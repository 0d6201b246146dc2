"""Record writers (atomic files) and the progress display. No network."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zenoti_async import PullStats, SessionStatus
from zenoti_async.cli.output import RecordWriter, format_for, iter_lines, record_dict
from zenoti_async.cli.progress import ProgressBar, progress_line, summary_table
from zenoti_async.models import Session


def test_jsonl_is_written_under_the_final_name_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with RecordWriter(str(target), "jsonl") as writer:
        writer.write({"id": 1})
        assert not target.exists()  # still under a temporary name
    assert list(iter_lines(str(target))) == [{"id": 1}]
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_failure_leaves_no_file_and_keeps_an_older_one_intact(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text('{"id": 0}\n')
    with pytest.raises(RuntimeError), RecordWriter(str(target), "jsonl") as writer:
        writer.write({"id": 1})
        raise RuntimeError("pull failed")
    assert target.read_text() == '{"id": 0}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_csv_cells_are_plain_text(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    session = Session(
        id=7,
        status=SessionStatus.CANCELLED,
        can_book=False,
        start_time_utc=datetime(2026, 11, 3, 7, 30, tzinfo=UTC),
        description=None,
    )
    with RecordWriter(str(target), "csv") as writer:
        writer.write(record_dict(session))
    header, row = target.read_text().splitlines()
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert cells["id"] == "7"
    assert cells["status"] == "1"
    assert cells["can_book"] == "false"
    assert cells["start_time_utc"] == "2026-11-03T07:30:00+00:00"
    assert cells["description"] == ""


@pytest.mark.parametrize(
    ("path", "explicit", "expected"),
    [
        ("a.jsonl", None, "jsonl"),
        ("a.CSV", None, "csv"),
        ("-", None, "jsonl"),
        ("a.txt", "csv", "csv"),
    ],
)
def test_format_follows_the_suffix_unless_given(
    path: str, explicit: str | None, expected: str
) -> None:
    assert format_for(path, explicit) == expected


def stats(done: int = 3, total: int = 10) -> PullStats:
    return PullStats(centers_total=total, centers_done=done, records=1234, throttled=2, retries=5)


def test_progress_line_shows_centers_records_429s_and_eta() -> None:
    line = progress_line(stats())
    assert "centers 3/10" in line and "records 1,234" in line
    assert "429s 2" in line and "retries 5" in line and "ETA" in line


def test_the_bar_draws_on_a_terminal_and_stays_silent_otherwise() -> None:
    tty, pipe = io.StringIO(), io.StringIO()
    ProgressBar(tty, enabled=True)(stats())
    ProgressBar(pipe, enabled=False)(stats())
    assert tty.getvalue().startswith("\r") and "centers 3/10" in tty.getvalue()
    assert pipe.getvalue() == ""


def test_summary_table_lists_the_figures() -> None:
    table = summary_table(stats(done=10), output="out.jsonl")
    assert "10 ok, 0 failed, 10 total" in table and "out.jsonl" in table
