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


def check_category(top: Fields, config: Any, kind: str) -> None:
    category = top.text("category")
    if category and config is not None and category not in config.categories[kind]:
        top.problem("category", f"'{category}' is not a {kind} category of this site")


def validate_resident(person: dict[str, str]) -> dict[str, str]:
    """The same checks as a stored record, for values typed on the command line."""
    from dutyctl.errors import InputError
    from dutyctl.schema import check_phone, check_room

    for flag, check in (("room", check_room), ("phone", check_phone)):
        error = check(person[flag])
        if error:
            raise InputError(f"--{flag} {person[flag]!r}: {error}")
    return person
