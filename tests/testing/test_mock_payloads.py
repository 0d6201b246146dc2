"""The mock serves every object and field of the seed pages, spelled as the seeds spell them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import pytest

from tests.testing._support import center_with_sessions, fetch
from zenoti_async.testing import Dataset, MockZenoti

# Field lists copied from the vendor's reference pages (typos included). A trailing "?" marks
# the seed's nullable types.
SESSION_FIELDS = """id name class_id start_time end_time strat_time_utc end_time_utc price
instructor_id assistant_id room_id status recurrence_id center_id center_name registration_id
registration_status is_free_session can_book can_cancel booking_stage capacity web_capacity?
wait_listed_count? occupancy web_occupancy cancel_stage description? html_description?
available_slots? current_waitlist_position? can_book_status_id can_book_status
cancellation_fee_window cancellation_fee is_instructor_substituted"""
CLASS_FIELDS = """id name? category_id start_date? end_date? description? html_description?
catalog_price capacity allow_web_booking allow_direct_booking allow_cancellation_fee
allow_no_show_fee display_name? show_in_catalog sort_order show_price allow_wait_list?
wait_list_lock_window enable_enrol level_id registration_notes enable_payments image_paths?
min_time? max_time? web_capacity? registration_lock_window auto_confirm_lock_window sac type"""
INSTRUCTOR_FIELDS = "id name description image_paths?"
CATEGORY_FIELDS = "id name parent_id"
ROOM_FIELDS = "id name"
LEVEL_FIELDS = "id code name description? html_description?"
PACKAGE_FIELDS = """id name description? code? has_bundled_products duration
bundled_product_priceCheck bundled_product_price_percentage package_price_with_out_tax type
price package_cost_inc_bundled_products services? items? can_book package_display_name
package_display_price description_html terms_and_conditions expiration_date? expiration_days
scheduled_payment_frequency scheduled_payment_frequency_type
restrict_redemption_to_this_center center_name package_category_name"""
PRICE_FIELDS = "currency_code currency_symbol sale_price sale_tax final_price"
MEMBERSHIP_FIELDS = """id version_id type name price_details can_book show_price display_name
display_price image_paths? is_recurrring_membership membership_type first_collection_after
description description_html terms_and_conditions terms_and_conditionsAcceptance
enforce_mandatory_fields frequency_text"""
SESSIONS_RESPONSE = (
    "sessions classes instructors categories rooms levels opening_time page_details error"
)
PACKAGES_RESPONSE = "error packages page_details"
MEMBERSHIPS_RESPONSE = "error memberships page_details"

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
LOCAL_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")


def names(spec: str) -> set[str]:
    return {f.rstrip("?") for f in spec.split()}


def nullable(spec: str) -> set[str]:
    return {f.rstrip("?") for f in spec.split() if f.endswith("?")}


def assert_null_policy(records: list[dict[str, Any]], spec: str, what: str) -> None:
    """Non-nullable fields are never null; each nullable field is null somewhere and set
    somewhere (so a client meets both on real-looking data)."""
    assert records, what
    for field in names(spec):
        values = [r[field] for r in records]
        if field in nullable(spec):
            assert any(v is None for v in values), f"{what}.{field} is never null"
            assert any(v is not None for v in values), f"{what}.{field} is always null"
        else:
            assert all(v is not None for v in values), f"{what}.{field} is null"


@pytest.mark.zenoti_mock(centers=40, seed=7)
async def test_sessions_response_has_every_seed_object_and_field(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    center = center_with_sessions(zenoti_mock.dataset, 100)
    body = (await fetch(http, zenoti_mock, "sessions", {"center_id": center, "size": 100})).json()
    assert list(body) == SESSIONS_RESPONSE.split()
    assert body["error"] is None
    assert len(body["sessions"]) == 100
    expected = {
        "sessions": SESSION_FIELDS,
        "classes": CLASS_FIELDS,
        "instructors": INSTRUCTOR_FIELDS,
        "categories": CATEGORY_FIELDS,
        "rooms": ROOM_FIELDS,
        "levels": LEVEL_FIELDS,
    }
    for key, spec in expected.items():
        assert body[key], key
        for record in body[key]:
            assert set(record) == names(spec), key


@pytest.mark.zenoti_mock(centers=40, seed=7)
async def test_packages_and_memberships_have_every_seed_field(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    centers = zenoti_mock.center_ids
    packages = (
        await fetch(
            http, zenoti_mock, "packages", {"search_type": 1, "item_ids": ",".join(centers)}
        )
    ).json()
    assert list(packages) == PACKAGES_RESPONSE.split()
    assert packages["error"] is None
    for package in packages["packages"]:
        assert set(package) == names(PACKAGE_FIELDS)
        assert set(package["price"]) == names(PRICE_FIELDS)
    params = {"search_type": 2, "item_ids": ",".join(centers)}
    memberships = (await fetch(http, zenoti_mock, "memberships", params)).json()
    assert list(memberships) == MEMBERSHIPS_RESPONSE.split()
    for membership in memberships["memberships"]:
        assert set(membership) == names(MEMBERSHIP_FIELDS)
        assert set(membership["price_details"]) == names(PRICE_FIELDS)


def test_seed_typos_are_kept_on_the_wire() -> None:
    dataset = Dataset(centers=20, seed=7)
    session = dataset.sessions_for(center_with_sessions(dataset, 1))[0]
    package = dataset.packages_for(1, dataset.center_ids)[0]
    membership = dataset.memberships_for(2, dataset.center_ids)[0]
    assert "strat_time_utc" in session
    assert "start_time_utc" not in session
    assert {"bundled_product_priceCheck", "package_price_with_out_tax"} <= set(package)
    assert {"is_recurrring_membership", "terms_and_conditionsAcceptance"} <= set(membership)
    assert "is_recurring_membership" not in membership


def test_nulls_appear_exactly_where_the_seeds_allow_them() -> None:
    dataset = Dataset(centers=60, seed=7)
    sessions: list[dict[str, Any]] = []
    related: dict[str, list[dict[str, Any]]] = {"instructors": [], "levels": []}
    for center in dataset.center_ids[:30]:
        sessions += dataset.sessions_for(center)
        for guest in dataset.guest_ids_for(center)[:5]:
            sessions += dataset.sessions_for(center, guest_id=guest)
        related["instructors"] += dataset.instructors_for(center)
    assert_null_policy(sessions, SESSION_FIELDS, "sessions")
    assert_null_policy(dataset.classes(), CLASS_FIELDS, "classes")
    assert_null_policy(related["instructors"], INSTRUCTOR_FIELDS, "instructors")
    assert_null_policy(dataset.levels(), LEVEL_FIELDS, "levels")
    assert_null_policy(dataset.categories(), CATEGORY_FIELDS, "categories")
    assert_null_policy(dataset.packages_for(1, dataset.center_ids), PACKAGE_FIELDS, "packages")
    memberships = dataset.memberships_for(2, dataset.center_ids)
    assert_null_policy(memberships, MEMBERSHIP_FIELDS, "memberships")


def test_values_look_like_the_vendors() -> None:
    dataset = Dataset(centers=80, seed=7)
    sessions = [s for c in dataset.center_ids[:25] for s in dataset.sessions_for(c)]
    for session in sessions[:2000]:
        for key in ("center_id", "instructor_id", "assistant_id", "room_id"):
            assert GUID.match(session[key]), (key, session[key])
        for key in ("start_time", "end_time", "strat_time_utc", "end_time_utc"):
            assert LOCAL_TIME.match(session[key]), (key, session[key])
        assert isinstance(session["price"], float)
        assert isinstance(session["cancellation_fee"], float)
        assert session["start_time"].startswith("2026-1")
    # An absent assistant is .NET's Guid.Empty, not null: the field is not nullable.
    assert any(s["assistant_id"] == "00000000-0000-0000-0000-000000000000" for s in sessions)
    names_seen = {s["name"] for s in sessions}
    assert len(names_seen) > 20
    assert any(not n.isascii() for n in {c["name"] or "" for c in dataset.classes()})
    for family in ("Yoga", "Spin", "Pilates", "HIIT", "Barre"):
        assert any(family in (c["name"] or "") for c in dataset.classes()), family
    packages = dataset.packages_for(1, dataset.center_ids)
    memberships = dataset.memberships_for(2, dataset.center_ids)
    displayed = [p["package_display_price"] for p in packages] + [
        m["display_price"] for m in memberships
    ]
    assert any(isinstance(v, str) and v.isdigit() for v in displayed)
    assert any(isinstance(v, int) for v in displayed)
    assert all(isinstance(p["price"]["sale_price"], float) for p in packages)
    dates = [c["start_date"] for c in dataset.classes()] + [p["expiration_date"] for p in packages]
    assert "0001-01-01T00:00:00" in dates


def test_utc_twins_follow_each_centers_offset_including_half_hours() -> None:
    dataset = Dataset(centers=300, seed=7)
    offsets = {c.utc_offset_minutes for c in dataset.centers}
    assert any(o % 60 for o in offsets), "no half-hour zone"
    assert len(offsets) >= 8
    for info in dataset.centers[:40]:
        for session in dataset.sessions_for(info.id)[:20]:
            local = datetime.fromisoformat(session["start_time"])
            utc = datetime.fromisoformat(session["strat_time_utc"])
            assert local - utc == timedelta(minutes=info.utc_offset_minutes)
            end_local = datetime.fromisoformat(session["end_time"])
            assert end_local - datetime.fromisoformat(session["end_time_utc"]) == local - utc
            assert end_local > local
            assert session["center_name"] == info.name


def test_center_sizes_are_varied() -> None:
    dataset = Dataset(centers=300, seed=7)
    counts = [dataset.session_count(c) for c in dataset.center_ids]
    assert counts.count(0) >= 5
    assert sum(1 for n in counts if n > 500) >= 3, "no center spans many pages at size 100"
    typical = sorted(counts)[len(counts) // 2]
    assert 24 <= typical <= 400


@pytest.mark.zenoti_mock(centers=30, seed=7)
async def test_page_related_objects_are_exactly_those_the_page_refers_to(
    zenoti_mock: MockZenoti, http: aiohttp.ClientSession
) -> None:
    center = center_with_sessions(zenoti_mock.dataset, 30)
    body = (await fetch(http, zenoti_mock, "sessions", {"center_id": center, "size": 25})).json()
    sessions = body["sessions"]
    assert {c["id"] for c in body["classes"]} == {s["class_id"] for s in sessions}
    assert {r["id"] for r in body["rooms"]} == {s["room_id"] for s in sessions}
    people = {s["instructor_id"] for s in sessions} | {s["assistant_id"] for s in sessions}
    assert {i["id"] for i in body["instructors"]} == people - {
        "00000000-0000-0000-0000-000000000000"
    }
    assert {c["id"] for c in body["categories"]} == {c["category_id"] for c in body["classes"]}
    assert {lv["id"] for lv in body["levels"]} == {
        c["level_id"] for c in body["classes"] if c["level_id"]
    }
    assert body["opening_time"].startswith("2026-10-01T")
    assert zenoti_mock.dataset.related_objects(center, sessions) == {
        k: body[k] for k in ("classes", "instructors", "categories", "rooms", "levels")
    }
