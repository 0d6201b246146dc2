"""Typed records of the Zenoti classes API (sessions, packages, memberships).

Plain attrs classes with clean Python names and no wire knowledge: renames of the vendor's
typos, date parsing, lenient numbers and unknown keys are the business of the private
converter (``zenoti_async._sansio.converter``). Every field is optional and defaults to ``None``
because the API omits or nulls fields freely; list fields default to an empty list.

Times: center-local times (``start_time``, ``start_date``, ...) are naive ``datetime``
objects; every ``*_utc`` field is timezone-aware in UTC. .NET's ``DateTime.MinValue``
(``0001-01-01T00:00:00``), which Zenoti sends for "no date", is ``None``.

Enums: a value the vendor adds after this release is kept as a plain ``int`` instead of
failing the page, hence the ``SessionStatus | int`` style annotations.
"""

from datetime import datetime
from enum import IntEnum

import attrs

__all__ = [
    "Category",
    "ClassInfo",
    "ClassType",
    "ErrorInfo",
    "Instructor",
    "Level",
    "Membership",
    "MembershipSearchType",
    "MembershipType",
    "MembershipsPage",
    "Package",
    "PackageSearchType",
    "PackagesPage",
    "PageDetails",
    "PriceDetails",
    "Room",
    "Session",
    "SessionStatus",
    "SessionsPage",
]


class SessionStatus(IntEnum):
    """Status of a class session (``sessions[].status``)."""

    ACTIVE = 0
    CANCELLED = 1
    UPCOMING = 2
    IN_PROGRESS = 3
    COMPLETED = 4


class ClassType(IntEnum):
    """Type of a class (``classes[].type``)."""

    CLASS = 1
    #: The vendor's table reads "1 - Class, 2 - Class, and 3 - Workshop": two values share the
    #: name "Class" and nothing public tells them apart, so the second keeps a neutral name.
    CLASS_2 = 2
    WORKSHOP = 3


class MembershipType(IntEnum):
    """Kind of a membership (``memberships[].membership_type``)."""

    NON_RECURRING = 0
    RECURRING = 1
    SETUP = 2


class PackageSearchType(IntEnum):
    """What the ``item_ids`` of a packages request refer to (request ``search_type``)."""

    CLASS = 0
    CENTER = 1


class MembershipSearchType(IntEnum):
    """What the ``item_ids`` of a memberships request refer to (request ``search_type``)."""

    CLASS = 0
    CATEGORY = 1
    CENTER = 2


@attrs.frozen
class Session:
    """One scheduled class session (an item of ``sessions``)."""

    id: int | None = None
    name: str | None = None
    class_id: int | None = None
    #: Center-local time, naive.
    start_time: datetime | None = None
    #: Center-local time, naive.
    end_time: datetime | None = None
    #: UTC, aware. The wire key is the vendor's typo ``strat_time_utc``.
    start_time_utc: datetime | None = None
    #: UTC, aware.
    end_time_utc: datetime | None = None
    price: float | None = None
    instructor_id: str | None = None
    assistant_id: str | None = None
    room_id: str | None = None
    status: SessionStatus | int | None = None
    recurrence_id: int | None = None
    center_id: str | None = None
    center_name: str | None = None
    #: The guest's registration for this session, when the request named a guest.
    registration_id: int | None = None
    registration_status: int | None = None
    is_free_session: bool | None = None
    can_book: bool | None = None
    can_cancel: bool | None = None
    booking_stage: int | None = None
    capacity: int | None = None
    #: Capacity of the online session.
    web_capacity: int | None = None
    wait_listed_count: int | None = None
    occupancy: int | None = None
    web_occupancy: int | None = None
    cancel_stage: int | None = None
    description: str | None = None
    html_description: str | None = None
    available_slots: int | None = None
    current_waitlist_position: int | None = None
    #: Documented as a string although it is an identifier; numbers are kept as their str.
    can_book_status_id: str | None = None
    can_book_status: str | None = None
    #: In days, per the vendor.
    cancellation_fee_window: int | None = None
    cancellation_fee: float | None = None
    is_instructor_substituted: bool | None = None


@attrs.frozen
class ClassInfo:
    """A class that sessions are scheduled from (an item of ``classes``)."""

    id: int | None = None
    name: str | None = None
    category_id: int | None = None
    #: Center-local, naive.
    start_date: datetime | None = None
    #: Center-local, naive.
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
    #: An int flag on the wire, not a boolean.
    show_in_catalog: int | None = None
    sort_order: int | None = None
    show_price: bool | None = None
    allow_wait_list: bool | None = None
    #: In days, per the vendor.
    wait_list_lock_window: int | None = None
    enable_enrol: bool | None = None
    level_id: int | None = None
    registration_notes: str | None = None
    enable_payments: bool | None = None
    #: Image size (for example ``"100x100"``) -> image URL.
    image_paths: dict[str, str] | None = None
    #: Earliest start time of the class's sessions, center-local.
    min_time: datetime | None = None
    #: Latest start time of the class's sessions, center-local.
    max_time: datetime | None = None
    web_capacity: int | None = None
    #: Hours before the start after which registration closes (decimal on the wire).
    registration_lock_window: float | None = None
    #: Hours before the start until which waitlisted guests are confirmed automatically.
    auto_confirm_lock_window: float | None = None
    #: Services Accounting Code.
    sac: str | None = None
    type: ClassType | int | None = None


@attrs.frozen
class Instructor:
    """An instructor who teaches sessions (an item of ``instructors``)."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    #: A single path here, unlike the size -> URL dictionaries of classes and memberships.
    image_paths: str | None = None


@attrs.frozen
class Category:
    """A class category (an item of ``categories``)."""

    id: int | None = None
    name: str | None = None
    parent_id: int | None = None


@attrs.frozen
class Room:
    """A room sessions take place in (an item of ``rooms``)."""

    id: str | None = None
    name: str | None = None


@attrs.frozen
class Level:
    """A proficiency or difficulty level (an item of ``levels``)."""

    id: int | None = None
    code: str | None = None
    name: str | None = None
    description: str | None = None
    html_description: str | None = None


@attrs.frozen
class PriceDetails:
    """Price elements of a package or a membership."""

    #: Zenoti's numeric currency identifier (``61`` in samples), not an ISO 4217 code.
    currency_code: int | None = None
    currency_symbol: str | None = None
    sale_price: float | None = None
    sale_tax: float | None = None
    final_price: float | None = None


@attrs.frozen
class Package:
    """A package with a benefit for the requested classes or centers (an item of ``packages``)."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    code: str | None = None
    has_bundled_products: bool | None = None
    #: Minutes of the service associated with the package.
    duration: int | None = None
    #: Documented as an int "price of the products bundled with the package". The wire key is
    #: ``bundled_product_priceCheck``.
    bundled_product_price_check: int | None = None
    bundled_product_price_percentage: float | None = None
    package_price_with_out_tax: float | None = None
    type: int | None = None
    price: PriceDetails | None = None
    package_cost_inc_bundled_products: float | None = None
    services: str | None = None
    items: str | None = None
    can_book: bool | None = None
    package_display_name: str | None = None
    package_display_price: int | None = None
    description_html: str | None = None
    terms_and_conditions: str | None = None
    #: Center-local, naive.
    expiration_date: datetime | None = None
    expiration_days: int | None = None
    #: In days or months, depending on ``scheduled_payment_frequency_type``.
    scheduled_payment_frequency: int | None = None
    scheduled_payment_frequency_type: int | None = None
    #: An int flag on the wire, not a boolean.
    restrict_redemption_to_this_center: int | None = None
    center_name: str | None = None
    package_category_name: str | None = None


@attrs.frozen
class Membership:
    """A membership with a benefit for the requested classes (an item of ``memberships``)."""

    id: str | None = None
    version_id: str | None = None
    #: Documented as an enum without its values.
    type: int | None = None
    name: str | None = None
    price_details: PriceDetails | None = None
    can_book: bool | None = None
    show_price: bool | None = None
    display_name: str | None = None
    display_price: int | None = None
    #: Image size -> image URL.
    image_paths: dict[str, str] | None = None
    #: The wire key is the vendor's typo ``is_recurrring_membership``.
    is_recurring_membership: bool | None = None
    membership_type: MembershipType | int | None = None
    #: In days.
    first_collection_after: int | None = None
    description: str | None = None
    description_html: str | None = None
    terms_and_conditions: str | None = None
    #: The wire key is ``terms_and_conditionsAcceptance``.
    terms_and_conditions_acceptance: str | None = None
    enforce_mandatory_fields: bool | None = None
    #: Payment frequency of a recurring membership, as display text (``"12 Months"``).
    frequency_text: str | None = None


@attrs.frozen
class PageDetails:
    """Paging information echoed by the server; advisory only, and often wrong or absent."""

    total_records: int | None = None
    total_pages: int | None = None
    page: int | None = None
    page_size: int | None = None


@attrs.frozen
class ErrorInfo:
    """Zenoti's own ``error`` object: its code (not an HTTP status) and message."""

    code: int | None = None
    message: str | None = None


@attrs.frozen
class SessionsPage:
    """One page of ``GET /v1/classes/sessions``: sessions plus the objects they refer to."""

    sessions: list[Session] = attrs.field(factory=list)
    classes: list[ClassInfo] = attrs.field(factory=list)
    instructors: list[Instructor] = attrs.field(factory=list)
    categories: list[Category] = attrs.field(factory=list)
    rooms: list[Room] = attrs.field(factory=list)
    levels: list[Level] = attrs.field(factory=list)
    #: Center-local, naive.
    opening_time: datetime | None = None
    page_details: PageDetails | None = None
    error: ErrorInfo | None = None


@attrs.frozen
class PackagesPage:
    """One page of ``GET /v1/classes/packages``."""

    packages: list[Package] = attrs.field(factory=list)
    page_details: PageDetails | None = None
    error: ErrorInfo | None = None


@attrs.frozen
class MembershipsPage:
    """One page of ``GET /v1/classes/memberships``."""

    memberships: list[Membership] = attrs.field(factory=list)
    page_details: PageDetails | None = None
    error: ErrorInfo | None = None
