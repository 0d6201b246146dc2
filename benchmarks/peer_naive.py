"""The naive peer: json + cattrs' default converter + frozen attrs classes.

It describes the whole page the SDK decodes (sessions and the related classes, instructors,
categories, rooms and levels, with every field), so every contender pays for the same data.
Where the SDK does more than the peer (UTC-aware ``*_utc`` times, enum members, lenient
numbers, ``0001-01-01`` as ``None``), the peer keeps the cheaper behaviour: the comparison can
only flatter the peers. One module per peer, so a run imports (and its RSS holds) only its own.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import attrs
from cattrs import Converter
from cattrs.gen import make_dict_structure_fn, override

# What a first version of such an SDK looks like: the stdlib json module, cattrs' default
# converter (detailed validation on), frozen attrs classes built through their __init__.


@attrs.frozen
class NSession:
    id: int | None = None
    name: str | None = None
    class_id: int | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    start_time_utc: datetime | None = None
    end_time_utc: datetime | None = None
    price: float | None = None
    instructor_id: str | None = None
    assistant_id: str | None = None
    room_id: str | None = None
    status: int | None = None
    recurrence_id: int | None = None
    center_id: str | None = None
    center_name: str | None = None
    registration_id: int | None = None
    registration_status: int | None = None
    is_free_session: bool | None = None
    can_book: bool | None = None
    can_cancel: bool | None = None
    booking_stage: int | None = None
    capacity: int | None = None
    web_capacity: int | None = None
    wait_listed_count: int | None = None
    occupancy: int | None = None
    web_occupancy: int | None = None
    cancel_stage: int | None = None
    description: str | None = None
    html_description: str | None = None
    available_slots: int | None = None
    current_waitlist_position: int | None = None
    can_book_status_id: str | None = None
    can_book_status: str | None = None
    cancellation_fee_window: int | None = None
    cancellation_fee: float | None = None
    is_instructor_substituted: bool | None = None


@attrs.frozen
class NClassInfo:
    id: int | None = None
    name: str | None = None
    category_id: int | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    description: str | None = None
    html_description: str | None = None
    catalog_price: float | None = None
    capacity: int | None = None
    allow_web_booking: bool | None = None
    allow_direct_booking: bool | None = None
    allow_cancellation_fee: bool | None = None
    allow_no_show_fee: bool | None = None
    display_name: str | None = None
    show_in_catalog: int | None = None
    sort_order: int | None = None
    show_price: bool | None = None
    allow_wait_list: bool | None = None
    wait_list_lock_window: int | None = None
    enable_enrol: bool | None = None
    level_id: int | None = None
    registration_notes: str | None = None
    enable_payments: bool | None = None
    image_paths: dict[str, str] | None = None
    min_time: datetime | None = None
    max_time: datetime | None = None
    web_capacity: int | None = None
    registration_lock_window: float | None = None
    auto_confirm_lock_window: float | None = None
    sac: str | None = None
    type: int | None = None


@attrs.frozen
class NInstructor:
    id: str | None = None
    name: str | None = None
    description: str | None = None
    image_paths: str | None = None


@attrs.frozen
class NCategory:
    id: int | None = None
    name: str | None = None
    parent_id: int | None = None


@attrs.frozen
class NRoom:
    id: str | None = None
    name: str | None = None


@attrs.frozen
class NLevel:
    id: int | None = None
    code: str | None = None
    name: str | None = None
    description: str | None = None
    html_description: str | None = None


@attrs.frozen
class NPageDetails:
    total_records: int | None = None
    total_pages: int | None = None
    page: int | None = None
    page_size: int | None = None


@attrs.frozen
class NErrorInfo:
    code: int | None = None
    message: str | None = None


@attrs.frozen
class NSessionsPage:
    sessions: list[NSession] = attrs.field(factory=list)
    classes: list[NClassInfo] = attrs.field(factory=list)
    instructors: list[NInstructor] = attrs.field(factory=list)
    categories: list[NCategory] = attrs.field(factory=list)
    rooms: list[NRoom] = attrs.field(factory=list)
    levels: list[NLevel] = attrs.field(factory=list)
    opening_time: datetime | None = None
    page_details: NPageDetails | None = None
    error: NErrorInfo | None = None


_naive = Converter()
_naive.register_structure_hook(datetime, lambda value, _type: datetime.fromisoformat(value))
_naive.register_structure_hook(
    NSession,
    make_dict_structure_fn(NSession, _naive, start_time_utc=override(rename="strat_time_utc")),
)


def naive_page(body: bytes) -> tuple[list[NSession], int | None]:
    payload: Any = json.loads(body)
    page = _naive.structure(payload, NSessionsPage)
    details = page.page_details
    return page.sessions, details.total_pages if details else None
