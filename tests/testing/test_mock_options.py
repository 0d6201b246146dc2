"""The options are declared once: MockZenoti, create_app and the command follow the table."""

from __future__ import annotations

import inspect

import attrs
import pytest

from zenoti_async.cli import build_parser, main
from zenoti_async.testing import MockZenoti, ServerOptions, create_app
from zenoti_async.testing._options import flags_of


def mock_server_help(capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit):
        main(["mock-server", "--help"])
    # argparse wraps lines; the checks below are about words, not layout.
    return " ".join(capsys.readouterr().out.split())


def test_mock_zenoti_takes_exactly_the_server_options() -> None:
    mock = MockZenoti(centers=4, seed=2, port=0, shutdown_timeout=0.1)
    assert mock.options == ServerOptions(centers=4, seed=2, port=0, shutdown_timeout=0.1)
    with pytest.raises(TypeError, match="centres"):
        MockZenoti(centres=4)  # type: ignore[call-arg]


def test_create_app_takes_the_mock_options_and_not_where_to_listen() -> None:
    create_app(centers=2, cache_bytes=0)
    with pytest.raises(TypeError, match="port"):
        create_app(port=1)  # type: ignore[call-arg]


def test_a_bad_option_value_is_an_error_naming_the_option() -> None:
    with pytest.raises(ValueError, match="^centers must be at least 1$"):
        MockZenoti(centers=0)
    with pytest.raises(ValueError, match="^page_details must be one of default, "):
        MockZenoti(page_details="snake")  # type: ignore[arg-type]


def test_setting_an_unknown_page_details_at_run_time_names_the_setting() -> None:
    mock = MockZenoti(centers=2)
    with pytest.raises(ValueError, match="^page_details must be one of"):
        mock.page_details = "snake"  # type: ignore[assignment]


def test_every_flag_of_the_table_is_a_flag_of_the_command() -> None:
    sub = build_parser()._subparsers._group_actions[0].choices["mock-server"]  # type: ignore[union-attr]
    command_flags = {opt for action in sub._actions for opt in action.option_strings}
    assert {f.flag.name for f in flags_of(ServerOptions)} <= command_flags


def test_help_shows_a_default_for_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    sub = build_parser()._subparsers._group_actions[0].choices["mock-server"]  # type: ignore[union-attr]
    for action in sub._actions:
        if action.option_strings and action.help != "show this help message and exit":
            assert "(default: " in (action.help or ""), action.option_strings
    text = mock_server_help(capsys)
    assert "--centers CENTERS number of centers (default: 300)" in text
    assert "--rate-limit PER_MINUTE organisation-wide calls per minute, 0 to disable" in text
    assert "(default: 60)" in text
    assert "--port PORT port to bind, 0 picks a free one (default: 8080)" in text


def test_the_command_defaults_differ_from_the_librarys_only_where_declared() -> None:
    args = vars(build_parser().parse_args(["mock-server"]))
    library = {f.name: f.default for f in attrs.fields(ServerOptions)}
    for command_flag in flags_of(ServerOptions):
        flag = command_flag.flag
        if flag.dest == command_flag.option and not flag.has_own_default:
            assert args[flag.dest] == library[command_flag.option], flag.name
    assert (args["port"], library["port"]) == (8080, 0)


def test_mock_zenoti_documents_every_option() -> None:
    doc = inspect.getdoc(MockZenoti) or ""
    for field in attrs.fields(ServerOptions):
        assert f"{field.name} (default " in doc, field.name
