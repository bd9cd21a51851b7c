"""Written handover (交接班记录, seed 4.1): who hands to whom, when, and every open item.

The outgoing person files it (their signature); `to` names everyone taking over (a day shift
has a clerk and a technician), and each of them signs with their own `accept` event. The
handover is accepted once the last of them has. Items are a snapshot of what was open at the
moment of the handover.

Written again for the same shift change before anyone accepted it (a note forgotten, things
changed in the last minutes), the new handover `replaces` the earlier one, which a `replace`
step (naming the new one) closes as replaced: one handover waits, the latest.
"""

from __future__ import annotations

from typing import Any, Mapping

from dutyctl.messages import NP_, t
from dutyctl.records import (ANY, NOTE, RECORD_KEYS, Event, KindSpec, Once, Record,
                             ids_in, linked_ids, register)
from dutyctl.schema import Fields

KIND = "handover"
PENDING, ACCEPTED, REPLACED = "pending", "accepted", "replaced"
ACCEPT = "accept"
#: the step closing a handover a later one replaces (its data: that one's id, HANDOVER_ID),
#: and the later one's field listing the handovers it replaces
REPLACE, HANDOVER_ID, REPLACES = "replace", "handover", "replaces"
INSTEAD_OF = "instead_of"  # an accept event's: the named person someone else signed for
# an accept event's HANDOVER_ID: the handover this one replaced that the person signed (on a
# desk that had not heard of the replacement yet): their acceptance of the shift change, carried
# to the replacement by the sync (desk.handover.carry_acceptances)


def _items(record: Record) -> list:
    """A handover's items, the mappings of its list (a file the store refused, read for its
    other problems by `check.half_read_records`, may hold any shape)."""
    items = record.get("items")
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def recipients(fields: Mapping[str, Any]) -> tuple[str, ...]:
    """Everyone the handover is addressed to, in the order written (`to`: a list, or one id
    in files written before handovers had several recipients)."""
    return ids_in(fields.get("to"))


def replacement(record: Record) -> Event | None:
    """The step that closed this handover as replaced (its data names the later one,
    HANDOVER_ID); None while it is not replaced."""
    from dutyctl.records import last_event

    return last_event(record, REPLACE) if record.status == REPLACED else None


def was_replaced(record: Record) -> bool:
    """A later handover replaced this one (a `replace` step), even if its people accepted it
    afterwards on a desk that had not heard of the replacement: the shift change is counted
    on the replacement, which carries their acceptance. Only a replace step that counts: one
    that clashed with an acceptance given before it (or one set aside) replaced nothing."""
    from dutyctl.records import last_event

    return last_event(record, REPLACE) is not None


def open_item_count(items) -> int:
    """How many of a handover's items (as stored) are open: the duty log entries it carries
    (an item with a `type`) and the emergencies the shift closed are facts of the shift, not
    open items. Every screen counts so."""
    return sum(1 for item in items or () if item_group(item) == OPEN_ITEM)


#: what a handover item (as stored) is: one of the open items it counts, an emergency the
#: shift closed (its incident report), or an entry of the shift's duty log
OPEN_ITEM, CLOSED_IN_SHIFT, SHIFT_ENTRY = "open", "closed", "entry"


def item_group(item) -> str:
    """OPEN_ITEM, CLOSED_IN_SHIFT or SHIFT_ENTRY: screens list each group apart, under its
    own count, so a count never disagrees with the lines below it."""
    if not hasattr(item, "get"):
        return OPEN_ITEM
    if item.get("type"):
        return SHIFT_ENTRY
    return CLOSED_IN_SHIFT if _closed_item(item) else OPEN_ITEM


def _closed_item(item: Mapping[str, Any]) -> bool:
    from dutyctl.records import known_kind

    spec = known_kind(str(item.get("kind")))
    return spec is not None and item.get("status") in spec.closed_statuses


def acceptances(fields: Mapping[str, Any], events: tuple[Event, ...]) -> dict[str, Event]:
    """Named person -> the accept event that signed for them (their own, or one made
    `instead_of` them), the first one for each; an accept for nobody named counts for none."""
    named, signed = recipients(fields), {}
    for event in events:
        if event.action == ACCEPT:
            person = event.data.get(INSTEAD_OF) or event.by
            if person in named:
                signed.setdefault(person, event)
    return signed


def _everyone_accepted(fields: Mapping[str, Any], events: tuple[Event, ...]) -> bool:
    return len(acceptances(fields, events)) == len(recipients(fields))


def _check_to(top: Fields) -> None:
    value = top.raw("to")
    if isinstance(value, list):
        top.text_list("to")
        if not value:
            top.problem("to", t("names nobody: list at least one incoming person"))
    else:
        top.text("to")
#: an item's: the technicians two desks dispatched its repair to between syncs, to decide on
UNDECIDED = "undecided"
ITEM_KEYS = ("kind", "record", "status", "room", "item", "type", "text", "since", "due",
             "attempts", "last_attempt", UNDECIDED)


def _check(top: Fields, config: Any) -> None:
    top.unknown((*RECORD_KEYS, "from", "to", "duty", REPLACES, "items", "notes"))
    top.text("from")
    _check_to(top)
    top.text("duty", required=False)
    top.text_list(REPLACES)
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
        entry.text_list(UNDECIDED)
    top.text_list("notes")


def _summary(record: Record) -> str:
    return (f"{record.get('from')} -> {', '.join(recipients(record.fields))} "
            f"({len(record.get('items') or ())})")


HANDOVER = register(KindSpec(
    name=KIND,
    check_fields=_check,
    initial_status=lambda fields: PENDING,
    # each named person's own acceptance; accepted once all of them have
    # an acceptance on one desk over a replacement written on another before a sync: the
    # acceptance stands (accepted once everyone has); the desk itself refuses to accept one
    # replaced (desk.handover.check_acceptable)
    transitions={ACCEPT: ((PENDING, REPLACED), Once(ACCEPTED, _everyone_accepted)),
                 REPLACE: ((PENDING,), REPLACED),
                 NOTE: ((ANY,), None)},
    summary=_summary,
    closed_statuses=(ACCEPTED, REPLACED),
    named_staff=("from", "to"),
    word=NP_("kind", "handover"),
    # an acceptance: the duty it clocked in, the named person it signed for, the replaced
    # handover it was given on (carried here by the sync)
    # a replacement: the handover that replaced it
    event_data={ACCEPT: (("duty", INSTEAD_OF, HANDOVER_ID), lambda top: (
        top.text("duty", required=False), top.text(INSTEAD_OF, required=False),
        top.text(HANDOVER_ID, required=False))),
                REPLACE: ((HANDOVER_ID,), lambda top: top.text(HANDOVER_ID))},
    references=lambda record: [*linked_ids(record), *ids_in(record.get("duty")),
                               *ids_in(record.get(REPLACES)),
                               *(item["record"] for item in _items(record)
                                 if item.get("kind") != "note"
                                 and isinstance(item.get("record"), str))],
))
