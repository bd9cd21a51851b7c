"""Call-outs (备班出勤): the on-call person called in from home, and the time it took.

A call-out is a record (kind `callout`) filed when it starts and ended by an `end` event, so
two desks see the same call-out after a sync. The rest rule of an on-call night does not ask
for rest after it; a call-out that ended shortly before the person's next shift on site does,
so ending one names that shift.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Iterable, Sequence

from dutyctl.desk import sessions
from dutyctl.desk.sessions import DutySession
from dutyctl.errors import DutyError, InputError, Refused
from dutyctl.frozen import frozen
from dutyctl.kinds.callout import CALLOUT, EMERGENCY, END
from dutyctl.messages import t, tn
from dutyctl.names import Names, known_as
from dutyctl.records import LINK, Record, require_kind
from dutyctl.timeutil import local_time
from dutyctl.store.storage import exclusive

#: Call-outs of one person begun this close and both under way are one, recorded on two desks
#: that had not synced (a desk never starts a second while one is under way)
TWIN_WINDOW = timedelta(hours=3)

KIND = CALLOUT.name

#: A call-out under way for longer than a night on call is one whose return was not recorded
FORGOTTEN = timedelta(hours=24)


def open_callout(store, staff: str) -> Record | None:
    """The person's call-out still under way, if any, from any day: the record index answers
    (a desk without one builds it first: ready_everywhere); the recent day folders only when
    the index is busy."""
    mine = [record for record in under_way(store) if record.get("staff") == staff]
    return mine[-1] if mine else None


def ready_everywhere(store) -> None:
    """The record index built if this desk has none yet, so that a call-out forgotten weeks
    ago is found (the files alone are read for the last days only, a week: a second call-out
    started beside it). Before taking the desk lock, which other terminals' clock-ins wait
    on, as `end` does; once built, asking it is instant."""
    from dutyctl.store.recordstore import RECENT_DAYS

    index = store.index
    if index is None or index.exists:
        return
    # more day folders than the files alone are read for (a young site: they are all read)
    if sum(1 for _ in zip(range(RECENT_DAYS + 1), store.days())) > RECENT_DAYS:
        under_way(store, everywhere=True)


def on_call_slot(workspace, staff: str, at: datetime,
                 slots: Sequence[Any] | None = None) -> Any | None:
    """The person's on-call duty covering `at` per the roster, if any (a broken roster: None,
    the call-out is recorded all the same). `slots`: the roster's at `at` when the caller has
    read them, else read here."""
    from dutyctl.roster.onduty import slots_at

    if slots is None:
        try:
            slots = slots_at(workspace, at)
        except DutyError:
            return None
    return next((slot for slot in slots if slot.on_call and slot.staff == staff), None)


@frozen
class OnCall:
    """One on call at home (备班) at a moment: their duty, and their call-out under way, if
    any."""

    slot: Any
    call_out: Record | None = None

    @property
    def at_home(self) -> bool:
        return self.call_out is None

    @property
    def return_unrecorded(self) -> bool:
        """Their call-out under way began before this on-call duty: its return was never
        recorded, the person is at home (`start` refuses them until it is ended)."""
        return self.call_out is not None and self.call_out.created_at < self.slot.start


@frozen
class OnCallNow:
    """Who is on call at a moment (`on_call_now`) and whom to call in."""

    people: tuple[OnCall, ...] = ()

    @property
    def to_call_in(self) -> str | None:
        """The first at home, None when every one is out."""
        return next((one.slot.staff for one in self.people if one.at_home), None)

    @property
    def to_end_first(self) -> str | None:
        """With nobody at home, one whose old call-out is to be ended before calling them
        in (the first by id), else None."""
        if self.to_call_in is not None:
            return None
        return min((one.slot.staff for one in self.people if one.return_unrecorded),
                   default=None)


def on_call_now(workspace, at: datetime) -> OnCallNow:
    """Who is on call at home at `at` per the roster (`onduty.on_call_slots`: not one kept off
    work since it was made), each with their call-out under way; nobody without a roster."""
    from dutyctl.roster.onduty import on_call_slots

    try:
        slots = on_call_slots(workspace, at)
    except DutyError:  # no roster for the month: nobody known to be on call
        return OnCallNow()
    if not slots:
        return OnCallNow()
    out = {record.get("staff"): record for record in under_way(workspace.store)}
    return OnCallNow(tuple(OnCall(slot, out.get(slot.staff)) for slot in slots))


@frozen
class Refers:
    """What a call-out refers to, looked up: the on-call slot it started in as the roster has
    it now (None: the roster no longer says so) and its repair (None, with `repair_problem`
    saying why, when that record cannot be read)."""

    slot: Any | None
    repair: Record | None
    repair_problem: str | None = None
    emergency: Record | None = None  # the emergency they came in for, when it can be read


def refers_to(workspace, record: Record) -> Refers:
    """The slot and repair a call-out names, for `show`."""
    slot = on_call_slot(workspace, record.get("staff"), record.created_at) \
        if record.get("shift") else None
    repair, problem = None, None
    if record.get("repair"):
        try:
            repair = workspace.store.get(str(record.get("repair")))
        except DutyError as exc:
            problem = str(exc)
    emergency = None
    if record.get(EMERGENCY):
        try:
            emergency = workspace.store.get(str(record.get(EMERGENCY)))
        except DutyError:
            emergency = None
    return Refers(slot, repair, problem, emergency)


def start(workspace, staff: str, *, at: datetime, by: str, repair: Record | None = None,
          note: str | None = None, slots: Sequence[Any] | None = None,
          emergency: Record | None = None, chain: Sequence[Any] | None = None) -> Record:
    """File the start of a call-out. Refused (nothing written) while one is under way, or
    when `repair` is not a repair.
    `slots`, `chain`: the roster's slots at `at` and those a duty may have run through by
    then (`rostered.moment_and_chain`), when the caller has read them, else read here: the
    person's on-call slot, and whether they are on site (clocked in, `on_duty_at`).
    `emergency`: the emergency in progress they come in for: the call-out names it, and the
    emergency gets a link step to the call-out (its history, `show` and the handover say who
    came in); one already over is refused."""
    from dutyctl.kinds.repair import KIND as REPAIR

    if repair is not None:
        require_kind(repair, REPAIR)
    ready_everywhere(workspace.store)
    with exclusive(workspace.state_dir / "desk.lock"):
        store = workspace.store
        current = open_callout(store, staff)
        if current is not None:
            names = Names.of(workspace)
            raise Refused(t("{staff} is already called out since {since} (call-out {id}): "
                            "end it first (back long ago, its return never recorded: "
                            "dutyctl callout end {staff_id} --at \"TIME BACK\"); nothing written",
                            staff=names.person(staff), staff_id=names.typed(staff),
                            since=local_time(current.created_at, workspace.config.tz),
                            id=current.short_id))
        _refuse_on_duty(workspace, staff, at, chain)
        if emergency is not None:
            _check_emergency(workspace, emergency, at)
        fields: dict[str, Any] = {"staff": staff}
        slot = on_call_slot(workspace, staff, at, slots)
        if slot is not None:
            fields["shift"] = slot.shift_id
        if repair is not None:
            fields["repair"] = repair.id
        if emergency is not None:
            fields[EMERGENCY] = emergency.id
        if note and note.strip():
            fields["note"] = note.strip()
        record = store.create(KIND, fields, at=at, by=by)
        if emergency is not None:
            store.append(emergency, LINK, at=at, by=by, data={LINK: record.id})
        return record


def _refuse_on_duty(workspace, staff: str, at: datetime,
                    chain: Sequence[Any] | None = None) -> None:
    """Someone clocked in is on site, not at home: a call-out beside their duty would count
    the same hours twice, as shift and as call-out."""
    from dutyctl.desk.attendance import on_duty_at
    from dutyctl.desk.rostered import chain_slots

    duty = on_duty_at(workspace.store, staff, at, sessions.window(workspace.config),
                      chain_slots(workspace, at) if chain is None else chain)
    if duty is not None:
        raise Refused(t("{staff} is on duty since {since} (clocked in): a call-out is for "
                        "someone called in from home; nothing written",
                        staff=Names.of(workspace).person(staff),
                        since=local_time(duty.created_at, workspace.config.tz)))


def _check_emergency(workspace, emergency: Record, at: datetime) -> None:
    """The emergency a call-out comes in for: an emergency, in progress at `at`."""
    from dutyctl.kinds.emergency import EMERGENCY as EMERGENCY_KIND
    from dutyctl.queries import closed_at
    from dutyctl.records import check_next_event

    require_kind(emergency, EMERGENCY_KIND.name)
    closed = closed_at(emergency, at)
    if closed is not None or emergency.created_at > at:
        raise Refused(t("emergency {id} was not in progress at {at}: a call-out comes in for "
                        "one in progress; nothing written", id=emergency.short_id,
                        at=local_time(at, workspace.config.tz)))
    check_next_event(emergency, LINK, at)


@frozen
class RestShort:
    """The next shift on site starts too soon after a call-out ended."""

    slot: Any
    rest: timedelta
    needed: timedelta


def under_way(store, everywhere: bool = False) -> list[Record]:
    """Every call-out not ended yet, oldest first: from the recent days only when the desk has
    no record index yet (cheap, for the night's own call-out); `everywhere`: from every day
    (the index is built if need be)."""
    return list(store.open_records(kinds=(KIND,), build=everywhere).records)


def end(workspace, staff: str | None, *, at: datetime, by: str,
        note: str | None = None) -> tuple[Record, RestShort | None]:
    """End the person's call-out at `at` (None: the one call-out under way, whoever's); and
    the next shift it leaves too little rest for."""
    lock = workspace.state_dir / "desk.lock"
    with exclusive(lock):
        out = under_way(workspace.store)
        mine = [record for record in out if staff is None or record.get("staff") == staff]
        ended = _end_found(workspace, staff, mine, at=at, by=by, note=note) if mine else None
    if ended is not None:
        return ended, rest_short(workspace, ended.get("staff"), at)
    # one started weeks ago (attendance asks for its return): looked for everywhere, the
    # index built first outside the desk lock, which other terminals' clock-ins wait on
    under_way(workspace.store, everywhere=True)
    with exclusive(lock):
        out = under_way(workspace.store, everywhere=True)
        mine = [record for record in out if staff is None or record.get("staff") == staff]
        if not mine:
            if staff is None:
                raise Refused(t("no call-out is under way: nothing written"))
            if out:
                raise Refused(t("{staff} has no call-out under way; under way: {callouts}: "
                                "nothing written", staff=known_as(workspace, staff),
                                callouts=_said(workspace, out)))
            raise Refused(t("{staff} has no call-out under way: nothing written",
                            staff=known_as(workspace, staff)))
        ended = _end_found(workspace, staff, mine, at=at, by=by, note=note)
    return ended, rest_short(workspace, ended.get("staff"), at)


def _end_found(workspace, staff: str | None, mine: list[Record], *, at: datetime, by: str,
               note: str | None) -> Record:
    """End the latest of `mine` (call-outs under way, oldest first; the desk lock held) with
    its copies from another desk (_end_twins)."""
    if staff is None and len({record.get("staff") for record in mine}) > 1:
        raise InputError(tn("{count} call-out is under way: {callouts}; name who is "
                            "back",
                            "{count} call-outs are under way: {callouts}; name who is "
                            "back", len(mine), callouts=_said(workspace, mine)))
    latest = mine[-1]
    staff = latest.get("staff")
    # several of one person begun within TWIN_WINDOW are one call-out two desks each recorded:
    # the earliest ends; an older one (forgotten weeks ago) is another's business
    current, *twins = [record for record in mine if record.get("staff") == staff
                       and latest.created_at - record.created_at <= TWIN_WINDOW]
    if at < current.created_at:  # a slip of the hour (3:40 for 5:40): say whose and when
        tz = workspace.config.tz
        raise InputError(lambda name: t(
            "the call-out of {staff} began at {since}: a return at {at} would be before it; "
            "check {option}: nothing written", staff=known_as(workspace, staff),
            since=local_time(current.created_at, tz), at=local_time(at, tz),
            option=name("at")))
    ended = workspace.store.append(current, END, at=at, by=by,
                                   note=(note or "").strip() or None)
    _end_twins(workspace, current, twins, at=at, by=by)
    return ended


def _end_twins(workspace, current: Record, twins: list[Record], *, at: datetime,
               by: str) -> None:
    """The person's later call-outs under way beside `current`: one desk never starts a
    second while one is under way, so each is the same call-out started on a desk that had
    not synced. Left under way, it would stay 出勤中 for ever and refuse the person's next
    call-out; ended at `at`, its hours would count twice. Each ends at its own start (no
    hours: `current` holds them all), and the desk is told."""
    from dutyctl import notices

    tz = workspace.config.tz
    for twin in twins:
        workspace.store.append(twin, END, at=twin.created_at, by=by)
        notices.warn(t(
            "{staff}'s call-out was recorded on two desks that had not synced: {id} (since "
            "{since}, recorded by {by}) and {twin} (since {twin_since}, recorded by {twin_by}); "
            "one call-out: it ends at {at} as {id}, and {twin} counts no hours",
            staff=known_as(workspace, current.get("staff")), id=current.short_id,
            since=local_time(current.created_at, tz), by=known_as(workspace, current.recorded_by),
            twin=twin.short_id, twin_since=local_time(twin.created_at, tz),
            twin_by=known_as(workspace, twin.recorded_by), at=local_time(at, tz)))


def repairs_served(store, call_out: Record) -> list[Record]:
    """The repairs the person went to on this call-out: the one it was filed for, and each
    still open that was sent to them after it began (`本单一并派给`), oldest first."""
    from dutyctl.kinds.repair import DISPATCH, REPAIR
    from dutyctl.records import ASSIGNED_TO, last_event

    found = []
    if call_out.get("repair"):
        try:
            found.append(store.get(str(call_out.get("repair"))))
        except DutyError:
            pass
    known = {record.id for record in found}
    for record in store.open_records((REPAIR.name,)).records:
        sent = last_event(record, DISPATCH)
        if (sent is not None and sent.data.get(ASSIGNED_TO) == call_out.get("staff")
                and sent.at >= call_out.created_at and record.id not in known):
            found.append(record)
    return found


def started_text(record: Record, names, tz) -> str:
    """What the desk is told when a call-out starts (`callout start`, a dispatch to the
    technician on call): who, since when, and the command that ends it."""
    staff = record.get("staff")
    return t("call-out of {staff} started at {at}: when they are back, run "
             "'dutyctl callout end {staff_id}'", staff=names.person(staff),
             at=local_time(record.created_at, tz), staff_id=names.typed(staff))


def _said(workspace, records: list[Record]) -> str:
    """Call-outs under way as a line: 高峰（02:10 起）, ..."""
    return t(", ").join(t("{staff} (since {since})", staff=known_as(workspace,
                                                                    record.get("staff")),
                          since=local_time(record.created_at, workspace.config.tz))
                        for record in records)


def rest_short(workspace, staff: str, ended: datetime) -> RestShort | None:
    from dutyctl.roster.onduty import assignments_between, cached_rules

    try:
        member = cached_rules(workspace).member(staff)
        if member is None:
            return None
        needed = timedelta(hours=member.limits.min_rest_hours)
        slots = assignments_between(workspace, ended, ended + needed)
    except DutyError:
        return None
    later = sorted((slot for slot in slots if slot.staff == staff and slot.start >= ended),
                   key=lambda slot: slot.start)
    if not later:
        return None
    return RestShort(later[0], later[0].start - ended, needed)


def session_of(record: Record) -> DutySession:
    return sessions.session_of(record, ended_by=END)


def sessions_of(records: Iterable[Record]) -> list[DutySession]:
    """Call-out records as sessions (end None: under way), by start. A person is called in
    once at a time: ended call-outs of one person that overlap are one, recorded on two
    desks that had not synced (one ended by its own desk before the sync, or at its own
    start by _end_twins), counted once from the earliest start to the latest end."""
    merged: list[DutySession] = []
    for session in sorted(map(session_of, records), key=lambda one: (one.staff, one.start)):
        last = next((one for one in reversed(merged) if one.staff == session.staff
                     and one.end is not None), None)
        if last is not None and session.end is not None and (session.start < last.end or
                                                             session.start == last.start):
            merged[merged.index(last)] = DutySession(last.record_id, last.staff, last.start,
                                                     max(last.end, session.end))
        else:
            merged.append(session)
    return sorted(merged, key=lambda one: one.start)


def callouts_between(store, since: date, until: date) -> list[DutySession]:
    """Call-outs started on days since..until (site zone), as sessions_of gives them."""
    return sessions_of(store.of_kinds(since, until, (KIND,), few_from_files=True).records)

