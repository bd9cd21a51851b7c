"""The tests' own China calendar for 2025 and 2026, as the State Council published it.

Tests never read the installed `holidays` package's data (conftest puts this in its place), so
a release that adds or corrects a year cannot change what they expect; the tests about the
package itself say so in their name.
"""

from __future__ import annotations

from datetime import date

YEARS = (2025, 2026)

HOLIDAYS = {
    "2025-01-01": "元旦", "2025-01-28": "农历除夕", "2025-01-29": "春节", "2025-01-30": "春节",
    "2025-01-31": "春节", "2025-02-03": "休息日（由 2025-01-26 调休）",
    "2025-02-04": "休息日（由 2025-02-08 调休）", "2025-04-04": "清明节", "2025-05-01": "劳动节",
    "2025-05-02": "劳动节", "2025-05-05": "休息日（由 2025-04-27 调休）", "2025-05-31": "端午节",
    "2025-06-02": "端午节（补假）", "2025-10-01": "国庆节", "2025-10-02": "国庆节",
    "2025-10-03": "国庆节", "2025-10-06": "中秋节", "2025-10-07": "休息日（由 2025-09-28 调休）",
    "2025-10-08": "休息日（由 2025-10-11 调休）",
    "2026-01-01": "元旦", "2026-01-02": "休息日（由 2026-01-04 调休）", "2026-02-16": "农历除夕",
    "2026-02-17": "春节", "2026-02-18": "春节", "2026-02-19": "春节",
    "2026-02-20": "休息日（由 2026-02-14 调休）", "2026-02-23": "休息日（由 2026-02-28 调休）",
    "2026-04-05": "清明节", "2026-04-06": "清明节（补假）", "2026-05-01": "劳动节",
    "2026-05-02": "劳动节", "2026-05-04": "劳动节（补假）", "2026-05-05": "休息日（由 2026-05-09 调休）",
    "2026-06-19": "端午节", "2026-09-25": "中秋节", "2026-10-01": "国庆节", "2026-10-02": "国庆节",
    "2026-10-03": "国庆节", "2026-10-05": "国庆节（补假）", "2026-10-06": "休息日（由 2026-09-20 调休）",
    "2026-10-07": "休息日（由 2026-10-10 调休）",
}
WORKDAYS = ("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
            "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")


class OfficialDays(dict):
    """Holiday names by date, and make-up working days (调休): what `holidays` answers."""

    def __init__(self, holidays: dict[str, str], workdays=()):
        super().__init__({date.fromisoformat(day): name for day, name in holidays.items()})
        self.workdays = {date.fromisoformat(day) for day in workdays}

    def is_working_day(self, day: date) -> bool:
        return day in self.workdays or (day.weekday() < 5 and day not in self)


def china(years=YEARS, holidays=HOLIDAYS, workdays=WORKDAYS):
    """In the shape of sitecalendar.official_calendar: (days, (first, last official year))."""
    return OfficialDays(holidays, workdays), years

