"""Written as a user would write it, and checked by `mypy --strict` (see pyproject's mypy
`files`): if a public signature's types regress, `make lint` fails here.
"""

from __future__ import annotations

from datetime import date, datetime

from zenoti_async import (
    ClientStats,
    MembershipSearchType,
    PackageSearchType,
    PullStats,
    RetryPolicy,
    SessionStatus,
    TokenBucket,
    ZenotiClient,
    ZenotiError,
)
from zenoti_async.models import Membership, Package, Session, SessionsPage

CENTER = "e1693623-bda5-4b3e-a2a7-611ea4f1f7ad"


async def pull_everything() -> tuple[list[Session], list[Package], list[Membership]]:
    async with ZenotiClient(
        api_key="key",
        retry=RetryPolicy(attempts=3, timeout=30.0, wait_initial=0.2, wait_max=5.0),
        rate_limit=TokenBucket(60, 60.0),
    ) as client:
        sessions: list[Session] = []
        async for session in client.classes.sessions(
            center_id=CENTER,
            start_date=date(2026, 11, 1),
            end_date=date(2026, 11, 30),
            status=SessionStatus.ACTIVE,
            filters={"room_id": "abc"},
        ):
            start: datetime | None = session.start_time
            if start is not None:
                sessions.append(session)
        pages: list[SessionsPage] = [
            p async for p in client.classes.sessions(center_id=CENTER).pages()
        ]
        assert all(isinstance(p.page_details, object) for p in pages)
        packages = await client.classes.packages(
            search_type=PackageSearchType.CLASS, item_ids=[11370]
        ).collect()
        memberships = [
            m
            async for m in client.classes.memberships(
                search_type=MembershipSearchType.CENTER, item_ids=[CENTER]
            )
        ]
        return sessions, packages, memberships


async def fan_out(center_ids: list[str]) -> PullStats:
    async with ZenotiClient() as client:
        async with client.classes.sessions_for_centers(
            center_ids, max_concurrency=8, start_date=date(2026, 11, 1), raise_on_failure=False
        ) as pull:
            async for center_id, session in pull:
                assert isinstance(center_id, str)
                assert isinstance(session, Session)
        failures: dict[str, Exception] = pull.failures
        for error in failures.values():
            if isinstance(error, ZenotiError):
                print(error.status, error.code, error.api_message)
        return pull.stats


async def serve_forever(center_ids: list[str]) -> ClientStats:
    async with ZenotiClient(max_connections=16) as client:
        interactive: ZenotiClient = client.with_options(
            timeout=5.0, retry=RetryPolicy(attempts=2), max_pages=10
        )
        first: SessionsPage | None = await anext(
            interactive.classes.sessions(center_id=center_ids[0]).pages(), None
        )
        assert first is None or isinstance(first.sessions, list)
        stats: ClientStats = client.stats()
        in_use: int = stats.connections_in_use
        waiting: int = stats.requests_waiting_for_limiter
        assert in_use >= 0 and waiting >= 0 and not stats.closed
        return stats
