"""Capacity: the hours a role's shifts need against the most its staff can give.

When places stay unfilled, the first thing a supervisor needs to know is whether any roster
could fill them. For each role (then the roles that share staff, taken together; then each
shift, where one shift is short while its role as a whole is not) this compares the hours the
positions need with an upper bound on what the eligible staff can work in the period:

    per person and ISO week: min(max_hours_per_week - hours already worked in that week in
    neighbouring rosters, the most hours of the week's shifts on the person's available days
    that keep min_rest_hours between shifts and no run longer than max_consecutive_days
    (max_nights_in_a_row as well, when every shift counted is a night))

The bound ignores runs and rest across a week's edges and the other rules, so it is optimistic:
when it says "short", no roster can fill every place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterator

from dutyctl.messages import t
from dutyctl.roster.positions import Position
from dutyctl.roster.rules import Limits, Rules, Staff
from dutyctl.roster.timeline import Work, sum_in_order, week_of

Instance = tuple[int, int, int]  # (day ordinal, start, end epoch seconds) of one shift


#: the finding key of a shortage of staff hours (json/yaml/csv)
SHORTAGE_RULE = "capacity"


@dataclass(frozen=True)
class Shortage:
    roles: tuple[str, ...]  # one role, or roles sharing staff taken together
    shift: str | None  # None: the roles' shifts as a whole
    needed: float  # hours of positions
    most: float  # upper bound on the hours the eligible staff can give
    staff: int  # how many people can take them
    weeks: float  # length of the period in weeks, for "a week" figures
    shift_name: str | None = None
    week: date | None = None  # a week short on its own (leave bunched): its Monday
    free: int | None = None  # ... and how many of `staff` are free some day of it

    @property
    def role(self) -> str:
        return self.roles[0]

    def describe(self, role_name: Callable[[str], str] = str) -> str:
        """One sentence, roles by their configured names (`role_name`: id -> name)."""
        values = dict(role=role_name(self.role), shift=self.shift_name or self.shift,
                      count=self.staff, needed=round(self.needed), most=round(self.most),
                      short=round(self.needed - self.most),
                      needed_week=round(self.needed / self.weeks),
                      most_week=round(self.most / self.weeks))
        if self.week is not None:
            from dutyctl.output import day_label

            values.update(monday=day_label(self.week), free=self.free)
            if self.free is not None and self.free < self.staff:
                return t("capacity: in the week from {monday} the {role} shifts need {needed} h; "
                         "only {free} of the {count} {role} staff are free that week (the others "
                         "on leave or not employed) and can give at most {most} h under their "
                         "limits: {short} h cannot be filled", **values)
            return t("capacity: in the week from {monday} the {role} shifts need {needed} h; the "
                     "{count} {role} staff can give at most {most} h that week under their "
                     "limits and leave: {short} h cannot be filled", **values)
        if len(self.roles) > 1:
            return t("capacity: the shifts of {roles} together need {needed} h ({needed_week} h "
                     "a week); the {count} staff who hold these roles can give at most {most} h "
                     "({most_week} h a week) under their limits and leave: {short} h cannot be "
                     "filled", roles=t(", ").join(role_name(r) for r in self.roles), **values)
        if self.shift is None:
            return t("capacity: the {role} shifts need {needed} h ({needed_week} h a week); the "
                     "{count} {role} staff can give at most {most} h ({most_week} h a week) "
                     "under their limits and leave: {short} h cannot be filled", **values)
        return t("capacity: the {shift} shift needs {needed} h of {role} ({needed_week} h a "
                 "week); the {count} {role} staff can give it at most {most} h ({most_week} h "
                 "a week) under their limits and leave: {short} h cannot be filled", **values)

    def data(self) -> dict:
        """The figures for the machine formats (ids, hours)."""
        found = {"rule": SHORTAGE_RULE, "roles": list(self.roles), "shift": self.shift,
                 "needed_hours": round(self.needed, 2), "most_hours": round(self.most, 2),
                 "short_hours": round(self.needed - self.most, 2), "staff": self.staff}
        if self.week is not None:
            found.update(week=self.week.isoformat(), free_staff=self.free)
        return found


def _week_most(instances: tuple[Instance, ...], rest: int, run_limit: int) -> float:
    """Most hours from one week's shift instances (sorted by start): a chain with `rest`
    seconds between shifts and no more than `run_limit` days in a row."""
    run_limit = max(min(run_limit, 7), 0)
    if not run_limit:
        return 0.0
    # best[i][r]: the most hours of a chain ending with instance i, its run of days r + 1 long
    # (the loops written out: the same maxima of the same sums; after a day off, the best
    # of a row plus the hours, which is the best of each plus them, rounding being monotone)
    none = float("-inf")
    runs = range(run_limit - 1)
    best: list[list[float]] = []
    for i, (day, start, end) in enumerate(instances):
        hours = (end - start) / 3600
        row = [none] * run_limit
        row[0] = hours
        for j in range(i):
            before_day, _, before_end = instances[j]
            if before_end + rest > start:
                continue
            earlier = best[j]
            if day == before_day:
                for r, value in enumerate(earlier):
                    if value != none and value + hours > row[r]:
                        row[r] = value + hours
            elif day == before_day + 1:
                for r in runs:
                    value = earlier[r]
                    if value != none and value + hours > row[r + 1]:
                        row[r + 1] = value + hours
            else:
                value = max(earlier)
                if value != none and value + hours > row[0]:
                    row[0] = value + hours
        best.append(row)
    return max((max(row) for row in best), default=0.0)


class _Bound:
    """Upper bounds per person, memoised on what decides them (the week's shifts on the
    person's available days and the limits), since most staff share contracts."""

    def __init__(self, worked: dict[str, dict[int, float]], first: int, last: int):
        self.worked = worked
        self.days = range(first, last + 1)
        self.away: dict[str, frozenset[int]] = {}  # staff id -> day ordinals not available
        self.memo: dict[tuple, float] = {}
        self.patterns: dict[tuple, int] = {}

    def _away(self, member: Staff) -> frozenset[int]:
        if member.id not in self.away:
            self.away[member.id] = frozenset(
                day for day in self.days
                if member.unavailable_reason(date.fromordinal(day)) is not None)
        return self.away[member.id]

    def pattern(self, instances: tuple[Instance, ...]) -> int:
        """The same shifts in another week (relative to its first) have the same number."""
        if not instances:
            return -1
        week, base = week_of(instances[0][0]), instances[0][1]
        shape = tuple((day - week, start - base, end - base) for day, start, end in instances)
        return self.patterns.setdefault(shape, len(self.patterns))

    def person_weeks(self, member: Staff, weeks: dict[int, tuple[int, tuple[Instance, ...]]],
                     nights_only: bool) -> dict[int, float]:
        """The bound of each week in `weeks` for `member`."""
        limits: Limits = member.limits
        run_limit = limits.max_consecutive_days
        if nights_only:
            run_limit = min(run_limit, limits.max_nights_in_a_row)
        rest = int(limits.min_rest_hours * 3600)
        away = self._away(member)
        most = {}
        mine = self.worked.get(member.id, {})
        for week, (pattern, found) in weeks.items():
            missing = away.intersection(range(week, week + 7)) if away else frozenset()
            key = (pattern, frozenset(day - week for day in missing), rest, run_limit)
            if key not in self.memo:
                shifts = tuple(i for i in found if i[0] not in missing) if missing else found
                self.memo[key] = _week_most(shifts, rest, run_limit)
            room = max(limits.max_hours_per_week - mine.get(week, 0.0), 0.0)
            most[week] = min(room, self.memo[key])
        return most

    def weeks(self, instances) -> dict[int, tuple[int, tuple[Instance, ...]]]:
        """Shift instances by ISO week: week -> (pattern, the week's instances by start)."""
        per_week: dict[int, list[Instance]] = defaultdict(list)
        for instance in sorted(set(instances), key=lambda i: (i[1], i[2])):
            per_week[week_of(instance[0])].append(instance)
        return {week: (self.pattern(tuple(found)), tuple(found))
                for week, found in per_week.items()}


def shortages(rules: Rules, positions: list[Position],
              history: dict[str, list[Work]] | None = None) -> list[Shortage]:
    """Roles, then roles sharing staff, then single shifts whose positions need more hours
    than anyone could give. On-call duties need no hours worked: they are left out."""
    positions = [p for p in positions if not p.on_call]
    if not positions:
        return []
    weeks = max((positions[-1].day - positions[0].day).days + 1, 1) / 7
    bound = _bound(positions, history)

    def short(roles: tuple[str, ...], shift_id: str | None) -> Shortage | None:
        mine = [p for p in positions if p.role in roles
                and (shift_id is None or p.shift.id == shift_id)]
        shift = rules.shift(shift_id) if shift_id else None
        return _shortage(rules, roles, shift_id, shift.name if shift else None, mine, bound,
                         weeks)

    found = []
    roles = sorted({p.role for p in positions})
    short_roles = set()
    for role in roles:
        shortage = short((role,), None)
        if shortage is not None:
            found.append(shortage)
            short_roles.add(role)
    for group in _shared_staff(rules, roles):
        if not short_roles & set(group) and (shortage := short(group, None)) is not None:
            found.append(shortage)
            short_roles |= set(group)
    for role in roles:
        if role in short_roles:
            continue
        for shift_id in sorted({p.shift.id for p in positions if p.role == role}):
            if (shortage := short((role,), shift_id)) is not None:
                found.append(shortage)
                short_roles.add(role)
    if weeks > 1:  # a role enough over the period can still be short in one week
        found += [shortage for role in roles if role not in short_roles
                  for shortage in _weeks_short(rules, role, positions, history)]
    return found


def _weeks_short(rules: Rules, role: str, positions: list[Position],
                 history: dict[str, list[Work]] | None) -> list[Shortage]:
    """The ISO weeks whose `role` positions need more hours than its holders could give in
    that week (two of five on leave in one week): the cause of places a month with enough
    hours as a whole leaves open."""
    mine = [p for p in positions if p.role == role]
    most = week_most(rules, role, mine, history)
    needed: dict[int, float] = defaultdict(float)
    for p in mine:
        needed[week_of(p.day.toordinal())] += p.hours
    holders = [m for m in rules.staff if role in m.roles]
    found = []
    for week, hours in sorted(needed.items()):
        if hours <= most.get(week, 0.0) + 1e-6:
            continue
        days = [date.fromordinal(day) for day in range(week, week + 7)]
        free = sum(1 for m in holders if any(m.unavailable_reason(d) is None for d in days))
        found.append(Shortage((role,), None, hours, most.get(week, 0.0), len(holders), 1.0,
                              week=date.fromordinal(week), free=free))
    return found


def _bound(positions: list[Position], history: dict[str, list[Work]] | None) -> _Bound:
    """The bound over `positions`, less the hours each person works in the
    same weeks in neighbouring rosters (`history`)."""
    worked: dict[str, dict[int, float]] = {}
    for staff_id, works in (history or {}).items():
        for work in works:
            if work.on_call:
                continue
            row = worked.setdefault(staff_id, {})
            row[week_of(work.day)] = row.get(week_of(work.day), 0.0) + work.hours
    days = [p.day.toordinal() for p in positions]
    return _Bound(worked, min(days), max(days))


def week_most(rules: Rules, role: str, positions: list[Position],
              history: dict[str, list[Work]] | None = None) -> dict[int, float]:
    """ISO week -> the most hours the holders of `role` can work on its `positions` (of that
    role, none on call) in that week. A week's places whose hours, added to
    those filled, would pass it can never all be filled: the solver stops trying them."""
    if not positions:
        return {}
    most = dict.fromkeys((week_of(p.day.toordinal()) for p in positions), 0.0)
    for weeks in _holders_weeks(rules, (role,), positions, _bound(positions, history)):
        for week, hours in weeks.items():
            most[week] += hours
    return most


def _holders_weeks(rules: Rules, roles: tuple[str, ...], positions: list[Position],
                   bound: _Bound) -> Iterator[dict[int, float]]:
    """For each staff member holding one of `roles` (in staff order), the bound of each ISO
    week on what they can work of `positions` (of `roles`, none on call): the shifts of the
    roles they hold, nights only when none of those is a day shift. The one bound of the
    diagnosis (`shortages`: summed over the period) and the solver (`week_most`: by week)."""
    instances: dict[str, set[Instance]] = defaultdict(set)
    has_day_shift = set()  # roles with a shift that is not a night
    for p in positions:
        instances[p.role].add((p.day.toordinal(), p.start_ts, p.end_ts))
        if not p.night:
            has_day_shift.add(p.role)
    by_week: dict[tuple, dict[int, tuple[Instance, ...]]] = {}  # the roles one holds -> weeks
    for member in rules.staff:
        if not set(roles) & set(member.roles):
            continue
        theirs = tuple(sorted(role for role in member.roles if role in instances))
        if theirs not in by_week:
            by_week[theirs] = bound.weeks(set().union(*(instances[role] for role in theirs)))
        yield bound.person_weeks(member, by_week[theirs], not has_day_shift & set(theirs))


def _shared_staff(rules: Rules, roles: list[str]) -> list[tuple[str, ...]]:
    """Groups of two or more of `roles` linked by staff who hold several of them."""
    group_of = {role: {role} for role in roles}
    for member in rules.staff:
        held = [role for role in member.roles if role in group_of]
        for other in held[1:]:
            merged = group_of[held[0]] | group_of[other]
            for role in merged:
                group_of[role] = merged
    unique = {tuple(sorted(group)) for group in group_of.values()}
    return sorted(group for group in unique if len(group) > 1)


def _shortage(rules: Rules, roles: tuple[str, ...], shift_id: str | None,
              shift_name: str | None, positions: list[Position], bound: _Bound,
              weeks: float) -> Shortage | None:
    needed = sum_in_order(p.hours for p in positions)
    most, holders = 0.0, 0
    for person in _holders_weeks(rules, roles, positions, bound):
        most += sum_in_order(person.values())  # each person's period, as before: the same sums
        holders += 1
    if needed <= most + 1e-6:
        return None
    return Shortage(roles, shift_id, needed, most, holders, weeks, shift_name)
