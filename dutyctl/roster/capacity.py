"""Capacity: the hours a role's shifts need against the most its staff can give.

When places stay unfilled, the first thing a supervisor needs to know is whether any roster
could fill them. For each role (and each shift, where one shift is short while its role as a
whole is not) this compares the hours the positions need with an upper bound on what the
eligible staff can work in the period:

    per person and ISO week: min(max_hours_per_week - hours already worked in that week in
    neighbouring rosters, the most hours the role's shifts allow on the person's available
    days, counting at most max_consecutive_days days in the week)

The most hours of one day are those of the best chain of that day's shifts of the role that
keep min_rest_hours between them (usually one shift). The bound ignores the other hard rules,
so it is optimistic: when it says "short", no roster can fill every place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from dutyctl.messages import t
from dutyctl.roster.positions import Position
from dutyctl.roster.rules import Rules, Staff
from dutyctl.roster.timeline import Work, week_of


@dataclass(frozen=True)
class Shortage:
    role: str
    shift: str | None  # None: the role as a whole
    needed: float  # hours of positions
    most: float  # upper bound on the hours the eligible staff can give
    staff: int  # how many people can take it
    weeks: float  # length of the period in weeks, for "a week" figures

    def describe(self) -> str:
        values = dict(role=self.role, shift=self.shift, count=self.staff,
                      needed=round(self.needed), most=round(self.most),
                      short=round(self.needed - self.most),
                      needed_week=round(self.needed / self.weeks),
                      most_week=round(self.most / self.weeks))
        if self.shift is None:
            return t("capacity: the {role} shifts need {needed} h ({needed_week} h a week); the "
                     "{count} {role} staff can give at most {most} h ({most_week} h a week) "
                     "under their limits and leave: {short} h cannot be filled", **values)
        return t("capacity: the {shift} shift needs {needed} h of {role} ({needed_week} h a "
                 "week); the {count} {role} staff can give it at most {most} h ({most_week} h "
                 "a week) under their limits and leave: {short} h cannot be filled", **values)


def _day_most(shifts: list[tuple[int, int]], rest: int) -> float:
    """Most hours from (start, end) epoch pairs of one day, in a chain with `rest` between."""
    best: list[float] = []
    shifts = sorted(shifts)
    for k, (start, end) in enumerate(shifts):
        before = [best[j] for j in range(k) if shifts[j][1] + rest <= start]
        best.append((end - start) / 3600 + max(before, default=0.0))
    return max(best, default=0.0)


def _person_most(member: Staff, days: dict[int, list[tuple[int, int]]],
                 worked: dict[int, float]) -> float:
    """Upper bound on hours for one person over the days given (day ordinal -> shifts)."""
    limits = member.limits
    rest = int(limits.min_rest_hours * 3600)
    per_week: dict[int, list[float]] = defaultdict(list)
    for day, shifts in days.items():
        if member.unavailable_reason(date.fromordinal(day)) is None:
            per_week[week_of(day)].append(_day_most(shifts, rest))
    total = 0.0
    for week, hours in per_week.items():
        best_days = sorted(hours, reverse=True)[:limits.max_consecutive_days]
        room = max(limits.max_hours_per_week - worked.get(week, 0.0), 0.0)
        total += min(room, sum(best_days))
    return total


def shortages(rules: Rules, positions: list[Position],
              history: dict[str, list[Work]] | None = None) -> list[Shortage]:
    """Roles (then single shifts) whose positions need more hours than anyone could give.
    On-call duties need no hours worked: they are left out."""
    positions = [p for p in positions if not p.on_call]
    if not positions:
        return []
    weeks = max((positions[-1].day - positions[0].day).days + 1, 1) / 7
    worked: dict[str, dict[int, float]] = {}
    for staff_id, works in (history or {}).items():
        for work in works:
            if work.on_call:
                continue
            row = worked.setdefault(staff_id, {})
            row[week_of(work.day)] = row.get(week_of(work.day), 0.0) + work.hours
    found = []
    for role in sorted({p.role for p in positions}):
        mine = [p for p in positions if p.role == role]
        holders = [m for m in rules.staff if role in m.roles]
        shortage = _shortage(role, None, mine, holders, worked, weeks)
        if shortage is not None:
            found.append(shortage)
            continue
        for shift_id in sorted({p.shift.id for p in mine}):
            shortage = _shortage(role, shift_id, [p for p in mine if p.shift.id == shift_id],
                                 holders, worked, weeks)
            if shortage is not None:
                found.append(shortage)
    return found


def _shortage(role: str, shift_id: str | None, positions: list[Position], holders: list[Staff],
              worked: dict, weeks: float) -> Shortage | None:
    days: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for p in positions:
        days[p.day.toordinal()].add((p.start_ts, p.end_ts))
    shifts = {day: list(pairs) for day, pairs in days.items()}
    needed = sum(p.hours for p in positions)
    most = sum(_person_most(m, shifts, worked.get(m.id, {})) for m in holders)
    if needed <= most + 1e-6:
        return None
    return Shortage(role, shift_id, needed, most, len(holders), weeks)
