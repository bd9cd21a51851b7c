"""The resident named in a call, complaint or repair: the same three fields everywhere."""

from __future__ import annotations

from typing import Any, Mapping

from dutyctl.schema import Fields, mask_phone


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


MAX_LINE = 100  # a name or a room: one short line (a room also names the git commit)


def check_line(value: str) -> str | None:
    """None for one short line of text; else what is wrong (a newline, a huge paste)."""
    from dutyctl.messages import t

    if "\n" in value or "\r" in value:
        return t("must be one line")
    if len(value) > MAX_LINE:
        return t("longer than {limit} characters ({length})", limit=MAX_LINE,
                 length=len(value))
    return None


def validate_resident(person: dict[str, str], rooms=None) -> dict[str, str]:
    """The same checks as a stored record, for values typed on the command line; the room in
    its canonical form (checked against the site's address scheme `rooms` when it has one)."""
    from dutyctl.errors import InputError
    from dutyctl.messages import t
    from dutyctl.schema import check_phone, check_room

    for flag, check in (("name", check_line), ("room", check_room), ("room", check_line),
                        ("phone", check_phone)):
        error = check(person[flag])
        if error:
            shown = person[flag] if len(person[flag]) <= MAX_LINE else person[flag][:20] + "..."
            raise InputError(t("--{flag} {shown!r}: {error}", flag=flag, shown=shown,
                               error=error))
    from dutyctl.rooms import canonical

    return {**person, "room": canonical(rooms, person["room"])}


def place_of(record: Any) -> str | None:
    """Where a record happens: the resident's room, else its place (`where`: an emergency,
    a recurring job such as 全小区消防栓)."""
    return (record.get("resident") or {}).get("room") or record.get("where")
