"""Request parameters: validation and query building (pure, no I/O, no event loop).

Every endpoint argument is checked here *before* any request is sent, and a bad one raises a
``TypeError`` (wrong kind) or ``ValueError`` (right kind, wrong value) whose message starts with
the parameter's name. The wire spelling of each kind of value (dates, booleans, id lists, the
ASP.NET indexed ``filters[i].property`` keys) is decided in exactly one function each, because
several of those formats are not publicly documented (see ZENOTI_API.md).
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Final, TypedDict, TypeVar, get_type_hints

from zenoti_async.models import MembershipSearchType, PackageSearchType, SessionStatus

#: A query string as ordered (key, value) pairs: order is kept so requests are reproducible.
Query = list[tuple[str, str]]
#: Filters as ``{property: value}`` or a sequence of ``(property, value)`` pairs (at most 5).
Filters = Mapping[str, object] | Sequence[tuple[str, object]]

MAX_PAGE_SIZE = 100  # Zenoti answers 422 above this (vendor pagination guide).
DEFAULT_PAGE_SIZE = 100  # The fewest requests for the 60 calls/min organisation budget.
MAX_FILTERS = 5  # The sessions page documents filters[0] .. filters[4].

_GUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
)
E = TypeVar("E", bound=enum.IntEnum)


# --- one function per wire format --------------------------------------------------------


def wire_date(value: date) -> str:
    # Sibling endpoints take YYYY-MM-DD; third parties observed the same on sessions.
    return value.isoformat()


def wire_bool(value: bool) -> str:
    # ASP.NET model binding parses "true"/"false" for bool parameters.
    return "true" if value else "false"


def wire_id_list(values: Sequence[str]) -> str:
    # The item_ids format is undocumented; comma-separated is the common ASP.NET choice.
    return ",".join(values)


def wire_filter_keys(index: int) -> tuple[str, str]:
    # ASP.NET indexed binding; the vendor's own generated snippet gets this wrong.
    return f"filters[{index}].property", f"filters[{index}].value"


# --- validators: each names its parameter -------------------------------------------------


def _type_name(value: object) -> str:
    return type(value).__name__


def guid(name: str, value: object) -> str:
    """A GUID as a ``str`` (32 hex digits, dashes optional) or ``uuid.UUID``.

    Sent in the canonical lower-case dashed form, whatever the caller wrote.
    """
    if isinstance(value, uuid.UUID):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a GUID string, got {_type_name(value)}")
    text = value.strip()
    if not _GUID_RE.fullmatch(text) or (text.count("-") not in (0, 4)):
        raise ValueError(
            f"{name} must be a GUID (32 hex digits, with or without dashes), got {value!r}"
        )
    return str(uuid.UUID(hex=text.replace("-", "")))


def positive_int(name: str, value: object) -> int:
    # bool is an int subclass; True as an id is always a bug in the caller's code.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {_type_name(value)}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return value


def non_empty_str(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {_type_name(value)}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def boolean(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {_type_name(value)}")
    return value


def plain_date(name: str, value: object) -> date:
    # datetime is a date subclass: refuse it, since a time (and a time zone) would be dropped
    # silently and the day could shift for an aware value.
    if isinstance(value, datetime):
        raise TypeError(
            f"{name} must be a datetime.date, got a datetime ({value!r}); pass value.date() "
            "in the center's local time zone"
        )
    if not isinstance(value, date):
        raise TypeError(
            f"{name} must be a datetime.date, got {_type_name(value)}"
            + (" (use date.fromisoformat())" if isinstance(value, str) else "")
        )
    return value


def int_enum(name: str, value: object, enum_cls: type[E]) -> E:
    """An IntEnum member, or a plain int only when it is a member's value."""
    if isinstance(value, enum_cls):
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a {enum_cls.__name__}, got {_type_name(value)}")
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(f"{m.name}={m.value}" for m in enum_cls)
        raise ValueError(f"{name} must be one of {allowed}; got {value}") from None


def page_size(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"page_size must be an int, got {_type_name(value)}")
    if not 1 <= value <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {value}")
    return value


def start_page(value: object) -> int:
    return positive_int("start_page", value)


def date_range(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError(f"end_date ({end}) must not be before start_date ({start})")


def filters(value: object) -> list[tuple[str, str]]:
    """Up to five (property, value) pairs, from a mapping or a sequence of pairs."""
    pairs: Iterable[object]
    if isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(
            "filters must be a mapping {property: value} or a sequence of (property, value) "
            f"pairs, got {_type_name(value)}"
        )
    else:
        pairs = list(value)
    result: list[tuple[str, str]] = []
    for i, pair in enumerate(pairs):
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise TypeError(f"filters[{i}] must be a (property, value) pair, got {pair!r}")
        prop, val = pair
        prop = non_empty_str(f"filters[{i}].property", prop)
        if isinstance(val, bool):
            val = wire_bool(val)
        elif isinstance(val, int | float | str | uuid.UUID):
            val = str(val)
        elif isinstance(val, date):
            val = wire_date(val)
        else:
            raise TypeError(f"filters[{i}].value must be a str, int, float, bool or date")
        result.append((prop, val))
    if len(result) > MAX_FILTERS:
        raise ValueError(f"filters accepts at most {MAX_FILTERS} pairs, got {len(result)}")
    return result


def item_ids(value: object, *, guids: bool) -> list[str]:
    """A non-empty sequence of ids (ints or strings; GUIDs when searching by center)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence | set | frozenset):
        raise TypeError(
            "item_ids must be a non-empty sequence of ids (a list), "
            f"got {_type_name(value)}" + (" (wrap a single id in a list)" if value else "")
        )
    if not value:
        raise ValueError("item_ids must not be empty")
    out: list[str] = []
    for i, item in enumerate(value):
        label = f"item_ids[{i}]"
        if guids:
            out.append(guid(label, item))
        elif isinstance(item, bool) or not isinstance(item, int | str):
            raise TypeError(f"{label} must be an int or str, got {_type_name(item)}")
        elif isinstance(item, int):
            out.append(str(positive_int(label, item)))
        else:
            text = item.strip()
            if not text or "," in text:
                raise ValueError(f"{label} must be a non-empty id without commas, got {item!r}")
            out.append(text)
    return out


# --- query builders, one per endpoint -------------------------------------------------------


# How each sessions filter goes on the wire: (parameter name, value) -> query pairs, checking
# the value first. The filters' table below names these.
WireFormat = Callable[[str, object], Query]


def _single(convert: Callable[[str, object], str]) -> WireFormat:
    return lambda name, value: [(name, convert(name, value))]


_DATE: Final = _single(lambda name, value: wire_date(plain_date(name, value)))
_ID: Final = _single(lambda name, value: str(positive_int(name, value)))
_TEXT: Final = _single(non_empty_str)
_BOOL: Final = _single(lambda name, value: wire_bool(boolean(name, value)))
_STATUS: Final = _single(lambda name, value: str(int(int_enum(name, value, SessionStatus))))
_GUID: Final = _single(guid)


def _filter_pairs(name: str, value: object) -> Query:
    query: Query = []
    for index, (prop, val) in enumerate(filters(value)):
        prop_key, value_key = wire_filter_keys(index)
        query += [(prop_key, prop), (value_key, val)]
    return query


class SessionFilters(TypedDict, total=False):
    """The optional filters of ``GET /v1/classes/sessions``, as keyword arguments of
    ``client.classes.sessions()`` and ``sessions_for_centers()``; ``None`` means "not given".

    This table is the one place the filters are spelled: the signatures (through
    ``Unpack[SessionFilters]``), the validation and the query (in this order, under these
    names, each with its wire format) all come from it.
    """

    start_date: Annotated[date | None, _DATE]
    end_date: Annotated[date | None, _DATE]
    class_id: Annotated[int | None, _ID]
    class_name: Annotated[str | None, _TEXT]
    show_in_catalog: Annotated[bool | None, _BOOL]
    status: Annotated[SessionStatus | int | None, _STATUS]
    registration_id: Annotated[int | None, _ID]
    session_id: Annotated[int | None, _ID]
    recurrence_id: Annotated[int | None, _ID]
    session_name: Annotated[str | None, _TEXT]
    guest_id: Annotated[str | uuid.UUID | None, _GUID]
    #: Up to five extra ``(property, value)`` pairs (ASP.NET ``filters[i].property``).
    filters: Annotated[Filters | None, _filter_pairs]


SESSION_FILTERS: Final[Mapping[str, WireFormat]] = {
    name: hint.__metadata__[0]
    for name, hint in get_type_hints(SessionFilters, include_extras=True).items()
}


def session_filters_query(given: Mapping[str, object], *, caller: str = "sessions") -> Query:
    """The query pairs of the sessions filters in ``given`` (``None`` values left out), in the
    table's order; a ``TypeError`` naming ``caller`` for a keyword that is not a filter."""
    for name in given:
        if name not in SESSION_FILTERS:
            raise TypeError(f"{caller}() got an unexpected keyword argument {name!r}")
    query: Query = []
    for name, wire in SESSION_FILTERS.items():
        value = given.get(name)
        if value is not None:
            query += wire(name, value)
    start, end = given.get("start_date"), given.get("end_date")
    if isinstance(start, date) and isinstance(end, date):
        date_range(start, end)
    return query


def sessions_query(center_id: object, given: Mapping[str, object]) -> Query:
    """The query of ``GET /v1/classes/sessions`` without its paging keys."""
    return [("center_id", guid("center_id", center_id)), *session_filters_query(given)]


def packages_query(*, search_type: object, item_ids_: object) -> Query:
    kind = int_enum("search_type", search_type, PackageSearchType)
    ids = item_ids(item_ids_, guids=kind is PackageSearchType.CENTER)
    return [("search_type", str(int(kind))), ("item_ids", wire_id_list(ids))]


def memberships_query(*, search_type: object, item_ids_: object) -> Query:
    kind = int_enum("search_type", search_type, MembershipSearchType)
    ids = item_ids(item_ids_, guids=kind is MembershipSearchType.CENTER)
    return [("search_type", str(int(kind))), ("item_ids", wire_id_list(ids))]
