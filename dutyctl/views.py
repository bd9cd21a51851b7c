"""Records turned into rows and documents for the output layer (phones masked by default)."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from dutyctl import ids
from dutyctl.kinds.readiness import FIX
from dutyctl.messages import N_, t
from dutyctl.records import Record
from dutyctl.residents import place_of, shown_phone
from dutyctl.schema import mask_phone
from dutyctl.words import action_word, kind_word, status_word

LIST_COLUMNS = [("id", N_("id")), ("kind", N_("kind")), ("time", N_("time")),
                ("status", N_("status")), ("by", N_("by")), ("room", N_("room")),
                ("name", N_("name")), ("phone", N_("phone")), ("category", N_("category")),
                ("text", N_("text")), ("assigned", N_("assigned")), ("due", N_("due"))]
HISTORY_COLUMNS = [("at", N_("time")), ("by", N_("by")), ("action", N_("action")),
                   ("note", N_("note"))]
RESIDENT_KEY = "resident"
TABLE_TEXT_WIDTH = 30


def local_time(moment, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def record_text(record: Record) -> str:
    return record.get("summary") or record.get("content") or record.get("note") or ""


def record_row(record: Record, tz: tzinfo, show_phone: bool, wide: bool = False) -> dict:
    person = record.get(RESIDENT_KEY) or {}
    text = record_text(record)
    if not wide and len(text) > TABLE_TEXT_WIDTH:
        text = text[:TABLE_TEXT_WIDTH - 1] + "…"
    return {"id": record.id if wide else record.short_id,
            "kind": record.kind if wide else kind_word(record.kind),
            "time": local_time(record.created_at, tz) if not wide else record.created_at,
            "status": record.status if wide else status_word(record.status),
            "by": record.recorded_by, "room": place_of(record),
            "name": person.get("name"), "phone": shown_phone(person, show_phone) or None,
            "category": record.get("category"), "text": text, "assigned": _assignee(record)}


def _assignee(record: Record) -> str | None:
    from dutyctl.tickets.lifecycle import assignee

    return assignee(record)


def _masked(fields: Any, show_phone: bool) -> Any:
    if isinstance(fields, dict) or hasattr(fields, "items"):
        return {key: (mask_phone(value) if key == "phone" and isinstance(value, str)
                      and not show_phone else _masked(value, show_phone))
                for key, value in fields.items()}
    return fields


def record_document(record: Record, show_phone: bool) -> dict:
    """The whole record with its status and history."""
    return {"id": record.id, "kind": record.kind, "status": record.status,
            "created_at": record.created_at, "recorded_by": record.recorded_by,
            **_masked(dict(record.fields), show_phone),
            "history": [{"id": event.id, "at": event.at, "by": event.by,
                         "action": event.action, "note": event.note,
                         **_masked(dict(event.data), show_phone)} for event in record.events],
            "path": record.path}


def history_rows(record: Record, tz: tzinfo) -> list[dict]:
    rows = [{"at": local_time(record.created_at, tz), "by": record.recorded_by,
             "action": action_word("filed"), "note": record_text(record)}]
    for event in record.events:
        rows.append({"at": local_time(event.at, tz), "by": event.by,
                     "action": action_word(event.action), "note": _event_note(event)})
    return rows


def _event_note(event) -> str:
    """An event's note and data in words: a problem found working by a checklist run has no
    note of its own (nothing translated is stored), the run is named instead."""
    if not event.note and event.action == FIX and set(event.data) == {"run"}:
        return t("found working in checklist {id}", id=ids.short(event.data["run"]))
    detail = " ".join(f"{key}={value}" for key, value in event.data.items())
    return " ".join(part for part in (event.note, detail) if part)
