"""Entries of the residents register: who lives where, with their phone numbers.

The register (dutyctl.callers.register) is everyone the calls and tickets name, plus these
entries, which the desk makes when it adds or corrects a resident. An entry is a `resident`
record holding the same `resident {name, room, phone}` mapping as a call or ticket, so it
merges through git like everything else. A correction is an `edit` event carrying the changed
fields; `move-out` ends the entry. An entry is never open work: it is left out of handovers,
carried-over counts and deadlines.
"""

from __future__ import annotations

from typing import Any

from dutyctl.messages import NP_
from dutyctl.records import (ACTION_SCHEMA, ANY, NOTE, RECORD_KEYS, KindSpec, Record,
                             ids_in, linked_ids, register)
from dutyctl.residents import EDIT, check_resident, check_resident_change, person_of
from dutyctl.schema import Fields

KIND = "resident"
ACTIVE, MOVED_OUT = "active", "moved-out"
MOVE_OUT = "move-out"
ERASE_PHONE = "erase-phone"  # the resident's numbers erased from every record (dutyctl.erasure)
ACTION_SCHEMA[ERASE_PHONE] = 3  # an older desk says "written by a newer dutyctl"


def _check(top: Fields, config: Any) -> None:
    top.unknown((*RECORD_KEYS, "resident", "source", "note"))
    check_resident(top, "resident")
    top.text("source", required=False)
    top.text("note", required=False)


def _summary(record: Record) -> str:
    person = person_of(record)
    return f"{person.get('room', '')} {person.get('name', '')}"


RESIDENT = register(KindSpec(
    name=KIND,
    check_fields=_check,
    initial_status=lambda fields: ACTIVE,
    transitions={EDIT: ((ACTIVE,), None),
                 MOVE_OUT: ((ACTIVE,), MOVED_OUT),
                 ERASE_PHONE: ((ANY,), None),
                 NOTE: ((ANY,), None)},
    summary=_summary,
    closed_statuses=(ACTIVE, MOVED_OUT),  # a register entry, never work waiting to be done
    word=NP_("kind", "resident"),
    event_data={EDIT: (("resident",), lambda top: check_resident_change(top, "resident")),
                ERASE_PHONE: (("files",), lambda top: top.integer("files", minimum=0))},
    references=lambda record: [*linked_ids(record), *ids_in(record.get("source"))],
))
