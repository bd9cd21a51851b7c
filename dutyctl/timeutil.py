"""Times as the desk speaks them, always turned into aware datetimes in the site's zone."""

from __future__ import annotations

import contextlib
import math
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from dutyctl.errors import InputError
from dutyctl.folding import half_width
from dutyctl.messages import N_, gettext, t, tn
from dutyctl.patterns import lazy

_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# durations as the site's rules and the desk write them: 30m, 2h, 3d, 7wd (working days), and
# as a supervisor writes them in Chinese: 30分钟, 2小时, 两小时, 十五分钟, 3天, 7个工作日, 半小时,
# 一个半小时, 1天半, 半个工作日
_DURATION = re.compile(r"""^(?:
    (?P<number>\d+(?:\.\d+)?|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])
      \s*(?P<counter>个)?(?P<and_half>半)?
    |(?P<half>半)(?P<half_counter>个)?)
    \s*(?P<unit>min|m|h|wd|d|分钟|分|小时|钟头|天|日|工作日)(?P<half_after>半)?$""", re.VERBOSE)
_DURATION_UNITS = {"m": 60, "min": 60, "分钟": 60, "分": 60, "h": 3600, "小时": 3600,
                   "钟头": 3600, "d": 86400, "天": 86400, "日": 86400, "wd": 86400,
                   "工作日": 86400}
_WORKING_DAYS = ("wd", "工作日")
_COUNTED = ("小时", "钟头", "工作日")  # the units said with 个: 两个小时, 一个半工作日, 半个工作日
_WHOLE_DAYS = ("天", "日")  # 一天半 (36 hours), but 半天 alone: 12 hours, or half a working day?


# Typed dates must leave room for the day arithmetic around them (reports look a day either
# side, ids count milliseconds from 1970): outside this range a date is a typo.
FIRST_DAY, LAST_DAY = date(1970, 1, 2), date(9998, 12, 31)


def check_range(day: date, text: str) -> None:
    """InputError for a typed date outside FIRST_DAY..LAST_DAY (year 1, year 9999 ...)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(t("'{text}' is out of range: dates run from {first} to {last}",
                           text=text, first=FIRST_DAY, last=LAST_DAY))


#: China's time as a Chinese file names it (the name dutyctl's calendars show it by)
ZONE_WORDS = {"北京时间": "Asia/Shanghai", "中国标准时间": "Asia/Shanghai"}


def iana(name: str) -> str:
    """The IANA name of a time zone written as a file may write it (北京时间: Asia/Shanghai)."""
    return ZONE_WORDS.get(name.strip(), name) if isinstance(name, str) else name


def zone(name: str) -> tzinfo:
    """The IANA zone `name` (or one of ZONE_WORDS); an unknown name is an error, never a
    silent UTC."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(iana(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(t("unknown time zone '{name}' (expected an IANA name such as "
                           "Asia/Shanghai)", name=name)) from None


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


# Where "now" comes from: every command asks `now()`, so tests set one fixed instant here
# (the `clock` fixture) instead of depending on the day and hour they run.
clock = system_clock


def now(tz: tzinfo) -> datetime:
    return clock().astimezone(tz).replace(microsecond=0)


# clocks of two desks differ by a little; more than this ahead is a typo, not a skew
FUTURE_TOLERANCE = timedelta(minutes=5)
# a step taken now on a record another desk dated up to this much later (its clock ahead) is
# recorded at that record's time, not refused (cli.session: Session._after_other_clock)
CLOCK_SKEW = timedelta(minutes=15)


def refuse_future(moment: datetime, current: datetime, typed: str | None = None) -> None:
    """A step is recorded when it happened: a time ahead of now (a typed 12-25 for 12-03)
    would leave a person clocked in for weeks or a call dated days ahead. A bare clock time
    (`typed`) later today is most likely last night's, typed after midnight: say how."""
    if moment <= current + FUTURE_TOLERANCE:
        return
    said = dict(at=local_time(moment, current.tzinfo), now=local_time(current, current.tzinfo))
    if moment <= current + CLOCK_SKEW:
        # minutes ahead: this computer's clock behind another desk's (the time typed was read
        # off the other desk's record), or a slip; never yesterday's, which a step on that
        # record would refuse as before it. Whole minutes rounded up: 5m20s ahead with 5
        # allowed is "6 minutes", never the tolerance itself
        minutes = math.ceil((moment - current).total_seconds() / 60)
        raise InputError(lambda name: tn(
            "{at} is in the future, {minutes} minute ahead of this computer's clock (now {now}): if "
            "this computer's clock is behind, set it right; to record it now, leave {option} out",
            "{at} is in the future, {minutes} minutes ahead of this computer's clock (now {now}): "
            "if this computer's clock is behind, set it right; to record it now, leave {option} "
            "out",
            minutes, minutes=minutes, option=name("at"), **said))
    if typed is not None and bare_clock(typed) and moment - timedelta(days=1) <= current:
        local = moment.astimezone(current.tzinfo)
        if local.date() > current.date():  # 晚上12点: the midnight that ends today
            if current.hour >= 12:  # at 23:50 it is still ahead: no day to suggest
                raise InputError(t("{at} is in the future (now {now}): record what has "
                                   "happened, at the time it happened", **said))
            # typed at 00:30: the midnight just gone is today's 00:00, not yesterday's
            raise InputError(lambda name: t(
                "{at} is in the future (now {now}): for the midnight just gone write "
                "{option} \"{today}\"", option=name("at"),
                today=t("today {clock}", clock=f"{local:%H:%M}"), **said))
        _for_yesterday(f"{moment:%H:%M}", said)
    local = moment.astimezone(current.tzinfo) - timedelta(days=1)
    if (typed is not None and night_after(typed) and local <= current
            and local.date() == current.date() - timedelta(days=1)):
        # 昨晚1点 at 00:30: the 01:00 of the night just begun is ahead; the one before is
        # yesterday's (今夜1点 at 22:00 is only a few hours ahead: no day to suggest)
        _for_yesterday(f"{local:%H:%M}", said)
    raise InputError(t("{at} is in the future (now {now}): record what has happened, "
                       "at the time it happened", **said))


def _for_yesterday(clock: str, said: dict) -> None:
    """Refused as ahead of now, with yesterday's same clock time to write instead."""
    yesterday = t("yesterday {clock}", clock=clock)
    raise InputError(lambda name: t("{at} is in the future (now {now}): for yesterday's "
                                    "write {option} \"{yesterday}\"", option=name("at"),
                                    yesterday=yesterday, **said))


def night_after(typed: str) -> bool:
    """A small hour of a named day's night (昨晚1点: the day after the one named)."""
    match = _said(typed)
    if not match or match["hour"] is None or not _names_a_day(match):
        return False
    try:
        return _clock_of(match)[1] == 1
    except ValueError:
        return False


def bare_clock(typed: str) -> bool:
    """A time of day typed without a day (23:50, 晚上11点): it names a day only by default."""
    match = _said(typed)
    return bool(match) and match["hour"] is not None and not _names_a_day(match)


def spoken_clock(typed: str) -> time | None:
    """A time of day said in words, without a day (8点半, 下午3点, 晚上8点): the wall-clock time
    it names, to say how a file that wants "08:30" takes it; None for anything else."""
    match = _said(typed)
    if not match or match["hour"] is None or _names_a_day(match) or (
            match["minute"] is not None and match["period"] is None):
        return None  # 08:30 itself, or a day named: not a spoken clock
    try:
        clock = _clock_of(match)
    except ValueError:
        return None
    return clock[0] if clock and not clock[1] else None


def parse_clock(text: str) -> time | None:
    """'09:00' (or '０９：００', typed in full-width mode) -> time(9, 0); None when it is not
    a wall-clock time."""
    match = _CLOCK.match(half_width(text).strip()) if isinstance(text, str) else None
    return time(int(match[1]), int(match[2])) if match else None


def parse_duration(text: str) -> tuple[timedelta, bool] | None:
    """'30m', '1.5h', '3d' or '7wd' (working days), or '30分钟', '两小时', '一个半小时', '3天',
    '1天半', '7个工作日', '半个工作日', '半小时' (full-width digits too) -> (length, counts
    working days only). 半天 is None: `duration_hint` says why; so is a length no clock holds."""
    parsed = _held_length(text)
    return None if parsed is None else (parsed[0], parsed[1] in _WORKING_DAYS)


_WINDOW_END = re.compile(r"\s*(?:以内|之内|内)$")  # 2小时内: the window as a clerk says it


def parse_window(text: str) -> tuple[timedelta, bool] | None:
    """A look-ahead window (`list --due-within`): (length, said in days). '1d', '1天' and
    '1个工作日' alike are said in days, which each deadline counts as it counts its own days
    (a working day on a business-hours clock); '2h', '30分钟' are hours of its clock. '2小时内'
    and '2小时以内' are the window as a clerk says it."""
    if isinstance(text, str):
        text = _WINDOW_END.sub("", half_width(text).strip())
    parsed = _held_length(text)
    return None if parsed is None else (parsed[0], parsed[1] in ("d", *_WHOLE_DAYS,
                                                                 *_WORKING_DAYS))


def _held_length(text: object) -> tuple[timedelta, str] | None:
    """`_length_and_unit`, None for a length no timedelta holds (99999999999天)."""
    parsed = _length_and_unit(text)
    return None if parsed is _TOO_LONG else parsed


#: what `_length_and_unit` gives for a length no timedelta holds (99999999999天): longer
#: than any deadline, yet a length
_TOO_LONG = (timedelta.max, "d")


def _length_and_unit(text: object) -> tuple[timedelta, str] | None:
    if not isinstance(text, str):
        return None
    match = _DURATION.match(half_width(text).strip())
    if not match:
        return None
    unit = match["unit"]
    chinese = not unit.isascii()
    if (match["counter"] or match["half_counter"] or match["and_half"]) and unit not in _COUNTED:
        return None  # 两个天, 一个半h
    if match["half"]:
        if unit not in _COUNTED:
            return None  # 半天: ambiguous; 半分钟: no time limit
        number = 0.5
    else:
        said = match["number"]
        number = float(said) if said[0].isdigit() else small_number(said)
        halves = bool(match["and_half"]) + bool(match["half_after"])
        if halves and ("." in said or not chinese) or halves > 1:
            return None  # 1.5天半, 2h半
        if match["and_half"] and not match["counter"]:
            return None  # 一半小时
        if match["half_after"] and unit not in ("小时", "钟头", *_WHOLE_DAYS):
            return None  # 两个工作日半: write 两个半工作日
        number += 0.5 * halves
    try:
        return timedelta(seconds=number * _DURATION_UNITS[unit]), unit
    except OverflowError:  # a number of days no calendar holds
        return _TOO_LONG


def duration_hint(text: object) -> str | None:
    """How to write a duration that reads two ways (半天: 12 hours, or half a working day?);
    None for any other text."""
    if not isinstance(text, str):
        return None
    match = _DURATION.match(half_width(text).strip())
    if not match or not match["half"] or match["unit"] not in _WHOLE_DAYS:
        return None
    return t("'{value}' could mean 12 hours or half a working day: write 12小时 (12h) or "
             "半个工作日 (0.5wd)", value=text.strip())


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """A wall-clock time in `tz`; one the clocks skip (02:30 as they go from 02:00 to 03:00)
    as the instant it names, said after the jump (03:30+02:00): kept as typed, its offset was
    the one before (02:30+01:00), a time that never was, shown 03:30 on the screens and 02:30
    in the files and JSON."""
    aware = naive.replace(tzinfo=tz)
    if aware.utcoffset() == aware.replace(fold=1).utcoffset():
        return aware  # no jump at that time (the usual case: checked without a conversion)
    settled = aware.astimezone(timezone.utc).astimezone(tz)
    return aware if settled.replace(tzinfo=None) == naive else settled


# What clerks type: 明天10点, 下午3点, 今晚8点, 后天上午9:30, 周一 9:00, 10点半, 12月5日, plus the
# English day words and ISO dates. One pattern: an optional day, an optional part of the day,
# an optional clock time, with or without spaces between them.
_HOUR_WORDS = "零一二两三四五六七八九十"
#: the Spring Festival's days (腊月初八, 腊八, 小年, 除夕, 大年三十, 初一, 正月十五, 正月廿九, 元宵,
#: 大年夜 …: lunardays.OFFSETS's and LA_DAYS's words, spelt out: lunardays is imported only
#: when one is typed), in a Gregorian year as 12月5日 is (2027年除夕), or without one in the
#: year the option's rule gives
_LUNAR_WORDS = ("除夕|大年(?=夜)|大?年三十|(?:大年|正月)?初[一二三四五六七八九十]"
                "|正月(?:十[一二三四五六七八九]|廿[一二三四五六七八九]|二十[一二三四五六七八九]?)"
                "|腊月(?:初[一二三四五六七八九十]|十[一二三四五六七八九]|廿[一二三四五六七八九]"
                "|二十[一二三四五六七八九]?|三十)|腊八节?|小年|元宵节?")
_WHEN = r"""^
    (?:(?P<relative>大后天|后天|明天|今天|昨天|前天|today|tomorrow|yesterday|今|明|昨|前)
      |(?P<week>下个?|本|这个?|上个?)?(?:周|星期|礼拜)(?P<weekday>[一二三四五六日天1-7])
      |(?P<english_weekday>mon|tue|wed|thu|fri|sat|sun)[a-z]*
      |(?P<date>(?:(?P<year>\d{4})年)?(?P<month>\d{1,2}|[一二三四五六七八九十]{1,2})月
        (?P<mday>\d{1,2}|[一二三四五六七八九十]{1,3})[日号])
      |(?P<iso>\d{4}(?P<dash>[-/.])\d{1,2}(?P=dash)\d{1,2})
      |(?P<short>(?P<short_month>\d{1,2})[-/](?P<short_mday>\d{1,2}))(?![-/\d])
      |(?P<lunar>(?:(?P<lunar_year>\d{4})年)?(?P<lunar_day>%s))
    )?\s*
    (?P<period>凌晨|早上|早晨|一早|上午|中午|下午|傍晚|晚上|夜里|夜间|半夜|深夜|早|晚|夜)?\s*
    (?:(?P<hour>\d{1,2}|[%s]{1,3})
       (?:[:：](?P<minute>\d{2})
         |[点时](?:(?P<fraction>半|一刻|三刻)|(?P<minutes>\d{1,2})分?|整)?))?
    $""" % (_LUNAR_WORDS, _HOUR_WORDS)  # compiled on first use (re's cache)
_RELATIVE_DAYS = {"today": 0, "tomorrow": 1, "yesterday": -1, "今天": 0, "明天": 1, "昨天": -1,
                  "今": 0, "明": 1, "昨": -1, "后天": 2, "大后天": 3, "前天": -2, "前": -2}
_WEEKDAYS = {**{word: index for index, word in enumerate("一二三四五六")}, "日": 6, "天": 6,
             **{str(number): number - 1 for number in range(1, 8)}}
_ENGLISH_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEK_SHIFT = {"下": 7, "下个": 7, "本": 0, "这": 0, "这个": 0, "上": -7, "上个": -7}
_FRACTIONS = {"半": 30, "一刻": 15, "三刻": 45}
_MORNING, _NOON = ("凌晨", "早上", "早晨", "一早", "上午", "早"), "中午"
#: the night's words and, for each, the hours before which the hour is one of the small hours
#: after midnight (夜里2点, 昨晚1点: 02:00, 01:00), not of the evening (夜里11点: 23:00)
_SMALL_HOURS = {"夜里": 6, "夜间": 6, "半夜": 6, "深夜": 6, "晚上": 5, "晚": 5, "夜": 6}
#: examples in the words of the screen's language (a Chinese screen lists no `tomorrow`)
_EXAMPLES = N_("'17:00', 'tomorrow 10:00', '明天10点', '下午3点', '周一 9:00', '2026-11-26 09:30'")
_DEADLINE_EXAMPLES = N_("'17:00', 'tomorrow 10:00', '明天上午', '下午3点', '周五下班前', "
                        "'2026-11-26 09:30'")
#: A deadline said with a part of the day and no time (明天上午, 今晚, 后天下午, 明早): by the
#: end of that part, as a resident hears the promise. The night's own words (夜里, 半夜) name
#: no hour anyone promises a call by: they need the time written.
PART_ENDS = {"凌晨": time(6), "早上": time(9), "早晨": time(9), "一早": time(9), "早": time(9),
             "上午": time(12), "中午": time(14), "下午": time(18), "傍晚": time(19),
             "晚上": time(22), "晚": time(22)}
#: A deadline said "before" a part of the day (中午前, 明天下午之前, 傍晚前, 今晚前): by the
#: start of that part, as a clerk means it (中午前 is by 12:00, not 14:00). The morning's words
#: (上午前, 早上前, 凌晨前) and the night's start before anyone promises a call: refused,
#: asking for the time (上午10点前) or the part alone (上午: by 12:00).
PART_STARTS = {"中午": time(12), "下午": time(12), "傍晚": time(18), "晚上": time(18),
               "晚": time(18)}
#: 下午下班前, 明天下午下班前: the end of business hours that day; 上午下班前 the morning's end
#: (PART_ENDS: 12:00, when the desk breaks for lunch); 下班 in any other part of the day
#: (今晚下班前, 早上下班前) is refused, asking for the day or the time
_OFF_WORK_PARTS, _MORNING_OFF_WORK = ("下午",), "上午"
#: 明早, 明天上午 typed before this hour: still the calendar's tomorrow (明天 is one day
#: whatever part follows it), said with how to write the morning after this night
#: (_morning_in_small_hours)
SMALL_HOURS_END = 6
#: a part of the day's one-character word as it is written after another day's (今晚: 明天晚上)
_PART_SAID = {"晚": "晚上", "早": "早上", "夜": "夜里"}
_DAY_SAID = {"今": "今天", "明": "明天", "昨": "昨天", "前": "前天"}
#: the hour each part of the day is shown with, when its time is asked for
_PART_EXAMPLE_HOURS = {"凌晨": "5点", "中午": "12点", "下午": "3点", "傍晚": "6点", "晚上": "8点",
                       "晚": "8点", "夜里": "11点", "夜间": "11点", "半夜": "1点", "深夜": "11点",
                       "夜": "11点"}


def _with_hour(said: str, period: str, morning: str = "9点") -> str:
    """`said` (a part of the day alone: 今晚, 明天上午) with an hour of that part to show it by
    (今晚8点); the morning's parts with `morning` (上午9点, or 上午10点 where 前 follows)."""
    return said.strip() + _PART_EXAMPLE_HOURS.get(period, morning)


def small_number(text: str) -> int:
    """'10', '十', '十一', '二十' -> 10, 10, 11, 20."""
    if text.isdigit():
        return int(text)
    digits = {word: index for index, word in enumerate("零一二三四五六七八九")} | {"两": 2}
    tens, ten, ones = text.partition("十")
    if not ten:
        return digits[text] if len(text) == 1 else 99
    return (digits.get(tens, 99) if tens else 1) * 10 + (digits.get(ones, 99) if ones else 0)


def _clock_of(match: re.Match) -> tuple[time, int] | None:
    """The wall-clock time typed (with 下午/晚上 ... applied) and the days it moves on (1 for
    晚上12点, midnight); None when no time was typed."""
    if match["hour"] is None:
        return None
    hour, period = small_number(match["hour"]), match["period"]
    minute = int(match["minute"] or match["minutes"] or _FRACTIONS.get(match["fraction"], 0))
    later = 0
    if period == "凌晨" and hour == 12:
        raise AmbiguousClock("凌晨12点: midnight or noon?")
    if hour == 0 and period in _SMALL_HOURS:
        later = 1  # 晚上0点 as 晚上12点: the midnight that ends the day (named, else today)
    elif hour < _SMALL_HOURS.get(period, 0):
        # the night of the day named (昨晚1点: last night's 01:00, this morning; 今晚2点:
        # tomorrow's 02:00); with no day named, today's (夜里2点, typed at 05:00: 02:00)
        later = 1 if _names_a_day(match) else 0
    elif period and period not in _MORNING and period != _NOON and hour <= 12:
        hour, later = (0, 1) if hour == 12 else (hour + 12, 0)  # 下午3点, 晚上12点 = midnight
    elif period == _NOON and hour <= 2:
        hour += 12  # 中午1点
    elif period in _MORNING and 12 < hour <= 23:
        raise MorningPastNoon(period, hour)
    if hour > 23 or minute > 59:
        raise NoSuchClock(hour, minute)
    return time(hour, minute), later


class NoSuchClock(ValueError):
    """A time of day read whole but impossible (25点, 9点61分): its hour and minute."""

    def __init__(self, hour: int, minute: int):
        super().__init__(hour, minute)
        self.hour, self.minute = hour, minute


class MorningPastNoon(ValueError):
    """上午15点, 早上13点: an afternoon's hour said as the morning's (period, hour)."""

    def __init__(self, period: str, hour: int):
        super().__init__(period, hour)
        self.period, self.hour = period, hour


class AmbiguousClock(ValueError):
    """凌晨12点: read as midnight by some, noon by others."""


def _names_a_day(match: re.Match) -> bool:
    return any(match[group] for group in ("relative", "weekday", "english_weekday", "month",
                                          "iso", "short", "lunar"))


def _day_of(match: re.Match, today: date, clock: time, reference: datetime,
            this_week: bool = False) -> date:
    """The day named (today when none is): relative words, dates, weekdays. A bare weekday is
    the next such day, today included while `clock` today is still ahead of `reference`
    (with `this_week`: the one of this week, Monday to Sunday)."""
    if match["relative"]:
        return today + timedelta(days=_RELATIVE_DAYS[match["relative"].lower()])
    if match["month"]:
        # 十二月三日 as 12月3日: the month and day as a clerk says them
        return calendar_day(int(match["year"] or today.year), small_number(match["month"]),
                            small_number(match["mday"]), match["date"])
    if match["lunar"]:  # 除夕, 初一, 2027年正月十五: that day of the year's Spring Festival
        if match["lunar_year"]:
            return lunar_day(int(match["lunar_year"]), match["lunar_day"], match["lunar"])
        return _yearless_lunar_day(today, match["lunar_day"], match["lunar"])
    if match["short"]:  # 12-5, 12/5: 12月5日 as a clerk jots it (12.5 may be a time: not read)
        return calendar_day(today.year, int(match["short_month"]), int(match["short_mday"]),
                            match["short"])
    if match["iso"]:
        return calendar_day(*(int(part) for part in match["iso"].split(match["dash"])),
                            match["iso"])
    if match["weekday"] or match["english_weekday"]:
        weekday = (_WEEKDAYS[match["weekday"]] if match["weekday"]
                   else _ENGLISH_WEEKDAYS.index(match["english_weekday"].lower()[:3]))
        if match["week"] or this_week:
            monday = today - timedelta(days=today.weekday())
            return monday + timedelta(days=_WEEK_SHIFT[match["week"] or "本"] + weekday)
        ahead = (weekday - today.weekday()) % 7
        if ahead == 0 and datetime.combine(today, clock, reference.tzinfo) <= reference:
            ahead = 7
        return today + timedelta(days=ahead)
    return today


#: a day of the Chinese calendar dutyctl does not read (正月三十, 二月初二, 冬月十五, 初十一,
#: 年初一), at the start of what was typed: refused as such, not as words it cannot read at all
_LUNAR_UNKNOWN = lazy(r"^(?:\d{4}\s*年)?\s*(?:(?:正月|腊月|冬月|大年)(?:初|十|廿|二十|三十)?"
                      r"[一二三四五六七八九十]*"
                      r"|(?:[二三四五六七八九十]|十一|十二)月(?:初|廿)[一二三四五六七八九十]+"
                      r"|年初[一二三四五六七八九十]+|初[一二三四五六七八九十]{2,})")


def lunar_unknown(text: object) -> InputError | None:
    """The refusal of a day of the Chinese calendar outside the words read (_LUNAR_WORDS), as
    typed (`text`: 正月十六 10点); None for anything else. Asked only of words not read."""
    typed = half_width(text).strip() if isinstance(text, str) else ""
    if not _LUNAR_UNKNOWN.match(typed):
        return None
    return InputError(t("'{text}': of the Chinese calendar dutyctl reads only 腊月's days "
                        "(腊月初一 … 腊月三十, 腊八, 小年), 除夕, 初一 … 初十, 正月十一 … 正月廿九 "
                        "and 元宵: write the date itself", text=text.strip()))


#: a day's words run straight into a clock's hour in the same numerals (腊月二十三点, 初十点,
#: 正月十五点): the day word, the numerals after it, and 点 or 时 (_lunar_hour_run)
_LUNAR_HOUR_RUN = lazy(r"^(?P<year>\d{4}\s*年)?\s*(?P<word>[^\s\d]*?)"
                       r"(?P<numerals>[零一二两三四五六七八九十廿]+)[点时]")


def _lunar_hour_run(text: str) -> InputError | None:
    """The refusal of a Chinese day typed straight before its hour where the numerals can be
    split two ways (腊月二十三点: 腊月二十 at 3点, or 腊月二十三 with no hour; 正月二十九点) or
    leave no hour at all (正月十五点, 初十点, 腊月廿三点); None when they split one way only
    (初一十点: 初一 at 10点; 腊八十点; 初十一点: 初十 at 1点, as a Chinese reader reads it) or
    name no such day."""
    run = _LUNAR_HOUR_RUN.match(text.strip())
    if not run:
        return None
    year, word, numerals = run["year"] or "", run["word"], run["numerals"]
    readings = [(year + word + numerals[:cut], numerals[cut:]) for cut in range(len(numerals) + 1)
                if re.fullmatch(_LUNAR_WORDS, word + numerals[:cut])
                and re.fullmatch("[%s]{0,3}" % _HOUR_WORDS, numerals[cut:])]
    whole = [day for day, hour in readings if not hour]
    if not whole:
        return None
    timed = [(day, hour) for day, hour in readings if hour]
    if timed:
        day, hour = timed[0]
        return InputError(t("'{text}' may be {day} at {hour}点 or {whole} with its hour left "
                            "out: write a space between the day and the time, like "
                            "'{day} {hour}点' or '{whole} 9点'", text=text.strip(), day=day,
                            hour=hour, whole=whole[0]))
    return InputError(t("'{text}': no hour is written between {day} and the 点 after it: "
                        "write the time after the day, like '{day} 9点'", text=text.strip(),
                        day=whole[0]))


def _yearless_lunar_day(today: date, word: str, text: str) -> date:
    """The day `word` names, typed without its year, in the first Spring Festival that has it
    (the one 腊月 leads up to from December, this year's, the next, the last), for the caller
    to move to the year its rule gives: 腊月三十 typed in a year whose 腊月 has 29 days is the
    coming one of 30 (was: refused, naming this year's); refused when none of them has it."""
    first = today.year + 1 if today.month == 12 else today.year
    refused = None
    for year in dict.fromkeys((first, today.year, today.year + 1, today.year - 1)):
        try:
            return lunar_day(year, word, text)
        except InputError as short:
            refused = refused or short
    raise refused


def lunar_day(year: int, word: str, text: str) -> date:
    """The day `word` (腊月初一 … 腊月三十, 腊八, 小年, 除夕, 初一 … 正月廿九, 元宵) names in the
    Gregorian `year`'s Spring Festival; an InputError for a year outside the table dutyctl has
    of the Chinese calendar (lunardays), or 腊月三十 of a year whose 腊月 has 29 days."""
    from dutyctl import lunardays

    try:
        return lunardays.day_in(year, word)
    except lunardays.NoSuchDay as short:
        raise InputError(t("'{text}': the 腊月 before {year}'s Spring Festival has 29 days, no "
                           "腊月三十: its last day, 除夕, is 腊月廿九 ({eve})", text=text,
                           year=short.year, eve=f"{short.eve:%Y-%m-%d}")) from None
    except ValueError:
        raise InputError(t("'{text}': the Chinese calendar dutyctl knows runs from {first} "
                           "to {last}, not {year}: write the date, like 2027-02-05",
                           text=text, first=lunardays.FIRST_YEAR, last=lunardays.LAST_YEAR,
                           year=year)) from None


def calendar_day(year: int, month: int, mday: int, text: str) -> date:
    """The day year-month-mday; an InputError saying what is impossible about it (no month
    13, no 31 November, no 29 February 2026) rather than that `text` cannot be read."""
    said = _impossible(year, month, mday, text)
    if said:
        raise InputError(said)
    return date(year, month, mday)


def _impossible(year: int, month: int, mday: int, text: str) -> str | None:
    """What is impossible about the day (None: nothing; a year out of range is check_range's
    to say, with the whole text typed)."""
    if not 1 <= month <= 12:
        return t("'{text}': there is no month {month} (months run from 1 to 12)",
                 text=text, month=month)
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    if not 1 <= mday <= days:
        return t("'{text}': {year}-{month:02d} has only {days} days, there is no day {mday}",
                 text=text, year=year, month=month, days=days, mday=mday)
    return None


def no_such_day(text: str) -> str | None:
    """Why the date written in `text` (2026-11-31, 2026/2/30, 2026年2月30日) is no day of the
    calendar; None when it is one, or is not written as a date at all."""
    match = _WRITTEN_DATE.match(half_width(text).strip())
    if not match:
        return None
    return _impossible(int(match[1]), int(match[3] or match[5]), int(match[4] or match[6]),
                       text.strip())


def no_such_clock(text: str) -> str | None:
    """Why the time of day written in `text` (25:00, 09:61, 2026-11-26 24:30, 明天25点) is
    none; None when it is one, or no time is written as hours and minutes or hours (点)."""
    match = _WRITTEN_CLOCK.search(half_width(text))
    if not match:
        return None
    return _clock_said(text, int(match[1] or match[3]), int(match[2] or 0))


def no_such_moment(text: str) -> str | None:
    """Why the day or the time of day of a moment written as ISO 8601 (2026-11-31T09:00,
    2026-11-02T25:00:00+08:00: typed for --at, or in a record's file) is none; None when both
    are, or neither is written so."""
    return no_such_day(text.strip()[:10]) or no_such_clock(text)


def _clock_said(text: str, hour: int, minute: int) -> str | None:
    """What is impossible about the hour and minute `text` gives (None: nothing); `text`
    quoted as one short line: it may come from a file another desk wrote (a record's time
    with a line break and a forged `path:line:` after it)."""
    from dutyctl.safetext import short_line

    if hour > 23:
        return t("'{text}': there is no hour {hour} (hours run from 0 to 23; midnight is "
                 "0:00 of the next day)", text=short_line(text.strip()), hour=hour)
    if minute > 59:
        return t("'{text}': there is no minute {minute} (minutes run from 0 to 59)",
                 text=short_line(text.strip()), minute=minute)
    return None


def _said(typed: object) -> re.Match | None:
    """`_spoken` of text as typed (full-width digits too); None for anything not text."""
    return _spoken(half_width(typed)) if isinstance(typed, str) else None


def _when(text: str) -> re.Match | None:
    """The day, part of the day and time pattern's match of `text` (_WHEN)."""
    return re.match(_WHEN, text.strip(), re.VERBOSE | re.IGNORECASE)


def _spoken(text: str) -> re.Match | None:
    """The pattern's match when it says something whole: not 今 alone, not 明天下午 (a part of
    the day needs a time)."""
    match = _when(text)
    if not match or not match.group(0):
        return None
    half_said = (match["relative"] in ("今", "明", "昨", "前") and not match["period"]) \
        or (match["period"] and match["hour"] is None)
    return None if half_said else match


def _part_alone(text: str) -> re.Match | None:
    """The pattern's match of a part of the day said without its time (明天上午, 今晚, 下午)."""
    match = _when(text)
    return match if match and match["period"] and match["hour"] is None else None


def _without_time(text: str, period: str) -> InputError:
    """The refusal of a part of the day without its time where a moment is needed."""
    typed = text.strip()
    return InputError(t("'{text}' names a part of the day but not the time: write the time "
                        "too, like {example}", text=typed,
                        example=_with_hour(typed, period)))


def _lunar_word(match: re.Match) -> str | bool:
    """The Spring Festival's day typed (腊月三十, 除夕: moved to another year as that word,
    `same_day_in`), or False for a day of the Gregorian calendar."""
    return match["lunar_day"] or False


def _yearless(match: re.Match) -> bool:
    """Whether the day was typed without its year (12月31日, 12-31, 除夕)."""
    return bool(match["short"] or (match["month"] and not match["year"])
                or (match["lunar"] and not match["lunar_year"]))


def lunar_said(text: object) -> str | bool:
    """Whether `text` names a day of the Spring Festival without its year (除夕, 初一 10点,
    正月十五): a day that moves from year to year as no 12月5日 does (`same_day_in`, given
    the word this returns then: 腊月三十 moves as 腊月三十, not as 除夕); False when not."""
    match = _said(text) or (_part_alone(half_width(text)) if isinstance(text, str) else None)
    return _lunar_word(match) if match and not match["lunar_year"] else False


def same_day_in(day: date, year: int, lunar: bool | str = False) -> date:
    """`day` in another `year`: the same month and day (ValueError for 2月29日 in a common
    year), or with `lunar` the same day of that year's Spring Festival (2027's 除夕 in 2026:
    2026-02-16; ValueError outside the table); `lunar` the word typed (_lunar_word): 腊月三十
    is 腊月三十 in every year, none where 腊月 has 29 days (ValueError), never that year's 除夕,
    its 腊月廿九."""
    if not lunar:
        return day.replace(year=year)
    from dutyctl import lunardays

    return lunardays.same_day_in(day, year, lunar if isinstance(lunar, str) else None)


def _read_when(text: str, tz: tzinfo, reference: datetime,
               untimed: time, ahead: bool = False,
               parts: dict[str, time] | None = None,
               shown: str | None = None) -> tuple[datetime, bool]:
    """(the moment, whether a time of day was typed); a day alone is that day at `untimed`.
    `ahead`: a date typed without its year (1-3, 1月3日) is a day to come (`coming_year`: on
    12-30, 1-3 is the coming one), not always the reference's year. `parts` (a deadline's):
    a part of the day without its time (明天上午) is the moment it gives that part (PART_ENDS,
    PART_STARTS for 中午前); elsewhere a part alone is refused, asking for the time. `shown`:
    the words as typed, when `text` is what was read of them (10点前 read as 10点), for the
    refusals to echo."""
    if not text.strip():
        raise InputError(t("empty time"))
    as_typed, text = shown if shown is not None else text, half_width(text)
    unreadable = lunar_unknown(as_typed) or InputError(
        t("cannot read the time '{text}': expected {examples} or ISO 8601", text=as_typed,
          examples=gettext(_DEADLINE_EXAMPLES if parts else _EXAMPLES)))
    if ambiguous := _lunar_hour_run(text):
        raise ambiguous
    match = _spoken(text)
    if match is None and (part := _part_alone(text)):
        if not parts or part["period"] not in parts:
            raise _without_time(as_typed, part["period"])
        match, untimed = part, parts[part["period"]]
    if match:
        reference = reference.astimezone(tz)
        try:
            typed = _clock_of(match)
            clock, later = typed or (untimed, 0)
            day = _day_of(match, reference.date(), clock, reference)
            if _yearless(match):
                lunar = _lunar_word(match)
                day = (coming_year(day, reference.date(), lunar) if ahead else
                       latest_year(day, reference.date(), timed=typed is not None,
                                   lunar=lunar))
            day += timedelta(days=later)
        except MorningPastNoon as past:  # 上午15点: the hour is the afternoon's
            raise InputError(t("'{text}': {period} has no hour {hour}: write {hour}点 or "
                               "下午{later}点", text=as_typed, period=past.period,
                               hour=past.hour, later=past.hour - 12)) from None
        except AmbiguousClock:
            raise InputError(t("'{text}' may be midnight or noon: write 0点 (midnight) or "
                               "中午12点", text=as_typed)) from None
        except NoSuchClock as impossible:  # 明天25点, 二十五点, 9点61分
            said = _clock_said(as_typed, impossible.hour, impossible.minute)
            raise (InputError(said) if said else unreadable) from None
        except (ValueError, KeyError):
            raise unreadable from None
        check_range(day, as_typed)
        return localize(datetime.combine(day, clock), tz), typed is not None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        said = no_such_moment(as_typed)  # 2026-11-31T09:00, 2026-11-02T25:00
        raise (InputError(said) if said else unreadable) from None
    check_range(parsed.date(), as_typed)
    return (parsed.astimezone(tz) if parsed.tzinfo else localize(parsed, tz)), True


def parse_when(text: str, tz: tzinfo, reference: datetime) -> datetime:
    """A moment as the desk types it ('17:00', 'tomorrow 10:00', '明天10点', '下午3点',
    '周一 9:00', ISO 8601), in the site zone, relative to `reference`; a day alone is 00:00."""
    return _read_when(text, tz, reference, time(0))[0]


def parse_instant(text: str, tz: tzinfo, reference: datetime) -> datetime:
    """A moment something happened or is asked about (`--at`): like parse_when, but a day
    alone ('11月17日', '明天', '2026-11-17') is refused, never read as its first minute (a
    call recorded at 00:00, the night shift answering `who`); the refusal shows the day with
    a time of day, as it is written."""
    moment, timed = _read_when(text, tz, reference, time(0))
    if not timed:
        typed = text.strip()
        raise InputError(lambda name: t("'{text}' is a day without a time of day: write the "
                                        "time too, like {option} \"{example}\"", text=typed,
                                        option=name("at"), example=f"{typed} 09:00"))
    return moment


def parse_as_of(text: str, tz: tzinfo, reference: datetime) -> datetime:
    """A moment things are seen as they stood (`--as-of`): like parse_when, but a day alone
    ('11月17日', '昨天') means the end of that day (截至11月17日: that day included), or
    `reference` (now) while that day is not over."""
    moment, timed = _read_when(text, tz, reference, time(23, 59, 59))
    return moment if timed else min(moment, reference)


def parse_deadline(text: str, tz: tzinfo, reference: datetime, day_end: time) -> datetime:
    """Like parse_when, but a day alone ('tomorrow', '明天', '2026-12-05', '周五') means
    `day_end` of that day (the end of business hours), never its first minute; a time
    of day alone is today's (the call refuses it once passed, saying how to write tomorrow's);
    and a date without its year is its coming occurrence (`coming_year`: on 12-30, '1-3 10:00'
    is 3 January of the coming year, on 1-10 '7-15' is this July; a day just gone, a slip,
    stays in the past to be said, never a year ahead). A length from `reference`, as a clerk
    promises it, is that long after it: '2小时内', '半小时后', '30分钟以内' (see `_after`)."""
    later = _after(text, reference)
    if later is not None:
        return later
    said, before, off_work = _before(text)
    now = reference.astimezone(tz)
    late = now.time().replace(tzinfo=None) >= day_end  # typed after today's closing time
    if before and not off_work:
        _refuse_day_before(text, said, day_end, late=late)
    parts, part = PART_ENDS, _part_alone(half_width(said)) if before or off_work else None
    if part is not None:  # 中午前, 下午下班前: _part_before
        said, parts = _part_before(text, said, part, off_work, day_end, now, late)
    try:
        return _read_when(said, tz, reference, day_end, ahead=True, parts=parts,
                          shown=text)[0]
    except InputError:
        if not _is_length(said):
            raise
        typed = said.strip()  # '2小时': a length said without 内 (within) or 后 (after)
        if before:  # '3天前': three days ago, in every Chinese ear
            raise InputError(t("'{text}' means {length} ago, not a deadline: for {length} from "
                               "the moment recorded write {example}, or the time itself",
                               text=text.strip(), length=typed,
                               example=f"{typed}内")) from None
        raise InputError(t("'{text}' is a length, not a deadline: write {example} (counted "
                           "from the moment recorded) or the time itself", text=typed,
                           example=f"{typed}内")) from None


#: the words of the days from today on, as a refusal suggests them
_DAYS_AHEAD_SAID = ("今天", "明天", "后天", "大后天")
#: the same days in a refusal's prose, translated (the typed words stay _DAYS_AHEAD_SAID)
_DAYS_AHEAD_PROSE = (N_("today"), N_("tomorrow"), N_("the day after tomorrow"),
                     N_("three days from today"))
#: the words to type for today's and tomorrow's end of business hours
_TODAY_OFF_WORK, _TOMORROW_OFF_WORK = "今天下班前", "明天下班前"


def _deadline_tail(said: str, before: bool, off_work: bool) -> str:
    """Deadline words read down to their moment (`said`: _deadline_said) with the 下班 and 前
    they were typed with put back: 明天 -> 明天下班前."""
    return said + ("下班" if off_work else "") + ("前" if before else "")


def _refuse_day_before(text: str, said: str, day_end: time, late: bool = False) -> None:
    """明天前, 后天之前: a day counted from today, said with 前 alone, reads two ways (before
    that day begins: today's end; or by that day: its end): refused, naming both; 前天前,
    昨天前, 今天前 name a time already past: refused as such. A day of the calendar (周五之前,
    12月5日前) is that day's end of business hours, as the site's rules have it. `late`: typed
    after today's end of business hours: today's end is past too, never suggested."""
    match = _said(said)
    if match is None or not match["relative"] or match["hour"] is not None:
        return
    days = _RELATIVE_DAYS[match["relative"].lower()]
    end, typed = f"{day_end:%H:%M}", text.strip()
    if days == 1 and late:  # 明天前 at 23:00: today's end, one of its readings, is past
        raise InputError(t("'{text}' reads two ways, by the end of today (already past) or by "
                           "the end of tomorrow: write {tomorrow} ({end} tomorrow), or the time",
                           text=typed, tomorrow=_TOMORROW_OFF_WORK, end=end))
    if days <= 0 and late:
        raise InputError(t("'{text}' is already past: a deadline lies ahead; write {tomorrow} "
                           "({end} tomorrow), or the day and time", text=typed,
                           tomorrow=_TOMORROW_OFF_WORK, end=end))
    if days <= 0:
        raise InputError(t("'{text}' is already past: a deadline lies ahead; write {today} "
                           "({end} today), or the day and time", text=typed,
                           today=_TODAY_OFF_WORK, end=end))
    raise InputError(t("'{text}' reads two ways, by the end of {eve} or by the end of {day}: "
                       "write {eve_said} ({end} {eve}) or {day_said} ({end} {day}), or the "
                       "time", text=typed, eve=gettext(_DAYS_AHEAD_PROSE[days - 1]),
                       day=gettext(_DAYS_AHEAD_PROSE[days]),
                       eve_said=_deadline_tail(_DAYS_AHEAD_SAID[days - 1], True, True),
                       day_said=_deadline_tail(_DAYS_AHEAD_SAID[days], True, True), end=end))


def _part_before(text: str, said: str, part: re.Match, off_work: bool,
                 day_end: time, now: datetime, late: bool) -> tuple[str, dict[str, time]]:
    """A part of the day said with 前 or 下班前 (中午前, 明天下午下班前): (the words to read, the
    moments the parts stand for). X前 is the start of X (PART_STARTS); 上午下班前 the end of
    the morning's work (12:00, PART_ENDS); 下午下班前 the day's end of business hours; any
    other (上午前, 今晚下班前) refused, asking for the time. `now` (local), `late` (typed after
    today's end of business hours): a refusal suggests only what is still ahead, today's
    words once they have passed as tomorrow's (今晚下班前 at 23:00: 明天下班前, 明天晚上8点前)."""
    typed, period = text.strip(), part["period"]
    day = said[:part.start("period")].strip()
    if off_work and period == _MORNING_OFF_WORK:  # 上午下班: when the morning's work stops
        return said, PART_ENDS
    if off_work and period in _OFF_WORK_PARTS:
        return day or "今天", PART_ENDS
    if not off_work and period in PART_STARTS:
        return said, PART_STARTS
    today = not day or day.lower() in _TODAY_SAID
    example = _with_hour(said, period, "9点" if off_work else "10点")
    if today and _passed(example, now):  # 今晚8点 at 23:00: tomorrow's
        said = "明天" + _PART_SAID.get(period, period)
        example = _with_hour(said, period, "9点" if off_work else "10点")
    example += "前"
    if off_work:
        shown = dict(text=typed, end=f"{day_end:%H:%M}", part=_PART_SAID.get(period, period),
                     example=example)
        if today and late:
            raise InputError(t("'{text}': 下班 is the end of business hours ({end}), not a time "
                               "of {part}, and today's is past: write {off_work} ({end} "
                               "tomorrow), or the time, like {example}",
                               off_work=_TOMORROW_OFF_WORK,
                               **shown))
        raise InputError(t("'{text}': 下班 is the end of business hours ({end}), not a time of "
                           "{part}: write {off_work} for {end}, or the time, like {example}",
                           off_work=_deadline_tail(_DAY_SAID.get(day, day), True, True),
                           **shown))
    end = PART_ENDS.get(period)
    if end is None:  # 夜里前: the night's words name no end either
        raise InputError(t("'{text}': before {part} is no time to keep a promise by: write the "
                           "time, like {example}", text=typed, part=period, example=example))
    raise InputError(t("'{text}': before {part} is no time to keep a promise by: write the "
                       "time, like {example} (or {alone} alone: by {end})", text=typed,
                       part=period, example=example, alone=said.strip(), end=f"{end:%H:%M}"))


def _passed(words: str, now: datetime) -> bool:
    """Whether the moment `words` name today (今晚8点, 上午10点) is not after `now` (local)."""
    try:
        return _read_when(words, now.tzinfo, now, time(0))[0] <= now
    except InputError:
        return False


def _morning_in_small_hours(match: re.Match, reference: datetime) -> bool:
    """Any 明天 word (明早, 明天上午, 明天8点, 明天早上8点, 明天下午, 明天下午下班前, 明天,
    明天下班前), typed in the small hours (before SMALL_HOURS_END): read as the calendar's
    tomorrow like every 明天, but a night clerk may mean the day after this night: said, with
    how to write it. 明天8点 too: a clerk at 00:30 who has not slept says it of this morning
    as often as 明天早上8点, and was told nothing."""
    return (reference.hour < SMALL_HOURS_END
            and (match["relative"] or "").lower() in ("明", "明天", "tomorrow"))


def small_hours_note(text: str, tz: tzinfo, reference: datetime, due: datetime) -> str | None:
    """The note a small hours' 明早 or 明天 (_morning_in_small_hours) is confirmed with: how it
    was read and how to write the morning (the day) after this night; None for any other."""
    said, before, off_work, match = _deadline_said(text)
    if match is None or not _morning_in_small_hours(match, reference.astimezone(tz)):
        return None
    if due - timedelta(days=1) <= reference:  # that morning's time has passed (凌晨3点 at 03:30)
        return None
    this_morning = reference.astimezone(tz).date()
    period = match["period"] or ""
    rest = said[match.end("period" if period else "relative"):].strip()  # 8点 of 明天早上8点
    if match["relative"].lower() == "tomorrow":  # in the words typed: 2026-10-12 8:00
        other = f"{this_morning.isoformat()} {rest}".strip()
    else:
        other = _deadline_tail(f"{this_morning.month}月{this_morning.day}日"
                               f"{_PART_SAID.get(period, period)}{rest}", before, off_work)
    shown = dict(text=text.strip(), now=local_time(reference, tz), due=local_time(due, tz),
                 other=other)
    # a morning: its word (明早, 明天早上8点) or an hour before noon alone (明天8点); else the
    # day (明天, 明天下午下班前); an hour of the small hours alone (明天3点 at 00:30) is still
    # this night's, not a morning after it
    hour = due.astimezone(tz).hour
    if not period and match["hour"] is not None and hour < SMALL_HOURS_END:
        return t("'{text}' typed at {now}, in the small hours: read as the calendar's "
                 "tomorrow, {due}; for that hour of this night write \"{other}\"", **shown)
    morning = period in _MORNING or (not period and match["hour"] is not None and hour < 12)
    if not morning:
        return t("'{text}' typed at {now}, in the small hours: read as the calendar's "
                 "tomorrow, {due}; for the day after this night write \"{other}\"", **shown)
    return t("'{text}' typed at {now}, in the small hours: read as the calendar's tomorrow, "
             "{due}; for the morning after this night write \"{other}\"", **shown)


def night_of_the_day_note(text: str | None, tz: tzinfo, moment: datetime) -> str | None:
    """`--at "2026-11-26 夜里2点"`: a date written out, then the small hours of a night (夜里,
    半夜, 晚上 before their hour: _SMALL_HOURS) is the night after that day, the next
    calendar day's 02:00, as 今晚2点 is; a clerk catching up may mean the date's own 02:00
    (凌晨2点), so it is said, with how to write that. None for any other (今晚2点, 昨晚1点,
    除夕夜1点 say whose night it is; 凌晨2点 is the date's own)."""
    typed = half_width(text).strip() if isinstance(text, str) else ""
    match = _spoken(typed)  # (its positions are those of `typed`)
    if match is None or match["relative"] or match["lunar"] or not _names_a_day(match):
        return None  # 除夕夜1点 says whose night it is, as 今夜1点 does
    period, hour = match["period"], match["hour"]
    if period not in _SMALL_HOURS or hour is None \
            or not 1 <= small_number(hour) < _SMALL_HOURS[period]:
        return None  # no small hour: 夜里11点 is that day's, 晚上12点 (0点) the midnight ending it
    own = moment.astimezone(tz) - timedelta(days=1)
    said = f"{typed[:match.start('period')].strip()} 凌晨{typed[match.start('hour'):]}"
    return t("'{text}' is read as that day's night, {moment}; for {own} write \"{other}\"",
             text=text.strip(), moment=local_time(moment, tz), own=local_time(own, tz),
             other=said)


def deadline_note(text: str | None, tz: tzinfo, reference: datetime | None,
                  due: datetime) -> str | None:
    """The note a deadline is confirmed with, when it may not be what was meant: the small
    hours' 明天 (small_hours_note), or a weekday typed on that weekday once its time has
    passed (周五前 on a Friday at 18:00), read as next week's (_weekday_note); else None."""
    if not text or reference is None:
        return None
    return small_hours_note(text, tz, reference, due) or _weekday_note(text, tz, reference, due)


def _weekday_note(text: str, tz: tzinfo, reference: datetime, due: datetime) -> str | None:
    """周五前, 周五, 周五下班前 typed on a Friday after its time (17:30): read as next Friday,
    as a bare weekday is the next such day; said, with today's time passed (本周五: this
    week's, refused as passed). None for any other."""
    match = _deadline_said(text)[3]
    if match is None or match["week"] or not (match["weekday"] or match["english_weekday"]):
        return None
    today = reference.astimezone(tz).date()
    if due.astimezone(tz).date() - today != timedelta(days=7):
        return None
    return t("'{text}' typed at {now}, after that time today: read as next week's, {due}",
             text=text.strip(), now=local_time(reference, tz), due=local_time(due, tz))


def _next_weeks_words(typed: str | None, due: datetime, at: datetime) -> str | None:
    """本周五前, 这周一 (this week's weekday) gone by less than a week before `at`: the same
    words for next week's (下周五前, 下周一); None for any other."""
    said, before, off_work, match = _deadline_said(typed)
    if (match is None or (match["week"] or "") not in ("本", "这", "这个")
            or not match["weekday"] or due + timedelta(days=7) <= at):
        return None
    return _deadline_tail(said[:match.start("week")] + "下" + said[match.end("week"):],
                          before, off_work)


def _deadline_said(typed: object) -> tuple[str, bool, bool, re.Match | None]:
    """A deadline as typed read down to its moment (_before: 明天下班前 -> 明天), whether it had
    前 and 下班, and the pattern's match of that moment, whole or a part of the day alone
    (None for anything else, or a text not typed)."""
    if not isinstance(typed, str):
        return "", False, False, None
    said, before, off_work = _before(typed)
    said = half_width(said).strip()
    return said, before, off_work, _spoken(said) or _part_alone(said)


#: the words that name today (今晚: 今 and 晚), as tomorrows_words and _part_before read them
_TODAY_SAID = ("今", "今天", "today")


def tomorrows_words(typed: str) -> str | None:
    """A deadline said by a part of the day without its time, today's or no day's (今晚, 凌晨,
    上午, 中午前), or today's end of business hours (下班前, 今天下班前, 今天), in the words that
    say tomorrow's (明天晚上, 明天凌晨, 明天下班前, ...): what to write when today's has passed;
    None for anything else (a time of day has its own: bare_clock)."""
    said, before, off_work, match = _deadline_said(typed)
    relative = (match["relative"] or "").lower() if match else ""
    today = relative in _TODAY_SAID
    if match is not None and today and not match["period"] and match["hour"] is None:
        # 下班前, 今天下班前, 今天, today: today's end of business hours, passed: tomorrow's
        if relative == "today" and not (before or off_work):
            return "tomorrow"
        return _deadline_tail("明天", before, off_work)
    if (match is None or not match["period"] or match["hour"] is not None or (
            _names_a_day(match) and not today)):
        return None  # 今天上午8点: typed with its day and time, that day's (a bare 8点: bare_clock)
    period = _PART_SAID.get(match["period"], match["period"])
    rest = said[match.end("period"):].strip()
    return _deadline_tail(f"明天{period}{rest}", before, off_work)


def tomorrow_instead(typed: str | None, due: datetime, at: datetime) -> str | None:
    """A deadline as typed (`typed`: 8:00, 今晚, 上午) read as `due`, not after `at` though
    less than a day before it: the words for tomorrow's, most likely meant (8:00 at 23:50:
    明天 08:00; 今晚 at 23:00: 明天晚上); None for any other."""
    if typed is None or due + timedelta(days=1) <= at:
        return None
    if bare_clock(typed):
        return t("tomorrow {clock}", clock=f"{due.astimezone(at.tzinfo):%H:%M}")
    return tomorrows_words(typed)


def not_after(option: str, due: datetime, at: datetime, typed: str | None,
              refusal: str) -> InputError:
    """The refusal of `option`'s moment `due` (as typed: `typed`) not after `at` (the call,
    the moment the resident was told): `refusal` (marked with N_; {name}, {due}, {at}), then
    how to write tomorrow's when that is most likely what was meant (tomorrow_instead), or
    next week's for this week's weekday gone by (本周五前: 下周五前)."""
    said = dict(due=local_time(due, at.tzinfo), at=local_time(at, at.tzinfo))
    tomorrow = tomorrow_instead(typed, due, at)
    next_week = None if tomorrow else _next_weeks_words(typed, due, at)

    def text(name) -> str:
        refused = gettext(refusal).format(name=name(option), **said)
        if next_week:  # 本周五前 on a Friday evening
            return t("{refusal}: for next week's write {name} \"{words}\"", refusal=refused,
                     name=name(option), words=next_week)
        return t("{refusal}: for tomorrow's write {name} \"{tomorrow}\"", refusal=refused,
                 name=name(option), tomorrow=tomorrow) if tomorrow else refused

    return InputError(text)


_WITHIN = lazy(r"(?P<length>.+?)\s*(?:以内|之内|内|以后|之后|后)")
#: 明天上午10点前, 周五之前, 明天下班前, 下班前: the deadline is the moment named (下班: the end
#: of business hours that day, today when no day is named)
_BEFORE = lazy(r"(?P<when>.*?)\s*(?P<off_work>下班)?\s*(?:之前|以前|前)?")


def _before(text: str) -> tuple[str, bool, bool]:
    """The moment a deadline said with 前 (before) or 下班 (the end of business hours) names,
    in the words parse_deadline reads, and whether it had 前, and 下班: 明天下班前 -> 明天,
    下班前 -> 今天, 10点前 -> 10点, 下午下班前 -> 下午 (read by _part_before)."""
    match = _BEFORE.fullmatch(half_width(text).strip()) if isinstance(text, str) else None
    if not match or match.group(0) == match["when"] or not (match["when"] or match["off_work"]):
        return text, False, False  # nothing to take off (or 前 alone: 前天's word, refused)
    before = match.group(0).endswith("前")
    if match["off_work"]:
        return match["when"] or "今天", before, True
    return match["when"], before, False


def _after(text: str, reference: datetime) -> datetime | None:
    """'2小时内', '半小时后', '30分钟以内', '3天内': that long after `reference`, on the calendar
    clock (a promise to the resident is kept by the clock on the wall); None for anything
    else. InputError for working days (where they end depends on the site's calendar: write
    the day) and for a length beyond FAR_AHEAD_DAYS (no desk sets that; 3000000天 would
    overflow the calendar)."""
    match = _WITHIN.fullmatch(half_width(text).strip()) if isinstance(text, str) else None
    parsed = _length_and_unit(match["length"]) if match else None  # _TOO_LONG: refused below
    if parsed is None:
        return None
    typed = text.strip()
    if parsed[1] in _WORKING_DAYS:
        raise InputError(t("'{text}': a deadline in working days needs its day written (which "
                           "day it ends depends on the site's calendar): write the day and "
                           "time, like 周五 17:00", text=typed))
    if parsed[0] > timedelta(days=FAR_AHEAD_DAYS):
        raise InputError(t("'{text}' lies more than {days} days ahead: no deadline is set that "
                           "far; write a shorter length or the day itself", text=typed,
                           days=FAR_AHEAD_DAYS))
    try:
        later = reference + parsed[0]
    except OverflowError:
        later = None
    if later is None or not FIRST_DAY <= later.date() <= LAST_DAY:
        check_range(LAST_DAY + timedelta(days=1), typed)
    return later


def _is_length(text: object) -> bool:
    """Whether `text` reads as a length ('2小时', '30m'), not a moment."""
    return _length_and_unit(text) is not None


SLIP_DAYS = 31  # a deadline typed without its year this far past is a slip, said as past
FAR_AHEAD_DAYS = 300  # and one that would lie further ahead is one too: no desk sets that


def coming_year(day: date, today: date, lunar: bool | str = False) -> date:
    """`day` (a deadline typed without its year) in the first year (the one before, the same
    or the next) that puts it at most SLIP_DAYS before `today`: a deadline lies ahead, so on
    1-10 7-15 is this July, on 12-30 1-3 is the coming January; a day a few days gone (on 1-3,
    12-30; on 12-30, 12-29) stays as typed, a slip to be seen as past, never a year ahead;
    nor is one further gone taken for a day more than FAR_AHEAD_DAYS ahead (on 11-20, 10-15
    is the October gone, said as past, not next October)."""
    years = _in_years(day, today, lunar)
    for index, candidate in enumerate(years):
        if (today - candidate).days <= SLIP_DAYS:
            far = (candidate - today).days > FAR_AHEAD_DAYS
            return years[index - 1] if far and index else candidate
    if isinstance(lunar, str):  # 腊月三十 ahead of a 29-day 腊月: refused naming it, not a day gone
        _refuse_missing_ahead(today, lunar)
    return day


def _refuse_missing_ahead(today: date, word: str) -> None:
    """The refusal of `word` (a day of the Chinese calendar no year around `today` puts
    ahead) by the coming Spring Festival that lacks it (腊月三十 of a 29-day 腊月)."""
    from dutyctl import lunardays

    for year in (today.year, today.year + 1):
        with contextlib.suppress(ValueError):
            if lunardays.new_year(year) >= today - timedelta(days=SLIP_DAYS):
                lunar_day(year, word, word)
                return


NEW_YEAR_DAYS = 3  # next year's day typed without its year in the last days of December


def latest_year(day: date, today: date, *, timed: bool = False,
                lunar: bool | str = False) -> date:
    """`day` (a moment or day typed without its year for something that happened or is looked
    back on: `--at`, `--as-of`, `--since`, a report's `--date`) in its latest year that puts it
    at most SLIP_DAYS ahead of `today`: on 1 January, 12月31日 is the day before (was: 31
    December of the year just begun, a year ahead); on 1 December, 12月2日 stays ahead (a
    slip, said as not yet), never a year back; in November, 1月1日 is this January. Next
    year's day only for a moment (`timed`: a time of day typed) at most NEW_YEAR_DAYS ahead:
    at 23:58 on 31 December, 1月1日0点5分 is minutes ahead (within the clock's tolerance, or
    said as not yet), not last January; a day alone stays this year's (on 30 December,
    `--since 1月1日` is the year's first day)."""
    years = _in_years(day, today, lunar)
    for candidate in reversed(years):
        ahead = (candidate - today).days
        if ahead <= SLIP_DAYS and (candidate.year <= today.year
                                   or (timed and ahead <= NEW_YEAR_DAYS)):
            return candidate
    return day


def nearest_year(day: date, today: date, lunar: bool | str = False) -> date:
    """`day` in the year (the one before, the same or the next) that puts it nearest `today`;
    a tie: the later one (a roster day typed without a year: a roster is looked at a few
    months either way; a deadline takes `coming_year`)."""
    found = _in_years(day, today, lunar)
    return min(found, key=lambda d: (abs((d - today).days), -d.toordinal())) if found else day


def _in_years(day: date, today: date, lunar: bool | str = False) -> list[date]:
    """`day` in the year before `today`'s, its own and the next, where the day exists (2月29日
    only in a leap year; with `lunar`, a day of the Spring Festival: `same_day_in`)."""
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        with contextlib.suppress(ValueError):
            found.append(same_day_in(day, year, lunar))
    return found


def parse_day(text: str, tz: tzinfo, reference: datetime, *, ahead: bool = True,
              coming: bool = False) -> date:
    """'2026-11-25', 'today', 'yesterday', 'tomorrow', 明天, 前天, 12月5日, 上周一 ... A bare
    weekday (周一) is the one of this week (Monday to Sunday). `ahead` False: the caller
    takes no day to come (a report), so a date it cannot read is not told to try tomorrow.
    A day without its year (12月5日) is its latest one (`latest_year`), or with `coming` (a
    day things are done up to: `repair schedule --until`) its coming one (`coming_year`)."""
    match = _said(text)
    day = None
    if match and match["hour"] is None:
        today = reference.astimezone(tz).date()
        try:
            day = _day_of(match, today, time(0), reference, this_week=True)
        except (ValueError, KeyError):
            pass
        if day is not None and _yearless(match):
            lunar = _lunar_word(match)
            day = (coming_year(day, today, lunar) if coming else
                   latest_year(day, today, lunar=lunar))
    if day is None:
        raise lunar_unknown(text) or InputError(
            t("cannot read the date '{text}': expected 2026-11-25, today, yesterday or "
              "tomorrow", text=text) if ahead else
            t("cannot read the date '{text}': expected 2026-11-25, today or yesterday",
              text=text))
    check_range(day, text)
    return day


# the longest --since/--until run a day typed without its year may carry over New Year
SPAN_OVER_NEW_YEAR_DAYS = 183


def parse_span(since: str | None, until: str | None, tz: tzinfo,
               reference: datetime) -> tuple[date | None, date | None]:
    """The days `--since` and `--until` name (parse_day; None for one not given). An end
    typed without its year that would fall before the start is the start's next such day:
    on 30 December, `--since 12月28日 --until 1月3日` runs over New Year (was: refused, the end
    taken for January of the year ending), when that run is at most half a year."""
    first = parse_day(since, tz, reference) if since else None
    last = parse_day(until, tz, reference) if until else None
    if first and last:
        last = end_of_span(first, last, until)
    return first, last


def end_of_span(first: date, last: date, until: str) -> date:
    """The end of a run of days from `first`, read from `until` as `last`: an end typed
    without its year is the start's next such day (12月20日 to 1月5日 runs over New Year,
    whichever year each was read in alone; 2026年除夕 to 初三 ends on 2026's 初三, not on the
    nearest one, a year on), when that run is at most half a year; else `last` as read."""
    match = _said(until)
    if match and _yearless(match):
        lunar = _lunar_word(match)
        with contextlib.suppress(ValueError):
            later = same_day_in(last, first.year, lunar)
            later = later if later >= first else same_day_in(last, first.year + 1, lunar)
            # two days typed the wrong way round (--since 11月25日 --until 11月20日) stay
            # so, to be refused, not read as the eleven months after
            if (later - first).days <= SPAN_OVER_NEW_YEAR_DAYS:
                return later
    return last


def parse_month(text: str) -> tuple[date, date]:
    """'2026-12' or '2026年12月' -> (first day, last day)."""
    first = month_of(text)
    if first is None:
        raise InputError(no_such_month(text) or t(
            "cannot read the month '{text}': expected 2026-12 or 2026年12月", text=text))
    return first, month_after(first) - timedelta(days=1)


def month_after(day: date) -> date:
    """The first day of the month after `day`'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]


#: the year a month typed without one (11月) is taken in: the one nearest today, the later
#: on a tie (a roster is planned and looked at a few months either way), or the latest whose
#: month has begun (attendance and reports look back at months worked)
NEAREST, LATEST_BEGUN = "nearest", "latest begun"
_MONTH_NUMBER = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"  # 11, 十一
_BARE_MONTH = lazy(rf"^{_MONTH_NUMBER}\s*月份?$")  # 11月, 十一月份
#: 2026-12, 2026年12月 (2026年12月份, 2026年十二月): the year, and the month in the one of
#: groups 2 and 3 that matched (`lastindex`)
_YEAR_MONTH = lazy(rf"^(\d{{4}})(?:[-/.](\d{{1,2}})|\s*年\s*{_MONTH_NUMBER}\s*月份?)$")


def bare_month(text: str, today: date, rule: str) -> date | None:
    """The first day of the month '11月', '十一月' or '11月份' names, in the year `rule`
    (NEAREST or LATEST_BEGUN) gives from `today`; None for anything else (a month with its
    year, 13月)."""
    match = _BARE_MONTH.match(half_width(text).strip())
    month = small_number(match[1]) if match else 0
    if not 1 <= month <= 12:
        return None
    if rule == LATEST_BEGUN:
        first = date(today.year, month, 1)
        return first if first <= today else first.replace(year=today.year - 1)
    now = today.year * 12 + today.month - 1  # counted in months: 6 either way is a tie
    nearest = min((year * 12 + month - 1 for year in (today.year - 1, today.year,
                                                       today.year + 1)),
                  key=lambda months: (abs(months - now), -months))
    return date(nearest // 12, nearest % 12 + 1, 1)


def month_of(text: str) -> date | None:
    """The first day of the month '2026-12' or '2026年12月' (2026年12月份, 2026年十二月)
    names; None when it names none."""
    match = _YEAR_MONTH.match(half_width(text).strip())
    month = small_number(match[match.lastindex]) if match else 0
    if not 1 <= month <= 12:
        return None
    if not FIRST_DAY.year <= int(match[1]) <= LAST_DAY.year:
        check_range(date.min, text)
    return date(int(match[1]), month, 1)


def no_such_month(text: str) -> str | None:
    """Why the month written in `text` (2026-13, 2026年13月, 十三月) is none; None when it is
    one, or is not written as a month."""
    typed = half_width(text).strip()
    match = _YEAR_MONTH.match(typed) or _BARE_MONTH.match(typed)
    if not match:
        return None
    month = small_number(match[match.lastindex])
    if 1 <= month <= 12:
        return None
    from dutyctl.safetext import short_line

    return t("'{text}': there is no month {month} (months run from 1 to 12)",
             text=short_line(text.strip()), month=month)


_WRITTEN_CLOCK = lazy(r"(?<!\d)(?:(\d{1,2})\s*:\s*(\d{2})(?!\d)|(\d{1,2})\s*点)")  # 25:00, 25点
_WRITTEN_DATE = lazy(r"^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})"
                           r"|\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)$")


def written_date(text: str) -> date | None:
    """A calendar day as people write one in a file: 2026-12-24, 2026/12/24, 2026.12.24 or
    2026年12月24日 (full-width digits too), else ISO 8601; None for anything else."""
    text = half_width(text).strip()
    match = _WRITTEN_DATE.match(text)
    try:
        if match:
            return date(int(match[1]), int(match[3] or match[5]), int(match[4] or match[6]))
        return date.fromisoformat(text)
    except ValueError:
        return None


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time from `start` to `end`. Python subtracts two datetimes of the same zone as
    wall clocks, so a night across the autumn DST change would count 12 h instead of 13 h."""
    return timedelta(seconds=end.timestamp() - start.timestamp())


def local_time(moment: datetime, tz: tzinfo) -> str:
    """2026-10-09 21:05: a moment as the desk reads it (screens and refusals; files keep ISO)."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def local_or_as_is(value, tz: tzinfo):
    """An ISO time a file holds as the desk reads it (2026-11-20 15:00); anything else (a
    hand-edited file) as it is."""
    moment = from_iso(value)
    return local_time(moment, tz) if moment is not None else value


def to_iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


# The moments a file may name: a day's arithmetic either side of one, in any zone, must stay
# within Python's years 1 to 9999 (another desk's 9999-12-31T23:59:59-14:00 would stop every
# listing with an OverflowError).
EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9999, 1, 1, tzinfo=timezone.utc)


def from_iso(text: str) -> datetime | None:
    """An aware datetime from ISO 8601 text with an offset, between EARLIEST and LATEST; None
    when it is anything else."""
    if isinstance(text, datetime):
        parsed = text
    elif not isinstance(text, str):
        return None
    else:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
    return parsed if parsed.tzinfo and EARLIEST <= parsed < LATEST else None


def iso_out_of_range(text: str) -> bool:
    """Whether `text` is an aware ISO 8601 time that from_iso refuses for its year alone."""
    try:
        parsed = datetime.fromisoformat(text) if isinstance(text, str) else text
    except ValueError:
        return False
    return isinstance(parsed, datetime) and parsed.tzinfo is not None and not (
        EARLIEST <= parsed < LATEST)
