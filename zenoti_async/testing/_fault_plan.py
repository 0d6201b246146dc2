"""Which request gets which fault: rules, the plan that holds them, and its decision.

A :class:`FaultRule` says *which requests* a fault hits (all, one endpoint, one center, one
page number, the Nth matching request, a fraction of them, at most N times); a
:class:`FaultPlan` holds the rules, a seeded RNG for the fractions, and an optional base
latency, and turns each request into a :class:`Decision`. Plain data and decisions,
testable without a socket.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from zenoti_async.testing._endpoints import ENDPOINT_NAMES
from zenoti_async.testing._faults import (
    FAULT_PRESETS,
    TRANSIENT_PRESETS,
    Delay,
    Drift,
    Fault,
    Latency,
    OneOf,
)
from zenoti_async.testing._query import normalize_guid

__all__ = ["Decision", "FaultContext", "FaultPlan", "FaultRule"]


@dataclass(frozen=True, slots=True)
class FaultContext:
    """What a rule can match on. ``number`` is the request's 1-based index since the reset."""

    number: int
    endpoint: str | None
    center_id: str | None
    page: int | None


@dataclass(eq=False)
class FaultRule:
    """Apply ``fault`` to the requests that match every given criterion.

    ``nth`` counts (from 1) among the requests that match ``endpoint``/``center_id``/
    ``page``; ``probability`` draws from the plan's seeded RNG; ``times`` caps how often the
    rule fires. ``seen`` and ``fired`` are counters for assertions.
    """

    fault: Fault
    endpoint: str | None = None
    center_id: str | None = None
    page: int | None = None
    nth: int | Collection[int] | None = None
    probability: float = 1.0
    times: int | None = None
    seen: int = field(default=0, init=False)
    fired: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.endpoint is not None and self.endpoint not in ENDPOINT_NAMES:
            raise ValueError(f"endpoint must be one of {ENDPOINT_NAMES}, not {self.endpoint!r}")
        if self.center_id is not None:
            normalised = normalize_guid(self.center_id)
            if normalised is None:
                raise ValueError(f"not a GUID: {self.center_id!r}")
            self.center_id = normalised
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be within [0, 1]")
        self._nth: frozenset[int] | None = (
            None
            if self.nth is None
            else frozenset((self.nth,) if isinstance(self.nth, int) else self.nth)
        )

    def matches(self, ctx: FaultContext) -> bool:
        return (
            (self.endpoint is None or self.endpoint == ctx.endpoint)
            and (self.center_id is None or self.center_id == ctx.center_id)
            and (self.page is None or self.page == ctx.page)
        )

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def reset(self) -> None:
        self.seen = 0
        self.fired = 0


@dataclass(slots=True)
class Decision:
    """What the plan decided for one request."""

    delay: float = 0.0
    replay_after: int | None = None
    """Serve this page for any later one (:class:`IgnorePage`)."""
    page_details: str | None = None
    """Spell page_details this way instead of the mock's setting (:class:`PageDetailsAs`)."""
    drift: list[Drift] = field(default_factory=list)
    terminal: Fault | None = None
    names: list[str] = field(default_factory=list)


class FaultPlan:
    """Rules applied in order to every request; randomness from ``seed`` only.

    Example::

        plan = FaultPlan(seed=3, latency=Latency.uniform(0.001, 0.005))
        plan.add(RateLimited(retry_after=2), endpoint="sessions", nth=1)
        plan.add(ResetMidBody(), center_id=some_center, page=2, times=1)
        plan.add(GatewayError(503), probability=0.1)
    """

    def __init__(
        self,
        rules: Iterable[FaultRule | Fault] = (),
        *,
        seed: int = 0,
        latency: Latency | float | None = None,
    ) -> None:
        self.seed = seed
        self.rules: list[FaultRule] = [
            r if isinstance(r, FaultRule) else FaultRule(r) for r in rules
        ]
        self.latency = Latency.fixed(latency) if isinstance(latency, int | float) else latency
        self._rng = random.Random(f"faults/{seed}")  # noqa: S311  (reproducible, not secret)

    def add(
        self,
        fault: Fault,
        *,
        endpoint: str | None = None,
        center_id: str | None = None,
        page: int | None = None,
        nth: int | Collection[int] | None = None,
        probability: float = 1.0,
        times: int | None = None,
    ) -> FaultRule:
        rule = FaultRule(
            fault,
            endpoint=endpoint,
            center_id=center_id,
            page=page,
            nth=nth,
            probability=probability,
            times=times,
        )
        self.rules.append(rule)
        return rule

    @classmethod
    def sequence(
        cls,
        *faults: Fault | None,
        endpoint: str | None = None,
        center_id: str | None = None,
        seed: int = 0,
    ) -> FaultPlan:
        """The i-th matching request gets ``faults[i]`` (``None``: answer normally); later
        requests are normal. ``sequence(RateLimited(), None, ErrorResponse(500))``."""
        plan = cls(seed=seed)
        for i, fault in enumerate(faults, start=1):
            if fault is not None:
                plan.add(fault, endpoint=endpoint, center_id=center_id, nth=i)
        return plan

    @classmethod
    def random(
        cls,
        rate: float,
        faults: Iterable[Fault | str] = TRANSIENT_PRESETS,
        *,
        seed: int = 0,
        endpoint: str | None = None,
        latency: Latency | float | None = None,
    ) -> FaultPlan:
        """A fraction ``rate`` of requests gets one of ``faults`` (objects or preset names)."""
        chosen = tuple(FAULT_PRESETS[f] if isinstance(f, str) else f for f in faults)
        plan = cls(seed=seed, latency=latency)
        if rate > 0:
            plan.add(OneOf(chosen), endpoint=endpoint, probability=rate)
        return plan

    def decide(self, ctx: FaultContext) -> Decision:
        decision = Decision()
        if self.latency is not None:
            decision.delay += self.latency.sample()
        for rule in self.rules:
            if not rule.matches(ctx):
                continue
            rule.seen += 1
            if rule._nth is not None and rule.seen not in rule._nth:
                continue
            if rule.exhausted:
                continue
            if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                continue
            fault = self._resolve(rule.fault)
            if fault.terminal and decision.terminal is not None:
                continue
            rule.fired += 1
            decision.names.append(fault.name)
            fault.modify(decision)
        return decision

    def _resolve(self, fault: Fault) -> Fault:
        while isinstance(fault, OneOf):
            weights = list(fault.weights) if fault.weights is not None else None
            fault = self._rng.choices(fault.faults, weights)[0]
        return fault

    def reset(self) -> None:
        """Counters, RNG and latency start again, so a re-run sees the same faults."""
        self._rng = random.Random(f"faults/{self.seed}")  # noqa: S311
        if self.latency is not None:
            self.latency.reset()
        for rule in self.rules:
            rule.reset()
            if isinstance(rule.fault, Delay) and isinstance(rule.fault.seconds, Latency):
                rule.fault.seconds.reset()

    def __repr__(self) -> str:
        return f"FaultPlan(rules={self.rules!r}, seed={self.seed!r}, latency={self.latency!r})"
