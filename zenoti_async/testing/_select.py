"""Which records a query selects: the mock's filters, apart from the data's generation.

The same functions serve the HTTP handlers (through the endpoint table) and
:meth:`Dataset.sessions_for`/``packages_for``/``memberships_for``, so a test's expected
record set is computed by exactly the code that filters the served one. They return the
dataset's shared dicts: callers that hand them out copy them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zenoti_async.testing._query import ItemQuery, SessionQuery, filter_value_text

if TYPE_CHECKING:
    from zenoti_async.testing._dataset import Dataset, Registration, Wire

__all__ = ["select_items", "select_sessions"]


def select_sessions(dataset: Dataset, query: SessionQuery) -> list[Wire]:
    """The served session dicts for ``query`` (shared objects: do not mutate)."""
    out: list[Wire] = []
    for row in dataset.session_rows(query.center_id):
        wire = row.wire
        if query.start_date is not None and row.day < query.start_date:
            continue
        if query.end_date is not None and row.day > query.end_date:
            continue
        if query.class_name is not None and row.class_name != query.class_name:
            continue
        if query.class_id is not None and wire["class_id"] != query.class_id:
            continue
        if query.show_in_catalog is not None and row.show_in_catalog != query.show_in_catalog:
            continue
        if query.status is not None and wire["status"] != query.status:
            continue
        if query.session_id is not None and wire["id"] != query.session_id:
            continue
        if query.recurrence_id is not None and wire["recurrence_id"] != query.recurrence_id:
            continue
        if query.session_name is not None and row.session_name != query.session_name:
            continue
        if query.guest_id is not None or query.registration_id is not None:
            registration = _find_registration(row.registrations, query)
            if registration is None:
                continue
            wire = dict(wire)
            wire["registration_id"] = registration.registration_id
            wire["registration_status"] = registration.status
            wire["current_waitlist_position"] = registration.waitlist_position
        if query.filters and not all(
            filter_value_text(wire[prop]) == value for prop, value in query.filters
        ):
            continue
        out.append(wire)
    return out


def select_items(dataset: Dataset, endpoint: str, query: ItemQuery) -> list[Wire]:
    """The packages or memberships linked to any of the query's ids, in served order."""
    wanted = set(query.item_ids)
    return [r.wire for r in dataset.item_rows(endpoint) if r.links[query.search_type] & wanted]


def _find_registration(
    registrations: tuple[Registration, ...], query: SessionQuery
) -> Registration | None:
    for registration in registrations:
        if query.guest_id is not None and registration.guest_id != query.guest_id:
            continue
        if (
            query.registration_id is not None
            and registration.registration_id != query.registration_id
        ):
            continue
        return registration
    return None
