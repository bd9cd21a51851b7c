"""Reading the roster for the desk: slots near a moment, tolerant where the desk must go on,
and who acts when nobody is named (the person on duty, the desk's clerks first).

The roster engine (dutyctl.roster) is imported inside the functions, so that clocking in
still works while a roster file is broken (the duty is recorded, compared with nothing, and
the reason is shown).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable

from dutyctl import notices
from dutyctl.errors import DutyError, InputError, first_problem
from dutyctl.messages import t


def slots_between(workspace, start: datetime, end: datetime,
                  on_call: bool = False) -> list[Any]:
    """Every roster slot overlapping [start, end), sorted by start; on-call duties (at home)
    too with `on_call`.

    Errors in roster files propagate (a report must not silently show nothing)."""
    from dutyctl.roster.onduty import assignments_between

    return list(assignments_between(workspace, start, end, on_call=on_call))


def slots_or_none(workspace, start: datetime, end: datetime) -> list[Any] | None:
    """Like slots_between, but a broken roster gives None and one warning (on
    `dutyctl.notices`): the desk goes on."""
    return _tolerant(workspace, lambda: slots_between(workspace, start, end))


def _tolerant(workspace, lookup: Callable[[], list[Any]]) -> list[Any] | None:
    """The roster's answer; None and one warning when the roster or its rules cannot be read
    (naming which)."""
    from dutyctl.roster.onduty import rules_problem

    try:
        return lookup()
    except DutyError as exc:
        if rules_problem(workspace) is not None:
            notices.warn(t("roster rules unreadable, not compared with the roster: {reason}",
                           reason=first_problem(exc)))
        else:
            notices.warn(t("roster unreadable, not compared with it: {reason}",
                           reason=first_problem(exc)))
        return None


#: how far back the roster is read for the shifts an open duty may have run through by a
#: moment (连班: a day, its night and the next day on one clock-in, 36 hours)
CHAIN_REACH = timedelta(hours=48)


def chain_slots(workspace, at: datetime) -> list[Any]:
    """The roster's slots from CHAIN_REACH before `at` to `at`: those an open duty may have
    run through by then (`attendance.left_open` chains them), for the desk's questions of
    who is on site (`who`, a clock-in, a clock-out's relief, a call-out, a dispatch), which
    asked with the slots of the moment alone and lost the night in the middle of a day,
    night and day. Nothing where the roster cannot be read: the duty's own shift then, as
    without a roster (the caller's own reading says what is wrong)."""
    try:
        return chain_slots_strict(workspace, at)
    except DutyError:
        return []


def chain_slots_strict(workspace, at: datetime, on_call: bool = False) -> list[Any]:
    """`chain_slots`, a roster that cannot be read raising its error; on-call duties too
    with `on_call` (`roster.onduty.covering` then gives the moment's, as `slots_at`, from
    the same read: a dispatch's)."""
    from dutyctl.roster.onduty import MOMENT

    return slots_between(workspace, at - CHAIN_REACH, at + MOMENT, on_call)


def moment_and_chain(workspace, at: datetime,
                     role: str | None = None) -> tuple[list[Any], list[Any]]:
    """The roster read once for a question of the desk at `at`: (the moment's slots, as
    `roster.onduty.slots_at` gives them, on call too, optionally only `role`'s; the chain,
    `chain_slots_strict(..., on_call=True)`: every shift an open duty may have run through
    by then). A roster of the days before that cannot be read: the moment's read alone
    (raising as `slots_at` does) and no chain, as `chain_slots` gives none."""
    from dutyctl.roster.onduty import covering, slots_at

    try:
        chain = chain_slots_strict(workspace, at, on_call=True)
    except DutyError:
        return slots_at(workspace, at, role), []
    return covering(chain, at, role), chain


def chained_left_open(workspace) -> Callable[[Any, datetime], bool]:
    """For `views.status_at` (`list`, `show`): whether a duty past the shift it was clocked
    in for is still left open over the shifts it ran into (连班), as `who` and `attendance`
    judge it (`attendance.left_open` over `chain_slots`), the roster read once a moment and
    only for such a duty."""
    read: dict[datetime, list[Any]] = {}

    def chained(record, at: datetime) -> bool:
        from dutyctl.desk.attendance import left_open
        from dutyctl.desk.sessions import window

        if at not in read:
            read[at] = chain_slots(workspace, at)
        return left_open(record, at, window(workspace.config), read[at])
    return chained


def coming_on(workspace, staff: str, at: datetime) -> list[Any]:
    """Whom someone not on duty hands over to: attendance.relief_slots of a leaver with no
    shift of their own, among the slots `who` looks through for the next handover
    (roster.onduty.slots_ahead): others' slots starting after `at`, soonest first (a broken
    roster: nobody)."""
    from dutyctl.desk.attendance import relief_slots
    from dutyctl.roster.onduty import HANDOVER_HORIZON, slots_ahead

    slots = _tolerant(workspace, lambda: slots_ahead(workspace, at,
                                                      horizon=HANDOVER_HORIZON)) or ()
    return relief_slots(slots, staff, since=at, at=at, window=HANDOVER_HORIZON)


def on_duty(workspace, at: datetime) -> list[str]:
    """Staff on duty at `at` per the roster (overrides applied), the desk's clerks first (the
    role that answers the desk's phone: `desk: clerk_role` of dutyctl.yaml, by default
    service); [] when no roster covers it."""
    from dutyctl.roster.onduty import slots_at

    try:
        on_site = [slot for slot in slots_at(workspace, at) if not slot.on_call]
    except DutyError:
        return []  # broken rules or roster: the caller asks for --staff; `check` says why
    clerk = workspace.config.clerk_role
    clerks_first = sorted(on_site, key=lambda slot: slot.role != clerk)  # stable: by start
    return list(dict.fromkeys(slot.staff for slot in clerks_first))


def resolve_actor(workspace, named: str | None, at: datetime) -> str:
    """The staff id of `named` (id or name), else the first person on duty at `at`."""
    if named:
        from dutyctl.people import resolve_staff

        return resolve_staff(workspace, named)
    on_shift = on_duty(workspace, at)
    if on_shift:
        return on_shift[0]
    raise InputError(lambda name: t("who is acting? pass {staff} ID or set DUTYCTL_USER",
                                    staff=name("staff")))


def readable_rules(workspace):
    """The roster rules, or None when they cannot be read: what the desk's attendance asks
    of them (calendar, staff order and roles, leave) is then unknown, never a refusal."""
    from dutyctl.roster.onduty import cached_rules

    try:
        return cached_rules(workspace)
    except DutyError:
        return None


def leave_of(workspace):
    """The rules' leave as attendance asks it (`attendance.LeaveOf`), or None when the rules
    cannot be read (a shift not attended is then absent, as before leave could be told)."""
    rules = readable_rules(workspace)
    return rules.leave_on if rules is not None else None


def not_on_leave(workspace, slots: list[Any]) -> list[Any]:
    """`slots` but those whose person the rules list on leave that day (sick leave entered
    after the roster: a handover to them waited for an acceptance that never came)."""
    on_leave = leave_of(workspace)
    if on_leave is None:
        return slots
    return [slot for slot in slots if on_leave(slot.staff, slot.date) is None]
