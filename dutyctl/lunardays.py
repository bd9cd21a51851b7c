"""The Spring Festival's days as the desk names them: 腊月's (腊月初一 … 腊月三十, 腊八, 小年),
除夕, 初一 … 初十, 正月十一 … 正月廿九 (元宵 the 15th).

A fixed table of 正月初一 (the first day of the Chinese year) in each Gregorian year from
FIRST_YEAR to LAST_YEAR, not asked of a dependency: the `holidays` package has the Chinese
calendar only as a private class (`holidays.calendars.chinese._ChineseLunisolar`, 0.109); its
public `holidays.China(...)` gives the statutory holidays (春节's days, 除夕 in the years a
notice makes it one), which tell 初一 only through names and rules that change from release to
release, would cost every time word the package's import (~60 ms: every country), and are the
data tests replace (`sitecalendar.official_calendar`). 正月初一 is a fixed calendar fact:
these dates are the Chinese calendar as GB/T 33661-2017 (农历的编算和颁行) computes it, as the
Purple Mountain Observatory publishes it and the Hong Kong Observatory tabulates it (公历与农历
日期对照表, 1901-2100); checked to agree, every year, with three independent tables:
`holidays` 0.109 (`_ChineseLunisolar`), lunar-python 1.4.8 and lunardate 0.3.0 (1990-2099;
2100 with the first two).

除夕 is the day before 初一, whatever the length of the 12th month: 大年三十 is said of it even in
a year whose 腊月 has 29 days (2025, 2026, 2027: 除夕 is 腊月廿九).

腊月's days need its length (29 or 30 days) in each year: a second fixed table, `_LA_MONTHS`,
the 腊月 before each 正月初一 of the first table, built once with lunar-python 1.4.8 (the
lunar month of 除夕, whose day is the month's last) and checked to agree, every year, with
lunardate 0.3.0 (1990-2099; its 腊月初一 too) — neither is a dependency: the table is the fact
(`tools/la_months.py` builds and checks it again where the two are installed).
A year written with a 腊月 day (2027年腊八) is the Gregorian year of the Spring Festival the
day leads up to, as 2027年除夕 is: 腊月初一 may fall in December of the year before. 小年 is
腊月廿三, the northern custom (the south keeps 廿四: write 腊月廿四). 正月's days are read to 廿九:
正月 has 29 or 30 days, 正月三十 only some years (not read).
"""

from __future__ import annotations

from datetime import date, timedelta

FIRST_YEAR, LAST_YEAR = 1990, 2100

#: 正月初一 of each year from FIRST_YEAR on, as MMDD (source: the module's docstring)
_NEW_YEARS = """
    0127 0215 0204 0123 0210 0131 0219 0207 0128 0216
    0205 0124 0212 0201 0122 0209 0129 0218 0207 0126
    0214 0203 0123 0210 0131 0219 0208 0128 0216 0205
    0125 0212 0201 0122 0210 0129 0217 0206 0126 0213
    0203 0123 0211 0131 0219 0208 0128 0215 0204 0124
    0212 0201 0122 0210 0130 0217 0206 0126 0214 0202
    0123 0211 0201 0219 0208 0128 0215 0204 0124 0212
    0202 0121 0209 0129 0217 0205 0126 0214 0203 0123
    0211 0131 0219 0207 0127 0215 0205 0124 0212 0202
    0122 0209 0129 0217 0206 0126 0214 0203 0124 0210
    0130 0218 0207 0127 0215 0205 0125 0212 0201 0121
    0209
""".split()

#: the days of the 腊月 before each 正月初一 above, from FIRST_YEAR on (source: the docstring)
_LA_MONTHS = """
    30 30 30 30 29 30 30 29 29 30
    29 29 30 29 30 30 29 30 30 30
    30 30 29 29 30 30 29 30 30 30
    30 30 29 30 30 29 29 29 29 29
    30 29 29 30 30 30 30 30 30 29
    29 29 30 30 30 30 30 30 30 29
    29 29 30 30 30 30 29 30 29 29
    29 29 29 29 30 29 30 30 29 30
    30 30 30 30 29 29 30 29 29 30
    30 30 30 30 29 30 30 29 30 29
    29 29 29 29 29 30 29 30 30 30
    30
""".split()

_TENS = "一二三四五六七八九十"
#: a lunar month's day 1..30 in its words: 初一 … 初十, 十一 … 十九, 二十, 廿一 … 廿九 (二十一 …
#: 二十九 as some write them), 三十
_MONTH_DAYS = {**{f"初{word}": 1 + index for index, word in enumerate(_TENS)},
               **{f"十{word}": 11 + index for index, word in enumerate(_TENS[:9])},
               "二十": 20, "三十": 30,
               **{f"{twenty}{word}": 21 + index for index, word in enumerate(_TENS[:9])
                  for twenty in ("廿", "二十")}}
#: 腊月's days: 腊月初一 … 腊月三十, 腊八 (初八), 小年 (廿三, the northern custom)
LA_DAYS = {**{f"腊月{word}": day for word, day in _MONTH_DAYS.items()},
           "腊八": 8, "腊八节": 8, "小年": 23}
#: the words of the days, each its distance from 正月初一 (除夕 the day before; 大年 only as
#: 大年夜, 除夕's night, timeutil reading it before 夜); 初一 … 初十
#: alone, after 大年 or 正月; 正月十一 … 正月十五; 元宵 (节) the 15th
OFFSETS = {"除夕": -1, "大年三十": -1, "年三十": -1, "大年": -1, "元宵": 14, "元宵节": 14,
           **{f"{before}初{word}": index for index, word in enumerate(_TENS)
              for before in ("", "大年", "正月")},
           **{f"正月{word}": day - 1 for word, day in _MONTH_DAYS.items() if 11 <= day <= 29}}


class NoSuchDay(ValueError):
    """腊月三十 in a year whose 腊月 has 29 days (its 除夕 is 腊月廿九)."""

    def __init__(self, year: int, eve: date):
        super().__init__(year)
        self.year, self.eve = year, eve


def la_month_days(year: int) -> int:
    """How many days the 腊月 before the Gregorian `year`'s 正月初一 has (29 or 30);
    ValueError outside FIRST_YEAR..LAST_YEAR."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(year)
    return int(_LA_MONTHS[year - FIRST_YEAR])


def new_year(year: int) -> date:
    """正月初一 of the Gregorian `year`; ValueError outside FIRST_YEAR..LAST_YEAR."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(year)
    said = _NEW_YEARS[year - FIRST_YEAR]
    return date(year, int(said[:2]), int(said[2:]))


def day_in(year: int, word: str) -> date:
    """The day `word` (除夕, 初八, 正月十五 …: OFFSETS; 腊月初八, 小年 …: LA_DAYS) names in the
    Gregorian `year`'s Spring Festival (除夕 of 2027: 2027-02-05; 腊八 of 2027: 2027-01-15);
    ValueError for a year outside the table, NoSuchDay for 腊月三十 of a 29-day 腊月."""
    if word in LA_DAYS:
        return _la_day(year, LA_DAYS[word])
    return new_year(year) + timedelta(days=OFFSETS[word])


def _la_day(year: int, day: int) -> date:
    length = la_month_days(year)
    if day > length:
        raise NoSuchDay(year, new_year(year) - timedelta(days=1))
    return new_year(year) - timedelta(days=length - day + 1)


def same_day_in(day: date, year: int, word: str | None = None) -> date:
    """`day` (a day read here: 腊月初一 to 正月廿九 of a Spring Festival) as the same day of
    `year`'s: the day as far from 初一 (2027's 除夕 in 2026 is 2026-02-16), a 腊月 day before
    除夕 as the same day of that 腊月 (腊月廿八 is 腊月廿八, whether 腊月 has 29 days or 30);
    ValueError outside the table. `word`, the day's word when known: a 腊月 day (LA_DAYS) is
    that day of `year`'s 腊月 (腊月三十 is no 除夕 of a 29-day 腊月: NoSuchDay)."""
    if word in LA_DAYS:
        return _la_day(year, LA_DAYS[word])
    festival = day.year + 1 if day.month == 12 else day.year  # 腊月初一 may be in December
    offset = (day - new_year(festival)).days
    if offset >= -1:  # 除夕 (腊月's last day, 29th or 30th), 初一 and after
        return new_year(year) + timedelta(days=offset)
    return _la_day(year, la_month_days(festival) + offset + 1)
