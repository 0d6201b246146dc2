"""Parsing of the three endpoints' query strings into normalised, hashable queries.

The same parser serves the HTTP handlers and :meth:`Dataset.sessions_for`, so a test's
expected record set is computed by exactly the code that filters the served one.

Choices where the vendor's docs are silent (kept here, in one place):

* Parameter *names* are matched exactly (case-sensitive) and unknown parameters are ignored,
  so a client that misspells a name silently gets unfiltered data, as it would in production.
* An empty value (``center_id=``) counts as absent: the vendor's own URL template sends
  every parameter empty.
* For scalar parameters sent twice, the first value wins.
* ``page``/``size`` below 1 or not an integer are InvalidInput; ``size`` above 100 is the
  documented HTTP 422, checked before anything else.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from multidict import MultiDict, MultiMapping

MAX_PAGE_SIZE: Final = 100
DEFAULT_PAGE_SIZE: Final = 10
FILTER_SLOTS: Final = 5

# The session fields a ``filters[i].property`` may name: every field of the wire record.
SESSION_FIELDS: Final = (
    "id", "name", "class_id", "start_time", "end_time", "strat_time_utc", "end_time_utc",
    "price", "instructor_id", "assistant_id", "room_id", "status", "recurrence_id",
    "center_id", "center_name", "registration_id", "registration_status", "is_free_session",
    "can_book", "can_cancel", "booking_stage", "capacity", "web_capacity", "wait_listed_count",
    "occupancy", "web_occupancy", "cancel_stage", "description", "html_description",
    "available_slots", "current_waitlist_position", "can_book_status_id", "can_book_status",
    "cancellation_fee_window", "cancellation_fee", "is_instructor_substituted",
)  # fmt: skip

# Zenoti's own body codes (not HTTP statuses), from the seed pages' error tables.
CODE_INVALID_INPUT: Final = 502
CODE_MISSING_INPUT: Final = 503
CODE_NOT_FOUND: Final = 404
CODE_IO_EXCEPTION: Final = 506
CODE_INVALID_DATA: Final = 500

PACKAGES_SEARCH_TYPE_HINT: Final = "(Hint: 0: Class, 1: Center)."
MEMBERSHIPS_SEARCH_TYPE_HINT: Final = "(Hint: 0: Class, 1: Category, 2: Center)."


class InputError(Exception):
    """A request the real API answers with an ``error`` object (MissingInput/InvalidInput)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class TooManyItemsError(Exception):
    """``size``/``page_size`` above 100: the vendor's pagination guide documents HTTP 422."""


@dataclass(frozen=True, slots=True)
class Paging:
    page: int
    size: int


@dataclass(frozen=True, slots=True)
class SessionQuery:
    """Every filter of ``GET /v1/classes/sessions``, normalised (names casefolded, GUIDs dashed)."""

    center_id: str
    start_date: date | None = None
    end_date: date | None = None
    class_name: str | None = None
    class_id: int | None = None
    show_in_catalog: bool | None = None
    status: int | None = None
    registration_id: int | None = None
    session_id: int | None = None
    recurrence_id: int | None = None
    session_name: str | None = None
    guest_id: str | None = None
    filters: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ItemQuery:
    """``search_type`` plus the normalised ``item_ids`` of packages or memberships."""

    search_type: int
    item_ids: tuple[str, ...]


def normalize_guid(value: str) -> str | None:
    """Dashed lower-case form of a GUID written with or without dashes, else ``None``."""
    text = value.strip()
    if len(text) not in (32, 36, 38):
        return None
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def _first(params: MultiMapping[str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _int(params: MultiMapping[str], name: str, label: str) -> int | None:
    raw = _first(params, name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise InputError(CODE_INVALID_INPUT, f"{label} is invalid.") from None


def _date(params: MultiMapping[str], name: str, label: str) -> date | None:
    raw = _first(params, name)
    if raw is None:
        return None
    # .NET binds a DateTime from a date or a date-time; only the date part filters here.
    try:
        return datetime.fromisoformat(raw).date() if "T" in raw else date.fromisoformat(raw)
    except ValueError:
        raise InputError(CODE_INVALID_INPUT, f"{label} is invalid.") from None


def _bool(params: MultiMapping[str], name: str, label: str) -> bool | None:
    raw = _first(params, name)
    if raw is None:
        return None
    folded = raw.casefold()
    if folded in ("true", "1"):
        return True
    if folded in ("false", "0"):
        return False
    raise InputError(CODE_INVALID_INPUT, f"{label} is invalid.")


def parse_paging(params: MultiMapping[str], page_name: str, size_name: str) -> Paging:
    """The page and size under the endpoint's wire names; parsed before the query, because
    the real API checks ``size`` above 100 before anything else."""
    size = _int(params, size_name, "Page size")
    if size is not None and size > MAX_PAGE_SIZE:
        raise TooManyItemsError
    page = _int(params, page_name, "Page number")
    if page is not None and page < 1:
        raise InputError(CODE_INVALID_INPUT, "Page number is invalid.")
    if size is not None and size < 1:
        raise InputError(CODE_INVALID_INPUT, "Page size is invalid.")
    return Paging(page=page or 1, size=size or DEFAULT_PAGE_SIZE)


def filter_value_text(value: object) -> str:
    """How a session field compares in ``filters[i]``: its JSON text, casefolded."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).casefold()


def parse_session_query(params: MultiMapping[str]) -> SessionQuery:
    raw_center = _first(params, "center_id")
    if raw_center is None:
        raise InputError(CODE_MISSING_INPUT, "Center Id is not provided.")
    center_id = normalize_guid(raw_center)
    if center_id is None:
        raise InputError(CODE_INVALID_INPUT, "Center Id is invalid.")
    start = _date(params, "start_date", "Start Date")
    end = _date(params, "end_date", "End Date")
    if start is not None and end is not None and end < start:
        raise InputError(CODE_INVALID_INPUT, "End Date cannot be earlier than Start Date.")
    raw_guest = _first(params, "guest_id")
    guest_id = None
    if raw_guest is not None:
        guest_id = normalize_guid(raw_guest)
        if guest_id is None:
            raise InputError(CODE_INVALID_INPUT, "Guest Id is invalid.")
    filters: list[tuple[str, str]] = []
    for i in range(FILTER_SLOTS):
        prop = _first(params, f"filters[{i}].property")
        if prop is None:
            continue
        value = params.get(f"filters[{i}].value")
        if value is None:
            raise InputError(CODE_MISSING_INPUT, f"Filter value is not provided for {prop}.")
        filters.append((prop, value.strip().casefold()))
    class_name = _first(params, "class_name")
    session_name = _first(params, "session_name")
    class_id = _int(params, "class_id", "Class Id")
    show_in_catalog = _bool(params, "show_in_catalog", "Show In Catalog")
    status = _int(params, "status", "Status")
    registration_id = _int(params, "registration_id", "Registration Id")
    session_id = _int(params, "session_id", "Session Id")
    recurrence_id = _int(params, "recurrence_id", "Recurrence Id")
    # Checked last, after every value: the real API names a bad property only when the
    # rest of the request is valid.
    for prop, _ in filters:
        if prop not in SESSION_FIELDS:
            raise InputError(CODE_INVALID_INPUT, f"Filter property {prop} is invalid.")
    return SessionQuery(
        center_id=center_id,
        start_date=start,
        end_date=end,
        class_name=class_name.casefold() if class_name else None,
        class_id=class_id,
        show_in_catalog=show_in_catalog,
        status=status,
        registration_id=registration_id,
        session_id=session_id,
        recurrence_id=recurrence_id,
        session_name=session_name.casefold() if session_name else None,
        guest_id=guest_id,
        filters=tuple(filters),
    )


def _item_query(params: MultiMapping[str], allowed: Mapping[int, str], hint: str) -> ItemQuery:
    raw_type = _first(params, "search_type")
    if raw_type is None:
        raise InputError(CODE_MISSING_INPUT, f"Search Type is not provided. {hint}")
    try:
        search_type = int(raw_type)
    except ValueError:
        search_type = -1
    if search_type not in allowed:
        raise InputError(CODE_INVALID_INPUT, f"Search Type is invalid. {hint}")
    # The wire format is undocumented: accept one comma-separated value, repeated
    # parameters, or both at once.
    parts = [p.strip() for raw in params.getall("item_ids", []) for p in raw.split(",")]
    parts = [p for p in parts if p]
    if not parts:
        raise InputError(CODE_MISSING_INPUT, "Item Ids list is not provided.")
    kind = allowed[search_type]
    normalised: list[str] = []
    for part in parts:
        if kind == "guid":
            guid = normalize_guid(part)
            if guid is None:
                raise InputError(CODE_INVALID_INPUT, "Item Ids list is invalid.")
            normalised.append(guid)
        else:
            try:
                normalised.append(str(int(part)))
            except ValueError:
                raise InputError(CODE_INVALID_INPUT, "Item Ids list is invalid.") from None
    # Sorted and deduplicated: the order of ids does not change the result, so it must not
    # change the cache key either.
    return ItemQuery(search_type=search_type, item_ids=tuple(sorted(set(normalised))))


PACKAGE_SEARCH_TYPES: Final[Mapping[int, str]] = {0: "int", 1: "guid"}
MEMBERSHIP_SEARCH_TYPES: Final[Mapping[int, str]] = {0: "int", 1: "int", 2: "guid"}


def parse_package_query(params: MultiMapping[str]) -> ItemQuery:
    return _item_query(params, PACKAGE_SEARCH_TYPES, PACKAGES_SEARCH_TYPE_HINT)


def parse_membership_query(params: MultiMapping[str]) -> ItemQuery:
    return _item_query(params, MEMBERSHIP_SEARCH_TYPES, MEMBERSHIPS_SEARCH_TYPE_HINT)


def to_params(pairs: Iterable[tuple[str, object]]) -> MultiDict[str]:
    """Python values as the query strings a client would send (for the dataset's helpers)."""
    out: MultiDict[str] = MultiDict()
    for key, value in pairs:
        if value is None:
            continue
        if isinstance(value, bool):
            out.add(key, "true" if value else "false")
        elif isinstance(value, date | datetime):
            out.add(key, value.isoformat())
        elif isinstance(value, list | tuple | set | frozenset):
            out.add(key, ",".join(str(v) for v in value))
        else:
            out.add(key, str(value))
    return out
