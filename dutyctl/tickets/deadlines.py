"""A record's deadlines, computed from its events whenever they are read (never stored).

Every limit runs from the moment the record was filed, so a transfer to another department
keeps the original deadline. A reopened ticket's completion counts only from the completion
after its last reopen (`completed_at`): until then it is open and can go overdue, its
clock running on from where it stood when it was completed or closed (the time it spent done
or closed is not counted, as a hold is not). Hold -> resume spans are excluded; a hold not yet resumed pauses the clock up to the moment of
evaluation. A limit already met keeps the due time it was met against: holds and a reopen
after it do not move it. Events after `as_of` are ignored, so a past moment
can be replayed exactly as it was.
"""

from __future__ import annotations

from functools import cache
from datetime import datetime, timedelta
from typing import Iterable, Mapping

from dutyctl import notices, timeutil
from dutyctl.errors import InputError
from dutyctl.frozen import field, frozen, set_fields
from dutyctl.messages import N_, gettext, t
from dutyctl.kinds.call import CALL, CALLBACK_DONE, callback_by_of
from dutyctl.kinds.complaint import (CLOSE, HOLD, REOPEN, RESUME, VISIT, urgency_of,
                                     urgency_since)
from dutyctl.records import (LIMIT_ARRIVE, LIMIT_COMPLETE, LIMIT_RESPOND, LIMITS, Event, Record,
                             known_kind)
from dutyctl.tickets.clock import (BUSINESS, TWENTY_FOUR_SEVEN, CalendarGap, Clock, Interval,
                                   add_counted, counted_between)

MET, MISSED, OVERDUE, PENDING, UNKNOWN = "met", "missed", "overdue", "pending", "unknown"
#: a deadline its record was closed before (cancelled: withdrawn, a duplicate, invalid)
NOT_APPLICABLE = "not_applicable"
CALLBACK = "callback"
#: What each deadline is called on screen.
DEADLINE_LABELS = {LIMIT_RESPOND: N_("respond"), LIMIT_ARRIVE: N_("arrive"),
                   LIMIT_COMPLETE: N_("complete"), CALLBACK: N_("callback")}



def meets_of(kind: str) -> Mapping[str, tuple[str, ...]]:
    """Which actions meet each limit of a kind (its KindSpec.meets; {} for an unknown kind)."""
    spec = known_kind(kind)
    return spec.meets if spec is not None else {}


@frozen
class Deadline:
    name: str
    due: datetime | None
    met_at: datetime | None
    problem: str | None = None  # why `due` could not be computed
    #: when the record was closed with this deadline unmet (cancelled): its clock stops there
    stopped_at: datetime | None = None
    #: how its limit counts time (the urgency class's clock, the limit in working days or
    #: not, the holds): lateness is measured the same way; no clock: every moment counts
    clock: Clock | None = field(default=None, compare=False, repr=False)
    working_days: bool = field(default=False, compare=False, repr=False)
    pauses: tuple = field(default=(), compare=False, repr=False)

    def __init__(self, name: str, due: datetime | None, met_at: datetime | None,
                 problem: str | None = None, stopped_at: datetime | None = None,
                 clock: Clock | None = None, working_days: bool = False,
                 pauses: tuple = ()) -> None:
        # its own __init__: a listing builds one per deadline of every record it shows
        set_fields(self, name=name, due=due, met_at=met_at, problem=problem,
                   stopped_at=stopped_at, clock=clock, working_days=working_days,
                   pauses=pauses)

    def counted(self, start: datetime, end: datetime) -> timedelta:
        """The time from `start` to `end` counted as its limit is: business hours of working
        days for a business-hours class, working days for a limit in working days, time on
        hold left out; calendar time for a deadline without a clock (a callback's promise).
        Zero when `end` is not later."""
        return self._counted(start, end)[0]

    def _counted(self, start: datetime, end: datetime) -> tuple[timedelta, bool]:
        """`counted`, and whether it was counted on its clock: past the calendar's last year
        it is calendar time (no working day to count it in)."""
        if end <= start:
            return timedelta(0), True
        if self.clock is None:
            return timeutil.elapsed(start, end), True
        try:
            return counted_between(start, end, self.working_days, self.clock, self.pauses), True
        except InputError:  # a year without calendar data between the two
            return timeutil.elapsed(start, end), False

    def late_by(self, until: datetime) -> timedelta:
        """How late the deadline is at `until` (when it was met, its record closed, or the
        moment of reading), counted as its limit is (`counted`)."""
        return self._late(until)[0]

    def _late(self, until: datetime) -> tuple[timedelta, bool]:
        if self.due is None:
            return timedelta(0), True
        return self._counted(self.due, until)

    def left_at(self, moment: datetime) -> timedelta:
        """How much of its limit is left at `moment` (the time to spare when it was met, or
        what is left now), counted as its limit is (`counted`): a ticket due Monday 09:00 on
        business hours has 30 minutes left on Friday at 17:00, not two days and 16 hours."""
        if self.due is None:
            return timedelta(0)
        return self.counted(moment, self.due)

    def is_due_within(self, moment: datetime, window: timedelta, in_days: bool = False) -> bool:
        """Due soon: not yet late at `moment`, and what is left of it counted on its limit's
        clock (`left_at`) is at most `window`: a business-hours deadline due Monday 09:00 has
        30 minutes left on Friday at 17:00, so it is due within 1h then, as its text says
        ("due in 30m"), though Monday is two days and 16 hours away. A window `in_days` is
        days as the deadline tells its own (`working_day`): on business hours 1d is one
        working day, as "1wd8h left" says, not 24 business hours (nearly three)."""
        if self.due is None or self.due < moment:
            return False
        if self.is_on_hold(moment):
            return False  # on hold: its clock stands still, nothing comes nearer
        if in_days:
            window = window / timedelta(days=1) * (self.working_day() or timedelta(days=1))
        return self.left_at(moment) <= window

    def working_day(self) -> timedelta | None:
        """The length of one working day its lateness is told in: when the limit is in working
        days (9 h on a business-hours clock, 24 h round the clock), or on a business-hours
        clock whatever the limit (its lateness counts business hours: 54 of them are 6 working
        days, never "2d6h"); else None (round the clock, in hours: 24-hour days)."""
        if self.clock is None:
            return None
        if self.working_days or self.clock.kind == BUSINESS:
            return self.clock.working_day_length
        return None

    def late_working_day(self, until: datetime) -> timedelta | None:
        """The working day `late_by(until)` is told in: `working_day()`, or None when the
        lateness could only be counted in calendar time (past the calendar's last year: told
        in 24-hour days, as `late_text` does)."""
        return self.working_day() if self._late(until)[1] else None

    def late_text(self, until: datetime) -> str:
        """`late_by` as a table cell says it: in working days for a limit in working days;
        in 24-hour days when it could only be told in calendar time (past the calendar).
        Past its due time by less than a counted minute, it says why (`late_span`), never
        "0m": due at 17:30 on business hours, it is overdue all evening by nothing counted."""
        late, counted = self._late(until)
        return late_span(late, self.working_day() if counted else None,
                         self.is_on_hold(until))

    def is_overdue(self, moment: datetime) -> bool:
        """Still to meet and past its due time at `moment`: the one test of overdue (`state`,
        lists, reports, the handover). Its lateness is counted as its limit is (`late_by`),
        so an overdue deadline may be late by nothing counted yet (`late_span` says why)."""
        return self.is_open() and self.due < moment

    def is_on_hold(self, moment: datetime) -> bool:
        """Its clock stands still at `moment` for a hold."""
        return any(start <= moment <= end for start, end in self.pauses)

    def left_text(self, moment: datetime) -> str:
        """`left_at` as a table cell says it, in the unit `late_text` uses."""
        if self.due is None:
            return span(timedelta(0), self.working_day())
        left, counted = self._counted(moment, self.due)
        return span(left, self.working_day() if counted else None)

    def state(self, as_of: datetime) -> str:
        if self.due is None:
            return MET if self.met_at else UNKNOWN
        if self.met_at is not None:
            return MET if self.met_at <= self.due else MISSED
        if self.stopped_at is not None:
            return MISSED if self.stopped_at > self.due else NOT_APPLICABLE
        return OVERDUE if self.is_overdue(as_of) else PENDING

    def is_open(self) -> bool:
        """Still to meet: neither met nor stopped by the record's closing."""
        return self.met_at is None and self.stopped_at is None and self.due is not None


def hold_spans(events: Iterable[Event], as_of: datetime, completing: tuple[str, ...] = (),
               *, closed: bool = False) -> list[Interval]:
    """(start, end) of each hold; one still running ends at `as_of`. A close ends a hold too,
    and so does one of `completing` (resolved while on hold): a ticket cancelled on hold keeps
    the due times it had then. With `closed`, the time a ticket spent done or closed before a
    reopen is a pause as well, from its completion (one of `completing`), its close or its
    return visit, whichever came first, to the reopen: a reopened ticket's clock runs on from
    where it stood, rather than counting the days it was thought done."""
    spans, started, stopped = [], None, None
    for event in events:
        if event.action == REOPEN:
            if stopped is not None and closed:
                spans.append((stopped, event.at))
            stopped = None
        elif stopped is not None:
            continue  # a return visit or a close after the completion: already stopped
        elif event.action in completing or event.action in (CLOSE, VISIT):
            if started is not None:
                spans.append((started, event.at))
                started = None
            stopped = event.at
        elif event.action == HOLD and started is None:
            started = event.at
        elif event.action == RESUME and started is not None:
            spans.append((started, event.at))
            started = None
    if started is not None and as_of > started:
        spans.append((started, as_of))
    return spans


def first_at(events: Iterable[Event], actions: tuple[str, ...]) -> datetime | None:
    return next((event.at for event in events if event.action in actions), None)


def completed_at(events: Iterable[Event], actions: tuple[str, ...]) -> datetime | None:
    """When the work counts as completed: the last of `actions` since the last reopen. A
    ticket reopened and not completed again is not completed (its completion limit runs on
    and can go overdue); the completion before the reopen no longer meets it."""
    return _completions(events, actions)[1]


def completions(record: Record) -> list[datetime]:
    """Each time the ticket's work was completed and counted so, oldest first: the last
    completion before each reopen, and the last since. A ticket resolved on Wednesday and
    reopened on Friday was resolved on Wednesday (that day's report said so, and the week's
    must agree); done again, it was completed twice, each in its own period."""
    found, current = _completions(record.counted_events,
                                  meets_of(record.kind).get(LIMIT_COMPLETE, ()))
    return [*found, current] if current is not None else found


def _completions(events: Iterable[Event], actions: tuple[str, ...]
                 ) -> tuple[list[datetime], datetime | None]:
    """(the last completion before each reopen, the last since the last reopen or None)."""
    found, current = [], None
    for event in events:
        if event.action == REOPEN:
            if current is not None:
                found.append(current)
            current = None
        elif event.action in actions:
            current = event.at
    return found, current


def resolved_at(record: Record) -> datetime | None:
    """When the ticket's work counts as completed: since its last reopen, as its completion
    limit counts it (`completed_at`); None while reopened and not yet completed again."""
    return completed_at(record.counted_events, meets_of(record.kind).get(LIMIT_COMPLETE, ()))


def limit_met_at(events: Iterable[Event], limit: str,
                 actions: tuple[str, ...]) -> datetime | None:
    """When a limit was met by `events`: the first of its actions, except completion, which
    counts from the last completion since the last reopen (`completed_at`)."""
    return completed_at(events, actions) if limit == LIMIT_COMPLETE else first_at(events, actions)


def ticket_deadlines(record: Record, limits: Mapping[str, tuple[timedelta, bool]],
                     clock: Clock, as_of: datetime,
                     since: datetime | None = None) -> list[Deadline]:
    """respond / arrive / complete of a complaint or repair under one urgency class, counted
    from `since` (the class's change, `urgency_since`; default: the filing). A limit met
    before a change stays met."""
    from dutyctl.queries import closed_at

    events = [event for event in record.counted_events if event.at <= as_of]
    meets = meets_of(record.kind)
    pauses = hold_spans(events, as_of, meets.get(LIMIT_COMPLETE, ()), closed=True)
    closed = closed_at(record, as_of)
    found = []
    for name in LIMITS:
        if name not in limits or name not in meets:
            continue
        amount, working_days = limits[name]
        met = limit_met_at(events, name, meets[name])
        stopped = closed if met is None else None
        # a limit met is judged by the pauses before it was met: a hold or a reopen after
        # it does not move its due time
        paused = pauses if met is None else paused_until(pauses, met)
        try:
            due = add_counted(since or record.created_at, amount, working_days, clock, paused)
        except CalendarGap as gap:
            found.append(Deadline(name, None, met, gap.problem.message, stopped))
            continue
        found.append(Deadline(name, due, met, stopped_at=stopped, clock=clock,
                              working_days=working_days, pauses=tuple(paused)))
    return found


def paused_until(pauses: Iterable[Interval], moment: datetime) -> list[Interval]:
    """`pauses` up to `moment`: those starting later left out, one running then cut there."""
    return [(start, min(end, moment)) for start, end in pauses if start < moment]


def callback_deadline(record: Record, as_of: datetime) -> list[Deadline]:
    """A call's promised callback: due at the time promised to the resident."""
    due = timeutil.from_iso(callback_by_of(record))
    if due is None:
        return []
    met_at = first_at((event for event in record.counted_events if event.at <= as_of),
                      (CALLBACK_DONE,))
    return [Deadline(CALLBACK, due, met_at)]


def waiting_callback(record: Record, as_of: datetime) -> Deadline | None:
    """The callback a call still owes at `as_of` (promised, not yet made), else None."""
    return next((deadline for deadline in callback_deadline(record, as_of)
                 if deadline.met_at is None), None)


def waiting_callbacks(store, moment: datetime, *, as_it_stood: bool = False,
                      due_only: bool = False) -> tuple[list[tuple[Record, Deadline]], list]:
    """The calls still waiting at `moment` for the callback promised, earliest promise first,
    each with that deadline; `due_only`: those due by then; `as_it_stood`: each call as it
    stood at `moment` (`--as-of`). With the files read around."""
    from dutyctl.records import as_it_stood as stood

    found = store.open_at((CALL.name,), moment)
    waiting = []
    for record in stood(found.records, moment if as_it_stood else None):
        deadline = waiting_callback(record, moment)
        if deadline is not None and not (due_only and deadline.due > moment):
            waiting.append((record, deadline))
    return sorted(waiting, key=lambda pair: pair[1].due), found.problems


class DeadlineBook:
    """Deadlines of any record under one site's config and calendar."""

    def __init__(self, config, calendar, calendar_problem: str | None = None):
        """`calendar` None (with the reason) when the rules cannot be read: business-hours
        deadlines are then unknown rather than guessed; 24x7 ones still count."""
        self.config, self.calendar = config, calendar
        self.calendar_problem = calendar_problem
        self.problems: dict[str, None] = {}  # why some deadlines are unknown, each told once
        working_day = cache(calendar.is_working_day) if calendar else None
        covers = cache(calendar.covers) if calendar else None
        # a listing asks about the same few hundred days thousands of times
        self._clocks = {TWENTY_FOUR_SEVEN: Clock(TWENTY_FOUR_SEVEN, config.tz),
                        BUSINESS: Clock(BUSINESS, config.tz, working_day, covers,
                                        config.business_start, config.business_end)
                        if calendar else None}

    def clock(self, clock_kind: str) -> Clock | None:
        return self._clocks[clock_kind]

    def of(self, record: Record, as_of: datetime) -> list[Deadline]:
        found = self._deadlines(record, as_of)
        for deadline in found:
            if deadline.problem and deadline.problem not in self.problems:
                self.problems[deadline.problem] = None
                notices.warn(t("deadlines unknown: {problem}", problem=deadline.problem))
        return found

    def _deadlines(self, record: Record, as_of: datetime) -> list[Deadline]:
        if record.kind == CALL.name:
            return callback_deadline(record, as_of)
        if not meets_of(record.kind):
            return []
        return self._ticket_deadlines(record, record.as_of(as_of), as_of)

    def _ticket_deadlines(self, record: Record, stood: Record,
                          as_of: datetime) -> list[Deadline]:
        """A ticket's deadlines at `as_of` under the class `stood` (the record as it stood
        then: a class changed later is not yet) gives it."""
        urgency = self.urgency_class(stood)
        if urgency is None:
            return _unknown(record, t("no urgency class '{id}' for {kind} in dutyctl.yaml",
                                      id=urgency_of(stood), kind=record.kind), as_of)
        clock = self.clock(urgency.clock)
        if clock is None:
            return _unknown(record, self.calendar_problem or "", as_of)
        since = urgency_since(stood)
        found = ticket_deadlines(record, urgency.limits, clock, as_of, since)
        if since == record.created_at:
            return found
        found = self._never_later_when_raised(record, stood, urgency, found, as_of, since)
        return [self._as_met(record, deadline, as_of) if deadline.met_at is not None
                and deadline.met_at < since else deadline for deadline in found]

    def _never_later_when_raised(self, record: Record, stood: Record, urgency,
                                 found: list[Deadline], as_of: datetime,
                                 since: datetime) -> list[Deadline]:
        """A limit still unmet when its class changed stays due no later than the class
        before had it due where the new class allows no more time for it (counted anew from
        the change, a 紧急 repair raised to 急修 at 10:20 was due to be answered at 10:35, not
        10:30, and done 20 minutes later than before), and where it was overdue by then (a
        class lowered after a deadline was missed does not unmiss it). A limit the new class
        allows more time for, not yet due, counts anew from the change (a class lowered).
        Its lateness is counted on the new class's clock (紧急 round the clock, not the
        business hours of the 一般 it was)."""
        from dutyctl.frozen import replace

        before = stood.as_of(since, including_moment=False)
        old = self.urgency_class(before)
        if old is None or self.clock(old.clock) is None:
            return found
        # as the class before had them, its own change before it weighed (raised, lowered)
        earlier = {deadline.name: deadline
                   for deadline in self._ticket_deadlines(record, before, as_of)}
        kept = []
        for deadline in found:
            was = earlier.get(deadline.name)
            if (was is None or was.due is None or deadline.due is None
                    or was.due >= deadline.due
                    or (deadline.met_at is not None and deadline.met_at < since)):
                kept.append(deadline)
                continue
            # as long or shorter, counted alike (a limit in working days beside hours is no
            # measure of it)
            new_limit, old_limit = urgency.limits[deadline.name], old.limits.get(deadline.name)
            tighter = (old_limit is not None and new_limit[1] == old_limit[1]
                       and new_limit[0] <= old_limit[0])
            missed = was.due <= since
            kept.append(replace(deadline, due=was.due) if tighter or missed else deadline)
        return kept

    def _as_met(self, record: Record, deadline: Deadline, as_of: datetime) -> Deadline:
        """A limit met before the ticket's class changed, judged by the class in force when
        it was met and from when that class counted: met late stays late (a 急修 reached 15
        minutes late, lowered to 紧急 after, was counted on time)."""
        then = record.as_of(deadline.met_at)
        urgency = self.urgency_class(then)
        clock = self.clock(urgency.clock) if urgency is not None else None
        if clock is None:
            return deadline
        return next((earlier for earlier in ticket_deadlines(
            record, urgency.limits, clock, as_of, urgency_since(then))
            if earlier.name == deadline.name), deadline)

    def urgency_class(self, record: Record):
        return self.config.urgency_class(record.kind, urgency_of(record))

    def open_deadlines(self, record: Record, as_of: datetime) -> list[Deadline]:
        """Deadlines still to meet (none once the record is closed)."""
        from dutyctl.queries import is_open

        if not is_open(record):
            return []
        return [deadline for deadline in self.of(record, as_of) if deadline.is_open()]

    def next_due(self, record: Record, as_of: datetime) -> Deadline | None:
        waiting = self.open_deadlines(record, as_of)
        return min(waiting, key=lambda deadline: deadline.due) if waiting else None

    def is_overdue(self, record: Record, as_of: datetime) -> bool:
        return any(deadline.is_overdue(as_of) for deadline in self.open_deadlines(record, as_of))

    def is_due_within(self, record: Record, as_of: datetime, window: timedelta,
                      in_days: bool = False) -> bool:
        """A deadline not yet late has at most `window` left (`Deadline.is_due_within`)."""
        return any(deadline.is_due_within(as_of, window, in_days)
                   for deadline in self.open_deadlines(record, as_of))


def _unknown(record: Record, problem: str, as_of: datetime) -> list[Deadline]:
    """Deadlines that cannot be computed, still saying when they were met."""
    events = [event for event in record.counted_events if event.at <= as_of]
    return [Deadline(name, None, limit_met_at(events, name, actions), problem)
            for name, actions in meets_of(record.kind).items()]


def load_book(workspace) -> DeadlineBook:
    """The site's deadlines; broken rules make business-hours deadlines unknown, not fatal:
    reading a record must still work while someone fixes rosters/rules.yaml."""
    from dutyctl.errors import DutyError, first_problem
    from dutyctl.sitecalendar import load_site_calendar

    try:
        return DeadlineBook(workspace.config, load_site_calendar(workspace))
    except DutyError as exc:
        return DeadlineBook(workspace.config, None,
                            t("calendar unreadable ({problem}): run dutyctl check",
                              problem=first_problem(exc)))


def describe(deadline: Deadline, as_of: datetime) -> str:
    """'met (1h55m to spare)', 'overdue by 3h', 'due in 45m'...: every length counted as
    the deadline's limit is (business hours, working days, holds left out)."""
    state = deadline.state(as_of)
    if deadline.due is None:
        return deadline.problem or state
    if state == MET:
        # counted as the limit is, as lateness is (never "0m to spare")
        if deadline.left_at(deadline.met_at) < timedelta(minutes=1):
            return t("met (right at the deadline)")
        return t("met ({margin} to spare)", margin=deadline.left_text(deadline.met_at))
    if state == MISSED and deadline.late_by(deadline.met_at or deadline.stopped_at) < MINUTE:
        # met or closed after its due time in time that is not counted (after working hours)
        return t("missed (past its due time by less than a counted minute)")
    if state == MISSED and deadline.met_at is None:
        return t("missed (closed {late} after it was due)",
                 late=deadline.late_text(deadline.stopped_at))
    if state == MISSED:
        return t("missed (late by {late})", late=deadline.late_text(deadline.met_at))
    if state == NOT_APPLICABLE:
        return t("not applicable (closed before it was due)")
    if state == OVERDUE and deadline.late_by(as_of) < MINUTE:
        return t("overdue ({late})", late=deadline.late_text(as_of))
    if state == OVERDUE:
        return t("overdue by {late}", late=deadline.late_text(as_of))
    return t("due in {left}", left=deadline.left_text(as_of))


def state_data(deadline: Deadline, as_of: datetime) -> dict:
    """A deadline's state for the data formats, where `describe`'s phrase is for a table:
    `state` its word (pending, overdue, met …, as `show` gives it), `minutes_left` before it
    is due (pending) and `minutes_late` past it (overdue), in whole minutes counted as its
    limit is; null when they do not apply."""
    state = deadline.state(as_of)
    left = deadline.left_at(as_of) if state == PENDING else None
    late = deadline.late_by(as_of) if state == OVERDUE else None
    return {"state": state,
            "minutes_left": int(left.total_seconds() // 60) if left is not None else None,
            "minutes_late": int(late.total_seconds() // 60) if late is not None else None}


def label(name: str) -> str:
    """A deadline's name as the user reads it (`respond` → 响应)."""
    return gettext(DEADLINE_LABELS[name]) if name in DEADLINE_LABELS else name


MINUTE = timedelta(minutes=1)


def late_span(late: timedelta, working_day: timedelta | None = None,
              on_hold: bool = False) -> str:
    """How late an overdue deadline is, as `span` says it; under a minute counted (its clock
    stood still since it was due: outside working time, or on hold), why, never "0m"."""
    if late >= MINUTE:
        return span(late, working_day)
    if late > timedelta(0):
        return t("under 1m")
    return t("not yet counted: on hold") if on_hold else t(
        "due after hours")


def span(length: timedelta, working_day: timedelta | None = None) -> str:
    """3d4h, 2h05m, 45m (3天4小时, 2小时05分, 45分钟): short enough for a table cell. With
    `working_day` (the length of one, for a limit in working days): 2wd3h (2个工作日3小时),
    the hours those of working days."""
    if working_day and length >= working_day:
        days, rest = divmod(length, working_day)
        hours = int(rest.total_seconds() // 3600)
        return (t("{days}wd{hours}h", days=days, hours=hours) if hours
                else t("{days}wd", days=days))
    minutes = int(length.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return (t("{days}d{hours}h", days=days, hours=hours) if hours
                else t("{days}d", days=days))
    if hours:
        return (t("{hours}h{minutes:02d}m", hours=hours, minutes=minutes) if minutes
                else t("{hours}h", hours=hours))
    return t("{minutes}m", minutes=minutes)
