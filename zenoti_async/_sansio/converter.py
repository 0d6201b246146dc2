"""JSON <-> models: the only module that knows the wire.

Renames of the vendor's typos, alias keys spelled by sibling endpoints, date parsing, lenient
numbers, the unknown-key policy and the ``page_details`` guesswork all live here, so that
``zenoti_async.models`` stays plain attrs classes.

Two structuring paths, one meaning:

* The fast path is a function per model class, generated once at import from the class's
  fields. It inlines the common case (the value already has the documented JSON type) and
  calls the shared ``_to_*`` coercers for everything else. Any exception in it hands the
  input to the reference path, so it only has to be right when it succeeds: it must never
  accept input the reference path rejects, nor produce a different value (the tests check
  both on generated payloads).
* The reference path is cattrs' ``make_dict_structure_fn`` with ``detailed_validation=True``
  and the same coercers as per-field hooks. It only runs when the fast path raised: if it
  succeeds, its result is returned; if it fails, cattrs' ``transform_error`` turns the
  exception tree into the paths of ``DecodeError.errors``.

Paths name the model's attributes, which are the wire keys except for the renamed typos
(``start_time_utc`` for ``strat_time_utc`` and the three others in ``_WIRE_KEYS``).
"""

from __future__ import annotations

import operator
import re
import types
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from enum import IntEnum
from typing import Any, Final, Union, get_args, get_origin

import attrs
from attrs import AttrsInstance
from cattrs import Converter
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, override
from cattrs.v import transform_error

from zenoti_async._errors import DecodeError
from zenoti_async.models import (
    Category,
    ClassInfo,
    ErrorInfo,
    Instructor,
    Level,
    Membership,
    MembershipsPage,
    Package,
    PackagesPage,
    PageDetails,
    PriceDetails,
    Room,
    Session,
    SessionsPage,
)

__all__ = [
    "PAGE_DETAILS_ALIASES",
    "decode_memberships_page",
    "decode_packages_page",
    "decode_page_details",
    "decode_sessions_page",
    "decode_sessions_records",
    "to_wire",
]

_UTC: Final = UTC
_NoneType: Final = type(None)

# --------------------------------------------------------------------------------------------
# Wire vocabulary: every key that differs from the attribute name, in one place.

#: Attribute -> the seed's spelling, which is what the server is documented to send and what
#: ``to_wire`` emits.
_WIRE_KEYS: Final[Mapping[tuple[type, str], str]] = {
    (Session, "start_time_utc"): "strat_time_utc",
    (Package, "bundled_product_price_check"): "bundled_product_priceCheck",
    (Membership, "is_recurring_membership"): "is_recurrring_membership",
    (Membership, "terms_and_conditions_acceptance"): "terms_and_conditionsAcceptance",
}

#: Other spellings, read in this order when the seed's key is missing or null. They come from
#: sibling endpoints (center packages/memberships), which spell the typos right, name the price
#: object differently and use ``{currency_id, sales, tax, final}`` inside it.
_ALIAS_KEYS: Final[Mapping[tuple[type, str], tuple[str, ...]]] = {
    (Session, "start_time_utc"): ("start_time_utc",),
    (Package, "bundled_product_price_check"): ("bundled_product_price_check",),
    (Package, "price"): ("price_details",),
    (Package, "description_html"): ("html_description",),
    (Membership, "is_recurring_membership"): ("is_recurring_membership",),
    (Membership, "terms_and_conditions_acceptance"): ("terms_and_conditions_acceptance",),
    (Membership, "price_details"): ("price",),
    (Membership, "description_html"): ("html_description",),
    (Membership, "frequency_text"): ("payment_frequency",),
    (PriceDetails, "currency_code"): ("currency_id",),
    (PriceDetails, "sale_price"): ("sales",),
    (PriceDetails, "sale_tax"): ("tax",),
    (PriceDetails, "final_price"): ("final",),
    # Every other Zenoti endpoint pages with `page_info` (`page_Info` on /v1/guests).
    (SessionsPage, "page_details"): ("page_info", "page_Info"),
    (PackagesPage, "page_details"): ("page_info", "page_Info"),
    (MembershipsPage, "page_details"): ("page_info", "page_Info"),
}

#: Fields documented as ``guid``: strings only, kept exactly as received (dashed or not).
#: Other ``str`` fields accept a JSON number and keep its text.
_GUID_FIELDS: Final[frozenset[tuple[type, str]]] = frozenset(
    {
        (Session, "instructor_id"),
        (Session, "assistant_id"),
        (Session, "room_id"),
        (Session, "center_id"),
        (Instructor, "id"),
        (Room, "id"),
        (Package, "id"),
        (Membership, "id"),
        (Membership, "version_id"),
    }
)

#: ``page_details`` field -> the spellings it may arrive under. Its real keys are not public;
#: matching ignores case and underscores (``totalRecords`` == ``total_records``), and the
#: first spelling present with a usable value wins. The paginator and the docs point here.
PAGE_DETAILS_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "total_records": (
        "total_records",
        "total",
        "total_count",
        "totalRecords",
        "record_count",
        "count",
    ),
    "total_pages": ("total_pages", "page_count", "pages", "totalPages", "number_of_pages"),
    "page_size": ("page_size", "size", "pageSize", "per_page"),
    "page": ("page", "page_number", "pageNumber", "current_page"),
}


def _fold_key(key: str) -> str:
    return key.replace("_", "").replace("-", "").lower()


# Folded spelling -> (field, rank): the rank keeps the table's order of preference.
_PAGE_DETAILS_LOOKUP: Final[Mapping[str, tuple[str, int]]] = {
    _fold_key(spelling): (field, rank)
    for field, spellings in PAGE_DETAILS_ALIASES.items()
    for rank, spelling in reversed(list(enumerate(spellings)))
}


# --------------------------------------------------------------------------------------------
# Coercers: one per documented type, shared by both paths. Each takes the raw JSON value
# (never missing: a missing key is handled by the caller) and returns the field's value or
# raises _WireError with a message fit for DecodeError.errors.


class _WireError(ValueError):
    """A value that does not fit its field; ``str()`` is the user-facing description."""


def _show(value: object) -> str:
    # Never repr a container: a 100k-deep list would raise RecursionError right here.
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = repr(value[:60])
        return text if len(value) <= 60 else text + "..."
    if isinstance(value, int):
        digits = value.bit_length() * 0.30103
        return f"an integer of about {digits:.0f} digits" if digits > 40 else repr(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__}"


# Numbers inside strings ("100", "12.5"): plain decimal notation only. Python's int()/float()
# would also take "1_000", "nan", "infinity" and full-width digits, none of which is JSON.
_INT_TEXT: Final = re.compile(r"[+-]?[0-9]+(?:\.0*)?", re.ASCII)
_FLOAT_TEXT: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


_EXACT_FLOAT_INT: Final = 2**53


def _to_int(value: object, _type: object = None) -> int | None:
    if value is None or value.__class__ is int:
        return value
    if isinstance(value, bool):
        raise _WireError(f"expected an integer, got {_show(value)}")
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        # Past 2**53 a float no longer holds every integer: orjson reads integers beyond 64
        # bits as floats, so 123456789012345678901234567890 would become a different id.
        if value.is_integer() and abs(value) <= _EXACT_FLOAT_INT:
            return int(value)
        if value.is_integer():
            raise _WireError(f"integer {_show(value)} is beyond 2**53, where a float is inexact")
        raise _WireError(f"expected an integer, got {_show(value)} (never truncated)")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if _INT_TEXT.fullmatch(text):
            whole = text.partition(".")[0]
            try:
                return int(whole)
            except ValueError:  # over sys.get_int_max_str_digits()
                raise _WireError(f"integer text too long: {_show(value)}") from None
        raise _WireError(f"expected an integer, got {_show(value)}")
    raise _WireError(f"expected an integer, got {_show(value)}")


def _to_float(value: object, _type: object = None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _WireError(f"expected a number, got {_show(value)}")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise _WireError(f"number out of range: {_show(value)}") from None
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not _FLOAT_TEXT.fullmatch(text):
            raise _WireError(f"expected a number, got {_show(value)}")
        number = float(text)
    else:
        raise _WireError(f"expected a number, got {_show(value)}")
    if number - number != 0.0:  # inf or nan: JSON has neither
        raise _WireError(f"expected a finite number, got {_show(value)}")
    return number


def _to_bool(value: object, _type: object = None) -> bool | None:
    if value is None or value.__class__ is bool:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return value == 1
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
    raise _WireError(f"expected a boolean, got {_show(value)}")


def _to_str(value: object, _type: object = None) -> str | None:
    if value is None or value.__class__ is str:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and value - value != 0.0:
            raise _WireError(f"expected a string, got {_show(value)}")
        try:
            return str(value)
        except ValueError:  # an int over sys.get_int_max_str_digits()
            raise _WireError(f"expected a string, got {_show(value)}") from None
    raise _WireError(f"expected a string, got {_show(value)}")


def _to_guid(value: object, _type: object = None) -> str | None:
    if value is None or value.__class__ is str:
        return value
    if isinstance(value, str):
        return str(value)
    raise _WireError(f"expected a GUID string, got {_show(value)}")


_fromisoformat: Final = datetime.fromisoformat
_DATETIME_TEXT: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,7}))?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?)?",
    re.ASCII,
)


def _parse_datetime(text: str) -> datetime | None:
    """Parse Zenoti's datetime text; ``None`` for .NET's ``DateTime.MinValue``.

    Accepted: ``YYYY-MM-DD``, then optionally ``THH:MM:SS``, 1 to 7 fractional digits and
    ``Z`` or ``+HH:MM``. Fractions beyond microseconds are truncated, not rounded, so a value
    never moves into the next second (or day). The exact 19-character form, by far the most
    common, goes straight to ``datetime.fromisoformat`` (the separator test keeps out the
    week dates and basic forms fromisoformat also accepts).
    """
    if len(text) == 19 and text[7:17:3] == "-T::" and text[0] != "0":
        try:
            return _fromisoformat(text)
        except ValueError:
            raise _WireError(f"invalid datetime {_show(text)}") from None
    match = _DATETIME_TEXT.fullmatch(text)
    if match is None:
        raise _WireError(f"invalid datetime {_show(text)}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    parts = (int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    if parts == (1, 1, 1, 0, 0, 0) and micro == 0:
        return None
    try:
        if offset is None:
            tz = None
        elif offset == "Z":
            tz = _UTC
        else:
            sign = -1 if offset[0] == "-" else 1
            delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
            tz = timezone(sign * delta) if delta else _UTC
        return datetime(*parts, micro, tzinfo=tz)
    except ValueError:
        raise _WireError(f"invalid datetime {_show(text)}") from None


def _to_datetime(value: object, _type: object = None) -> datetime | None:
    """Center-local field: naive when the wire has no offset (it normally has none)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _WireError(f"expected a datetime string, got {_show(value)}")
    if not value.strip():
        return None
    return _parse_datetime(str(value))


def _to_utc_datetime(value: object, _type: object = None) -> datetime | None:
    """``*_utc`` field: always aware UTC; a naive wire value is UTC by the field's contract."""
    moment = _to_datetime(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=_UTC)
    if moment.tzinfo is not _UTC:
        try:
            return moment.astimezone(_UTC)
        except OverflowError:  # 0001-01-01T00:30:00+01:00 has no UTC value
            raise _WireError(f"datetime out of range in UTC: {_show(value)}") from None
    return moment


def _enum_coercer(members: Mapping[int, IntEnum]) -> Callable[[object, object], object]:
    def to_enum(value: object, _type: object = None) -> object:
        number = _to_int(value)
        # An unknown value stays a plain int: the vendor adds enum values over time.
        return None if number is None else members.get(number, number)

    return to_enum


def _to_str_dict(value: object, _type: object = None) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _WireError(f"expected an object, got {_show(value)}")
    result: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise _WireError(f"expected string keys, got {_show(key)}")
        if item is None:
            continue  # a size without an image: dropped rather than kept as null
        try:
            result[key] = _to_str(item)  # type: ignore[assignment]  # item is not None
        except _WireError as exc:
            raise _WireError(f"{exc} for key {_show(key)}") from None
    return result


def _advisory_int(value: object) -> int | None:
    # page_details is advisory (the paginator tracks pages itself): unusable means None.
    try:
        number = _to_int(value)
    except _WireError:
        return None
    return number if number is not None and number >= 0 else None


_CANONICAL_DETAILS: Final = operator.itemgetter("total_records", "total_pages", "page", "page_size")


def decode_page_details(raw: object) -> PageDetails | None:
    """Normalize a ``page_details`` object; never raises.

    ``None`` when it is missing, null or not an object. Keys are matched through
    ``PAGE_DETAILS_ALIASES``; a value that is not a non-negative integer (or integer text)
    becomes ``None``.
    """
    if raw.__class__ is dict and len(raw) == 4:
        # This SDK's own spelling with plain non-negative ints (the mock's, and what to_wire
        # writes): the table below would find the same, at about ten times the cost a page.
        try:
            total_records, total_pages, page, page_size = _CANONICAL_DETAILS(raw)
        except KeyError:
            pass
        else:
            if (
                total_records.__class__ is int
                and total_pages.__class__ is int
                and page.__class__ is int
                and page_size.__class__ is int
                and min(total_records, total_pages, page, page_size) >= 0
            ):
                return PageDetails(total_records, total_pages, page, page_size)
    if not isinstance(raw, dict):
        return None
    found: dict[str, tuple[int, int]] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            continue
        entry = _PAGE_DETAILS_LOOKUP.get(_fold_key(key))
        if entry is None:
            continue
        number = _advisory_int(value)
        if number is None:
            continue
        field, rank = entry
        if field not in found or rank < found[field][0]:
            found[field] = (rank, number)
    return PageDetails(
        total_records=found["total_records"][1] if "total_records" in found else None,
        total_pages=found["total_pages"][1] if "total_pages" in found else None,
        page=found["page"][1] if "page" in found else None,
        page_size=found["page_size"][1] if "page_size" in found else None,
    )


_LEADING_CODE: Final = re.compile(r"\s*([0-9]{1,9})")


def _to_error_info(value: object, _type: object = None) -> ErrorInfo | None:
    """Zenoti's ``error`` object, decoded without ever failing.

    It is diagnostic: a malformed one must not hide the API's answer behind a DecodeError.
    A bare string becomes the message; a code like ``"502 - InvalidInput"`` keeps its number.
    """
    if isinstance(value, str):
        return ErrorInfo(code=None, message=value)
    if not isinstance(value, dict):
        return None
    code_raw = value.get("code")
    if code_raw is None:
        code_raw = value.get("StatusCode")
    message_raw = value.get("message")
    if message_raw is None:
        message_raw = value.get("Message")
    try:
        code = _to_int(code_raw)
    except _WireError:
        match = _LEADING_CODE.match(code_raw) if isinstance(code_raw, str) else None
        code = int(match.group(1)) if match else None
    try:
        message = _to_str(message_raw)
    except _WireError:
        message = None
    return ErrorInfo(code=code, message=message)


# --------------------------------------------------------------------------------------------
# Field table, derived once from the models' annotations.


@attrs.frozen
class _Field:
    name: str
    wire: str
    aliases: tuple[str, ...]
    kind: str  # int float bool str guid dt dt_utc enum dict obj list page_details error
    target: Any = None  # the enum, nested class or list item class


_SIMPLE_KINDS: Final[Mapping[type, str]] = {
    int: "int",
    float: "float",
    bool: "bool",
    str: "str",
}


def _field_kind(cls: type, name: str, annotation: Any) -> tuple[str, Any]:
    origin = get_origin(annotation)
    if origin is list:
        return "list", get_args(annotation)[0]
    members = [a for a in get_args(annotation) if a is not _NoneType]
    if origin not in (Union, types.UnionType) or not members:
        raise TypeError(f"{cls.__name__}.{name}: unsupported annotation {annotation!r}")
    first = members[0]
    if isinstance(first, type) and issubclass(first, IntEnum):
        return "enum", first
    if len(members) != 1:
        raise TypeError(f"{cls.__name__}.{name}: unsupported annotation {annotation!r}")
    if first is str and (cls, name) in _GUID_FIELDS:
        return "guid", None
    if first in _SIMPLE_KINDS:
        return _SIMPLE_KINDS[first], None
    if first is datetime:
        return ("dt_utc" if name.endswith("_utc") else "dt"), None
    if get_origin(first) is dict:
        return "dict", None
    if first is PageDetails:
        return "page_details", PageDetails
    if first is ErrorInfo:
        return "error", ErrorInfo
    if attrs.has(first):
        return "obj", first
    raise TypeError(f"{cls.__name__}.{name}: unsupported annotation {annotation!r}")


def _fields_of(cls: type) -> tuple[_Field, ...]:
    result = []
    for attribute in attrs.fields(cls):
        kind, target = _field_kind(cls, attribute.name, attribute.type)
        result.append(
            _Field(
                name=attribute.name,
                wire=_WIRE_KEYS.get((cls, attribute.name), attribute.name),
                aliases=_ALIAS_KEYS.get((cls, attribute.name), ()),
                kind=kind,
                target=target,
            )
        )
    return tuple(result)


_RECORD_CLASSES: Final = (
    Session,
    ClassInfo,
    Instructor,
    Category,
    Room,
    Level,
    PriceDetails,
    Package,
    Membership,
)
_PAGE_CLASSES: Final = (SessionsPage, PackagesPage, MembershipsPage)
_FIELDS: Final[Mapping[type, tuple[_Field, ...]]] = {
    cls: _fields_of(cls) for cls in (PageDetails, ErrorInfo, *_RECORD_CLASSES, *_PAGE_CLASSES)
}


def _page_details_hook(value: object, _type: object = None) -> PageDetails | None:
    return decode_page_details(value)


_COERCERS: Final[Mapping[str, Callable[[object, object], object]]] = {
    "int": _to_int,
    "float": _to_float,
    "bool": _to_bool,
    "str": _to_str,
    "guid": _to_guid,
    "dt": _to_datetime,
    "dt_utc": _to_utc_datetime,
    "dict": _to_str_dict,
    "page_details": _page_details_hook,
    "error": _to_error_info,
}


def _not_an_object(value: object) -> _WireError:
    return _WireError(f"expected an object, got {_show(value)}")


def _not_an_array(value: object) -> _WireError:
    return _WireError(f"expected an array, got {_show(value)}")


# --------------------------------------------------------------------------------------------
# Fast path: generated source per class.

_Structure = Callable[[object], Any]

# The inline test is the common case of the coercer named after it; anything else goes to
# the coercer, which has the final word. `{v}` is the local holding the raw value.
_INLINE: Final[Mapping[str, str]] = {
    "int": "if {v}.__class__ is not int and {v} is not None: {v} = _to_int({v})",
    "float": (
        "if ({v}.__class__ is not float or {v} - {v} != 0.0) and {v} is not None:"
        " {v} = _to_float({v})"
    ),
    "bool": "if {v}.__class__ is not bool and {v} is not None: {v} = _to_bool({v})",
    "str": "if {v}.__class__ is not str and {v} is not None: {v} = _to_str({v})",
    "guid": "if {v}.__class__ is not str and {v} is not None: {v} = _to_guid({v})",
    "dt": (
        "if {v} is not None:\n"
        "    if len({v}) == 19 and {v}[7:17:3] == '-T::' and {v}[0] != '0':\n"
        "        {v} = _fromisoformat({v})\n"
        "    else:\n"
        "        {v} = _to_datetime({v})"
    ),
    "dt_utc": (
        "if {v} is not None:\n"
        "    if len({v}) == 19 and {v}[7:17:3] == '-T::' and {v}[0] != '0':\n"
        "        {v} = _fromisoformat({v} + '+00:00')\n"
        "    else:\n"
        "        {v} = _to_utc_datetime({v})"
    ),
    "enum": (
        "if {v} is not None:\n"
        "    {v} = {h}.get({v}, {v}) if {v}.__class__ is int else {h}_coerce({v})"
    ),
    "dict": "if {v} is not None: {v} = _to_str_dict({v})",
    "obj": "if {v} is not None: {v} = {h}({v})",
    "list": (
        "if {v} is None:\n"
        "    {v} = []\n"
        "elif {v}.__class__ is list:\n"
        "    {v} = [{h}(item) for item in {v}]\n"
        "else:\n"
        "    raise _not_an_array({v})"
    ),
    "page_details": "{v} = decode_page_details({v})",
    "error": "if {v} is not None: {v} = _to_error_info({v})",
}


def _make_fast(
    cls: type,
    fast: Mapping[type, _Structure],
    *,
    allow_builder: bool = True,
    skip: frozenset[str] = frozenset(),
) -> _Structure:
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_fromisoformat": _fromisoformat,
        "_not_an_array": _not_an_array,
        "decode_page_details": decode_page_details,
        "_to_error_info": _to_error_info,
        "_to_str_dict": _to_str_dict,
        "_to_int": _to_int,
        "_to_float": _to_float,
        "_to_bool": _to_bool,
        "_to_str": _to_str,
        "_to_guid": _to_guid,
        "_to_datetime": _to_datetime,
        "_to_utc_datetime": _to_utc_datetime,
    }
    all_fields = _FIELDS[cls]
    names = [f"v{index}" for index in range(len(all_fields))]
    # Skipped fields are not read from the input: each gets its default (every model field
    # defaults to None, or to a fresh empty list).
    read = [(v, f) for v, f in zip(names, all_fields, strict=True) if f.name not in skip]
    read_names = [v for v, _ in read]
    # One itemgetter call fetches every documented key at C speed when all are present, as
    # they are in a well-formed response; a missing key falls back to one get() per key.
    namespace["_getter"] = operator.itemgetter(*(field.wire for _, field in read))
    unpack = f"{read_names[0]}," if len(read_names) == 1 else ", ".join(read_names)
    # No type test on `o`: itemgetter raises TypeError for every JSON value but an object,
    # and any exception sends the input to the reference path, which reports it.
    lines = [
        "def structure(o):",
        "    try:",
        f"        {unpack} = _getter(o)",
        "    except KeyError:",
        "        g = o.get",
        *(f"        {v} = g({field.wire!r})" for v, field in read),
    ]
    for v, field in zip(names, all_fields, strict=True):
        if field.name in skip:
            lines.append(f"    {v} = {'[]' if field.kind == 'list' else 'None'}")
    for v, field in read:
        h = f"h{v[1:]}"
        for alias in field.aliases:
            lines.append(f"    if {v} is None:")
            lines.append(f"        {v} = o.get({alias!r})")
        if field.kind == "enum":
            namespace[h] = {member.value: member for member in field.target}
            namespace[f"{h}_coerce"] = _enum_coercer(namespace[h])
        elif field.kind in ("obj", "list"):
            namespace[h] = fast[field.target]
        code = _INLINE[field.kind].format(v=v, h=h)
        lines.extend("    " + line for line in code.splitlines())
    builder = _builder_for(cls) if allow_builder else None
    if builder is None:
        lines.append(f"    return _cls({', '.join(names)})")
    else:
        namespace["_new"] = object.__new__
        namespace["_builder"] = builder
        lines.append("    o = _new(_builder)")
        lines.extend(
            f"    o.{field.name} = {v}" for v, field in zip(names, all_fields, strict=True)
        )
        lines.append("    o.__class__ = _cls")
        lines.append("    return o")
    source = "\n".join(lines)
    # The source is built from the models' own field names and the constant tables above,
    # never from input; generating it beats per-field hook calls by a wide margin.
    exec(compile(source, f"<zenoti_async fast structure {cls.__name__}>", "exec"), namespace)  # noqa: S102
    structure: _Structure = namespace["structure"]
    if builder is not None:
        # Proof on this interpreter that the built instance is a normal instance of `cls`.
        probe = structure({})
        if type(probe) is not cls or probe != cls():
            return _make_fast(cls, fast, allow_builder=False, skip=skip)
    return structure


def _builder_for(cls: type) -> type | None:
    """A subclass that lets the fast path build a frozen instance at plain-slot speed.

    attrs' frozen ``__init__`` stores each field through ``object.__setattr__`` (about 60 ns a
    field, more than half the decode time of a session). The fast path instead fills a
    subclass that adds no slots and keeps the normal ``__setattr__``, then sets ``__class__``
    to the model: the instance is an ordinary frozen ``cls`` afterwards. This skips
    ``__init__``, so it is only used when ``__init__`` does nothing else: no validators, no
    converters, no pre/post-init hook, no slot other than the fields (all of which the fast
    path sets).
    """
    if "__setattr__" not in vars(cls):
        return None  # a mutable model: its own __init__ is already as fast
    fields = attrs.fields(cls)
    slots = {name for klass in cls.__mro__ for name in vars(klass).get("__slots__", ())}
    if (
        slots - {"__weakref__"} != {a.name for a in fields}  # e.g. attrs' cached-hash slot
        or hasattr(cls, "__attrs_post_init__")
        or hasattr(cls, "__attrs_pre_init__")
        or any(a.validator or a.converter or not a.init for a in fields)
    ):
        return None
    # Both __setattr__ and __delattr__ must be object's: they share one type slot, and only
    # then does CPython specialise the stores.
    return type(
        f"_{cls.__name__}Builder",
        (cls,),
        {
            "__slots__": (),
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            "__module__": __name__,
        },
    )


_FAST: Final[dict[type, _Structure]] = {}
for _cls in (*_RECORD_CLASSES, *_PAGE_CLASSES):  # nested classes come first in both tuples
    _FAST[_cls] = _make_fast(_cls, _FAST)

#: A sessions page's objects other than its records: only ``.pages()`` shows them.
_RELATED: Final = frozenset({"classes", "instructors", "categories", "rooms", "levels"})
#: Record iteration skips the related objects: a third of a page's objects, never yielded.
_FAST_RECORDS_ONLY: Final = _make_fast(SessionsPage, _FAST, skip=_RELATED)


# --------------------------------------------------------------------------------------------
# Reference path: cattrs with detailed validation, for the paths of DecodeError.errors.

_converter: Final = Converter(detailed_validation=True)
_DETAILED: Final[dict[type, _Structure]] = {}


def _detailed_list(item_type: type) -> Callable[[object, object], list[Any]]:
    item = _DETAILED[item_type]

    def structure_list(value: object, _type: object = None) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise _not_an_array(value)
        result: list[Any] = []
        errors: list[Exception] = []
        for index, element in enumerate(value):
            try:
                result.append(item(element))
            except Exception as exc:  # noqa: BLE001  # collected for transform_error
                exc.add_note(IterableValidationNote(f"@ index {index}", index, item_type))
                errors.append(exc)
        if errors:
            raise IterableValidationError(
                f"While structuring list[{item_type.__name__}]", errors, list
            )
        return result

    return structure_list


def _optional(structure: _Structure) -> Callable[[object, object], object]:
    def structure_optional(value: object, _type: object = None) -> object:
        return None if value is None else structure(value)

    return structure_optional


# make_dict_structure_fn's keyword overrides share **kwargs with its boolean options, which
# mypy cannot tell apart; this alias states what is passed.
_make_dict_structure_fn: Final[Callable[..., Callable[[Mapping[str, Any]], Any]]] = (
    make_dict_structure_fn
)


def _make_detailed(cls: type) -> _Structure:
    overrides: dict[str, Any] = {}
    aliases: list[tuple[str, tuple[str, ...]]] = []
    for field in _FIELDS[cls]:
        hook: Callable[[object, object], object]
        if field.kind == "enum":
            hook = _enum_coercer({member.value: member for member in field.target})
        elif field.kind == "obj":
            hook = _optional(_DETAILED[field.target])
        elif field.kind == "list":
            hook = _detailed_list(field.target)
        else:
            hook = _COERCERS[field.kind]
        overrides[field.name] = override(rename=field.wire, struct_hook=hook)
        if field.aliases:
            aliases.append((field.wire, field.aliases))
    generated = _make_dict_structure_fn(
        cls, _converter, _cattrs_forbid_extra_keys=False, **overrides
    )

    def structure(value: object, _type: object = None) -> Any:
        if not isinstance(value, dict):
            raise _not_an_object(value)
        if aliases:
            value = dict(value)
            for wire, alternatives in aliases:
                if value.get(wire) is None:
                    for alternative in alternatives:
                        if value.get(alternative) is not None:
                            value[wire] = value[alternative]
                            break
        return generated(value)

    return structure


for _cls in (*_RECORD_CLASSES, *_PAGE_CLASSES):
    _DETAILED[_cls] = _make_detailed(_cls)


# Between the description and cattrs' " @ path": a byte no description contains (values are
# shown through repr, which escapes it), so splitting cannot be fooled by the payload.
_MARK: Final = "\x00"


def _describe(exc: BaseException, _type: object) -> str:
    if isinstance(exc, _WireError):
        text = str(exc)
    elif isinstance(exc, RecursionError):
        text = "nested too deeply"
    else:
        text = f"{type(exc).__name__}: {repr(str(exc))[1:-1][:200]}"
    return text + _MARK


def _error_paths(exc: BaseException) -> list[str]:
    try:
        lines = transform_error(exc, "$", _describe)
    except Exception:  # noqa: BLE001  # the report must not fail where the decode did
        return [f"$: {_describe(exc, None).rstrip(_MARK)}"]
    result = []
    for line in lines:
        description, _, path = line.partition(_MARK + " @ ")
        result.append(f"{path}: {description}")
    return result


def _decode(payload: object, cls: type, what: str, *, records_only: bool = False) -> Any:
    try:
        return (_FAST_RECORDS_ONLY if records_only else _FAST[cls])(payload)
    except Exception:  # noqa: BLE001, S110  # any failure: the reference path decides
        pass
    if records_only and isinstance(payload, dict):
        # Judge only what the fast path reads, so that the outcome does not depend on which
        # path decided: the related objects are not part of a records-only page.
        payload = {k: v for k, v in payload.items() if k not in _RELATED}
    try:
        return _DETAILED[cls](payload)
    except Exception as exc:  # noqa: BLE001  # every failure becomes a DecodeError
        errors = _error_paths(exc)
        failure = exc
    raise DecodeError(
        f"the {what} response does not match the documented shape", errors=errors
    ) from failure


def decode_sessions_page(payload: dict[str, Any]) -> SessionsPage:
    """Structure a ``/v1/classes/sessions`` response body; ``DecodeError`` if it does not fit."""
    page: SessionsPage = _decode(payload, SessionsPage, "sessions")
    return page


def decode_sessions_records(payload: dict[str, Any]) -> SessionsPage:
    """Like :func:`decode_sessions_page` for record iteration, which never shows the related
    classes, instructors, categories, rooms and levels: they are neither decoded nor checked,
    and the page's lists of them are empty."""
    page: SessionsPage = _decode(payload, SessionsPage, "sessions", records_only=True)
    return page


def decode_packages_page(payload: dict[str, Any]) -> PackagesPage:
    """Structure a ``/v1/classes/packages`` response body; ``DecodeError`` if it does not fit."""
    page: PackagesPage = _decode(payload, PackagesPage, "packages")
    return page


def decode_memberships_page(payload: dict[str, Any]) -> MembershipsPage:
    """Structure a ``/v1/classes/memberships`` response body; ``DecodeError`` if it does not fit."""
    page: MembershipsPage = _decode(payload, MembershipsPage, "memberships")
    return page


# --------------------------------------------------------------------------------------------
# Unstructuring: back to the seed's key spellings, generated like the fast path (cattrs'
# generated unstructure calls a hook per optional field, about three times slower).


def _datetime_out(value: datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


_Unstructure = Callable[[Any], dict[str, Any]]

# `{v}` holds the attribute's value; `{h}` is the nested class's unstructure function.
_OUTLINE: Final[Mapping[str, str]] = {
    "int": "{v}",
    "float": "{v}",
    "bool": "{v}",
    "str": "{v}",
    "guid": "{v}",
    "dt": "None if {v} is None else _datetime_out({v})",
    "dt_utc": "None if {v} is None else _datetime_out({v})",
    "enum": "None if {v} is None else int({v})",
    "dict": "None if {v} is None else dict({v})",
    "obj": "None if {v} is None else {h}({v})",
    "page_details": "None if {v} is None else {h}({v})",
    "error": "None if {v} is None else {h}({v})",
    "list": "[{h}(item) for item in {v}]",
}


def _make_unstructure(cls: type, unstructure: Mapping[type, _Unstructure]) -> _Unstructure:
    namespace: dict[str, Any] = {"_datetime_out": _datetime_out}
    lines = ["def unstructure(o):"]
    entries = []
    for index, field in enumerate(_FIELDS[cls]):
        v, h = f"v{index}", f"h{index}"
        if field.kind in ("obj", "page_details", "error", "list"):
            namespace[h] = unstructure[field.target]
        lines.append(f"    {v} = o.{field.name}")
        entries.append(f"        {field.wire!r}: {_OUTLINE[field.kind].format(v=v, h=h)},")
    lines += ["    return {", *entries, "    }"]
    source = "\n".join(lines)
    # As in _make_fast: the source comes from the models' field names, never from input.
    exec(compile(source, f"<zenoti_async unstructure {cls.__name__}>", "exec"), namespace)  # noqa: S102
    function: _Unstructure = namespace["unstructure"]
    return function


_UNSTRUCTURE: Final[dict[type, _Unstructure]] = {}
for _model_class in (PageDetails, ErrorInfo, *_RECORD_CLASSES, *_PAGE_CLASSES):
    _UNSTRUCTURE[_model_class] = _make_unstructure(_model_class, _UNSTRUCTURE)
del _model_class


def to_wire(obj: AttrsInstance) -> dict[str, Any]:
    """Unstructure a model back to a JSON-ready dict with the seed's key spellings.

    ``decode_*(to_wire(model)) == model``. Every documented key is present (``None`` stays
    ``null``); datetimes become ISO 8601 text, with ``Z`` for UTC; enums become plain ints;
    ``page_details`` uses this SDK's normalized names.
    """
    unstructure = _UNSTRUCTURE.get(type(obj))
    if unstructure is None:
        raise TypeError(f"to_wire() takes a zenoti_async model, not {type(obj).__name__}")
    return unstructure(obj)
