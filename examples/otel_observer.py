"""OpenTelemetry for zenoti-async, as a request observer: the SDK itself never imports it.

``OpenTelemetryObserver`` turns each HTTP attempt into a CLIENT span (a child of whatever
span is current in the calling task, such as the web framework's server span) and records
metrics: request duration, time spent waiting for the rate limiter, retries. ``observe_pool``
publishes ``client.stats()`` as observable gauges (connections in use and idle, requests
in flight and waiting for the limiter).

::

    from opentelemetry import metrics, trace

    observer = OpenTelemetryObserver()                    # the global providers
    async with ZenotiClient(observers=[observer]) as client:
        observe_pool(client)
        ...

Needs ``opentelemetry-api`` (and an SDK or a distro to export anything).
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Iterable

from opentelemetry import metrics, trace
from opentelemetry.metrics import CallbackOptions, MeterProvider, Observation
from opentelemetry.trace import SpanKind, Status, StatusCode, TracerProvider

from zenoti_async import RequestEvent, RetryEvent, ZenotiClient, ZenotiError

SCOPE = "zenoti_async"


class OpenTelemetryObserver:
    """A ``RequestObserver``: spans and metrics for every attempt of every request."""

    def __init__(
        self,
        *,
        tracer_provider: TracerProvider | None = None,
        meter_provider: MeterProvider | None = None,
    ) -> None:
        self._tracer = trace.get_tracer(SCOPE, tracer_provider=tracer_provider)
        meter = metrics.get_meter(SCOPE, meter_provider=meter_provider)
        self._duration = meter.create_histogram(
            "http.client.request.duration", unit="s", description="One HTTP attempt to Zenoti"
        )
        self._limiter_wait = meter.create_histogram(
            "zenoti.client.rate_limit.wait", unit="s", description="Wait for a rate-limit slot"
        )
        self._retries = meter.create_counter(
            "zenoti.client.retries", unit="{retry}", description="Attempts about to be retried"
        )

    def on_request(self, event: RequestEvent) -> None:
        # Called once the attempt is over, in the caller's task: the span is back-dated to
        # when the attempt was sent, and parented by the caller's current span.
        end = time.time_ns()
        attributes: dict[str, str | int] = {
            "http.request.method": event.method,
            "url.template": event.path,
            "http.request.resend_count": event.attempt - 1,
        }
        if event.page is not None:
            attributes["zenoti.page"] = event.page
        if event.status is not None:
            attributes["http.response.status_code"] = event.status
        if event.error is not None:
            attributes["error.type"] = type(event.error).__name__
        span = self._tracer.start_span(
            f"{event.method} {event.path}",
            kind=SpanKind.CLIENT,
            start_time=end - int(event.elapsed * 1e9),
            attributes=attributes,
        )
        if event.error is not None:
            # SDK errors never carry the key, so their text is safe to export.
            description = str(event.error) if isinstance(event.error, ZenotiError) else None
            span.set_status(Status(StatusCode.ERROR, description))
        span.end(end_time=end)

        metric_attributes = {
            k: v
            for k, v in attributes.items()
            if k not in ("zenoti.page", "http.request.resend_count")
        }
        self._duration.record(event.elapsed, metric_attributes)
        self._limiter_wait.record(event.queued, {"url.template": event.path})

    def on_retry(self, event: RetryEvent) -> None:
        self._retries.add(1, {"url.template": event.path, "error.type": type(event.error).__name__})


def observe_pool(client: ZenotiClient, *, meter_provider: MeterProvider | None = None) -> None:
    """Publish the client's pool and limiter state as observable gauges.

    The callbacks hold the client weakly: they never keep a closed client alive.
    """
    meter = metrics.get_meter(SCOPE, meter_provider=meter_provider)
    ref = weakref.ref(client)

    def gauge(field: str) -> Callable[[CallbackOptions], Iterable[Observation]]:
        def callback(_options: CallbackOptions) -> Iterable[Observation]:
            live = ref()
            if live is None or live.closed:
                return []
            return [Observation(getattr(live.stats(), field))]

        return callback

    for name, field, unit in (
        ("zenoti.client.connections.in_use", "connections_in_use", "{connection}"),
        ("zenoti.client.connections.idle", "connections_idle", "{connection}"),
        ("zenoti.client.requests.in_flight", "requests_in_flight", "{request}"),
        ("zenoti.client.requests.waiting_for_limiter", "requests_waiting_for_limiter", "{request}"),
    ):
        meter.create_observable_gauge(name, callbacks=[gauge(field)], unit=unit)
