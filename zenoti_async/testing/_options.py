"""The mock's options, declared once: name, type, default, help and command-line flags.

:class:`MockOptions` (what :func:`create_app` takes) and :class:`ServerOptions` (plus where
:class:`MockZenoti` listens) are the only declaration. ``MockZenoti(...)`` and
``create_app(...)`` take exactly their keyword arguments (:func:`same_keywords_as` gives
mypy their signature), and ``zenoti-async mock-server`` builds its flags, defaults and help
from the :class:`Flag` entries of each field, so a new option is one field here.

A field's flags may differ from the field where the shell wants another shape: the rate limit
is ``--rate-limit PER_MINUTE`` and ``--burst``, the faults are ``--fault-rate``,
``--fault-kinds`` and ``--fault-seed``, latency is ``--latency-ms 5-50``. Such a field
names a ``from_flags`` function that builds its value from the parsed flags.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Concatenate, Final, ParamSpec, TypeVar

import attrs

from zenoti_async.testing._dataset import MAX_UNIFORM_SESSIONS
from zenoti_async.testing._fault_plan import FaultPlan, FaultRule
from zenoti_async.testing._faults import FAULT_PRESETS, TRANSIENT_PRESETS, Fault, Latency
from zenoti_async.testing._ratelimit import RateLimitConfig
from zenoti_async.testing._recorder import RecordedRequest
from zenoti_async.testing._render import (
    ERROR_STATUS_MODES,
    PAGE_DETAILS_VARIANTS,
    ErrorStatusMode,
    PageDetailsVariant,
)

__all__ = [
    "CommandFlag",
    "Flag",
    "MockOptions",
    "OptionError",
    "ServerOptions",
    "describe",
    "flag_of",
    "flags_of",
    "init_with_keywords_of",
    "options_from_flags",
    "same_keywords_as",
]

P = ParamSpec("P")
R = TypeVar("R")
_METADATA_KEY: Final = "zenoti_mock"


class OptionError(ValueError):
    """An option value the mock refuses; ``option`` is the field's name."""

    def __init__(self, option: str, problem: str) -> None:
        super().__init__(f"{option} {problem}")
        self.option = option
        self.problem = problem


@attrs.frozen(kw_only=True)
class Flag:
    """One command-line flag of ``zenoti-async mock-server``.

    ``default`` (with ``has_own_default=True``) is the command's default when it differs
    from the library's (the command rate-limits by default and listens on 8080), or the
    default of a flag that feeds a composite option; ``shown_default`` replaces the printed
    default where the value itself says nothing (``None`` meaning "a random key").
    """

    name: str
    help: str
    type: Callable[[str], Any] | None = None
    default: Any = attrs.field(default=None)
    """The command's default, where it differs from the library's (see ``has_own_default``)."""
    has_own_default: bool = attrs.field(default=False)
    shown_default: str | None = None
    metavar: str | None = None
    choices: tuple[str, ...] | None = None

    @property
    def dest(self) -> str:
        return self.name.removeprefix("--").replace("-", "_")


@attrs.frozen
class _OptionInfo:
    help: str
    flags: tuple[Flag, ...]
    from_flags: Callable[[Mapping[str, Any]], Any] | None


def _about(
    help_text: str,
    *,
    flags: Iterable[Flag] = (),
    from_flags: Callable[[Mapping[str, Any]], Any] | None = None,
) -> dict[str, _OptionInfo]:
    """A field's help and flags, as attrs metadata."""
    return {_METADATA_KEY: _OptionInfo(help_text, tuple(flags), from_flags)}


def _at_least(low: int) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and value < low:
            raise OptionError(attribute.name, f"must be at least {low}")

    return check


def _within(low: int, high: int) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and not low <= value <= high:
            raise OptionError(attribute.name, f"must be within {low}..{high}")

    return check


def _one_of(choices: tuple[str, ...]) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in choices:
            raise OptionError(attribute.name, f"must be one of {', '.join(choices)}")

    return check


# ---------------------------------------------------------------------- composite flags


def _rate_limit_from_flags(values: Mapping[str, Any]) -> RateLimitConfig | None:
    # A --refill flag (interval or continuous refill) belongs in this field's flags and
    # as one more RateLimitConfig keyword here.
    per_minute: int = values["rate_limit"]
    if per_minute <= 0:
        return None
    return RateLimitConfig(limit=per_minute, burst=values["burst"])


def _faults_from_flags(values: Mapping[str, Any]) -> FaultPlan:
    rate: float = values["fault_rate"]
    if not 0.0 <= rate <= 1.0:
        raise ValueError("--fault-rate must be within [0, 1]")
    kinds = [k.strip() for k in values["fault_kinds"].split(",") if k.strip()]
    unknown = [k for k in kinds if k not in FAULT_PRESETS]
    if unknown:
        raise ValueError(f"unknown --fault-kinds {', '.join(unknown)}")
    return FaultPlan.random(rate, kinds, seed=_fault_seed(values))


def _fault_seed(values: Mapping[str, Any]) -> int:
    seed: int | None = values["fault_seed"]
    return values["seed"] if seed is None else seed


def _latency_from_flags(values: Mapping[str, Any]) -> Latency | None:
    text: str | None = values["latency_ms"]
    if not text:
        return None
    seed = _fault_seed(values)
    try:
        if text.startswith("exp:"):
            return Latency.exponential(float(text[4:]) / 1000, seed=seed)
        low, sep, high = text.partition("-")
        if sep:
            return Latency.uniform(float(low) / 1000, float(high) / 1000, seed=seed)
        return Latency.fixed(float(text) / 1000)
    except ValueError as exc:
        raise ValueError(f"invalid --latency-ms {text!r}: {exc}") from None


# ---------------------------------------------------------------------- the options


@attrs.frozen(kw_only=True)
class MockOptions:
    """Everything that shapes the mock application (see each field's help)."""

    centers: int = attrs.field(
        default=300,
        validator=_at_least(1),
        metadata=_about(
            "number of centers in the generated organisation",
            flags=[Flag(name="--centers", type=int, help="number of centers")],
        ),
    )
    seed: int = attrs.field(
        default=7,
        metadata=_about(
            "dataset seed (same seed and options: byte-identical responses)",
            flags=[Flag(name="--seed", type=int, help="dataset seed")],
        ),
    )
    uniform_sessions: int | None = attrs.field(
        default=None,
        validator=_within(0, MAX_UNIFORM_SESSIONS),
        metadata=_about(
            "give every center exactly this many sessions (benchmark shapes)",
            flags=[
                Flag(
                    name="--uniform-sessions",
                    type=int,
                    metavar="N",
                    help="give every center exactly N sessions (benchmark shapes)",
                    shown_default="a realistic spread",
                )
            ],
        ),
    )
    api_key: str | None = attrs.field(
        default=None,
        metadata=_about(
            "the key to accept (Authorization: apikey <key>); random by default",
            flags=[
                Flag(
                    name="--api-key",
                    metavar="KEY",
                    help="the API key to accept",
                    shown_default="a random one, printed",
                )
            ],
        ),
    )
    bearer_token: str | None = attrs.field(
        default=None,
        metadata=_about(
            "also accept Authorization: bearer <token>",
            flags=[
                Flag(
                    name="--bearer-token",
                    metavar="TOKEN",
                    help="also accept 'Authorization: bearer <token>'",
                    shown_default="none",
                )
            ],
        ),
    )
    rate_limit: RateLimitConfig | int | None = attrs.field(
        default=None,
        metadata=_about(
            "None (no limit, no headers), a RateLimitConfig, or calls per minute",
            flags=[
                Flag(
                    name="--rate-limit",
                    type=int,
                    has_own_default=True,
                    default=60,
                    metavar="PER_MINUTE",
                    help="organisation-wide calls per minute, 0 to disable",
                ),
                Flag(
                    name="--burst",
                    metavar="N",
                    type=int,
                    help="token bucket size",
                    shown_default="the rate limit",
                ),
            ],
            from_flags=_rate_limit_from_flags,
        ),
    )
    page_details: PageDetailsVariant = attrs.field(
        default="default",
        validator=_one_of(PAGE_DETAILS_VARIANTS),
        metadata=_about(
            "the spelling of page_details (see PAGE_DETAILS_VARIANTS)",
            flags=[
                Flag(
                    name="--page-details",
                    choices=PAGE_DETAILS_VARIANTS,
                    metavar="VARIANT",
                    help=f"spelling of page_details: {', '.join(PAGE_DETAILS_VARIANTS)}",
                )
            ],
        ),
    )
    error_status: ErrorStatusMode = attrs.field(
        default="mapped",
        validator=_one_of(ERROR_STATUS_MODES),
        metadata=_about(
            "which HTTP status carries Zenoti's error bodies (see ERROR_STATUS_MODES)",
            flags=[
                Flag(
                    name="--error-status",
                    choices=ERROR_STATUS_MODES,
                    metavar="MODE",
                    help=f"HTTP status of Zenoti error bodies: {', '.join(ERROR_STATUS_MODES)}",
                )
            ],
        ),
    )
    faults: FaultPlan | Iterable[Fault | FaultRule] | None = attrs.field(
        default=None,
        metadata=_about(
            "a FaultPlan or a list of faults/rules; change it later with mock.faults or inject()",
            flags=[
                Flag(
                    name="--fault-rate",
                    type=float,
                    has_own_default=True,
                    default=0.0,
                    metavar="FRACTION",
                    help="fraction of requests that get a random fault",
                ),
                Flag(
                    name="--fault-kinds",
                    has_own_default=True,
                    default=",".join(TRANSIENT_PRESETS),
                    metavar="NAMES",
                    help=(
                        "comma-separated faults for --fault-rate, among: "
                        + ", ".join(FAULT_PRESETS)
                    ),
                ),
                Flag(
                    name="--fault-seed",
                    metavar="SEED",
                    type=int,
                    help="seed of the fault and latency RNGs",
                    shown_default="--seed",
                ),
            ],
            from_flags=_faults_from_flags,
        ),
    )
    latency: Latency | float | None = attrs.field(
        default=None,
        metadata=_about(
            "seconds (or a Latency) added to every request",
            flags=[
                Flag(
                    name="--latency-ms",
                    metavar="MS",
                    help=(
                        "added latency: '20' (fixed), '5-50' (uniform) or "
                        "'exp:20' (exponential mean)"
                    ),
                    shown_default="none",
                )
            ],
            from_flags=_latency_from_flags,
        ),
    )
    max_recorded: int | None = attrs.field(
        default=100_000,
        validator=_at_least(0),
        metadata=_about(
            "how many requests mock.requests keeps (None: all)",
            flags=[
                Flag(
                    name="--max-recorded",
                    type=int,
                    has_own_default=True,
                    default=1000,
                    metavar="N",
                    help="how many recent requests the server keeps in memory",
                )
            ],
        ),
    )
    cache_bytes: int = attrs.field(
        default=64 * 1024 * 1024,
        validator=_at_least(0),
        metadata=_about("budget of the rendered-page cache in bytes (0 disables caching)"),
    )
    on_request: Callable[[RecordedRequest], None] | None = attrs.field(
        default=None, metadata=_about("called with each RecordedRequest once it is answered")
    )


@attrs.frozen(kw_only=True)
class ServerOptions(MockOptions):
    """:class:`MockOptions` plus where and how :class:`MockZenoti` listens."""

    host: str = attrs.field(
        default="127.0.0.1",
        metadata=_about("interface to bind", flags=[Flag(name="--host", help="interface to bind")]),
    )
    port: int = attrs.field(
        default=0,
        validator=_within(0, 65535),
        metadata=_about(
            "port to bind; 0 picks a free one",
            flags=[
                Flag(
                    name="--port",
                    type=int,
                    has_own_default=True,
                    default=8080,
                    help="port to bind, 0 picks a free one",
                )
            ],
        ),
    )
    shutdown_timeout: float = attrs.field(
        default=0.25, metadata=_about("how long close() waits for in-flight responses, in seconds")
    )


def _info(field: attrs.Attribute[Any]) -> _OptionInfo:
    info: _OptionInfo = field.metadata[_METADATA_KEY]
    return info


@attrs.frozen
class CommandFlag:
    """A flag as the command declares it: the option it feeds and the command's default."""

    option: str
    flag: Flag
    default: Any

    @property
    def shown_default(self) -> str:
        return self.flag.shown_default if self.flag.shown_default is not None else str(self.default)


def flags_of(options: type[MockOptions]) -> list[CommandFlag]:
    """Every flag of ``options``, in declaration order, with the command's default: the
    flag's own, else the option's when the flag is the option itself, else ``None`` (a part
    of a composite option, which its ``from_flags`` reads)."""
    out = []
    for field in attrs.fields(options):
        for flag in _info(field).flags:
            if flag.has_own_default:
                default = flag.default
            elif flag.dest == field.name:
                default = field.default
            else:
                default = None
            out.append(CommandFlag(field.name, flag, default))
    return out


def flag_of(options: type[MockOptions], option: str) -> str:
    """The first flag that feeds ``option`` (its name if none does), for error messages."""
    return next((f.flag.name for f in flags_of(options) if f.option == option), option)


def options_from_flags(options: type[MockOptions], values: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments of ``options`` from parsed flag values (by ``Flag.dest``).

    Raises ``ValueError`` naming the flag for values a flag's own parser refuses; values
    the options refuse raise :class:`OptionError` when the options are built.
    """
    kwargs: dict[str, Any] = {}
    for field in attrs.fields(options):
        info = _info(field)
        if not info.flags:
            continue
        if info.from_flags is not None:
            kwargs[field.name] = info.from_flags(values)
        else:
            [flag] = info.flags
            kwargs[field.name] = values[flag.dest]
    return kwargs


def describe(options: type[MockOptions]) -> str:
    """One line per option (name, default, help), for docstrings."""
    lines = []
    for field in attrs.fields(options):
        default = "required" if field.default is attrs.NOTHING else repr(field.default)
        lines.append(f"    {field.name} (default {default}): {_info(field).help}")
    return "\n".join(lines)


def same_keywords_as(source: Callable[P, Any]) -> Callable[[Callable[..., R]], Callable[P, R]]:
    """Give the decorated function ``source``'s keyword arguments, for type checkers.

    At run time it changes nothing: the function forwards ``**options`` to ``source``, which
    checks them (an unknown or misspelt option is a ``TypeError`` naming it).
    """

    def decorate(function: Callable[..., R]) -> Callable[P, R]:
        return function

    return decorate


def init_with_keywords_of(
    source: Callable[P, Any],
) -> Callable[[Callable[..., None]], Callable[Concatenate[Any, P], None]]:
    """:func:`same_keywords_as` for an ``__init__`` (whose first argument is ``self``)."""

    def decorate(init: Callable[..., None]) -> Callable[Concatenate[Any, P], None]:
        return init

    return decorate
