"""The converter: JSON bodies of the three endpoints -> models, and back with ``to_wire``."""

from __future__ import annotations

import copy
import math
import pickle
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import payloads
from tests.payloads import to_wire
from zenoti_async._errors import DecodeError, ResponseError
from zenoti_async._sansio.converter import (
    PAGE_DETAILS_ALIASES,
    decode_memberships_page,
    decode_packages_page,
    decode_page_details,
    decode_sessions_page,
)
from zenoti_async.models import (
    Category,
    ClassInfo,
    ClassType,
    ErrorInfo,
    Instructor,
    Level,
    Membership,
    MembershipsPage,
    MembershipType,
    Package,
    PackagesPage,
    PageDetails,
    PriceDetails,
    Room,
    Session,
    SessionsPage,
    SessionStatus,
)


def session_page(**fields: Any) -> dict[str, Any]:
    """A sessions body with one session: the full one, with ``fields`` replaced."""
    session = payloads.full_session()
    session.update(fields)
    return {"sessions": [session]}


def decode_session(**fields: Any) -> Session:
    return decode_sessions_page(session_page(**fields)).sessions[0]


def decode_class(**fields: Any) -> ClassInfo:
    klass = payloads.full_class()
    klass.update(fields)
    return decode_sessions_page({"classes": [klass]}).classes[0]


def decode_membership(membership: dict[str, Any]) -> Membership:
    return decode_memberships_page({"memberships": [membership]}).memberships[0]


def decode_package(package: dict[str, Any]) -> Package:
    return decode_packages_page({"packages": [package]}).packages[0]


def decode_errors(payload: object, decode: Any = decode_sessions_page) -> list[str]:
    with pytest.raises(DecodeError) as info:
        decode(payload)
    return info.value.errors


# --------------------------------------------------------------------------------------------
# Every seed field, field by field.

EXPECTED_SESSION: dict[str, object] = {
    "id": 89607,
    "name": "Vinyasa Flow 60",
    "class_id": 11370,
    "start_time": datetime(2026, 11, 2, 7, 0),
    "end_time": datetime(2026, 11, 2, 8, 0),
    "strat_time_utc": datetime(2026, 11, 2, 12, 0, tzinfo=UTC),
    "end_time_utc": datetime(2026, 11, 2, 13, 0, tzinfo=UTC),
    "price": 25.5,
    "instructor_id": payloads.INSTRUCTOR_ID,
    "assistant_id": payloads.ASSISTANT_ID,
    "room_id": payloads.ROOM_ID,
    "status": SessionStatus.UPCOMING,
    "recurrence_id": 4411,
    "center_id": payloads.CENTER_ID,
    "center_name": "Downtown Studio",
    "registration_id": 119986,
    "registration_status": 1,
    "is_free_session": False,
    "can_book": True,
    "can_cancel": True,
    "booking_stage": 1,
    "capacity": 20,
    "web_capacity": 15,
    "wait_listed_count": 2,
    "occupancy": 18,
    "web_occupancy": 12,
    "cancel_stage": 0,
    "description": "A flowing class linking breath and movement.",
    "html_description": "<p>A flowing class linking <b>breath</b> and movement.</p>",
    "available_slots": 2,
    "current_waitlist_position": 1,
    "can_book_status_id": "0",
    "can_book_status": "Available",
    "cancellation_fee_window": 1,
    "cancellation_fee": 10.0,
    "is_instructor_substituted": False,
}
EXPECTED_CLASS: dict[str, object] = {
    "id": 11370,
    "name": "Vinyasa Flow",
    "category_id": 301,
    "start_date": datetime(2026, 1, 5),
    "end_date": datetime(2026, 12, 28),
    "description": "Breath-led vinyasa for every level.",
    "html_description": "<p>Breath-led vinyasa for every level.</p>",
    "catalog_price": 25.5,
    "capacity": 20,
    "allow_web_booking": True,
    "allow_direct_booking": True,
    "allow_cancellation_fee": True,
    "allow_no_show_fee": False,
    "display_name": "Vinyasa Flow (60 min)",
    "show_in_catalog": 1,
    "sort_order": 3,
    "show_price": True,
    "allow_wait_list": True,
    "wait_list_lock_window": 2,
    "enable_enrol": True,
    "level_id": 2,
    "registration_notes": "Bring a mat.",
    "enable_payments": True,
    "image_paths": {
        "100x100": "https://cdn.example.com/classes/11370/100.png",
        "400x400": "https://cdn.example.com/classes/11370/400.png",
    },
    "min_time": datetime(2026, 1, 5, 6, 0, 0, 123456),
    "max_time": datetime(2026, 12, 28, 19, 30),
    "web_capacity": 15,
    "registration_lock_window": 1.5,
    "auto_confirm_lock_window": 2.0,
    "sac": "999723",
    "type": ClassType.WORKSHOP,
}
EXPECTED_INSTRUCTOR: dict[str, object] = {
    "id": payloads.INSTRUCTOR_ID,
    "name": "Asha Rao",
    "description": "E-RYT 500, teaching since 2012.",
    "image_paths": "https://cdn.example.com/instructors/asha.png",
}
EXPECTED_CATEGORY: dict[str, object] = {"id": 301, "name": "Yoga", "parent_id": 300}
EXPECTED_ROOM: dict[str, object] = {"id": payloads.ROOM_ID, "name": "Studio A"}
EXPECTED_LEVEL: dict[str, object] = {
    "id": 2,
    "code": "INT",
    "name": "Intermediate",
    "description": "Comfortable with sun salutations.",
    "html_description": "<p>Comfortable with sun salutations.</p>",
}
EXPECTED_PRICE = PriceDetails(
    currency_code=61, currency_symbol="$", sale_price=100.0, sale_tax=8.25, final_price=108.25
)
EXPECTED_PACKAGE: dict[str, object] = {
    "id": payloads.PACKAGE_ID,
    "name": "belu pack1",
    "description": "Ten classes, any format.",
    "code": "bp1",
    "has_bundled_products": True,
    "duration": 60,
    "bundled_product_priceCheck": 15,
    "bundled_product_price_percentage": 12.5,
    "package_price_with_out_tax": 100.0,
    "type": 2,
    "price": EXPECTED_PRICE,
    "package_cost_inc_bundled_products": 115.0,
    "services": "Vinyasa Flow",
    "items": "Yoga mat",
    "can_book": True,
    "package_display_name": "belu pack1 - web",
    "package_display_price": 100,
    "description_html": "<p>Ten classes, any format.</p>",
    "terms_and_conditions": "Non-refundable.",
    "expiration_date": datetime(2027, 3, 1),
    "expiration_days": 120,
    "scheduled_payment_frequency": 1,
    "scheduled_payment_frequency_type": 2,
    "restrict_redemption_to_this_center": 1,
    "center_name": "Downtown Studio",
    "package_category_name": "Class packs",
}
EXPECTED_MEMBERSHIP: dict[str, object] = {
    "id": payloads.MEMBERSHIP_ID,
    "version_id": payloads.MEMBERSHIP_VERSION_ID,
    "type": 1,
    "name": "BMW First Class Membership",
    "price_details": EXPECTED_PRICE,
    "can_book": True,
    "show_price": True,
    "display_name": "First Class",
    "display_price": 1789,
    "image_paths": {"200x200": "https://cdn.example.com/memberships/first.png"},
    "is_recurrring_membership": True,
    "membership_type": MembershipType.RECURRING,
    "first_collection_after": 30,
    "description": "Unlimited classes.",
    "description_html": "<p>Unlimited classes.</p>",
    "terms_and_conditions": "Twelve-month minimum.",
    "terms_and_conditionsAcceptance": "I accept the terms.",
    "enforce_mandatory_fields": False,
    "frequency_text": "12 Months",
}

# Seed key -> attribute, for the vendor's typos only.
ATTRIBUTE = {
    "strat_time_utc": "start_time_utc",
    "bundled_product_priceCheck": "bundled_product_price_check",
    "is_recurrring_membership": "is_recurring_membership",
    "terms_and_conditionsAcceptance": "terms_and_conditions_acceptance",
}


def assert_fields(model: object, expected: dict[str, object], seed: tuple[str, ...]) -> None:
    assert set(expected) == set(seed), "every seed field needs an expected value"
    for key in seed:
        actual = getattr(model, ATTRIBUTE.get(key, key))
        assert actual == expected[key], key
        assert type(actual) is type(expected[key]), key


def test_full_payloads_carry_exactly_the_seed_fields() -> None:
    sessions = payloads.full_sessions_payload()
    assert set(sessions) == set(payloads.SESSIONS_RESPONSE_FIELDS)
    assert set(sessions["sessions"][0]) == set(payloads.SESSION_FIELDS)
    assert set(sessions["classes"][0]) == set(payloads.CLASS_FIELDS)
    assert set(sessions["instructors"][0]) == set(payloads.INSTRUCTOR_FIELDS)
    assert set(sessions["categories"][0]) == set(payloads.CATEGORY_FIELDS)
    assert set(sessions["rooms"][0]) == set(payloads.ROOM_FIELDS)
    assert set(sessions["levels"][0]) == set(payloads.LEVEL_FIELDS)
    assert set(sessions["error"]) == set(payloads.ERROR_FIELDS)
    packages = payloads.full_packages_payload()
    assert set(packages) == set(payloads.PACKAGES_RESPONSE_FIELDS)
    assert set(packages["packages"][0]) == set(payloads.PACKAGE_FIELDS)
    assert set(packages["packages"][0]["price"]) == set(payloads.PRICE_DETAILS_FIELDS)
    memberships = payloads.full_memberships_payload()
    assert set(memberships) == set(payloads.MEMBERSHIPS_RESPONSE_FIELDS)
    assert set(memberships["memberships"][0]) == set(payloads.MEMBERSHIP_FIELDS)
    assert set(memberships["memberships"][0]["price_details"]) == set(payloads.PRICE_DETAILS_FIELDS)


def test_every_sessions_field_arrives_on_the_models() -> None:
    page = decode_sessions_page(payloads.full_sessions_payload())
    assert_fields(page.sessions[0], EXPECTED_SESSION, payloads.SESSION_FIELDS)
    assert_fields(page.classes[0], EXPECTED_CLASS, payloads.CLASS_FIELDS)
    assert_fields(page.instructors[0], EXPECTED_INSTRUCTOR, payloads.INSTRUCTOR_FIELDS)
    assert_fields(page.categories[0], EXPECTED_CATEGORY, payloads.CATEGORY_FIELDS)
    assert_fields(page.rooms[0], EXPECTED_ROOM, payloads.ROOM_FIELDS)
    assert_fields(page.levels[0], EXPECTED_LEVEL, payloads.LEVEL_FIELDS)
    assert page.opening_time == datetime(2026, 11, 2, 6, 0)
    assert page.page_details == PageDetails(total_records=1, total_pages=1, page=1, page_size=100)
    assert page.error == ErrorInfo(code=404, message="No Data found.")
    assert [type(x) for x in (page.sessions[0], page.classes[0], page.instructors[0])] == [
        Session,
        ClassInfo,
        Instructor,
    ]
    assert type(page.categories[0]) is Category
    assert type(page.rooms[0]) is Room
    assert type(page.levels[0]) is Level


def test_every_packages_field_arrives_on_the_model() -> None:
    page = decode_packages_page(payloads.full_packages_payload())
    assert type(page) is PackagesPage
    assert_fields(page.packages[0], EXPECTED_PACKAGE, payloads.PACKAGE_FIELDS)
    assert page.page_details == PageDetails(total_records=27, total_pages=3, page=1, page_size=10)
    assert page.error is None


def test_every_memberships_field_arrives_on_the_model() -> None:
    page = decode_memberships_page(payloads.full_memberships_payload())
    assert type(page) is MembershipsPage
    assert_fields(page.memberships[0], EXPECTED_MEMBERSHIP, payloads.MEMBERSHIP_FIELDS)
    assert page.page_details == PageDetails(total_records=78, total_pages=8, page=1, page_size=10)


@pytest.mark.parametrize(
    ("model", "seed"),
    [
        (Session(), payloads.SESSION_FIELDS),
        (ClassInfo(), payloads.CLASS_FIELDS),
        (Instructor(), payloads.INSTRUCTOR_FIELDS),
        (Category(), payloads.CATEGORY_FIELDS),
        (Room(), payloads.ROOM_FIELDS),
        (Level(), payloads.LEVEL_FIELDS),
        (PriceDetails(), payloads.PRICE_DETAILS_FIELDS),
        (Package(), payloads.PACKAGE_FIELDS),
        (Membership(), payloads.MEMBERSHIP_FIELDS),
        (ErrorInfo(), payloads.ERROR_FIELDS),
        (SessionsPage(), payloads.SESSIONS_RESPONSE_FIELDS),
        (PackagesPage(), payloads.PACKAGES_RESPONSE_FIELDS),
        (MembershipsPage(), payloads.MEMBERSHIPS_RESPONSE_FIELDS),
    ],
)
def test_to_wire_emits_exactly_the_seed_keys(model: Any, seed: tuple[str, ...]) -> None:
    assert sorted(to_wire(model)) == sorted(seed)


def test_decoded_models_are_ordinary_frozen_instances() -> None:
    session = decode_sessions_page(payloads.full_sessions_payload()).sessions[0]
    rebuilt = Session(**{f.name: getattr(session, f.name) for f in attrs.fields(Session)})
    assert type(session) is Session
    assert session == rebuilt
    assert hash(session) == hash(rebuilt)
    assert repr(session) == repr(rebuilt)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        session.id = 1  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(session)) == session  # noqa: S301  # our own bytes
    assert attrs.evolve(session, id=1).id == 1


def test_decoding_does_not_mutate_the_payload() -> None:
    payload = {"memberships": [payloads.sibling_center_membership()]}
    before = copy.deepcopy(payload)
    decode_memberships_page(payload)
    assert payload == before


# --------------------------------------------------------------------------------------------
# Tolerant where the API is sloppy.


def test_missing_field_is_none() -> None:
    session = decode_sessions_page({"sessions": [{"id": 1}]}).sessions[0]
    assert session == Session(id=1)


def test_missing_lists_and_objects_give_empty_lists_and_none() -> None:
    assert decode_sessions_page({}) == SessionsPage()
    assert decode_packages_page({}) == PackagesPage()
    assert decode_memberships_page({}) == MembershipsPage()


def test_null_list_becomes_empty_list() -> None:
    page = decode_sessions_page(dict.fromkeys(payloads.SESSIONS_RESPONSE_FIELDS))
    assert page == SessionsPage()


def test_unknown_keys_are_ignored() -> None:
    payload = session_page(brand_new_field={"nested": [1, 2]})
    payload["total_no_of_sessions"] = 7
    assert decode_sessions_page(payload).sessions[0].id == 89607


def test_unknown_enum_value_is_kept_as_plain_int() -> None:
    session = decode_session(status=9)
    assert session.status == 9
    assert type(session.status) is int
    assert decode_class(type=7).type == 7
    membership = payloads.full_membership()
    membership["membership_type"] = -1
    assert decode_membership(membership).membership_type == -1


def test_known_enum_value_becomes_member_even_from_text() -> None:
    assert decode_session(status=3).status is SessionStatus.IN_PROGRESS
    assert decode_session(status="1").status is SessionStatus.CANCELLED
    assert decode_class(type=2).type is ClassType.CLASS_2


def test_numeric_text_is_accepted_where_an_int_is_documented() -> None:
    session = decode_session(capacity="100", occupancy=" 7 ", booking_stage="2.0")
    assert (session.capacity, session.occupancy, session.booking_stage) == (100, 7, 2)
    assert type(session.capacity) is int


def test_numeric_text_is_accepted_where_a_float_is_documented() -> None:
    session = decode_session(price="12.5", cancellation_fee="3")
    assert session.price == 12.5
    assert session.cancellation_fee == 3.0
    assert type(session.cancellation_fee) is float


def test_int_where_a_float_is_documented_becomes_float() -> None:
    session = decode_session(price=25)
    assert session.price == 25.0
    assert type(session.price) is float


def test_integral_float_is_accepted_where_an_int_is_documented() -> None:
    session = decode_session(capacity=3.0)
    assert session.capacity == 3
    assert type(session.capacity) is int


def test_empty_text_where_a_number_boolean_or_datetime_is_documented_is_none() -> None:
    # The vendor's own samples send `"display_price": ""`.
    session = decode_session(capacity="", price=" ", can_book="", start_time="")
    assert (session.capacity, session.price, session.can_book, session.start_time) == (
        None,
        None,
        None,
        None,
    )


def test_null_never_becomes_the_string_none() -> None:
    session = decode_session(name=None, can_book_status_id=None, instructor_id=None)
    assert (session.name, session.can_book_status_id, session.instructor_id) == (None,) * 3
    assert to_wire(session)["name"] is None


@pytest.mark.parametrize(("wire", "expected"), [(0, False), (1, True)])
def test_zero_and_one_are_booleans(wire: int, expected: bool) -> None:
    assert decode_session(can_book=wire).can_book is expected


@pytest.mark.parametrize(
    ("wire", "expected"),
    [("true", True), ("false", False), ("True", True), (" FALSE ", False), ("1", True)],
)
def test_true_and_false_text_are_booleans(wire: str, expected: bool) -> None:
    assert decode_session(can_book=wire).can_book is expected


def test_number_where_a_string_is_documented_becomes_its_text() -> None:
    session = decode_session(can_book_status_id=3, can_book_status=12.5)
    assert session.can_book_status_id == "3"
    assert session.can_book_status == "12.5"


@pytest.mark.parametrize(
    "guid",
    [
        "e1693623-bda5-4b3e-a2a7-611ea4f1f7ad",
        "e1693623bda54b3ea2a7611ea4f1f7ad",
        "E1693623-BDA5-4B3E-A2A7-611EA4F1F7AD",
        "00000000-0000-0000-0000-000000000000",
        "",
    ],
)
def test_guids_are_kept_exactly_as_received(guid: str) -> None:
    assert decode_session(center_id=guid).center_id == guid


def test_null_image_in_image_paths_is_dropped() -> None:
    klass = decode_class(image_paths={"100x100": "https://x/1.png", "200x200": None})
    assert klass.image_paths == {"100x100": "https://x/1.png"}


# --------------------------------------------------------------------------------------------
# Strict where data would be corrupted.


def test_non_integral_float_where_an_int_is_documented_is_an_error() -> None:
    errors = decode_errors(session_page(capacity=3.5))
    assert errors == ["$.sessions[0].capacity: expected an integer, got 3.5 (never truncated)"]


@pytest.mark.parametrize("field", ["capacity", "price", "status"])
@pytest.mark.parametrize("value", [True, False])
def test_boolean_is_not_a_number(field: str, value: bool) -> None:
    errors = decode_errors(session_page(**{field: value}))
    assert len(errors) == 1
    assert errors[0].startswith(f"$.sessions[0].{field}: expected ")


@pytest.mark.parametrize("value", [2, -1, "yes", "t", 1.0, [], {}])
def test_other_values_are_not_booleans(value: object) -> None:
    assert decode_errors(session_page(can_book=value))[0].startswith(
        "$.sessions[0].can_book: expected a boolean"
    )


@pytest.mark.parametrize("value", ["1_000", "nan", "inf", "0x10", "1e3", "١٢", "12abc", "3.5"])
def test_text_that_is_not_a_plain_integer_is_an_error(value: str) -> None:
    assert decode_errors(session_page(capacity=value))[0].startswith(
        "$.sessions[0].capacity: expected an integer"
    )


@pytest.mark.parametrize("value", ["nan", "Infinity", "1_0.5", "1e400", "12,5", "$12"])
def test_text_that_is_not_a_finite_number_is_an_error(value: str) -> None:
    assert decode_errors(session_page(price=value))[0].startswith("$.sessions[0].price: expected")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_floats_are_errors(value: float) -> None:
    assert decode_errors(session_page(price=value))[0].startswith("$.sessions[0].price:")
    assert decode_errors(session_page(capacity=value))[0].startswith("$.sessions[0].capacity:")
    assert decode_errors(session_page(name=value))[0].startswith("$.sessions[0].name:")


@pytest.mark.parametrize("value", [{"a": "b"}, ["a"], True])
def test_object_array_or_boolean_where_a_string_is_documented_is_an_error(
    value: object,
) -> None:
    assert decode_errors(session_page(can_book_status=value))[0].startswith(
        "$.sessions[0].can_book_status: expected a string"
    )


@pytest.mark.parametrize("value", [123, 1.5, True, {"id": "x"}, ["x"]])
def test_anything_but_text_where_a_guid_is_documented_is_an_error(value: object) -> None:
    assert decode_errors(session_page(room_id=value))[0].startswith(
        "$.sessions[0].room_id: expected a GUID string"
    )


def test_wrong_value_inside_image_paths_is_an_error() -> None:
    klass = payloads.full_class()
    klass["image_paths"] = {"100x100": ["nested"]}
    errors = decode_errors({"classes": [klass]})
    assert errors == ["$.classes[0].image_paths: expected a string, got an array for key '100x100'"]


# --------------------------------------------------------------------------------------------
# Datetimes.


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("2026-11-02T07:00:00", datetime(2026, 11, 2, 7)),
        ("2026-11-02T07:00:00.5", datetime(2026, 11, 2, 7, 0, 0, 500000)),
        ("2026-11-02T07:00:00.12", datetime(2026, 11, 2, 7, 0, 0, 120000)),
        ("2026-11-02T07:00:00.123456", datetime(2026, 11, 2, 7, 0, 0, 123456)),
        ("2026-11-02T07:00:00.1234567", datetime(2026, 11, 2, 7, 0, 0, 123456)),
        ("2026-11-02", datetime(2026, 11, 2)),
        ("1999-12-31T23:59:59", datetime(1999, 12, 31, 23, 59, 59)),
        ("0999-01-02T03:04:05", datetime(999, 1, 2, 3, 4, 5)),
    ],
)
def test_center_local_times_are_naive(wire: str, expected: datetime) -> None:
    start = decode_session(start_time=wire).start_time
    assert start == expected
    assert start is not None
    assert start.tzinfo is None


def test_seven_fractional_digits_are_truncated_not_rounded() -> None:
    start = decode_session(start_time="2026-12-31T23:59:59.9999999").start_time
    assert start == datetime(2026, 12, 31, 23, 59, 59, 999999)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("2026-11-02T12:00:00", datetime(2026, 11, 2, 12, tzinfo=UTC)),
        ("2026-11-02T12:00:00Z", datetime(2026, 11, 2, 12, tzinfo=UTC)),
        ("2026-11-02T12:00:00+00:00", datetime(2026, 11, 2, 12, tzinfo=UTC)),
        ("2026-11-02T12:00:00.4809104Z", datetime(2026, 11, 2, 12, 0, 0, 480910, tzinfo=UTC)),
        ("2026-11-02T17:30:00+05:30", datetime(2026, 11, 2, 12, tzinfo=UTC)),
        ("2026-11-02", datetime(2026, 11, 2, tzinfo=UTC)),
    ],
)
def test_utc_fields_are_aware_utc(wire: str, expected: datetime) -> None:
    session = decode_session(strat_time_utc=wire, end_time_utc=wire)
    for value in (session.start_time_utc, session.end_time_utc):
        assert value == expected
        assert value is not None
        assert value.utcoffset() == timedelta(0)
        assert value.tzinfo is UTC


def test_offset_on_a_local_field_is_kept() -> None:
    # Not seen from Zenoti; keeping the offset loses nothing, stripping it would.
    start = decode_session(start_time="2026-11-02T07:00:00+05:30").start_time
    assert start == datetime(2026, 11, 2, 7, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert decode_session(start_time="2026-11-02T07:00:00Z").start_time == datetime(
        2026, 11, 2, 7, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "wire",
    [
        "0001-01-01T00:00:00",
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00.0000000",
        "0001-01-01T00:00:00.0000000Z",
        "0001-01-01T00:00:00+00:00",
        "0001-01-01",
    ],
)
def test_dotnet_min_value_is_none(wire: str) -> None:
    session = decode_session(start_time=wire, strat_time_utc=wire)
    assert session.start_time is None
    assert session.start_time_utc is None
    assert decode_sessions_page({"opening_time": wire}).opening_time is None


@pytest.mark.parametrize(
    "wire",
    [
        "2026-13-01T00:00:00",
        "2026-02-30T00:00:00",
        "2026-11-02T24:00:00",
        "2026-11-02T07:60:00",
        "2026-11-02 07:00:00",
        "20261102T070000",
        "2026-W45-1T07:00:00",
        "2026-11-02T07:00",
        "2026-11-02T07:00:Z",
        "2026-11-02T07:00:00.12345678",
        "2026-11-02T07:00:00+0530",
        "2026-11-02T07:00:00+24:00",
        "2026-11-02T07:00:00 ",
        "02/11/2026 07:00",
        "not a date",
        "\uff12\uff10\uff12\uff16-11-02T07:00:00",  # full-width digits
    ],
)
def test_other_datetime_text_is_an_error_with_its_path(wire: str) -> None:
    errors = decode_errors(session_page(start_time=wire))
    assert errors == [f"$.sessions[0].start_time: invalid datetime {wire!r}"]


@pytest.mark.parametrize("value", [1762066800, 1.5, True, [], {}])
def test_non_text_datetime_is_an_error(value: object) -> None:
    assert decode_errors(session_page(end_time=value))[0].startswith(
        "$.sessions[0].end_time: expected a datetime string"
    )


def test_utc_value_outside_the_datetime_range_is_an_error() -> None:
    errors = decode_errors(session_page(end_time_utc="0001-01-01T00:30:00+01:00"))
    assert errors[0].startswith("$.sessions[0].end_time_utc: datetime out of range in UTC")


# --------------------------------------------------------------------------------------------
# Renames and aliases, both ways.


@pytest.mark.parametrize("key", ["strat_time_utc", "start_time_utc"])
def test_start_time_utc_is_read_under_both_spellings(key: str) -> None:
    session = payloads.full_session()
    del session["strat_time_utc"]
    session[key] = "2026-11-02T12:00:00"
    decoded = decode_sessions_page({"sessions": [session]}).sessions[0]
    assert decoded.start_time_utc == datetime(2026, 11, 2, 12, tzinfo=UTC)


def test_seed_spelling_wins_over_the_alias_unless_null() -> None:
    both = decode_session(strat_time_utc="2026-11-02T12:00:00", start_time_utc="2030-01-01")
    assert both.start_time_utc == datetime(2026, 11, 2, 12, tzinfo=UTC)
    null_seed = decode_session(strat_time_utc=None, start_time_utc="2030-01-01")
    assert null_seed.start_time_utc == datetime(2030, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("key", ["bundled_product_priceCheck", "bundled_product_price_check"])
def test_bundled_product_price_check_is_read_under_both_spellings(key: str) -> None:
    package = payloads.full_package()
    del package["bundled_product_priceCheck"]
    package[key] = 15
    assert decode_package(package).bundled_product_price_check == 15


@pytest.mark.parametrize("key", ["is_recurrring_membership", "is_recurring_membership"])
def test_is_recurring_membership_is_read_under_both_spellings(key: str) -> None:
    membership = payloads.full_membership()
    del membership["is_recurrring_membership"]
    membership[key] = True
    assert decode_membership(membership).is_recurring_membership is True


@pytest.mark.parametrize(
    "key", ["terms_and_conditionsAcceptance", "terms_and_conditions_acceptance"]
)
def test_terms_acceptance_is_read_under_both_spellings(key: str) -> None:
    membership = payloads.full_membership()
    del membership["terms_and_conditionsAcceptance"]
    membership[key] = "I accept."
    assert decode_membership(membership).terms_and_conditions_acceptance == "I accept."


@pytest.mark.parametrize("key", ["price", "price_details"])
def test_package_price_is_read_under_both_keys(key: str) -> None:
    package = payloads.full_package()
    package[key] = package.pop("price")
    assert decode_package(package).price == EXPECTED_PRICE


@pytest.mark.parametrize("key", ["price_details", "price"])
def test_membership_price_is_read_under_both_keys(key: str) -> None:
    membership = payloads.full_membership()
    membership[key] = membership.pop("price_details")
    assert decode_membership(membership).price_details == EXPECTED_PRICE


def test_sibling_membership_shape_is_understood() -> None:
    membership = decode_membership(payloads.sibling_center_membership())
    assert membership.price_details == PriceDetails(
        currency_code=61, currency_symbol=None, sale_price=150.0, sale_tax=0.0, final_price=150.0
    )
    assert membership.is_recurring_membership is True
    assert membership.membership_type is MembershipType.RECURRING
    assert membership.frequency_text == "12 Months"
    assert membership.description == ""


def test_sibling_html_description_fills_description_html() -> None:
    membership = payloads.full_membership()
    membership["html_description"] = membership.pop("description_html")
    assert decode_membership(membership).description_html == "<p>Unlimited classes.</p>"
    package = payloads.full_package()
    package["html_description"] = package.pop("description_html")
    assert decode_package(package).description_html == "<p>Ten classes, any format.</p>"


def test_to_wire_emits_the_seed_spellings() -> None:
    session = to_wire(decode_session(start_time_utc="2026-11-02T12:00:00", strat_time_utc=None))
    assert session["strat_time_utc"] == "2026-11-02T12:00:00Z"
    assert "start_time_utc" not in session
    package = to_wire(decode_package(payloads.full_package()))
    assert package["bundled_product_priceCheck"] == 15
    assert "bundled_product_price_check" not in package
    assert package["price"]["sale_price"] == 100.0
    membership = to_wire(decode_membership(payloads.sibling_center_membership()))
    assert membership["is_recurrring_membership"] is True
    assert membership["terms_and_conditionsAcceptance"] is None
    assert membership["price_details"]["currency_code"] == 61
    assert {"price", "is_recurring_membership", "payment_frequency"}.isdisjoint(membership)


def test_to_wire_output_is_plain_json() -> None:
    wire = to_wire(decode_sessions_page(payloads.full_sessions_payload()))
    session = wire["sessions"][0]
    assert session["status"] == 2
    assert type(session["status"]) is int
    assert session["start_time"] == "2026-11-02T07:00:00"
    assert session["end_time_utc"] == "2026-11-02T13:00:00Z"
    assert wire["classes"][0]["min_time"] == "2026-01-05T06:00:00.123456"
    assert wire["page_details"] == {
        "total_records": 1,
        "total_pages": 1,
        "page": 1,
        "page_size": 100,
    }


# --------------------------------------------------------------------------------------------
# page_details.


@pytest.mark.parametrize("raw", [None, [], "page 1", 3, True])
def test_page_details_that_is_not_an_object_is_none(raw: object) -> None:
    assert decode_page_details(raw) is None


def test_missing_or_null_page_details_is_none() -> None:
    assert decode_sessions_page({}).page_details is None
    assert decode_packages_page({"page_details": None}).page_details is None


@pytest.mark.parametrize(
    ("field", "spelling"),
    [
        (field, spelling)
        for field, spellings in PAGE_DETAILS_ALIASES.items()
        for spelling in spellings
    ],
)
def test_every_page_details_spelling_is_understood(field: str, spelling: str) -> None:
    details = decode_page_details({spelling: 42})
    assert details == attrs.evolve(PageDetails(), **{field: 42})


@pytest.mark.parametrize(
    ("spelling", "field"),
    [
        ("TotalRecords", "total_records"),
        ("TOTAL_PAGES", "total_pages"),
        ("Page_Size", "page_size"),
        ("PageNumber", "page"),
        ("total-count", "total_records"),
        ("Per_Page", "page_size"),
    ],
)
def test_page_details_keys_ignore_case_and_underscores(spelling: str, field: str) -> None:
    assert getattr(decode_page_details({spelling: 5}), field) == 5


def test_page_details_alias_table_covers_every_field() -> None:
    assert set(PAGE_DETAILS_ALIASES) == {f.name for f in attrs.fields(PageDetails)}


def test_first_spelling_in_the_table_wins() -> None:
    details = decode_page_details({"count": 1, "total": 2, "total_records": 3})
    assert details == PageDetails(total_records=3)
    assert decode_page_details({"size": 10, "page_size": 20}) == PageDetails(page_size=20)


@pytest.mark.parametrize("value", ["many", None, True, 2.5, -1, [], {"a": 1}, "1e3"])
def test_unusable_page_details_value_becomes_none_only_for_that_field(value: object) -> None:
    details = decode_page_details({"total_records": value, "total_pages": 3})
    assert details == PageDetails(total_records=None, total_pages=3)


def test_page_details_numbers_are_normalized() -> None:
    details = decode_page_details({"total": "27", "pages": 3.0, "size": " 10 ", "page": 1})
    assert details == PageDetails(total_records=27, total_pages=3, page_size=10, page=1)


def test_unusable_spelling_falls_back_to_the_next_usable_one() -> None:
    assert decode_page_details({"total_records": "?", "total": 9}) == PageDetails(total_records=9)


def test_page_info_is_read_when_page_details_is_absent() -> None:
    page = decode_packages_page({"page_info": {"total": 27, "page": 1, "size": 10}})
    assert page.page_details == PageDetails(total_records=27, page=1, page_size=10)


# --------------------------------------------------------------------------------------------
# The error object never hides the API's answer.


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            {"code": 502, "message": "Search Type is invalid."},
            ErrorInfo(502, "Search Type is invalid."),
        ),
        ({"code": "503", "message": "x"}, ErrorInfo(503, "x")),
        ({"code": "502 - InvalidInput", "message": None}, ErrorInfo(502, None)),
        (
            {"StatusCode": 500, "Message": "Something went wrong."},
            ErrorInfo(500, "Something went wrong."),
        ),
        # Read by the parser the response layer uses (api_error): one rule for a code.
        ({"code": "InvalidInput", "message": {"deep": 1}}, ErrorInfo(502, None)),
        ("Something went wrong.", ErrorInfo(None, "Something went wrong.")),
        ({}, None),
        ({"code": None, "message": ""}, None),
        (None, None),
        ([1, 2], None),
    ],
)
def test_error_object_is_decoded_without_failing(raw: object, expected: ErrorInfo | None) -> None:
    assert decode_sessions_page({"error": raw, "sessions": None}).error == expected


# --------------------------------------------------------------------------------------------
# DecodeError: always that type, always with paths.


def test_decode_error_names_the_path_of_the_bad_value() -> None:
    sessions = [payloads.full_session() for _ in range(5)]
    sessions[3]["start_time"] = "2026-13-01T00:00:00"
    with pytest.raises(DecodeError) as info:
        decode_sessions_page({"sessions": sessions})
    error = info.value
    assert error.errors == ["$.sessions[3].start_time: invalid datetime '2026-13-01T00:00:00'"]
    assert "sessions[3].start_time" in str(error)
    assert isinstance(error, ResponseError)
    assert error.__cause__ is not None


def test_decode_error_lists_every_problem() -> None:
    sessions = [payloads.full_session() for _ in range(3)]
    sessions[0]["capacity"] = "lots"
    sessions[2]["room_id"] = 7
    sessions[2]["price"] = []
    errors = decode_errors({"sessions": sessions, "levels": [{"id": 1.5}]})
    assert errors == [
        "$.sessions[0].capacity: expected an integer, got 'lots'",
        "$.sessions[2].price: expected a number, got an array",
        "$.sessions[2].room_id: expected a GUID string, got 7",
        "$.levels[0].id: expected an integer, got 1.5 (never truncated)",
    ]


def test_nested_object_errors_carry_the_nested_path() -> None:
    package = payloads.full_package()
    package["price"]["final_price"] = "free"
    errors = decode_errors({"packages": [package]}, decode_packages_page)
    assert errors == ["$.packages[0].price.final_price: expected a number, got 'free'"]


NOT_OBJECTS: list[object] = [[], "body", 3, 1.5, None, True, [{"sessions": []}]]


@pytest.mark.parametrize(
    ("decode", "payload"),
    [
        (decode, payload)
        for decode in (decode_sessions_page, decode_packages_page, decode_memberships_page)
        for payload in NOT_OBJECTS
    ],
)
def test_payload_that_is_not_an_object_is_a_decode_error(decode: Any, payload: object) -> None:
    errors = decode_errors(payload, decode)
    assert len(errors) == 1
    assert errors[0].startswith("$: expected an object, got ")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"sessions": {"id": 1}}, "$.sessions: expected an array, got an object"),
        ({"sessions": "abc"}, "$.sessions: expected an array, got 'abc'"),
        ({"sessions": 3}, "$.sessions: expected an array, got 3"),
        ({"sessions": [[1]]}, "$.sessions[0]: expected an object, got an array"),
        ({"sessions": [None]}, "$.sessions[0]: expected an object, got null"),
        ({"sessions": ["x"]}, "$.sessions[0]: expected an object, got 'x'"),
        (
            {"classes": [{"image_paths": "a.png"}]},
            "$.classes[0].image_paths: expected an object, got 'a.png'",
        ),
        (
            {"instructors": [{"image_paths": {"a": "b"}}]},
            "$.instructors[0].image_paths: expected a string, got an object",
        ),
        (
            {"opening_time": ["2026-11-02"]},
            "$.opening_time: expected a datetime string, got an array",
        ),
    ],
)
def test_wrong_kind_of_json_value_is_a_decode_error(payload: object, message: str) -> None:
    assert decode_errors(payload) == [message]


@pytest.mark.parametrize("key", ["price", "price_details"])
def test_price_that_is_not_an_object_is_a_decode_error(key: str) -> None:
    membership = payloads.full_membership()
    del membership["price_details"]
    membership[key] = [1]
    errors = decode_errors({"memberships": [membership]}, decode_memberships_page)
    assert errors == ["$.memberships[0].price_details: expected an object, got an array"]


def deeply_nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "payload",
    [
        deeply_nested(100_000),
        {"sessions": deeply_nested(100_000)},
        {"sessions": [{"id": deeply_nested(100_000)}]},
        {"classes": [{"image_paths": {"a": deeply_nested(100_000)}}]},
        {"error": deeply_nested(100_000), "sessions": [{"name": deeply_nested(100_000)}]},
    ],
)
def test_deeply_nested_json_is_a_decode_error_not_a_recursion_error(payload: object) -> None:
    with pytest.raises(DecodeError) as info:
        decode_sessions_page(payload)  # type: ignore[arg-type]
    assert all("nested too deeply" not in line for line in info.value.errors)
    str(info.value)


def test_deeply_nested_unknown_key_is_ignored() -> None:
    payload = session_page(extra=deeply_nested(100_000))
    assert decode_sessions_page(payload).sessions[0].id == 89607


def test_huge_integer_is_kept_where_an_int_is_documented() -> None:
    assert decode_session(capacity=10**30).capacity == 10**30


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"price": 10**400}, "price: number out of range"),
        ({"name": 10**5000}, "name: expected a string, got an integer of about 5000 digits"),
        ({"capacity": "9" * 5000}, "capacity: integer text too long"),
        # An integral float past 2**53 is not an exact integer: orjson reads integers beyond
        # 64 bits as floats, so accepting it would silently change an id.
        ({"status": 1.5e300}, "status: integer 1.5e+300 is beyond 2**53"),
        ({"id": 123456789012345678901234567890.0}, "id: integer"),
    ],
)
def test_huge_numbers_never_escape_as_another_exception(
    fields: dict[str, object], path: str
) -> None:
    errors = decode_errors(session_page(**fields))
    assert len(errors) == 1
    assert errors[0].startswith(f"$.sessions[0].{path}")


def test_long_bad_text_is_shortened_in_the_message() -> None:
    errors = decode_errors(session_page(start_time="x" * 10_000))
    assert len(errors[0]) < 150


# --------------------------------------------------------------------------------------------
# Round trips.


@pytest.mark.parametrize(
    ("payload", "decode"),
    [
        (payloads.full_sessions_payload(), decode_sessions_page),
        (payloads.full_packages_payload(), decode_packages_page),
        (payloads.full_memberships_payload(), decode_memberships_page),
        ({"memberships": [payloads.sibling_center_membership()]}, decode_memberships_page),
        (session_page(status=42, start_time="2026-11-02T07:00:00+05:30"), decode_sessions_page),
    ],
)
def test_decode_of_to_wire_gives_back_the_model(payload: dict[str, Any], decode: Any) -> None:
    model = decode(payload)
    assert decode(to_wire(model)) == model
    assert to_wire(decode(to_wire(model))) == to_wire(model)


# --------------------------------------------------------------------------------------------
# Properties.

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(
        ["", "0", "1", "true", "2026-11-02T07:00:00", "0001-01-01T00:00:00Z", "12.5"]
    ),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)

SESSIONS_PAGE_KEYS = [*payloads.SESSIONS_RESPONSE_FIELDS, "page_info"]


PAGE_DETAILS_KEYS = st.sampled_from(["total_records", "total_pages", "page", "page_size"])


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(PAGE_DETAILS_KEYS, json_values))
def test_unknown_page_details_keys_change_nothing(known: dict[str, object]) -> None:
    assert decode_page_details(known) == decode_page_details({**known, "other": 1})


def outcome(decode: Any, payload: object) -> object:
    """The decoded page or the DecodeError; any other exception escapes and fails the test."""
    try:
        return decode(payload)
    except DecodeError as exc:
        return exc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=st.sampled_from([*payloads.SESSION_FIELDS, "start_time_utc", "unknown"]),
    page_key=st.sampled_from(SESSIONS_PAGE_KEYS),
    value=json_values,
    page_value=json_values,
)
def test_any_json_value_in_any_field_decodes_or_raises_decode_error(
    key: str, page_key: str, value: object, page_value: object
) -> None:
    payload = payloads.full_sessions_payload()
    payload["sessions"][0][key] = value
    payload[page_key] = page_value
    before = copy.deepcopy(payload)
    result = outcome(decode_sessions_page, payload)
    assert type(result) is SessionsPage or (isinstance(result, DecodeError) and result.errors)
    assert payload == before


@settings(max_examples=150, deadline=None)
@given(
    key=st.sampled_from((*payloads.MEMBERSHIP_FIELDS, "price", "html_description")),
    value=json_values,
)
def test_any_json_value_in_a_membership_decodes_or_raises_decode_error(
    key: str, value: object
) -> None:
    payload = payloads.full_memberships_payload()
    payload["memberships"][0][key] = value
    result = outcome(decode_memberships_page, payload)
    assert type(result) is MembershipsPage or (isinstance(result, DecodeError) and result.errors)


def wire_datetimes(*, utc: bool) -> st.SearchStrategy[str]:
    moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1))
    suffixes = st.sampled_from(["", "Z", "+00:00"] if utc else [""])
    fractions = st.sampled_from(["", ".5", ".1234567", ".000001"])
    return st.builds(
        lambda moment, fraction, suffix: (
            moment.replace(microsecond=0).isoformat() + fraction + suffix
        ),
        moments,
        fractions,
        suffixes,
    )


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


ints = st.integers(min_value=-(2**31), max_value=2**31) | st.integers().map(str)
floats = st.floats(allow_nan=False, allow_infinity=False) | st.integers(-1000, 1000)
booleans = st.booleans() | st.sampled_from([0, 1, "true", "false"])
texts = st.text(max_size=20) | st.integers(-1000, 1000)
guids = st.uuids().map(str) | st.uuids().map(lambda u: u.hex)

SESSION_STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "id": ints,
    "name": texts,
    "class_id": ints,
    "start_time": wire_datetimes(utc=False),
    "end_time": wire_datetimes(utc=False),
    "strat_time_utc": wire_datetimes(utc=True),
    "end_time_utc": wire_datetimes(utc=True),
    "price": floats,
    "instructor_id": guids,
    "assistant_id": guids,
    "room_id": guids,
    "status": st.integers(-1, 9),
    "recurrence_id": ints,
    "center_id": guids,
    "center_name": texts,
    "registration_id": ints,
    "registration_status": ints,
    "is_free_session": booleans,
    "can_book": booleans,
    "can_cancel": booleans,
    "booking_stage": ints,
    "capacity": ints,
    "web_capacity": ints,
    "wait_listed_count": ints,
    "occupancy": ints,
    "web_occupancy": ints,
    "cancel_stage": ints,
    "description": texts,
    "html_description": texts,
    "available_slots": ints,
    "current_waitlist_position": ints,
    "can_book_status_id": texts,
    "can_book_status": texts,
    "cancellation_fee_window": ints,
    "cancellation_fee": floats,
    "is_instructor_substituted": booleans,
}


def test_session_strategies_cover_every_seed_field() -> None:
    assert set(SESSION_STRATEGIES) == set(payloads.SESSION_FIELDS)


valid_sessions = st.fixed_dictionaries(
    {}, optional={k: optional(v) for k, v in SESSION_STRATEGIES.items()}
)
valid_prices = st.fixed_dictionaries(
    {},
    optional={
        "currency_code": optional(ints),
        "currency_symbol": optional(texts),
        "sale_price": optional(floats),
        "sale_tax": optional(floats),
        "final_price": optional(floats),
    },
)


@settings(max_examples=200, deadline=None)
@given(
    sessions=st.lists(valid_sessions, max_size=4),
    opening_time=optional(wire_datetimes(utc=False)),
    details=optional(st.fixed_dictionaries({}, optional={"total": ints, "page_size": ints})),
)
def test_valid_sessions_pages_round_trip(
    sessions: list[dict[str, Any]], opening_time: str | None, details: dict[str, Any] | None
) -> None:
    page = decode_sessions_page(
        {"sessions": sessions, "opening_time": opening_time, "page_details": details}
    )
    assert decode_sessions_page(to_wire(page)) == page


@settings(max_examples=100, deadline=None)
@given(
    price=optional(valid_prices),
    membership_type=optional(st.integers(-1, 5)),
    image_paths=optional(st.dictionaries(st.text(max_size=8), optional(texts), max_size=3)),
)
def test_valid_memberships_round_trip(
    price: dict[str, Any] | None, membership_type: int | None, image_paths: dict[str, Any] | None
) -> None:
    membership = payloads.full_membership()
    membership.update(price_details=price, membership_type=membership_type, image_paths=image_paths)
    page = decode_memberships_page({"memberships": [membership]})
    assert decode_memberships_page(to_wire(page)) == page
