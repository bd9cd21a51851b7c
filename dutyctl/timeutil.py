"""Times as the desk speaks them, always turned into aware datetimes in the site's zone."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from dutyctl.errors import InputError
from dutyctl.messages import t

_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(m|min|h|d|wd)$")
_RELATIVE_DAYS = {"today": 0, "tomorrow": 1, "yesterday": -1,
                  "今天": 0, "明天": 1, "昨天": -1}
_DURATION_UNITS = {"m": 60, "min": 60, "h": 3600, "d": 86400, "wd": 86400}


# Typed dates must leave room for the day arithmetic around them (reports look a day either
# side, ids count milliseconds from 1970): outside this range a date is a typo.
FIRST_DAY, LAST_DAY = date(1970, 1, 2), date(9998, 12, 31)


def check_range(day: date, text: str) -> None:
    """InputError for a typed date outside FIRST_DAY..LAST_DAY (year 1, year 9999 ...)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(t("'{text}' is out of range: dates run from {first} to {last}",
                           text=text, first=FIRST_DAY, last=LAST_DAY))


def zone(name: str) -> tzinfo:
    """The IANA zone `name`; an unknown name is an error, never a silent UTC."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(t("unknown time zone '{name}' (expected an IANA name such as "
                           "Asia/Shanghai)", name=name)) from None


def now(tz: tzinfo) -> datetime:
    return datetime.now(tz).replace(microsecond=0)


# clocks of two desks differ by a little; more than this ahead is a typo, not a skew
FUTURE_TOLERANCE = timedelta(minutes=5)


def refuse_future(moment: datetime, current: datetime) -> None:
    """A step is recorded when it happened: a time ahead of now (a typed 12-25 for 12-03)
    would leave a person clocked in for weeks or a call dated days ahead."""
    if moment > current + FUTURE_TOLERANCE:
        raise InputError(t("{at} is in the future (now {now}): record what has happened, "
                           "at the time it happened",
                           at=moment.isoformat(timespec="minutes"),
                           now=current.isoformat(timespec="minutes")))


def parse_clock(text: str) -> time | None:
    """'09:00' -> time(9, 0); None when it is not a wall-clock time."""
    match = _CLOCK.match(text.strip()) if isinstance(text, str) else None
    return time(int(match[1]), int(match[2])) if match else None


def parse_duration(text: str) -> tuple[timedelta, bool] | None:
    """'30m', '2h', '3d' or '7wd' (working days) -> (length, counts working days only)."""
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    return timedelta(seconds=float(match[1]) * _DURATION_UNITS[match[2]]), match[2] == "wd"


def localize(naive: datetime, tz: tzinfo) -> datetime:
    return naive.replace(tzinfo=tz)


def parse_when(text: str, tz: tzinfo, reference: datetime) -> datetime:
    """'17:00', 'tomorrow 10:00', '2026-11-26 09:30' or ISO 8601, in the site zone."""
    words = text.strip().split()
    if not words:
        raise InputError(t("empty time"))
    day = reference.astimezone(tz).date()
    if words[0].lower() in _RELATIVE_DAYS:
        day += timedelta(days=_RELATIVE_DAYS[words[0].lower()])
        words = words[1:]
        if not words:
            return localize(datetime.combine(day, time(0)), tz)
    if len(words) == 1 and (clock := parse_clock(words[0])):
        return localize(datetime.combine(day, clock), tz)
    try:
        parsed = datetime.fromisoformat(" ".join(words))
    except ValueError:
        raise InputError(t("cannot read the time '{text}': expected '17:00', 'tomorrow 10:00', "
                           "'2026-11-26 09:30' or ISO 8601", text=text)) from None
    check_range(parsed.date(), text)
    return parsed.astimezone(tz) if parsed.tzinfo else localize(parsed, tz)


def parse_day(text: str, tz: tzinfo, reference: datetime) -> date:
    """'2026-11-25', 'today', 'yesterday' or 'tomorrow'."""
    key = text.strip().lower()
    if key in _RELATIVE_DAYS:
        return reference.astimezone(tz).date() + timedelta(days=_RELATIVE_DAYS[key])
    try:
        day = date.fromisoformat(key)
    except ValueError:
        raise InputError(t("cannot read the date '{text}': expected 2026-11-25, today or "
                           "yesterday", text=text)) from None
    check_range(day, text)
    return day


def parse_month(text: str) -> tuple[date, date]:
    """'2026-12' -> (first day, last day)."""
    match = re.match(r"^(\d{4})-(\d{1,2})$", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise InputError(t("cannot read the month '{text}': expected 2026-12", text=text))
    if not FIRST_DAY.year <= int(match[1]) <= LAST_DAY.year:
        check_range(date.min, text)
    first = date(int(match[1]), int(match[2]), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time from `start` to `end`. Python subtracts two datetimes of the same zone as
    wall clocks, so a night across the autumn DST change would count 12 h instead of 13 h."""
    return timedelta(seconds=end.timestamp() - start.timestamp())


def to_iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def from_iso(text: str) -> datetime | None:
    """An aware datetime from ISO 8601 text with an offset; None when it is anything else."""
    if isinstance(text, datetime):
        return text if text.tzinfo else None
    if not isinstance(text, str):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None
