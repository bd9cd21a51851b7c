"""The Spring Festival's days as the desk names them: 除夕, 初一 … 初十, 正月十一 … 正月十五 (元宵).

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

_TENS = "一二三四五六七八九十"
#: the words of the days, each its distance from 正月初一 (除夕 the day before; 大年 only as
#: 大年夜, 除夕's night, timeutil reading it before 夜); 初一 … 初十
#: alone, after 大年 or 正月; 正月十一 … 正月十五; 元宵 (节) the 15th
OFFSETS = {"除夕": -1, "大年三十": -1, "年三十": -1, "大年": -1, "元宵": 14, "元宵节": 14,
           **{f"{before}初{word}": index for index, word in enumerate(_TENS)
              for before in ("", "大年", "正月")},
           **{f"正月十{word}": 10 + index for index, word in enumerate(_TENS[:5])}}


def new_year(year: int) -> date:
    """正月初一 of the Gregorian `year`; ValueError outside FIRST_YEAR..LAST_YEAR."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(year)
    said = _NEW_YEARS[year - FIRST_YEAR]
    return date(year, int(said[:2]), int(said[2:]))


def day_in(year: int, word: str) -> date:
    """The day `word` (除夕, 初八, 正月十五 …: OFFSETS) names in the Gregorian `year` (除夕 of
    2027: 2027-02-05); ValueError for a year outside the table."""
    return new_year(year) + timedelta(days=OFFSETS[word])


def same_day_in(day: date, year: int) -> date:
    """`day` (a day at most a few weeks from its own year's 初一) as the day as far from
    `year`'s 初一: 2027's 除夕 in 2026 is 2026-02-16; ValueError outside the table."""
    return new_year(year) + (day - new_year(day.year))
