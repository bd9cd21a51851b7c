"""A resident's phone number erased from every record (个人信息保护法: nothing kept longer than
its purpose needs): a tenant who moved out asks for their number to go.

Every record and step file under records/ holding one of the resident's numbers (the
register entry's, as filed and as corrected, and the other entries of the same resident)
is written again with that number masked as every screen shows it (136****2222): in each
`phone` field and in free text (a delivery note's 电话13600002222, a handover's copy of it).
The masked form keeps what the desk saw and can no longer be called or looked up. Such a
file is written in ERASED_SCHEMA, so a desk still on an older dutyctl says "written by a
newer dutyctl" instead of refusing the masked number. The register entry gets an
`erase-phone` step with the reason (never the number). Git's history still holds the files
as they were: the command says so; rewriting history is the repository keeper's task.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from dutyctl.errors import InputError, Problem
from dutyctl.kinds.resident import ERASE_PHONE
from dutyctl.messages import t
from dutyctl.records import ACTION_SCHEMA, Record
from dutyctl.schema import Fields, mask_phone, phones_erased, same_number

# a file with an erased (masked) number: the schema of the erase-phone step
ERASED_SCHEMA = ACTION_SCHEMA[ERASE_PHONE]


def numbers_of(group: list[Record]) -> set[str]:
    """The numbers (`same_number`) every entry of the resident had: as filed and as
    corrected."""
    found = set()
    for entry in group:
        for person in (entry.get("resident") or {},
                       *(event.data.get("resident") or {} for event in entry.events)):
            digits = same_number(str(person.get("phone") or ""))
            if len(digits) >= 7 and "*" not in str(person.get("phone")):
                found.add(digits)
    return found


def erase_phone(store, record: Record, *, reason: str, at: datetime,
                by: str) -> tuple[Record, list[Path], str]:
    """Erase the numbers of the resident `record` is (a register entry, or a call naming
    them: its entry is made once the erase goes ahead) from every record file: (the entry
    after its `erase-phone` step, every path written, the numbers as masked). Every file is
    read and masked before one is written, the resident's own entries last: an erase cut
    short (Ctrl-C, a full disk) is finished by running it again. Refused, nothing written:
    no reason, no number to erase (erased already), a resident still in the register holding
    one of them now (the flat's landline, a recycled mobile: their records are theirs), a
    file that may hold one and cannot be read, or whose copy of it is not written as a
    number can be found (said: fixed first, the erase is run again)."""
    from dutyctl import callers
    from dutyctl.kinds.resident import KIND
    from dutyctl.records import check_next_event

    if not (reason or "").strip():
        raise InputError(t("say why the number is erased (the resident's request)"))
    made = record if record.kind == KIND else callers.entry_made_of(store, record)
    if made is None:  # a patrol, a duty: no resident, said as `resident edit` says it
        callers.resident_named(record)
    group = callers.group_of(store, made) if made is not None else [record]
    numbers = numbers_of(group)
    if not numbers:
        raise InputError(t("{id} has no phone number left to erase", id=record.short_id))
    _refuse_current_holder(store, group, numbers)
    if made is not None:
        check_next_event(made, ERASE_PHONE, at)
    own = {entry.id for entry in group}
    rewrites = [found for path in store.record_paths()
                if (found := _erased_file(store, path, numbers)) is not None]
    rewrites.sort(key=lambda found: found[2] in own)  # the resident's entries last
    entry, written = callers.entry_for(store, record, at=at, by=by)
    # an entry made of a call just now copied its number (it was committed whole): masked
    # too, last, and not counted among the files that held the number
    made_now = [found for path in written
                if (found := _erased_file(store, Path(path), numbers)) is not None]
    from dutyctl.store.recordstore import ERASING, SAVED

    SAVED.append((KIND, entry.id, ERASING))  # an interrupt says to run it again
    for path, text, _ in rewrites + made_now:
        store.rewrite(path, text)
    SAVED.pop()
    entry = store.get(entry.id)  # as rewritten
    entry = store.append(entry, ERASE_PHONE, at=at, by=by, note=reason.strip(),
                         data={"files": len(rewrites)})
    shown = t(", ").join(mask_phone(number) for number in sorted(numbers))
    return entry, [*written, *(path for path, *_ in rewrites), Path(entry.events[-1].path)], shown


def _refuse_current_holder(store, group: list[Record], numbers: set[str]) -> None:
    """A resident in the register now, not this one, whose number is one of these: refused
    (a new tenant given the flat's landline would lose their own records)."""
    from dutyctl import callers
    from dutyctl.kinds.resident import ACTIVE
    from dutyctl.safetext import short_line

    mine = {entry.id for entry in group}
    for entries in callers.same_resident(callers.register_entries(store)):
        resident, entry = callers.one_resident(entries), entries[0]
        if entry.id in mine or resident.status != ACTIVE:
            continue
        if same_number(str(resident.person.get("phone") or "")) in numbers:
            raise InputError(t("{phone} is registered now to {name} at {room} ({id}): their "
                               "records keep it; nothing erased",
                               phone=mask_phone(str(resident.person.get("phone"))),
                               name=short_line(str(resident.person.get("name") or "-")),
                               room=short_line(str(resident.person.get("room") or "-")),
                               id=entry.short_id))


def _erased_file(store, path: Path, numbers: set[str]):
    """(path, its text with the numbers masked, its record's id) when it holds one of them,
    else None; InputError naming a file that may hold one and cannot be read."""
    from dutyctl.folding import half_width
    from dutyctl.store import fastyaml, yamlio

    label = store.relative(path)
    raw = yamlio.read_bytes(path, label)
    digits = "".join(char for char in half_width(raw.decode("utf-8", "replace"))
                     if char.isdigit())  # 电话１３６…: full-width digits are the number too
    if not any(number[-7:] in digits for number in numbers):  # most files: not read further
        return None
    problems: list[Problem] = []
    schema = 1  # a file that says none is of the first
    try:
        data = fastyaml.loads(yamlio.decode(raw, label), label)
    except InputError as exc:
        problems.append(exc.problem)
    else:  # another desk's file: a list, a schema of text (what the rewrite reads)
        top = Fields(data, label, problems)
        if top.ok:
            schema = top.integer("schema", required=False, minimum=1, default=1)
    if problems:  # the problem may quote the file's value: the number itself
        raise InputError(t("{file} may hold the number and cannot be read ({problem}): fix "
                           "or remove it, then erase again; nothing erased", file=label,
                           problem=phones_erased(str(problems[0]), numbers))) from None
    erased = _erased(data, numbers)
    text = "" if erased == data else fastyaml.dumps(
        {**erased, "schema": max(schema, ERASED_SCHEMA)})
    if _holds(text or digits, numbers):  # written so that no number pattern reads it
        raise InputError(t("{file} holds the number written so that it cannot be told apart "
                           "from other text: mask it by hand (or remove it), then erase "
                           "again; nothing erased", file=label))
    if not text:
        return None
    return path, text, str(data.get("record") or data.get("id") or "")


def _holds(text: str, numbers: set[str]) -> bool:
    """Whether one of the numbers is among the digits of `text` (full-width ones folded; a
    landline's with or without its leading 0)."""
    from dutyctl.folding import half_width

    digits = "".join(char for char in half_width(text) if char.isdigit())
    return any(number in digits or number.lstrip("0") in digits for number in numbers
               if len(number) >= 7)


def _erased(value: Any, numbers: set[str]) -> Any:
    """`value` with each of the numbers masked: a `phone` field that is one, and each
    occurrence in a text."""
    if isinstance(value, dict):
        return {key: mask_phone(item) if key == "phone" and isinstance(item, str)
                and same_number(item) in numbers else _erased(item, numbers)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_erased(item, numbers) for item in value]
    if isinstance(value, str):
        return phones_erased(value, numbers)
    return value
