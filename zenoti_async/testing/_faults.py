"""Faults the mock can inject: what goes wrong, as plain data.

A :class:`Fault` says *what* goes wrong; which requests it hits is the business of the rules
and the plan in ``_fault_plan.py``, and the wire behaviour of each terminal fault lives in
``_fault_responses.py`` (one small handler per fault).

Faults come in three groups:

* modifiers, which change how the normal answer is produced and may combine:
  :class:`Delay`, :class:`IgnorePage`, :class:`Drift`, :class:`PageDetailsAs`;
* terminal faults, which replace the normal answer (the first one that fires wins):
  everything else;
* :class:`OneOf`, which picks one of several faults with the plan's RNG.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from zenoti_async.testing._render import CONTRADICTORY_PAGE_DETAILS, PAGE_DETAILS_VARIANTS

if TYPE_CHECKING:
    from zenoti_async.testing._fault_plan import Decision

__all__ = [
    "FAULT_PRESETS",
    "TRANSIENT_PRESETS",
    "Delay",
    "DisguisedError",
    "Drift",
    "EchoingUnauthorized",
    "EmptyBody",
    "ErrorBody",
    "ErrorResponse",
    "Fault",
    "GatewayError",
    "GzipBomb",
    "HugeBody",
    "IgnorePage",
    "InvalidJSON",
    "Latency",
    "NonObjectJSON",
    "OneOf",
    "PageDetailsAs",
    "RateLimited",
    "Redirect",
    "ResetBeforeResponse",
    "ResetMidBody",
    "SlowBody",
    "TruncatedJSON",
]

BodyKind = Literal["json", "html", "empty", "text"]


class Latency:
    """Added response time: fixed, or drawn from a distribution with its own seeded RNG.

    Build with :meth:`fixed`, :meth:`uniform` or :meth:`exponential`. Draws are reproducible
    for a given seed and request order; :meth:`reset` starts the sequence again.
    """

    def __init__(
        self,
        kind: Literal["fixed", "uniform", "exponential"],
        a: float,
        b: float = 0.0,
        *,
        seed: int = 0,
    ) -> None:
        if a < 0 or b < 0:
            raise ValueError("latency must not be negative")
        self.kind = kind
        self.a = a
        self.b = b
        self.seed = seed
        self._rng = random.Random(f"latency/{seed}")  # noqa: S311  (reproducible, not secret)

    @classmethod
    def fixed(cls, seconds: float) -> Latency:
        return cls("fixed", seconds)

    @classmethod
    def uniform(cls, low: float, high: float, *, seed: int = 0) -> Latency:
        if high < low:
            raise ValueError("high must be >= low")
        return cls("uniform", low, high, seed=seed)

    @classmethod
    def exponential(cls, mean: float, *, cap: float = 0.0, seed: int = 0) -> Latency:
        """Mean ``mean`` seconds with a long tail, cut at ``cap`` when ``cap`` > 0."""
        return cls("exponential", mean, cap, seed=seed)

    def sample(self) -> float:
        if self.kind == "fixed":
            return self.a
        if self.kind == "uniform":
            return self._rng.uniform(self.a, self.b)
        value = self._rng.expovariate(1.0 / self.a) if self.a > 0 else 0.0
        return min(value, self.b) if self.b > 0 else value

    def reset(self) -> None:
        self._rng = random.Random(f"latency/{self.seed}")  # noqa: S311

    def __repr__(self) -> str:
        return f"Latency({self.kind!r}, {self.a!r}, {self.b!r}, seed={self.seed!r})"


@dataclass(frozen=True)
class Fault:
    """Base class of every fault."""

    @property
    def name(self) -> str:
        return type(self).__name__

    @property
    def terminal(self) -> bool:
        return True

    def modify(self, decision: Decision) -> None:
        """How a modifier changes the normal answer (terminal faults replace it instead)."""
        decision.terminal = self


# ---------------------------------------------------------------------- modifiers


@dataclass(frozen=True)
class Delay(Fault):
    """Answer normally, ``seconds`` later (a number or a :class:`Latency` to draw from)."""

    seconds: float | Latency = 0.1

    @property
    def terminal(self) -> bool:
        return False

    def sample(self) -> float:
        return self.seconds.sample() if isinstance(self.seconds, Latency) else self.seconds

    def modify(self, decision: Decision) -> None:
        decision.delay += self.sample()


@dataclass(frozen=True)
class IgnorePage(Fault):
    """A server that stops paging: any page after ``after`` is served as page ``after``.

    The default, ``after=1``, serves page 1 whatever ``page``/``page_number`` says;
    ``IgnorePage(after=3)`` serves pages 1-3 correctly, then page 3 again and again.
    """

    after: int = 1

    def __post_init__(self) -> None:
        if self.after < 1:
            raise ValueError("IgnorePage(after=...) must be at least 1")

    @property
    def terminal(self) -> bool:
        return False

    def modify(self, decision: Decision) -> None:
        decision.replay_after = (
            self.after if decision.replay_after is None else min(decision.replay_after, self.after)
        )


@dataclass(frozen=True)
class Drift(Fault):
    """After this page is served, delete or insert ``count`` records before the next offset.

    The record(s) affected sit at the start of the page just served, so the *next* page
    shifts: a delete makes a client that pages by offset skip a record, an insert makes it
    see the last record of this page again. The dataset really changes (and
    ``mock.dataset.sessions_for`` shows it) until ``mock.reset()``.
    """

    action: Literal["delete", "insert"] = "delete"
    count: int = 1

    @property
    def terminal(self) -> bool:
        return False

    def modify(self, decision: Decision) -> None:
        decision.drift.append(self)


@dataclass(frozen=True)
class PageDetailsAs(Fault):
    """Answer normally, but write ``page_details`` as ``variant``: one of
    ``PAGE_DETAILS_VARIANTS`` or ``"short_total"``, the default, which contradicts the page
    it comes with (``total_records`` counts only the records served before this page, so a
    client that trusts it stops early and loses the page in hand)."""

    variant: str = "short_total"

    def __post_init__(self) -> None:
        allowed = PAGE_DETAILS_VARIANTS + CONTRADICTORY_PAGE_DETAILS
        if self.variant not in allowed:
            raise ValueError(f"variant must be one of {allowed}, not {self.variant!r}")

    @property
    def terminal(self) -> bool:
        return False

    def modify(self, decision: Decision) -> None:
        decision.page_details = self.variant


# ---------------------------------------------------------------------- terminal faults


@dataclass(frozen=True)
class RateLimited(Fault):
    """HTTP 429 regardless of the bucket. ``retry_after``: seconds, or ``None`` for no header;
    ``http_date=True`` sends it as an HTTP-date instead of seconds."""

    retry_after: float | None = 1.0
    http_date: bool = False


@dataclass(frozen=True)
class ErrorResponse(Fault):
    """Any HTTP error status (500, 408, 425...) with a JSON, HTML, text or empty body."""

    status: int = 500
    body: BodyKind = "json"
    retry_after: float | None = None


@dataclass(frozen=True)
class GatewayError(ErrorResponse):
    """What a proxy in front of Zenoti answers: 502/503/504, an HTML page by default."""

    status: int = 502
    body: BodyKind = "html"


@dataclass(frozen=True)
class ResetBeforeResponse(Fault):
    """Close the connection without writing anything (``rst=True``: a TCP reset, not a FIN)."""

    rst: bool = False


@dataclass(frozen=True)
class ResetMidBody(Fault):
    """Send the headers (honest Content-Length) and ``fraction`` of the body, then drop."""

    fraction: float = 0.5
    rst: bool = False


@dataclass(frozen=True)
class TruncatedJSON(Fault):
    """Only ``fraction`` of the JSON body. ``honest_length``: Content-Length says the truncated
    size (a clean HTTP answer whose JSON does not parse); otherwise it claims the full size
    and the connection closes early."""

    fraction: float = 0.5
    honest_length: bool = True


@dataclass(frozen=True)
class InvalidJSON(Fault):
    """A 200 ``application/json`` body that is not JSON (default: the real body, corrupted)."""

    body: bytes | None = None


@dataclass(frozen=True)
class NonObjectJSON(Fault):
    """Valid JSON that is not an object: ``b"[]"``, ``b"null"``, ``b'"OK"'``, ``b"42"``..."""

    body: bytes = b"[]"


@dataclass(frozen=True)
class EmptyBody(Fault):
    """An empty body (Content-Length: 0) with ``status`` and a JSON content type."""

    status: int = 200


@dataclass(frozen=True)
class SlowBody(Fault):
    """The real body, trickled ``chunk_size`` bytes at a time, ``delay`` seconds apart."""

    chunk_size: int = 256
    delay: float = 0.01


@dataclass(frozen=True)
class ErrorBody(Fault):
    """Zenoti's ``error`` object in the normal envelope. ``status=None`` uses the mock's
    ``error_status`` mode; the default, 200, is the "error inside a 200" case. ``code`` may be
    text, as some Zenoti deployments print it: ``ErrorBody("502 - InvalidInput", status=502)``.
    """

    code: int | str = 506
    message: str | None = None
    status: int | None = 200


@dataclass(frozen=True)
class DisguisedError(Fault):
    """An error disguised as success: HTTP ``status`` (200) with ASP.NET's unhandled-exception
    body ``{"Message": "An error has occurred.", "ExceptionMessage": ..., "ExceptionType":
    ..., "StackTrace": ...}`` instead of the endpoint's envelope."""

    exception_message: str = "Object reference not set to an instance of an object."
    exception_type: str = "System.NullReferenceException"
    status: int = 200


@dataclass(frozen=True)
class EchoingUnauthorized(Fault):
    """A 401 that echoes the request's ``Authorization`` header back, in the body and in an
    ``X-Echoed-Authorization`` header: a key the server stopped accepting mid-run, answered
    by a careless gateway. A client must not let the echoed key reach a log or an error."""


@dataclass(frozen=True)
class Redirect(Fault):
    """A 3xx to another host (default: ``https://redirect.zenoti-mock.invalid`` + path)."""

    location: str | None = None
    status: int = 302


@dataclass(frozen=True)
class GzipBomb(Fault):
    """``Content-Encoding: gzip`` whose body inflates to ``inflated_size`` bytes of valid JSON."""

    inflated_size: int = 64 * 1024 * 1024


@dataclass(frozen=True)
class HugeBody(Fault):
    """The real response padded to about ``size`` bytes (valid JSON, an extra key).
    ``chunked=True`` sends no Content-Length, so a client cannot refuse it up front."""

    size: int = 32 * 1024 * 1024
    chunked: bool = True


@dataclass(frozen=True)
class OneOf(Fault):
    """One of ``faults`` per request, chosen with the plan's RNG (``weights`` optional)."""

    faults: tuple[Fault, ...] = ()
    weights: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if not self.faults:
            raise ValueError("OneOf needs at least one fault")
        if self.weights is not None and len(self.weights) != len(self.faults):
            raise ValueError("one weight per fault")


# Named presets, for the CLI's --fault-kinds and for FaultPlan.random().
FAULT_PRESETS: Final[Mapping[str, Fault]] = {
    "429": RateLimited(retry_after=1),
    "429-date": RateLimited(retry_after=1, http_date=True),
    "429-bare": RateLimited(retry_after=None),
    "500": ErrorResponse(500),
    "502": GatewayError(502),
    "503": GatewayError(503),
    "503-empty": GatewayError(503, body="empty"),
    "504": GatewayError(504),
    "408": ErrorResponse(408),
    "425": ErrorResponse(425),
    "reset": ResetBeforeResponse(),
    "rst": ResetBeforeResponse(rst=True),
    "reset-mid-body": ResetMidBody(),
    "truncated": TruncatedJSON(),
    "truncated-dishonest": TruncatedJSON(honest_length=False),
    "invalid-json": InvalidJSON(),
    "non-object": NonObjectJSON(),
    "empty": EmptyBody(),
    "slow": SlowBody(),
    "error-506": ErrorBody(506),
    "error-500": ErrorBody(500, status=None),
    "error-502-text": ErrorBody("502 - InvalidInput", status=502),
    "disguised-error": DisguisedError(),
    "echo-401": EchoingUnauthorized(),
    "redirect": Redirect(),
    "gzip-bomb": GzipBomb(),
    "huge": HugeBody(),
    "ignore-page": IgnorePage(),
    "short-total": PageDetailsAs("short_total"),
    "drift-delete": Drift("delete"),
    "drift-insert": Drift("insert"),
}

# What a well-behaved client is expected to retry through: transport failures, gateway
# errors, throttling, Zenoti's IOException.
TRANSIENT_PRESETS: Final = (
    "429",
    "500",
    "502",
    "503",
    "504",
    "reset",
    "reset-mid-body",
    "error-506",
)
