"""Clocking in and out against the store and the roster: the duty record, the verdicts, who
takes over. The clock-out workflow with its handover rule is `desk.shiftdesk.ShiftDesk`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Sequence

from dutyctl import timeutil
from dutyctl.desk import attendance
from dutyctl.desk.attendance import ClockInVerdict, ClockOutVerdict
from dutyctl.desk import sessions
from dutyctl.desk.sessions import DutySession, open_duty, window
from dutyctl.desk.rostered import (chain_slots, leave_of, not_on_leave, readable_rules,
                                   slots_between, slots_or_none)
from dutyctl.store.storage import exclusive
from dutyctl.errors import Refused
from dutyctl.kinds.duty import CLOCK_OUT, DUTY, shift_end
from dutyctl.messages import t
from dutyctl.names import known_as
from dutyctl.records import Record
from dutyctl.timeutil import local_time

KIND = DUTY.name
NEXT_SHIFT_HORIZON = timedelta(days=14)
DAY = timedelta(days=1)


def grace(config) -> timedelta:
    return timedelta(minutes=config.grace_minutes)


def back_soon(workspace, staff: str, at: datetime) -> DutySession | None:
    """The own duty `staff` clocked out of too recently for a clock-in at `at` to be theirs
    (`sessions.back_soon`): less than the minimum rest between shifts (rules.yaml
    min_rest_hours, their contract's else the site's, as far as rules.yaml reads, problems or
    not; the rules' default without it) less the clock-in window
    (attendance.clock_in_window_minutes: a duty may end late and the next start early by that
    much). Asked for a clock-in that is not for their rostered shift."""
    from dutyctl.errors import DutyError
    from dutyctl.roster.onduty import cached_read_rules
    from dutyctl.roster.rules import Limits

    try:
        rules = cached_read_rules(workspace)[0]
        member = rules.member(staff)
        hours = (member.limits if member is not None else rules.limits).min_rest_hours
    except DutyError:
        hours = Limits().min_rest_hours
    rest = timedelta(hours=hours) - window(workspace.config)
    if rest <= timedelta(0):
        return None
    return sessions.back_soon(workspace.store, staff, at, rest)


def session_of(record: Record) -> DutySession:
    return sessions.session_of(record, ended_by=CLOCK_OUT)


def sessions_between(store, since: date, until: date) -> list[DutySession]:
    """Duty sessions clocked in on days since..until (site zone)."""
    found = store.of_kinds(since, until, (KIND,), few_from_files=True)
    return [session_of(record) for record in found.records]


def on_site_at(store, at: datetime, window: timedelta, chain: Sequence[Any],
               besides: str | None = None) -> set[str]:
    """Who (but `besides`) was on site at `at`: their duties open then (`Store.open_at`,
    `queries.open_at`: one clocked out since, even by another desk's clock a minute ahead,
    counts as it stood then; read as `sessions.open_duty` reads, never waiting for the
    record index), whose clock-out was not forgotten by then over the roster's `chain`
    (`attendance.forgotten_by`, 连班 included: one on a day shift's night is here, one never
    clocked out days ago is nobody here now). What `who`, a dispatch (`--at` too) and a
    clock-out looking for someone still on duty all ask."""
    found = store.open_at((KIND,), at, build=False, write=False)
    store.skip(found.problems)
    return {record.get("staff") for record in found.records
            if record.get("staff") != besides  # open then, as found: on site unless forgotten
            and not attendance.forgotten_by(record, at, window, chain)}


def here_and_absent(workspace, slots: Sequence[Any], at: datetime,
                    chain: Sequence[Any]) -> tuple[set[str], set[str]]:
    """(those on site at `at`, `on_site_at` over the roster's `chain`,
    `rostered.moment_and_chain`'s; those of the roster's `slots` on site whose shift began
    more than the clock-in grace before and who are not there, `attendance.start_missed`):
    who is here, and who is missing, as `who` says them."""
    here = on_site_at(workspace.store, at, window(workspace.config), chain)
    late = grace(workspace.config)
    return here, {slot.staff for slot in slots if not slot.on_call and slot.staff not in here
                  and attendance.start_missed(slot, at, late)}


def slot_fields(slot: Any) -> dict:
    """The roster slot as stored in a duty record: a snapshot of what the desk saw."""
    return {"date": slot.date.isoformat(), "shift": slot.shift_id,
            "shift_name": slot.shift_name, "role": slot.role,
            "start": timeutil.to_iso(slot.start), "end": timeutil.to_iso(slot.end)}


def _refuse_overlap(workspace, staff: str, at: datetime) -> None:
    tz = workspace.config.tz
    day = at.astimezone(tz).date()
    for session in sessions_between(workspace.store, day - DAY * 2, day):
        if session.staff == staff and session.end and session.start <= at < session.end:
            raise Refused(t("{staff} was already on duty at {at} (duty {id}, {start} to {end}): "
                            "nothing written", staff=known_as(workspace, staff),
                            at=local_time(at, tz),
                            id=session.record_id[:12], start=local_time(session.start, tz),
                            end=local_time(session.end, tz)))



def _still_clocked_in(workspace, current: Record, staff: str, at: datetime) -> str:
    """Why a clock-in is refused while `current` is open. When that duty's shift is long over
    (a clock-out forgotten days ago), the clerk is told to clock it out at the shift's end
    first: clocking out now would record days on duty."""
    tz = workspace.config.tz
    since, who = local_time(current.created_at, tz), known_as(workspace, staff)
    slot_end = shift_end(current)
    forgotten = attendance.left_open(current, at, window(workspace.config),
                                     chain_slots(workspace, at))
    if slot_end is not None and forgotten:
        return t("{staff} is still clocked in since {since} (duty {id}): that shift ended at "
                 "{end} and was never clocked out. Clock it out at its end first "
                 "('dutyctl clock out --at \"{end}\"'), then clock in; nothing written",
                 staff=who, since=since, id=current.short_id, end=local_time(slot_end, tz))
    if forgotten:  # unrostered, clocked in more than LONGEST_DUTY ago
        return t("{staff} is still clocked in since {since} (duty {id}), more than a day ago, "
                 "and was never clocked out. Clock it out when that duty ended first "
                 "('dutyctl clock out --at \"YYYY-MM-DD HH:MM\"'), then clock in; "
                 "nothing written", staff=who, since=since, id=current.short_id)
    return t("{staff} is already clocked in since {since} (duty {id}): clock out "
             "first; nothing written", staff=who, since=since, id=current.short_id)


def clock_in(workspace, staff: str, at: datetime,
             note: str | None = None) -> tuple[Record, ClockInVerdict]:
    """File the start of duty, compared with the roster. Refused (nothing written) when the
    person is on duty already, or was at that moment; two terminals clocking the same person
    in at once take turns, so only one succeeds."""
    with exclusive(workspace.state_dir / "desk.lock"):
        return _clock_in(workspace, staff, at, note)


def _clock_in(workspace, staff: str, at: datetime,
              note: str | None) -> tuple[Record, ClockInVerdict]:
    config, store = workspace.config, workspace.store
    current = open_duty(store, staff)
    if current is not None:
        raise Refused(_still_clocked_in(workspace, current, staff, at))
    _refuse_overlap(workspace, staff, at)
    # two weeks ahead, so an unrostered clock-in can name the person's next shift
    slots = slots_or_none(workspace, at - DAY, at + max(window(config), NEXT_SHIFT_HORIZON))
    verdict = attendance.judge_clock_in(slots, staff, at, grace(config), window(config))
    if verdict.next_slot is not None:  # named as their next shift: not a day of their leave
        from dutyctl.frozen import replace

        later = not_on_leave(workspace, [slot for slot in attendance.own_slots(slots, staff)
                                         if slot.start > at])
        verdict = replace(verdict, next_slot=later[0] if later else None)
    fields: dict[str, Any] = {"staff": staff, "verdict": verdict.verdict}
    if verdict.late_minutes:
        fields["late_minutes"] = verdict.late_minutes
    if verdict.slot is not None:
        fields["slot"] = slot_fields(verdict.slot)
    if note:
        fields["note"] = note
    return store.create(KIND, fields, at=at, by=staff), verdict


def leaving(workspace, duty: Record | None, staff: str,
            at: datetime) -> tuple[ClockOutVerdict, list[Any]]:
    """How leaving at `at` compares with the roster, and who takes over, best first."""
    config = workspace.config
    since = duty.created_at if duty is not None else at
    slots = slots_or_none(workspace, since - DAY, at + window(config) + DAY)
    session = DutySession(duty.id if duty else "", staff, since, at)
    verdict = attendance.judge_clock_out(slots, session, grace(config), window(config))
    relief = attendance.relief_slots(slots or (), staff, since=since, at=at,
                                     window=window(config), own_slot=verdict.slot)
    return verdict, not_on_leave(workspace, relief)


def shift_mates(workspace, own_slot: Any | None) -> list[str]:
    """Everyone rostered on the same shift (day and shift) as `own_slot`, its person too;
    [] without a slot or a readable roster."""
    if own_slot is None:
        return []
    slots = slots_or_none(workspace, own_slot.start - DAY, own_slot.end + DAY) or ()
    return list(dict.fromkeys(slot.staff for slot in slots if slot.staff and (
        slot.date, slot.shift_id) == (own_slot.date, own_slot.shift_id)))


def duty_mates(workspace, staff: str, own_slot: Any | None, since: datetime,
               until: datetime) -> list[str]:
    """Those whose handover hands over for `staff` on duty since..until: the shift's mates
    (`shift_mates`), and whoever was clocked in beside them without being rostered (a
    technician come in to help); for `staff` clocked in unrostered (`own_slot` None), everyone
    clocked in beside them. `staff` among them."""
    mates = shift_mates(workspace, own_slot)
    tz = workspace.config.tz
    scan = workspace.store.scan((since - DAY).astimezone(tz).date(),
                                until.astimezone(tz).date(), (KIND,))
    for record in scan.records:
        duty = session_of(record)
        beside = duty.start <= until and (duty.end is None or duty.end >= since)
        if beside and (own_slot is None or not record.get("slot")):
            mates.append(duty.staff)
    return list(dict.fromkeys(mates))


def next_shift_staff(relief: Sequence[Any]) -> list[str]:
    """Everyone rostered on the shift that takes over (every role: a day shift has a clerk
    and a technician): the shift of the best relief slot, that one's person first. Those on
    call (备班) stay at home and are not handed over to, unless nobody else follows."""
    at_the_desk = [slot for slot in relief if not slot.on_call] or list(relief)
    if not at_the_desk:
        return []
    first = at_the_desk[0]
    relief = at_the_desk
    same_shift = [slot.staff for slot in relief
                  if (slot.date, slot.shift_id) == (first.date, first.shift_id)]
    return list(dict.fromkeys(same_shift))


def on_duty_now(store) -> list[Record]:
    """Every duty still open, oldest first."""
    return list(store.open_records(kinds=(KIND,)).records)


def wide_slots(workspace, first: date, last: date, on_call: bool = False) -> list[Any]:
    """Slots from a day before `first` to a day after `last`: enough to match sessions (and
    with `on_call` the on-call duties, which say the night a call-out belongs to)."""
    tz = workspace.config.tz
    start = datetime.combine(first - DAY, datetime.min.time(), tz)
    end = datetime.combine(last + DAY * 2, datetime.min.time(), tz)
    return slots_between(workspace, start, end, on_call=on_call)


def site_calendar(workspace):
    """The site calendar of the roster rules (holidays, 调休), or None when the rules cannot
    be read (attendance says so once; a holiday is then not judged)."""
    rules = readable_rules(workspace)
    return rules.calendar if rules is not None else None


def roles_of(workspace) -> dict[str, tuple[str, ...]] | None:
    """Each staff member's roles in the rules, or None when the rules cannot be read."""
    rules = readable_rules(workspace)
    return {member.id: tuple(member.roles) for member in rules.staff} \
        if rules is not None else None


def staff_order(workspace) -> tuple[str, ...]:
    """The staff ids in the order the rules list them (the roster's order), or () when the
    rules cannot be read."""
    rules = readable_rules(workspace)
    return tuple(member.id for member in rules.staff) if rules is not None else ()


def attendance_for(workspace, first: date, last: date, now: datetime,
                   staff: str | None = None) -> attendance.AttendanceReport:
    """The attendance report for days first..last from the roster and the store."""
    from dutyctl.desk.callout import callouts_between

    from dutyctl import notices
    from dutyctl.errors import DutyError
    from dutyctl.roster.onduty import rules_problem

    config = workspace.config
    try:
        slots, unreadable = wide_slots(workspace, first, last, on_call=True), None
    except DutyError:  # broken rules: the duties are listed, compared with nothing
        unreadable = rules_problem(workspace)
        if unreadable is None:
            raise  # a roster file itself broken: refused, never passed over
        slots = []
        notices.warn(t("roster rules unreadable, not compared with the roster: {reason}",
                       reason=unreadable))
    sessions = sessions_between(workspace.store, first - DAY, last + DAY)
    call_outs = callouts_between(workspace.store, first - DAY, last + DAY)
    on_call = [slot for slot in slots if slot.on_call]
    slots = [slot for slot in slots if not slot.on_call]
    if staff is not None:
        slots = [slot for slot in slots if slot.staff == staff]
        sessions = [session for session in sessions if session.staff == staff]
        call_outs = [call for call in call_outs if call.staff == staff]
        on_call = [slot for slot in on_call if slot.staff == staff]
    report = attendance.attendance_report(slots, sessions, first=first, last=last,
                                          tz=config.tz, grace=grace(config),
                                          window=window(config), now=now, call_outs=call_outs,
                                          on_call_slots=on_call,
                                          order=staff_order(workspace),
                                          leave_of=leave_of(workspace))
    if unreadable is None:
        return report
    from dutyctl.frozen import replace

    return replace(report, roster_unreadable=unreadable)
