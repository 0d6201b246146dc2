"""Response bodies of the three class endpoints, with every field of the vendor's tables.

The seed field lists are copied from the vendor reference pages (shared/seeds) so the tests
do not need those files: a field dropped from a model or from these payloads fails
``tests/test_converter.py``. Each ``full_*_payload()`` returns a fresh dict, safe to mutate.

Values are realistic: dashed GUIDs as in the vendor's samples, center-local times with UTC
twins, one 7-digit .NET fraction, and the seed's own key spellings (``strat_time_utc``,
``bundled_product_priceCheck``, ``is_recurrring_membership``,
``terms_and_conditionsAcceptance``).

``to_wire`` turns a model back into such a body (cattrs unstructuring with the converter's
renames), for round-trip tests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from zenoti_async._sansio.converter import RENAMES

# --------------------------------------------------------------------------------------------
# Field names exactly as in the seed tables, in table order.

SESSIONS_RESPONSE_FIELDS: Final = (
    "sessions",
    "classes",
    "instructors",
    "categories",
    "rooms",
    "levels",
    "opening_time",
    "page_details",
    "error",
)
SESSION_FIELDS: Final = (
    "id",
    "name",
    "class_id",
    "start_time",
    "end_time",
    "strat_time_utc",
    "end_time_utc",
    "price",
    "instructor_id",
    "assistant_id",
    "room_id",
    "status",
    "recurrence_id",
    "center_id",
    "center_name",
    "registration_id",
    "registration_status",
    "is_free_session",
    "can_book",
    "can_cancel",
    "booking_stage",
    "capacity",
    "web_capacity",
    "wait_listed_count",
    "occupancy",
    "web_occupancy",
    "cancel_stage",
    "description",
    "html_description",
    "available_slots",
    "current_waitlist_position",
    "can_book_status_id",
    "can_book_status",
    "cancellation_fee_window",
    "cancellation_fee",
    "is_instructor_substituted",
)
CLASS_FIELDS: Final = (
    "id",
    "name",
    "category_id",
    "start_date",
    "end_date",
    "description",
    "html_description",
    "catalog_price",
    "capacity",
    "allow_web_booking",
    "allow_direct_booking",
    "allow_cancellation_fee",
    "allow_no_show_fee",
    "display_name",
    "show_in_catalog",
    "sort_order",
    "show_price",
    "allow_wait_list",
    "wait_list_lock_window",
    "enable_enrol",
    "level_id",
    "registration_notes",
    "enable_payments",
    "image_paths",
    "min_time",
    "max_time",
    "web_capacity",
    "registration_lock_window",
    "auto_confirm_lock_window",
    "sac",
    "type",
)
INSTRUCTOR_FIELDS: Final = ("id", "name", "description", "image_paths")
CATEGORY_FIELDS: Final = ("id", "name", "parent_id")
ROOM_FIELDS: Final = ("id", "name")
LEVEL_FIELDS: Final = ("id", "code", "name", "description", "html_description")
ERROR_FIELDS: Final = ("code", "message")

PACKAGES_RESPONSE_FIELDS: Final = ("error", "packages", "page_details")
PACKAGE_FIELDS: Final = (
    "id",
    "name",
    "description",
    "code",
    "has_bundled_products",
    "duration",
    "bundled_product_priceCheck",
    "bundled_product_price_percentage",
    "package_price_with_out_tax",
    "type",
    "price",
    "package_cost_inc_bundled_products",
    "services",
    "items",
    "can_book",
    "package_display_name",
    "package_display_price",
    "description_html",
    "terms_and_conditions",
    "expiration_date",
    "expiration_days",
    "scheduled_payment_frequency",
    "scheduled_payment_frequency_type",
    "restrict_redemption_to_this_center",
    "center_name",
    "package_category_name",
)
PRICE_DETAILS_FIELDS: Final = (
    "currency_code",
    "currency_symbol",
    "sale_price",
    "sale_tax",
    "final_price",
)

MEMBERSHIPS_RESPONSE_FIELDS: Final = ("error", "memberships", "page_details")
MEMBERSHIP_FIELDS: Final = (
    "id",
    "version_id",
    "type",
    "name",
    "price_details",
    "can_book",
    "show_price",
    "display_name",
    "display_price",
    "image_paths",
    "is_recurrring_membership",
    "membership_type",
    "first_collection_after",
    "description",
    "description_html",
    "terms_and_conditions",
    "terms_and_conditionsAcceptance",
    "enforce_mandatory_fields",
    "frequency_text",
)

CENTER_ID: Final = "e1693623-bda5-4b3e-a2a7-611ea4f1f7ad"
INSTRUCTOR_ID: Final = "ef44e802-505c-4129-9744-0978c094c8f2"
ASSISTANT_ID: Final = "6239c1de-a961-750e-01dd-a035b2c8e7f1"
ROOM_ID: Final = "64b05ce4-ecfd-4478-bb42-b7378194bfa8"
PACKAGE_ID: Final = "960c75ea-e632-45fd-ba11-a5566cb6acda"
MEMBERSHIP_ID: Final = "6a1bf622-d343-47f4-be65-a5dccace7f03"
MEMBERSHIP_VERSION_ID: Final = "c33f162d-7758-4d39-96dd-c6e5901bdfcc"


def full_session() -> dict[str, Any]:
    """One session with every seed field set (no nulls), as the seed spells the keys."""
    return {
        "id": 89607,
        "name": "Vinyasa Flow 60",
        "class_id": 11370,
        "start_time": "2026-11-02T07:00:00",
        "end_time": "2026-11-02T08:00:00",
        "strat_time_utc": "2026-11-02T12:00:00",
        "end_time_utc": "2026-11-02T13:00:00",
        "price": 25.5,
        "instructor_id": INSTRUCTOR_ID,
        "assistant_id": ASSISTANT_ID,
        "room_id": ROOM_ID,
        "status": 2,
        "recurrence_id": 4411,
        "center_id": CENTER_ID,
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


def full_class() -> dict[str, Any]:
    return {
        "id": 11370,
        "name": "Vinyasa Flow",
        "category_id": 301,
        "start_date": "2026-01-05T00:00:00",
        "end_date": "2026-12-28T00:00:00",
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
        # The one 7-digit .NET fraction: .1234567 truncates to 123456 microseconds.
        "min_time": "2026-01-05T06:00:00.1234567",
        "max_time": "2026-12-28T19:30:00",
        "web_capacity": 15,
        "registration_lock_window": 1.5,
        "auto_confirm_lock_window": 2.0,
        "sac": "999723",
        "type": 3,
    }


def full_instructor() -> dict[str, Any]:
    return {
        "id": INSTRUCTOR_ID,
        "name": "Asha Rao",
        "description": "E-RYT 500, teaching since 2012.",
        "image_paths": "https://cdn.example.com/instructors/asha.png",
    }


def full_category() -> dict[str, Any]:
    return {"id": 301, "name": "Yoga", "parent_id": 300}


def full_room() -> dict[str, Any]:
    return {"id": ROOM_ID, "name": "Studio A"}


def full_level() -> dict[str, Any]:
    return {
        "id": 2,
        "code": "INT",
        "name": "Intermediate",
        "description": "Comfortable with sun salutations.",
        "html_description": "<p>Comfortable with sun salutations.</p>",
    }


def full_sessions_payload() -> dict[str, Any]:
    """A sessions page with one of each object, every seed field present."""
    return {
        "sessions": [full_session()],
        "classes": [full_class()],
        "instructors": [full_instructor()],
        "categories": [full_category()],
        "rooms": [full_room()],
        "levels": [full_level()],
        "opening_time": "2026-11-02T06:00:00",
        "page_details": {"total_records": 1, "total_pages": 1, "page": 1, "page_size": 100},
        "error": {"code": 404, "message": "No Data found."},
    }


def full_price_details() -> dict[str, Any]:
    return {
        "currency_code": 61,
        "currency_symbol": "$",
        "sale_price": 100.0,
        "sale_tax": 8.25,
        "final_price": 108.25,
    }


def full_package() -> dict[str, Any]:
    return {
        "id": PACKAGE_ID,
        "name": "belu pack1",
        "description": "Ten classes, any format.",
        "code": "bp1",
        "has_bundled_products": True,
        "duration": 60,
        "bundled_product_priceCheck": 15,
        "bundled_product_price_percentage": 12.5,
        "package_price_with_out_tax": 100.0,
        "type": 2,
        "price": full_price_details(),
        "package_cost_inc_bundled_products": 115.0,
        "services": "Vinyasa Flow",
        "items": "Yoga mat",
        "can_book": True,
        "package_display_name": "belu pack1 - web",
        "package_display_price": 100,
        "description_html": "<p>Ten classes, any format.</p>",
        "terms_and_conditions": "Non-refundable.",
        "expiration_date": "2027-03-01T00:00:00",
        "expiration_days": 120,
        "scheduled_payment_frequency": 1,
        "scheduled_payment_frequency_type": 2,
        "restrict_redemption_to_this_center": 1,
        "center_name": "Downtown Studio",
        "package_category_name": "Class packs",
    }


def full_packages_payload() -> dict[str, Any]:
    return {
        "error": None,
        "packages": [full_package()],
        "page_details": {"total_records": 27, "total_pages": 3, "page": 1, "page_size": 10},
    }


def full_membership() -> dict[str, Any]:
    return {
        "id": MEMBERSHIP_ID,
        "version_id": MEMBERSHIP_VERSION_ID,
        "type": 1,
        "name": "BMW First Class Membership",
        "price_details": full_price_details(),
        "can_book": True,
        "show_price": True,
        "display_name": "First Class",
        "display_price": 1789,
        "image_paths": {"200x200": "https://cdn.example.com/memberships/first.png"},
        "is_recurrring_membership": True,
        "membership_type": 1,
        "first_collection_after": 30,
        "description": "Unlimited classes.",
        "description_html": "<p>Unlimited classes.</p>",
        "terms_and_conditions": "Twelve-month minimum.",
        "terms_and_conditionsAcceptance": "I accept the terms.",
        "enforce_mandatory_fields": False,
        "frequency_text": "12 Months",
    }


def full_memberships_payload() -> dict[str, Any]:
    return {
        "error": None,
        "memberships": [full_membership()],
        "page_details": {"total_records": 78, "total_pages": 8, "page": 1, "page_size": 10},
    }


def sibling_center_membership() -> dict[str, Any]:
    """A membership as ``/v1/centers/{id}/memberships`` spells it (vendor sample, trimmed)."""
    return {
        "id": "bf6da36a-f402-4f66-b6d1-953829288a83",
        "version_id": "bf6da36a-f402-4f66-b6d1-953829288a83",
        "name": "Guest Pass MEmbership Two - Cloned",
        "price": {"currency_id": 61, "sales": 150, "tax": 0, "final": 150},
        "can_book": True,
        "show_price": True,
        "display_name": None,
        "display_price": None,
        "image_paths": None,
        "is_recurring_membership": True,
        "membership_type": 1,
        "first_collection_after": 0,
        "description": "",
        "html_description": None,
        "terms_and_conditions": None,
        "terms_and_conditions_acceptance": None,
        "enforce_mandatory_fields": False,
        "payment_frequency": "12 Months",
    }


# --------------------------------------------------------------------------------------------
# Models -> wire bodies.


def _datetime_text(value: datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


_wire = cattrs.Converter()
_wire.register_unstructure_hook(datetime, _datetime_text)
_wire.register_unstructure_hook_factory(
    attrs.has,
    lambda cls: make_dict_unstructure_fn(
        cls,
        _wire,
        **{name: override(rename=key) for (owner, name), key in RENAMES.items() if owner is cls},
    ),
)


def to_wire(model: attrs.AttrsInstance) -> dict[str, Any]:
    """A model as the seed's JSON: every documented key (``None`` stays ``null``), the seed's
    spellings, ISO 8601 datetimes with ``Z`` for UTC, enums as plain ints, ``page_details``
    under this SDK's names. ``decode_*(to_wire(model)) == model``."""
    wire: dict[str, Any] = _wire.unstructure(model)
    return wire
