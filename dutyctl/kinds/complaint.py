"""Complaints (seed 4.3): handled within the center's remit, or transferred to whoever owns it.

open -> handling -> resolved -> closed (after the return visit); or open/handling ->
transferred -> resolved (the receiving side's result) -> closed. While open or handling it may
be put on hold (waiting for the resident or another party: the deadline clock stops) and
resumed (back to handling).
"""

from __future__ import annotations

from typing import Any

from dutyctl.records import ANY, KindSpec, Record, last_event, register
from dutyctl.residents import check_resident
from dutyctl.schema import Fields

OPEN, HANDLING, TRANSFERRED, RESOLVED, CLOSED = (
    "open", "handling", "transferred", "resolved", "closed")
ON_HOLD, HOLD, RESUME = "on-hold", "hold", "resume"
# a ticket closed without being worked: a duplicate (linking the one kept), withdrawn by the
# resident, or invalid; `reopen` (with a reason) brings any closed ticket back to open
CANCELLED, CLOSE, REOPEN = "cancelled", "close", "reopen"
DUPLICATE, WITHDRAWN, INVALID = "duplicate", "withdrawn", "invalid"
CLOSE_REASONS = (DUPLICATE, WITHDRAWN, INVALID)
TICKET_FIELDS = ("id", "kind", "schema", "created_at", "recorded_by", "resident", "category",
                 "content", "urgency", "urgency_keyword", "links")


def check_ticket_fields(top: Fields, config: Any, kind: str) -> None:
    """The fields complaints and repairs share."""
    top.unknown(TICKET_FIELDS)
    check_resident(top, "resident")
    check_ticket_body(top, config, kind)


def check_ticket_body(top: Fields, config: Any, kind: str) -> None:
    """What the ticket is about, whoever reported it."""
    top.text("category")  # checked against the config by `check`, not on read:
    # a category renamed in dutyctl.yaml must not hide the records that used it
    top.text("content")
    # not checked against the config: a class renamed later must not hide old records;
    # the deadline view says when a record's class no longer exists
    top.text("urgency")
    top.text("urgency_keyword", required=False)
    top.text_list("links")


def _handler(record: Record) -> str | None:
    """A complaint is with whoever handles it, else with whoever filed it."""
    handled = last_event(record, "handle")
    return handled.by if handled else record.recorded_by


def ticket_summary(record: Record) -> str:
    person = record.get("resident") or {}
    return f"{person.get('room', '')} {record.get('category', '')}"


COMPLAINT = register(KindSpec(
    name="complaint",
    check_fields=lambda top, config: check_ticket_fields(top, config, "complaint"),
    initial_status=lambda fields: OPEN,
    transitions={"handle": ((OPEN, HANDLING), HANDLING),
                 "transfer": ((OPEN, HANDLING, TRANSFERRED), TRANSFERRED),
                 HOLD: ((OPEN, HANDLING), ON_HOLD),
                 RESUME: ((ON_HOLD,), HANDLING),
                 "resolve": ((OPEN, HANDLING, TRANSFERRED, ON_HOLD), RESOLVED),
                 "visit": ((RESOLVED,), CLOSED),
                 CLOSE: ((OPEN, HANDLING, TRANSFERRED, ON_HOLD, RESOLVED), CANCELLED),
                 REOPEN: ((CLOSED, CANCELLED), OPEN),
                 "link": ((ANY,), None)},
    summary=ticket_summary,
    closed_statuses=(CLOSED, CANCELLED),
    assignee=_handler,
))
