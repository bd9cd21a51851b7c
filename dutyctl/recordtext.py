"""The text a record holds, as search and the record index see it.

Matching is on NFKC-folded, case-folded text (`fold`). `texts_of` is every text of a record
and its history plus the display names behind the ids it stores (category, emergency type,
department); never a phone number, which a snippet would reveal.
"""

from __future__ import annotations

from typing import Any, Iterator

from dutyctl.kinds.emergency import KIND as EMERGENCY
from dutyctl.records import Record
from dutyctl.folding import half_width


def fold(text: str) -> str:
    return half_width(text).casefold()


def _strings(value: Any) -> Iterator[str]:
    """Every text inside a value, except phone numbers: a snippet must never reveal one."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict) or hasattr(value, "items"):
        for key, item in value.items():
            if key != "phone":
                yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _labels(record: Record, config) -> Iterator[str]:
    """Display names behind the ids a record stores."""
    if config is None:
        return
    catalogue = config.categories.get(record.kind)
    if catalogue is not None and record.get("category"):
        yield catalogue.name(record.get("category"))
    if record.kind == EMERGENCY and record.get("type") in config.emergencies:
        yield config.emergencies[record.get("type")].name
    for event in record.events:
        department = config.departments.get(event.data.get("to"))
        if department is not None:
            yield department.name


def texts_of(record: Record, config=None) -> list[str]:
    texts = list(_strings(dict(record.fields)))
    for event in record.events:
        if event.note:
            texts.append(event.note)
        texts.extend(_strings(dict(event.data)))
    texts.extend(_labels(record, config))
    return texts
