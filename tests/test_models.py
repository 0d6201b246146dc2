"""The public models: names, defaults, types and immutability (no wire knowledge here)."""

from __future__ import annotations

import ast
import pickle
import typing
from datetime import datetime
from pathlib import Path

import attrs
import pytest

from tests import payloads
from zenoti_async import models
from zenoti_async.models import (
    Category,
    ClassInfo,
    ClassType,
    ErrorInfo,
    Instructor,
    Level,
    Membership,
    MembershipSearchType,
    MembershipsPage,
    MembershipType,
    Package,
    PackageSearchType,
    PackagesPage,
    PageDetails,
    PriceDetails,
    Room,
    Session,
    SessionsPage,
    SessionStatus,
)

RECORD_CLASSES = (
    Session,
    ClassInfo,
    Instructor,
    Category,
    Room,
    Level,
    PriceDetails,
    Package,
    Membership,
    PageDetails,
    ErrorInfo,
)
PAGE_CLASSES = (SessionsPage, PackagesPage, MembershipsPage)

# Attribute names differ from the seed's keys only for the vendor's typos.
RENAMED = {
    "strat_time_utc": "start_time_utc",
    "bundled_product_priceCheck": "bundled_product_price_check",
    "is_recurrring_membership": "is_recurring_membership",
    "terms_and_conditionsAcceptance": "terms_and_conditions_acceptance",
}


def attribute_names(cls: type) -> list[str]:
    return [field.name for field in attrs.fields(cls)]


@pytest.mark.parametrize(
    ("cls", "seed_fields"),
    [
        (Session, payloads.SESSION_FIELDS),
        (ClassInfo, payloads.CLASS_FIELDS),
        (Instructor, payloads.INSTRUCTOR_FIELDS),
        (Category, payloads.CATEGORY_FIELDS),
        (Room, payloads.ROOM_FIELDS),
        (Level, payloads.LEVEL_FIELDS),
        (PriceDetails, payloads.PRICE_DETAILS_FIELDS),
        (Package, payloads.PACKAGE_FIELDS),
        (Membership, payloads.MEMBERSHIP_FIELDS),
        (ErrorInfo, payloads.ERROR_FIELDS),
        (SessionsPage, payloads.SESSIONS_RESPONSE_FIELDS),
        (PackagesPage, payloads.PACKAGES_RESPONSE_FIELDS),
        (MembershipsPage, payloads.MEMBERSHIPS_RESPONSE_FIELDS),
    ],
)
def test_every_seed_field_has_an_attribute_in_table_order(
    cls: type, seed_fields: tuple[str, ...]
) -> None:
    expected = [RENAMED.get(name, name) for name in seed_fields]
    if cls in (PackagesPage, MembershipsPage):  # the seed lists `error` first; kept last
        assert sorted(attribute_names(cls)) == sorted(expected)
    else:
        assert attribute_names(cls) == expected


def test_session_has_the_36_fields_of_the_seed_table() -> None:
    # The brief said 37; the vendor's sessions Object table has 36 rows.
    assert len(attrs.fields(Session)) == len(payloads.SESSION_FIELDS) == 36


def test_attribute_names_are_snake_case() -> None:
    for cls in (*RECORD_CLASSES, *PAGE_CLASSES):
        for name in attribute_names(cls):
            assert name == name.lower(), f"{cls.__name__}.{name}"
            assert name.isidentifier()


@pytest.mark.parametrize("cls", RECORD_CLASSES)
def test_every_record_field_defaults_to_none(cls: type) -> None:
    instance = cls()
    assert all(getattr(instance, name) is None for name in attribute_names(cls))


@pytest.mark.parametrize("cls", PAGE_CLASSES)
def test_page_lists_default_to_fresh_empty_lists(cls: type) -> None:
    first, second = cls(), cls()
    list_fields = [f.name for f in attrs.fields(cls) if typing.get_origin(f.type) is list]
    assert list_fields
    for name in list_fields:
        assert getattr(first, name) == []
        assert getattr(first, name) is not getattr(second, name)


@pytest.mark.parametrize("cls", [*RECORD_CLASSES, *PAGE_CLASSES])
def test_models_are_frozen_and_slotted(cls: type) -> None:
    instance = cls()
    name = attribute_names(cls)[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(instance, name, None)
    assert not hasattr(instance, "__dict__")


def test_models_compare_by_value_and_pickle() -> None:
    session = Session(id=1, start_time=datetime(2026, 11, 2, 7), status=SessionStatus.UPCOMING)
    assert session == Session(id=1, start_time=datetime(2026, 11, 2, 7), status=2)
    assert hash(session) == hash(Session(id=1, start_time=datetime(2026, 11, 2, 7), status=2))
    assert pickle.loads(pickle.dumps(session)) == session  # noqa: S301  # our own bytes


def test_enum_values_follow_the_seed() -> None:
    assert [(m.name, m.value) for m in SessionStatus] == [
        ("ACTIVE", 0),
        ("CANCELLED", 1),
        ("UPCOMING", 2),
        ("IN_PROGRESS", 3),
        ("COMPLETED", 4),
    ]
    assert [(m.name, m.value) for m in ClassType] == [
        ("CLASS", 1),
        ("CLASS_2", 2),
        ("WORKSHOP", 3),
    ]
    assert [(m.name, m.value) for m in MembershipType] == [
        ("NON_RECURRING", 0),
        ("RECURRING", 1),
        ("SETUP", 2),
    ]
    assert [(m.name, m.value) for m in PackageSearchType] == [("CLASS", 0), ("CENTER", 1)]
    assert [(m.name, m.value) for m in MembershipSearchType] == [
        ("CLASS", 0),
        ("CATEGORY", 1),
        ("CENTER", 2),
    ]


def hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def test_documented_types_are_annotated() -> None:
    session = hints(Session)
    assert session["id"] == int | None
    assert session["start_time_utc"] == datetime | None
    assert session["price"] == float | None
    assert session["instructor_id"] == str | None
    assert session["status"] == SessionStatus | int | None
    assert session["is_free_session"] == bool | None
    assert session["can_book_status_id"] == str | None
    klass = hints(ClassInfo)
    assert klass["type"] == ClassType | int | None
    assert klass["image_paths"] == dict[str, str] | None
    assert klass["registration_lock_window"] == float | None
    assert hints(Instructor)["image_paths"] == str | None
    package = hints(Package)
    assert package["price"] == PriceDetails | None
    assert package["bundled_product_price_check"] == int | None
    membership = hints(Membership)
    assert membership["price_details"] == PriceDetails | None
    assert membership["type"] == int | None
    assert membership["membership_type"] == MembershipType | int | None
    assert membership["image_paths"] == dict[str, str] | None
    assert hints(PriceDetails)["currency_code"] == int | None
    assert hints(PageDetails) == {
        "total_records": int | None,
        "total_pages": int | None,
        "page": int | None,
        "page_size": int | None,
    }
    assert hints(ErrorInfo) == {"code": int | None, "message": str | None}
    assert hints(SessionsPage)["sessions"] == list[Session]
    assert hints(SessionsPage)["opening_time"] == datetime | None


def test_models_module_imports_only_attrs_datetime_enum_and_typing() -> None:
    tree = ast.parse(Path(models.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.module is not None
            imported.add(node.module.split(".")[0])
    assert imported <= {"attrs", "datetime", "enum", "typing", "__future__"}


def test_models_all_is_sorted_and_complete() -> None:
    public = {
        name
        for name, value in vars(models).items()
        if not name.startswith("_")
        and isinstance(value, type)
        and value.__module__ == models.__name__
    }
    assert models.__all__ == sorted(models.__all__)
    assert set(models.__all__) == public
