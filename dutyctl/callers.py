"""Who is calling, and what happened before: the residents register, a caller's history by
phone and a room's history, all asked of the record index (the cost of the answer).

Phones are found by `residents.phone_key` (a hash of the number's digits kept in the
git-ignored index), so a number typed in full finds its records while every screen shows it
masked. Without an index (no state folder) the same questions read the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dutyctl.errors import InputError, Refused
from dutyctl.kinds.resident import ACTIVE, EDIT, KIND, MOVE_OUT
from dutyctl.messages import t
from dutyctl.records import Record
from dutyctl.residents import person_of, phone_digits, phone_key
from dutyctl.rooms import matches, normalise

DEFAULT_RECENT = 10
HISTORY_KINDS_EXCLUDED = (KIND,)


@dataclass(frozen=True)
class History:
    """The register entries that match, and the records about them: every open one and the
    `recent` newest, newest first; `problems` are the unreadable files met."""

    residents: tuple[Record, ...]
    records: tuple[Record, ...]
    problems: tuple = ()


# -- the register -----------------------------------------------------------------------------

def entries_for_phone(store, phone: str, *, include_moved: bool = False) -> list[Record]:
    key = phone_key(phone)
    if key is None:
        return []
    found = _ask(store, "kind = ? AND phone_key = ?", (KIND, key),
                 lambda record: record.kind == KIND and _same_phone(record, phone))
    return [entry for entry in found.records if include_moved or entry.status == ACTIVE]


def entries(store, *, room: str | None = None, phone: str | None = None,
            include_moved: bool = False):
    """Register entries (oldest first) in a room, unit or building and/or with a phone."""
    from dutyctl.index import room_condition

    conditions, params = ["kind = ?"], [KIND]
    wanted_room = normalise(room) if room else None
    if wanted_room:
        condition, values = room_condition(wanted_room)
        conditions.append(condition)
        params += values
    if phone is not None:
        conditions.append("phone_key = ?")
        params.append(phone_key(phone) or "")
    found = _ask(store, " AND ".join(conditions), params, lambda record: (
        record.kind == KIND
        and (wanted_room is None or matches(person_of(record).get("room"), wanted_room))
        and (phone is None or _same_phone(record, phone))))
    found.records = [entry for entry in found.records
                     if include_moved or entry.status == ACTIVE]
    return found


def learn(store, person: dict, source: Record, *, at: datetime, by: str) -> Record | None:
    """After a call or ticket is filed: a new register entry when this phone is not yet known
    at this room (a number seen at a second room is a second entry); None when it is."""
    if not person.get("phone") or not person.get("room"):
        return None
    room = normalise(person["room"])
    for entry in entries_for_phone(store, person["phone"]):
        if normalise(person_of(entry).get("room") or "") == room:
            return None
    return store.create(KIND, {"resident": dict(person), "source": source.id}, at=at, by=by)


def add(store, person: dict, *, note: str | None, at: datetime, by: str) -> Record:
    """A resident entered by hand; the same phone already registered at the room is refused."""
    for entry in entries_for_phone(store, person["phone"]):
        if normalise(person_of(entry).get("room") or "") == normalise(person["room"]):
            raise Refused(t("{phone} is already registered at {room} ({id}): use "
                            "'dutyctl resident edit {id}'", phone=_masked(person["phone"]),
                            room=person["room"], id=entry.short_id))
    fields = {"resident": dict(person)}
    if note and note.strip():
        fields["note"] = note.strip()
    return store.create(KIND, fields, at=at, by=by)


def edit(store, entry: Record, changes: dict, *, note: str | None, at: datetime,
         by: str) -> Record:
    """Correct an entry: only the fields that change are recorded."""
    _require_entry(entry)
    current = person_of(entry)
    changed = {key: value for key, value in changes.items()
               if value is not None and value != current.get(key)}
    if not changed:
        raise InputError(t("nothing to change: give --name, --room or --phone with a new "
                           "value"))
    return store.append(entry, EDIT, at=at, by=by, note=(note or "").strip() or None,
                        data={"resident": changed})


def move_out(store, entry: Record, *, note: str | None, at: datetime, by: str) -> Record:
    _require_entry(entry)
    return store.append(entry, MOVE_OUT, at=at, by=by, note=(note or "").strip() or None)


def _require_entry(record: Record) -> None:
    if record.kind != KIND:
        raise InputError(t("{id} is a {kind}, not a resident entry", id=record.short_id,
                           kind=record.kind))


# -- histories --------------------------------------------------------------------------------

def caller_history(store, phone: str, recent: int = DEFAULT_RECENT) -> History:
    """A phone's register entries, its open records and its `recent` newest records."""
    key = phone_key(phone)
    if key is None:
        raise InputError(t("'{phone}' holds no digits: expected a phone number like "
                           "13812345678", phone=phone))
    return _history(store, "phone_key = ?", (key,), lambda record: _same_phone(record, phone),
                    recent)


def room_history(store, room: str, recent: int = DEFAULT_RECENT) -> History:
    """A room's (unit's, building's) register entries, open records and `recent` newest."""
    from dutyctl.index import room_condition

    wanted = normalise(room)
    condition, params = room_condition(wanted)
    from dutyctl.residents import place_of

    return _history(store, condition, params,
                    lambda record: matches(place_of(record), wanted), recent)


def _history(store, condition: str, params, test, recent: int) -> History:
    residents = _ask(store, f"kind = ? AND {condition}", (KIND, *params),
                     lambda record: record.kind == KIND and test(record))
    others = f"kind != '{KIND}' AND {condition}"
    opened = _ask(store, f"{others} AND open", params,
                  lambda record: record.kind != KIND and test(record) and _is_open(record))
    newest = _ask(store, others, params, lambda record: record.kind != KIND and test(record),
                  newest=recent)
    chosen = {record.id: record for record in [*opened.records, *newest.records]}
    records = sorted(chosen.values(), key=lambda record: (record.created_at, record.id),
                     reverse=True)
    problems = {*residents.problems, *opened.problems, *newest.problems}
    return History(tuple(residents.records), tuple(records),
                   tuple(sorted(problems, key=lambda p: (p.path, p.line or 0, p.message))))


def _ask(store, condition: str, params, test, newest: int | None = None):
    """Records matching an SQL condition of the index, or `test` over the files."""
    def from_files():
        scan = store.scan()
        chosen = [record for record in scan.records if test(record)]
        if newest is not None:
            chosen = sorted(chosen, key=lambda r: (r.created_at, r.id))[-newest:] if newest else []
        scan.records = sorted(chosen, key=lambda r: (r.created_at, r.id))
        return scan

    def from_index(index):
        if newest is None:
            return index.query(condition, params)
        found = index.query(condition, params, order="created DESC, id DESC", limit=newest)
        found.records.reverse()
        return found

    return store.ask(from_index, from_files)


def _same_phone(record: Record, phone: str) -> bool:
    return phone_digits(person_of(record).get("phone") or "") == phone_digits(phone)


def _is_open(record: Record) -> bool:
    from dutyctl.queries import is_open

    return is_open(record)


def _masked(phone: str) -> str:
    from dutyctl.schema import mask_phone

    return mask_phone(phone)
