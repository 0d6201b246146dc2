"""Request validation and query building: pure, no event loop, no network."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from zenoti_async._sansio import query as _params
from zenoti_async.models import MembershipSearchType, PackageSearchType, SessionStatus

CENTER = "e1693623-bda5-4b3e-a2a7-611ea4f1f7ad"


def sessions_query(**overrides: Any) -> _params.Query:
    center = overrides.pop("center_id", CENTER)
    return _params.sessions_query(center, overrides)


def test_sessions_query_sends_every_parameter_with_its_wire_name() -> None:
    query = sessions_query(
        start_date=date(2026, 11, 1),
        end_date=date(2026, 11, 30),
        class_id=11370,
        class_name="Yoga",
        show_in_catalog=True,
        status=SessionStatus.UPCOMING,
        registration_id=119986,
        session_id=89607,
        recurrence_id=42,
        session_name="Morning flow",
        guest_id="EF44E802505C41299744 0978C094C8F2".replace(" ", ""),
        filters=[("room_id", "abc"), ("capacity", 10)],
    )
    assert query == [
        ("center_id", CENTER),
        ("start_date", "2026-11-01"),
        ("end_date", "2026-11-30"),
        ("class_id", "11370"),
        ("class_name", "Yoga"),
        ("show_in_catalog", "true"),
        ("status", "2"),
        ("registration_id", "119986"),
        ("session_id", "89607"),
        ("recurrence_id", "42"),
        ("session_name", "Morning flow"),
        ("guest_id", "ef44e802-505c-4129-9744-0978c094c8f2"),
        ("filters[0].property", "room_id"),
        ("filters[0].value", "abc"),
        ("filters[1].property", "capacity"),
        ("filters[1].value", "10"),
    ]


def test_only_given_parameters_are_sent() -> None:
    assert sessions_query() == [("center_id", CENTER)]


@pytest.mark.parametrize(
    "value",
    [CENTER, CENTER.replace("-", ""), CENTER.upper(), uuid.UUID(CENTER)],
    ids=["dashed", "undashed", "upper", "uuid"],
)
def test_center_id_accepts_guid_forms_and_sends_canonical(value: object) -> None:
    assert sessions_query(center_id=value)[0] == ("center_id", CENTER)


@pytest.mark.parametrize(
    ("value", "exc"),
    [
        ("", ValueError),
        ("not-a-guid", ValueError),
        (CENTER[:-1], ValueError),
        ("e1693623-bda54b3e-a2a7-611ea4f1f7ad", ValueError),  # dashes must be all or none
        (12345, TypeError),
        (None, TypeError),
    ],
)
def test_malformed_center_id_names_the_parameter(value: object, exc: type[Exception]) -> None:
    with pytest.raises(exc, match="^center_id"):
        sessions_query(center_id=value)


def test_end_before_start_is_refused() -> None:
    with pytest.raises(ValueError, match="end_date"):
        sessions_query(start_date=date(2026, 11, 2), end_date=date(2026, 11, 1))


@pytest.mark.parametrize(
    "value",
    [datetime(2026, 11, 1), datetime(2026, 11, 1, tzinfo=UTC)],
    ids=["naive", "aware"],
)
def test_datetimes_are_refused_for_dates(value: datetime) -> None:
    with pytest.raises(TypeError, match=r"^start_date must be a datetime\.date, got a datetime"):
        sessions_query(start_date=value)


def test_string_date_is_refused_with_a_hint() -> None:
    with pytest.raises(TypeError, match="fromisoformat"):
        sessions_query(end_date="2026-11-01")


@pytest.mark.parametrize("name", ["class_id", "registration_id", "session_id", "recurrence_id"])
@pytest.mark.parametrize(
    ("value", "exc"), [(True, TypeError), ("12", TypeError), (0, ValueError), (1.0, TypeError)]
)
def test_int_ids_are_checked(name: str, value: object, exc: type[Exception]) -> None:
    with pytest.raises(exc, match=f"^{name}"):
        sessions_query(**{name: value})


def test_status_accepts_member_or_member_value_only() -> None:
    assert ("status", "1") in sessions_query(status=1)
    with pytest.raises(ValueError, match="^status must be one of"):
        sessions_query(status=9)
    with pytest.raises(TypeError, match="^status"):
        sessions_query(status="2")


@pytest.mark.parametrize("name", ["class_name", "session_name"])
def test_empty_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match=f"^{name}"):
        sessions_query(**{name: "  "})


def test_show_in_catalog_must_be_bool() -> None:
    assert ("show_in_catalog", "false") in sessions_query(show_in_catalog=False)
    with pytest.raises(TypeError, match="^show_in_catalog"):
        sessions_query(show_in_catalog=1)


def test_filters_from_mapping_keep_order() -> None:
    query = sessions_query(filters={"a": "1", "b": True})
    assert query[1:] == [
        ("filters[0].property", "a"),
        ("filters[0].value", "1"),
        ("filters[1].property", "b"),
        ("filters[1].value", "true"),
    ]


def test_more_than_five_filters_are_refused() -> None:
    with pytest.raises(ValueError, match="at most 5"):
        sessions_query(filters=[(f"p{i}", "v") for i in range(6)])


@pytest.mark.parametrize(
    "value",
    ["room_id=abc", [("only-one",)], [("", "v")], 42],
    ids=["str", "1-tuple", "empty", "int"],
)
def test_malformed_filters_are_refused(value: object) -> None:
    with pytest.raises((TypeError, ValueError), match="^filters"):
        sessions_query(filters=value)


@pytest.mark.parametrize("size", [1, 50, 100])
def test_page_size_in_range(size: int) -> None:
    assert _params.page_size(size) == size


@pytest.mark.parametrize(("size", "exc"), [(0, ValueError), (101, ValueError), ("10", TypeError)])
def test_page_size_out_of_range(size: object, exc: type[Exception]) -> None:
    with pytest.raises(exc, match="^page_size"):
        _params.page_size(size)


def test_packages_query_class_search() -> None:
    assert _params.packages_query(search_type=PackageSearchType.CLASS, item_ids_=[11370, "12"]) == [
        ("search_type", "0"),
        ("item_ids", "11370,12"),
    ]


def test_packages_have_no_category_search() -> None:
    with pytest.raises(ValueError, match="^search_type"):
        _params.packages_query(search_type=2, item_ids_=[1])


def test_memberships_center_search_needs_guids() -> None:
    query = _params.memberships_query(
        search_type=MembershipSearchType.CENTER, item_ids_=[CENTER.replace("-", "")]
    )
    assert query == [("search_type", "2"), ("item_ids", CENTER)]
    with pytest.raises(TypeError, match=r"^item_ids\[0\] must be a GUID"):
        _params.memberships_query(search_type=MembershipSearchType.CENTER, item_ids_=[11370])
    with pytest.raises(ValueError, match=r"^item_ids\[1\] must be a GUID"):
        _params.memberships_query(search_type=MembershipSearchType.CENTER, item_ids_=[CENTER, "1"])


@pytest.mark.parametrize(
    ("value", "exc"),
    [
        ([], ValueError),
        ("11370", TypeError),
        (11370, TypeError),
        ([True], TypeError),
        ([""], ValueError),
        (["1,2"], ValueError),
    ],
)
def test_bad_item_ids_are_refused(value: object, exc: type[Exception]) -> None:
    with pytest.raises(exc, match="^item_ids"):
        _params.memberships_query(search_type=MembershipSearchType.CLASS, item_ids_=value)


def test_an_unknown_sessions_keyword_is_refused_naming_the_caller() -> None:
    with pytest.raises(
        TypeError, match=r"^sessions\(\) got an unexpected keyword argument 'stat_date'"
    ):
        sessions_query(stat_date=date(2026, 1, 1))


def test_none_means_a_filter_is_not_given() -> None:
    assert sessions_query(class_id=None, filters=None) == [("center_id", CENTER)]


def test_the_filters_table_is_the_typed_signature() -> None:
    # One spelling: the TypedDict that types the keywords is the table the query is built from.
    assert list(_params.SESSION_FILTERS) == list(_params.SessionFilters.__annotations__)
    assert len(_params.SESSION_FILTERS) == 12
