"""The shift desk's workflows (a desk object over one workspace): what a desk command does
between reading its options and printing its result.

Clock in, clock out with its handover rule, the written handover (to whom) and its
acceptance, the readiness checklist run. Each is planned first (every refusal checked, nothing
written), then carried out; the CLI (dutyctl/cli/desk.py) only parses, asks at a terminal and
formats. Refusals name values (`reason`, `no_handover`, `to`), never flags; warnings go to
`dutyctl.notices`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable, Sequence

from dutyctl import notices
from dutyctl.desk import clocking, handover, rostered
from dutyctl.desk.attendance import ClockInVerdict, ClockOutVerdict
from dutyctl.desk.sessions import back_soon, open_duties
from dutyctl.errors import InputError, Refused
from dutyctl.frozen import frozen, replace
from dutyctl.kinds.duty import CLOCK_OUT
from dutyctl.messages import t, tn
from dutyctl.records import Record
from dutyctl.timeutil import local_time

#: a desk method looks the person's open duty up itself (None would say "not on duty")
LOOK_UP = object()


@frozen
class ClockedIn:
    duty: Record  # the duty started
    verdict: ClockInVerdict
    waiting: tuple[Record, ...]  # handovers still waiting for this person, oldest first

    @property
    def paths(self) -> list[str]:
        return [self.duty.path]


@frozen
class ClockOutPlan:
    """What clocking out would record, worked out before anything is written."""

    duty: Record
    at: datetime
    verdict: ClockOutVerdict
    relief: tuple[Any, ...]  # slots of people taking over, best first
    handover: Record | None  # a handover this person wrote during this duty
    # else one a colleague of the same shift wrote during it to everyone taking over: it
    # hands the shift over for this person too
    covered_by: Record | None = None

    @property
    def needs_handover(self) -> bool:
        """The handover rule: someone takes over and nothing was handed over in writing (by
        this person, or for the shift by a colleague on it)."""
        return bool(self.relief) and self.handover is None and self.covered_by is None

    @property
    def successors(self) -> list[str]:
        return clocking.next_shift_staff(self.relief)


@frozen
class ClockedOut:
    duty: Record  # with its clock-out event last
    handover: Record | None  # the handover written on the way out, if any
    replaced: tuple[str, ...] = ()  # the steps closing the handovers it replaced
    unfiled: tuple[Record, ...] = ()  # its shift's calls about a ticket none was filed for
    twins: tuple[Record, ...] = ()  # the person's duties another desk opened, ended with it

    @property
    def paths(self) -> list[str]:
        return ([self.handover.path] if self.handover else []) + [
            *self.replaced, self.duty.events[-1].path, *(twin.events[-1].path
                                                         for twin in self.twins)]


#: two desks' clock-ins of one person this close together are one duty taken twice
TWIN_CLOCK_INS = timedelta(hours=1)


def _same_duty(other: Record, duty: Record) -> bool:
    """`other` is the person's clock-in for the same duty on another desk: the same rostered
    shift, or (unrostered) within TWIN_CLOCK_INS of it; never one left open days before,
    which is a clock-out forgotten, not a twin."""
    if other.get("slot") or duty.get("slot"):
        return other.get("slot") == duty.get("slot")
    return abs(other.created_at - duty.created_at) <= TWIN_CLOCK_INS


@frozen
class Acceptance:
    """A handover someone may accept now: every refusal already checked."""

    handover: Record
    by: str
    at: datetime
    instead_of: str | None
    on_duty: Record | None  # the acceptor's duty still open, if any


@frozen
class Accepted:
    handover: Record  # with the new accept event last
    duty: Record | None  # the duty started with the acceptance, if any
    verdict: ClockInVerdict | None
    replaced: tuple[str, ...] = ()  # the steps closing the earlier handovers it replaced
    # the handovers to the acceptor it replaced whose notes were not carried: those it closed
    # now, and those an earlier acceptance of it closed
    earlier: tuple[Record, ...] = ()

    @property
    def paths(self) -> list[str]:
        return ([self.duty.path] if self.duty else []) + [self.handover.events[-1].path,
                                                          *self.replaced]


#: how long after a clock-out one more is told that it was done (a clock-out typed twice)
RECENT_CLOCK_OUT = timedelta(hours=12)


class ShiftDesk:
    """The shift desk of one workspace (its config, store and roster)."""

    def __init__(self, workspace):
        self.workspace = workspace
        self.store = workspace.store
        self.config = workspace.config
        self._names = None

    @property
    def names(self):
        """People and checklist items as the desk reads them (张伟 (zhangwei))."""
        if self._names is None:
            from dutyctl.names import Names

            self._names = Names.of(self.workspace)
        return self._names

    def _people(self, staff: Sequence[str]) -> str:
        return self.names.people(staff)

    def _time(self, moment: datetime) -> str:
        return local_time(moment, self.config.tz)

    # -- clock in -------------------------------------------------------------------------

    def clock_in(self, staff: str, at: datetime, note: str | None = None) -> ClockedIn:
        """Start the duty of `staff` at `at`, compared with the roster, and the handovers
        waiting for them then (a clock-in recorded late names no handover written after
        it); refused, nothing written, when they are (or were then) on duty."""
        # asked before the clock-in is written (a duty record is no handover), like the open
        # duty, without writing the record index: the files it lacks are read beside it
        waiting = [written for written in handover.pending_handovers(self.store, staff,
                                                                      build=False, write=False)
                   if written.created_at <= at]
        record, verdict = clocking.clock_in(self.workspace, staff, at, note)
        return ClockedIn(record, verdict, tuple(waiting))

    def back_soon(self, staff: str, at: datetime):
        """The duty `staff` clocked out of too recently for a clock-in at `at` not for their
        rostered shift to be theirs (`clocking.back_soon`), else None."""
        return clocking.back_soon(self.workspace, staff, at)

    # -- clock out ------------------------------------------------------------------------

    def plan_clock_out(self, staff: str, at: datetime) -> ClockOutPlan:
        """How leaving at `at` compares with the roster, who takes over and whether a
        handover is still owed; refused when `staff` is not clocked in, `at` is before the
        clock-in, or attendance would take the clock-out for a forgotten one made good days
        later (`attendance.clocked_out_too_late`: no hours, never a shift completed)."""
        current = self.on_duty(staff)
        if current is None:
            # a clock-out typed twice (the first one's lines scrolled away) is told when it
            # was done, not "not clocked in", which reads as if the clock-in had been lost
            last = back_soon(self.store, staff, at, RECENT_CLOCK_OUT)
            if last is not None:
                raise Refused(t("{staff} clocked out already at {end} (clocked in at {start}): "
                                "nothing to clock out; nothing written",
                                staff=self.names.person(staff), end=self._time(last.end),
                                start=self._time(last.start)))
            raise Refused(t("{staff} is not clocked in: nothing to clock out; nothing written",
                            staff=self.names.person(staff)))
        if at < current.created_at:
            raise InputError(t("clock-out {at} is before the clock-in {since}; nothing written",
                               at=self._time(at), since=self._time(current.created_at)))
        verdict, relief = clocking.leaving(self.workspace, current, staff, at)
        if verdict.too_late:
            self._refuse_forgotten_clock_out(current, staff, at,
                                             verdict.slot.end if verdict.slot else None)
        written = handover.handovers_from(self.store, staff, current.created_at, at)
        covered = None
        if relief and not written:
            covered = handover.covering_handover(
                self.store, staff, clocking.duty_mates(self.workspace, staff, verdict.slot,
                                                       current.created_at, at),
                clocking.next_shift_staff(relief), current.created_at, at)
        return ClockOutPlan(current, at, verdict, tuple(relief), written[-1] if written else None,
                            covered)

    def clock_out(self, plan: ClockOutPlan, *, handover_to: Sequence[str] | None = None,
                  notes: Sequence[str] = (), no_handover_reason: str | None = None) -> ClockedOut:
        """End the duty. When the plan still owes a handover, either write it now (to
        `handover_to`, with `notes`) or give the reason there is none; else refused, nothing
        written."""
        if plan.needs_handover and handover_to is None and not no_handover_reason:
            self._refuse_leaving_without_handover(plan)
        outcome = (self.write_handover(plan.duty.get("staff"), handover_to, notes, plan.at,
                                       duty=plan.duty)
                   if handover_to is not None else None)
        written = outcome.record if outcome is not None else None
        data: dict[str, Any] = {}
        if plan.verdict.slot is not None:
            from dutyctl import timeutil

            data["slot_end"] = timeutil.to_iso(plan.verdict.slot.end)
        if plan.verdict.early_minutes:
            data["left_early_minutes"] = plan.verdict.early_minutes
        handed = written or plan.handover or plan.covered_by
        if handed is not None:
            data["handover"] = handed.id
        elif no_handover_reason:
            data["no_handover_reason"] = no_handover_reason
        record = self.store.append(plan.duty, CLOCK_OUT, at=plan.at, by=plan.duty.get("staff"),
                                   data=data)
        # the same person clocked in on another desk too before the desks synced: one leaving
        # ends both (else the other stayed "on duty" in `clock status`, absent from nothing)
        twins = tuple(self.store.append(other, CLOCK_OUT, at=plan.at, by=plan.duty.get("staff"),
                                        data={key: value for key, value in data.items()
                                              if key != "left_early_minutes"})
                      for other in open_duties(self.store, plan.duty.get("staff"))
                      if other.id != plan.duty.id and _same_duty(other, plan.duty))
        return ClockedOut(record, written, tuple(outcome.steps) if outcome is not None else (),
                          outcome.unfiled if outcome is not None else (), twins)

    def _refuse_forgotten_clock_out(self, duty: Record, staff: str, at: datetime,
                                    end: datetime | None) -> None:
        """Clocking out at `at` would record days on duty that attendance counts as a
        clock-out never made: the clerk is told to clock out when the duty ended (at the
        latest, the end of the last shift it attends; `end` None: a duty attending no
        shift, over a day long, `attendance.unrostered_too_long`), as a clock-in over it is
        told."""
        if end is None:
            raise Refused(lambda name: t(
                "{staff} has been clocked in since {since} (duty {id}) with no shift "
                "rostered. A clock-out at {at}, more than a day later, is a forgotten one made "
                "good later: attendance counts it as never clocked out, with no hours. Clock "
                "out when the duty really ended ('dutyctl clock out {at_name} "
                "\"YYYY-MM-DD HH:MM\"'); nothing written",
                staff=self.names.person(staff), since=self._time(duty.created_at),
                id=duty.short_id, at=self._time(at), at_name=name("at")))
        said = {"staff": self.names.person(staff), "since": self._time(duty.created_at),
                "id": duty.short_id, "at": self._time(at), "end": self._time(end)}
        raise Refused(lambda name: t(
            "{staff} has been clocked in since {since} (duty {id}); the last shift of that "
            "duty ended at {end}. A clock-out at {at} is a forgotten one made good later: "
            "attendance counts it as never clocked out, with no hours. Clock out when the "
            "duty really ended ('dutyctl clock out {at_name} \"{end}\"' for the shift's end); "
            "nothing written",
            at_name=name("at"), **said))

    def left_unattended(self, plan: ClockOutPlan) -> list[str]:
        """Those taking over who have not clocked in, when nobody else is on duty as this
        person leaves: the desk is left with nobody (the duty rule: nobody leaves before the
        relief arrives). Empty when someone is still on duty or nobody is due to take over."""
        from dutyctl.desk.clocking import on_site_at, window
        from dutyctl.desk.rostered import chain_slots

        leaving = plan.duty.get("staff")
        # a colleague on the next shift too (连班) is on duty through it
        if on_site_at(self.store, plan.at, window(self.config),
                      chain_slots(self.workspace, plan.at), besides=leaving):
            return []
        return [person for person in plan.successors if person != leaving]

    def relief_said(self, plan: ClockOutPlan) -> str:
        """The shift those taking over come on for, with their role when they share one (赵磊
        the clerk and 王强 the technician: the shift alone, not the first one's role for
        both)."""
        roles = {slot.role for slot in plan.relief if slot.staff in plan.successors}
        return self.names.slot_of(plan.relief[0], with_role=len(roles) <= 1)

    def _refuse_leaving_without_handover(self, plan: ClockOutPlan) -> None:
        successors = plan.successors
        said = {"relief": self._people(successors),
                "ids": ",".join(self.names.typed(person) for person in successors),
                "staff": self.names.person(plan.duty.get("staff")),
                "slot": self.relief_said(plan)}
        raise InputError(lambda name: tn(
            "{relief} takes over for {slot} and {staff} wrote no handover during this duty: "
            "write one first (dutyctl handover --to {ids}) or pass {no_handover} {reason} "
            "TEXT; nothing written",
            "{relief} take over for {slot} and {staff} wrote no handover during this duty: "
            "write one first (dutyctl handover --to {ids}) or pass {no_handover} {reason} "
            "TEXT; nothing written",
            len(successors), no_handover=name("no_handover"), reason=name("reason"), **said))

    # -- handover ---------------------------------------------------------------------------

    def on_duty(self, staff: str) -> Record | None:
        """The duty `staff` has open (clocked in, not out), if any."""
        return clocking.open_duty(self.store, staff)

    def successors(self, staff: str, at: datetime, *,
                   duty: Record | None | object = LOOK_UP) -> list[str]:
        """Whom `staff` hands over to at `at` per the roster: everyone on the next shift (for
        someone not on duty, the next one to come on after `at`, as `who` finds it).
        `duty`: their open duty (None: not on duty) when the caller has it, else looked up."""
        current = self.on_duty(staff) if duty is LOOK_UP else duty
        relief = (rostered.coming_on(self.workspace, staff, at) if current is None
                  else clocking.leaving(self.workspace, current, staff, at)[1])
        return clocking.next_shift_staff(relief)

    def recipients(self, staff: str, at: datetime, chosen: Sequence[str] | None = None, *,
                   duty: Record | None | object = LOOK_UP) -> list[str]:
        """Whom the handover of `staff` goes to: the people `chosen`, else everyone rostered
        on the next shift (`duty`: as in successors); refused, naming the value `to`, when
        that is nobody."""
        recipients = (list(chosen) if chosen is not None
                      else self.successors(staff, at, duty=duty))
        if not recipients:
            raise InputError(lambda name: t(
                "nobody is rostered on the next shift: name the incoming people with {to} "
                "STAFF", to=name("to")))
        return recipients

    def write_handover(self, by: str, to: Sequence[str], notes: Sequence[str], at: datetime,
                       *, duty: Record | None | object = LOOK_UP,
                       replacing: Sequence[str] = ()) -> handover.Written:
        """The written handover from `by` to each of `to`: the emergencies the shift closed,
        every item open at `at`, the duty log entries of the shift being handed over, and the
        notes (`duty`: as in successors; `replacing`: handovers named to be replaced, as in
        desk.handover.write_handover), with the handovers it replaced."""
        current = self.on_duty(by) if duty is LOOK_UP else duty
        from dutyctl.tickets.deadlines import load_book

        since = handover.shift_start(self.store, at, current)
        items = (handover.shift_emergencies(self.store, since, at)
                 + handover.open_items(self.store, at, load_book(self.workspace))
                 + handover.callouts_under_way(self.store, at, self.names)
                 + handover.shift_entries(self.store, since, at))
        written = handover.write_handover(self.store, by=by, to=to, at=at, items=items,
                                          notes=notes, names=self.names,
                                          duty_id=current.id if current else None,
                                          replacing=replacing)
        unfiled = handover.calls_without_ticket(self.store, self.workspace.config, since, at)
        return replace(written, unfiled=tuple(unfiled))

    def acceptance(self, staff: str, at: datetime, handover_id: str | None = None,
                   instead_of: str | None = None, also: str = "",
                   moment: Callable[[Record, datetime], datetime] | None = None) -> Acceptance:
        """The handover `staff` would accept at `at` (the one named, else the only one
        waiting), for themselves or `instead_of` a named person (id or name); refused, before
        anything is written, when they may not (`also`: choose_pending's). `moment`: the
        time the signature is recorded at, given the handover (one another desk wrote a few
        minutes "later" by its own clock: at its time, Session.after_other_clock)."""
        if instead_of is not None:
            from dutyctl.people import resolve_staff

            instead_of = resolve_staff(self.workspace, instead_of)
        record = handover.choose_pending(self.store, handover_id, instead_of or staff,
                                         self.names, at, also)
        if moment is not None:
            at = moment(record, at)
        handover.check_acceptable(record, staff, at, instead_of, self.names)
        return Acceptance(record, staff, at, instead_of, self.on_duty(staff))

    def accept(self, acceptance: Acceptance, *, clock_in: bool = False) -> Accepted:
        """Sign the handover; `clock_in`: also start the acceptor's duty (not when one is
        open already: that is said, and the signature goes on)."""
        current = acceptance.on_duty
        if clock_in and current is not None:
            notices.warn(t("{staff} is on duty since {since}: not clocked in again",
                           staff=self.names.person(acceptance.by),
                           since=self._time(current.created_at)))
        started = (self.clock_in(acceptance.by, acceptance.at)
                   if clock_in and current is None else None)
        duty = started.duty if started else None
        signed = handover.accept_handover(self.store, acceptance.handover, by=acceptance.by,
                                          at=acceptance.at, names=self.names,
                                          duty_id=duty.id if duty else None,
                                          instead_of=acceptance.instead_of)
        # the latest of two written for one shift change (on two desks before a sync, or
        # before handovers replaced each other): the earlier ones close as replaced
        earlier = handover.replaced_by_written(self.store, signed)
        # those an earlier acceptance closed so: each of their people is told what they lack
        before = handover.closed_for(self.store, signed, acceptance.instead_of or acceptance.by)
        replaced = [handover.replace(self.store, record, signed, at=acceptance.at,
                                     by=acceptance.by).events[-1].path for record in earlier]
        return Accepted(signed, duty, started.verdict if started else None, tuple(replaced),
                        (*before, *earlier))
