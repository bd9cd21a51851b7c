"""The record a step command acts on, typed as the desk knows it.

`dutyctl repair dispatch 5-1-1202`, `repair arrive 13900001111`, `complaint resolve 王五`,
`emergency close 停水`: a clerk types the room, the resident's whole phone number or name (an
emergency: its type or place) rather than an id, when one open record of the command's kind
answers to it. The id (or any unambiguous prefix) is still accepted first; several open
records answering are listed with their ids, none says where to find one.
"""

from __future__ import annotations

from typing import Iterable

from dutyctl.errors import InputError, NotFound, Refused
from dutyctl.messages import t, tn
from dutyctl.records import Record, creation_order, kind_word
from dutyctl.residents import person_of, place_of

def open_at_place(store, kinds: tuple[str, ...], place: str) -> list[Record]:
    """The open records of `kinds` at `place` (`residents.place_of`), newest first. Read as
    a lookup (no index built or written: it only helps the clerk)."""
    found = store.open_records(kinds, build=False, write=False).records
    return sorted((record for record in found if place_of(record) == place),
                  key=lambda record: record.created_at, reverse=True)


def emergency_repair_open_at(store, config, place: str) -> Record | None:
    """The newest open repair of the site's 急修 classes (`Config.emergency_repair_classes`)
    at `place` (`open_at_place`): the one an emergency opened there may be about."""
    from dutyctl.kinds.repair import KIND as REPAIR

    urgent = config.emergency_repair_classes()
    return next((repair for repair in open_at_place(store, (REPAIR,), place)
                 if repair.get("urgency") in urgent), None)


def record_named(store, config, typed: str, kinds: tuple[str, ...],
                 closed: bool = False) -> Record:
    """The record whose id `typed` is (or starts), else the one open record of `kinds` that
    `typed` names by room or place, whole phone number, resident's name or emergency type.
    A record of another kind is refused (a repair's id typed to `complaint close`).
    `closed` (`reopen`): the newest closed one its room, place or phone names instead."""
    try:
        record = store.get(typed)
    except (InputError, NotFound) as refused:
        if closed:
            return _closed_named(store, config, typed, kinds, refused)
        found = open_named(store, config, typed, kinds)
        if len(found) == 1:  # by its id again: one in two day folders is refused as by its id
            return store.get(found[0].id)
        if found:
            raise InputError(_several(store, typed, found)) from None
        if not _could_name(typed):
            raise refused from None
        from dutyctl.callers import refuse_masked
        from dutyctl.commandwords import said

        refuse_masked(typed)  # 138****5678 copied from a screen

        closed = newest_closed(store, typed, kinds)
        if closed is not None:
            raise Refused(_closed_said(store, typed, closed)) from None
        # one closed since a step recorded late (a call-out at 03:30 for an emergency
        # closed at 04:15) is named by its id: the second command lists it too
        raise NotFound(t("'{typed}' is neither an id nor the room or place, phone, name or "
                         "type of an open {kind}: 'dutyctl {command} --open --kind {kind}' "
                         "shows each with its id ('dutyctl {command} --kind {kind}' the closed "
                         "ones too)", typed=typed.strip(), command=said("list"),
                         kind=kind_word(kinds[0]))) from None
    from dutyctl.records import require_kind

    require_kind(record, *kinds)
    return record


def _closed_named(store, config, typed: str, kinds: tuple[str, ...],
                  refused: Exception) -> Record:
    """`reopen 3-2-501`: the record of `kinds` finished there and waiting for its return
    visit (rework: the fault came back), else the newest one closed at that room or place,
    or of that whole phone number; else the id's refusal (`refused`), or that none is closed
    there."""
    from dutyctl.callers import refuse_masked
    from dutyctl.commandwords import said
    from dutyctl.kinds.complaint import REOPEN
    from dutyctl.records import kind_spec

    if not _could_name(typed):
        raise refused
    refuse_masked(typed)
    finished = [record for record in open_named(store, config, typed, kinds)
                if record.status in kind_spec(record.kind).transitions.get(REOPEN, ((),))[0]]
    if len(finished) == 1:
        return store.get(finished[0].id)
    if finished:
        raise InputError(_several(store, typed, finished))
    found = newest_closed(store, typed, kinds)
    if found is None:
        raise NotFound(t("'{typed}' is neither an id nor the room, place or phone of a closed "
                         "{kind}: 'dutyctl {command} --kind {kind}' shows each with its id",
                         typed=typed.strip(), command=said("list"), kind=kind_word(kinds[0])))
    return store.get(found.id)


def open_named(store, config, typed: str, kinds: Iterable[str]) -> list[Record]:
    """The open records of `kinds` that `typed` names (see record_named), oldest first."""
    from dutyctl.rooms import normalise
    from dutyctl.schema import phone_typed
    from dutyctl.folding import half_width

    text = " ".join(half_width(typed).split())
    if not text:
        return []
    scan = store.open_records(tuple(kinds))
    store.skip(scan.problems)
    if phone_typed(text):
        from dutyctl.schema import same_number  # one number however spelt, as the index

        wanted = same_number(text)
        test = lambda record: same_number(str(person_of(record).get("phone") or "")) == wanted
    else:
        place = normalise(text)
        name = text.replace(" ", "")

        def test(record: Record) -> bool:
            person = person_of(record)
            # an emergency at its place (3号楼) is also named by its reporter's room (3-1-502)
            places = {place_of(record, person), person.get("room")}
            return (any(where is not None and normalise(str(where)) == place
                        for where in places)
                    or "".join(str(person.get("name") or "").split()) == name
                    or _type_name(config, record) == name)
    found = sorted((record for record in scan.records if test(record)), key=creation_order)
    if found or phone_typed(text):
        return found
    under = sorted((record for record in scan.records if _place_under(record, text)),
                   key=creation_order)
    if under:
        return under
    # an emergency's type typed in part, as `emergency open --type 电梯` takes it (电梯困人):
    # `突发 关闭 电梯` was "neither an id nor the … type of an open emergency"
    kind = _type_in_part(config, text)
    return [] if kind is None else sorted(
        (record for record in scan.records if record.get("type") == kind), key=creation_order)


def _type_in_part(config, typed: str) -> str | None:
    """The one emergency type whose id or name holds `typed` (电梯 in 电梯困人), as `emergency
    open --type` reads it (`lifecycle.emergency_type`, without the refusal), else None."""
    from dutyctl.choices import matches

    found = matches(typed, {emergency_id: kind.name
                            for emergency_id, kind in config.emergencies.items()})
    return found[0] if len(found) == 1 else None


def _place_under(record: Record, typed: str) -> bool:
    """A record at a place (not a room) that `typed` begins, when nothing is at `typed`
    itself: 5号楼 for 5号楼1单元电梯 (a building's place, as `list --room` finds it), 地下车库
    for 地下车库B2. A room's record is named by its room, never by its building alone.

    The beginning counts only at a boundary of the normalised forms compared: 5号楼 (the
    building `5`) is not 50号楼配电房, 商铺1 is not 商铺10; a building or unit typed (5号楼,
    A座, 5号楼1单元) holds only its own places, never those of a building it spells the start
    of (A1号楼配电房 is not under A座).
    An emergency's place written as a unit (5号楼1单元) is kept as a room is (5-1): its
    building names it too (`突发 记录 5号楼` was refused, or went to the one other emergency
    of 5号楼 at a place, 5号楼1单元电梯, unasked)."""
    from dutyctl.kinds.emergency import EMERGENCY
    from dutyctl.rooms import is_room, matches, normalise

    where = place_of(record)
    if where is None:
        return False
    if is_room(str(where)):
        return record.kind == EMERGENCY.name and matches(normalise(str(where)),
                                                         normalise(typed))
    where, wanted = normalise(str(where)), normalise(typed)
    if not wanted or len(wanted) >= len(where):
        return False
    if matches(where, wanted):
        return True
    # 5 is not 50, A (A座) not A1: a letter or digit ending the typed text never runs on
    # into another; 3 (3栋, 3号楼) is under 3栋2单元电梯, A under A座1单元大堂
    return where.startswith(wanted) and not (_alnum(wanted[-1]) and _alnum(where[len(wanted)]))


def _alnum(character: str) -> bool:
    return character.isascii() and character.isalnum() or character.isdecimal()


def newest_closed(store, typed: str, kinds: Iterable[str], recent: int = 50) -> Record | None:
    """The newest record of `kinds`, no longer open, that `typed` names by room or whole phone
    number (among that room's or number's `recent` newest records), else None: what a clerk
    at 3 a.m. means by `repair done 5-1-1202` when that room's repair was closed already."""
    from dutyctl.queries import is_open
    from dutyctl.tickets.lifecycle import closed_as_duplicate

    wanted = tuple(kinds)
    closed = [record for record in _records_named(store, typed, recent)  # newest first
              if record.kind in wanted and not is_open(record)]
    # a duplicate closed in favour of another is not what the clerk means: the one kept is
    return next((record for record in closed if not closed_as_duplicate(record)),
                closed[0] if closed else None)


def _records_named(store, typed: str, recent: int) -> list[Record]:
    """The `recent` newest records of the room, place or whole phone number `typed`, newest
    first; a building typed (3) is not the room of a record filed at one of its rooms."""
    from dutyctl import callers
    from dutyctl.rooms import normalise
    from dutyctl.schema import phone_typed
    from dutyctl.folding import half_width

    text = " ".join(half_width(typed).split())
    if not text:
        return []
    if phone_typed(text):
        history = callers.caller_history(store, text, recent)
        here = lambda record: True
    else:
        room = normalise(text)
        history = callers.room_history(store, room, recent, residents=0)
        # that room or place itself, as open_named matches it: a building typed (3) is not
        # said to have "no open repair" when its rooms have some
        here = lambda record: normalise(str(place_of(record) or "")) == room
    store.skip(history.problems)
    return [record for record in history.records if here(record)]


#: how far back `--from-call 3-1-502` looks for the call it means: the one just taken
CALL_LOOKBACK_HOURS = 12


def call_named(store, typed: str, kind: str, moment) -> Record:
    """The call `--from-call` names (a ticket or emergency of `kind` filed from it at
    `moment`): its id or id prefix, else the one call of that room or whole phone number
    logged in the CALL_LOOKBACK_HOURS before `moment` without a `kind` filed from it yet (the
    clerk types the room, as for every step); several are listed with their ids."""
    from datetime import timedelta

    from dutyctl.callers import refuse_masked
    from dutyctl.commandwords import said
    from dutyctl.kinds.call import KIND as CALL
    from dutyctl.records import linked_ids
    from dutyctl.timeutil import local_time

    try:
        return store.get(typed)
    except (InputError, NotFound) as refused:
        if not _could_name(typed):
            raise refused from None
    refuse_masked(typed)  # 138****5678 copied from a screen

    def has_one(call: Record) -> bool:
        for linked_id in linked_ids(call):
            try:
                if store.get(linked_id).kind == kind:
                    return True
            except (InputError, NotFound):
                continue
        return False

    since = moment - timedelta(hours=CALL_LOOKBACK_HOURS)
    found = [record for record in _records_named(store, typed, 50)
             if record.kind == CALL and since <= record.created_at <= moment
             and not has_one(record)]
    if len(found) == 1:
        return found[0]
    if found:
        from dutyctl.choices import several

        raise InputError(tn(
            "'{typed}' names {count} calls of the last {hours} hours: {records}; give the id "
            "of the one meant", "'{typed}' names {count} calls of the last {hours} hours: "
            "{records}; give the id of the one meant", len(found), typed=typed.strip(),
            hours=CALL_LOOKBACK_HOURS,
            records=several(sorted(found, key=creation_order), lambda one: described(store, one))))
    raise NotFound(t("'{typed}' is neither an id nor the room or phone of a call logged in the "
                     "{hours} hours before {time} without a {kind} filed from it: 'dutyctl "
                     "{command} --kind {call}' shows the calls with their ids",
                     typed=typed.strip(), hours=CALL_LOOKBACK_HOURS,
                     time=local_time(moment, store.tz), kind=kind_word(kind),
                     command=said("list"), call=kind_word(CALL)))


def described(store, record: Record) -> str:
    """`01M6ECYSARHH (2026-11-02 23:10, 3-1-502, 郑十一, 3号楼整栋停电)`: a record named by
    its id, when it was filed, where, who and what."""
    from dutyctl.output import visible
    from dutyctl.timeutil import local_time
    from dutyctl.views import record_text

    person = person_of(record)
    what = [local_time(record.created_at, store.tz), str(place_of(record, person) or ""),
            str(person.get("name") or ""), str(record_text(record) or "")]
    return t("{id} ({what})", id=record.short_id,
             what=t(", ").join(visible(part) for part in what if part))


def _closed_said(store, typed: str, record: Record) -> str:
    """A step refused for a closed record named by room or phone: which one, and how to act
    on it (its id; a closed ticket reopened first)."""
    from dutyctl.commandwords import said
    from dutyctl.kinds.complaint import REOPEN
    from dutyctl.output import visible
    from dutyctl.records import kind_spec
    from dutyctl.timeutil import local_time
    from dutyctl.views import record_text
    from dutyctl.words import status_word

    given = dict(typed=typed.strip(), kind=kind_word(record.kind), id=record.short_id,
                 time=local_time(record.created_at, store.tz),
                 text=visible(str(record_text(record) or "")),
                 status=status_word(record.status, record.kind))
    if REOPEN in kind_spec(record.kind).transitions:
        return t("'{typed}' has no open {kind}: the latest, {id} ({time}, {text}), is "
                 "{status}; if the problem is back, reopen it: dutyctl {command} {id} "
                 "--reason ...", command=said(record.kind, "reopen"), **given)
    return t("'{typed}' has no open {kind}: the latest, {id} ({time}, {text}), is {status}; "
             "to see it: dutyctl {command} {id}", command=said("show"), **given)


def _type_name(config, record: Record) -> str | None:
    kind = config.emergencies.get(record.get("type")) if record.get("type") else None
    return kind.name if kind is not None else None


def _could_name(typed: str) -> bool:
    """Not only id letters: what the clerk typed was meant as a room, phone or name."""
    from dutyctl.store import ids

    return ids.normalize(typed) is None or typed.strip().isdigit()


def _several(store, typed: str, found: list[Record]) -> str:
    from dutyctl.choices import several

    one = lambda record: described(store, record)
    return tn("'{typed}' names {count} open record: {records}; give the id of the one meant",
              "'{typed}' names {count} open records: {records}; give the id of the one meant",
              len(found), typed=typed.strip(), records=several(found, one))
