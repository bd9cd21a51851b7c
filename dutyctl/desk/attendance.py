"""Attendance (seed 3.4) as pure functions over roster slots and duty sessions.

A slot is anything with the roster's Slot fields (date, shift_id, shift_name, role, staff,
start, end); a DutySession is one clock-in with its clock-out (None while on duty). The rules:

- A clock-in is *for* the person's earliest slot with start - window <= clock-in < end
  (window: attendance.clock_in_window_minutes). A session *attends* the slots it is for and
  the person's later slots it runs into, chained (`attended_slots`, the one chain attendance,
  the reports, `who`, and the desk's 未签退 all use): the first at most LONGEST_DUTY after
  the clock-in, each next one starting at most the window after the end of the one before,
  and begun before the clock-out, or, still open, before the moment judged. One long session
  over back-to-back shifts attends them all (a day, night, day cover of 36 hours); one still
  open at 23:00 since a day shift's clock-in attends the night it runs into (连班: on duty,
  not absent). An open session's clock-out is forgotten once the LAST slot it attends is
  over by the window (`forgotten_at`): a forgotten clock-out attends no shift after a gap.
- A clock-out made only after a later shift of the person's had begun that the chain does
  not reach (one after a gap: they came to it without clocking in), or more than
  LONGEST_DUTY after the end of the last shift it attends (an unrostered session: more than
  LONGEST_DUTY after its clock-in, `unrostered_too_long`), is a forgotten clock-out put
  right days later: the session counts as never clocked out (no hours), not as three days
  on duty. The desk refuses such a clock-out (`shiftdesk.plan_clock_out`).
- Late: the earliest matching session began more than grace minutes after the slot's start;
  the minutes are counted from the start.
- Early leave: every matching session is closed and the last ended more than grace minutes
  before the slot's end.
- Absent: no matching session and the slot's start plus grace has passed; before that the
  slot is upcoming. On leave, not absent: no matching session on a day the rules list as the
  person's leave (病假 entered after the roster was made, nobody put on the shift instead):
  the shift is counted apart (`on_leave`), with the leave's kind; the desk was still without
  them (the reports' coverage in fact says so).
- Unrostered: a session matching no slot of its person.
- Hours: closed sessions only; a session belongs to the period of the first slot it matches,
  else to the day it was clocked in (the same rule as slots: the day a shift starts), and
  counts whole, up to its clock-out, even when that is in the next period (the night of the
  31st to 08:00 on the 1st is the month of the 31st); but a session going on into a slot of
  the next period (连班: that night and the day shift of the 1st on one clock-in) is cut at
  that slot's start, where `shift_spans` splits it between its shifts: the next period
  counts it from there (`period_part`). The reports count the same.
- Call-outs (the on-call person called in from home) are counted apart, as call-out time, in
  the period of the on-call duty they belong to (the person's on-call slot their start falls
  in: a call-out at 02:00 on the 1st in the night of the 31st is the month of the 31st, as
  that night's shift is), else of the day they started; one not ended (no return recorded) counts, without
  time, and is counted apart too (`call_outs_open`): its paid time is missing until it is
  ended, backdated (`callout end --at`). Its time leaves out the person's time clocked in
  meanwhile, whichever period that duty counts in (`off_duty`, `AttendanceReport.duties`):
  called in on the night of the 31st and on the 1st's day shift before the return was
  recorded, those hours are the shift's, in the next month.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from collections import Counter
from functools import cached_property
from typing import Any, Callable, Iterable, Mapping, Sequence

from dutyctl.frozen import field, frozen
from dutyctl.desk.sessions import DutySession, open_duty
from dutyctl.kinds import duty as duty_kind
from dutyctl.kinds.duty import (LATE, LONGEST_DUTY, ON_TIME, UNKNOWN,  # the verdicts stored
                                UNROSTERED)
from dutyctl.queries import open_at
from dutyctl.timeutil import elapsed

ABSENT, UPCOMING, ON_LEAVE = "absent", "upcoming", "on-leave"

#: (staff id, day) -> the kind of leave the rules give that day ("" for leave of no kind
#: given), None when the person is not on leave (`roster.rules.Rules.leave_on`)
LeaveOf = Callable[[str, date], "str | None"]


def whole_minutes(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def own_slots(slots: Iterable[Any], staff: str) -> list[Any]:
    return sorted((slot for slot in slots if slot.staff == staff), key=lambda slot: slot.start)


def slot_for_clock_in(slots: Iterable[Any], staff: str, at: datetime,
                      window: timedelta) -> Any | None:
    """The person's earliest slot this clock-in counts for, or None (unrostered)."""
    for slot in own_slots(slots, staff):
        if slot.start - window <= at < slot.end:
            return slot
    return None


def start_missed(slot: Any, at: datetime, grace: timedelta) -> bool:
    """The slot began more than `grace` before `at`: its person not clocked in for it by
    then is absent, not yet to come."""
    return slot.start + grace < at


def attended_slots(session: DutySession, own: Sequence[Any], window: timedelta,
                   at: datetime | None = None) -> list[Any]:
    """The slots of `own` (the person's, earliest first) the session attends: those it was
    clocked in for, and the later ones it runs into, chained (the first at most LONGEST_DUTY
    after the clock-in, each next one starting at most `window` after the end of those
    before) that began before its clock-out, or, still open, before `at` (连班: a day and the
    night after it on one clock-in; None: an open session counts only for the slot it was
    clocked in for). The one chain: attendance and the reports, `who` and 未签退 (`left_open`)
    alike. A forgotten clock-out attends no shift after a gap (`forgotten_at`)."""
    found: list[Any] = []
    reach = session.start + LONGEST_DUTY
    until = session.end if session.end is not None else at
    for slot in own:
        if slot.staff != session.staff or session.start >= slot.end:
            continue
        if session.start >= slot.start - window:
            found.append(slot)  # clocked in for it
        elif until is not None and until > slot.start and slot.start <= reach:
            found.append(slot)  # run into, with no gap since the shifts before
        else:
            continue
        reach = max(attended.end for attended in found) + window
    return found


def forgotten_at(session: DutySession, attended: Sequence[Any], at: datetime,
                 window: timedelta) -> bool:
    """An open session's clock-out is forgotten at `at` (`kinds.duty.forgotten`, the one
    rule): the last of the slots it attends then (`attended_slots(..., at)`) ended the window
    or more before (a clerk handing over at 20:05 has forgotten nothing), or, attending none,
    it has been open over LONGEST_DUTY (`unrostered_too_long`). Before that its person is on
    duty, its hours so far counted."""
    return session.is_open and duty_kind.forgotten(
        session.start, max((slot.end for slot in attended), default=None), at, window)


def clocked_out_too_late(session: DutySession, own: Sequence[Any], window: timedelta,
                         attended: Sequence[Any] | None = None) -> bool:
    """The clock-out came only after a later shift of the person's had begun that the
    session does not attend (after a gap: they came to it without clocking in), or more than
    LONGEST_DUTY after the last shift it attends, or, a session attending no shift, more
    than LONGEST_DUTY after its clock-in (`unrostered_too_long`): a forgotten clock-out,
    made good days later. `own`: the person's slots, earliest first; `attended`: the
    session's, when known."""
    if session.end is None:
        return False
    if attended is None:
        attended = attended_slots(session, own, window)
    if not attended:
        return unrostered_too_long(session, session.end)
    last_end = max(slot.end for slot in attended)
    return (elapsed(last_end, session.end) > LONGEST_DUTY
            or any(session.start < slot.start < session.end and slot not in attended
                   for slot in own))


def unrostered_too_long(session: DutySession, at: datetime) -> bool:
    """A session attending no shift has run more than LONGEST_DUTY from its clock-in to its
    clock-out, or to `at` while still open: nobody is on an unrostered duty for days, the
    clock-out was forgotten; attendance counts it as never clocked out, with no hours."""
    return duty_kind.open_too_long(session.start, session.end if session.end is not None else at)


@frozen
class StillOpen:
    """The period's duties still open at the report's moment (`still_open`), the one count
    `dutyctl attendance` and the reports both give: a clock-out forgotten (`forgotten_at`: a
    rostered shift over by the clock-in window, an unrostered duty open over LONGEST_DUTY)
    counts no hours; any other open duty is on duty, its hours so far counted."""
    forgotten: tuple  # the SlotOutcomes of shifts over whose duty is still open
    forgotten_unrostered: tuple[DutySession, ...]
    running: Mapping[str, list[timedelta]]  # per person, each duty under way

    def clock_outs_forgotten(self, staff: str) -> int:
        return (sum(1 for outcome in self.forgotten if outcome.slot.staff == staff)
                + sum(1 for session in self.forgotten_unrostered if session.staff == staff))

    def on_duty(self, staff: str) -> int:
        return len(self.running.get(staff, ()))

    def time_on_duty(self, staff: str) -> timedelta:
        return sum(self.running.get(staff, ()), timedelta(0))

    def worked(self, person: StaffAttendance) -> timedelta:
        """The person's hours: their closed duties' and those under way so far."""
        return person.worked + self.time_on_duty(person.staff)


def still_open(report: AttendanceReport) -> StillOpen:
    """The report's duties still open at its moment, forgotten (`AttendanceReport.forgotten`,
    said on the shift it was forgotten on: `SlotOutcome.forgotten`) or under way: per person,
    how long each has run so far (hours worked count them up to that moment)."""
    earliest: dict[str, datetime] = {}
    for session in report.sessions:
        if session.is_open and not report.forgot(session) and session.start < report.at:
            earliest[session.staff] = min(earliest.get(session.staff, session.start),
                                          session.start)
    # two open at once are one person clocked in on two desks: one duty, from the first
    running = {staff: [elapsed(start, report.at)] for staff, start in earliest.items()}
    return StillOpen(tuple(outcome for outcome in report.outcomes if outcome.forgotten),
                     tuple(session for session in report.unrostered if report.forgot(session)),
                     running)


# -- the desk's open duties, chained as attendance chains them ------------------------------


@frozen
class _ClockedFor:
    """The shift a duty record says it was clocked in for (its `slot`, as the desk saw it)."""
    staff: str
    start: datetime
    end: datetime


def left_open(record, at: datetime, window: timedelta, slots: Sequence[Any] = ()) -> bool:
    """A duty record's clock-out forgotten (未签退) at `at`, chained as attendance chains it
    (`attended_slots` at `at`, `forgotten_at`'s rule): from the shift it was clocked in for
    (its record's `slot`) through the person's later shifts among the roster's `slots` it
    runs into (a day shift's duty still open at 23:00 goes on through the night after it,
    连班); forgotten once the last of them is over by the clock-in `window`. Without `slots`
    (no roster read), the shift it was clocked in for alone; clocked in for none, once open
    over LONGEST_DUTY. Only of a duty open at `at` (`queries.open_at`: one clocked out
    since is judged as it stood then)."""
    return open_at(record, at) and forgotten_by(record, at, window, slots)


def forgotten_by(record, at: datetime, window: timedelta, slots: Sequence[Any] = ()) -> bool:
    """`left_open` of a duty known to be open at `at` (`queries.open_at`, or found by
    `Store.open_at`): not asked again."""
    staff = record.get("staff")
    own = own_slots((slot for slot in slots if not slot.on_call), staff)
    end = duty_kind.shift_end(record)
    if end is not None:
        start = duty_kind.shift_start(record) or record.created_at
        own = sorted([_ClockedFor(staff, start, end), *own], key=lambda slot: slot.start)
    attended = attended_slots(DutySession(record.id, staff, record.created_at), own, window,
                              at)
    # the shift it was clocked in for, even where the chain misses it (a record by hand)
    return duty_kind.forgotten(record.created_at,
                               max((slot.end for slot in attended), default=end), at, window)


def on_site(record, at: datetime, window: timedelta, slots: Sequence[Any] = ()) -> bool:
    """A duty open at `at` (`queries.open_at`: clocked in by then, not clocked out by then)
    and not left open by then (`left_open`, `slots` as it takes them): its person is on
    site, as `who`, a clock-out looking for someone still on duty, a call-out and a dispatch
    all see it (`clocking.on_site_at`, which has the duties open then already and asks
    `forgotten_by` alone)."""
    return open_at(record, at) and not forgotten_by(record, at, window, slots)


def on_duty_at(store, staff: str, at: datetime, window: timedelta, slots: Sequence = ()):
    """The person's open duty when they are on site at `at` (`on_site`, `slots` as
    `left_open` takes them), else None: one on call at home is called out, one clocked
    in is not; a duty left open past its shift is a clock-out forgotten, as attendance
    counts it, not someone on site."""
    found = open_duty(store, staff)
    return found if found is not None and on_site(found, at, window, slots) else None


def slots_by_staff(slots: Iterable[Any]) -> dict[str, list[Any]]:
    """Each person's slots, earliest first."""
    by_staff: dict[str, list[Any]] = {}
    for slot in sorted((slot for slot in slots if slot.staff), key=lambda slot: slot.start):
        by_staff.setdefault(slot.staff, []).append(slot)
    return by_staff


# -- the desk's verdicts ------------------------------------------------------------------


@frozen
class ClockInVerdict:
    verdict: str  # on-time | late | unrostered | unknown (no readable roster)
    slot: Any | None = None
    late_minutes: int = 0
    early_minutes: int = 0  # how long before the slot's start
    next_slot: Any | None = None  # unrostered: the person's next slot, if any


def judge_clock_in(slots: Sequence[Any] | None, staff: str, at: datetime, grace: timedelta,
                   window: timedelta) -> ClockInVerdict:
    if slots is None:
        return ClockInVerdict(UNKNOWN)
    slot = slot_for_clock_in(slots, staff, at, window)
    if slot is None:
        later = [slot for slot in own_slots(slots, staff) if slot.start > at]
        return ClockInVerdict(UNROSTERED, next_slot=later[0] if later else None)
    if elapsed(slot.start, at) > grace:
        return ClockInVerdict(LATE, slot, late_minutes=whole_minutes(elapsed(slot.start, at)))
    return ClockInVerdict(ON_TIME, slot, early_minutes=whole_minutes(elapsed(at, slot.start)))


@frozen
class ClockOutVerdict:
    slot: Any | None  # the last slot the session matches; None: unrostered or unknown
    early_minutes: int = 0  # left this long before the slot's end (beyond grace), else 0
    known: bool = True  # False when no roster could be read
    #: a forgotten clock-out made good days later (`clocked_out_too_late`): attendance
    #: counts the session as never clocked out; `slot` is then the last shift it attends
    #: (None: an unrostered duty, `unrostered_too_long`)
    too_late: bool = False


def judge_clock_out(slots: Sequence[Any] | None, session: DutySession, grace: timedelta,
                    window: timedelta) -> ClockOutVerdict:
    if slots is None or session.end is None:
        return ClockOutVerdict(None, known=False)
    own = own_slots(slots, session.staff)
    matched = attended_slots(session, own, window)
    if not matched:
        return ClockOutVerdict(None, too_late=clocked_out_too_late(session, own, window, ()))
    last = max(matched, key=lambda slot: slot.end)
    if clocked_out_too_late(session, own, window, matched):
        return ClockOutVerdict(last, too_late=True)
    early = elapsed(session.end, last.end)
    return ClockOutVerdict(last, whole_minutes(early) if early > grace else 0)


def relief_slots(slots: Iterable[Any], staff: str, *, since: datetime, at: datetime,
                 window: timedelta, own_slot: Any | None = None) -> list[Any]:
    """The next shift: others' slots starting after the leaver's own (their rostered slot, else
    their clock-in `since`), not over at `at`, and starting at the latest `window` after the
    leaver's shift ends (or after `at`, if later). Same role first, then the start nearest
    the leaver's shift's end (without a shift, `at`): a handover written at 08:22 by the
    night clerk goes to the day shift that began at 08:00 (its clerk late), not to the 08:30
    office clerk nearer the moment."""
    begun = own_slot.start if own_slot is not None else since
    horizon = max(at, own_slot.end if own_slot is not None else at) + window
    role = own_slot.role if own_slot is not None else None
    handing = own_slot.end if own_slot is not None else at
    candidates = [slot for slot in slots
                  if slot.staff and slot.staff != staff and begun < slot.start <= horizon
                  and slot.end > at]
    return sorted(candidates, key=lambda slot: (role is not None and slot.role != role,
                                                abs(elapsed(handing, slot.start).total_seconds()),
                                                slot.staff))


# -- the monthly report ---------------------------------------------------------------------


@frozen
class SlotOutcome:
    slot: Any
    result: str  # on-time | late | absent | upcoming | on-leave
    sessions: tuple[DutySession, ...] = ()
    late_minutes: int = 0
    early_minutes: int = 0  # > 0: left early
    leave: str = ""  # on-leave: the leave's kind the rules give (病假), if any
    #: its duty's clock-out forgotten on this shift at the moment judged (`forgotten_at`,
    #: this the last shift the duty attends: a duty gone on into a later shift, 连班, is
    #: forgotten, if at all, on that one): the person forgot to clock out, and is not on
    #: duty weeks later
    forgotten: bool = False

    @property
    def attended(self) -> bool:
        return bool(self.sessions)

    @property
    def on_duty(self) -> bool:
        return any(session.is_open for session in self.sessions)

    @property
    def clock_in(self) -> datetime | None:
        return min((session.start for session in self.sessions), default=None)

    @property
    def clock_out(self) -> datetime | None:
        if not self.sessions or self.on_duty:
            return None
        return max(session.end for session in self.sessions)


@frozen
class StaffAttendance:
    staff: str
    rostered: int = 0
    attended: int = 0
    late: int = 0
    late_minutes: int = 0
    early_leaves: int = 0
    early_minutes: int = 0
    absent: int = 0
    on_leave: int = 0  # shifts not attended on a day of the person's leave
    upcoming: int = 0
    unrostered: int = 0
    open_sessions: int = 0  # clocked in, never clocked out (on duty, or forgotten: `running`)
    worked: timedelta = timedelta(0)
    rostered_time: timedelta = timedelta(0)
    call_outs: int = 0
    call_out_time: timedelta = timedelta(0)
    call_outs_open: int = 0  # not ended: no return recorded, no time counted
    on_call_duties: int = 0  # nights (duties) rostered on call at home: a standby allowance's


@frozen
class AttendanceReport:
    first: date
    last: date
    outcomes: tuple[SlotOutcome, ...]
    unrostered: tuple[DutySession, ...]
    people: tuple[StaffAttendance, ...]
    call_outs: tuple[DutySession, ...] = ()
    #: why the roster could not be read (`path:line: problem`): every duty compared with nothing
    roster_unreadable: str | None = None
    #: the duty sessions of the period (rostered or not), as their hours are counted
    sessions: tuple[DutySession, ...] = ()
    #: the on-call duties (at home) the call-outs were matched with
    on_call: tuple[Any, ...] = ()
    #: the period's duties still open whose clock-out is forgotten at the report's moment
    #: (`forgotten_at`): unrostered ones too, and those whose last shift is after the period
    forgotten: tuple[DutySession, ...] = ()
    at: datetime | None = None  # the moment judged (`attendance_report`'s `now`)
    #: id(session) of `outcomes`' -> its part in the period (`period_part`): a duty over
    #: the period's end (连班 into the next month's first shift) cut there
    parts: Mapping[int, DutySession] = field(default_factory=dict, compare=False, repr=False)
    #: every duty judged, whole (those around the period too): a call-out's time is weighed
    #: against them (`call_out_spans`), whichever period each is counted in
    duties: tuple[DutySession, ...] = field(default=(), compare=False, repr=False)

    def part(self, session: DutySession) -> DutySession:
        """The part of a duty of `outcomes` that the period counts (`period_part`)."""
        return self.parts.get(id(session), session)

    def call_out_spans(self, call: DutySession) -> list[Span]:
        """The call-out's time but its person's duties meanwhile (`call_out_spans`), every
        duty judged weighed: one counted in the next period (called in on the night of the
        31st, clocked in for the 1st's day shift) too, so no hour is paid twice."""
        return call_out_spans(call, self._duties_by_staff.get(call.staff, ()))

    @cached_property
    def _duties_by_staff(self) -> dict[str, list[DutySession]]:
        """`duties` per person: one pass, not a scan of them per call-out."""
        return slots_by_staff(self.duties)

    def forgot(self, session: DutySession) -> bool:
        """The session's clock-out is forgotten at the report's moment (`forgotten`)."""
        return id(session) in self._forgotten_ids

    @cached_property
    def _forgotten_ids(self) -> frozenset[int]:
        """The `forgotten` sessions, by identity (as `forgot` was asked: a session of
        `sessions`, the very object): one set, not a scan of them per question."""
        return frozenset(id(session) for session in self.forgotten)

    def on_call_duty(self, call: DutySession) -> Any | None:
        """The on-call duty (slot) a call-out belongs to, None when it was in none."""
        return on_call_duty(call, [slot for slot in self.on_call if slot.staff == call.staff])


def slot_outcome(slot: Any, sessions: Sequence[DutySession], grace: timedelta,
                 window: timedelta, now: datetime,
                 own: Sequence[Any] | None = None,
                 leave_of: LeaveOf | None = None) -> SlotOutcome:
    """How the slot was attended by `sessions` (`own`: the person's slots earliest first, so
    that a session chained over back-to-back shifts attends it; else the slot alone;
    `leave_of`: as `attendance_report`'s)."""
    own = [slot] if own is None else own
    found = [(session, attended_slots(session, own, window, now)) for session in sessions]
    return _outcome(slot, [(session, attended) for session, attended in found
                           if slot in attended], grace, window, now, leave_of)


def _outcome(slot: Any, found: Sequence[tuple[DutySession, Sequence[Any]]], grace: timedelta,
             window: timedelta, now: datetime, leave_of: LeaveOf | None = None,
             last_day: date | None = None) -> SlotOutcome:
    """The slot's outcome from the sessions attending it, each with the slots it attends.
    `last_day`: the period's last day: a duty going on into a shift after it (连班 over the
    month's end) is forgotten, if at all, on its last shift in the period too (`period_part`
    leaves it open there: the period's hours are unknown as well)."""
    matched = tuple(sorted((session for session, _ in found), key=lambda session: session.start))
    if not matched:
        leave = leave_of(slot.staff, slot.date) if leave_of is not None else None
        if leave is not None:
            return SlotOutcome(slot, ON_LEAVE, leave=leave)
        return SlotOutcome(slot, ABSENT if start_missed(slot, now, grace) else UPCOMING)
    first_in = matched[0].start
    late = whole_minutes(elapsed(slot.start, first_in)) \
        if elapsed(slot.start, first_in) > grace else 0
    early = 0
    if all(not session.is_open for session in matched):
        last_out = max(session.end for session in matched)
        early = whole_minutes(elapsed(last_out, slot.end)) \
            if elapsed(last_out, slot.end) > grace else 0
    # an open duty going on past this shift (连班) is on duty there: forgotten, if at all,
    # on the last shift it attends
    runs_on = any(session.is_open and _last(_within(attended, last_day)) is not slot
                  for session, attended in found)
    forgotten = not runs_on and any(forgotten_at(session, attended, now, window)
                                    for session, attended in found)
    return SlotOutcome(slot, LATE if late else ON_TIME, matched, late, early,
                       forgotten=forgotten)


def _within(attended: Sequence[Any], last_day: date | None) -> Sequence[Any]:
    """The shifts of `attended` starting by `last_day` (all, when None); never none: the
    shift asked about is one of them."""
    if last_day is None:
        return attended
    return [slot for slot in attended if slot.date <= last_day] or attended


def _last(attended: Sequence[Any]) -> Any:
    """The last of the slots a session attends: the one ending last."""
    return max(attended, key=lambda slot: slot.end)


def attendance_report(slots: Iterable[Any], sessions: Iterable[DutySession], *, first: date,
                      last: date, tz: tzinfo, grace: timedelta, window: timedelta,
                      now: datetime, call_outs: Iterable[DutySession] = (),
                      on_call_slots: Iterable[Any] = (),
                      order: Sequence[str] = (),
                      leave_of: LeaveOf | None = None) -> AttendanceReport:
    """Per slot and per person, for the slots starting on days first..last.

    Pass slots and sessions from a little before and after the period (a day is enough):
    they decide which sessions are rostered, but only the period's own are counted. The
    on-call duties (at home) say which night a call-out belongs to (`call_out_day`). `order`:
    the staff ids in the order of the rules (the roster's and `roster stats`' order); the
    people rows follow it, anyone else after them by id. `leave_of`: the rules' leave, which
    makes a shift not attended on leave rather than absent."""
    staffed = sorted((slot for slot in slots if slot.staff),
                     key=lambda slot: (slot.start, slot.staff))
    by_staff = slots_by_staff(staffed)
    #: id(slot) -> the sessions attending it, each with the slots it attends
    attends: dict[int, list[tuple[DutySession, list[Any]]]] = {}
    counted, unrostered, forgotten, judged = [], [], [], []
    parts: dict[int, DutySession] = {}  # id(session) -> its part in the period, when cut
    for session in sorted(sessions, key=lambda session: session.start):
        own = by_staff.get(session.staff, ())
        matched = attended_slots(session, own, window, now)
        if clocked_out_too_late(session, own, window, matched):
            session = DutySession(session.record_id, session.staff, session.start)
            matched = attended_slots(session, own, window, now)
        judged.append(session)
        for slot in matched:
            attends.setdefault(id(slot), []).append((session, matched))
        forgot = forgotten_at(session, matched, now, window)
        if matched:
            part = period_part(session, matched, first, last, forgot)
            if part is None:
                continue
            parts[id(session)] = part
        elif first <= session.start.astimezone(tz).date() <= last:
            part = session
            unrostered.append(session)
        else:
            continue
        counted.append(part)
        if forgot and part.is_open:
            forgotten.append(part)
    outcomes = tuple(_outcome(slot, attends.get(id(slot), ()), grace, window, now, leave_of,
                              last)
                     for slot in staffed if first <= slot.date <= last)
    on_call = slots_by_staff(on_call_slots)
    call_outs = tuple(sorted((call for call in call_outs
                              if first <= call_out_day(call, on_call.get(call.staff, ()), tz)
                              <= last),
                             key=lambda call: call.start))
    standby = Counter(slot.staff for slot in on_call_slots
                      if slot.staff and first <= slot.date <= last)
    people = _per_person(outcomes, counted, unrostered, call_outs, order, standby, judged)
    return AttendanceReport(first, last, outcomes, tuple(unrostered), people, call_outs,
                            sessions=tuple(counted), on_call=tuple(on_call_slots),
                            forgotten=tuple(forgotten), at=now, parts=parts,
                            duties=tuple(judged))


def period_part(session: DutySession, attended: Sequence[Any], first: date, last: date,
                forgot: bool = False) -> DutySession | None:
    """The part of a duty attending shifts (`attended`, earliest first) that the period of
    days first..last counts: a shift belongs to the period it starts in, and a duty going on
    from one shift into the next (连班) is split at the later one's start (`shift_spans`), so
    a duty over the period's end is cut there: from the start of its first shift in the
    period (its clock-in, when that is its first shift) to the start of its first shift
    after it (else its clock-out). None: it attends no shift of the period. A forgotten
    clock-out (`forgot`) stays open: no hours in either period."""
    inside = [slot for slot in attended if first <= slot.date <= last]
    if not inside:
        return None
    start = session.start if inside[0] is attended[0] else max(session.start, inside[0].start)
    later = next((slot for slot in attended if slot.date > last), None)
    end = session.end
    if later is not None and not (forgot and session.is_open):
        end = later.start if end is None else min(end, later.start)
    if start == session.start and end == session.end:
        return session
    return DutySession(session.record_id, session.staff, start, end)


def off_duty(call: DutySession, duties: Iterable[DutySession]) -> timedelta:
    """A call-out's time but what the person spent clocked in on a duty meanwhile (called in
    at night, they clock in for the day shift before recording their return): the same hours
    are never paid twice, as shift and as call-out."""
    return sum((elapsed(start, end) for start, end in call_out_spans(call, duties)),
               timedelta(0))


def call_out_day(call: DutySession, on_call: Iterable[Any], tz: tzinfo) -> date:
    """The day a call-out counts in: that of the person's on-call duty its start falls in (a
    night's shift counts in the period it starts: its call-outs after midnight with it), else
    the day it started."""
    duty = on_call_duty(call, on_call)
    return duty.date if duty is not None else call.start.astimezone(tz).date()


def on_call_duty(call: DutySession, on_call: Iterable[Any]) -> Any | None:
    """The person's on-call duty (of `on_call`, theirs) the call-out's start falls in."""
    return next((slot for slot in on_call if slot.start <= call.start < slot.end), None)


def _worked(sessions: Sequence[DutySession]) -> timedelta:
    """One person's time clocked in, each moment once: two desks that had not synced may
    each have clocked them in (00:58 and 01:00), and the duties overlap; the hours counted
    twice (0.7 h for 23 minutes on duty)."""
    total, reached = timedelta(0), None
    for session in sorted((s for s in sessions if s.length), key=lambda s: s.start):
        if reached is not None and session.end <= reached:
            continue  # within one counted already
        start = session.start if reached is None else max(session.start, reached)
        total += elapsed(start, session.end)
        reached = session.end
    return total


def _per_person(outcomes: Sequence[SlotOutcome], sessions: Sequence[DutySession],
                unrostered: Sequence[DutySession], call_outs: Sequence[DutySession],
                order: Sequence[str], standby: Mapping[str, int],
                judged: Sequence[DutySession] = ()) -> tuple[StaffAttendance, ...]:
    """`judged`: every duty, whole, a call-out's time is weighed against (`off_duty`):
    those of the periods around too."""
    totals: dict[str, dict[str, Any]] = {}

    def person(staff: str) -> dict[str, Any]:
        return totals.setdefault(staff, {"staff": staff, "worked": timedelta(0),
                                         "rostered_time": timedelta(0),
                                         "call_out_time": timedelta(0)})

    def add(row: dict[str, Any], key: str, amount: Any = 1) -> None:
        row[key] = row.get(key, 0) + amount

    for outcome in outcomes:
        row = person(outcome.slot.staff)
        add(row, "rostered")
        row["rostered_time"] += elapsed(outcome.slot.start, outcome.slot.end)
        if outcome.result == ABSENT:
            add(row, "absent")
        elif outcome.result == ON_LEAVE:
            add(row, "on_leave")
        elif outcome.result == UPCOMING:
            add(row, "upcoming")
        else:
            add(row, "attended")
        if outcome.late_minutes:
            add(row, "late")
            add(row, "late_minutes", outcome.late_minutes)
        if outcome.early_minutes:
            add(row, "early_leaves")
            add(row, "early_minutes", outcome.early_minutes)
    for session in sessions:
        row = person(session.staff)
        if session.is_open:
            add(row, "open_sessions")
    duties: dict[str, list[DutySession]] = {}
    for session in sessions:
        duties.setdefault(session.staff, []).append(session)
    for staff, mine in duties.items():  # an open one: none (`running` counts it on duty)
        person(staff)["worked"] += _worked(mine)
    around = slots_by_staff(judged)
    for session in unrostered:
        add(person(session.staff), "unrostered")
    for call in call_outs:
        row = person(call.staff)
        add(row, "call_outs")
        row["call_out_time"] += off_duty(call, around.get(call.staff, ()))
        if call.is_open:
            add(row, "call_outs_open")
    for staff, nights in standby.items():
        add(person(staff), "on_call_duties", nights)
    place = {staff: number for number, staff in enumerate(order)}
    return tuple(StaffAttendance(**totals[staff])
                 for staff in sorted(totals, key=lambda staff: (place.get(staff, len(place)),
                                                                staff)))


# -- hours on statutory holidays (法定节假日: 《劳动法》第四十四条, paid 300%) ------------------

#: day -> it is a statutory holiday itself (`sitecalendar.SiteCalendar.statutory_day`); None:
#: unknown (a year from the rules whose 清明节 is listed as three days)
StatutoryOf = Callable[[date], "bool | None"]
Span = tuple[datetime, datetime]


def statutory_time(spans: Iterable[Span], statutory: StatutoryOf,
                   tz: tzinfo) -> timedelta | None:
    """The part of `spans` (start, end) on statutory days, each cut at local midnight (a
    night 12-31 21:00 to 01-01 07:00 has 7 h on 元旦); None when a day touched is unknown."""
    total = timedelta(0)
    for start, end in spans:
        moment = start
        while moment < end:
            day = moment.astimezone(tz).date()
            midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz)
            piece = min(end, midnight)
            said = statutory(day)
            if said is None:
                return None
            if said:
                total += elapsed(moment, piece)
            moment = piece
    return total


def _merged(spans: Iterable[Span]) -> list[Span]:
    """The spans as one person's time, each moment once (as `_worked` counts it)."""
    merged: list[list[datetime]] = []
    for start, end in sorted(span for span in spans if span[0] < span[1]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def worked_span(report: AttendanceReport, session: DutySession) -> Span | None:
    """A duty's time as attendance counts it: clocked in to clocked out; one still on duty
    up to the report's moment (`still_open`), one whose clock-out is forgotten none."""
    if session.end is not None:
        return (session.start, session.end) if session.end > session.start else None
    if report.forgot(session) or report.at is None or session.start >= report.at:
        return None
    return session.start, report.at


def _without(span: Span, others: Iterable[Span]) -> list[Span]:
    """`span` but the moments of `others`."""
    left = [span]
    for start, end in others:
        left = [piece for first, last in left
                for piece in ((first, min(last, start)), (max(first, end), last))
                if piece[0] < piece[1]]
    return left


def call_out_spans(call: DutySession, duties: Iterable[DutySession]) -> list[Span]:
    """A call-out's time but what the person spent clocked in meanwhile (`off_duty`'s rule:
    the same hours are never paid twice); an open duty counts up to LONGEST_DUTY at most: one
    never clocked out is no time on site."""
    if call.end is None or call.end <= call.start:
        return []
    meanwhile = ((duty.start, duty.end or duty.start + LONGEST_DUTY) for duty in duties)
    return _without((call.start, call.end),  # only the duties it meets: a month has many
                    [(start, end) for start, end in meanwhile
                     if start < call.end and end > call.start])


def statutory_hours(report: AttendanceReport, statutory: StatutoryOf,
                    tz: tzinfo) -> dict[str, timedelta | None]:
    """Per person, the hours worked (their duties as `hours_worked` counts them, and their
    call-outs' hours) that fall on statutory days; None when a day they worked on is
    unknown."""
    duties, calls = slots_by_staff(report.sessions), slots_by_staff(report.call_outs)
    around = slots_by_staff(report.duties)  # a call-out weighed against every duty judged
    found: dict[str, timedelta | None] = {}
    for person in report.people:
        mine = duties.get(person.staff, [])
        spans = [span for span in map(lambda session: worked_span(report, session), mine)
                 if span is not None]
        for call in calls.get(person.staff, []):
            spans += call_out_spans(call, around.get(person.staff, []))
        found[person.staff] = statutory_time(_merged(spans), statutory, tz)
    return found


def shift_spans(report: AttendanceReport) -> dict[int, list[Span]]:
    """The time worked on each rostered shift of the report (by `id` of its outcome): its
    duties' (`worked_span`), a duty going on into the person's next shift (连班) counted on
    this one up to that shift's start and on that one from there."""
    chains: dict[int, list[SlotOutcome]] = {}  # id(session) -> the shifts it attends
    for outcome in sorted(report.outcomes, key=lambda outcome: outcome.slot.start):
        for session in outcome.sessions:
            chains.setdefault(id(session), []).append(outcome)
    found: dict[int, list[Span]] = {}
    for outcome in report.outcomes:
        spans = []
        for session in outcome.sessions:
            span = worked_span(report, report.part(session))  # cut at the period's end
            if span is None:
                continue
            chain = chains[id(session)]
            place = next(number for number, other in enumerate(chain) if other is outcome)
            start = span[0] if place == 0 else max(span[0], chain[place].slot.start)
            end = span[1] if place == len(chain) - 1 else min(span[1],
                                                              chain[place + 1].slot.start)
            if start < end:
                spans.append((start, end))
        found[id(outcome)] = _merged(spans)
    return found
