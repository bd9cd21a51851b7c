"""Who is on duty: the roster files turned into dated slots, manual overrides applied.

This is the API the shift desk, tickets and reports import (lazily); see the roster contract.
Files are parsed once per process and re-read when they change on disk.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from dutyctl import timeutil
from dutyctl.caches import process_cache
from dutyctl.errors import NotFound, Problem, ProblemsFound
from dutyctl.frozen import frozen
from dutyctl.messages import current_language, t
from dutyctl.roster.rosterfile import Override, Roster, read_roster, roster_files
from dutyctl.roster.rules import Rules, read_rules, shift_bounds
from dutyctl.rulesfile import rules_path
from dutyctl.yamlcache import file_stamp

if TYPE_CHECKING:  # imported where used: `who` reads this module and never counts loads
    from dutyctl.roster.stats import Worked


@frozen
class Slot:
    date: date            # day the shift starts
    shift_id: str
    shift_name: str
    role: str
    staff: str | None     # None = unfilled
    start: datetime       # aware, site zone
    end: datetime         # aware, site zone (next day for a night shift)
    position: int = 0     # which place of that day's shift and role (0 = the first listed)
    since: datetime | None = None  # when `staff` was put here (generated or overridden)
    on_call: bool = False  # 备班: reachable at home, not at the desk
    overridden: bool = False  # an override (or swap) put `staff` here
    before: tuple[str, ...] = ()  # who held the place before the overrides, earliest first

    def covers(self, at: datetime) -> bool:
        return self.start <= at < self.end


class _Place:
    """A mutable place while overrides are applied in order."""

    __slots__ = ("day", "shift", "role", "staff", "line", "override", "before")

    def __init__(self, day: date, shift: str, role: str, staff: str | None, line: int = 0,
                 override: Override | None = None) -> None:
        self.day, self.shift, self.role, self.staff = day, shift, role, staff
        self.line = line  # of the entry that put `staff` here
        self.override = override
        self.before: list[str] = []  # who held it before each override, earliest first


@frozen
class Applied:
    """Assignments with overrides applied, and the overrides that found no place."""

    places: tuple[_Place, ...]
    unmatched: tuple[Override, ...]


def initial_places(roster: Roster) -> list[_Place]:
    """The roster's places as generated (assignments, then unfilled places), no override
    applied; `apply_overrides` and the roster merge (`merging`) fill them alike."""
    places = [_Place(a.day, a.shift, a.role, a.staff, a.line) for a in roster.assignments]
    return places + [_Place(g.day, g.shift, g.role, None, g.line) for g in roster.unfilled]


def extra_place(override: Override) -> _Place:
    """The place an override replacing nobody adds when its shift has no open one left."""
    return _Place(override.day, override.shift, override.role or "", None, override.line)


def apply_overrides(roster: Roster) -> Applied:
    places = initial_places(roster)
    unmatched = []
    for override in roster.overrides:
        place = find_place(places, override)
        if place is None and override.replaces is None:
            place = extra_place(override)
            places.append(place)  # an extra person on that shift
        if place is None:
            unmatched.append(override)
            continue
        if place.staff:
            place.before.append(place.staff)
        place.staff, place.override, place.line = override.staff, override, override.line
    places.sort(key=lambda p: (p.day, p.shift, p.role))
    return Applied(tuple(places), tuple(unmatched))


def find_place(places: list[_Place], override: Override) -> _Place | None:
    """The first place `override` takes: its day and shift (and role when it names one), held
    by whom it replaces (None: an open place)."""
    for place in places:
        if (place.day == override.day and place.shift == override.shift
                and (override.role is None or place.role == override.role)
                and place.staff == override.replaces):
            return place
    return None


def roster_slots(roster: Roster, rules: Rules, tz: tzinfo) -> list[Slot]:
    """Every slot of one roster (overrides applied); entries naming unknown shifts or a day
    outside the roster's period (9999-12-31: no time follows it) are left out here and
    reported by `dutyctl roster check`."""
    slots, seats = [], {}
    generated_at = timeutil.from_iso(str(roster.generated.get("at", "")))
    set_at = _overrides_set_at(roster, generated_at)
    for place in apply_overrides(roster).places:
        shift = rules.shift(place.shift)
        if shift is None or not roster.first <= place.day <= roster.last:
            continue
        start, end = shift_bounds(place.day, shift, tz)
        key = (place.day, shift.id, place.role)
        seats[key] = position = seats.get(key, -1) + 1
        since = set_at[id(place.override)] if place.override else generated_at
        slots.append(Slot(place.day, shift.id, shift.name, place.role, place.staff, start, end,
                          position, since, shift.on_call, place.override is not None,
                          tuple(place.before)))
    slots.sort(key=lambda s: (s.start, s.shift_id, s.role, s.staff or ""))
    return slots


def _overrides_set_at(roster: Roster, generated_at: datetime | None) -> dict[int, datetime]:
    """When each override (by id()) set its place, as a calendar must see it: after the
    generation and after every override before it in the file, a minute at least, whatever
    its own `at` (a change recorded with the time it was agreed, before a regeneration or
    an override written since). A phone drops an update whose SEQUENCE (`export.sequence`)
    is not higher than the one it has: the old person stayed on its calendar."""
    found: dict[int, datetime] = {}
    latest = generated_at
    for override in roster.overrides:
        at = override.at
        if latest is not None and (at is None or at <= latest):
            at = latest + timedelta(minutes=1)
        found[id(override)] = latest = at
    return found


def roster_worked(roster: Roster, rules: Rules, tz: tzinfo, first: date,
                  last: date) -> list[Worked]:
    """The shifts worked in first..last of one roster (overrides applied), as `stats.Worked`,
    in `roster_slots`' order and with its hours, without building the slots: a month generated
    after its year reads every earlier roster of the year (L's December: 14,274 shifts, whose
    slots were 124 ms of each generate)."""
    from dutyctl.roster.stats import Worked

    low, high = max(first, roster.first), min(last, roster.last)
    shifts = rules.shift_by_id
    bounds: dict[tuple[date, str], tuple[datetime, float]] = {}  # a day's shift: start, hours
    # the order the overrides leave the places in is not kept: the shifts are sorted below
    places = apply_overrides(roster).places if roster.overrides else roster.assignments
    found = []
    for place in places:
        staff, day = place.staff, place.day
        if not staff or not low <= day <= high:
            continue
        shift = shifts.get(place.shift)
        if shift is None:
            continue
        known = bounds.get((day, shift.id))
        if known is None:
            begin, end = shift_bounds(day, shift, tz)
            known = bounds[(day, shift.id)] = (begin, (end.timestamp() - begin.timestamp())
                                               / 3600)
        found.append((known[0], shift.id, place.role, staff, day, known[1]))
    found.sort(key=lambda item: item[:4])
    return [Worked(staff, day, shift, hours) for _, shift, _, staff, day, hours in found]


# --- cached reading -------------------------------------------------------------------------

_CACHE: dict[tuple, object] = process_cache({})


def cached_read_rules(workspace) -> tuple[Rules, list[Problem]]:
    """`rules.read_rules`, read once while rules.yaml is unchanged: best-effort rules and
    every problem."""
    path = rules_path(workspace)
    # its problems are said in the language of the command: a process may run both (tests)
    key = ("rules", str(path), file_stamp(path), workspace.config.timezone_name,
           current_language())
    if key not in _CACHE:
        _CACHE[key] = read_rules(workspace)
    return _CACHE[key]


def cached_rules(workspace) -> Rules:
    """The rules, or ProblemsFound with every problem: a shift dropped for an unquoted 8:00
    would otherwise silently vanish from `who`, the desk's verdicts, exports and reports."""
    rules, problems = cached_read_rules(workspace)
    if problems:
        raise ProblemsFound(problems)
    return rules


def cached_roster(workspace, path: Path) -> tuple[Roster | None, list[Problem]]:
    key = ("roster", str(path), file_stamp(path), current_language())
    if key not in _CACHE:
        _CACHE[key] = read_roster(path, workspace.relative(path), workspace.cache_dir)
    return _CACHE[key]


def readable_roster(workspace, path: Path, *, quiet: bool = False) -> Roster:
    """The roster file at `path`; one that cannot be read (a conflict marker, a cut write) is
    ProblemsFound, each problem at its line: what it holds decides who may work, who is on
    duty and what is carried, so it is never taken for "no roster here". An entry it holds
    that cannot be read (a date written as a number, a role as a list, an assignment written
    twice) is read around, and said as a file read around is (`notices.skipped`, once per
    command: `skipped: rosters/2026-12.yaml:35: …`), never dropped unsaid; `quiet`: by none
    but a caller that refuses a roster read in part, saying why (an edit)."""
    from dutyctl import notices

    roster, problems = cached_roster(workspace, path)
    if roster is None:
        raise ProblemsFound(problems or [Problem(workspace.relative(path), None,
                                                 t("unreadable roster"))])
    for problem in () if quiet else problems:
        notices.skipped(problem)
    return roster


def cached_slots(roster: Roster, rules: Rules, tz: tzinfo) -> list[Slot]:
    """`roster_slots` of a roster as read from its file (`cached_roster`), built once while
    the file and the rules are unchanged; the list is shared: not to be changed. Kept only
    for the very parse the file's stamp names now: a file rewritten since `roster` was read
    (a pull during a check) gets its slots built, never filed under the new stamp; a
    roster built in memory (no `path`) too."""
    if roster.path is None:
        return roster_slots(roster, rules, tz)
    stamp = file_stamp(roster.path)
    parsed = _CACHE.get(("roster", str(roster.path), stamp, current_language()))
    if parsed is None or parsed[0] is not roster:
        return roster_slots(roster, rules, tz)
    key = ("slots", str(roster.path), stamp, rules.sha256, str(tz))
    if key not in _CACHE:
        _CACHE[key] = roster_slots(roster, rules, tz)
    return _CACHE[key]


def rosters_between(workspace, first: date, last: date) -> list[Roster]:
    """Rosters whose period overlaps [first, last], by period start. One that cannot be read
    at all (a conflict marker, a truncated file) is ProblemsFound, never "no roster here", as
    are two of them for one day (a copy another desk committed): never each place twice."""
    found = []
    for path, start, end in roster_files(workspace):
        if start is None or start > last or end < first:
            continue
        found.append(readable_roster(workspace, path))
    found.sort(key=lambda r: r.first)
    for earlier, later in zip(found, found[1:]):  # two rosters for one day: counted twice
        if later.first <= earlier.last:
            raise ProblemsFound([Problem(workspace.relative(later.path), None, t(
                "overlaps {other}: two rosters for the same days",
                other=workspace.relative(earlier.path)))])
    return found


def shifts_unknown(workspace, rules: Rules, first: date, last: date) -> list[str]:
    """The shifts the rosters of first..last hold places of on those days that `rules` no
    longer has (a shift renamed since): their places are in no slot (`roster_slots`), so
    `who` would say nobody is on duty where the roster has someone."""
    found = {place.shift for roster in rosters_between(workspace, first, last)
             for place in (*roster.assignments, *roster.unfilled)
             if first <= place.day <= last and rules.shift(place.shift) is None}
    return sorted(found)


def days_without_roster(workspace, first: date, last: date) -> list[date]:
    """The days first..last that no roster file's period covers (by the files' names, none
    read): a week running into a month whose roster was never generated."""
    covered = [(start, end) for _path, start, end in roster_files(workspace)
               if start is not None]
    days, day = [], first
    while day <= last:
        if not any(start <= day <= end for start, end in covered):
            days.append(day)
        day += timedelta(days=1)
    return days


def assignments_between(workspace, start: datetime, end: datetime,
                        on_call: bool = False) -> list[Slot]:
    """Every slot overlapping [start, end) from the roster files, overrides applied, sorted by
    start. On-call duties (at home) only with `on_call`: the desk's attendance, coverage and
    "who is here" mean people on site."""
    tz = workspace.config.tz
    longest = timedelta(days=1)  # a slot starts at most a day before it ends
    first = (start.astimezone(tz) - longest).date()
    last = end.astimezone(tz).date()
    rosters = rosters_between(workspace, first, last)
    if not rosters:
        return []  # no roster, no rules needed: a site may run without rosters
    rules = cached_rules(workspace)
    slots = []
    for roster in rosters:
        for slot in cached_slots(roster, rules, tz):
            if slot.start < end and slot.end > start and (on_call or not slot.on_call):
                slots.append(slot)
    slots.sort(key=lambda s: (s.start, s.shift_id, s.role, s.staff or ""))
    return slots


def slots_between(workspace, first: date, last: date) -> list[Slot]:
    """Every place of the days first..last (by the day its shift starts), filled or not, on
    call too, overrides applied; NotFound when no roster covers those days."""
    tz = workspace.config.tz
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    slots = [slot for slot in assignments_between(workspace, start, end, on_call=True)
             if first <= slot.date <= last]
    if not slots:
        raise _no_roster(first, last)
    return slots


def worked_between(workspace, first: date, last: date) -> list[Worked]:
    """The shifts worked on the days first..last (by the day each starts), on call too,
    overrides applied, as `stats.Worked` in the slots' order (`roster_worked`: no slot
    built; `roster stats` over a year counts 15,000 of them); NotFound when no roster covers
    those days. Rosters that cover them with no place on them count nothing."""
    rosters = rosters_between(workspace, first, last)
    if not rosters:
        raise _no_roster(first, last)
    rules, tz = cached_rules(workspace), workspace.config.tz
    # rosters never share a day (`rosters_between`), so theirs in turn are in slot order
    return [worked for roster in rosters
            for worked in roster_worked(roster, rules, tz, first, last)]


def _no_roster(first: date, last: date) -> NotFound:
    from dutyctl.output import date_label

    from dutyctl.roster.rosterfile import generate_command

    return NotFound(t("no roster covers {first}..{last}: run '{command}'",
                      first=date_label(first), last=date_label(last),
                      command=generate_command(first, last)))


def with_lacking_seats(slots: list[Slot], rules: Rules, tz: tzinfo | None = None) -> list[Slot]:
    """`slots` and, unfilled, the seats the rules need that a roster lacks (a headcount
    raised since it was made: `[缺1名客服专员]` on the grid), for each day and shift the
    roster has, and (`tz` given) each shift the rules added since, on the days the roster
    has (a 中班 added: a blank column, where `check` said each day's coverage): what the
    reports count as unfilled, as `roster show` and `check` do."""
    seats: dict[tuple, Counter] = {}
    first: dict[tuple, Slot] = {}
    for slot in slots:
        key = (slot.date, slot.shift_id)
        seats.setdefault(key, Counter())[slot.role] += 1
        first.setdefault(key, slot)
    lacking = []
    for key, held in seats.items():
        shift = rules.shift(key[1])
        for role, headcount in (shift.need if shift else ()):
            model = first[key]
            lacking += [Slot(model.date, model.shift_id, model.shift_name, role, None,
                             model.start, model.end, held[role] + extra, None, model.on_call)
                        for extra in range(headcount - held[role])]
    days = {slot.date for slot in slots}
    if tz is not None and days:
        from dutyctl.roster.positions import occurrences

        for day, shift in occurrences(rules, min(days), max(days)):
            if day in days and (day, shift.id) not in seats:
                start, end = shift_bounds(day, shift, tz)
                lacking += [Slot(day, shift.id, shift.name, role, None, start, end, seat, None,
                                 shift.on_call)
                            for role, headcount in shift.need for seat in range(headcount)]
    return sorted([*slots, *lacking], key=lambda s: (s.start, s.shift_id, s.role,
                                                     s.staff or ""))


MOMENT = timedelta(seconds=1)  # the span a moment's slots are asked over


def slots_at(workspace, at: datetime, role: str | None = None) -> list[Slot]:
    """The one definition of who is on duty: the filled slots covering `at` (optionally only
    that role), on site and on call (备班, `Slot.on_call`) alike, sorted by start."""
    return covering(assignments_between(workspace, at, at + MOMENT, on_call=True), at, role)


def open_places_at(workspace, rules: Rules, at: datetime, tz: tzinfo | None,
                   role: str | None = None, on_call: bool = False) -> Counter:
    """The places on site the roster leaves open at `at` (optionally only that role's), the
    seats a raised headcount lacks too (`with_lacking_seats`): (date, shift's name, role) ->
    how many, in the roster's order. `on_call`: the on-call places (备班, at home) instead."""
    slots = with_lacking_seats(assignments_between(workspace, at, at + MOMENT, on_call=on_call),
                               rules, tz)
    return Counter((slot.date, slot.shift_name, slot.role) for slot in slots
                   if slot.staff is None and bool(slot.on_call) == on_call and slot.covers(at)
                   and (role is None or slot.role == role))


def covering(slots: list[Slot], at: datetime, role: str | None = None) -> list[Slot]:
    """Of `slots` (read over a wider span, on call too), those `slots_at` gives for `at`."""
    return [slot for slot in slots if slot.staff and slot.start < at + MOMENT and slot.end > at
            and (role is None or slot.role == role)]


def on_call_slots(workspace, at: datetime, role: str | None = None,
                  kept_off: bool = False, slots: list[Slot] | None = None) -> list[Slot]:
    """The on-call duties (备班, at home) covering `at`, optionally only that role's; not one
    whose person the rules keep from work that day since the roster was made (leave, gone:
    `Rules.kept_off`), whom a call-out or a repair sent to by default reached at home sick;
    `kept_off`: only those. `slots`: the roster's read over `at` when the caller has them
    (`desk.rostered.moment_and_chain`), else read here."""
    found = slots_at(workspace, at, role) if slots is None else covering(slots, at, role)
    found = [slot for slot in found if slot.on_call]
    if found:
        rules = cached_rules(workspace)
        found = [slot for slot in found if rules.kept_off(slot.staff, slot.date) == kept_off]
    return found


def staff_on_call(workspace, at: datetime, role: str | None = None,
                  kept_off: bool = False, slots: list[Slot] | None = None) -> list[str]:
    """The people of `on_call_slots` (the same arguments)."""
    return _people(on_call_slots(workspace, at, role, kept_off, slots))


def _people(slots) -> list[str]:
    return list(dict.fromkeys(slot.staff for slot in slots))


@frozen
class Handover:
    at: datetime
    leaving: tuple[Slot, ...]
    arriving: tuple[Slot, ...]


HANDOVER_HORIZON = timedelta(days=3)  # how far ahead the next handover is looked for


def slots_ahead(workspace, at: datetime, role: str | None = None,
                horizon: timedelta = HANDOVER_HORIZON) -> list[Slot]:
    """The filled slots on site overlapping `horizon` after `at` (optionally only that
    role), sorted by start: where the next handover is looked for (`who`), and the next
    shift to come on (`desk.rostered.coming_on`: whom someone not on duty hands over to).
    One on leave that day, or gone (the rules say so since the roster was made:
    `Rules.kept_off`) neither comes on nor goes off: `who` named the clerk off sick as
    handing over at 20:00."""
    found = [slot for slot in assignments_between(workspace, at, at + horizon)
             if slot.staff and (role is None or slot.role == role)]
    if not found:
        return found
    rules = cached_rules(workspace)
    return [slot for slot in found if not rules.kept_off(slot.staff, slot.date)]


def next_handover(workspace, at: datetime, role: str | None = None,
                  horizon: timedelta = HANDOVER_HORIZON) -> Handover | None:
    """The next moment after `at` when someone goes off or comes on duty."""
    slots = slots_ahead(workspace, at, role, horizon)
    moments = sorted({slot.end for slot in slots if slot.covers(at)}
                     | {slot.start for slot in slots if slot.start > at})
    if not moments:
        return None
    moment = moments[0]
    leaving = tuple(slot for slot in slots if slot.end == moment)
    arriving = tuple(slot for slot in slots if slot.start == moment)
    return Handover(moment, leaving, arriving)


def next_real_handover(workspace, handover: Handover | None, role: str | None = None,
                       horizon: timedelta = HANDOVER_HORIZON
                       ) -> tuple[list[Handover], Handover | None]:
    """(the moments passed over, the next real handover) from `handover` (next_handover's):
    a moment where someone only goes off duty (前台 ending 17:30 in a 白班 that goes on to
    20:00) or only comes on (前台 starting 08:30 in it) while others stay on hands over to
    nobody and from nobody; the first later one where someone hands over, or the desk empties
    or fills, is the handover."""
    passed: list[Handover] = []
    for _ in range(24):  # a day of shifts starting and ending one by one, at most
        if handover is None or (handover.leaving and handover.arriving) or not _stays_on(
                workspace, handover, role, horizon):
            return passed, handover
        passed.append(handover)
        handover = next_handover(workspace, handover.at, role, horizon)
    return passed, handover


def _stays_on(workspace, handover: Handover, role: str | None, horizon: timedelta) -> bool:
    """Whether someone on site (not on call at home) is on duty across `handover`, neither
    leaving nor arriving at it."""
    moving = {(slot.staff, slot.start) for slot in (*handover.leaving, *handover.arriving)}
    return any(slot.covers(handover.at) and not slot.on_call
               and (slot.staff, slot.start) not in moving
               for slot in slots_ahead(workspace, handover.at, role, horizon))


# --- without the rules ----------------------------------------------------------------------

def rules_problem(workspace) -> str | None:
    """Why the rules cannot be read (`path:line: problem`, and how many more), None when they
    can: what a command that goes on without them says. A roster file that cannot be read is
    not this: it is refused as before (a report must not pass over it)."""
    from dutyctl.errors import DutyError, first_problem

    try:
        cached_rules(workspace)
    except DutyError as exc:
        return first_problem(exc)
    return None


@frozen
class Place:
    """A place of a roster file as written (overrides applied), without the rules: no times,
    ids only. What a desk still shows when rosters/rules.yaml cannot be read."""

    date: date
    shift_id: str
    role: str
    staff: str | None
    overridden: bool = False


def places_between(workspace, first: date, last: date) -> list[Place]:
    """Every place of the days first..last from the roster files, read without the rules
    (which give a shift its times and names): by day, shift and role. A roster file that
    cannot be read is ProblemsFound, as for `assignments_between`."""
    places = []
    for roster in rosters_between(workspace, first, last):
        for place in apply_overrides(roster).places:
            if first <= place.day <= last:
                places.append(Place(place.day, place.shift, place.role, place.staff,
                                    place.override is not None))
    return sorted(places, key=lambda p: (p.date, p.shift_id, p.role, p.staff or ""))
