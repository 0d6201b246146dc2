"""``client.classes``: the three class endpoints. Each method validates its arguments (so a bad
one raises before any request), builds the query, and returns a lazy ``Paginator``.
"""

from __future__ import annotations

import operator
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, Protocol, TypeVar, Unpack

import attrs

from zenoti_async._errors import DecodeError
from zenoti_async._paginator import DEFAULT_MAX_PAGES, EndpointSpec, Paginator, Send
from zenoti_async._pull import ProgressCallback, SessionsPull, unique_centers
from zenoti_async._sansio import query as _params
from zenoti_async._sansio.converter import (
    decode_memberships_page,
    decode_packages_page,
    decode_sessions_page,
    decode_sessions_records,
)
from zenoti_async._sansio.query import SessionFilters
from zenoti_async.models import (
    Membership,
    MembershipSearchType,
    MembershipsPage,
    Package,
    PackageSearchType,
    PackagesPage,
    Session,
    SessionsPage,
)

#: Every record's id, read at C speed (the paginator reads a page's ids at once).
_ID: Final = operator.attrgetter("id")

P = TypeVar("P", SessionsPage, PackagesPage, MembershipsPage)


def _with_field(page: P, field: str, records: list[Any]) -> P:
    changes: dict[str, Any] = {field: records}
    return attrs.evolve(page, **changes)


def _requiring(key: str, decode: Callable[[dict[str, Any]], P]) -> Callable[[dict[str, Any]], P]:
    """``decode``, for a body that carries the endpoint's list under ``key``.

    A 200 body with neither the list nor an error Zenoti's parser recognises (the ASP.NET
    failure shape ``{"Message": "An error has occurred."}``, a proxy's JSON) is a failure, not
    "no more data": read as an empty page it would end the iteration and lose the rest.
    ``"key": null`` is an empty page: the key is there and says there is nothing.
    """

    def checked(payload: dict[str, Any]) -> P:
        if key not in payload:
            shown = ", ".join(sorted(map(str, payload))[:8]) or "none"
            raise DecodeError(
                f"the body has no {key!r} list and no error object (its keys: {shown}): "
                "a failure, not an empty page",
                errors=[f"$.{key}: missing"],
            )
        return decode(payload)

    return checked


def _endpoint(
    page_cls: type[P],
    field: str,
    *,
    path: str,
    page_param: str,
    size_param: str,
    decode: Callable[[dict[str, Any]], P],
    decode_records: Callable[[dict[str, Any]], P] | None = None,
) -> EndpointSpec[P, Any]:
    """The paging and decoding of one endpoint whose records are the page's ``field`` (the
    body's key of the same name)."""
    return EndpointSpec[P, Any](
        path=path,
        page_param=page_param,
        size_param=size_param,
        decode=_requiring(field, decode),
        decode_records=_requiring(field, decode_records or decode),
        records=operator.attrgetter(field),
        record_id=_ID,
        page_details=operator.attrgetter("page_details"),
        # ObjectNotFound ("No Data found") is documented for packages and memberships and
        # means an empty result. The sessions page documents no such error; should it ever
        # send one, it can only mean "no sessions", so all three read it the same way.
        not_found_is_empty=True,
        with_records=lambda page, records: _with_field(page, field, records),
        empty=page_cls,
    )


SESSIONS: Final = _endpoint(
    SessionsPage,
    "sessions",
    path="/v1/classes/sessions",
    page_param="page",
    size_param="size",
    decode=decode_sessions_page,
    # Record iteration never shows a page's related objects: skip decoding them.
    decode_records=decode_sessions_records,
)
PACKAGES: Final = _endpoint(
    PackagesPage,
    "packages",
    path="/v1/classes/packages",
    page_param="page",
    size_param="size",
    decode=decode_packages_page,
)
# Memberships page with their own wire names (page_number/page_size), per the seed page.
MEMBERSHIPS: Final = _endpoint(
    MembershipsPage,
    "memberships",
    path="/v1/classes/memberships",
    page_param="page_number",
    size_param="page_size",
    decode=decode_memberships_page,
)


class _Client(Protocol):
    """What the resources use of ``ZenotiClient`` (a protocol, so that this layer does not
    import the client that imports it)."""

    @property
    def max_pages(self) -> int | None: ...

    @property
    def _send(self) -> Send: ...


class ClassesAPI:
    """The ``/v1/classes`` endpoints of one client (``client.classes``)."""

    def __init__(self, client: _Client) -> None:
        self._client = client

    def _paginate(
        self,
        spec: EndpointSpec[Any, Any],
        query: _params.Query,
        page_size: object,
        start_page: object,
    ) -> Paginator[Any, Any]:
        size = _params.page_size(page_size)
        first = _params.start_page(start_page)
        return Paginator(
            self._client._send,
            spec,
            query,
            page_size=size,
            start_page=first,
            max_pages=self._client.max_pages or DEFAULT_MAX_PAGES,
        )

    def sessions(
        self,
        *,
        center_id: str | uuid.UUID,
        page_size: int = _params.DEFAULT_PAGE_SIZE,
        start_page: int = 1,
        **filters: Unpack[SessionFilters],
    ) -> Paginator[SessionsPage, Session]:
        """Class sessions of one center (``GET /v1/classes/sessions``), across all pages.

        The keywords of :class:`SessionFilters` (``start_date``, ``end_date``, ``class_id``,
        ``status``, ``filters``...) narrow the result. ``async for session in ...`` yields
        :class:`~zenoti_async.models.Session` records; ``.pages()`` yields whole
        :class:`~zenoti_async.models.SessionsPage` objects with the related classes,
        instructors, categories, rooms and levels.
        """
        query = _params.sessions_query(center_id, filters)
        return self._paginate(SESSIONS, query, page_size, start_page)

    def sessions_for_centers(
        self,
        center_ids: Iterable[str | uuid.UUID],
        *,
        max_concurrency: int = 8,
        raise_on_failure: bool = True,
        on_progress: ProgressCallback | None = None,
        page_size: int = _params.DEFAULT_PAGE_SIZE,
        **filters: Unpack[SessionFilters],
    ) -> SessionsPull:
        """Sessions of many centers at once: ``async with ... as pull: async for center_id,
        session in pull``.

        Every keyword of :meth:`sessions` except ``center_id`` and ``start_page`` applies to
        each center. All of them, and every center id, are validated before any request is
        sent. A center listed twice is pulled once. See :class:`SessionsPull` for failures,
        statistics and the ``on_progress`` rule.
        """
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
            raise TypeError(f"max_concurrency must be an int, got {type(max_concurrency).__name__}")
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be >= 1, got {max_concurrency}")
        if isinstance(center_ids, str | bytes):
            raise TypeError("center_ids must be an iterable of center ids, not a single string")
        centers = unique_centers(center_ids, lambda raw: _params.guid("center_id", raw))
        size = _params.page_size(page_size)
        narrowed = _params.session_filters_query(filters, caller="sessions_for_centers")
        return SessionsPull(
            self._client._send,
            SESSIONS,
            [(center, [("center_id", center), *narrowed]) for center in centers],
            page_size=size,
            max_pages=self._client.max_pages or DEFAULT_MAX_PAGES,
            max_concurrency=max_concurrency,
            raise_on_failure=raise_on_failure,
            on_progress=on_progress,
        )

    def packages(
        self,
        *,
        search_type: PackageSearchType | int,
        item_ids: Sequence[int | str],
        page_size: int = _params.DEFAULT_PAGE_SIZE,
        start_page: int = 1,
    ) -> Paginator[PackagesPage, Package]:
        """Packages with a benefit for the given classes or centers (``GET
        /v1/classes/packages``). "No Data found" is an empty result, not an error."""
        query = _params.packages_query(search_type=search_type, item_ids_=item_ids)
        return self._paginate(PACKAGES, query, page_size, start_page)

    def memberships(
        self,
        *,
        search_type: MembershipSearchType | int,
        item_ids: Sequence[int | str],
        page_size: int = _params.DEFAULT_PAGE_SIZE,
        start_page: int = 1,
    ) -> Paginator[MembershipsPage, Membership]:
        """Memberships with a benefit for the given classes, categories or centers (``GET
        /v1/classes/memberships``). "No Data found" is an empty result, not an error."""
        query = _params.memberships_query(search_type=search_type, item_ids_=item_ids)
        return self._paginate(MEMBERSHIPS, query, page_size, start_page)
