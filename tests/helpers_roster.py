"""Small helpers shared by the roster engine tests (not tests themselves)."""

from __future__ import annotations

from datetime import date

from dutyctl.roster.positions import shift_bounds
from dutyctl.timeutil import zone


def shortest_shift(rules, roles) -> float:
    """The shortest shift on site (not on call) someone with any of `roles` can take, in
    hours, as a comparable group's hours spread may allow."""
    tz = zone("Asia/Shanghai")
    return min((end - start).total_seconds() / 3600
               for start, end in (shift_bounds(date(2026, 12, 1), shift, tz)
                                  for shift in rules.shifts
                                  if not shift.on_call and set(shift.roles) & set(roles)))
