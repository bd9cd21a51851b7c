"""A recurring job's rule as a supervisor writes it in Chinese, turned into the RFC 5545 RRULE
dateutil counts: 每天, 每3天, 每周一, 每周一、三、五, 每周一至周五, 每两周周三, 每月15日,
每月1日、15日, 每月最后一天, 每月第一个周一, 每月最后一个周五, 每月第一个周一至周五 (the
month's first day that is one of them), 每两个月10日, 每季度15日, 每半年1日, 每年3月1日,
每年11月最后一天, 每年3月第一个周一. The day and time it starts from are the job's `start` and `at`, as
with an RRULE; a rule that names no day (每周, 每月, 每年) keeps the weekday or date of
`start`. Working days are not a rule's to know (holidays move them): write 每周一至周五.

A day of the month some months lack (每月31日, 30日, 29日) means what a supervisor means: that
day, or the month's last day in a shorter month (RFC 5545 alone would skip those months). So
does a rule naming no day from a `start` on such a day (每月 from the 31st: `from_start`), and
每年2月29日 (or 每年 from a 29 February) is 28 February in the years without a 29th.
每十一月 and 每3月 read two ways (every November / March, or every 11 / 3 months): they are
refused, and `ambiguous_month` says how to write either (每年11月1日, 每11个月).

`first_due` asks dateutil (imported there, not with this module) for the first day a rule
fits within a bounded look-ahead (`first_fitting`) and whether its UNTIL or COUNT lets it
reach that day: `check` uses it for jobs' rules, the rules reader for shifts' `days:`.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from dutyctl.timeutil import half_width, small_number

_NUMBER = r"\d{1,3}|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九]"
_WEEKDAYS = {"一": "MO", "二": "TU", "三": "WE", "四": "TH", "五": "FR", "六": "SA", "日": "SU",
             "天": "SU", "1": "MO", "2": "TU", "3": "WE", "4": "TH", "5": "FR", "6": "SA",
             "7": "SU"}
_ORDER = list(dict.fromkeys(_WEEKDAYS.values()))
_WEEK_WORD = r"(?:周|星期|礼拜)"
_RULE = re.compile(
    rf"""^每(?P<every>{_NUMBER})?(?P<counter>个)?
    (?:(?P<day>天|日)
      |{_WEEK_WORD}的?(?P<weekdays>.*)
      |(?P<month>月|季度?|半年)的?(?P<in_month>.*)
      |年的?(?:(?P<year_month>{_NUMBER})月(?P<year_in>.+))?
    )$""", re.VERBOSE)
_ONE_DAY = re.compile(rf"^(?P<day>{_NUMBER})[日号]$")
_MONTH_DAYS = re.compile(rf"^(?:{_NUMBER})[日号](?:[、，,和及](?:{_NUMBER})[日号])*$")
_NTH_WEEKDAY = re.compile(rf"^(?:第(?P<nth>{_NUMBER})|(?P<last>最后一?|倒数第一))个?{_WEEK_WORD}"
                          r"(?P<weekday>[一二三四五六日天1-7])$")
#: 第一个周一至周五, 最后一个周六、日: the first (last) day of the month that is one of them
_NTH_OF_WEEKDAYS = re.compile(rf"^(?:第(?P<nth>{_NUMBER})|(?P<last>最后一?|倒数第一))个?"
                              rf"(?P<weekdays>{_WEEK_WORD}.+)$")
_LAST_DAY = ("最后一天", "最后一日", "最后1天", "最后1日", "月底", "月末", "底", "末")
_MONTHS_OF = {"月": 1, "季": 3, "季度": 3, "半年": 6}
_MONTH_LENGTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 2月29日 comes in leap years


def rrule_of(text: str) -> str | None:
    """The RRULE a Chinese rule means, or None when `text` is not one."""
    typed = re.sub(r"\s+", "", half_width(text))
    match = _RULE.match(typed)
    if not match:
        return None
    every = small_number(match["every"]) if match["every"] else 1
    if every < 1:
        return None  # 每0天: dateutil would repeat one moment forever
    if match["day"]:
        return _with_interval("FREQ=DAILY", every)
    if match["weekdays"] is not None:
        days = _weekdays(match["weekdays"])
        if days is None:
            return None
        return _with_interval("FREQ=WEEKLY", every) + (f";BYDAY={','.join(days)}" if days else "")
    if match["month"]:
        if match["every"] and match["month"] != "月":
            return None  # 每两季度: write 每六个月
        if _month_named(match):
            return None  # 每十一月: November, or every 11 months? (ambiguous_month)
        rule = _with_interval("FREQ=MONTHLY", every * _MONTHS_OF[match["month"]])
        part = _in_month(match["in_month"])
        return None if part is None else rule + part
    if match["every"]:
        return None  # 每两年: rare enough to write as an RRULE (INTERVAL=2)
    if match["year_month"]:
        month = small_number(match["year_month"])
        if not 1 <= month <= 12:
            return None
        one = _ONE_DAY.match(match["year_in"])
        if not one:  # 每年11月最后一天, 每年3月第一个周一, 每年6月1日、15日: as in a month
            part = _in_month(match["year_in"])
            return None if not part else f"FREQ=YEARLY;BYMONTH={month}{part}"
        day = small_number(one["day"])
        if not 1 <= day <= _MONTH_LENGTH[month - 1]:
            return None  # 每年2月30日 would never come
        if (month, day) == (2, 29):  # 28 February in the three years of four without a 29th
            return "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29,-1;BYSETPOS=1"
        return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}"
    return "FREQ=YEARLY"


def from_start(rule: str, start: date) -> str:
    """A Chinese rule's RRULE (`rrule_of`) given the job's `start`: a rule naming no day keeps
    the day of `start`, and where a month lacks it (每月, 每季度, 每半年 from the 29th-31st;
    每年 from 29 February) falls on that month's last day, as 每月31日 does, rather than
    skipping the month as RFC 5545 would."""
    if re.fullmatch(r"FREQ=MONTHLY(?:;INTERVAL=\d+)?", rule) and start.day >= 29:
        return f"{rule};BYMONTHDAY={start.day},-1;BYSETPOS=1"
    if rule == "FREQ=YEARLY" and (start.month, start.day) == (2, 29):
        return f"{rule};BYMONTH=2;BYMONTHDAY=29,-1;BYSETPOS=1"
    return rule


def _month_named(match: re.Match) -> int | None:
    """The month 每十一月 / 每3月 could name (11, 3): a number a month is called by, right
    before 月 without 个; None when the words say months apart (每两月, 每三个月, 每13月)."""
    if match["month"] != "月" or not match["every"] or match["counter"] \
            or "两" in match["every"]:
        return None
    number = small_number(match["every"])
    return number if 1 <= number <= 12 else None


def ambiguous_month(text: str) -> tuple[int, str] | None:
    """(the month, the rest of the rule) of a rule read two ways: 每十一月1日 is every
    November 1st to one reader and every eleven months, on the 1st, to another -> (11, '1日');
    None for any other text."""
    typed = re.sub(r"\s+", "", half_width(text))
    match = _RULE.match(typed)
    if not match or not (month := _month_named(match)):
        return None
    return month, match["in_month"]


def _with_interval(rule: str, every: int) -> str:
    return rule if every == 1 else f"{rule};INTERVAL={every}"


def _weekdays(text: str) -> list[str] | None:
    """一、三、五 / 一至五 / 周一到周五 / (nothing) -> ['MO', 'WE', 'FR'] ... or []; None when
    it names no weekday."""
    if not text:
        return []
    days: list[str] = []
    for item in re.split(r"[、，,和及]", text):
        ends = re.split(r"至|到|-|~|～", item)
        if len(ends) > 2:
            return None
        codes = [_WEEKDAYS.get(re.sub(rf"^{_WEEK_WORD}", "", end)) for end in ends]
        if None in codes:
            return None
        first, last = _ORDER.index(codes[0]), _ORDER.index(codes[-1])
        if last < first:
            return None
        days += [day for day in _ORDER[first:last + 1] if day not in days]
    return days


def _in_month(text: str) -> str | None:
    """15日 / 1日、15日 / 最后一天 / 第一个周一 / 最后一个周五 / (nothing) -> the RRULE's part."""
    if not text:
        return ""
    if text in _LAST_DAY:
        return ";BYMONTHDAY=-1"
    if _MONTH_DAYS.match(text):
        numbers = list(dict.fromkeys(small_number(number)
                                     for number in re.findall(_NUMBER, text)))
        if not all(1 <= number <= 31 for number in numbers):
            return None
        days = ";BYMONTHDAY=" + ",".join(map(str, numbers))
        if max(numbers) < 29:
            return days
        # 31日 in April is the 30th: the month's days named that exist, and its last day, of
        # which the first len(numbers) (the last day comes last, and only when a named day
        # is missing does it stand in for one)
        positions = ",".join(str(position) for position in range(1, len(numbers) + 1))
        return f"{days},-1;BYSETPOS={positions}"
    nth = _NTH_WEEKDAY.match(text)
    if nth:
        which = -1 if nth["last"] else small_number(nth["nth"])
        if not 1 <= abs(which) <= 5:
            return None
        return f";BYDAY={which}{_WEEKDAYS[nth['weekday']]}"
    nth = _NTH_OF_WEEKDAYS.match(text)
    days = _weekdays(nth["weekdays"]) if nth else None
    if not days:
        return None
    which = -1 if nth["last"] else small_number(nth["nth"])
    if not 1 <= abs(which) <= most_of(days):
        return None
    return f";BYDAY={','.join(days)};BYSETPOS={which}"


def most_of(days: list[str]) -> int:
    """How many days of the weekdays `days` a month has at most: four weeks and three days
    (31), each weekday four times and those of the three days once more (周一至周五: 23)."""
    return 4 * len(days) + min(3, len(days))


def working_day_form(text: str) -> str | None:
    """The rule `text` says with 工作日 (working day) written 周一至周五, when that is a rule
    (每月第一个工作日 -> 每月第一个周一至周五); None otherwise. Working days move with the
    holidays and make-up days, which a rule cannot know: `check` suggests this instead."""
    typed = re.sub(r"\s+", "", half_width(text))
    if "工作日" not in typed:
        return None
    meant = typed.replace("工作日", "周一至周五")
    return meant if rrule_of(meant) else None


_INTERVAL = re.compile(r"INTERVAL\s*=\s*([^;\n]*)", re.IGNORECASE)


def bad_interval(rule: str) -> bool:
    """Whether an RRULE's INTERVAL is other than a whole number of 1 or more: 0 lists one day
    for ever in dateutil, -1 breaks its search, and ² or 5,000 digits int() refuses."""
    return any(not re.fullmatch(r"[0-9]+", value.strip()) or not value.strip().lstrip("0")
               for value in _INTERVAL.findall(rule))


LOOK_AHEAD_YEARS = 10  # a rule (a job's, a shift's days) that fits no day this long never does


class Unlistable(ValueError):
    """A rule dateutil parses whose days cannot be listed (`_outside_its_period`), or whose
    search breaks all the same (IndexError)."""


def unlistable_rule() -> str:
    """The refusal of an `Unlistable` rule, a shift's days or a job's."""
    from dutyctl.messages import t

    return t("a day the rule asks for falls outside its month or year (a BYDAY such as +9MO, "
             "a BYEASTER outside -80..250 days): its days cannot be listed")


def first_due(rule, start: datetime) -> tuple[datetime | None, bool]:
    """The first day from `start` that `rule` fits within LOOK_AHEAD_YEARS (None: no day),
    and whether the rule reaches it (False: its UNTIL or COUNT ends it before): what `check`
    says of a job's rule and the rules reader of a shift's days. `Unlistable` where dateutil
    cannot list its days."""
    if _outside_its_period(rule):
        raise Unlistable()
    fits = first_fitting(rule, start, LOOK_AHEAD_YEARS)
    # asked from start now, dateutil meets that day (and stops there at an UNTIL before it)
    return fits, fits is not None and _after(rule, start) is not None


# days from Easter Sunday that stay inside its year whatever the year: Easter falls from
# 22 March (day 81, 82 in a leap year) to 25 April (day 115, 116)
EASTER_OFFSETS = range(-80, 251)
MOST_IN_A_MONTH, MOST_IN_A_YEAR = 5, 53  # of one weekday: BYDAY's ordinals (+5MO, -53SU)


def _outside_its_period(rule) -> bool:
    """Whether `rule` (an rruleset's parts too) asks for a day that falls outside its month
    or year in some month or year: a BYDAY ordinal past a month's 5 (by the month, or in
    the months of BYMONTH) or a year's 53 of a weekday, a BYEASTER offset outside
    EASTER_OFFSETS. Such a day is never meant; dateutil then drops it, lists a wrong day
    (BYEASTER=-200 from 2000: 13 October 2000) or indexes past its tables (IndexError), in
    some years only where the rule lists others (BYDAY=1MO,+8MO fails in a year whose 1
    January is a Wednesday or later)."""
    from dateutil.rrule import MONTHLY

    for part in getattr(rule, "_rrule", None) or [rule]:
        if any(offset not in EASTER_OFFSETS for offset in part._byeaster or ()):
            return True
        most = MOST_IN_A_MONTH if part._freq == MONTHLY or part._bymonth else MOST_IN_A_YEAR
        if part._freq <= MONTHLY and any(abs(n) > most for _, n in part._bynweekday or ()):
            return True
    return False


def _after(rule, moment: datetime) -> datetime | None:
    """`rule.after(moment, inc=True)`; `Unlistable` where dateutil's search breaks."""
    try:
        return rule.after(moment, inc=True)
    except IndexError:
        raise Unlistable() from None


def first_fitting(rule, start: datetime, years: int) -> datetime | None:
    """The first moment from `start` that a dateutil rrule counted from `start` fits, within
    `years` of it and whatever its UNTIL or COUNT; None when no day in those years fits it
    (BYMONTH=2;BYMONTHDAY=30, a sixth Monday: a rule that never falls due). A rule of
    several lines (an rruleset: RRULE, RDATE) fits where one of its rules or dates does, and
    not at all where one of its rules (or EXRULEs) fits no day: dateutil lists a set by
    running every part, that one to the year 9999. Its EXDATEs are not looked at.

    dateutil looks for a day that fits up to the year 9999, however it is asked (between,
    xafter: 17 s for a daily rule no day fits). So the rule is asked from a whole number of
    400 years later, where the year 9999 comes within `years` + 400 years: the Gregorian
    calendar repeats every 400 years, weekdays and week numbers too. Not Easter: a yearly
    BYEASTER rule is asked in its own years (0.4 s to the year 9999 where none fits); one
    by the month, week or day (seconds to 9999) is judged by the Easters of the years it
    is asked in, which may fall otherwise."""
    from datetime import MAXYEAR

    from dateutil.relativedelta import relativedelta
    from dateutil.rrule import YEARLY

    if hasattr(rule, "_rrule"):  # an rruleset (dateutil keeps its parts by these names)
        parts = [first_fitting(part, start, years) for part in rule._rrule + rule._exrule]
        if None in parts:  # listing the set would run that part to the year 9999
            return None
        end = _years_after(start, years)
        return min(parts[:len(rule._rrule)]
                   + [day for day in rule._rdate if start <= day <= end], default=None)
    shift = 0 if rule._byeaster and rule._freq == YEARLY \
        else 400 * max(0, (MAXYEAR - years - start.year) // 400)
    later = start + relativedelta(years=shift)
    found = _after(rule.replace(dtstart=later, until=None, count=None), later)
    if found is None or found > _years_after(later, years):
        return None
    return found - relativedelta(years=shift)


def _years_after(moment: datetime, years: int) -> datetime:
    """`moment` plus `years`, or the last moment there is (from a start in the year 9995)."""
    from dateutil.relativedelta import relativedelta

    try:
        return moment + relativedelta(years=years)
    except (ValueError, OverflowError):
        return datetime.max
