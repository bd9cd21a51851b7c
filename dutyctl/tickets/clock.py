"""Deadline arithmetic: add an amount of counted time to a start, skipping what does not count.

Two clocks: `24x7` counts every moment; `business` counts only business hours on working days
of the site calendar (holidays and 调休 make-up working days included). Time on hold never
counts. A limit in working days (`3wd`) is that many working days' worth of counted time: 24 h
a working day on the 24x7 clock, the length of the business day on the business clock.

Everything here is a pure function of its arguments; arithmetic is done in UTC so a zone with
daylight saving time still gets exact durations.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Callable, Iterable, Iterator

from dutyctl.config import DEFAULT_HOURS
from dutyctl.errors import InputError
from dutyctl.frozen import frozen, set_fields
from dutyctl.messages import t

TWENTY_FOUR_SEVEN, BUSINESS = "24x7", "business"
FULL_DAY = timedelta(days=1)
# a calendar that never has a working day must not make a deadline loop forever
LONGEST_SEARCH_DAYS = 3660

Interval = tuple[datetime, datetime]


class CalendarGap(InputError):
    """The deadline runs into a year the holiday calendar has no official data for."""


@frozen
class Clock:
    kind: str
    tz: tzinfo
    is_working_day: Callable[[date], bool] = lambda day: day.weekday() < 5
    covers: Callable[[int], bool] = lambda year: True
    business_start: time = DEFAULT_HOURS[0]
    business_end: time = DEFAULT_HOURS[1]

    def __post_init__(self) -> None:
        # day -> day_window(day): a listing asks about the same few hundred days thousands of
        # times; keyed on the day alone (a cache on the method hashed the whole Clock every
        # call). Not a field: a copy (frozen.replace) with other hours starts its own.
        set_fields(self, _windows={}, _years={})

    @property
    def working_day_length(self) -> timedelta:
        if self.kind == TWENTY_FOUR_SEVEN:
            return FULL_DAY
        today = date(2000, 1, 3)
        return (datetime.combine(today, self.business_end)
                - datetime.combine(today, self.business_start))

    def length(self, amount: timedelta, working_days: bool) -> timedelta:
        """A limit as counted time: `2wd` becomes two working days' worth."""
        if not working_days:
            return amount
        return self.working_day_length * (amount / FULL_DAY)

    def windows(self, start: datetime, working_days: bool = False) -> Iterator[Interval]:
        """The counted intervals from `start` on, in order, in UTC (endless).

        24x7: one endless interval, or whole working days for a limit in working days.
        business: business hours of each working day.
        """
        start = start.astimezone(timezone.utc)
        if self.kind == TWENTY_FOUR_SEVEN and not working_days:
            yield start, datetime.max.replace(tzinfo=timezone.utc)
            return
        day = start.astimezone(self.tz).date()
        for _ in range(LONGEST_SEARCH_DAYS):
            self._require(day.year)
            counted = self.day_window(day)
            if counted is not None and counted[1] > start:
                yield max(counted[0], start), counted[1]
            day += FULL_DAY
        from dutyctl.output import date_label

        raise InputError(t("no working day in {days} days after {start}: the rules' "
                           "calendar.extra_holidays leave none (check its ranges)",
                           days=LONGEST_SEARCH_DAYS,
                           start=date_label(start.astimezone(self.tz).date())))

    def _require(self, year: int) -> None:
        if not self.covers(year):
            raise CalendarGap(t("the holiday calendar has no official data for {year}: list "
                                "that year's holidays and make-up working days under "
                                "calendar.extra_holidays / extra_workdays in the rules",
                                year=year))

    def whole_days(self, first: date, last: date) -> timedelta:
        """The counted time of the days from `first` up to `last` (not included), each day
        whole: from a table per year of the time counted before each of its days, so that a
        ticket late for years costs a few lookups, not a walk through every day."""
        total = 0.0
        while first < last:
            before = self._counted_before(first.year)
            end = min(last, date(first.year + 1, 1, 1))
            total += (before[end.toordinal() - date(first.year, 1, 1).toordinal()]
                      - before[first.toordinal() - date(first.year, 1, 1).toordinal()])
            first = end
        return timedelta(seconds=total)

    def _counted_before(self, year: int) -> list[float]:
        """Seconds counted in `year` before each of its days (and after its last one)."""
        found = self._years.get(year)
        if found is None:
            self._require(year)
            found, day = [0.0], date(year, 1, 1)
            while day.year == year:
                window = self.day_window(day)
                found.append(found[-1] + ((window[1] - window[0]).total_seconds()
                                          if window is not None else 0.0))
                day += FULL_DAY
            self._years[year] = found
        return found

    def day_window(self, day: date) -> Interval | None:
        """The counted part of one day in UTC: business hours, or all of a working day."""
        try:
            return self._windows[day]
        except KeyError:
            found = self._windows[day] = self._day_window(day)
            return found

    def _day_window(self, day: date) -> Interval | None:
        if not self.is_working_day(day):
            return None
        if self.kind == BUSINESS:
            return self._at(day, self.business_start), self._at(day, self.business_end)
        return self._at(day, time(0)), self._at(day + FULL_DAY, time(0))

    def _at(self, day: date, clock_time: time) -> datetime:
        return datetime.combine(day, clock_time).replace(tzinfo=self.tz).astimezone(timezone.utc)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def _span(pause: Interval) -> Interval:
    return _utc(pause[0]), _utc(pause[1])


def _overlap(window: Interval | None, start: datetime, end: datetime) -> timedelta:
    """The part of a day's counted window between `start` and `end`."""
    if window is None:
        return timedelta(0)
    return max(timedelta(0), min(window[1], end) - max(window[0], start))


def without_pauses(window: Interval, pauses: Iterable[Interval]) -> list[Interval]:
    """The parts of `window` outside every pause (pauses sorted by start)."""
    parts = [window]
    for pause_start, pause_end in pauses:
        pause_start, pause_end = _utc(pause_start), _utc(pause_end)
        kept = []
        for start, end in parts:
            if pause_end <= start or pause_start >= end:
                kept.append((start, end))
                continue
            if pause_start > start:
                kept.append((start, pause_start))
            if pause_end < end:
                kept.append((pause_end, end))
        parts = kept
    return parts


def add_counted(start: datetime, amount: timedelta, working_days: bool, clock: Clock,
                pauses: Iterable[Interval] = ()) -> datetime:
    """The moment at which `amount` of counted time has passed since `start`."""
    remaining = clock.length(amount, working_days)
    pauses = sorted(pauses)
    if remaining <= timedelta(0):
        return start
    for window in clock.windows(start, working_days):
        for part_start, part_end in without_pauses(window, pauses):
            if part_end - part_start >= remaining:
                return (part_start + remaining).astimezone(clock.tz)
            remaining -= part_end - part_start
    raise AssertionError("windows() is endless")  # pragma: no cover


def counted_between(start: datetime, end: datetime, working_days: bool, clock: Clock,
                    pauses: Iterable[Interval] = ()) -> timedelta:
    """The counted time from `start` to `end` (zero when `end` is not later): how late a
    deadline is, measured as its limit is (business hours of working days, whole working
    days, or every moment), time on hold left out."""
    total = timedelta(0)
    if end <= start:
        return total
    start, end, pauses = _utc(start), _utc(end), sorted(pauses)
    if clock.kind == TWENTY_FOUR_SEVEN and not working_days:
        return end - start - sum((min(pause_end, end) - max(pause_start, start)
                                  for pause_start, pause_end in map(_span, pauses)
                                  if pause_end > start and pause_start < end), timedelta(0))
    if not any(_utc(pause_end) > start and _utc(pause_start) < end
               for pause_start, pause_end in pauses):
        # the first and the last day in part, the days between whole
        first, last = start.astimezone(clock.tz).date(), end.astimezone(clock.tz).date()
        if first == last:
            return _overlap(clock.day_window(first), start, end)
        return (_overlap(clock.day_window(first), start, end)
                + clock.whole_days(first + FULL_DAY, last)
                + _overlap(clock.day_window(last), start, end))
    for window in clock.windows(start, working_days):
        if window[0] >= end:
            break
        for part_start, part_end in without_pauses(window, pauses):
            total += max(timedelta(0), min(part_end, end) - part_start)
    return total
