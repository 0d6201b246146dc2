"""The first attempt of a request runs outside tenacity; retries see it as their attempt 1."""

from __future__ import annotations

import logging

import pytest

from tests.fakes import EventLog
from tests.integration.conftest import make_client
from zenoti_async import HTTPStatusError, RetryPolicy
from zenoti_async.testing import Delay, GatewayError, MockZenoti


async def test_a_retried_first_failure_counts_as_attempt_one(
    mock: MockZenoti, caplog: pytest.LogCaptureFixture
) -> None:
    mock.inject(GatewayError(503), endpoint="sessions", nth=[1, 2])
    events = EventLog()
    async with make_client(mock, observers=[events]) as client:
        caplog.set_level(logging.WARNING, logger="zenoti_async")
        payload = await client._get_json(
            "/v1/classes/sessions", [("center_id", mock.center_ids[0])]
        )
    assert "sessions" in payload
    assert [e.attempt for e in events.requests] == [1, 2, 3]
    assert [e.status for e in events.requests] == [503, 503, 200]
    assert [e.attempt for e in events.retries] == [1, 2]
    retry_logs = [m for m in caplog.messages if "retrying" in m]
    assert len(retry_logs) == 2
    assert "(attempt 2 of 6)" in retry_logs[0]
    assert "(attempt 3 of 6)" in retry_logs[1]
    assert client.stats().retries == 2


async def test_the_first_attempt_spends_the_total_time_budget(mock: MockZenoti) -> None:
    # The first attempt takes longer than the whole budget: no retry, as if tenacity had
    # timed it too.
    mock.inject(Delay(0.3), endpoint="sessions", nth=1)
    mock.inject(GatewayError(503), endpoint="sessions", nth=1)
    policy = RetryPolicy(attempts=5, timeout=0.2, wait_initial=0.0, wait_max=0.0)
    async with make_client(mock, retry=policy) as client:
        with pytest.raises(HTTPStatusError) as info:
            await client._get_json("/v1/classes/sessions", [("center_id", mock.center_ids[0])])
    assert info.value.attempts == 1
    assert info.value.status == 503


async def test_a_first_failure_that_is_not_retryable_is_raised_at_once(mock: MockZenoti) -> None:
    mock.inject(GatewayError(501), endpoint="sessions", nth=1)
    events = EventLog()
    async with make_client(mock, observers=[events]) as client:
        with pytest.raises(HTTPStatusError) as info:
            await client._get_json("/v1/classes/sessions", [("center_id", mock.center_ids[0])])
    assert info.value.attempts == 1
    assert events.retries == []
    assert client.stats().requests_failed == 1
