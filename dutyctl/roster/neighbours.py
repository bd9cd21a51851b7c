"""The shifts people work in the rosters around a period: rest, runs of days and nights, and
week hours carry across a roster's boundary (generate, check and explain all ask this)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from dutyctl.errors import Problem, ProblemsFound
from dutyctl.messages import t
from dutyctl.roster.onduty import cached_roster, roster_slots
from dutyctl.roster.rosterfile import files_overlapping
from dutyctl.roster.rules import Rules
from dutyctl.roster.timeline import Work


def neighbour_works(workspace, rules: Rules, first: date, last: date,
                    skip: Path | None = None, tz=None) -> dict[str, list[Work]]:
    """Shifts from other rosters just before and after the period (overrides applied), so rest,
    runs of days and nights, and week hours carry across the boundary."""
    reach = max([rules.limits.max_consecutive_days, rules.limits.max_nights_in_a_row]
                + [m.limits.max_consecutive_days for m in rules.staff]) + 8
    window_first, window_last = first - timedelta(days=reach), last + timedelta(days=reach)
    tz = tz or workspace.config.tz
    works: dict[str, list[Work]] = {}
    for path in files_overlapping(workspace, window_first, window_last):
        if skip is not None and path.resolve() == skip.resolve():
            continue
        roster, problems = cached_roster(workspace, path)
        if roster is None:  # its last shifts decide who may work the first days: say so
            raise ProblemsFound(problems or [Problem(workspace.relative(path), None,
                                                     t("unreadable roster"))])
        for slot in roster_slots(roster, rules, tz):
            if slot.staff and window_first <= slot.date <= window_last \
                    and not first <= slot.date <= last:
                works.setdefault(slot.staff, []).append(work_of_slot(slot, rules))
    return works


def year_to_date(workspace, rules: Rules, first: date, skip: Path | None = None,
                 tz=None) -> list:
    """The shifts worked in the rosters of `first`'s calendar year before `first` (overrides
    applied), as `stats.Worked`: a month generated after the earlier ones levels the year."""
    from dutyctl.roster.stats import worked_from_slots

    start = date(first.year, 1, 1)
    if first <= start:
        return []
    tz = tz or workspace.config.tz
    worked = []
    for path in files_overlapping(workspace, start, first - timedelta(days=1)):
        if skip is not None and path.resolve() == skip.resolve():
            continue
        roster, problems = cached_roster(workspace, path)
        if roster is None:
            raise ProblemsFound(problems or [Problem(workspace.relative(path), None,
                                                     t("unreadable roster"))])
        worked += worked_from_slots(roster_slots(roster, rules, tz), start,
                                    first - timedelta(days=1))
    return worked


def work_of_slot(slot, rules: Rules, seat: int = -1) -> Work:
    shift = rules.shift(slot.shift_id)
    start, end = int(slot.start.timestamp()), int(slot.end.timestamp())
    return Work(start, end, slot.date.toordinal(), bool(shift and shift.night),
                (end - start) / 3600, (slot.date, slot.shift_id, slot.role, seat),
                bool(shift and shift.on_call))
