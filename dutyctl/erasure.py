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

from dutyctl.errors import InputError
from dutyctl.kinds.resident import ERASE_PHONE
from dutyctl.messages import t
from dutyctl.records import Record
from dutyctl.schema import mask_phone, phone_digits

ERASED_SCHEMA = 3  # a file with an erased (masked) number


def numbers_of(group: list[Record]) -> set[str]:
    """The digits of every number the resident's entries had: as filed and as corrected."""
    found = set()
    for entry in group:
        for person in (entry.get("resident") or {},
                       *(event.data.get("resident") or {} for event in entry.events)):
            digits = phone_digits(str(person.get("phone") or ""))
            if len(digits) >= 7 and "*" not in str(person.get("phone")):
                found.add(digits)
    return found


def erase_phone(store, record: Record, *, reason: str, at: datetime,
                by: str) -> tuple[Record, list[Path], str]:
    """Erase the numbers of the resident `record` is (a register entry, or a call naming
    them: its entry is made first) from every record file: (the entry after its
    `erase-phone` step, every path written, the number as masked). Refused, nothing
    written: no reason, no number to erase (erased already)."""
    from dutyctl import callers
    from dutyctl.records import check_next_event

    if not (reason or "").strip():
        raise InputError(t("say why the number is erased (the resident's request)"))
    entry, written = callers.entry_for(store, record, at=at, by=by)
    numbers = numbers_of(callers.group_of(store, entry))
    if not numbers:
        raise InputError(t("{id} has no phone number left to erase", id=entry.short_id))
    check_next_event(entry, ERASE_PHONE, at)
    changed = [path for path in store.record_paths() if _erase_in(store, path, numbers)]
    entry = store.get(entry.id)  # as rewritten
    entry = store.append(entry, ERASE_PHONE, at=at, by=by, note=reason.strip(),
                         data={"files": len(changed)})
    shown = mask_phone(sorted(numbers)[0])
    return entry, [*written, *changed, Path(entry.events[-1].path)], shown


def _erase_in(store, path: Path, numbers: set[str]) -> bool:
    """Write `path` again with the numbers masked, when it holds one; whether it did."""
    from dutyctl.store import fastyaml, yamlio

    text = yamlio.read_text(path, store.relative(path))
    digits = "".join(char for char in text if char.isdigit())
    if not any(number[-7:] in digits for number in numbers):  # most files: not read further
        return False
    data = fastyaml.loads(text, store.relative(path))
    erased = _erased(data, numbers)
    if erased == data:
        return False
    erased["schema"] = max(int(erased.get("schema") or 1), ERASED_SCHEMA)
    store.rewrite(path, fastyaml.dumps(erased))
    return True


def _erased(value: Any, numbers: set[str]) -> Any:
    """`value` with each of the numbers masked: a `phone` field that is one, and each
    occurrence in a text."""
    if isinstance(value, dict):
        return {key: mask_phone(item) if key == "phone" and isinstance(item, str)
                and phone_digits(item) in numbers else _erased(item, numbers)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_erased(item, numbers) for item in value]
    if isinstance(value, str):
        from dutyctl.schema import phones_erased

        return phones_erased(value, numbers)
    return value
