"""Helpers for the mock server's own tests: raw aiohttp requests, no SDK client."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson
from multidict import CIMultiDictProxy

from zenoti_async.testing import Dataset, MockZenoti

Params = Mapping[str, object] | Iterable[tuple[str, object]]


@dataclass(frozen=True)
class Reply:
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


def _pairs(params: Params) -> list[tuple[str, str]]:
    items = params.items() if isinstance(params, Mapping) else params
    return [(k, str(v)) for k, v in items]


async def fetch(
    http: aiohttp.ClientSession,
    mock: MockZenoti,
    endpoint: str,
    params: Params = (),
    *,
    headers: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> Reply:
    """GET an endpoint with the mock's API key unless ``headers`` replaces it."""
    send = dict(mock.auth_headers if headers is None else headers)
    async with http.get(mock.url(endpoint), params=_pairs(params), headers=send, **kwargs) as resp:
        body = await resp.read()
        return Reply(resp.status, resp.headers, body)


async def all_sessions(
    http: aiohttp.ClientSession, mock: MockZenoti, params: Params, *, size: int = 100
) -> list[dict[str, Any]]:
    """Every page of a sessions query, fetched until an empty page."""
    out: list[dict[str, Any]] = []
    page = 1
    while True:
        reply = await fetch(
            http, mock, "sessions", [*_pairs(params), ("page", page), ("size", size)]
        )
        assert reply.status == 200, reply.body
        sessions = reply.json()["sessions"]
        if not sessions:
            return out
        out += sessions
        page += 1


def center_with_sessions(dataset: Dataset, minimum: int) -> str:
    """The first center that has at least ``minimum`` sessions."""
    for center_id in dataset.center_ids:
        if dataset.session_count(center_id) >= minimum:
            return center_id
    raise AssertionError(f"no center with {minimum} sessions")


def empty_center(dataset: Dataset) -> str:
    for center_id in dataset.center_ids:
        if dataset.session_count(center_id) == 0:
            return center_id
    raise AssertionError("no empty center")
