"""Complaints (seed 4.3): handled within the center's remit, or transferred to whoever owns it.

open -> handling -> resolved -> closed (after the return visit); or open/handling ->
transferred -> resolved (the receiving side's result) -> closed. While open or handling it may
be put on hold (waiting for the resident or another party: the deadline clock stops) and
resumed (back to handling).
"""

from __future__ import annotations

from typing import Any

from dutyctl.messages import N_, NP_, t
from dutyctl.records import ANY, LINK, KindSpec, Record, last_event, register
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
HANDLE, TRANSFER, RESOLVE, VISIT = "handle", "transfer", "resolve", "visit"
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
    handled = last_event(record, HANDLE)
    return handled.by if handled else record.recorded_by


def ticket_summary(record: Record) -> str:
    person = record.get("resident") or {}
    return f"{person.get('room', '')} {record.get('category', '')}"


def _satisfaction(top: Fields) -> None:
    score = top.integer("satisfaction", minimum=1)
    if score is not None and score > 5:
        top.problem("satisfaction", t("must be 1 to 5"))


#: the event data complaints and repairs share: a return visit's score, why a ticket closes
TICKET_EVENTS = {
    VISIT: (("satisfaction",), _satisfaction),
    # an emergency's close has no closed_as; a ticket's says why it closes
    CLOSE: (("closed_as", LINK), lambda top: (
        top.text("closed_as", required=False, choices=CLOSE_REASONS),
        top.text(LINK, required=top.raw("closed_as") == DUPLICATE))),
}


COMPLAINT = register(KindSpec(
    name="complaint",
    check_fields=lambda top, config: check_ticket_fields(top, config, "complaint"),
    initial_status=lambda fields: OPEN,
    transitions={HANDLE: ((OPEN, HANDLING), HANDLING),
                 TRANSFER: ((OPEN, HANDLING, TRANSFERRED), TRANSFERRED),
                 HOLD: ((OPEN, HANDLING), ON_HOLD),
                 RESUME: ((ON_HOLD,), HANDLING),
                 RESOLVE: ((OPEN, HANDLING, TRANSFERRED, ON_HOLD), RESOLVED),
                 VISIT: ((RESOLVED,), CLOSED),
                 CLOSE: ((OPEN, HANDLING, TRANSFERRED, ON_HOLD, RESOLVED), CANCELLED),
                 REOPEN: ((CLOSED, CANCELLED), OPEN),
                 LINK: ((ANY,), None)},
    summary=ticket_summary,
    closed_statuses=(CLOSED, CANCELLED),
    assignee=_handler,
    word=NP_("kind", "complaint"),
    title=N_("Complaints"),
    event_data={**TICKET_EVENTS,
                TRANSFER: (("to", "told_resident"),
                           lambda top: (top.text("to"), top.text("told_resident"))),
                RESOLVE: (("from_department",),
                          lambda top: top.text("from_department", required=False))},
    meets={"respond": (HANDLE, TRANSFER, RESOLVE), "complete": (RESOLVE,)},
    handover=1,
))
