"""What the mock received: every request, with credentials redacted, and concurrency peaks."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from multidict import CIMultiDict, CIMultiDictProxy, MultiDict, MultiDictProxy

__all__ = ["REDACTED", "RecordedRequest", "Recorder"]

REDACTED = "[REDACTED]"
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


def redact_header(name: str, value: str) -> str:
    """Keep the scheme (``apikey``/``bearer``) so tests can check it; drop the credential."""
    if name.lower() not in _SECRET_HEADERS:
        return value
    scheme, sep, _ = value.partition(" ")
    return f"{scheme} {REDACTED}" if sep else REDACTED


@dataclass(slots=True)
class RecordedRequest:
    """One request as the mock saw it, and what it answered.

    ``status`` is ``None`` when the connection was dropped before a response; ``dropped`` is
    true whenever the connection was closed under the response. ``faults`` names
    every fault applied (``"Delay"``, ``"IgnorePage"``, ``"ResetMidBody"``...), ``auth`` is
    ``"ok"``, ``"missing"`` or ``"invalid"``, ``throttled`` is true for a rate-limit 429.
    """

    index: int
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    endpoint: str | None
    remote: str | None
    started: float
    wall_time: float
    status: int | None = None
    faults: list[str] = field(default_factory=list)
    auth: str = "ok"
    throttled: bool = False
    dropped: bool = False
    duration: float | None = None
    response_bytes: int | None = None

    @property
    def params(self) -> MultiDictProxy[str]:
        """The query string as a multidict (repeated keys kept in order)."""
        return MultiDictProxy(MultiDict(self.query))

    @property
    def header_map(self) -> CIMultiDictProxy[str]:
        return CIMultiDictProxy(CIMultiDict(self.headers))

    def header(self, name: str) -> str | None:
        return self.header_map.get(name)

    @property
    def fault(self) -> str | None:
        """The last fault applied (the one that shaped the response), if any."""
        return self.faults[-1] if self.faults else None

    @property
    def path_qs(self) -> str:
        if not self.query:
            return self.path
        return f"{self.path}?{urlencode(self.query)}"


class Recorder:
    """Keeps the last ``max_recorded`` requests (``None``: all) and tracks requests in flight."""

    def __init__(
        self,
        max_recorded: int | None = 100_000,
        *,
        on_complete: Callable[[RecordedRequest], None] | None = None,
    ) -> None:
        self._records: deque[RecordedRequest] = deque(maxlen=max_recorded)
        self.on_complete = on_complete
        self.total = 0
        self.in_flight = 0
        self.max_in_flight = 0

    def begin(
        self,
        *,
        method: str,
        path: str,
        query: Iterable[tuple[str, str]],
        headers: Iterable[tuple[str, str]],
        endpoint: str | None,
        remote: str | None,
    ) -> RecordedRequest:
        self.total += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        record = RecordedRequest(
            index=self.total,
            method=method,
            path=path,
            query=tuple(query),
            headers=tuple((k, redact_header(k, v)) for k, v in headers),
            endpoint=endpoint,
            remote=remote,
            started=time.monotonic(),
            wall_time=time.time(),
        )
        self._records.append(record)
        return record

    def end(self, record: RecordedRequest) -> None:
        self.in_flight -= 1
        record.duration = time.monotonic() - record.started
        if self.on_complete is not None:
            self.on_complete(record)

    @property
    def requests(self) -> list[RecordedRequest]:
        return list(self._records)

    def reset(self) -> None:
        """Forget recorded requests and the peak; requests still in flight stay counted."""
        self._records.clear()
        self.total = 0
        self.max_in_flight = self.in_flight
