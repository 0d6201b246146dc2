"""A deterministic Zenoti organisation: centers, classes, sessions, packages, memberships.

Everything derives from ``seed`` through ``random.Random`` instances keyed by a string
(``str`` seeds hash with SHA-512, so they are stable across processes and unaffected by
``PYTHONHASHSEED``), never from the global RNG or today's date: sessions live in the fixed
window 2026-10-01..2026-12-31. Centers are generated lazily, each from its own RNG, so
startup costs the same for 30 or 3000 centers and a center's data does not depend on which
centers were requested before it.

The records are the wire dicts, with the seed pages' exact field names (typos included), so
``sessions_for`` returns exactly what the server serialises.
"""

# The generators are seeded on purpose (reproducible test data); nothing here is a secret.
# ruff: noqa: S311

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from multidict import MultiDict

from zenoti_async.testing import _vocab as vocab
from zenoti_async.testing._query import (
    SessionQuery,
    filter_value_text,
    normalize_guid,
    parse_membership_query,
    parse_package_query,
    parse_session_query,
    to_params,
)
from zenoti_async.testing._select import select_items, select_sessions

__all__ = ["MAX_UNIFORM_SESSIONS", "WINDOW_END", "WINDOW_START", "CenterInfo", "Dataset"]

WINDOW_START: Final = date(2026, 10, 1)
WINDOW_END: Final = date(2026, 12, 31)

# .NET's DateTime.MinValue and Guid.Empty: what the vendor sends for "no date" / "no id" in
# fields that are not nullable.
MIN_DATE: Final = "0001-01-01T00:00:00"
EMPTY_GUID: Final = "00000000-0000-0000-0000-000000000000"


_SESSION_ID_STRIDE: Final = 5000
#: Session ids of a center stay below the next center's first id: a uniform center generates
#: a few more sessions than it keeps (then cuts at the count), so the cap leaves that margin.
MAX_UNIFORM_SESSIONS: Final = 3000
_REGISTRATION_ID_STRIDE: Final = 20000
_RECURRENCE_ID_STRIDE: Final = 200
_DRIFT_ID_BASE: Final = 900_000_000

Wire = dict[str, Any]

# Session status (Active 0, Cancelled 1, Upcoming 2, Inprogress 3, Completed 4) and guest
# registration status frequencies, as cumulative weights (cheaper per draw).
_STATUSES: Final = (0, 2, 1, 4, 3)
_STATUS_CUM_WEIGHTS: Final = (78, 88, 93, 99, 100)
_REGISTRATION_STATUSES: Final = (1, 2, 3, 4)
_REGISTRATION_CUM_WEIGHTS: Final = (70, 85, 95, 100)


@dataclass(frozen=True, slots=True)
class CenterInfo:
    """What is known about a center without generating its sessions."""

    index: int
    id: str
    name: str
    city: str
    utc_offset_minutes: int
    currency_code: int
    currency_symbol: str
    opening_time: str


@dataclass(frozen=True, slots=True)
class Registration:
    registration_id: int
    guest_id: str
    status: int
    waitlist_position: int | None


@dataclass(slots=True)
class SessionRow:
    wire: Wire
    day: date
    class_name: str | None  # casefolded
    session_name: str  # casefolded
    show_in_catalog: bool
    registrations: tuple[Registration, ...]


@dataclass(slots=True)
class _CenterData:
    instructors: dict[str, Wire]
    rooms: dict[str, Wire]
    offered_class_ids: list[int]
    sessions: list[SessionRow]
    guest_ids: list[str]
    version: int = 0


@dataclass(slots=True)
class ItemRow:
    wire: Wire
    links: dict[int, frozenset[str]] = field(default_factory=dict)


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _iso(moment: datetime) -> str:
    # isoformat() is several times faster than strftime and, without microseconds, writes
    # exactly the vendor's "2026-11-03T07:30:00".
    return moment.isoformat()


def _money(value: float) -> float:
    return float(round(value, 2))


class Dataset:
    """The organisation served by a mock: ``centers`` centers generated from ``seed``.

    Read-only for tests except through :meth:`reset` (and the drift faults, which use the
    ``delete_*``/``insert_*`` methods). Every record getter returns copies.

    ``uniform_sessions=N`` gives every center exactly ``N`` sessions (at most
    ``MAX_UNIFORM_SESSIONS``) instead of the realistic spread (some centers empty, a few very
    busy): benchmarks need exact shapes such as "50 centers x 10 pages x 100 sessions".
    """

    def __init__(
        self, centers: int = 300, seed: int = 7, *, uniform_sessions: int | None = None
    ) -> None:
        if centers < 1:
            raise ValueError("a dataset needs at least one center")
        if uniform_sessions is not None and not 0 <= uniform_sessions <= MAX_UNIFORM_SESSIONS:
            raise ValueError(f"uniform_sessions must be within 0..{MAX_UNIFORM_SESSIONS}")
        self.seed = seed
        self.uniform_sessions = uniform_sessions
        self.window = (WINDOW_START, WINDOW_END)
        self._key = f"zenoti-mock/{seed}"
        self._data: dict[int, _CenterData] = {}
        self._version_counter = 0
        self._drift_counter = 0
        self.org_version = 0
        org_rng = random.Random(f"{self._key}/org")
        self.organization_name = org_rng.choice(vocab.BRANDS)
        self._centers = self._make_centers(org_rng, centers)
        self._center_index = {c.id: c.index for c in self._centers}
        catalog_rng = random.Random(f"{self._key}/catalog")
        self._make_catalog(catalog_rng)
        # As generated, and as served (drift mutates the served lists until reset()).
        self._generated_items = {
            "packages": self._make_packages(random.Random(f"{self._key}/packages")),
            "memberships": self._make_memberships(random.Random(f"{self._key}/memberships")),
        }
        self._items = {name: list(rows) for name, rows in self._generated_items.items()}

    # ------------------------------------------------------------------ public lookups

    @property
    def center_ids(self) -> list[str]:
        return [c.id for c in self._centers]

    @property
    def centers(self) -> list[CenterInfo]:
        return list(self._centers)

    def center(self, center_id: str) -> CenterInfo:
        index = self._lookup(center_id)
        if index is None:
            raise KeyError(center_id)
        return self._centers[index]

    @property
    def class_ids(self) -> list[int]:
        return list(self._classes)

    @property
    def category_ids(self) -> list[int]:
        return [c["id"] for c in self._categories.values() if c["parent_id"] != 0]

    @property
    def level_ids(self) -> list[int]:
        return list(self._levels)

    @property
    def package_ids(self) -> list[str]:
        return [row.wire["id"] for row in self._items["packages"]]

    @property
    def membership_ids(self) -> list[str]:
        return [row.wire["id"] for row in self._items["memberships"]]

    def classes(self) -> list[Wire]:
        return [dict(c) for c in self._classes.values()]

    def categories(self) -> list[Wire]:
        return [dict(c) for c in self._categories.values()]

    def levels(self) -> list[Wire]:
        return [dict(c) for c in self._levels.values()]

    def class_ids_for(self, center_id: str) -> list[int]:
        """The classes a center schedules sessions of."""
        data = self._center_data_for(center_id)
        return list(data.offered_class_ids) if data else []

    def instructors_for(self, center_id: str) -> list[Wire]:
        data = self._center_data_for(center_id)
        return [dict(i) for i in data.instructors.values()] if data else []

    def rooms_for(self, center_id: str) -> list[Wire]:
        data = self._center_data_for(center_id)
        return [dict(r) for r in data.rooms.values()] if data else []

    def guest_ids_for(self, center_id: str) -> list[str]:
        """Guests with at least one registration at the center, in order of first booking."""
        data = self._center_data_for(center_id)
        return list(data.guest_ids) if data else []

    def registration_ids_for(self, center_id: str) -> list[int]:
        data = self._center_data_for(center_id)
        if data is None:
            return []
        return [r.registration_id for row in data.sessions for r in row.registrations]

    def session_count(self, center_id: str) -> int:
        data = self._center_data_for(center_id)
        return len(data.sessions) if data else 0

    def sessions_for(
        self,
        center_id: str,
        *,
        start_date: date | str | None = None,
        end_date: date | str | None = None,
        class_name: str | None = None,
        class_id: int | str | None = None,
        show_in_catalog: bool | str | None = None,
        status: int | str | None = None,
        registration_id: int | str | None = None,
        session_id: int | str | None = None,
        recurrence_id: int | str | None = None,
        session_name: str | None = None,
        guest_id: str | None = None,
        filters: Mapping[str, object] | Sequence[tuple[str, object]] = (),
    ) -> list[Wire]:
        """Every session the API returns for these filters, in served order (all pages).

        Arguments take Python values or the strings a client would send; they go through
        the server's own query parser, so invalid values raise the server's error.
        """
        pairs: list[tuple[str, object]] = [
            ("center_id", center_id),
            ("start_date", start_date),
            ("end_date", end_date),
            ("class_name", class_name),
            ("class_id", class_id),
            ("show_in_catalog", show_in_catalog),
            ("status", status),
            ("registration_id", registration_id),
            ("session_id", session_id),
            ("recurrence_id", recurrence_id),
            ("session_name", session_name),
            ("guest_id", guest_id),
        ]
        items = list(filters.items()) if isinstance(filters, Mapping) else list(filters)
        for i, (prop, value) in enumerate(items):
            pairs.append((f"filters[{i}].property", prop))
            pairs.append((f"filters[{i}].value", filter_value_text(value)))
        query = parse_session_query(to_params(pairs))
        return [dict(s) for s in select_sessions(self, query)]

    def packages_for(self, search_type: int, item_ids: Iterable[object]) -> list[Wire]:
        """Every package the API returns for this search (all pages), in served order."""
        params = MultiDict([("search_type", str(search_type))])
        params.add("item_ids", ",".join(str(i) for i in item_ids))
        query = parse_package_query(params)
        return [_deep_copy(w) for w in select_items(self, "packages", query)]

    def memberships_for(self, search_type: int, item_ids: Iterable[object]) -> list[Wire]:
        """Every membership the API returns for this search (all pages), in served order."""
        params = MultiDict([("search_type", str(search_type))])
        params.add("item_ids", ",".join(str(i) for i in item_ids))
        query = parse_membership_query(params)
        return [_deep_copy(w) for w in select_items(self, "memberships", query)]

    def related_objects(self, center_id: str, sessions: Iterable[Mapping[str, Any]]) -> Wire:
        """The ``classes``/``instructors``/``categories``/``rooms``/``levels`` of a page.

        Each list holds the objects the given sessions refer to, deduplicated, in order of
        first reference (instructor before assistant).
        """
        data = self._center_data_for(center_id)
        classes: dict[int, Wire] = {}
        instructors: dict[str, Wire] = {}
        categories: dict[int, Wire] = {}
        rooms: dict[str, Wire] = {}
        levels: dict[int, Wire] = {}
        for session in sessions:
            cls = self._classes.get(session["class_id"])
            if cls is not None and cls["id"] not in classes:
                classes[cls["id"]] = cls
                category = self._categories.get(cls["category_id"])
                if category is not None:
                    categories.setdefault(category["id"], category)
                level = self._levels.get(cls["level_id"])
                if level is not None:
                    levels.setdefault(level["id"], level)
            if data is None:
                continue
            for key in ("instructor_id", "assistant_id"):
                person = data.instructors.get(session[key])
                if person is not None:
                    instructors.setdefault(person["id"], person)
            room = data.rooms.get(session["room_id"])
            if room is not None:
                rooms.setdefault(room["id"], room)
        return {
            "classes": list(classes.values()),
            "instructors": list(instructors.values()),
            "categories": list(categories.values()),
            "rooms": list(rooms.values()),
            "levels": list(levels.values()),
        }

    def opening_time(self, query: SessionQuery) -> str:
        """``opening_time`` of a sessions response: the center's opening on the first day asked.

        A center with no schedule at all answers .NET's ``DateTime.MinValue``.
        """
        data = self._center_data_for(query.center_id)
        if data is None or not data.sessions:
            return MIN_DATE
        info = self._centers[self._center_index[query.center_id]]
        day = query.start_date or WINDOW_START
        return f"{day.isoformat()}T{info.opening_time}"

    def center_version(self, center_id: str) -> int:
        index = self._lookup(center_id)
        if index is None or index not in self._data:
            return 0
        return self._data[index].version

    # ------------------------------------------------------------------ rows, for _select

    def session_rows(self, center_id: str) -> list[SessionRow]:
        """A center's session rows in served order (none for an unknown center)."""
        data = self._center_data_for(center_id)
        return data.sessions if data is not None else []

    def item_rows(self, endpoint: str) -> list[ItemRow]:
        """The organisation's package or membership rows, in served order."""
        return self._item_rows(endpoint)

    # ------------------------------------------------------------------ mutations (drift)

    def delete_session(self, center_id: str, session_id: int) -> bool:
        data = self._center_data_for(center_id)
        if data is None:
            return False
        for i, row in enumerate(data.sessions):
            if row.wire["id"] == session_id:
                del data.sessions[i]
                data.version = self._next_version()
                return True
        return False

    def insert_session_before(self, center_id: str, session_id: int) -> int | None:
        """Insert a copy of a session (new id, same slot) right before it; return the new id.

        The copy matches every filter the original matches, so it lands inside any query
        that saw the original: the shift a client sees when a record is added mid-pull.
        """
        data = self._center_data_for(center_id)
        if data is None:
            return None
        for i, row in enumerate(data.sessions):
            if row.wire["id"] == session_id:
                self._drift_counter += 1
                new_id = _DRIFT_ID_BASE + self._drift_counter
                wire = dict(row.wire)
                wire["id"] = new_id
                registrations = tuple(
                    Registration(
                        _DRIFT_ID_BASE + self._drift_counter * 10 + k,
                        r.guest_id,
                        r.status,
                        r.waitlist_position,
                    )
                    for k, r in enumerate(row.registrations)
                )
                copy = SessionRow(
                    wire,
                    row.day,
                    row.class_name,
                    row.session_name,
                    row.show_in_catalog,
                    registrations,
                )
                data.sessions.insert(i, copy)
                data.version = self._next_version()
                return new_id
        return None

    def delete_item(self, endpoint: str, item_id: str) -> bool:
        rows = self._item_rows(endpoint)
        for i, row in enumerate(rows):
            if row.wire["id"] == item_id:
                del rows[i]
                self.org_version = self._next_version()
                return True
        return False

    def insert_item_before(self, endpoint: str, item_id: str) -> str | None:
        rows = self._item_rows(endpoint)
        for i, row in enumerate(rows):
            if row.wire["id"] == item_id:
                self._drift_counter += 1
                rng = random.Random(f"{self._key}/drift/{self._drift_counter}")
                wire = _deep_copy(row.wire)
                wire["id"] = _guid(rng)
                if "version_id" in wire:
                    wire["version_id"] = wire["id"]
                rows.insert(i, ItemRow(wire, dict(row.links)))
                self.org_version = self._next_version()
                return str(wire["id"])
        return None

    def reset(self) -> None:
        """Undo every drift mutation: the dataset is again what ``seed`` generates."""
        for index in [i for i, d in self._data.items() if d.version]:
            del self._data[index]
        self._items = {name: list(rows) for name, rows in self._generated_items.items()}
        self.org_version = 0
        self._drift_counter = 0

    # ------------------------------------------------------------------ internals

    def _next_version(self) -> int:
        # Globally increasing, so a (center, version) cache key is never reused for other data.
        self._version_counter += 1
        return self._version_counter

    def _item_rows(self, endpoint: str) -> list[ItemRow]:
        try:
            return self._items[endpoint]
        except KeyError:
            raise ValueError(f"no item list for {endpoint!r}") from None

    def _lookup(self, center_id: str) -> int | None:
        index = self._center_index.get(center_id)
        if index is not None:
            return index
        normalised = normalize_guid(center_id)
        return None if normalised is None else self._center_index.get(normalised)

    def _center_data_for(self, center_id: str) -> _CenterData | None:
        index = self._lookup(center_id)
        if index is None:
            return None
        data = self._data.get(index)
        if data is None:
            data = self._data[index] = self._make_center_data(self._centers[index])
        return data

    def _make_centers(self, rng: random.Random, count: int) -> list[CenterInfo]:
        weights = [c.weight for c in vocab.CITIES]
        seen: dict[str, int] = {}
        centers: list[CenterInfo] = []
        for index in range(count):
            city = rng.choices(vocab.CITIES, weights)[0]
            hood = rng.choice(city.neighborhoods)
            base = f"{self.organization_name} {city.name} - {hood}"
            seen[base] = seen.get(base, 0) + 1
            name = base if seen[base] == 1 else f"{base} {seen[base]}"
            opening = rng.choice(("05:30:00", "06:00:00", "06:00:00", "06:30:00", "07:00:00"))
            centers.append(
                CenterInfo(
                    index=index,
                    id=_guid(rng),
                    name=name,
                    city=city.name,
                    utc_offset_minutes=city.utc_offset_minutes,
                    currency_code=city.currency_code,
                    currency_symbol=city.currency_symbol,
                    opening_time=opening,
                )
            )
        self._cities = {c.name: c for c in vocab.CITIES}
        return centers

    def _make_catalog(self, rng: random.Random) -> None:
        self._categories: dict[int, Wire] = {}
        next_category = rng.randint(1000, 1900)
        classes_root, workshops_root = next_category, next_category + 1
        self._categories[classes_root] = {"id": classes_root, "name": "Classes", "parent_id": 0}
        self._categories[workshops_root] = {
            "id": workshops_root,
            "name": "Workshops",
            "parent_id": 0,
        }
        next_category += 2
        self._levels: dict[int, Wire] = {}
        level_id = rng.randint(3, 9)
        for code, name, description in vocab.LEVELS:
            self._levels[level_id] = {
                "id": level_id,
                "code": code,
                "name": name,
                "description": description,
                "html_description": None if description is None else f"<p>{description}</p>",
            }
            level_id += rng.randint(1, 3)
        level_ids = list(self._levels)
        self._classes: dict[int, Wire] = {}
        self._family_of: dict[int, int] = {}
        self._family_classes: list[list[int]] = []
        self._family_category: list[int] = []
        class_id = rng.randint(10000, 12000)
        sort_order = 0
        families = (*vocab.FAMILIES, vocab.WORKSHOPS)
        for family_index, family in enumerate(families):
            is_workshop = family is vocab.WORKSHOPS
            parent = workshops_root if is_workshop else classes_root
            category_id = next_category
            next_category += rng.randint(1, 4)
            self._categories[category_id] = {
                "id": category_id,
                "name": family.category if rng.random() > 0.1 else family.category + " ",
                "parent_id": parent,
            }
            self._family_category.append(category_id)
            ids: list[int] = []
            for base_name in family.class_names:
                names = [base_name]
                if rng.random() < 0.3:
                    names.append(base_name + rng.choice(vocab.VARIANT_SUFFIXES))
                for name in names:
                    sort_order += 1
                    cls = self._make_class(
                        rng,
                        class_id=class_id,
                        name=name,
                        category_id=category_id,
                        family=family,
                        level_ids=level_ids,
                        sort_order=sort_order,
                    )
                    cls["type"] = 3 if is_workshop else rng.choice((1, 1, 1, 2))
                    self._classes[class_id] = cls
                    self._family_of[class_id] = family_index
                    ids.append(class_id)
                    class_id += rng.randint(1, 9)
            self._family_classes.append(ids)

    def _make_class(
        self,
        rng: random.Random,
        *,
        class_id: int,
        name: str,
        category_id: int,
        family: vocab.Family,
        level_ids: list[int],
        sort_order: int,
    ) -> Wire:
        capacity = rng.randint(*family.capacity)
        described = rng.random() < 0.6
        description = f"{name}: {rng.choice(vocab.SESSION_DESCRIPTIONS)}" if described else None
        # A few nameless classes (name is nullable in the seed), at fixed positions so every
        # seed has some; they keep a display name, which their sessions are named after.
        nameless = sort_order % 29 == 7
        display_name = name if nameless or rng.random() < 0.5 else None
        start_date = rng.choice((None, MIN_DATE, "2025-01-06T00:00:00", "2026-09-01T00:00:00"))
        end_date = rng.choice((None, None, MIN_DATE, "2027-12-31T00:00:00"))
        has_times = rng.random() < 0.7
        images = None
        if rng.random() < 0.4:
            images = {
                "128x128": f"https://img.zenoti-mock.invalid/classes/{class_id}/128.png",
                "512x512": f"https://img.zenoti-mock.invalid/classes/{class_id}/512.png",
            }
        return {
            "id": class_id,
            "name": None if nameless else name,
            "category_id": category_id,
            "start_date": start_date,
            "end_date": end_date,
            "description": description,
            "html_description": None if description is None else f"<p>{description}</p>",
            "catalog_price": rng.choice(family.price),
            "capacity": capacity,
            "allow_web_booking": rng.random() < 0.9,
            "allow_direct_booking": rng.random() < 0.95,
            "allow_cancellation_fee": rng.random() < 0.4,
            "allow_no_show_fee": rng.random() < 0.3,
            "display_name": display_name,
            "show_in_catalog": 1 if rng.random() < 0.85 else 0,
            "sort_order": sort_order,
            "show_price": rng.random() < 0.8,
            "allow_wait_list": rng.choice((True, True, False, None)),
            "wait_list_lock_window": rng.choice((0, 0, 1, 2)),
            "enable_enrol": rng.random() < 0.2,
            "level_id": 0 if rng.random() < 0.1 else rng.choice(level_ids),
            "registration_notes": rng.choice(("", "", "Please arrive early.", "Waiver required.")),
            "enable_payments": rng.random() < 0.7,
            "image_paths": images,
            "min_time": "2026-10-01T06:00:00" if has_times else None,
            "max_time": "2026-12-31T20:30:00" if has_times else None,
            "web_capacity": None if rng.random() < 0.3 else max(1, capacity - rng.randint(0, 4)),
            "registration_lock_window": rng.choice((0.0, 0.5, 1.0, 2.0, 24.0)),
            "auto_confirm_lock_window": rng.choice((0.0, 1.0, 1.5, 12.0)),
            "sac": rng.choice(("", "", "999723")),
            "type": 1,
        }

    def _make_center_data(self, info: CenterInfo) -> _CenterData:
        rng = random.Random(f"{self._key}/center/{info.index}")
        city = self._cities[info.city]
        profile = rng.random()
        if self.uniform_sessions is not None:
            # About ten dated sessions per weekly slot over the 13-week window; a little more
            # than needed, and the rows are cut to the exact count below.
            n_slots = -(-self.uniform_sessions // 8) if self.uniform_sessions else 0
        elif profile < 0.07:
            n_slots = 0
        elif profile < 0.11:
            n_slots = rng.randint(60, 170)
        else:
            n_slots = round(rng.triangular(2, 32, 8))
        n_rooms = min(len(vocab.ROOMS), 1 + n_slots // 12 + rng.randint(0, 1))
        rooms = {}
        for room_name in rng.sample(vocab.ROOMS, n_rooms):
            room_id = _guid(rng)
            rooms[room_id] = {"id": room_id, "name": room_name}
        instructors = {}
        for _ in range(min(40, 2 + n_slots // 4 + rng.randint(0, 3))):
            person_id = _guid(rng)
            first, last = rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)
            instructors[person_id] = {
                "id": person_id,
                "name": f"{first} {last}",
                "description": rng.choice(vocab.INSTRUCTOR_BIOS),
                "image_paths": (
                    f"https://img.zenoti-mock.invalid/instructors/{person_id}.jpg"
                    if rng.random() < 0.5
                    else None
                ),
            }
        focus = rng.sample(range(len(vocab.FAMILIES)), rng.randint(1, 3))
        offered: list[int] = []
        for family_index in focus:
            pool = self._family_classes[family_index]
            offered += rng.sample(pool, min(len(pool), rng.randint(2, 6)))
        extra = [c for c in self._classes if c not in offered]
        offered += rng.sample(extra, rng.randint(0, 3))
        workshops = self._family_classes[-1]
        guests = [_guid(rng) for _ in range(rng.randint(5, 60) if n_slots else 0)]
        rows = self._make_sessions(
            rng,
            info=info,
            city=city,
            n_slots=n_slots,
            offered=offered,
            workshops=workshops,
            instructor_ids=list(instructors),
            room_ids=list(rooms),
            guests=guests,
        )
        if self.uniform_sessions is not None:
            while len(rows) < self.uniform_sessions:  # rare: slots with fewer dates than usual
                n_slots += -(-(self.uniform_sessions - len(rows)) // 4)
                rows = self._make_sessions(
                    rng,
                    info=info,
                    city=city,
                    n_slots=n_slots,
                    offered=offered,
                    workshops=workshops,
                    instructor_ids=list(instructors),
                    room_ids=list(rooms),
                    guests=guests,
                )
            del rows[self.uniform_sessions :]
        booked: dict[str, None] = {}
        for row in rows:
            for registration in row.registrations:
                booked.setdefault(registration.guest_id)
        return _CenterData(instructors, rooms, offered, rows, list(booked))

    def _make_sessions(
        self,
        rng: random.Random,
        *,
        info: CenterInfo,
        city: vocab.City,
        n_slots: int,
        offered: list[int],
        workshops: list[int],
        instructor_ids: list[str],
        room_ids: list[str],
        guests: list[str],
    ) -> list[SessionRow]:
        days = [
            WINDOW_START + timedelta(days=d) for d in range((WINDOW_END - WINDOW_START).days + 1)
        ]
        holidays = {date.fromisoformat(h) for h in vocab.HOLIDAYS}
        plans: list[tuple[int, list[date], int, int, int]] = []
        for slot in range(n_slots):
            weekday = rng.randrange(7)
            first_week = rng.choice((0, 0, 0, 1, 2, 4))
            last_week = 13 if rng.random() < 0.8 else rng.randint(first_week + 2, 13)
            dates = [
                d
                for d in days
                if d.weekday() == weekday
                and first_week <= (d - WINDOW_START).days // 7 <= last_week
                and not (d in holidays and rng.random() < 0.8)
                and rng.random() > 0.02
            ]
            recurrence = (
                0 if rng.random() < 0.1 else 10_000 + info.index * _RECURRENCE_ID_STRIDE + slot
            )
            plans.append((rng.choice(offered), dates, recurrence, rng.randrange(22, 84), slot))
        if n_slots:
            for _ in range(rng.randint(0, 4)):
                plans.append(
                    (rng.choice(workshops), [rng.choice(days)], 0, rng.randrange(36, 76), -1)
                )
        offset = timedelta(minutes=city.utc_offset_minutes)
        next_id = 100_000 + info.index * _SESSION_ID_STRIDE
        next_registration = 5_000_000 + info.index * _REGISTRATION_ID_STRIDE
        rows: list[SessionRow] = []
        for class_id, dates, recurrence, quarter_hour, _slot in plans:
            cls = self._classes[class_id]
            family = (*vocab.FAMILIES, vocab.WORKSHOPS)[self._family_of[class_id]]
            duration = rng.choice(family.durations)
            instructor = rng.choice(instructor_ids)
            room = rng.choice(room_ids)
            assistant = rng.choice(instructor_ids) if rng.random() < 0.2 else EMPTY_GUID
            class_name = cls["name"] or cls["display_name"]
            # Some sessions are named apart from their class, so session_name and class_name
            # filters select different things.
            session_name = class_name
            if rng.random() < 0.1:
                session_name = f"{class_name} with {rng.choice(vocab.FIRST_NAMES)}"
            description = rng.choice((None, None, *vocab.SESSION_DESCRIPTIONS))
            for day in dates:
                start = datetime(day.year, day.month, day.day) + timedelta(
                    minutes=15 * quarter_hour
                )
                end = start + timedelta(minutes=duration)
                status = rng.choices(_STATUSES, cum_weights=_STATUS_CUM_WEIGHTS)[0]
                capacity = cls["capacity"]
                occupancy = rng.randint(0, capacity)
                waitlist_allowed = cls["allow_wait_list"] is not False
                free = cls["catalog_price"] == 0.0 or rng.random() < 0.03
                substituted = rng.random() < 0.03
                who = rng.choice(instructor_ids) if substituted else instructor
                can_book_status_id, can_book_status = _booking_status(
                    status, occupancy, capacity, waitlist_allowed
                )
                web_capacity = cls["web_capacity"]
                registrations: list[Registration] = []
                if guests and status != 1 and rng.random() < 0.3:
                    for guest in rng.sample(guests, min(len(guests), rng.randint(1, 3))):
                        reg_status = rng.choices(
                            _REGISTRATION_STATUSES, cum_weights=_REGISTRATION_CUM_WEIGHTS
                        )[0]
                        registrations.append(
                            Registration(
                                next_registration,
                                guest,
                                reg_status,
                                rng.randint(1, 5) if reg_status == 2 else None,
                            )
                        )
                        next_registration += 1
                wire: Wire = {
                    "id": next_id,
                    "name": session_name,
                    "class_id": class_id,
                    "start_time": _iso(start),
                    "end_time": _iso(end),
                    "strat_time_utc": _iso(start - offset),
                    "end_time_utc": _iso(end - offset),
                    "price": 0.0 if free else _money(cls["catalog_price"] * city.price_factor),
                    "instructor_id": who,
                    "assistant_id": assistant,
                    "room_id": room,
                    "status": status,
                    "recurrence_id": recurrence,
                    "center_id": info.id,
                    "center_name": info.name,
                    "registration_id": 0,
                    "registration_status": 0,
                    "is_free_session": free,
                    "can_book": can_book_status_id in ("0", "1"),
                    "can_cancel": status in (0, 2),
                    "booking_stage": rng.choice((0, 0, 0, 1, 2)),
                    "capacity": capacity,
                    "web_capacity": web_capacity,
                    "wait_listed_count": rng.randint(0, 6) if waitlist_allowed else None,
                    "occupancy": occupancy,
                    "web_occupancy": rng.randint(0, occupancy),
                    "cancel_stage": rng.choice((0, 0, 1, 2)),
                    "description": description,
                    "html_description": None if description is None else f"<p>{description}</p>",
                    "available_slots": capacity - occupancy if rng.random() < 0.8 else None,
                    "current_waitlist_position": None,
                    "can_book_status_id": can_book_status_id,
                    "can_book_status": can_book_status,
                    "cancellation_fee_window": rng.choice((0, 1, 2, 12, 24)),
                    "cancellation_fee": rng.choice((0.0, 0.0, 5.0, 10.0, 12.5)),
                    "is_instructor_substituted": substituted,
                }
                next_id += 1
                rows.append(
                    SessionRow(
                        wire,
                        day,
                        None if cls["name"] is None else cls["name"].casefold(),
                        wire["name"].casefold(),
                        cls["show_in_catalog"] == 1,
                        tuple(registrations),
                    )
                )
        rows.sort(key=lambda r: (r.wire["start_time"], r.wire["id"]))
        return rows

    def _make_packages(self, rng: random.Random) -> list[ItemRow]:
        n_centers = len(self._centers)
        rows: list[ItemRow] = []
        for _ in range(30 + n_centers // 4):
            family_index = rng.randrange(len(vocab.FAMILIES))
            family = vocab.FAMILIES[family_index]
            pool = self._family_classes[family_index]
            class_ids = rng.sample(pool, min(len(pool), rng.randint(1, 4)))
            home = self._centers[rng.randrange(n_centers)]
            centers = {home.id} | {
                self._centers[i].id
                for i in rng.sample(range(n_centers), rng.randint(0, max(1, n_centers // 30)))
            }
            city = self._cities[home.city]
            count = rng.choice((3, 5, 10, 20))
            name = rng.choice(vocab.PACKAGE_TEMPLATES).format(n=count, family=family.category)
            sale = _money(
                rng.choice((29.0, 39.0, 59.0, 99.0, 119.0, 149.5, 249.99)) * city.price_factor
            )
            tax = _money(sale * city.tax_rate)
            bundled = rng.random() < 0.2
            bundled_price = rng.choice((15, 25, 40)) if bundled else 0
            display_price: int | str = round(sale + tax)
            if rng.random() < 0.2:
                display_price = str(display_price)
            names = [
                self._classes[c]["name"] or self._classes[c]["display_name"] for c in class_ids
            ]
            description = rng.choice((None, "", f"{count} classes of {family.category}."))
            wire: Wire = {
                "id": _guid(rng),
                "name": name,
                "description": description,
                "code": rng.choice(
                    (None, f"PK{rng.randint(1, 999)}", f"{family.category[:3].upper()}{count}")
                ),
                "has_bundled_products": bundled,
                "duration": rng.choice((0, 0, 45, 60)),
                "bundled_product_priceCheck": bundled_price,
                "bundled_product_price_percentage": rng.choice((10.0, 12.5)) if bundled else 0.0,
                "package_price_with_out_tax": sale,
                "type": rng.choice((1, 2, 2, 3)),
                "price": {
                    "currency_code": city.currency_code,
                    "currency_symbol": city.currency_symbol,
                    "sale_price": sale,
                    "sale_tax": tax,
                    "final_price": _money(sale + tax),
                },
                "package_cost_inc_bundled_products": _money(sale + bundled_price),
                "services": ", ".join(names) if rng.random() < 0.6 else None,
                "items": "Yoga Mat, Water Bottle" if bundled else None,
                "can_book": rng.random() < 0.9,
                "package_display_name": name if rng.random() < 0.7 else f"{name} (web)",
                "package_display_price": display_price,
                "description_html": f"<p>{description}</p>" if description else "",
                "terms_and_conditions": rng.choice(vocab.TERMS),
                "expiration_date": rng.choice((None, None, MIN_DATE, "2027-06-30T00:00:00")),
                "expiration_days": rng.choice((0, 30, 60, 90, 180, 365)),
                "scheduled_payment_frequency": rng.choice((0, 0, 1, 3, 12)),
                "scheduled_payment_frequency_type": rng.choice((0, 1, 2)),
                "restrict_redemption_to_this_center": rng.choice((0, 0, 1)),
                "center_name": home.name,
                "package_category_name": rng.choice(vocab.PACKAGE_CATEGORIES),
            }
            rows.append(ItemRow(wire, {0: frozenset(map(str, class_ids)), 1: frozenset(centers)}))
        return rows

    def _make_memberships(self, rng: random.Random) -> list[ItemRow]:
        n_centers = len(self._centers)
        family_categories = self._family_category
        rows: list[ItemRow] = []
        for _ in range(20 + n_centers // 5):
            family_indexes = rng.sample(range(len(vocab.FAMILIES)), rng.randint(1, 2))
            class_ids: list[int] = []
            for family_index in family_indexes:
                pool = self._family_classes[family_index]
                class_ids += rng.sample(pool, min(len(pool), rng.randint(1, 5)))
            categories = {str(family_categories[i]) for i in family_indexes}
            home = self._centers[rng.randrange(n_centers)]
            centers = {home.id} | {
                self._centers[i].id
                for i in rng.sample(range(n_centers), rng.randint(0, max(1, n_centers // 25)))
            }
            city = self._cities[home.city]
            family = vocab.FAMILIES[family_indexes[0]]
            name = rng.choice(vocab.MEMBERSHIP_NAMES).format(family=family.category)
            membership_type = rng.choices((0, 1, 2), (40, 55, 5))[0]
            sale = _money(rng.choice((49.0, 89.0, 129.0, 149.0, 199.0, 1789.0)) * city.price_factor)
            tax = _money(sale * city.tax_rate)
            display_price: int | str = round(sale + tax)
            if rng.random() < 0.2:
                display_price = str(display_price)
            membership_id = _guid(rng)
            description = rng.choice(("", f"Access to {family.category} classes."))
            wire: Wire = {
                "id": membership_id,
                "version_id": membership_id if rng.random() < 0.5 else _guid(rng),
                "type": rng.choice((1, 2, 3)),
                "name": name,
                "price_details": {
                    "currency_code": city.currency_code,
                    "currency_symbol": city.currency_symbol,
                    "sale_price": sale,
                    "sale_tax": tax,
                    "final_price": _money(sale + tax),
                },
                "can_book": rng.random() < 0.9,
                "show_price": rng.random() < 0.85,
                "display_name": rng.choice(("", name, f"{name} - web")),
                "display_price": display_price,
                "image_paths": (
                    {"256x256": f"https://img.zenoti-mock.invalid/memberships/{membership_id}.png"}
                    if rng.random() < 0.25
                    else None
                ),
                "is_recurrring_membership": membership_type == 1,
                "membership_type": membership_type,
                "first_collection_after": rng.choice((0, 0, 7, 30)),
                "description": description,
                "description_html": f"<p>{description}</p>" if description else "",
                "terms_and_conditions": rng.choice(vocab.TERMS),
                "terms_and_conditionsAcceptance": rng.choice(("", "I agree to the terms.")),
                "enforce_mandatory_fields": rng.random() < 0.2,
                "frequency_text": rng.choice(("1 Months", "12 Months", "Weekly"))
                if membership_type == 1
                else "",
            }
            links = {
                0: frozenset(map(str, class_ids)),
                1: frozenset(categories),
                2: frozenset(centers),
            }
            rows.append(ItemRow(wire, links))
        return rows


def _booking_status(
    status: int, occupancy: int, capacity: int, waitlist_allowed: bool
) -> tuple[str, str]:
    if status == 1:
        return "4", "Session Cancelled"
    if status in (3, 4):
        return "3", "Booking Closed"
    if occupancy < capacity:
        return "0", "Available"
    if waitlist_allowed:
        return "1", "Waitlist Available"
    return "2", "Class Full"


def _deep_copy(wire: Wire) -> Wire:
    return {k: _deep_copy(v) if isinstance(v, dict) else v for k, v in wire.items()}
