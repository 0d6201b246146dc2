"""A faithful, scriptable mock of the Zenoti classes API, shipped with the SDK.

Like stripe-mock, but embedded: a real aiohttp server on ``127.0.0.1`` that serves
``/v1/classes/sessions``, ``/packages`` and ``/memberships`` from a deterministic generated
organisation, with Zenoti's auth, pagination limits, rate-limit headers and error bodies,
and faults on demand (throttling, gateway errors, resets, truncated or slow bodies, drift,
redirects, gzip bombs, errors disguised as success, a server that stops paging, totals
that contradict the page, a 401 that echoes the key...)::

    from zenoti_async.testing import MockZenoti, GatewayError

    async with MockZenoti(centers=50, seed=7) as mock:
        mock.inject(GatewayError(503), endpoint="sessions", nth=1)
        ...  # point a client at mock.base_url with mock.api_key

Its options (``MockZenoti(...)``, ``create_app(...)`` and the ``mock-server`` flags) are
the fields of :class:`ServerOptions`. The pytest plugin (``zenoti_mock`` and
``zenoti_client`` fixtures) is registered automatically; ``zenoti-async mock-server`` runs
the same server from the command line.
"""

from zenoti_async.testing._dataset import (
    MAX_UNIFORM_SESSIONS,
    WINDOW_END,
    WINDOW_START,
    CenterInfo,
    Dataset,
)
from zenoti_async.testing._fault_plan import FaultPlan, FaultRule
from zenoti_async.testing._faults import (
    FAULT_PRESETS,
    TRANSIENT_PRESETS,
    Delay,
    DisguisedError,
    Drift,
    EchoingUnauthorized,
    EmptyBody,
    ErrorBody,
    ErrorResponse,
    Fault,
    GatewayError,
    GzipBomb,
    HugeBody,
    IgnorePage,
    InvalidJSON,
    Latency,
    NonObjectJSON,
    OneOf,
    PageDetailsAs,
    RateLimited,
    Redirect,
    ResetBeforeResponse,
    ResetMidBody,
    SlowBody,
    TruncatedJSON,
)
from zenoti_async.testing._options import MockOptions, ServerOptions
from zenoti_async.testing._ratelimit import RateLimitConfig, TokenBucket
from zenoti_async.testing._recorder import RecordedRequest
from zenoti_async.testing._render import (
    ERROR_STATUS_MODES,
    PAGE_DETAILS_VARIANTS,
    ErrorStatusMode,
    PageDetailsVariant,
)
from zenoti_async.testing._server import MockZenoti
from zenoti_async.testing._state import MOCK_STATE, MockState, create_app

__all__ = [
    "ERROR_STATUS_MODES",
    "FAULT_PRESETS",
    "MAX_UNIFORM_SESSIONS",
    "MOCK_STATE",
    "PAGE_DETAILS_VARIANTS",
    "TRANSIENT_PRESETS",
    "WINDOW_END",
    "WINDOW_START",
    "CenterInfo",
    "Dataset",
    "Delay",
    "DisguisedError",
    "Drift",
    "EchoingUnauthorized",
    "EmptyBody",
    "ErrorBody",
    "ErrorResponse",
    "ErrorStatusMode",
    "Fault",
    "FaultPlan",
    "FaultRule",
    "GatewayError",
    "GzipBomb",
    "HugeBody",
    "IgnorePage",
    "InvalidJSON",
    "Latency",
    "MockOptions",
    "MockState",
    "MockZenoti",
    "NonObjectJSON",
    "OneOf",
    "PageDetailsAs",
    "PageDetailsVariant",
    "RateLimitConfig",
    "RateLimited",
    "RecordedRequest",
    "Redirect",
    "ResetBeforeResponse",
    "ResetMidBody",
    "ServerOptions",
    "SlowBody",
    "TokenBucket",
    "TruncatedJSON",
    "create_app",
]
