"""``zenoti-async mock-server``: a real process, a real port, a real request, then Ctrl-C."""

from __future__ import annotations

import asyncio
import re
import shlex
import signal
import subprocess
import sys
import time
from typing import IO, Any

import aiohttp
import pytest

from zenoti_async.cli import build_parser, main
from zenoti_async.cli.mock_server import _server_options
from zenoti_async.testing import Dataset, FaultPlan, GatewayError, Latency, OneOf, RateLimitConfig


def read_until(stream: IO[str], pattern: str, deadline: float) -> list[str]:
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        lines.append(line)
        if re.search(pattern, line):
            return lines
    raise AssertionError(f"{pattern!r} not printed; got {lines!r}")


async def get_json(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], Any]:
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as resp:
        return resp.status, dict(resp.headers), await resp.json()


def test_mock_server_prints_a_working_curl_command_logs_requests_and_stops_on_ctrl_c() -> None:
    command = [
        sys.executable,
        "-m",
        "zenoti_async.cli",
        "mock-server",
        "--port",
        "0",
        "--centers",
        "5",
        "--seed",
        "3",
        "--api-key",
        "cli-test-key",
    ]
    # Our own interpreter and fixed arguments: nothing untrusted reaches the command line.
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        try:
            banner = read_until(proc.stdout, r"^\s+curl ", time.monotonic() + 20)
            text = "".join(banner)
            base_url = re.search(r"listening on (http://127\.0\.0\.1:\d+)", text)
            assert base_url is not None, text
            assert "cli-test-key" in text
            assert "60 calls per 60s" in text
            assert "--centers 5 --seed 3 --list-centers" in text
            curl = shlex.split(banner[-1])
            assert curl[:4] == ["curl", "-s", "-H", "Authorization: apikey cli-test-key"]
            url = curl[4]
            assert url.startswith(base_url.group(1) + "/v1/classes/sessions?center_id=")
            status, headers, body = asyncio.run(
                get_json(url, {"Authorization": "apikey cli-test-key"})
            )
            assert status == 200
            assert headers["Organization-RateLimit-Limit"] == "60;w=60;b=60"
            assert body["error"] is None
            assert len(body["sessions"]) <= 5
        finally:
            proc.send_signal(signal.SIGINT)
        assert proc.wait(20) == 0
        log = proc.stderr.read()
    assert re.search(r'127\.0\.0\.1 "GET /v1/classes/sessions\?center_id=[0-9a-f-]+&', log), log
    assert '" 200 ' in log
    assert "cli-test-key" not in log


def test_options_map_to_the_mock() -> None:
    args = build_parser().parse_args(
        [
            "mock-server",
            "--centers",
            "12",
            "--seed",
            "4",
            "--rate-limit",
            "30",
            "--burst",
            "5",
            "--page-details",
            "camel",
            "--error-status",
            "code_as_status",
            "--latency-ms",
            "5-50",
            "--fault-rate",
            "0.2",
            "--fault-kinds",
            "503,reset",
        ]
    )
    options = _server_options(args)
    assert options.centers == 12
    assert options.seed == 4
    assert options.rate_limit == RateLimitConfig(limit=30, burst=5)
    assert options.page_details == "camel"
    assert options.error_status == "code_as_status"
    latency = options.latency
    assert isinstance(latency, Latency)
    assert (latency.kind, latency.a, latency.b) == ("uniform", 0.005, 0.05)
    assert isinstance(options.faults, FaultPlan)
    [rule] = options.faults.rules
    assert rule.probability == 0.2
    assert isinstance(rule.fault, OneOf)
    assert isinstance(rule.fault.faults[0], GatewayError)
    assert options.host == "127.0.0.1"
    assert options.port == 8080
    assert options.max_recorded == 1000


def test_rate_limit_zero_disables_it_and_no_fault_rate_means_no_faults() -> None:
    options = _server_options(build_parser().parse_args(["mock-server", "--rate-limit", "0"]))
    assert options.rate_limit is None
    assert isinstance(options.faults, FaultPlan)
    assert options.faults.rules == []
    assert options.latency is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--fault-kinds", "meteor"], "unknown --fault-kinds meteor"),
        (["--fault-rate", "2"], "--fault-rate"),
        (["--latency-ms", "fast"], "invalid --latency-ms"),
        (["--centers", "0"], "--centers must be at least 1"),
        (["--uniform-sessions", "-1"], "--uniform-sessions must be within"),
        (["--port", "70000"], "--port must be within 0..65535"),
    ],
)
def test_invalid_options_exit_with_status_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mock-server", *argv]) == 2
    assert message in capsys.readouterr().err


def test_unknown_choice_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["mock-server", "--page-details", "snake"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["mock-server", "--help"])
    assert exited.value.code == 0
    assert "--fault-rate" in capsys.readouterr().out


def test_cli_module_imports_only_the_standard_library() -> None:
    code = (
        "import sys, zenoti_async\n"
        "before = set(sys.modules)\n"
        "import zenoti_async.cli\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(sorted(new - set(sys.stdlib_module_names) - {'zenoti_async'}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    )
    assert out.stdout.strip() == "[]"


def test_list_centers_prints_the_center_ids_one_per_line_and_exits(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["mock-server", "--centers", "4", "--seed", "9", "--list-centers"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == Dataset(centers=4, seed=9).center_ids


def test_list_centers_checks_the_options_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mock-server", "--centers", "0", "--list-centers"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--centers must be at least 1" in captured.err
