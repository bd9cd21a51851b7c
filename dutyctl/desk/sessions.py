"""A duty or call-out record as a session (from its filing to its end), `gone_home`: the
question every step recorded under $DUTYCTL_USER asks, and `back_soon`: the one a clock-in
asks instead. Kept apart from attendance and
clocking (several milliseconds each to import) so that `log call` pays for neither."""

from __future__ import annotations

from datetime import datetime, timedelta

from dutyctl.frozen import frozen
from dutyctl.kinds.duty import CLOCK_OUT, DUTY
from dutyctl.timeutil import elapsed

DAY = timedelta(days=1)


@frozen
class DutySession:
    record_id: str
    staff: str
    start: datetime
    end: datetime | None = None  # None: still on duty

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def length(self) -> timedelta:
        """The time from the start to the end; none for an end before the start (a file
        another desk edited by hand: `check` names the step), never negative hours."""
        if self.end is None:
            return timedelta(0)
        return max(elapsed(self.start, self.end), timedelta(0))


def window(config) -> timedelta:
    """The desk's clock-in window (attendance.clock_in_window_minutes): a clock-in this long
    before a shift counts for it, and a duty open this long after its shift has not yet
    forgotten its clock-out."""
    return timedelta(minutes=config.clock_in_window_minutes)


def open_duty(store, staff: str):
    """The person's duty still open (clocked in, not out), if any. Clocking in and out never
    wait for the record index to be built: without one, the last days are read instead; nor
    do they write it: the few files it lacks are read beside it (Store.ask, write=False)."""
    mine = open_duties(store, staff)
    return mine[-1] if mine else None


def open_duties(store, staff: str) -> list:
    """Every duty of the person still open, oldest first: two when two desks that had not
    synced each clocked them in (`open_duty` is the latest)."""
    return [record for record in store.open_records(kinds=(DUTY.name,), build=False,
                                                    write=False).records
            if record.get("staff") == staff]


def session_of(record, ended_by: str) -> DutySession:
    """A duty or call-out record as a session: from its filing to its first `ended_by` event
    (a clock-out, a call-out's end), open while it has none."""
    end = next((event.at for event in record.counted_events if event.action == ended_by),
               None)  # a clock-out set aside (作废) ends nothing
    return DutySession(record.id, record.get("staff") or record.recorded_by, record.created_at,
                       end)


def gone_home(store, staff: str, at: datetime) -> tuple[DutySession, list[str]] | None:
    """When `staff` clocked out in the day before `at` and others were clocked in at `at`
    (clocked in within that day): that duty and who was clocked in instead (a DUTYCTL_USER
    left set at a shared desk after its person went home: the night clerk's steps would be
    recorded as the day clerk's); else None. Asked on every step a $DUTYCTL_USER records, so
    it reads only the day folders a duty ended in the last day may have been filed in (two
    days back: a night shift, clocked out late), never the index nor older days."""
    day = at.astimezone(store.tz).date()
    duties = [session_of(record, CLOCK_OUT)
              for record in store.scan(day - 2 * DAY, day, (DUTY.name,)).records]
    if any(duty.staff == staff and duty.start <= at and (duty.end is None or duty.end > at)
           for duty in duties):
        return None  # on duty now: the day's work, as ever
    here = {duty.staff for duty in duties
            if at - DAY <= duty.start <= at and (duty.end is None or duty.end > at)}
    ended = [duty for duty in duties
             if duty.staff == staff and duty.end is not None and at - DAY <= duty.end <= at]
    if not ended or not here or staff in here:
        return None
    return max(ended, key=lambda duty: duty.end), sorted(here)


def back_soon(store, staff: str, at: datetime, rest: timedelta) -> DutySession | None:
    """The last duty of `staff` when it ended less than `rest` before `at` (a clock-in so soon
    after their own clock-out: a DUTYCTL_USER left set at the desk, whoever else is on duty or
    nobody); else None. Reads the day folders such a duty may have been filed in."""
    day = at.astimezone(store.tz).date()
    duties = (session_of(record, CLOCK_OUT)
              for record in store.scan(day - (rest.days + 2) * DAY, day, (DUTY.name,)).records)
    ended = [duty for duty in duties
             if duty.staff == staff and duty.end is not None and duty.end <= at]
    if not ended:
        return None
    last = max(ended, key=lambda duty: duty.end)
    return last if at - last.end < rest else None
