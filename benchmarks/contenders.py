"""The contenders: each pulls the sessions of every center and hands each record to a consumer.

Every hand-written contender pulls the way a careful engineer would write the loop by hand, the
same way the SDK's fan-out does: a pool of ``concurrency`` workers over the centers; per
center, page 1 first, then the remaining pages (now known from ``page_details``) concurrently;
every request under one shared semaphore of ``concurrency`` slots. Only the HTTP client, the
decoding and the retry policy differ. Records are consumed one by one (counted), as a caller
of the SDK consumes them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import aiohttp
import orjson

PAGE_SIZE: Final = 100
SESSIONS_PATH: Final = "/v1/classes/sessions"


@dataclass(frozen=True)
class Target:
    base_url: str
    api_key: str
    center_ids: list[str]
    concurrency: int
    #: The server's rate limit (calls/s and burst), for contenders configured with it.
    rate: float = 0.0
    burst: int = 0


@dataclass
class Outcome:
    records: int = 0
    requests: int = 0
    throttled: int = 0  #: 429 answers received


Decoded = tuple[Sequence[Any], int | None]  # the page's sessions, and its reported page count
Decode = Callable[[bytes], Decoded]
Fetch = Callable[[str, int], Awaitable[bytes]]


def _headers(target: Target) -> dict[str, str]:
    return {"Authorization": f"apikey {target.api_key}", "Accept": "application/json"}


def _params(center_id: str, page: int) -> list[tuple[str, str]]:
    return [("center_id", center_id), ("page", str(page)), ("size", str(PAGE_SIZE))]


class HTTPFailure(Exception):
    def __init__(self, status: int, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


# ----------------------------------------------------------------------------- decoders


def json_dicts(body: bytes) -> Decoded:
    payload = json.loads(body)
    details = payload.get("page_details") or {}
    return payload["sessions"] or [], details.get("total_pages")


def orjson_dicts(body: bytes) -> Decoded:
    payload = orjson.loads(body)
    details = payload.get("page_details") or {}
    return payload["sessions"] or [], details.get("total_pages")


# ----------------------------------------------------------------------------- the loop


async def _pull(target: Target, fetch: Fetch, decode: Decode, outcome: Outcome) -> None:
    slots = asyncio.Semaphore(target.concurrency)

    async def page(center_id: str, number: int) -> Decoded:
        async with slots:
            return decode(await fetch(center_id, number))

    def consume(records: Iterable[Any]) -> None:
        count = 0
        for _record in records:
            count += 1
        outcome.records += count

    async def center(center_id: str) -> None:
        records, pages = await page(center_id, 1)
        consume(records)
        if pages and pages > 1:
            rest = await asyncio.gather(*(page(center_id, n) for n in range(2, pages + 1)))
            for records, _ in rest:
                consume(records)

    todo = iter(target.center_ids)

    async def worker() -> None:
        for center_id in todo:
            await center(center_id)

    async with asyncio.TaskGroup() as group:
        for _ in range(min(target.concurrency, len(target.center_ids))):
            group.create_task(worker())


def _aiohttp_session(target: Target) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=target.concurrency)
    return aiohttp.ClientSession(connector=connector)


async def _aiohttp_pull(target: Target, decode: Decode) -> Outcome:
    outcome = Outcome()
    url, headers = target.base_url + SESSIONS_PATH, _headers(target)
    async with _aiohttp_session(target) as http:

        async def fetch(center_id: str, number: int) -> bytes:
            outcome.requests += 1
            async with http.get(url, params=_params(center_id, number), headers=headers) as r:
                body = await r.read()
                if r.status != 200:
                    raise HTTPFailure(r.status)
                return body

        await _pull(target, fetch, decode, outcome)
    return outcome


# ----------------------------------------------------------------------------- contenders


async def aiohttp_json(target: Target) -> Outcome:
    """The baseline: raw aiohttp, ``json.loads`` into dicts."""
    return await _aiohttp_pull(target, json_dicts)


async def aiohttp_orjson(target: Target) -> Outcome:
    return await _aiohttp_pull(target, orjson_dicts)


async def aiohttp_pydantic(target: Target) -> Outcome:
    from benchmarks.peer_pydantic import pydantic_page

    return await _aiohttp_pull(target, pydantic_page)


async def aiohttp_msgspec(target: Target) -> Outcome:
    from benchmarks.peer_msgspec import msgspec_page

    return await _aiohttp_pull(target, msgspec_page)


async def aiohttp_naive(target: Target) -> Outcome:
    """json + cattrs' default converter + frozen attrs + a tenacity retry per request."""
    from tenacity import (
        AsyncRetrying,
        retry_if_exception_type,
        stop_after_attempt,
        wait_random_exponential,
    )

    from benchmarks.peer_naive import naive_page

    outcome = Outcome()
    url, headers = target.base_url + SESSIONS_PATH, _headers(target)
    async with _aiohttp_session(target) as http:

        async def once(center_id: str, number: int) -> bytes:
            outcome.requests += 1
            async with http.get(url, params=_params(center_id, number), headers=headers) as r:
                body = await r.read()
                if r.status != 200:
                    raise HTTPFailure(r.status)
                return body

        async def fetch(center_id: str, number: int) -> bytes:
            retrying = AsyncRetrying(
                stop=stop_after_attempt(5),
                wait=wait_random_exponential(multiplier=0.5, max=20),
                retry=retry_if_exception_type((aiohttp.ClientError, HTTPFailure)),
                reraise=True,
            )
            body: bytes = await retrying(once, center_id, number)
            return body

        await _pull(target, fetch, naive_page, outcome)
    return outcome


async def httpx_json(target: Target) -> Outcome:
    import httpx

    outcome = Outcome()
    url, headers = target.base_url + SESSIONS_PATH, _headers(target)
    limits = httpx.Limits(
        max_connections=target.concurrency, max_keepalive_connections=target.concurrency
    )
    async with httpx.AsyncClient(limits=limits, timeout=30.0) as http:

        async def fetch(center_id: str, number: int) -> bytes:
            outcome.requests += 1
            response = await http.get(url, params=_params(center_id, number), headers=headers)
            if response.status_code != 200:
                raise HTTPFailure(response.status_code)
            return response.content

        await _pull(target, fetch, json_dicts, outcome)
    return outcome


async def sequential_json(target: Target) -> Outcome:
    """One request at a time: raw aiohttp and ``json.loads``, page after page."""
    outcome = Outcome()
    url, headers = target.base_url + SESSIONS_PATH, _headers(target)
    async with aiohttp.ClientSession() as http:
        for center_id in target.center_ids:
            number = 1
            while True:
                outcome.requests += 1
                async with http.get(
                    url, params=_params(center_id, number), headers=headers
                ) as response:
                    body = await response.read()
                    if response.status != 200:
                        raise HTTPFailure(response.status)
                records, pages = json_dicts(body)
                for _record in records:
                    outcome.records += 1
                if not pages or number >= pages:
                    break
                number += 1
    return outcome


async def naive_retry_on_429(target: Target) -> Outcome:
    """A semaphore and a retry on 429 that sleeps for ``Retry-After``: no client-side limiter."""
    outcome = Outcome()
    url, headers = target.base_url + SESSIONS_PATH, _headers(target)
    async with _aiohttp_session(target) as http:

        async def fetch(center_id: str, number: int) -> bytes:
            for _ in range(50):
                outcome.requests += 1
                async with http.get(
                    url, params=_params(center_id, number), headers=headers
                ) as response:
                    body = await response.read()
                    if response.status == 200:
                        return body
                    if response.status != 429:
                        raise HTTPFailure(response.status)
                    outcome.throttled += 1
                    wait = float(response.headers.get("Retry-After", "1"))
                await asyncio.sleep(wait)
            raise HTTPFailure(429)

        await _pull(target, fetch, json_dicts, outcome)
    return outcome


# ----------------------------------------------------------------------------- the SDK


def _sdk_client(target: Target, *, limited: bool) -> Any:
    from zenoti_async import TokenBucket, ZenotiClient

    return ZenotiClient(
        api_key=target.api_key,
        base_url=target.base_url,
        allow_http=True,
        # Off unless the scenario is about the limit: the mock then enforces none either.
        rate_limit=TokenBucket(target.rate, 1.0, burst=target.burst) if limited else None,
        max_connections=max(64, target.concurrency),
    )


async def _sdk_fanout(target: Target, *, limited: bool) -> Outcome:
    outcome = Outcome()
    async with _sdk_client(target, limited=limited) as client:
        async with client.classes.sessions_for_centers(
            target.center_ids, max_concurrency=target.concurrency
        ) as pull:
            records = 0
            async for _center_id, _session in pull:
                records += 1
        outcome.records = records
        outcome.requests = pull.stats.requests
        outcome.throttled = pull.stats.throttled
    return outcome


async def sdk(target: Target) -> Outcome:
    """``client.classes.sessions_for_centers(...)``: typed records, default retry policy."""
    return await _sdk_fanout(target, limited=False)


async def sdk_rate_limited(target: Target) -> Outcome:
    """The SDK with its ``TokenBucket`` set to the server's documented limit."""
    return await _sdk_fanout(target, limited=True)


async def sdk_sequential(target: Target) -> Outcome:
    """``async for session in client.classes.sessions(center_id=...)``, center after center."""
    outcome = Outcome()
    async with _sdk_client(target, limited=False) as client:
        records = 0
        for center_id in target.center_ids:
            paginator = client.classes.sessions(center_id=center_id)
            async for _session in paginator:
                records += 1
            outcome.requests += paginator.pages_fetched
        outcome.records = records
    return outcome


CONTENDERS: Final[dict[str, Callable[[Target], Awaitable[Outcome]]]] = {
    "sdk": sdk,
    "sdk-rate-limited": sdk_rate_limited,
    "sdk-sequential": sdk_sequential,
    "aiohttp-json": aiohttp_json,
    "aiohttp-orjson": aiohttp_orjson,
    "aiohttp-pydantic": aiohttp_pydantic,
    "aiohttp-msgspec": aiohttp_msgspec,
    "aiohttp-naive": aiohttp_naive,
    "httpx-json": httpx_json,
    "sequential-json": sequential_json,
    "naive-retry-on-429": naive_retry_on_429,
}

#: How each contender is named in the tables.
LABELS: Final[dict[str, str]] = {
    "sdk": "zenoti-async (typed attrs models)",
    "sdk-rate-limited": "zenoti-async, TokenBucket = server limit",
    "sdk-sequential": "zenoti-async, sessions() center by center",
    "aiohttp-json": "aiohttp + json -> dicts (baseline)",
    "aiohttp-orjson": "aiohttp + orjson -> dicts",
    "aiohttp-pydantic": "aiohttp + pydantic v2 models",
    "aiohttp-msgspec": "aiohttp + msgspec structs (decoding limit)",
    "aiohttp-naive": "aiohttp + json + cattrs defaults + tenacity",
    "httpx-json": "httpx + json -> dicts",
    "sequential-json": "aiohttp + json, one request at a time",
    "naive-retry-on-429": "semaphore + retry on 429 (Retry-After)",
}
