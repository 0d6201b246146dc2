"""examples/otel_observer.py with the OpenTelemetry SDK's in-memory exporter and reader."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk")
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from examples.otel_observer import OpenTelemetryObserver, observe_pool
from tests.examples.conftest import client_options
from zenoti_async import ZenotiClient
from zenoti_async.testing import GatewayError, MockZenoti


def metric_points(reader: InMemoryMetricReader) -> dict[str, list[Any]]:
    data = reader.get_metrics_data()
    assert data is not None
    points: dict[str, list[Any]] = {}
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                points.setdefault(metric.name, []).extend(metric.data.data_points)
    return points


async def test_every_attempt_is_a_client_span_under_the_callers_span(mock: MockZenoti) -> None:
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader])
    observer = OpenTelemetryObserver(tracer_provider=tracer_provider, meter_provider=meter_provider)
    mock.inject(GatewayError(503), endpoint="sessions", nth=1)
    center = mock.center_ids[0]
    async with ZenotiClient(**client_options(mock), observers=[observer]) as client:
        observe_pool(client, meter_provider=meter_provider)
        with tracer_provider.get_tracer("app").start_as_current_span("GET /report") as parent:
            page = await anext(client.classes.sessions(center_id=center, page_size=10).pages())
        assert page.sessions
        points = metric_points(reader)

    spans = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.CLIENT]
    assert [dict(s.attributes or {})["http.request.resend_count"] for s in spans] == [0, 1]
    failed, ok = spans
    assert failed.status.status_code is StatusCode.ERROR
    assert dict(failed.attributes or {})["http.response.status_code"] == 503
    assert dict(failed.attributes or {})["error.type"] == "HTTPStatusError"
    assert dict(ok.attributes or {})["http.response.status_code"] == 200
    assert ok.name == "GET /v1/classes/sessions"
    assert dict(ok.attributes or {})["zenoti.page"] == 1
    for span in spans:
        assert span.parent is not None
        assert span.parent.span_id == parent.get_span_context().span_id
        assert span.start_time is not None and span.end_time is not None
        assert span.end_time >= span.start_time
        assert mock.api_key not in repr(span.to_json())

    assert sum(p.count for p in points["http.client.request.duration"]) == 2
    assert sum(p.value for p in points["zenoti.client.retries"]) == 1
    assert [p.value for p in points["zenoti.client.requests.in_flight"]] == [0]
    assert [p.value for p in points["zenoti.client.connections.idle"]] == [1]
    tracer_provider.shutdown()
    meter_provider.shutdown()
