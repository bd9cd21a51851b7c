"""Call-outs (备班出勤): an on-call person called in from home, from start to the end event.

Filed when the desk calls them out (by `dutyctl callout start`, or by `repair dispatch` to the
technician on call), naming the repair or the emergency they came in for; the `end` event
records when they were back off duty. Attendance counts
the time as call-out time; `dutyctl callout end` warns when it cut the rest before a shift.
"""

from __future__ import annotations

from typing import Any

from dutyctl.messages import NP_
from dutyctl.records import (ANY, NOTE, RECORD_KEYS, KindSpec, Record, ids_in, linked_ids,
                             register)
from dutyctl.schema import Fields

KIND = "callout"
CALLED_OUT, ENDED = "called-out", "ended"
END = "end"
EMERGENCY = "emergency"  # the emergency they came in for (its id), as `repair` names a repair


def _check(top: Fields, config: Any) -> None:
    top.unknown((*RECORD_KEYS, "staff", "repair", EMERGENCY, "shift", "note"))
    top.text("staff")
    top.text("repair", required=False)
    top.text(EMERGENCY, required=False)
    top.text("shift", required=False)
    top.text("note", required=False)


def _summary(record: Record) -> str:
    return " ".join(str(part) for part in (record.get("staff"), record.get("note")) if part)


CALLOUT = register(KindSpec(
    name=KIND,
    named_staff=("staff",),  # whose duty it is: `check` knows them
    check_fields=_check,
    initial_status=lambda fields: CALLED_OUT,
    transitions={END: ((CALLED_OUT,), ENDED),
                 NOTE: ((ANY,), None)},
    summary=_summary,
    closed_statuses=(ENDED,),
    word=NP_("kind", "callout"),
    references=lambda record: [*linked_ids(record), *ids_in(record.get("repair")),
                               *ids_in(record.get(EMERGENCY))],
))
