"""Who may call the mock: ``Authorization: apikey <key>`` (or ``bearer <token>`` if enabled)."""

from __future__ import annotations

import hmac
from typing import Final, Literal

import orjson

__all__ = ["UNAUTHORIZED_BODY", "AuthVerdict", "check_authorization"]

AuthVerdict = Literal["ok", "missing", "invalid"]

# ASP.NET's default body for a refused credential.
UNAUTHORIZED_BODY: Final = orjson.dumps(
    {"Message": "Authorization has been denied for this request."}
)


def check_authorization(
    header: str | None, *, api_key: str, bearer_token: str | None
) -> AuthVerdict:
    """Whether ``header`` carries the accepted key (or bearer token)."""
    if not header or not header.strip():
        return "missing"
    scheme, _, text = header.strip().partition(" ")
    scheme = scheme.lower()
    # Compared as bytes: compare_digest refuses non-ASCII str, and a stray byte in a
    # header must be a 401, not a 500.
    credential = text.strip().encode("utf-8", "surrogateescape")
    if scheme == "apikey" and hmac.compare_digest(credential, api_key.encode()):
        return "ok"
    if (
        scheme == "bearer"
        and bearer_token is not None
        and hmac.compare_digest(credential, bearer_token.encode())
    ):
        return "ok"
    return "invalid"
