"""JSON -> models: the only module that knows the wire.

Renames of the vendor's typos, alias keys spelled by sibling endpoints, date parsing, lenient
numbers, the unknown-key policy and the ``page_details`` guesswork all live here, so that
``zenoti_async.models`` stays plain attrs classes.

The engine is cattrs. Its hooks come from the tables below: a coercer per documented type
(``int | None`` -> ``_to_int``, ...), per-field overrides (renames, GUIDs, ``*_utc``) and a
factory for every attrs class that reads the alias keys before cattrs' generated structure
function runs. One converter, with cattrs' detailed validation, so that a failure names every
problem with its path (``$.sessions[3].start_time: ...``) through ``transform_error`` for
``DecodeError.errors``. Paths name the model's attributes, which are the wire keys except for
the renamed typos in ``RENAMES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
from cattrs import Converter
from cattrs.cols import list_structure_factory
from cattrs.gen import make_dict_structure_fn, override
from cattrs.v import transform_error

from zenoti_async._errors import DecodeError
from zenoti_async._sansio.api_error import parse_error_object
from zenoti_async.models import (
    ErrorInfo,
    Instructor,
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
    "RENAMES",
    "decode_memberships_page",
    "decode_packages_page",
    "decode_page_details",
    "decode_sessions_page",
    "decode_sessions_records",
]

# --------------------------------------------------------------------------------------------
# Wire vocabulary: every key that differs from the attribute name, in one place.

#: Attribute -> the seed's spelling, which is what the server is documented to send.
RENAMES: Final[Mapping[tuple[type, str], str]] = {
    (Session, "start_time_utc"): "strat_time_utc",
    (Package, "bundled_product_price_check"): "bundled_product_priceCheck",
    (Membership, "is_recurring_membership"): "is_recurrring_membership",
    (Membership, "terms_and_conditions_acceptance"): "terms_and_conditionsAcceptance",
}

#: Other spellings, read in this order when the seed's key is missing or null. They come from
#: sibling endpoints (center packages/memberships), which spell the typos right, name the price
#: object differently and use ``{currency_id, sales, tax, final}`` inside it.
_ALIASES: Final[Mapping[tuple[type, str], tuple[str, ...]]] = {
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
# Coercers: one per documented type. Each is a cattrs structure hook: it takes the raw JSON
# value (never missing: cattrs only calls it for a present key) and returns the field's value
# or raises _WireError with a message fit for DecodeError.errors.


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
# Past 2**53 a float no longer holds every integer: orjson reads integers beyond 64 bits as
# floats, so 123456789012345678901234567890 would silently become a different id.
_EXACT_FLOAT_INT: Final = 2**53


def _to_int(value: object, _type: object = None) -> int | None:
    if value is None or value.__class__ is int:
        return value
    if isinstance(value, bool):
        raise _WireError(f"expected an integer, got {_show(value)}")
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
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
            try:
                return int(text.partition(".")[0])
            except ValueError:  # over sys.get_int_max_str_digits()
                raise _WireError(f"integer text too long: {_show(value)}") from None
    raise _WireError(f"expected an integer, got {_show(value)}")


def _to_float(value: object, _type: object = None) -> float | None:
    if value is None:
        return None
    if value.__class__ is float and value - value == 0.0:
        return value
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
    if value is None or isinstance(value, str):
        return value
    raise _WireError(f"expected a GUID string, got {_show(value)}")


# datetime.fromisoformat also takes forms that are not Zenoti's (week dates, basic forms, a
# space for the "T", minutes without seconds, "+0530", a comma, eight fraction digits): the
# shape is checked here first, and fromisoformat checks the values.
_DATETIME_TAIL: Final = re.compile(r"(?:\.[0-9]{1,7})?(?:Z|[+-][0-9]{2}:[0-9]{2})?", re.ASCII)
_DOTNET_MIN_VALUE: Final = datetime(1, 1, 1)


def _parse_datetime(text: str) -> datetime | None:
    """Parse Zenoti's datetime text; ``None`` for .NET's ``DateTime.MinValue``.

    Accepted: ``YYYY-MM-DD``, then optionally ``THH:MM:SS``, 1 to 7 fractional digits and
    ``Z`` or ``+HH:MM``. Fractions beyond microseconds are truncated, not rounded, so a value
    never moves into the next second (or day).
    """
    if len(text) == 10:
        shaped = text[4:8:3] == "--"
    else:
        shaped = (
            len(text) >= 19
            and text[4:17:3] == "--T::"
            and (len(text) == 19 or _DATETIME_TAIL.fullmatch(text, 19) is not None)
        )
    if not shaped:
        raise _WireError(f"invalid datetime {_show(text)}")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _WireError(f"invalid datetime {_show(text)}") from None
    if text.startswith("0001-01-01") and moment.replace(tzinfo=None) == _DOTNET_MIN_VALUE:
        return None
    return moment


def _to_datetime(value: object, _type: object = None) -> datetime | None:
    """Center-local field: naive when the wire has no offset (it normally has none)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _WireError(f"expected a datetime string, got {_show(value)}")
    if not value or value.isspace():
        return None
    return _parse_datetime(value)


def _to_utc_datetime(value: object, _type: object = None) -> datetime | None:
    """``*_utc`` field: always aware UTC; a naive wire value is UTC by the field's contract."""
    moment = _to_datetime(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        # combine(), not replace(tzinfo=...): the same value, at a fraction of the cost.
        return datetime.combine(moment, moment.time(), UTC)
    if moment.tzinfo is not UTC:
        try:
            return moment.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:30:00+01:00 has no UTC value
            raise _WireError(f"datetime out of range in UTC: {_show(value)}") from None
    return moment


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


def decode_page_details(raw: object, _type: object = None) -> PageDetails | None:
    """Normalize a ``page_details`` object; never raises.

    ``None`` when it is missing, null or not an object. Keys are matched through
    ``PAGE_DETAILS_ALIASES``; a value that is not a non-negative integer (or integer text)
    becomes ``None``.
    """
    if not isinstance(raw, dict):
        return None
    found: dict[str, tuple[int, int]] = {}
    for key, value in raw.items():
        entry = _PAGE_DETAILS_LOOKUP.get(_fold_key(key)) if isinstance(key, str) else None
        number = None if entry is None else _advisory_int(value)
        if entry is not None and number is not None:
            field, rank = entry
            if field not in found or rank < found[field][0]:
                found[field] = (rank, number)
    return PageDetails(**{field: number for field, (_, number) in found.items()})


def _to_error_info(value: object, _type: object = None) -> ErrorInfo | None:
    """Zenoti's ``error`` object, read by the one parser the response layer also uses: it is
    diagnostic, so a malformed one must not hide the API's answer behind a DecodeError."""
    body = parse_error_object(value)
    return None if body is None else ErrorInfo(code=body.code, message=body.message)


_T = TypeVar("_T")


def _enum_hook(enum: type[IntEnum]) -> Callable[[object, object], IntEnum | int | None]:
    members = {member.value: member for member in enum}

    def to_enum(value: object, _type: object = None) -> IntEnum | int | None:
        number = _to_int(value)
        # An unknown value stays a plain int: the vendor adds enum values over time.
        return None if number is None else members.get(number, number)

    return to_enum


def _not_an_object(value: object) -> _WireError:
    return _WireError(f"expected an object, got {_show(value)}")


# --------------------------------------------------------------------------------------------
# The converters: the tables above, given to cattrs.

#: Structure hook per documented field type (exactly as the models annotate it).
_COERCERS: Final[Mapping[Any, Callable[[object, object], object]]] = {
    int | None: _to_int,
    float | None: _to_float,
    bool | None: _to_bool,
    str | None: _to_str,
    datetime | None: _to_datetime,
    dict[str, str] | None: _to_str_dict,
    PageDetails | None: decode_page_details,
    ErrorInfo | None: _to_error_info,
}

#: A sessions page's objects other than its records: only ``.pages()`` shows them.
_RELATED: Final = ("classes", "instructors", "categories", "rooms", "levels")


def _field_overrides(cls: type) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cls):
        hook: Callable[[object, object], object] | None = None
        if (cls, field.name) in _GUID_FIELDS:
            hook = _to_guid
        elif field.name.endswith("_utc") and field.type == datetime | None:
            hook = _to_utc_datetime
        rename = RENAMES.get((cls, field.name))
        if hook is not None or rename is not None:
            overrides[field.name] = override(rename=rename, struct_hook=hook)
    return overrides


def _alias_table(cls: type) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(wire key, its alternative spellings) for the fields of ``cls`` that have some."""
    return tuple(
        (RENAMES.get((cls, field.name), field.name), _ALIASES[cls, field.name])
        for field in attrs.fields(cls)
        if (cls, field.name) in _ALIASES
    )


def _model_hook(
    cls: type[_T], converter: Converter, **extra: Any
) -> Callable[[object, object], _T]:
    """cattrs' generated structure function for ``cls``, behind two steps cattrs has no
    option for: a value that is not a JSON object is an error (the generated function would
    read a list or a string as an empty object), and an alias is read when the seed's key is
    missing or null."""
    generated = make_dict_structure_fn(
        cls,
        converter,
        _cattrs_forbid_extra_keys=False,  # the server adds fields over time
        **_field_overrides(cls),
        **extra,
    )
    aliases = _alias_table(cls)

    def structure(value: object, _type: object = None) -> _T:
        if not isinstance(value, dict):
            raise _not_an_object(value)
        for wire, alternatives in aliases:
            if value.get(wire) is None:
                found = next((value[k] for k in alternatives if value.get(k) is not None), None)
                if found is not None:
                    value = {**value, wire: found}  # never mutate the caller's payload
        return generated(value)

    return structure


def _list_hook(list_type: Any, converter: Converter) -> Callable[[object, object], list[Any]]:
    """cattrs' list hook, after Zenoti's rules: ``null`` is an empty list, and only a JSON
    array is a list (cattrs would iterate a string or an object's keys)."""
    structure_items = list_structure_factory(list_type, converter)

    def structure(value: object, _type: object = None) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise _WireError(f"expected an array, got {_show(value)}")
        items: list[Any] = structure_items(value, list_type)
        return items

    return structure


def _is_enum_union(annotation: object) -> bool:
    args = get_args(annotation)
    return bool(args) and isinstance(args[0], type) and issubclass(args[0], IntEnum)


def _is_list(annotation: object) -> bool:
    return get_origin(annotation) is list


def _make_converter() -> Converter:
    # Detailed validation costs nothing measurable on a good page (a try block is free on
    # CPython 3.11) and gives every problem its path, so one converter does both.
    converter = Converter(detailed_validation=True)
    for annotation, coerce in _COERCERS.items():
        converter.register_structure_hook(annotation, coerce)
    converter.register_structure_hook_factory(_is_enum_union, lambda t: _enum_hook(get_args(t)[0]))
    converter.register_structure_hook_factory(_is_list, _list_hook)
    converter.register_structure_hook_factory(attrs.has, _model_hook)
    return converter


_converter: Final = _make_converter()
_Hook = Callable[[object, object], _T]
_structure_sessions: Final[_Hook[SessionsPage]] = _converter.get_structure_hook(SessionsPage)
_structure_packages: Final[_Hook[PackagesPage]] = _converter.get_structure_hook(PackagesPage)
_structure_memberships: Final[_Hook[MembershipsPage]] = _converter.get_structure_hook(
    MembershipsPage
)
# Record iteration never shows the related objects: they are neither decoded nor checked.
_structure_sessions_records: Final = _model_hook(
    SessionsPage, _converter, **{name: override(omit=True) for name in _RELATED}
)


# --------------------------------------------------------------------------------------------
# DecodeError.errors from cattrs' exception tree.

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


def _decode(payload: object, structure: Callable[[object, object], _T], what: str) -> _T:
    try:
        return structure(payload, None)
    except Exception as exc:  # noqa: BLE001  # every failure becomes a DecodeError
        failure = exc
    raise DecodeError(
        f"the {what} response does not match the documented shape", errors=_error_paths(failure)
    ) from failure


def decode_sessions_page(payload: dict[str, Any]) -> SessionsPage:
    """Structure a ``/v1/classes/sessions`` response body; ``DecodeError`` if it does not fit."""
    return _decode(payload, _structure_sessions, "sessions")


def decode_sessions_records(payload: dict[str, Any]) -> SessionsPage:
    """Like :func:`decode_sessions_page` for record iteration, which never shows the related
    classes, instructors, categories, rooms and levels: they are neither decoded nor checked,
    and the page's lists of them are empty."""
    return _decode(payload, _structure_sessions_records, "sessions")


def decode_packages_page(payload: dict[str, Any]) -> PackagesPage:
    """Structure a ``/v1/classes/packages`` response body; ``DecodeError`` if it does not fit."""
    return _decode(payload, _structure_packages, "packages")


def decode_memberships_page(payload: dict[str, Any]) -> MembershipsPage:
    """Structure a ``/v1/classes/memberships`` response body; ``DecodeError`` if it does not fit."""
    return _decode(payload, _structure_memberships, "memberships")
