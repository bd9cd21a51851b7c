"""The local days a report covers, as aware moments in the site zone.

A period is whole local days [first, last]; its moments run from midnight of `first` to
midnight after `last` in the site zone, so a call at 23:30 on the 30th belongs to the 30th
whatever the UTC offset.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime, time, timedelta, tzinfo

from dutyctl import notices, timeutil
from dutyctl.errors import InputError
from dutyctl.frozen import frozen, set_fields
from dutyctl.messages import t

DAILY, WEEKLY, MONTHLY = "daily", "weekly", "monthly"
#: After a period's end, how long its last shifts may still change: a shift starting on its
#: last day ends at most a day later (LONGEST_DUTY), a duty clocked in for it may run on into
#: the shifts that follow it back to back (a day, night, day cover), and a clock-out still
#: counts up to a day after the last shift it attends.
SHIFTS_SETTLED = timedelta(days=3)
# 2026-W48, or 2026年第48周 as the weekly report's title writes it
_ISO_WEEK = re.compile(r"^(\d{4})(?:-?W(\d{1,2})|\s*年\s*第?\s*(\d{1,2})\s*周)$",
                       re.IGNORECASE)
# 第48周 and 11月 (`timeutil.bare_month`) without a year, as a supervisor says them: the
# latest such week or month that has begun (in January, 第52周 and 12月 are last year's)
_WEEK_ALONE = re.compile(r"^第\s*(\d{1,2})\s*周$")


@frozen
class Period:
    kind: str
    first: date
    last: date
    tz: tzinfo

    def __post_init__(self):
        # `start` and `end` (midnight after the last day: the period is [start, end)) are
        # asked for every event a report counts: worked out once
        set_fields(self, start=datetime.combine(self.first, time(0), tzinfo=self.tz),
                   end=datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=self.tz))

    @property
    def label(self) -> str:
        if self.kind == MONTHLY:
            return f"{self.first:%Y-%m}"
        if self.kind == WEEKLY:
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        return self.first.isoformat()

    def days(self) -> list[date]:
        return timeutil.days_between(self.first, self.last)

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end

    def as_of(self, now: datetime) -> datetime:
        """The moment the report describes: the end of the period, or now if it is not over."""
        return min(self.end, now)

    def shifts_as_of(self, now: datetime) -> datetime:
        """The moment the report sees the period's shifts and duties at: a shift belongs to
        the period it starts in and is counted whole once over (the night of the 31st to its
        clock-out the next morning), so they are seen up to now, but no later than
        `SHIFTS_SETTLED` after the period's end, when every clock-out that still counts for
        them has been made (`desk.attendance.clocked_out_too_late`)."""
        return min(now, self.end + SHIFTS_SETTLED)

    def previous(self) -> "Period":
        if self.kind == MONTHLY:
            return month_period(_month_before(self.first), self.tz)
        length = (self.last - self.first).days + 1
        return Period(self.kind, self.first - timedelta(days=length),
                      self.first - timedelta(days=1), self.tz)


def _month_before(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def day_period(day: date, tz: tzinfo) -> Period:
    return Period(DAILY, day, day, tz)


def week_period(day: date, tz: tzinfo) -> Period:
    """The ISO week (Monday to Sunday) holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return Period(WEEKLY, monday, monday + timedelta(days=6), tz)


def month_period(day: date, tz: tzinfo) -> Period:
    first, last = timeutil.parse_month(f"{day:%Y-%m}")
    return Period(MONTHLY, first, last, tz)


def resolve_daily(text: str | None, tz: tzinfo, now: datetime) -> Period:
    """--date 2026-11-25 | today | yesterday (default today)."""
    return day_period(timeutil.parse_day(text or "today", tz, now, ahead=False), tz)


#: the words a supervisor types for this and the last week or month (本周, 上个月)
THIS_WEEK, LAST_WEEK = ("this", "本周", "这周", "本星期", "这星期"), ("last", "上周", "上星期")
THIS_MONTH, LAST_MONTH = ("this", "本月", "这个月"), ("last", "上月", "上个月")


def _this_or_last(text: str | None, this: tuple[str, ...], last: tuple[str, ...]) -> str:
    """The period typed, folded: `this` or `last` for their words (本周, 上个月; none typed is
    this), else the text as typed, trimmed and lower-cased."""
    key = (text or "this").strip().lower()
    return "this" if key in this else "last" if key in last else key


def resolve_weekly(text: str | None, tz: tzinfo, now: datetime) -> Period:
    """--week this | last | 本周 | 上周 | 2026-W48 | 2026年第48周 | a date inside the week
    (default this)."""
    today = now.astimezone(tz).date()
    key = _this_or_last(text, THIS_WEEK, LAST_WEEK)
    if key == "this":
        return week_period(today, tz)
    if key == "last":
        return week_period(today - timedelta(days=7), tz)
    alone = _WEEK_ALONE.match(timeutil.half_width(key))
    if alone:
        number, year = int(alone[1]), today.isocalendar()[0]
        mondays = []
        for year in (year, year - 1):
            with contextlib.suppress(ValueError):
                mondays.append(date.fromisocalendar(year, number, 1))
        if not mondays:
            raise InputError(t("there is no week '{text}'", text=text))
        # the latest begun; else this year's, refused as not begun yet (第53周 in week 49)
        begun = [monday for monday in mondays if monday <= today]
        return week_period((begun or mondays)[0], tz)
    match = _ISO_WEEK.match(timeutil.half_width(key))
    if match:
        try:
            monday = date.fromisocalendar(int(match[1]), int(match[2] or match[3]), 1)
        except ValueError:
            raise InputError(t("there is no week '{text}'", text=text)) from None
        timeutil.check_range(monday, text)
        return week_period(monday, tz)
    try:
        return week_period(timeutil.parse_day(key, tz, now), tz)
    except InputError:
        raise InputError(t("cannot read the week '{text}': expected this, last, 本周, 上周, "
                           "2026-W48, 2026年第48周, 第48周 or a date inside the week",
                           text=text)) from None


def resolve_monthly(text: str | None, tz: tzinfo, now: datetime) -> Period:
    """--month this | last | 本月 | 上月 | 2026-11 | 2026年11月 (default this)."""
    today = now.astimezone(tz).date()
    key = _this_or_last(text, THIS_MONTH, LAST_MONTH)
    if key == "this":
        return month_period(today, tz)
    if key == "last":
        return month_period(_month_before(today.replace(day=1)), tz)
    # 11月: the latest November begun (a report looks back), as attendance reads it
    first = timeutil.bare_month(key, today, timeutil.LATEST_BEGUN) or timeutil.month_of(key)
    if first is None:
        raise InputError(timeutil.no_such_month(key) or t(
            "cannot read the month '{text}': expected this, last, 本月, 上月, 2026-12, "
            "2026年12月 or 12月", text=text))
    return month_period(first, tz)


def period_label(kind: str, first: date) -> str:
    """A report's period in words: the day, the ISO week or the month it starts."""
    from dutyctl.output import day_label, month_label, week_label

    if kind == WEEKLY:
        return week_label(first)
    if kind == MONTHLY:
        return month_label(first)
    return day_label(first, year=True)


_RESOLVE = {DAILY: resolve_daily, WEEKLY: resolve_weekly, MONTHLY: resolve_monthly}


def resolve(kind: str, text: str | None, tz: tzinfo, now: datetime) -> Period:
    """The period `text` names for a report of `kind`; one that has not begun yet is refused:
    its figures would be today's open items dated ahead (a week of next year "as of" now)."""
    chosen = _RESOLVE[kind](text, tz, now)
    today = now.astimezone(tz).date()
    if chosen.first > today:
        from dutyctl.output import day_label

        raise InputError(t("{period} has not begun yet (today is {today}): a report covers "
                           "days up to today", period=period_label(kind, chosen.first),
                           today=day_label(today, year=True)))
    return chosen


def report_period(store, kind: str, text: str | None, tz: tzinfo, now: datetime) -> Period:
    """The period a report of `kind` covers: the one `text` names, else the current one; but
    a workspace with nothing recorded since the current period began (an archive, the
    bundled demo) gets the latest period that has records, said on `dutyctl.notices`."""
    chosen = resolve(kind, text, tz, now)
    if text is not None:
        return chosen
    latest = max(store.days(until=chosen.last), default=None)
    if latest is None or latest >= chosen.first:
        return chosen
    earlier = resolve(kind, latest.isoformat() if kind != MONTHLY else f"{latest:%Y-%m}", tz,
                      now)
    from dutyctl.output import date_label

    # in words, as the report's own title names the period (2026年第44周, not 2026-W44)
    shown = date_label(earlier.first) if kind == DAILY else period_label(kind, earlier.first)
    notices.warn(t("note: nothing recorded since {latest}: reporting {period}, the latest "
                   "period with records (name the period to choose another)",
                   latest=date_label(latest), period=shown))
    return earlier


def review_period(week: str | None, month: str | None) -> tuple[str, str]:
    """What a review across sites covers: the week named, else the month named, else last
    month (kind, text for `resolve`)."""
    if week is not None and month is not None:
        raise InputError(lambda name: t("give {week} or {month}, not both", week=name("week"),
                                        month=name("month")))
    return (WEEKLY, week) if week is not None else (MONTHLY, month or "last")
