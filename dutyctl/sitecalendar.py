"""The site calendar: China's public holidays and make-up working days (调休), plus local days.

Backed by the `holidays` package (country CN), which carries the State Council's notices year
by year. For a year it has no notice for it only guesses, so such a year is refused unless the
rules list that year's days themselves (`extra_holidays` / `extra_workdays`).
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from dutyctl.errors import InputError, Problem
from dutyctl.frozen import field, frozen
from dutyctl.messages import N_, gettext, t
from dutyctl.schema import Fields, misread
from dutyctl import timeutil
from dutyctl.timeutil import half_width, no_such_day, written_date


DEFAULT_COUNTRY = "CN"
#: the official calendar's names (the `holidays` package's, zh_CN) of a 调休 rest day, which is
#: no holiday of its own (休息日（由 2026-02-14 调休）), and of a holiday's made-up day (春节（补假）)
_SWAPPED = re.compile(r"^休息日（")
_MADE_UP = re.compile(r"（补假）$")
#: the official calendar's name of 除夕 (a holiday from 2025 on): the name of that one day,
#: never given to another rest day of its break (the Sunday before it is 春节's, not 除夕)
_EVE = "农历除夕"
MAX_BREAK_DAYS = 40  # a longer run of rest days is a local closure, not one statutory break
#: the holidays the State Council's notice names its breaks by (《国务院办公厅关于…部分节假日
#: 安排的通知》): a break holding two of them is named by both, as the notice names it
#: (2025: 国庆节、中秋节 10-01..10-08)
NOTICE_HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
#: the notice's holidays in English (msgids: a Chinese desk reads them as the notice writes
#: them), for a title in English: `daily report Sat 2027-02-06 (Spring Festival)`
HOLIDAY_WORDS = {"元旦": N_("New Year's Day"), "春节": N_("Spring Festival"),
                 "清明节": N_("Qingming Festival"), "劳动节": N_("Labour Day"),
                 "端午节": N_("Dragon Boat Festival"), "中秋节": N_("Mid-Autumn Festival"),
                 "国庆节": N_("National Day"), "农历除夕": N_("Chinese New Year's Eve")}
#: how a break holding two of the notice's holidays is named: 国庆节、中秋节 (data, as the
#: notice writes it: `reports` split it to say each name in the reader's language)
JOINED = "、"


def holiday_word(name: str) -> str:
    """A holiday's name (`SiteCalendar.day_holiday`) in the reader's language: the notice's
    holidays through gettext (国庆节、中秋节 is `National Day, Mid-Autumn Festival` in
    English), a site's own holiday (小区业主节, a rules' reason) as written."""
    if name in HOLIDAY_WORDS:
        return gettext(HOLIDAY_WORDS[name])
    parts = name.split(JOINED)
    if len(parts) > 1 and all(part in HOLIDAY_WORDS for part in parts):
        return t(", ").join(gettext(HOLIDAY_WORDS[part]) for part in parts)
    return name


@frozen
class SiteCalendar:
    country: str = DEFAULT_COUNTRY
    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)
    #: (day, name) of listed holidays given a reason (春节): their name on screens
    named: tuple[tuple[date, str], ...] = ()
    #: the keys as the rules file writes them (calendar, extra_holidays, extra_workdays, from,
    #: to, reason): 日历, 本地节假日 … in a file written in Chinese, for the messages
    keys: tuple[str, ...] = field(default=("calendar", "extra_holidays", "extra_workdays",
                                           "from", "to", "reason"), compare=False)
    line: int = field(default=0, compare=False)  # of extra_holidays in the rules (0: none)

    @cached_property
    def _official(self):
        return official_calendar(self.country)  # (days, (first, last official year))

    @property
    def _days(self):
        return self._official[0]

    def official_years(self) -> tuple[int, int]:
        """The first and last year with official notices (China: the State Council's yearly
        notices with their 调休 days; before 2001 the package only guesses)."""
        return self._official[1]

    def covers(self, year: int) -> bool:
        locally_listed = any(day.year == year for day in self.extra_holidays | self.extra_workdays)
        first, last = self.official_years()
        return first <= year <= last or locally_listed

    def require(self, first: date, last: date, where: str = "rosters/rules.yaml") -> None:
        """Refuses a period reaching a year the calendar has no official notice for, saying
        where to list that year's days (`where`: the rules file) and how."""
        for year in range(first.year, last.year + 1):
            if not self.covers(year):
                raise InputError(self.uncovered(year, where))

    def unlisted_guesses(self, first: date, last: date,
                         where: str = "rosters/rules.yaml") -> list[str]:
        """For each month of [first, last] in a year without notice (listed in the rules) that
        the rules give no holiday while the package guesses one: what to list, and where. The
        guess is never used as a day off (`_noticed`), only to remind a supervisor who listed
        January's days and goes on to plan February (春节) or April (清明)."""
        from dutyctl.output import month_label

        said, day = [], first
        while day <= last:
            end = min(last, timeutil.month_after(day) - timedelta(days=1))
            if not self._noticed(day) and self.covers(day.year):
                guessed = [f"{other.isoformat()} {self._days.get(other)}"
                           for other in self._unlisted_guesses(day, end)]
                if guessed:
                    calendar, holidays = self.keys[0], self.keys[1]
                    said.append(t("{month}: the holidays package guesses {days} in this "
                                  "month (a guess, not used), days the rules do not list: if "
                                  "they are official holidays, list each break whole as the "
                                  "notice gives it (its weekend days too) in {path} under "
                                  "{calendar}: {holidays}",
                                  month=month_label(day),
                                  days=t(", ").join(guessed), path=where, calendar=calendar,
                                  holidays=holidays))
            day = end + timedelta(days=1)
        return said

    def _unlisted_guesses(self, first: date, last: date) -> list[date]:
        """The package's guessed days of a month (first..last) whose holiday has none of its
        days there listed in the rules: 元旦 guessed on 1月1日 while only a local 1月15日 is
        listed (it used to pass for the month's whole list: 元旦 planned as a working day), not
        a 春节 whose official days differ from the guess by one."""
        listed = {day for day in timeutil.days_between(first, last)
                  if day in self.extra_holidays}
        guessed = [day for day in timeutil.days_between(first, last) if day in self._days]
        runs: dict[str, list[date]] = {}  # a holiday's guessed days, and a day either side of
        for day in guessed:  # a break of several (the official one may start a day off it)
            runs.setdefault(self._days.get(day), []).append(day)
        kept = {name for name, days in runs.items()
                if not listed & ({*days} if len(days) == 1 else
                                 {*days, days[0] - timedelta(days=1),
                                  days[-1] + timedelta(days=1)})}
        return [day for day in guessed if self._days.get(day) in kept]

    def uncovered(self, year: int, where: str = "rosters/rules.yaml") -> str:
        """Why `year` cannot be planned, and what to write where (`where`: the rules file)."""
        calendar, holidays, workdays, start, end, reason = self.keys
        example = f'{{{start}: "{year}-01-01", {end}: "{year}-01-03", {reason}: 元旦}}'
        if self.country == DEFAULT_COUNTRY:
            return t("the holiday calendar of China has no official data for {year} yet: "
                     "list that year's holidays and make-up working days in {path} under "
                     "{calendar}: {holidays} (a break in one line, as {example}) and "
                     "{workdays}", year=year, path=where, example=example, calendar=calendar,
                     holidays=holidays, workdays=workdays)
        return t("the {country} holiday calendar has no official data for {year}:"
                 " list that year's holidays and make-up working days under "
                 "{calendar}.{holidays} / {workdays} in the rules",
                 country=self.country, year=year, calendar=calendar, holidays=holidays,
                 workdays=workdays)

    def _noticed(self, day: date) -> bool:
        """Whether the package has the notice of `day`'s year; for any other year (2027 today,
        listed in the rules) it only guesses, and its guess is not used: the rules' days are."""
        first, last = self.official_years()
        return first <= day.year <= last

    def is_holiday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return False
        return day in self.extra_holidays or (self._noticed(day) and day in self._days)

    def is_working_day(self, day: date) -> bool:
        """True on ordinary weekdays and 调休 weekend workdays; False on rest days and holidays."""
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if not self._noticed(day):
            return day.weekday() < 5
        return self._days.is_working_day(day)

    def is_rest_day(self, day: date) -> bool:
        return not self.is_working_day(day)

    @cached_property
    def _breaks(self) -> dict[date, date | None]:
        return {}  # day -> the public holiday of its break (None: not in one), filled lazily

    def statutory_break(self, day: date) -> date | None:
        """A public holiday of the break `day` lies in, or None. A statutory break is a run of
        rest days holding at least one official public holiday: National Day 10-01..10-07 with
        the weekend inside it and the swapped rest days, 春节 2024 to Saturday 02-17 (the
        package lists up to 02-16, the notice says 02-10..02-17); a 调休 make-up working day
        ends it. Days the rules list (`extra_holidays`) are a break as listed: a local 春节
        written 02-06..02-12 (a Friday) does not run on into the weekend after it."""
        if day not in self._breaks:
            run = [day] if self.is_rest_day(day) else []
            for step in (-1, 1):
                other = day + timedelta(days=step)
                while run and self.is_rest_day(other) and len(run) < MAX_BREAK_DAYS:
                    run.append(other)
                    other += timedelta(days=step)
            holiday = next((d for d in sorted(run) if self._official_holiday(d)), None)
            for member in run or [day]:
                self._breaks[member] = (holiday if holiday is not None
                                        else member if self.is_holiday(member) else None)
        return self._breaks[day]

    def _official_holiday(self, day: date) -> bool:
        """A public holiday of the official calendar (not one the rules list)."""
        return self.is_holiday(day) and day not in self.extra_holidays

    def in_statutory_break(self, day: date) -> bool:
        """The one definition of a holiday shift: it starts on a day of a statutory break."""
        return self.statutory_break(day) is not None

    def break_name(self, day: date) -> str | None:
        """The name of the statutory break `day` lies in, by its first public holiday (国庆节
        for every day of National Day's, the weekend and the swapped rest days inside it too);
        None outside one."""
        if not self.in_statutory_break(day):
            return None
        return (self.holiday_name(self.statutory_break(day)) or self.holiday_name(day)
                or t("holiday"))

    def day_holiday(self, day: date) -> str | None:
        """The holiday a day's daily report names (`2027年2月6日 周六 春节 值班日报`): the one the
        day is (a day the rules list: its reason; else the official calendar's, as
        `holiday_name`, without a 补假's bracket: 春节（补假） is 春节), or for another rest day
        of a statutory break (its weekend, a 调休 rest day) the holiday before it in the break
        (after it, at the break's start; 农历除夕 names only 除夕 itself: the Sunday before it,
        2026-02-15, is 春节's); None on any other day, and for a year without
        notice the package only guesses (never its guess: the rules' days are)."""
        if not self.in_statutory_break(day):
            return self._own_holiday(day)
        joined = self._break_holidays(day)
        if len(joined) > 1 and not self._own_holiday(day):
            return JOINED.join(joined)  # 2025-10-07 is 国庆节、中秋节's, not 中秋节's
        for step in (-1, 1):
            other = day
            while self.is_rest_day(other) and abs((other - day).days) < MAX_BREAK_DAYS:
                name = self._own_holiday(other)
                if name and (other == day or name != _EVE):
                    return name
                other += timedelta(days=step)
        return None

    def _break_holidays(self, day: date) -> list[str]:
        """The notice's holidays (`NOTICE_HOLIDAYS`) the days of `day`'s statutory break are,
        earliest first, each once: [国庆节, 中秋节] for 2025's; [春节] for a 春节 holding 除夕."""
        run = [day]
        for step in (-1, 1):
            other = day + timedelta(days=step)
            while (self.is_rest_day(other) and self.in_statutory_break(other)
                   and len(run) < MAX_BREAK_DAYS):
                run.append(other)
                other += timedelta(days=step)
        found = []
        for member in sorted(run):
            name = self._own_holiday(member)
            if name in NOTICE_HOLIDAYS and name not in found:
                found.append(name)
        return found

    def _own_holiday(self, day: date) -> str | None:
        """A holiday's name of `day` itself (春节, 农历除夕, a listed day's reason); None for a
        swapped rest day (休息日（由 … 调休）: no holiday of its own) and any other day."""
        if not self.is_holiday(day):
            return None
        name = self.holiday_name(day)
        if day not in self.extra_holidays and name:
            if _SWAPPED.match(name):
                return None
            name = _MADE_UP.sub("", name)
        return name or None

    def statutory_day(self, day: date) -> bool | None:
        """Whether `day` is a statutory holiday itself (法定节假日, 《劳动法》第四十四条: work
        on it paid 300%), not a break's other rest days (its weekend, a 调休 rest day, a
        补假: 200% or time off) nor a day the rules list as a local holiday (小区业主节). In a
        year with the official notice, the package's holidays as `_own_holiday` reads them
        (休息日（由…调休） and …（补假） are not); in a year from the rules only, by
        《全国年节及纪念日放假办法》 (as revised 2024, in force 2025): 元旦 1-1, 除夕 to 初三,
        劳动节 5-1..5-2, 国庆节 10-1..10-3, and 清明节, 端午节, 中秋节 on the one day the rules
        list with that reason; None (unknown) on the days of such a break the rules list
        several of (`unknown_statutory`)."""
        if self._noticed(day):
            name = self._days.get(day)
            return bool(name) and not _SWAPPED.match(name) and not _MADE_UP.search(name)
        if _by_law(day):
            return True
        listed = self._movable(day.year)
        for _, name, first, last in MOVABLE:
            days = listed.get(name)
            if days and day in days:
                return True if len(days) == 1 else None
            if not days and first <= (day.month, day.day) <= last:
                return None  # not listed at all: any day it may fall on is unknown
        return False

    def unknown_statutory(self, first: date, last: date) -> list[tuple[str, int, list[date]]]:
        """The breaks of a year from the rules only, reaching first..last, whose statutory
        day the rules do not say: (name, year, the days listed with its name: 中秋节 listed as
        three days; none when the rules list no day of it and first..last reaches a day it
        may fall on, `MOVABLE`)."""
        found = []
        for year in range(first.year, last.year + 1):
            if self._noticed(date(year, 1, 1)):
                continue
            listed = self._movable(year)
            for _, name, earliest, latest in MOVABLE:
                days = listed.get(name, [])
                if len(days) > 1 and any(first <= day <= last for day in days):
                    found.append((name, year, days))
                elif not days and _reaches(first, last, date(year, *earliest),
                                           date(year, *latest)):
                    found.append((name, year, []))
        return found

    def statutory_in(self, first: date, last: date) -> bool:
        """Some day of first..last is, or may be (unknown), a statutory holiday: a period
        whose figures of hours on statutory days say something."""
        return any(self.statutory_day(first + timedelta(days=n)) is not False
                   for n in range((last - first).days + 1))

    def unknown_statutory_said(self, first: date, last: date) -> list[str]:
        """What `unknown_statutory` means for hours on statutory days, a line per break, for
        stderr: `attendance` and the reports say it once, their figure empty."""
        said = []
        for name, year, days in self.unknown_statutory(first, last):
            if not days:
                said.append(t("the rules list no day as {name} in {year}: which day is its "
                              "statutory holiday (paid 300%) is unknown, so statutory holiday "
                              "hours on the days it may fall on are not given; list it with "
                              "the reason {name} in rosters/rules.yaml", name=name, year=year))
                continue
            said.append(t("the rules list {days} as {name}: which of them is the statutory "
                          "holiday (paid 300%) is unknown, so statutory holiday hours touching "
                          "them are not given; list that day alone with the reason {name} in "
                          "rosters/rules.yaml (the break's other days with another reason, "
                          "such as 调休)",
                          days=t(", ").join(day.isoformat() for day in days), name=name))
        return said

    def _movable(self, year: int) -> dict[str, list[date]]:
        """清明节, 端午节, 中秋节 of a year from the rules only: the days the rules list with
        a reason naming it (清明, 清明节假期, 国庆节、中秋节), by name."""
        return self._movable_days.get(year, {})

    @cached_property
    def _movable_days(self) -> dict[int, dict[str, list[date]]]:
        """`_movable` of every year the rules name days of (asked once per day counted)."""
        found: dict[int, dict[str, list[date]]] = {}
        for day, reason in self.named:
            for word, name, _, _ in MOVABLE:
                if word in reason:
                    found.setdefault(day.year, {}).setdefault(name, []).append(day)
        return found

    def holiday_name(self, day: date) -> str | None:
        if day in self.extra_holidays:
            return self._names.get(day) or t("local holiday")
        return self._days.get(day) if self._noticed(day) else None

    @cached_property
    def _names(self) -> dict[date, str]:
        from dutyctl.output import visible  # a reason is the rules file's text

        return {day: visible(reason) for day, reason in self.named}


#: the statutory holidays whose day the law does not fix by the Gregorian calendar and the
#: lunar table does not give (清明 a solar term, 端午 and 中秋 lunar days beyond 正月): the
#: rules' days say it, by a reason holding the word; with the earliest and latest (month,
#: day) it falls on in 1990-2100 (`lunardays`' years; the `holidays` package's lunisolar
#: tables: 清明 4-4..4-5, 端午 5-27..6-25, 中秋 9-7..10-6), each unknown while the rules list
#: none of it
MOVABLE = (("清明", "清明节", (4, 4), (4, 5)), ("端午", "端午节", (5, 27), (6, 25)),
           ("中秋", "中秋节", (9, 7), (10, 6)))


def _reaches(first: date, last: date, earliest: date, latest: date) -> bool:
    return first <= latest and earliest <= last


def _by_law(day: date) -> bool:
    """A statutory day fixed by 《全国年节及纪念日放假办法》 (2024 revision, in force 2025):
    元旦 1-1, 春节 除夕 to 初三 (`lunardays`), 劳动节 5-1..5-2, 国庆节 10-1..10-3."""
    from dutyctl import lunardays

    if (day.month, day.day) in ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)):
        return True
    try:
        first = lunardays.new_year(day.year)
    except ValueError:  # a year outside the table
        return False
    return -1 <= (day - first).days <= 2


def official_calendar(country: str):
    """What the installed `holidays` package knows of `country`: (days, (first, last year with
    official notices)); `days` answers `day in days`, `days.get(day)` (the holiday's name) and
    `days.is_working_day(day)`. The one place the package is asked: tests give their own data
    here, so a release with a new year's notice cannot change what they expect. China's
    official years come from the user's cache while the installed package is unchanged
    (importing `holidays` loads every country: ~60 ms of each `list`, `show`, report)."""
    if country == "CN":
        found = _cached_china()
        if found is not None:
            return found
    return _from_package(country)


def _from_package(country: str):
    import holidays

    days = holidays.country_holidays(country, language="zh_CN" if country == "CN" else None)
    if country != "CN":
        return days, (1, 9999)
    from holidays.countries.china import ChinaStaticHolidays

    notices = ChinaStaticHolidays.special_public_holidays
    return days, (min(notices), max(notices))


class OfficialDays:
    """China's holidays (names in Chinese) and 调休 working days of the official years, as the
    installed package gives them; any other year is asked of the package itself."""

    def __init__(self, names: dict[date, str], workdays: set[date], years: tuple[int, int]):
        self.names, self.workdays, self.years = names, workdays, years
        self._package = None

    def _covered(self, day: date) -> bool:
        return self.years[0] <= day.year <= self.years[1]

    def _live(self):
        if self._package is None:
            self._package = _from_package("CN")[0]
        return self._package

    def __contains__(self, day: date) -> bool:
        return day in self.names if self._covered(day) else day in self._live()

    def get(self, day: date, default=None):
        return self.names.get(day, default) if self._covered(day) else self._live().get(
            day, default)

    def is_working_day(self, day: date) -> bool:
        if not self._covered(day):
            return self._live().is_working_day(day)
        return day in self.workdays if day.weekday() >= 5 else day not in self.names


def _cached_china():
    """(OfficialDays, years) from the user's cache, made from the package when missing or when
    the package's files changed (a new release); None when there is no package at all."""
    import os
    import sys
    from importlib.util import find_spec

    from dutyctl.caches import cache_key, user_cache_dir
    from dutyctl.yamlcache import read_stamped, write_stamped

    spec = find_spec("holidays")
    if spec is None or not spec.submodule_search_locations:
        return None
    package = spec.submodule_search_locations[0]
    try:
        stamp = (1, sys.version_info[:2], package) + tuple(
            (info.st_size, info.st_mtime_ns, info.st_ino) for info in (
                os.stat(os.path.join(package, *name)) for name in (
                    ("version.py",), ("countries", "china.py"))))
    except OSError:
        return None
    # one file per installed package: two installs (a venv, pipx) must not replace each
    # other's cache at every command
    from zlib import crc32

    cache = user_cache_dir() / f"holidays-CN-{crc32(os.fsencode(package)):08x}.marshal"
    try:
        years, names, workdays = read_stamped(cache, stamp, cache_key(cache.parent))
        return _official_days(years, names, workdays), tuple(years)
    except Exception:  # noqa: BLE001 - a missing or damaged cache only means asking the package
        pass
    days, years = _from_package("CN")
    every = range(years[0], years[1] + 1)
    for year in every:
        date(year, 1, 1) in days  # the package fills in a year when it is first asked about
    names = [(day.toordinal(), name) for day, name in days.items() if day.year in every]
    workdays = [day.toordinal() for day in days.weekend_workdays if day.year in every]
    # its key beside it (the user's own folder); a read-only home: asked again
    write_stamped(cache, stamp, (years, names, workdays), cache_key(cache.parent, create=True))
    return _official_days(years, names, workdays), tuple(years)


def _official_days(years, names, workdays) -> OfficialDays:
    return OfficialDays({date.fromordinal(day): name for day, name in names},
                        {date.fromordinal(day) for day in workdays}, tuple(years))


def read_date(value: Any) -> date | None:
    """A quoted "2026-12-24" (or "2026/12/24", "2026年12月24日") or an unquoted YAML date (no
    information lost); never a datetime."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return written_date(value)
    return None


def _no_such_day(value: Any) -> str | None:
    """Why a date written in a file is no day of the calendar (2026-02-30)."""
    return no_such_day(value) if isinstance(value, str) else None


_NO_YEAR = re.compile(r"^(\d{1,2})\s*(?:月\s*(\d{1,2})\s*[日号]?|[-/.](\d{1,2}))$")


_RANGE_TEXT = re.compile(r"^(.+?)\s*(?:至|到|~|～|—|--)\s*(.+)$")
# 12月3日-12月5日: one hyphen between two days written with 月 (2026-12-03 holds hyphens itself)
_RANGE_HYPHEN = re.compile(r"^(.*?月.*?)\s*-\s*(.*?月.*)$")


def _example_day(month: int, day: int, like: str | None = None) -> str | None:
    """The day as a refusal's example writes it: in the year and month of `like` (an ISO
    date), else the day's coming occurrence (on 2026-12-20, 1月5日 is 2027-01-05): an example,
    not a guess the rules keep, but one a supervisor may copy. None for a day no calendar has
    (12月35日)."""
    if like:
        with contextlib.suppress(ValueError):
            return date(int(like[:4]), int(like[5:7]), day).isoformat()
        return None
    today = timeutil.clock().date()
    for year in range(today.year, today.year + 5):  # 2月29日: the next leap year
        with contextlib.suppress(ValueError):
            return timeutil.coming_year(date(year, month, day), today).isoformat()
    return None


def _range_day(text: str) -> str | None:
    """One end of a range typed as text, as the example writes it: 12月3日 (no year) in the
    year the no-year refusal's example gives it."""
    day = written_date(text)
    if day is not None:
        return day.isoformat()
    match = _NO_YEAR.match(text.strip())
    return _example_day(int(match[1]), int(match[2] or match[3])) if match else None


def _range_of(first: Any, last: Any, chinese: bool) -> str:
    """A range of days as the file writes one: {从: "2026-12-10", 到: "2026-12-12"} in a file
    written in Chinese, {from: ..., to: ...} in one written in English."""
    if chinese:
        return '{从: "%s", 到: "%s"}' % (first, last)
    return '{from: "%s", to: "%s"}' % (first, last)


def _range_as_text(value: Any, chinese: bool = False) -> str | None:
    """Why "2026-12-10至2026-12-12" or 12月3日-12月5日 is no date: a range is written {from: ...,
    to: ...} (`chinese`: {从: ..., 到: ...}), each day with its year."""
    typed = half_width(value).strip() if isinstance(value, str) else ""
    match = _RANGE_TEXT.match(typed) or _RANGE_HYPHEN.match(typed)
    first, last = (_range_day(match[1]), _range_day(match[2])) if match else (None, None)
    day_only = re.fullmatch(r"(\d{1,2})\s*[日号]?", match[2].strip()) if match else None
    if first is not None and last is None and day_only:  # 12月3日至5日: the first's month
        last = _example_day(0, int(day_only[1]), like=first)
    if first is None or last is None:
        return None
    example = _range_of(first, last, chinese)
    if day_only:
        return t("'{value}': a range of days is written with both days whole, like "
                 "{example}", value=value.strip(), example=example)
    if written_date(match[1]) is None or written_date(match[2]) is None:
        return t("'{value}' has no year: a range of days is written with the year, like "
                 "{example}", value=value.strip(), example=example)
    return t("a range of days is written {example}", example=example)


def no_year(value: Any) -> str | None:
    """Why 12月1日 or 12/1 in a file is no date: it has no year (the rules span years)."""
    match = _NO_YEAR.match(half_width(value).strip()) if isinstance(value, str) else None
    example = _example_day(int(match[1]), int(match[2] or match[3])) if match else None
    if example is None:
        return None
    return t("'{value}' has no year: write the year too, like \"{example}\"", value=value.strip(),
             example=example)


#: the longest range of days a list in the rules takes (a leave, extra holidays): one from
#: another desk running over centuries would have every roster question walk millions of days
MAX_SPAN_DAYS = 366


def listed_days(fields: Fields, key: str) -> dict[date, str | None]:
    """The days of a list in the rules (leave, extra holidays), each a date or a range
    {from: D, to: D} with an optional reason (a week of Spring Festival is one line): day ->
    the reason of its range, None without one."""
    from dutyctl import ruleskeys

    days: dict[date, str | None] = {}
    chinese = not str(fields.label(key)).isascii()  # 请假: the examples in its words
    alone = fields.raw(key) if fields.has(key) else None
    said = _range_as_text(alone, chinese) if isinstance(alone, str) else None
    if said is not None:  # `请假: 2027-01-14至2027-01-16`: the list form whole, not [the text]
        fields.problem(key, t("expected a list: {said}, in square brackets [ ]", said=said))
        return days
    for index, item, line in fields.items(key, required=False):
        label = f"{key}[{index}]"
        if isinstance(item, dict):
            span = Fields(item, fields.path, fields.problems, line, fields.inside(label))
            span.unknown(("from", "to", "reason"), ruleskeys.SPAN)
            first, last = date_field(span, "from", True), date_field(span, "to", True)
            reason = span.text("reason", required=False)
            if first and last:
                if last < first:
                    from dutyctl.output import day_label

                    years = last.year != first.year  # 2026-02-14 before 2027-02-05
                    span.problem("to", t("{last} is before {from_key} {first}: {from_key} is "
                                         "the first day, {to_key} the last",
                                         last=day_label(last, years),
                                         first=day_label(first, years),
                                         from_key=span.label("from"),
                                         to_key=span.label("to")))
                elif (last - first).days >= MAX_SPAN_DAYS:
                    span.problem("to", t("a range of {days} days: one covers at most {most} "
                                         "days (a year)", days=(last - first).days + 1,
                                         most=MAX_SPAN_DAYS))
                    continue
                days.update((day, reason) for day in timeutil.days_between(first, last))
            continue
        day = read_date(item)
        if day is None:
            fields.problem(label, _no_such_day(item) or no_year(item) or part_of_a_day(item)
                           or _range_as_text(item, chinese) or misread(
                t('expected a date like "2026-12-24" or a range {range}',
                  range=_range_of("2026-12-10", "2026-12-12", chinese)), item), line)
        else:
            days.setdefault(day, None)
    return days


def date_field(fields: Fields, key: str, required: bool = False) -> date | None:
    """The date under `key` (None, said as a problem when required or unreadable)."""
    if not fields.has(key):
        if required:
            fields.problem(key, t("is required"))
        return None
    day = read_date(fields.raw(key))
    if day is None:
        fields.problem(key, _no_such_day(fields.raw(key)) or no_year(fields.raw(key))
                       or part_of_a_day(fields.raw(key))
                       or misread(t('expected a date like "2026-12-01"'), fields.raw(key)))
    return day


#: a date followed by a part of it: 上午 (morning), 下午, 晚上, or a time of day
_PART_OF_A_DAY = re.compile(r"^(?P<day>.+?)\s*(?:上午|下午|中午|晚上|早上|夜里|\d{1,2}[:：]\d{2})$")


def part_of_a_day(value: Any) -> str | None:
    """Why `2026年12月24日上午` or `2026-12-24 08:00` is no day of the rules: they count whole
    days (leave, holidays, a start); a half day off is a change of that shift's place."""
    match = _PART_OF_A_DAY.match(half_width(value).strip()) if isinstance(value, str) else None
    day = read_date(match["day"]) if match else None
    if day is None:
        return None
    from dutyctl.commandwords import said

    return t("'{value}' is part of a day: the rules count whole days, so write the day alone, "
             "\"{day}\" (a half day off: put someone on that shift with 'dutyctl {override}')",
             value=value.strip(), day=day.isoformat(), override=said("roster", "override"))


def _keys(chinese: bool) -> tuple[str, ...]:
    """The calendar's keys as a file written in Chinese (or in English) writes them."""
    if not chinese:
        return SiteCalendar().keys
    from dutyctl import ruleskeys

    first = ruleskeys.first_words(ruleskeys.TOP, ruleskeys.CALENDAR, ruleskeys.SPAN)
    return tuple(first[key] for key in SiteCalendar().keys)


def parse_calendar(fields: Fields | None, section: str = "calendar") -> SiteCalendar:
    """The `calendar:` section of the rules: country, extra_holidays, extra_workdays;
    `section`: the section's key as the file writes it (日历), for the messages."""
    if fields is None:
        return SiteCalendar(keys=_keys(not section.isascii()))
    from dutyctl import ruleskeys

    fields.unknown(("country", "extra_holidays", "extra_workdays"), ruleskeys.CALENDAR)
    country = fields.text("country", required=False, default=DEFAULT_COUNTRY) or DEFAULT_COUNTRY
    days = {key: listed_days(fields, key) for key in ("extra_holidays", "extra_workdays")}
    named = tuple(sorted((day, reason) for day, reason in days["extra_holidays"].items()
                         if reason))
    extra_holidays = frozenset(days["extra_holidays"])
    extra_workdays = frozenset(days["extra_workdays"])
    both = sorted(extra_holidays & extra_workdays)
    if both:  # the working day silently won: say so, naming the days
        from dutyctl.output import day_label

        fields.problem("extra_workdays", t(
            "{days}: listed both as a holiday and as a working day: keep each day in one list",
            days=t(", ").join(day_label(day, year=True) for day in both)))
    keys = _keys(not (fields.where or section).isascii()
                 or not str(fields.label("extra_holidays")).isascii())
    if country == DEFAULT_COUNTRY:
        return SiteCalendar(country, extra_holidays, extra_workdays, named, keys,
                            fields.line_of("extra_holidays"))
    try:  # importing `holidays` costs ~25 ms: only for a country other than the default
        import holidays

        holidays.country_holidays(country)
    except NotImplementedError:
        fields.problem("country", t("no holiday calendar for country '{country}'",
                                    country=country))
        country = DEFAULT_COUNTRY
    return SiteCalendar(country, extra_holidays, extra_workdays, named, keys,
                            fields.line_of("extra_holidays"))


def load_site_calendar(workspace) -> SiteCalendar:
    """The calendar section of rosters/rules.yaml; the plain CN calendar when there are none."""
    from dutyctl.errors import ProblemsFound
    from dutyctl.rulesfile import rules_data, rules_path

    data = rules_data(workspace)
    if data is None:
        return SiteCalendar()
    problems: list[Problem] = []
    top = Fields(data, workspace.relative(rules_path(workspace)), problems)
    calendar = parse_calendar(top.mapping("calendar", required=False), top.label("calendar"))
    if problems:
        raise ProblemsFound(problems)
    return calendar
