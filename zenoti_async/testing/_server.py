"""``MockZenoti``: the mock application served on a real socket, as an async context manager."""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from zenoti_async.testing._dataset import Dataset
from zenoti_async.testing._endpoints import endpoint_named
from zenoti_async.testing._fault_plan import FaultPlan, FaultRule
from zenoti_async.testing._faults import Fault, Latency
from zenoti_async.testing._options import ServerOptions, describe, init_with_keywords_of
from zenoti_async.testing._ratelimit import TokenBucket
from zenoti_async.testing._recorder import RecordedRequest
from zenoti_async.testing._render import ErrorStatusMode, PageDetailsVariant
from zenoti_async.testing._state import MockState, build_app

__all__ = ["MockZenoti"]


class MockZenoti:
    """A faithful Zenoti classes API on ``127.0.0.1:<free port>``.

    ::

        async with MockZenoti(centers=50, seed=7) as mock:
            async with aiohttp.ClientSession() as http:
                url = f"{mock.base_url}/v1/classes/sessions"
                params = {"center_id": mock.center_ids[0], "size": 100}
                async with http.get(url, params=params, headers=mock.auth_headers) as resp:
                    body = await resp.json()
            assert body["sessions"] == mock.dataset.sessions_for(mock.center_ids[0])[:100]

    Keyword arguments are the fields of :class:`ServerOptions` (an unknown one is a
    ``TypeError``, a bad value a ``ValueError`` naming it):
    """

    @init_with_keywords_of(ServerOptions)
    def __init__(self, **options: Any) -> None:
        server = ServerOptions(**options)
        self.options = server
        self.state = MockState(server)
        self.app = build_app(self.state)
        self.host = server.host
        self._requested_port = server.port
        self._port: int | None = None
        self._shutdown_timeout = server.shutdown_timeout
        self._runner: web.AppRunner | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("MockZenoti is already running")
        runner = web.AppRunner(
            self.app,
            access_log=None,
            handle_signals=False,
            # In-flight slow or stalled responses must not hold a test's teardown for long.
            shutdown_timeout=self._shutdown_timeout,
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self._requested_port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def close(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # ------------------------------------------------------------------ where and who

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("MockZenoti is not running: use `async with MockZenoti() as mock`")
        return self._port

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def url(self, endpoint: str) -> str:
        """Full URL of ``"sessions"``, ``"packages"`` or ``"memberships"`` (another name is a
        ``ValueError``)."""
        return f"{self.base_url}{endpoint_named(endpoint).path}"

    @property
    def api_key(self) -> str:
        return self.state.api_key

    @property
    def bearer_token(self) -> str | None:
        return self.state.bearer_token

    @property
    def auth_headers(self) -> dict[str, str]:
        return self.state.auth_headers

    # ------------------------------------------------------------------ data

    @property
    def dataset(self) -> Dataset:
        return self.state.dataset

    @property
    def center_ids(self) -> list[str]:
        return self.state.dataset.center_ids

    # ------------------------------------------------------------------ behaviour

    @property
    def faults(self) -> FaultPlan:
        return self.state.faults

    @faults.setter
    def faults(self, value: FaultPlan | Iterable[Fault | FaultRule] | None) -> None:
        self.state.faults = value

    def inject(
        self,
        fault: Fault,
        *,
        endpoint: str | None = None,
        center_id: str | None = None,
        page: int | None = None,
        nth: int | Iterable[int] | None = None,
        probability: float = 1.0,
        times: int | None = None,
    ) -> FaultRule:
        """Add one fault rule to the running mock (see :class:`FaultRule`)."""
        return self.state.inject(
            fault,
            endpoint=endpoint,
            center_id=center_id,
            page=page,
            nth=nth,
            probability=probability,
            times=times,
        )

    def clear_faults(self) -> None:
        self.state.clear_faults()

    @property
    def latency(self) -> Latency | None:
        return self.state.latency

    @latency.setter
    def latency(self, value: Latency | float | None) -> None:
        self.state.latency = value

    @property
    def page_details(self) -> PageDetailsVariant:
        return self.state.page_details

    @page_details.setter
    def page_details(self, value: PageDetailsVariant) -> None:
        self.state.page_details = value

    @property
    def error_status(self) -> ErrorStatusMode:
        return self.state.error_status

    @error_status.setter
    def error_status(self, value: ErrorStatusMode) -> None:
        self.state.error_status = value

    @property
    def rate_limiter(self) -> TokenBucket | None:
        return self.state.rate_limiter

    # ------------------------------------------------------------------ what happened

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.state.requests

    def requests_to(self, endpoint: str) -> list[RecordedRequest]:
        """The recorded requests to one endpoint (an unknown name is a ``ValueError``)."""
        name = endpoint_named(endpoint).name
        return [r for r in self.state.requests if r.endpoint == name]

    @property
    def in_flight(self) -> int:
        return self.state.in_flight

    @property
    def max_in_flight(self) -> int:
        return self.state.max_in_flight

    def reset(self) -> None:
        """Forget requests and the in-flight peak, refill the bucket, rewind faults, undo drift."""
        self.state.reset()

    def __repr__(self) -> str:
        where = self.base_url if self._port is not None else "not running"
        return f"<MockZenoti {where} centers={len(self.center_ids)} seed={self.dataset.seed}>"


# The argument list comes from the one declaration of the options.
MockZenoti.__doc__ = f"{(MockZenoti.__doc__ or '').rstrip()}\n\n{describe(ServerOptions)}\n"
