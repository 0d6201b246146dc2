"""The pytest plugin's fixtures, used exactly as a user's test suite would use them."""

from __future__ import annotations

import pytest

from zenoti_async import RateLimitError, RetryPolicy, TokenBucket, ZenotiClient
from zenoti_async.testing import GatewayError, MockZenoti, RateLimitConfig


async def test_the_client_fixture_talks_to_the_mock_fixture(
    zenoti_client: ZenotiClient, zenoti_mock: MockZenoti
) -> None:
    center = max(zenoti_mock.center_ids, key=zenoti_mock.dataset.session_count)
    sessions = await zenoti_client.classes.sessions(center_id=center).collect()
    assert [s.id for s in sessions] == [w["id"] for w in zenoti_mock.dataset.sessions_for(center)]
    assert zenoti_client.rate_limiter is None  # the mock has no limit: no 60/min waits in tests


@pytest.mark.zenoti_mock(centers=4, seed=2)
async def test_marker_options_configure_the_mock(zenoti_mock: MockZenoti) -> None:
    assert len(zenoti_mock.center_ids) == 4


async def test_retries_do_not_sleep_in_the_fixture_client(
    zenoti_client: ZenotiClient, zenoti_mock: MockZenoti
) -> None:
    zenoti_mock.inject(GatewayError(503), nth=1)
    center = zenoti_mock.center_ids[0]
    assert len(await zenoti_client.classes.sessions(center_id=center).collect()) == len(
        zenoti_mock.dataset.sessions_for(center)
    )


@pytest.mark.zenoti_mock(rate_limit=RateLimitConfig(limit=600, window=60.0, burst=3))
async def test_the_client_mirrors_a_rate_limited_mock(zenoti_client: ZenotiClient) -> None:
    assert isinstance(zenoti_client.rate_limiter, TokenBucket)
    assert zenoti_client.rate_limiter.calls_per_second == pytest.approx(10.0)


@pytest.mark.zenoti_client(retry=RetryPolicy.disabled())
async def test_client_marker_overrides_the_defaults(
    zenoti_client: ZenotiClient, zenoti_mock: MockZenoti
) -> None:
    from zenoti_async.testing import RateLimited

    zenoti_mock.inject(RateLimited(retry_after=1))
    with pytest.raises(RateLimitError):
        await zenoti_client.classes.sessions(center_id=zenoti_mock.center_ids[0]).collect()
