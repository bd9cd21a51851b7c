"""Build and check `dutyctl/lunardays.py`'s `_LA_MONTHS` (the days of the 腊月 before each
正月初一 of its first table), as it was made once: lunar-python gives the lunar date of each
除夕 (the 腊月's last day: its day is the month's length), lunardate checks it (1990-2099) and
each 腊月初一. Neither is a dependency of dutyctl: install them where this is run
(`.venv/bin/pip install lunar-python lunardate`), then
`.venv/bin/python tools/la_months.py` prints the table's rows and exits 1 if it differs."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dutyctl import lunardays  # noqa: E402


def lengths() -> list[int]:
    from lunar_python import Lunar, Solar
    from lunardate import LunarDate

    found = []
    for year in range(lunardays.FIRST_YEAR, lunardays.LAST_YEAR + 1):
        eve = lunardays.new_year(year) - timedelta(days=1)
        lunar = Solar.fromYmd(eve.year, eve.month, eve.day).getLunar()
        assert lunar.getMonth() == 12, (year, lunar.getMonth())  # 腊月, never a leap month
        first = Lunar.fromYmd(lunar.getYear(), 12, 1).getSolar()
        first = date(first.getYear(), first.getMonth(), first.getDay())
        assert (eve - first).days + 1 == lunar.getDay(), year
        if year <= 2099:  # lunardate's table ends there
            other = LunarDate.from_solar_date(eve.year, eve.month, eve.day)
            assert (other.month, other.isLeapMonth, other.day) == (12, False, lunar.getDay()), year
            assert LunarDate(other.year, 12, 1).to_solar_date() == first, year
        found.append(lunar.getDay())
    return found


def main() -> int:
    found = lengths()
    for start in range(0, len(found), 10):
        print("    " + " ".join(str(days) for days in found[start:start + 10]))
    kept = [lunardays.la_month_days(year)
            for year in range(lunardays.FIRST_YEAR, lunardays.LAST_YEAR + 1)]
    if kept != found:
        print("dutyctl/lunardays.py's _LA_MONTHS differs", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
