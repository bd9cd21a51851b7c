"""Duty log entries (值班记录, seed 4.1): what happens at the desk besides calls — a patrol, a
visitor, a key handed out, a delivery, a notice, or a plain note.

An entry is a fact at a moment: filed `logged`, never open. The handover of the shift carries
the entries logged during it, and the daily report lists them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dutyctl.messages import N_, NP_
from dutyctl.records import (ANY, NOTE as NOTE_ACTION, RECORD_KEYS, KindSpec, Record,
                             creation_order, register)
from dutyctl.schema import Fields

KIND = "log-entry"
LOGGED = "logged"
NOTE, PATROL, VISITOR, KEY, DELIVERY, NOTICE = (
    "note", "patrol", "visitor", "key", "delivery", "notice")
TYPES = (NOTE, PATROL, VISITOR, KEY, DELIVERY, NOTICE)
#: the refusal of a type typed that is not one (`log entry --type`, `list --category`)
UNKNOWN_TYPE = N_("unknown duty log entry type '{value}'; choose one of: {choices}")


def _check(top: Fields, config: Any) -> None:
    top.unknown((*RECORD_KEYS, "type", "content", "where"))
    top.text("type", choices=TYPES)
    top.text("content")
    top.text("where", required=False)


def _summary(record: Record) -> str:
    return f"{record.get('type')} {record.get('content')}"


ENTRY = register(KindSpec(
    name=KIND,
    check_fields=_check,
    initial_status=lambda fields: LOGGED,
    transitions={NOTE_ACTION: ((ANY,), None)},
    summary=_summary,
    closed_statuses=(LOGGED,),
    word=NP_("kind", "log-entry"),
    voidable=True,  # one written by mistake (作废), as a call: tickets.lifecycle.void
))


def log_entry(store, *, entry_type: str, content: str, where: str | None, at: datetime,
              by: str) -> Record:
    """File one entry; the type typed by id or word (巡查, 来访, 钥匙, 快递, 通知)."""
    from dutyctl import choices, words
    from dutyctl.schema import require_text

    type_id = choices.resolve(entry_type, words.choices(words.ENTRY_TYPES, TYPES,
                                                        words.ENTRY_TYPED),
                              UNKNOWN_TYPE, builtin=True)
    fields = {"type": type_id, "content": require_text(content, "text")}
    if where and where.strip():
        fields["where"] = where.strip()
    return store.create(KIND, fields, at=at, by=by)


def entries_between(store, since: datetime, until: datetime) -> list[Record]:
    """Entries logged after `since` up to `until` (included), oldest first."""
    tz = store.tz
    scan = store.scan(since.astimezone(tz).date(), until.astimezone(tz).date(), (KIND,))
    return sorted((record for record in scan.records if since < record.created_at <= until),
                  key=creation_order)
