"""Shifts turned into dated positions: one per person a shift needs on a day it occurs.

Start and end are wall-clock times in the site zone, built with `datetime.combine(..., tzinfo)`
so an 08:00 handover stays 08:00 across a DST change; lengths come from epoch seconds, so a
night across the autumn change in Europe/Berlin really lasts 13 hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from dutyctl.roster.rules import Rules, Shift, shift_bounds  # noqa: F401 - its home was here
from dutyctl.sitecalendar import SiteCalendar
from dutyctl.timeutil import days_between


@dataclass(frozen=True)
class DayKind:
    """What kind of day a shift starts on, for fairness counts."""

    weekend: bool  # a Saturday or Sunday that is a rest day (a 调休 working Saturday is not)
    holiday: bool  # a day of a statutory break (SiteCalendar.in_statutory_break)


def day_kind(calendar: SiteCalendar, day: date) -> DayKind:
    return DayKind(day.weekday() >= 5 and calendar.is_rest_day(day),
                   calendar.in_statutory_break(day))


@dataclass(frozen=True, slots=True)
class Position:
    """One person's place on one shift of one day."""

    day: date
    shift: Shift
    role: str
    seat: int  # 0 .. headcount-1 within the role
    start: datetime
    end: datetime
    start_ts: int
    end_ts: int
    weekend: bool
    holiday: bool

    @property
    def key(self) -> tuple[date, str, str, int]:
        return (self.day, self.shift.id, self.role, self.seat)

    @property
    def night(self) -> bool:
        return self.shift.night

    @property
    def on_call(self) -> bool:
        return self.shift.on_call

    @property
    def hours(self) -> float:
        return (self.end_ts - self.start_ts) / 3600


def occurrences(rules: Rules, first: date, last: date,
                shift_ids: set[str] | None = None) -> list[tuple[date, Shift]]:
    """(day, shift) for every shift occurrence starting in [first, last], in start order."""
    found = []
    for day in days_between(first, last):
        for shift in sorted(rules.shifts, key=lambda s: s.start):
            if (shift_ids is None or shift.id in shift_ids) and shift.occurs(day, rules.calendar):
                found.append((day, shift))
    return found


def expand(rules: Rules, first: date, last: date, tz: tzinfo) -> list[Position]:
    """Every position of the period, sorted by start, then shift order in the rules."""
    order = {shift.id: index for index, shift in enumerate(rules.shifts)}
    kinds: dict[date, DayKind] = {}
    positions = []
    for day, shift in occurrences(rules, first, last):
        kind = kinds.get(day) or kinds.setdefault(day, day_kind(rules.calendar, day))
        start, end = shift_bounds(day, shift, tz)
        start_ts, end_ts = int(start.timestamp()), int(end.timestamp())
        for role, count in shift.need:
            for seat in range(count):
                positions.append(Position(day, shift, role, seat, start, end, start_ts, end_ts,
                                          kind.weekend, kind.holiday))
    positions.sort(key=lambda p: (p.start_ts, order[p.shift.id]))
    return positions
