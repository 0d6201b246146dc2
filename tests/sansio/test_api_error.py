import pytest

from zenoti_async._sansio.api_error import ApiErrorBody, parse_code, parse_error_object


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (502, 502),
        ("502", 502),
        ("502 - InvalidInput", 502),
        (" 503 -  MissingInput ", 503),
        ("404 - ObjectNotFound", 404),
        ("506 - IOException", 506),
        ("InvalidInput", 502),
        ("ObjectNotFound", 404),
        ("Object Not Found", 404),
        (506.0, 506),
        (True, None),
        ("gateway exploded", None),
        ("", None),
        ([502], None),
        (None, None),
    ],
)
def test_every_printed_form_of_a_code_means_the_same_number(raw: object, code: int | None) -> None:
    assert parse_code(raw) == code


def test_documented_and_legacy_objects_are_read_alike() -> None:
    documented = parse_error_object({"code": "502 - InvalidInput", "message": "bad center"})
    legacy = parse_error_object({"StatusCode": 502, "Message": "bad center"})
    assert documented == legacy == ApiErrorBody(code=502, message="bad center")


@pytest.mark.parametrize("value", [None, {}, {"code": None, "message": ""}, "  ", 7, []])
def test_values_that_say_no_error(value: object) -> None:
    assert parse_error_object(value) is None


def test_a_bare_string_is_the_message_and_keeps_a_printed_code() -> None:
    assert parse_error_object("No Data found") == ApiErrorBody(code=None, message="No Data found")
    assert parse_error_object("404 - ObjectNotFound") == ApiErrorBody(
        code=404, message="404 - ObjectNotFound"
    )
