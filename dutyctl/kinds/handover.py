"""Written handover (交接班记录, seed 4.1): who hands to whom, when, and every open item.

The outgoing person files it (their signature); the incoming person's `accept` event is the
second signature. Items are a snapshot of what was open at the moment of the handover.
"""

from __future__ import annotations

from typing import Any

from dutyctl.records import (ANY, RECORD_KEYS, SETTLE, KindSpec, Record, linked_ids,
                             register)
from dutyctl.schema import Fields

PENDING, ACCEPTED = "pending", "accepted"
ACCEPT = "accept"
ITEM_KEYS = ("kind", "record", "status", "room", "item", "type", "text", "since", "due",
             "attempts", "last_attempt")


def _check(top: Fields, config: Any) -> None:
    top.unknown((*RECORD_KEYS, "from", "to", "duty", "items", "notes"))
    top.text("from")
    top.text("to")
    top.text("duty", required=False)
    for index, item, line in top.items("items", required=False):
        entry = Fields(item, top.path, top.problems, line, f"items[{index}].")
        if not entry.ok:
            continue
        entry.unknown(ITEM_KEYS)
        for key in ("kind", "record", "status"):
            entry.text(key)
        entry.text("room", required=False)
        entry.text("item", required=False)
        entry.text("type", required=False)
        entry.text("text", required=False)
        entry.timestamp("since")
        entry.timestamp("due", required=False)
        entry.integer("attempts", required=False, minimum=0)
        entry.text("last_attempt", required=False)
    top.text_list("notes")


def _summary(record: Record) -> str:
    return f"{record.get('from')} -> {record.get('to')} ({len(record.get('items') or ())})"


HANDOVER = register(KindSpec(
    name="handover",
    check_fields=_check,
    initial_status=lambda fields: PENDING,
    transitions={SETTLE: ((ANY,), None),  # every kind: see records.SETTLE
                 ACCEPT: ((PENDING,), ACCEPTED),
                 "note": ((ANY,), None)},
    summary=_summary,
    closed_statuses=(ACCEPTED,),
    references=lambda record: [*linked_ids(record), *([record.get("duty")] if record.get("duty")
                                                      else []),
                               *(item.get("record") for item in record.get("items") or ()
                                 if item.get("kind") != "note" and item.get("record"))],
))
