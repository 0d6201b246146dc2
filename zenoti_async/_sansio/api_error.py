"""Zenoti's error object, read in one place (pure).

The response layer (is this answer an error, which one, is it retried?) and the converter (a
page's ``error`` field) both read it here, so one rule decides what a code means.

The reference pages print codes as text (``"502 - InvalidInput"``); whether the wire carries
``502``, ``"502"``, ``"502 - InvalidInput"`` or only ``"InvalidInput"`` is unknown, so every
form means the same. These codes are Zenoti's own, not HTTP statuses: ``502`` is
InvalidInput, never a bad gateway.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import attrs

#: Zenoti's documented body codes by name (seeds). The number is what ``ErrorInfo.code`` and
#: ``APIError.code`` carry.
CODE_NAMES: Final[Mapping[str, int]] = {
    "missinginput": 503,
    "invalidinput": 502,
    "objectnotfound": 404,
    "ioexception": 506,
    "invaliddata": 500,
}

_TEXT_CODE: Final = re.compile(r"\s*([0-9]{1,9})?\s*(?:-\s*)?([A-Za-z][A-Za-z ]*)?\s*$")


@attrs.frozen
class ApiErrorBody:
    """The code and message of one Zenoti error object (either may be missing)."""

    code: int | None
    message: str | None


def parse_code(raw: object) -> int | None:
    """A code as the wire may carry it: ``502``, ``"502"``, ``"502 - InvalidInput"``,
    ``"InvalidInput"``. Anything else is ``None`` (never an exception: the error object is
    diagnostic and must not hide the API's answer)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if not isinstance(raw, str):
        return None
    match = _TEXT_CODE.match(raw)
    if match is None:
        return None
    number, name = match.groups()
    if number is not None:
        return int(number)
    if name is not None:
        return CODE_NAMES.get(name.replace(" ", "").lower())
    return None


def _text(raw: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw
    if isinstance(raw, int | float | bool):
        return str(raw)
    return None


def parse_error_object(value: object) -> ApiErrorBody | None:
    """The ``error`` (or legacy ``Error``) value of a body: ``None`` when it says "no error"
    (``null``, ``{}``, an object with neither a code nor a message)."""
    if isinstance(value, str):
        return ApiErrorBody(code=parse_code(value), message=value) if value.strip() else None
    if not isinstance(value, dict):
        return None
    code_raw = value.get("code")
    if code_raw is None:
        code_raw = value.get("StatusCode")
    message = _text(value.get("message"))
    if message is None:
        message = _text(value.get("Message"))
    code = parse_code(code_raw)
    if code is None and not message:
        return None
    return ApiErrorBody(code=code, message=message)
