"""Who is calling, and what happened before: the residents register, a caller's history by
phone and a room's history, all asked of the record index (the cost of the answer).

Phones are found by `residents.phone_key` (a hash of the number's digits kept in the
git-ignored index), so a number typed in full finds its records while every screen shows it
masked. Without an index (no state folder) the same questions read the files.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from dutyctl.errors import InputError, Refused
from dutyctl.frozen import frozen
from dutyctl.kinds.resident import ACTIVE, EDIT, KIND, MOVE_OUT, MOVED_OUT
from dutyctl.messages import N_, gettext, t
from dutyctl.records import Event, Record, creation_order, set_aside
from dutyctl.residents import person_of, phone_key, place_of
from dutyctl.rooms import is_room, matches, normalise, of_a_building
from dutyctl.schema import phone_digits, phone_typed, same_number
from dutyctl.store.ids import short_step

DEFAULT_RECENT = 10


class NotQuick(Exception):
    """A question asked with `files=False` that the index cannot answer now (none built,
    or another process holds it): the caller goes without the answer."""


@frozen
class History:
    """The residents that match, and the records about them: every open one and the
    `recent` newest, newest first; `problems` are the unreadable files met."""

    residents: tuple["Resident", ...]
    records: tuple[Record, ...]
    problems: tuple = ()
    resident_total: int = 0  # how many residents in all (more when cut to the newest)
    #: the numbers older records of these residents carry (the register corrected them since)
    former_phones: tuple[str, ...] = ()
    #: a number no resident has now: the residents whose entry the register corrected away
    #: from it (`来电人 <旧号码>` says which resident and number it became)
    renumbered: tuple["Resident", ...] = ()
    record_total: int = 0  # how many records about them in all (more than `records` shows)
    #: a number no resident in the register has now: the residents who had it and moved out
    moved_out: tuple["Resident", ...] = ()


# -- the register -----------------------------------------------------------------------------

@frozen
class Resident:
    """One person at one room: from a register entry when there is one, else from the newest
    call, ticket or emergency naming that phone at that room (`source`)."""

    person: dict
    status: str
    seen: datetime  # the entry's filing or last correction, else the newest record's time
    source: Record  # the register entry, else the newest record naming them
    #: corrections of two desks that did not sync (EditClash), until a supervisor settles them
    clashes: tuple = ()

    @property
    def entry(self) -> Record | None:
        return self.source if self.source.kind == KIND else None


class Register(NamedTuple):
    residents: list[Resident]  # by room, then by when last seen
    problems: list  # unreadable files met
    total: int  # how many there are in all (more than `residents` when cut to the newest)


def register(store, *, room: str | None = None, phone: str | None = None,
             include_moved: bool = False, newest: int | None = None, build: bool = True,
             files: bool = True, write: bool = True) -> Register:
    """The residents register, by room: its entries, plus every person the records name
    that no entry covers (an entry covers its phone and room as filed and as corrected);
    the moved-out entries only with include_moved. `newest`: only that many of the most
    recently seen (an entry's last correction, else the newest record naming them): the
    index reads no more records than those, whatever the years of callers. build=False never
    builds nor waits for the index (writing commands); files=False never reads the files
    instead (NotQuick); write=False reads the few files the index lacks beside it instead of
    writing them in, but writes it when it cannot (Store.ask)."""
    from dutyctl.store.index import room_condition

    wanted_room = normalise(room) if room else None
    conditions, params = [], []
    if wanted_room:
        condition, values = room_condition(wanted_room, "home")  # where they live
        conditions.append(condition)
        params += values
    if phone is not None:
        refuse_masked(phone)
        conditions.append("phone_key = ?")
        params.append(phone_key(phone) or "")

    def wanted(person: dict) -> bool:
        return ((wanted_room is None or matches(person.get("room"), wanted_room))
                and (phone is None or _phone_is(person, phone)))

    entries = _ask(store, "kind = ?", (KIND,), lambda record: record.kind == KIND,
                   build=build, files=files, write=write)
    covered = {pair for entry in entries.records for pair in _pairs(entry)}
    people = []
    for group in same_resident(entries.records):
        if len(group) == 1 and not wanted(person_of(group[0])):
            continue  # the most of a register: its one entry is not the one asked for
        one = one_resident(group)  # two desks' entries of one resident: one line
        if (include_moved or one.status == ACTIVE) and (
                wanted(one.person) or any(wanted(person_of(entry)) for entry in group)):
            people.append(one)
    known = _people(store, " AND ".join(conditions) or None, params,
                    lambda record: record.kind != KIND and wanted(person_of(record)), covered,
                    entries.records, newest, build=build, files=files, write=write)
    lived = [record for record in known.records if _someone_living(person_of(record))]
    # the entries, and the callers the index counted but those passed over here
    total = len(people) + known.total - (len(known.records) - len(lived))
    people += [Resident(person_of(record), ACTIVE, record.created_at, record)
               for record in lived]
    if newest is not None:
        people = sorted(people, key=lambda resident: resident.seen, reverse=True)[:newest]
    people.sort(key=lambda resident: (resident.person.get("room") or "", resident.seen))
    return Register(people, [*entries.problems, *known.problems], total)


def moved_apart(residents) -> tuple[list[Resident], list[Resident]]:
    """`residents` (a register look with its moved-out entries) as those who live here and
    those who moved out."""
    return ([resident for resident in residents if resident.status != MOVED_OUT],
            [resident for resident in residents if resident.status == MOVED_OUT])


def _pair(person: dict) -> tuple[str, str]:
    """A person as the register tells one from another: the number in any spelling
    (`same_number`: `+86 571-88886666` is `0571 8888 6666`, as find, twins and the handover
    compare it) and the room."""
    return same_number(person.get("phone") or ""), normalise(person.get("room") or "")


#: the names a clerk writes for a caller who gave none: a call, never a resident
ANONYMOUS = ("匿名", "不愿留名", "未留名", "未留姓名", "不愿透露", "不详", "无名")


def _someone_living(person: dict) -> bool:
    """A caller the register lists as living somewhere: named, at a room (not 5号楼, a
    building, nor 3号楼电梯): an anonymous caller about the building is no resident of it."""
    name = "".join(str(person.get("name") or "").split())
    room = normalise(person.get("room") or "")
    whole_building = not is_room(room) and of_a_building(room)  # 5号楼, 5-1, 5号楼电梯
    return bool(name) and name not in ANONYMOUS and not whole_building


def _pairs(entry: Record) -> set[tuple[str, str]]:
    """Every phone and room an entry was about, as filed and after each correction that
    counts (one set aside, a clash two desks settled, never said the resident's number)."""
    person = dict(entry.get("resident") or {})
    pairs = {_pair(person)}
    for event, _ in _edits([entry]):
        person.update(event.data["resident"])
        pairs.add(_pair(person))
    return pairs


def add(store, person: dict, *, note: str | None, at: datetime, by: str,
        source: Record | None = None) -> Record:
    """A register entry; the same phone at the same room with an entry already is refused."""
    entry = _registered_at(store, person)
    if entry is not None:
        known = person_of(entry).get("name") or ""
        if known and "".join(known.split()) != "".join(str(person.get("name") or "").split()):
            # a family's one landline: correcting the entry would replace the first person
            raise Refused(t("{phone} is registered at {room} to {known} ({id}), one entry a "
                            "number at a room; a household sharing it: a call from it keeps "
                            "the caller's name as typed, the register {known}; "
                            "nothing written",
                            phone=_masked(person["phone"]), room=person["room"], known=known,
                            id=entry.short_id))
        raise Refused(t("{phone} is already registered at {room} ({id}): use "
                        "'dutyctl resident edit {id}'", phone=_masked(person["phone"]),
                        room=person["room"], id=entry.short_id))
    fields = {"resident": dict(person)}
    if source is not None:
        fields["source"] = source.id
    if note and note.strip():
        fields["note"] = note.strip()
    return store.create(KIND, fields, at=at, by=by)


def resident_named(record: Record) -> dict:
    """The resident `record` names (as corrected since), or why there is none to correct (an
    emergency nobody reported, a duty): one a register entry can be made of."""
    person = person_of(record)
    if record.kind != KIND and (not person.get("phone") or not person.get("room")):
        raise InputError(t("{id} names no resident with a phone and room", id=record.short_id))
    return person


def entry_for(store, record: Record, *, at: datetime, by: str) -> tuple[Record, list]:
    """The register entry to correct for `record`: itself when it is one, else a new entry
    taking the resident a call, ticket or emergency names (with its id as `source`).
    (entry, paths written)."""
    if record.kind == KIND:
        return record, []
    person = resident_named(record)
    made = entry_made_of(store, record)
    if made is not None:  # corrected before: the same entry again, never a second one
        return made, []
    entry = add(store, {key: person.get(key, "") for key in ("name", "room", "phone")},
                note=None, at=max(at, record.created_at), by=by, source=record)
    return entry, [entry.path]


def edit(store, record: Record, changes: dict, *, note: str | None, at: datetime,
         by: str) -> tuple[Record, list]:
    """Correct a resident (an entry, or the one a record names: see `entry_for`): only the
    fields that change are recorded. (entry, paths written)."""
    current = person_of(record)
    # the same phone written another way (139 0000 8888, １３９…), the room another way
    # (五号楼1单元1202 for 5-1-1202): no correction
    changed = {key: value for key, value in changes.items()
               if value is not None and _differ(key, value, current.get(key))}
    given = {key: value for key, value in changes.items() if value is not None}
    if not changed and given:  # 五号楼1单元1202 for the 5-1-1202 registered: say so
        raise InputError(lambda name: t("nothing to change: the register has {values} already",
                                        values=t(", ").join(
                                            f"{name(key)} {_masked(value) if key == 'phone' else value}"
                                            for key, value in given.items())))
    if not changed:
        raise InputError(lambda name: t("nothing to change: give {name}, {room} or {phone} with a "
                                        "new value", name=name("name"), room=name("room"),
                                        phone=name("phone")))
    if _pair({**current, **changed}) != _pair(current):  # moved to another number or room
        _refuse_a_second_entry(store, record, {**current, **changed})
    entry, written = entry_for(store, record, at=at, by=by)
    if not written:
        _refuse_ended(group_of(store, entry), entry, EDIT)
    entry = store.append(entry, EDIT, at=at, by=by, note=(note or "").strip() or None,
                         data={"resident": changed})
    return entry, [*written, entry.events[-1].path]


def _registered_at(store, person: dict, mine: Record | None = None) -> Record | None:
    """The current register entry at `person`'s number and room (not moved out, nor on
    another entry of theirs), other than `mine`'s own (`mine` itself, or one made from it)."""
    for entry in _ask(store, "kind = ? AND phone_key = ?", (KIND, phone_key(person["phone"])),
                      lambda record: record.kind == KIND and _same_phone(
                          record, person["phone"])).records:
        if mine is not None and mine.id in (entry.id, entry.get("source")):
            continue
        if entry.status == ACTIVE and _pair(person_of(entry)) == _pair(person) and (
                _group_status(store, entry) == ACTIVE):  # not moved out on another entry
            return entry
    return None


def _refuse_a_second_entry(store, record: Record, after: dict) -> None:
    """A correction that would put the person at a number and room another current entry of
    the register has already (a call's number corrected to 张伟's, at his room): refused as
    `resident add` refuses it, naming that entry. It made a second entry of 张伟, and
    `resident edit` by his number then named two."""
    if not phone_digits(str(after.get("phone") or "")):
        return
    entry = _registered_at(store, after, record)
    if entry is not None:
        raise Refused(t("{phone} is already registered at {room} ({id}): the register keeps "
                        "one entry a person; nothing written", phone=_masked(str(after["phone"])),
                        room=after.get("room"), id=entry.short_id))


def move_out(store, record: Record, *, note: str | None, at: datetime,
             by: str) -> tuple[Record, list]:
    """End a resident's entry (made from the record first when it is a call or ticket), and
    every other entry that is the same resident (filed on two desks that had not synced):
    the number is free at that room again, and no entry of theirs stays listed."""
    from dutyctl.records import check_next_event

    entry, written = entry_for(store, record, at=at, by=by)
    group = group_of(store, entry) if len(written) == 0 else [entry]
    _refuse_ended(group, entry, MOVE_OUT)
    living = [member for member in group if member.status == ACTIVE]
    for member in living:  # all checked first: nothing half-written
        check_next_event(member, MOVE_OUT, at)
    ended = entry
    for member in living:
        member = store.append(member, MOVE_OUT, at=at, by=by,
                              note=(note or "").strip() or None)
        written.append(member.events[-1].path)
        if member.id == entry.id:
            ended = member
    return ended, written


def _group_status(store, entry: Record) -> str:
    """The status of the resident `entry` is one entry of (moved out when any entry is)."""
    return one_resident(group_of(store, entry)).status


def _refuse_ended(group: list[Record], entry: Record, action: str) -> None:
    """A resident moved out on another entry of theirs is refused as the entry's own end
    would be (the words name the entry that ended)."""
    from dutyctl.records import kind_spec

    ended = entry if entry.status != ACTIVE else next(
        (member for member in group if member.status != ACTIVE), None)
    if ended is not None:  # the entry's own end first: moving out twice writes nothing
        kind_spec(KIND).check_transition(ended, action)


def resident_record(store, typed: str, moved: bool = False) -> Record:
    """The record `resident edit/move-out TYPED` acts on: the record whose id `typed` is (or
    starts), else the one current resident of the register `typed` names by name (spaces
    aside: 陈 静), room (any spelling) or whole phone number (`moved`: or one moved out,
    whose number `resident erase-phone` erases); several such residents are listed with
    their ids, none says how to find one."""
    from dutyctl.errors import NotFound
    from dutyctl.store import ids

    try:
        return store.get(typed)
    except (InputError, NotFound) as refused:
        # the register read once, moved out too: the current residents are the ones meant,
        # the moved out (unless `moved`) only say why nobody is (`迁出 李四` once more)
        everyone = residents_called(store, typed, moved=True)
        found = everyone if moved else [one for one in everyone if one.status == ACTIVE]
        if len(found) == 1:
            return found[0].source
        if found:
            raise InputError(_several(typed, found)) from None
        problem = _cut_short(typed)
        if problem is not None and (isinstance(refused, NotFound)
                                    or ids.normalize(typed) is None):
            # `迁出 139`: a number cut short, as `来电人 1111` says it (not an id half typed
            # that starts several, 01: those are listed below)
            raise _not_whole(typed, problem) from None
        if isinstance(refused, NotFound) and not phone_typed(typed):
            raise  # an id that is not there: said as such
        if not isinstance(refused, NotFound) and ids.normalize(typed) is not None:
            raise  # an id half typed that starts several (01M6CW): those, as `show` lists them
        gone = [] if moved else everyone  # none of them current (`found` is empty)
        if gone:  # `迁出 李四` once more: that they moved out, not that nobody is called so
            from dutyctl.choices import several

            # the most recently moved out first, as records are listed newest first: the
            # tenants a clerk means most often, never cut for older ones (`several`)
            gone = sorted(gone, key=lambda resident: resident.seen, reverse=True)
            raise InputError(t("'{typed}' names only residents who moved out: {residents}",
                               typed=typed.strip(), residents=several(gone, _one_said))
                             ) from None
        raise NotFound(t("'{typed}' is neither a record id nor the name, room or phone of a "
                         "current resident: 'dutyctl resident list' shows each resident with "
                         "their id ('--room' one room, '--phone' one number)",
                         typed=typed.strip())) from None


def _cut_short(typed: str) -> str | None:
    """What `phone_problem` says of `typed` when it is digits only (spaces aside) and fewer
    than a whole number's (139, 1111): a phone cut short, never a record id or a room."""
    from dutyctl.folding import half_width
    from dutyctl.schema import phone_problem

    text = "".join(half_width(typed).split())
    if not text or set(text) - set("0123456789") or len(phone_digits(text)) >= 11:
        return None
    return phone_problem(text)


def residents_called(store, typed: str, moved: bool = False) -> list[Resident]:
    """The current residents of the register `typed` names (`moved`: those moved out too):
    by phone when it is a whole number, by room, unit or building when it reads as one
    (3栋2单元501室, 3-2), else by name (spaces aside)."""
    from dutyctl.folding import half_width

    text = " ".join(half_width(typed).split())
    if not text:
        return []
    if phone_typed(text):
        return register(store, phone=text, include_moved=moved).residents
    room = normalise(text)
    if any(char.isdigit() for char in room):
        return register(store, room=room, include_moved=moved).residents
    name = text.replace(" ", "")
    return [resident for resident in register(store, include_moved=moved).residents
            if "".join(str(resident.person.get("name") or "").split()) == name]


def _one_said(resident: Resident) -> str:
    """A resident as a refusal names them: 01M6CWAD3C2N（王师傅，5-1-1202，139****1111）."""
    from dutyctl.safetext import short_line

    return t("{id} ({name}, {room}, {phone})", id=resident.source.short_id,
             name=short_line(str(resident.person.get("name") or "")),
             room=short_line(str(resident.person.get("room") or "")),
             phone=_masked(str(resident.person.get("phone") or "")))


def _several(typed: str, found: list[Resident]) -> str:
    from dutyctl.choices import several
    from dutyctl.messages import tn

    shown = several(found, _one_said)
    return tn("'{typed}' names {count} resident: {residents}; give the id of the one meant",
              "'{typed}' names {count} residents: {residents}; give the id of the one meant",
              len(found), typed=typed.strip(), residents=shown)


# -- one resident corrected on two desks that had not synced ---------------------------------

@frozen
class EditClash:
    """Two desks corrected one field of one resident to different values before they synced
    (each made a register entry of the same call or ticket, or corrected those entries):
    `later` (by time, then id) counts, `earlier` is the other desk's value, until a supervisor
    sets one of them aside with `settle` (the same step that settles a record's clashing
    steps)."""

    field: str
    later: Event
    later_entry: Record
    earlier: Event
    earlier_entry: Record

    @property
    def value(self) -> str:
        return str(self.later.data["resident"][self.field])

    @property
    def other_value(self) -> str:
        return str(self.earlier.data["resident"][self.field])


def same_resident(entries) -> list[list[Record]]:
    """Register entries that are one resident: made of the same call or ticket (`source`), or
    filed with the phone and room the earlier entry had then (`resident add` of one number on
    two desks), the later filed before the earlier ended (moved out). One desk corrects the
    entry it made before (`entry_for`) and refuses a number already registered at that room
    (`add`), so only two desks that had not synced make such a pair. Each group in filing
    order: the first is the one listed and corrected."""
    groups, by_source, by_pair = [], {}, {}
    for entry in sorted(entries, key=creation_order):
        source = entry.get("source")
        group = by_source.get(source) if source else None
        if group is None:
            pair = _pair(entry.get("resident") or {})
            group = by_pair.get(pair) if pair[0] else None
            if group is not None and _pair(_person_then(group, entry.created_at)) != pair:
                group = None  # corrected away from that number first: someone else's now
        if group is not None and not any(
                event.action == MOVE_OUT and event.at <= entry.created_at
                for earlier in group for event in earlier.events):
            group.append(entry)
            continue
        groups.append([entry])
        if source:
            by_source[source] = groups[-1]
        pair = _pair(entry.get("resident") or {})
        if pair[0]:
            by_pair[pair] = groups[-1]  # the latest: a number filed again after a move-out
    return groups


def _person_then(group, moment: datetime) -> dict:
    """The resident a group stood for at `moment`: its first filing with the corrections
    recorded by then."""
    person = dict(group[0].get("resident") or {})
    for event, _ in _edits(group):
        if event.at <= moment:
            person.update(event.data["resident"])
    return person


@frozen
class FiledTwice:
    """One resident registered on two desks that had not synced, under different names: the
    register lists the first (`entry`'s) until a correction of the name after both filings."""

    entry: Record  # the first filing, listed
    other: Record  # the later filing of the same phone and room


def filed_twice(group) -> list[FiledTwice]:
    """The later filings of a group whose name differs from the first's, none of the group's
    name corrections made since (a supervisor's correction settles it)."""
    first = group[0]
    named = [event.at for event, _ in _edits(group) if "name" in event.data["resident"]]
    return [FiledTwice(first, entry) for entry in group[1:]
            if not entry.get("source") and _differ(
                "name", (first.get("resident") or {}).get("name"),
                (entry.get("resident") or {}).get("name"))
            and not any(moment >= entry.created_at for moment in named)]


def filed_twice_text(clash: FiledTwice, relative, tz, names) -> str:
    """`check`'s words for a resident registered on two desks under different names: both
    names, who and when, and the two corrections that settle it."""
    from dutyctl.safetext import short_line
    from dutyctl.timeutil import local_time

    first = clash.entry.get("resident") or {}
    other = clash.other.get("resident") or {}
    phone = str(first.get("phone") or "")
    return t("{phone} at {room} was registered on two desks that had not synced: as {name} by "
             "{by} at {at} ({id}), and as {other} by {other_by} at {other_at} "
             "({other_path}:{other_line}); the register lists it once, as {name}; a supervisor "
             "checks which is right: to keep {name}, dutyctl resident edit {other_id} --name "
             "{name}; to take {other}, dutyctl resident edit {id} --name {other}",
             phone=_masked(phone),
             room=short_line(str(first.get("room") or "")),
             name=short_line(str(first.get("name") or "")),
             by=names.short_person(clash.entry.recorded_by),
             at=local_time(clash.entry.created_at, tz), id=clash.entry.short_id,
             other=short_line(str(other.get("name") or "")),
             other_by=names.short_person(clash.other.recorded_by),
             other_at=local_time(clash.other.created_at, tz),
             other_path=relative(clash.other.path), other_line=1,
             other_id=clash.other.short_id)


def _set_aside(group) -> set:
    return set().union(*map(set_aside, group))


def _edits(group) -> list[tuple[Event, Record]]:
    """The group's corrections that count (not set aside), by time, then id."""
    aside = _set_aside(group)
    return sorted(((event, entry) for entry in group for event in entry.events
                   if event.action == EDIT and event.data.get("resident")
                   and event.id not in aside), key=lambda pair: (pair[0].at, pair[0].id))


def _differ(field: str, one, other) -> bool:
    if field == "phone":  # +86 571 8888 6666 is 0571-88886666
        return same_number(str(one or "")) != same_number(str(other or ""))
    if field == "room":
        return normalise(str(one or "")) != normalise(str(other or ""))
    return "".join(str(one or "").split()) != "".join(str(other or "").split())


def edit_clashes(group) -> list[EditClash]:
    """Each field two entries of the group were corrected to different values: the latest
    correction against each other entry's that differs from it."""
    edits = _edits(group)
    found = []
    for field in ("name", "room", "phone"):
        touching = [(event, entry) for event, entry in edits if field in event.data["resident"]]
        if not touching:
            continue
        later, later_entry = touching[-1]
        found += [EditClash(field, later, later_entry, event, entry)
                  for event, entry in touching[:-1]
                  if entry.id != later_entry.id and _differ(
                      field, event.data["resident"][field], later.data["resident"][field])]
    return found


def one_resident(group: list[Record]) -> Resident:
    """The register's line for a group of entries: the first entry's filing with every
    correction of the group that counts, in time order (the later wins); moved out when one
    of them is."""
    if len(group) == 1:
        entry = group[0]
        return Resident(person_of(entry), entry.status,
                        entry.events[-1].at if entry.events else entry.created_at, entry)
    person = dict(group[0].get("resident") or {})
    for event, _ in _edits(group):
        person.update(event.data["resident"])
    status = MOVED_OUT if any(entry.status == MOVED_OUT for entry in group) else ACTIVE
    seen = max(entry.events[-1].at if entry.events else entry.created_at for entry in group)
    return Resident(person, status, seen, group[0], tuple(edit_clashes(group)))


def register_entries(store) -> list[Record]:
    return _ask(store, "kind = ?", (KIND,), lambda record: record.kind == KIND).records


def group_of(store, entry: Record) -> list[Record]:
    """The entries that are one resident with `entry` (itself alone, most often)."""
    return next((group for group in same_resident(register_entries(store))
                 if any(member.id == entry.id for member in group)), [entry])


def entry_made_of(store, record: Record) -> Record | None:
    """The current register entry made of `record` (a call or ticket) already, if any."""
    for group in same_resident(register_entries(store)):
        if any(entry.get("source") == record.id for entry in group) and (
                one_resident(group).status == ACTIVE):
            return group[0]
    return None


def clashes_of(store, entry: Record) -> list[EditClash]:
    """The corrections of two desks that clash about the resident `entry` is (or is one of
    the entries of)."""
    if entry.kind != KIND:
        return []
    group = group_of(store, entry)
    return edit_clashes(group) if len(group) > 1 else []


_CLASH_TEXT = {  # the settle command in the screen's words ({settle} {event_option} {reason})
    "name": N_("the name of the resident at {room} was corrected first to {other_value} by "
               "{other_by} at {other_at} ({other_path}:{other_line}), then to {value} by {by} at "
               "{at}: two desks corrected it without syncing; {value} counts for now (the "
               "later); a supervisor keeps one: to keep {value}, dutyctl {settle} {id} "
               "{event_option} {other_event} {reason} TEXT; to keep {other_value}, dutyctl "
               "{settle} {id} {event_option} {event} {reason} TEXT"),
    "room": N_("the room of {name} was corrected first to {other_value} by {other_by} at "
               "{other_at} ({other_path}:{other_line}), then to {value} by {by} at {at}: two "
               "desks corrected it without syncing; {value} counts for now (the later); a "
               "supervisor keeps one: to keep {value}, dutyctl {settle} {id} {event_option} "
               "{other_event} {reason} TEXT; to keep {other_value}, dutyctl {settle} {id} "
               "{event_option} {event} {reason} TEXT"),
    "phone": N_("the phone of {name} ({room}) was corrected first to {other_value} by "
                "{other_by} at {other_at} ({other_path}:{other_line}), then to {value} by {by} "
                "at {at}: two desks corrected it without syncing; {value} counts for now (the "
                "later); a supervisor keeps one: to keep {value}, dutyctl {settle} {id} "
                "{event_option} {other_event} {reason} TEXT; to keep {other_value}, dutyctl "
                "{settle} {id} {event_option} {event} {reason} TEXT"),
}


_CLASH_NOTE = {
    "name": N_("{room}: another desk corrected the name to {other_value} ({other_by}, "
               "{other_at}) without syncing; {value} is used until a supervisor settles it "
               "(dutyctl {check} says how)"),
    "room": N_("{name}: another desk corrected the room to {other_value} ({other_by}, "
               "{other_at}) without syncing; {value} is used until a supervisor settles it "
               "(dutyctl {check} says how)"),
    "phone": N_("{name} ({room}): another desk corrected the phone to {other_value} "
                "({other_by}, {other_at}) without syncing; {value} is used until a supervisor "
                "settles it (dutyctl {check} says how)"),
}


def _value_said(clash: EditClash, value: str, show_phone: bool) -> str:
    """A clashing value as shown: a phone masked unless `show_phone`, any text made safe."""
    from dutyctl.safetext import short_line

    return _masked(value) if clash.field == "phone" and not show_phone else short_line(value)


def edit_clash_note(clash: EditClash, shown: Resident, tz, names,
                    show_phone: bool = False) -> str:
    """A clash as a clerk reads it under the register or a caller's history: the other
    desk's value, and which one is used meanwhile."""
    from dutyctl.safetext import short_line
    from dutyctl.timeutil import local_time

    from dutyctl.commandwords import said

    person = shown.person
    return gettext(_CLASH_NOTE[clash.field]).format(
        check=said("check"),  # 检查 on a Chinese screen, as clash_text says its command
        name=short_line(str(person.get("name") or "")),
        room=short_line(str(person.get("room") or "")),
        value=_value_said(clash, clash.value, show_phone),
        other_value=_value_said(clash, clash.other_value, show_phone),
        other_by=names.short_person(clash.earlier.by), other_at=local_time(clash.earlier.at, tz))


def edit_clash_text(clash: EditClash, shown: Resident, relative, tz, names,
                    show_phone: bool = False) -> str:
    """A clash as `check` and `show` say it: both values, who and when, and how to settle it
    on the entry the register shows (`shown`; phones masked unless `show_phone`)."""
    from dutyctl.commandwords import said as command_said, said_option
    from dutyctl.safetext import short_line
    from dutyctl.timeutil import local_time

    later, earlier, person = clash.later, clash.earlier, shown.person
    value = _value_said(clash, clash.value, show_phone)
    other_value = _value_said(clash, clash.other_value, show_phone)
    said = gettext(_CLASH_TEXT[clash.field]).format(
        name=short_line(str(person.get("name") or "")),
        room=short_line(str(person.get("room") or "")),
        value=value, by=names.short_person(later.by), at=local_time(later.at, tz),
        other_value=other_value, other_by=names.short_person(earlier.by),
        other_at=local_time(earlier.at, tz), other_path=relative(earlier.path),
        other_line=earlier.line, id=shown.source.short_id, event=short_step(later.id),
        other_event=short_step(earlier.id), settle=command_said("settle"),
        event_option=said_option("--event"), reason=said_option("--reason"))
    if value == other_value and clash.value != clash.other_value:  # 139****0000 twice

        said = t("{clash} (both numbers look alike masked: 'dutyctl {show} {id} {show_phone}' "
                 "tells them apart)", clash=said, show=command_said("show"),
                 id=shown.source.short_id, show_phone=said_option("--show-phone", "show"))
    return said


def to_settle(entries) -> list[tuple[Resident, EditClash | FiledTwice]]:
    """What two desks that had not synced left differing in the register, for a supervisor to
    settle (the one answer `check` and a review's residents give): for each resident of more
    than one entry, the register's line and each clash of two corrections (EditClash), then,
    while the resident still lives there, each filing under another name (FiledTwice)."""
    found = []
    for group in same_resident(entries):
        if len(group) > 1:
            one = one_resident(group)
            found += [(one, clash) for clash in one.clashes]
            if one.status == ACTIVE:  # moved out: nobody to call any more
                found += [(one, twice) for twice in filed_twice(group)]
    return found


def register_clashes(entries, relative, tz, names) -> list:
    """`check`'s findings (to_settle): a clash of corrections at the later one's file and
    line, a second filing at its file (they break no file)."""
    from dutyctl.errors import Problem

    return [Problem(relative(clash.other.path), 1, filed_twice_text(clash, relative, tz, names),
                    breaks_a_file=False) if isinstance(clash, FiledTwice)
            else Problem(relative(clash.later.path), clash.later.line,
                         edit_clash_text(clash, one, relative, tz, names), breaks_a_file=False)
            for one, clash in to_settle(entries)]


# -- histories --------------------------------------------------------------------------------

def refuse_masked(phone: str) -> None:
    """A number copied from a screen (138****5678) finds nobody: say so, never "not in the
    register" (its digits would be looked up as another number)."""
    from dutyctl.folding import half_width

    if "*" in half_width(phone):
        raise InputError(t("'{phone}' is a masked number as screens show it: type the whole "
                           "number", phone=phone.strip()))


def caller_history(store, phone: str, recent: int = DEFAULT_RECENT, *, build: bool = True,
                   files: bool = True, write: bool = True) -> History:
    """A phone's register entries, its open records and its `recent` newest records
    (build, files, write: as for `register`)."""
    from dutyctl.commandwords import said
    from dutyctl.schema import phone_problem

    refuse_masked(phone)
    key = phone_key(phone)
    if key is None:  # a name typed where the number goes (来电人 张伟)
        raise InputError(t("'{phone}' holds no digits: expected a phone number like "
                           "13812345678; to find a resident by name: dutyctl {command} "
                           "{phone}", phone=phone.strip(), command=said("search")))
    # one look at the register, its moved-out entries too (said when nobody else has it)
    everyone = register(store, phone=phone, include_moved=True, build=build, files=files,
                        write=write)
    living, gone = moved_apart(everyone.residents)
    residents = Register(living, everyone.problems, everyone.total - len(gone))
    former = former_numbers(residents.residents, phone)
    keys = [key, *(phone_key(number) for number, _ in former)]
    history = _history(store, f"phone_key IN ({', '.join('?' * len(keys))})", keys,
                       lambda record: _same_phone(record, phone)
                       or _pair(person_of(record)) in former, recent, residents,
                       build=build, files=files, write=write)
    if former:  # the older records carry the number as it was before the correction
        history = History(history.residents, tuple(
            record for record in history.records
            if _same_phone(record, phone) or _pair(person_of(record)) in former),
            history.problems, history.resident_total,
            tuple(dict.fromkeys(number for number, _ in former)),
            record_total=history.record_total)
    if not history.residents:
        moved_on = renumbered(store, phone, build=build, files=files, write=write)
        # a resident who moved out: whose number it was, and since when (not "not in the
        # register", which had the clerk file the caller as someone new)
        if moved_on or gone:
            history = History(history.residents, history.records, history.problems,
                              history.resident_total, history.former_phones, moved_on,
                              record_total=history.record_total, moved_out=tuple(gone))
    problem = phone_problem(phone)
    if problem is not None and not history.residents and not history.records \
            and not history.renumbered:
        # the last four digits (尾号5678) or a number cut short: numbers are kept hashed,
        # so only the whole one finds its caller; said, never "not in the register"
        raise _not_whole(phone, problem)
    return history


def _not_whole(phone: str, problem: str) -> InputError:
    """The refusal of a number cut short (1111, 尾号5678): only the whole one finds anyone."""
    from dutyctl.commandwords import said

    return InputError(t("'{phone}': {problem}; type the whole number as the phone shows "
                        "it (a resident by name: dutyctl {command} NAME)",
                        phone=phone.strip(), problem=problem, command=said("search")))


def renumbered(store, phone: str, *, build: bool = True, files: bool = True,
               write: bool = True) -> tuple[Resident, ...]:
    """The residents (as the register has them now, moved out too) whose entry was about
    `phone` (in any spelling: `same_number`) until a correction gave it another number."""
    digits = same_number(phone)
    entries = _ask(store, "kind = ?", (KIND,), lambda record: record.kind == KIND,
                   build=build, files=files, write=write)
    found = []
    for group in same_resident(entries.records):
        if any(same_number(pair[0]) == digits for entry in group for pair in _pairs(entry)):
            one = one_resident(group)
            if not _phone_is(one.person, phone):
                found.append(one)
    return tuple(found)


def former_numbers(residents, phone: str) -> set[tuple[str, str]]:
    """The (phone, room) pairs the register entries of `residents` were about before a
    correction gave them `phone`: the records filed under the older number are theirs. The
    number itself in another spelling (`+86 571-88886666` of `0571 8888 6666`, one index key)
    is no former number."""
    digits = same_number(phone)
    return {pair for resident in residents if resident.entry is not None
            for pair in _pairs(resident.entry) if pair[0] and same_number(pair[0]) != digits}


def room_history(store, room: str, recent: int = DEFAULT_RECENT,
                 residents: int | None = None) -> History:
    """A room's (unit's, building's) register entries (`residents`: only that many of the
    most recently seen), open records and `recent` newest."""
    from dutyctl.store.index import room_condition

    wanted = normalise(room)
    at_place, params = room_condition(wanted)
    at_home, more = room_condition(wanted, "home")  # an emergency its resident reported
    people = register(store, room=wanted, newest=residents)
    # a resident corrected to this room (a call's 8-1-601 put right as 8-1-602): the records
    # filed with their number at the room as it was are theirs, listed here as `caller` lists
    # a former number's; asked as (number, room) pairs, so none of the number's other rooms
    # takes a place of the `recent` newest
    former = sorted({pair for resident in people.residents if resident.entry is not None
                     for pair in _pairs(resident.entry)
                     if pair[0] and not matches(pair[1], wanted)})
    pairs = [(key, old_room) for key, old_room in
             ((phone_key(number), old_room) for number, old_room in former) if key]
    condition = f"({at_place} OR {at_home}" + "".join(
        " OR (phone_key = ? AND home = ?)" for _ in pairs) + ")"
    return _history(store, condition, [*params, *more, *(value for pair in pairs
                                                          for value in pair)],
                    lambda record: matches(place_of(record), wanted)
                    or matches(person_of(record).get("room"), wanted)
                    or _pair(person_of(record)) in former, recent, people)


def _history(store, condition: str, params, test, recent: int, residents, *,
             build: bool = True, files: bool = True, write: bool = True) -> History:
    from dutyctl.store.index import OPEN

    people, problems = residents.residents, residents.problems
    others = f"kind != '{KIND}' AND {condition}"
    opened = _ask(store, f"{others} AND {OPEN}", params,
                  lambda record: record.kind != KIND and test(record) and _is_open(record),
                  build=build, files=files, write=write)
    newest = _ask(store, others, params, lambda record: record.kind != KIND and test(record),
                  newest=recent, build=build, files=files, write=write, count=True)
    chosen = {record.id: record for record in [*opened.records, *newest.records]}
    records = sorted(chosen.values(), key=creation_order,
                     reverse=True)
    problems = {*problems, *opened.problems, *newest.problems}
    return History(tuple(people), tuple(records),
                   tuple(sorted(problems, key=lambda p: (p.path, p.line or 0, p.message))),
                   residents.total, record_total=max(newest.total or 0, len(records)))


def _ask(store, condition: str, params, test, newest: int | None = None, *,
         build: bool = True, files: bool = True, write: bool = True, count: bool = False):
    """Records matching an SQL condition of the index, or `test` over the files; `count`:
    with how many matched in all (`total`)."""
    def from_files():
        if not files:
            raise NotQuick
        scan = store.scan()
        chosen = sorted((record for record in scan.records if test(record)),
                        key=creation_order)
        scan.total = len(chosen)
        scan.records = chosen if newest is None else chosen[max(len(chosen) - newest, 0):]
        return scan

    def from_index(index):
        found = index.query(condition, params, newest=newest, count=count)
        if newest is not None:
            found.records.reverse()
        return found

    return store.ask(from_index, from_files, build=build, write=write)


def _people(store, condition: str | None, params, test, covered: set, entries,
            newest: int | None, *, build: bool = True, files: bool = True,
            write: bool = True):
    """The newest record of each (phone, room) among those matching that no register entry
    covers: the `newest` most recently seen (None: all), newest first, with `total`."""
    def from_files():
        if not files:
            raise NotQuick
        scan = store.scan()
        latest: dict = {}
        for record in scan.records:
            person = person_of(record)
            if person.get("phone") and test(record) and _pair(person) not in covered:
                latest.pop(_pair(person), None)
                latest[_pair(person)] = record  # the scan is oldest first
        scan.records = list(reversed(latest.values()))
        scan.total = len(scan.records)
        scan.records = scan.records[:newest]
        return scan

    def from_index(index):
        # the index keeps each record's phone as a hash and its place (room) normalised;
        # an entry's own record is covered by its present phone and room
        skip = {(phone_key(digits), room) for digits, room in covered if digits}
        for entry in entries:
            place = place_of(entry)
            skip.add((phone_key(person_of(entry).get("phone")),
                      normalise(place) if place else None))
        return index.people(condition, params, skip=frozenset(skip), newest=newest)

    return store.ask(from_index, from_files, build=build, write=write)


def _same_phone(record: Record, phone: str) -> bool:
    return _phone_is(person_of(record), phone)


def _phone_is(person: dict, phone: str) -> bool:
    return same_number(person.get("phone") or "") == same_number(phone)


def _is_open(record: Record) -> bool:
    from dutyctl.queries import is_open

    return is_open(record)


def _masked(phone: str) -> str:
    from dutyctl.schema import mask_phone

    return mask_phone(phone)


@frozen
class KnownCaller:
    """The name and room a call is recorded with (`known_caller`), and what the residents
    register told, for the clerk to hear (each line said as it is)."""

    name: str | None
    room: str | None
    said: tuple[str, ...] = ()


def known_caller(residents, name: str | None, room: str | None, *,
                 places: set[str]) -> KnownCaller:
    """A call from a number the register has (`residents`: its entries for the number, the
    moved-out too, `register(..., include_moved=True)`): the name and room not typed come
    from it when it knows the number at one room only; a place typed (3号楼电梯, one of the
    site's `places`) keeps it, with their name. Another room typed takes nothing: whoever
    calls about that room is not known to be the same person there. A number the register
    has an entry for is at that entry's room, whatever rooms tickets named it at."""
    from dutyctl.residents import check_line

    found, gone = moved_apart(residents)
    entries = [resident for resident in found if resident.entry is not None]
    # a name or room no clerk could have typed (a line break, a page of text: another
    # desk's hand edit) is not taken into the call: it is asked for, as for a new number
    people = {(resident.person.get("name"), resident.person.get("room"))
              for resident in entries or found
              if not any(check_line(str(resident.person.get(field) or ""))
                         for field in ("name", "room"))}
    if len(people) > 1:
        # a number met at its home and at a place of the site (a ticket about 3号楼电梯):
        # the home is where the caller lives
        people = {person for person in people
                  if person[1] not in places and is_room(normalise(person[1] or ""))} or people
    if len(people) > 1 and room:  # one person at two rooms: the room typed says which
        people = {person for person in people
                  if normalise(person[1] or "") == normalise(room)} or people
    if not people:
        return KnownCaller(name, room, _moved_out(gone))
    if len(people) != 1:
        return _one_name_at_rooms(people, name, room)
    ((known_name, known_room),) = people
    if room and normalise(known_room or "") != normalise(room):
        if is_room(normalise(room)) and normalise(room) not in places:  # 3/2/501 too
            # another room: their name is not known to go with it
            return KnownCaller(name, room, (t(
                "the residents register has this number at {home} ({name}), not at {room}: "
                "the name is not taken from it", home=known_room, name=known_name,
                room=normalise(room)),) if not name and known_name else ())
        # about a place (3号楼电梯): the name is still the number's
        return KnownCaller(name or known_name, room, (t(
            "caller from the residents register: {name} (lives at {home})", name=known_name,
            home=known_room),) if not name and known_name else ())
    if name and known_name and name.strip() != known_name:
        # the register's name said as the register's, the typed one as what is recorded
        said = t("the residents register has this number as {known}, {room}; the call is "
                 "recorded as {name}, as typed", known=known_name, room=known_room,
                 name=name.strip())
    else:  # the room as the register has it (9-2-1101), however typed (9栋2单元1101)
        said = t("caller from the residents register: {name}, {room}",
                 name=known_name or name, room=known_room)
    return KnownCaller(name or known_name, room or known_room, (said,))


def _moved_out(gone: list[Resident]) -> tuple[str, ...]:
    """A number whose resident moved out: said (the call then asks for the name and room,
    which without this looked like the register had lost them)."""
    from dutyctl.names import Names

    return tuple(t("the residents register had this number for {name} at {room}, who moved "
                   "out: if it is still them, give the name and room",
                   name=Names.line(resident.person.get("name") or "-"),
                   room=Names.line(resident.person.get("room") or "-")) for resident in gone)


def _one_name_at_rooms(people: set, name: str | None, room: str | None) -> KnownCaller:
    """A number the register has at several rooms, no room typed: their name when it is one
    person's (陈大明 at 1-1-101 and 2-2-202, said with the rooms; the room is then asked for),
    else nothing taken."""
    names = {person_name for person_name, _ in people}
    if name or room or len(names) != 1 or None in names:
        return KnownCaller(name, room)
    (known_name,) = names
    return KnownCaller(known_name, room, (t(
        "caller from the residents register: {name}, at {rooms}: give the room the call is "
        "about", name=known_name, rooms=t(", ").join(sorted(
            str(person_room) for _, person_room in people))),))
