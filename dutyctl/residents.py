"""The resident named in a call, complaint or repair: the same three fields everywhere."""

from __future__ import annotations

from typing import Any, Mapping

from dutyctl.folding import half_width
from dutyctl.messages import t
from dutyctl.patterns import lazy
from dutyctl.records import known_kind, set_aside
from dutyctl.safetext import MAX_LINE
from dutyctl.schema import Fields, mask_phone, same_number


def resident(name: str, room: str, phone: str) -> dict[str, str]:
    return {"name": name.strip(), "room": room.strip(), "phone": phone.strip()}


def check_resident(top: Fields, key: str) -> None:
    person = top.mapping(key)
    if person is None:
        return
    person.unknown(("name", "room", "phone"))
    person.text("name")
    person.room("room")
    person.phone("phone")


def shown_phone(person: Mapping[str, Any] | None, show_phone: bool) -> str:
    phone = (person or {}).get("phone") or ""
    return phone if show_phone else mask_phone(phone)




def check_line(value: str) -> str | None:
    """None for one short line of text; else what is wrong (a newline, a huge paste)."""
    from dutyctl.messages import t

    if "\n" in value or "\r" in value:
        return t("must be one line")
    if len(value) > MAX_LINE:
        return t("longer than {limit} characters ({length})", limit=MAX_LINE,
                 length=len(value))
    return None


def validate_resident(person: dict[str, str], rooms=None,
                      typed: tuple[str, ...] = ("name", "room", "phone"),
                      home: bool = False) -> dict[str, str]:
    """The same checks as a stored record, and more, for values typed on the command line
    (`typed`: the fields typed; an edit keeps the others as they are): a phone must be a
    whole number (`schema.phone_problem`); the room in its canonical form (checked against
    the site's address scheme `rooms` when it has one; `home`: for the register, a room of
    it, never a place such as 3号楼电梯)."""
    from dutyctl.errors import InputError
    from dutyctl.messages import t
    from dutyctl.schema import (check_phone, check_room, phone_problem, phone_stored,
                                phone_written)

    # a number typed in full-width mode (１３８　１２３４), with an input method's dashes or an
    # area code in brackets, is stored in the characters files expect
    person = {**person, "phone": phone_written(person["phone"])}
    if "name" in typed:
        person["name"] = name_written(person["name"])
    for field, check in (("name", check_line), ("room", check_room), ("room", check_line),
                         ("phone", check_phone), ("phone", phone_problem)):
        error = check(person[field]) if field in typed else None
        if error:
            shown = person[field] if len(person[field]) <= MAX_LINE else person[field][:20] + "..."
            raise InputError(lambda name: t("{value} {shown!r}: {error}", value=name(field),
                                            shown=shown, error=error))
    if "phone" in typed:  # one spelling however typed (139 0000 1111 is 13900001111)
        person["phone"] = phone_stored(person["phone"])
    if "room" not in typed:
        return person
    from dutyctl.rooms import canonical

    return {**person, "room": canonical(rooms, person["room"], home)}


#: a blank between two Chinese characters of a name (李　四 typed in full-width mode)
_BLANK_IN_HAN = lazy(r"(?<=[\u3400-\u9fff\uf900-\ufaff])\s+(?=[\u3400-\u9fff\uf900-\ufaff])")


def name_written(name: str) -> str:
    """A resident's name as it is stored: a full-width space or letter as its half-width one,
    one blank between words, none between two Chinese characters (李　四 and 李 四 are 李四,
    found by `search 李四` and one line of the register; John Smith keeps his)."""
    tidy = " ".join(half_width(name).split())
    return _BLANK_IN_HAN.sub("", tidy) if not tidy.isascii() else tidy


def place_of(record: Any, person: dict | None = None) -> str | None:
    """Where a record happens: its place (`where`: an emergency, a recurring job such as
    全小区消防栓), else the resident's room. An emergency a resident reported keeps its place
    (5号楼1单元电梯, not the caller's 5-1-801: found, listed and handed over there; the call
    keeps the caller's room). `person`: person_of(record), when known."""
    where = record.get("where")
    if where:
        return where
    return (person_of(record) if person is None else person).get("room")


EDIT = "edit"  # a correction of a register entry (dutyctl.kinds.resident): changed fields


def person_of(record: Any) -> dict:
    """The resident a record names, with the corrections its `edit` events made since (a kind
    that has such a step: an `edit` file another desk put beside a complaint changes nothing,
    as `check` says of it)."""
    person = dict(record.get("resident") or {})
    spec = known_kind(getattr(record, "kind", ""))
    if not (spec and EDIT in spec.transitions):
        return person
    aside = set_aside(record)
    for event in record.events:
        if event.action == EDIT and event.data.get("resident") and event.id not in aside:
            person.update(event.data["resident"])
    return person


def check_resident_change(top: Fields, key: str) -> None:
    """An `edit` event's changed fields: any of name, room, phone, checked as when filed."""
    change = top.mapping(key)
    if change is None or not change.ok:
        return
    change.unknown(("name", "room", "phone"))
    if not change.data:
        change.problem(None, t("names no field to change"))
    change.text("name", required=False)
    change.room("room", required=False)
    change.phone("phone", required=False)


def phone_key(phone: str | None) -> str | None:
    """What the record index keeps to find a number: a hash, never the number itself, of
    its digits as `schema.same_number` gives them, the one spelling masking and erasure
    compare (`0571 8888 6666` and `+86 571-88886666` are one number, one key)."""
    try:  # hashlib's own blake2b, without hashlib's import of OpenSSL (2 ms a command)
        from _blake2 import blake2b
    except ImportError:
        from hashlib import blake2b

    digits = same_number(phone or "")
    if not digits:
        return None
    return blake2b(digits.encode(), digest_size=12, person=b"dutyctl-phone").hexdigest()
