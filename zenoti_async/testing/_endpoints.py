"""The mock's endpoint table: one row per endpoint of the classes API.

Routing, paging, rendering, fault matching and drift read the row; nothing else in the mock
knows an endpoint by name, so serving a fourth endpoint is one more row (plus its query
parser and dataset query) and an unknown name is an error, never a silent default.

What differs between the three endpoints, and why it is data here:

* wire page names: sessions and packages page with ``page``/``size``, memberships with
  ``page_number``/``page_size`` (the vendor's pages say so);
* the envelope: sessions carry the related objects and ``opening_time`` around the list and
  put ``error`` last; packages and memberships put ``error`` first;
* the empty policy: an empty sessions page is an empty list, an empty packages or
  memberships page is ObjectNotFound (404, "No Data found.");
* what drift mutates: a center's sessions, or the organisation's package/membership list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Generic, Literal, TypeVar

from multidict import MultiMapping

from zenoti_async.testing._dataset import MIN_DATE, Dataset, Wire
from zenoti_async.testing._query import (
    ItemQuery,
    SessionQuery,
    normalize_guid,
    parse_membership_query,
    parse_package_query,
    parse_session_query,
)
from zenoti_async.testing._select import select_items, select_sessions

__all__ = ["API_PREFIX", "ENDPOINTS", "ENDPOINT_NAMES", "Endpoint", "endpoint_named"]

API_PREFIX: Final = "/v1/classes/"

Q = TypeVar("Q")
EmptyPolicy = Literal["empty_list", "not_found"]
DriftAction = Literal["delete", "insert"]
# (present, value) of page_details: "missing" leaves the key out, "null" writes null.
PageDetailsEntry = tuple[bool, dict[str, int] | None]


@dataclass(frozen=True, slots=True)
class Endpoint(Generic[Q]):
    """Everything the mock knows about one endpoint."""

    name: str
    """The path segment, and the key of the record list in the body."""
    page_param: str
    size_param: str
    parse_query: Callable[[MultiMapping[str]], Q]
    """The endpoint's filters as a hashable query (raises ``InputError``)."""
    rows: Callable[[Dataset, Q], list[Wire]]
    """Every record the query matches, in served order (shared dicts: never mutated)."""
    body: Callable[[Dataset, Q, list[Wire], PageDetailsEntry], Wire]
    """The 200 envelope around one page of rows."""
    error_envelope: Callable[[Wire], Wire]
    """The envelope around Zenoti's ``error`` object, with null collections."""
    empty_page: EmptyPolicy
    version: Callable[[Dataset, Q], int]
    """Changes whenever drift changes what ``rows`` returns (part of the cache key)."""
    drift: Callable[[Dataset, Q, DriftAction, Any], None]
    center_param: str | None = None
    """The query parameter naming a center, for fault rules that match ``center_id``."""

    @property
    def path(self) -> str:
        return f"{API_PREFIX}{self.name}"

    def page_param_value(self, params: MultiMapping[str]) -> int | None:
        """The page a request asks for, as fault rules match it (absent: 1; junk: None)."""
        raw = params.get(self.page_param)
        if raw is None or not raw.strip():
            return 1
        try:
            return int(raw)
        except ValueError:
            return None

    def center_of(self, params: MultiMapping[str]) -> str | None:
        if self.center_param is None:
            return None
        raw = params.get(self.center_param)
        return normalize_guid(raw) if raw else None


# ---------------------------------------------------------------------- sessions


def _sessions_body(
    dataset: Dataset, query: SessionQuery, rows: list[Wire], details: PageDetailsEntry
) -> Wire:
    body: Wire = {"sessions": rows}
    body.update(dataset.related_objects(query.center_id, rows))
    body["opening_time"] = dataset.opening_time(query)
    present, value = details
    if present:
        body["page_details"] = value
    body["error"] = None
    return body


def _sessions_error(error: Wire) -> Wire:
    return {
        "sessions": None,
        "classes": None,
        "instructors": None,
        "categories": None,
        "rooms": None,
        "levels": None,
        "opening_time": MIN_DATE,
        "page_details": None,
        "error": error,
    }


def _sessions_drift(dataset: Dataset, query: SessionQuery, action: DriftAction, id_: Any) -> None:
    if action == "delete":
        dataset.delete_session(query.center_id, id_)
    else:
        dataset.insert_session_before(query.center_id, id_)


# ---------------------------------------------------------------------- packages, memberships


def _item_endpoint(
    name: str,
    page_param: str,
    size_param: str,
    parse_query: Callable[[MultiMapping[str]], ItemQuery],
) -> Endpoint[ItemQuery]:
    def body(
        dataset: Dataset, query: ItemQuery, page: list[Wire], details: PageDetailsEntry
    ) -> Wire:
        out: Wire = {"error": None, name: page}
        present, value = details
        if present:
            out["page_details"] = value
        return out

    def error_envelope(error: Wire) -> Wire:
        return {"error": error, name: None, "page_details": None}

    def drift(dataset: Dataset, query: ItemQuery, action: DriftAction, id_: Any) -> None:
        if action == "delete":
            dataset.delete_item(name, id_)
        else:
            dataset.insert_item_before(name, id_)

    return Endpoint(
        name=name,
        page_param=page_param,
        size_param=size_param,
        parse_query=parse_query,
        rows=lambda dataset, query: select_items(dataset, name, query),
        body=body,
        error_envelope=error_envelope,
        empty_page="not_found",
        version=lambda dataset, _query: dataset.org_version,
        drift=drift,
    )


ENDPOINTS: Final[Mapping[str, Endpoint[Any]]] = {
    row.name: row
    for row in (
        Endpoint(
            name="sessions",
            page_param="page",
            size_param="size",
            parse_query=parse_session_query,
            rows=select_sessions,
            body=_sessions_body,
            error_envelope=_sessions_error,
            empty_page="empty_list",
            version=lambda dataset, query: dataset.center_version(query.center_id),
            drift=_sessions_drift,
            center_param="center_id",
        ),
        _item_endpoint("packages", "page", "size", parse_package_query),
        _item_endpoint(
            "memberships",
            "page_number",
            "page_size",
            parse_membership_query,
        ),
    )
}
ENDPOINT_NAMES: Final = tuple(ENDPOINTS)
_BY_PATH: Final = {row.path: row for row in ENDPOINTS.values()}


def endpoint_named(name: str) -> Endpoint[Any]:
    """The row of ``name``; a ``ValueError`` naming it (and the known ones) otherwise."""
    try:
        return ENDPOINTS[name]
    except KeyError:
        raise ValueError(
            f"unknown endpoint {name!r}: the mock serves {', '.join(ENDPOINT_NAMES)}"
        ) from None


def endpoint_at(path: str) -> Endpoint[Any] | None:
    """The row served at ``path``, or ``None`` (the router answers 404 or 405)."""
    return _BY_PATH.get(path)
