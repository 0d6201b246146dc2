"""A request is a value: what to send, built by pure code, carried by every error it causes."""

from __future__ import annotations

from typing import Final

import attrs

GET: Final = "GET"


@attrs.frozen
class Request:
    """One API call as the client will send it (the query already validated and encoded).

    ``page`` is the page number the query asks for (``None`` for a call that does not page),
    kept apart so logs, events and errors can name it. ``bulk`` marks traffic of a bulk pull,
    which a rate limiter may let interactive calls overtake.
    """

    method: str
    path: str
    params: tuple[tuple[str, str], ...]
    page: int | None = None
    bulk: bool = False

    @classmethod
    def get(
        cls,
        path: str,
        params: tuple[tuple[str, str], ...] | list[tuple[str, str]],
        *,
        page: int | None = None,
        bulk: bool = False,
    ) -> Request:
        return cls(GET, path, tuple(params), page, bulk)

    def describe(self) -> str:
        """``GET /v1/classes/sessions page=2``: how logs and error messages name it."""
        return f"{self.method} {self.path}" + (
            f" page={self.page}" if self.page is not None else ""
        )
