"""Duty sessions (seed 3.4, 4.1): a clock-in filed as a record, ended by a clock-out event.

The record keeps what the desk saw at clock-in (the rostered slot and the verdict) as a
snapshot; `dutyctl attendance` recomputes everything against the roster as it is now.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping

from dutyctl import timeutil
from dutyctl.messages import NP_
from dutyctl.records import ANY, NOTE, RECORD_KEYS, KindSpec, Record, register
from dutyctl.schema import Fields

KIND = "duty"
ON_DUTY, OFF_DUTY = "on-duty", "off-duty"
CLOCK_OUT = "clock-out"
ON_TIME, LATE, UNROSTERED, UNKNOWN = "on-time", "late", "unrostered", "unknown"
VERDICTS = (ON_TIME, LATE, UNROSTERED, UNKNOWN)
SLOT_KEYS = ("date", "shift", "shift_name", "role", "start", "end")


def _check(top: Fields, config: Any) -> None:
    top.unknown((*RECORD_KEYS, "staff", "verdict", "late_minutes", "slot", "note"))
    top.text("staff")
    top.text("verdict", choices=VERDICTS)
    top.integer("late_minutes", required=False, minimum=0)
    top.text("note", required=False)
    slot = top.mapping("slot", required=False)
    if slot is not None and slot.ok:
        slot.unknown(SLOT_KEYS)
        for key in ("date", "shift", "role"):
            slot.text(key)
        slot.text("shift_name", required=False)
        slot.timestamp("start")
        slot.timestamp("end")


#: a clock-out's data (desk.shiftdesk.ShiftDesk.clock_out): the end of the rostered slot, the
#: minutes left early, and the handover written or the reason there was none
CLOCK_OUT_KEYS = ("slot_end", "left_early_minutes", "handover", "no_handover_reason")


def _check_clock_out(top: Fields) -> None:
    top.timestamp("slot_end", required=False)
    top.integer("left_early_minutes", required=False, minimum=0)
    top.text("handover", required=False)
    top.text("no_handover_reason", required=False)


#: The longest duty a site runs (a 24-hour watch): a session runs into a shift that begins at
#: most this long after its clock-in, and without the rules a clock-in never clocked out counts
#: at most this long (`desk.withoutrules`); an unrostered open duty older than this is a
#: clock-out forgotten, nobody on site (`forgotten`).
LONGEST_DUTY = timedelta(hours=24)


def open_too_long(start: datetime, until: datetime) -> bool:
    """A duty attending no shift that ran from `start` to `until` (its clock-out, or a moment
    it is still open at) more than LONGEST_DUTY: nobody is on an unrostered duty for days."""
    return timeutil.elapsed(start, until) > LONGEST_DUTY


def forgotten(start: datetime, last_end: datetime | None, at: datetime,
              window: timedelta) -> bool:
    """The one rule of a clock-out forgotten (下班未签退) at `at`, for a duty still open then
    since `start`: the last shift it attends (`last_end`, its end: `desk.attendance.
    attended_slots` chains them, 连班) is over by the desk's clock-in `window` (a clerk
    handing over at 20:05 has forgotten nothing), or, attending none (None), it has been
    open more than LONGEST_DUTY (`open_too_long`). Nobody is on duty there then, and the
    duty counts no hours, as attendance, the reports, `who` and `list` all say it."""
    if last_end is None:
        return open_too_long(start, at)
    return last_end + window <= at


def shift_end(record: Record) -> datetime | None:
    """The end of the shift a duty was clocked in for (its record's `slot`, as the desk saw
    it), None for a duty clocked in for none (unrostered)."""
    return timeutil.from_iso((record.get("slot") or {}).get("end"))


def shift_start(record: Record) -> datetime | None:
    """The start of the shift a duty was clocked in for (as `shift_end`), None for a duty
    clocked in for none."""
    return timeutil.from_iso((record.get("slot") or {}).get("start"))


def _initial(fields: Mapping[str, Any]) -> str:
    return ON_DUTY


def _summary(record: Record) -> str:
    slot = record.get("slot") or {}
    return " ".join(str(part) for part in (record.get("staff"), record.get("verdict"),
                                           slot.get("shift")) if part)


DUTY = register(KindSpec(
    name=KIND,
    named_staff=("staff",),  # whose duty it is: `check` knows them
    check_fields=_check,
    initial_status=_initial,
    transitions={CLOCK_OUT: ((ON_DUTY,), OFF_DUTY),
                 NOTE: ((ANY,), None)},
    summary=_summary,
    closed_statuses=(OFF_DUTY,),
    word=NP_("kind", "duty"),
    event_data={CLOCK_OUT: (CLOCK_OUT_KEYS, _check_clock_out)},
))
