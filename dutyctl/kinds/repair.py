"""Repairs (seed 4.4): a fault in a room or a common area, sent to a technician.

open -> dispatched (-> on-hold -> dispatched)* -> done -> closed (after the return visit).
`arrive` and `eta` record facts without changing the status.
"""

from __future__ import annotations

from dutyctl.kinds.complaint import check_ticket_fields, ticket_summary
from dutyctl.records import ANY, KindSpec, register

OPEN, DISPATCHED, ON_HOLD, DONE, CLOSED = "open", "dispatched", "on-hold", "done", "closed"

REPAIR = register(KindSpec(
    name="repair",
    check_fields=lambda top, config: check_ticket_fields(top, config, "repair"),
    initial_status=lambda fields: OPEN,
    transitions={"dispatch": ((OPEN, DISPATCHED), DISPATCHED),
                 "arrive": ((DISPATCHED,), None),
                 "eta": ((OPEN, DISPATCHED, ON_HOLD), None),
                 "hold": ((DISPATCHED,), ON_HOLD),
                 "resume": ((ON_HOLD,), DISPATCHED),
                 "done": ((DISPATCHED,), DONE),
                 "visit": ((DONE,), CLOSED),
                 "link": ((ANY,), None)},
    summary=ticket_summary,
    closed_statuses=(CLOSED,),
))
