"""The msgspec peer: frozen structs of a sessions page (the decoding limit).

It describes the whole page the SDK decodes (sessions and the related classes, instructors,
categories, rooms and levels, with every field), so every contender pays for the same data.
Where the SDK does more than the peer (UTC-aware ``*_utc`` times, enum members, lenient
numbers, ``0001-01-01`` as ``None``), the peer keeps the cheaper behaviour: the comparison can
only flatter the peers. One module per peer, so a run imports (and its RSS holds) only its own.
"""

from __future__ import annotations

from datetime import datetime

import msgspec


class _Struct(msgspec.Struct, frozen=True):
    pass


class MSession(_Struct):
    id: int | None = None
    name: str | None = None
    class_id: int | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    start_time_utc: datetime | None = msgspec.field(default=None, name="strat_time_utc")
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


class MClassInfo(_Struct):
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


class MInstructor(_Struct):
    id: str | None = None
    name: str | None = None
    description: str | None = None
    image_paths: str | None = None


class MCategory(_Struct):
    id: int | None = None
    name: str | None = None
    parent_id: int | None = None


class MRoom(_Struct):
    id: str | None = None
    name: str | None = None


class MLevel(_Struct):
    id: int | None = None
    code: str | None = None
    name: str | None = None
    description: str | None = None
    html_description: str | None = None


class MPageDetails(_Struct):
    total_records: int | None = None
    total_pages: int | None = None
    page: int | None = None
    page_size: int | None = None


class MErrorInfo(_Struct):
    code: int | None = None
    message: str | None = None


class MSessionsPage(_Struct):
    sessions: list[MSession] = []
    classes: list[MClassInfo] = []
    instructors: list[MInstructor] = []
    categories: list[MCategory] = []
    rooms: list[MRoom] = []
    levels: list[MLevel] = []
    opening_time: datetime | None = None
    page_details: MPageDetails | None = None
    error: MErrorInfo | None = None


_msgspec_decoder = msgspec.json.Decoder(MSessionsPage)


def msgspec_page(body: bytes) -> tuple[list[MSession], int | None]:
    page = _msgspec_decoder.decode(body)
    details = page.page_details
    return page.sessions, details.total_pages if details else None
