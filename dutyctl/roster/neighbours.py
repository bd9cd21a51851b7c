"""The shifts people work in the rosters around a period: rest, runs of days and nights, and
week hours carry across a roster's boundary; the year's earlier rosters carry into fairness;
the days after the period are planned with it while no roster covers them. Generate plans a
period against `surroundings`, explain prices a place against the same, check reads the
neighbours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Mapping

from dutyctl.roster.onduty import cached_slots, readable_roster, roster_worked
from dutyctl.roster.rosterfile import Listing, Roster, files_overlapping, roster_files
from dutyctl.roster.rules import Rules
from dutyctl.roster.timeline import Work


@dataclass(frozen=True)
class Surroundings:
    """What a period is planned against, from the other roster files."""

    history: dict[str, list[Work]]  # shifts just before and after (`neighbour_works`)
    carried: list  # stats.Worked earlier in the calendar year (`year_to_date`)
    ahead: date | None  # the last day planned with the period and not kept (`lookahead_end`)
    later: bool = False  # a roster covers a day after the period in its year (`year_planned`)


def surroundings(workspace, rules: Rules, first: date, last: date, skip: Path | None = None,
                 files: Listing | None = None) -> Surroundings:
    """The neighbours, the year-to-date carry and the days ahead of first..last, from one
    listing of rosters/ (`files`, else listed here); `skip`: the period's own file."""
    files = roster_files(workspace) if files is None else files
    return Surroundings(neighbour_works(workspace, rules, first, last, skip, files=files),
                        year_to_date(workspace, rules, first, skip, files=files),
                        lookahead_end(workspace, rules, last, skip, files=files),
                        year_planned(workspace, last, skip, files=files))


def neighbour_works(workspace, rules: Rules, first: date, last: date,
                    skip: Path | None = None, tz=None, files: Listing | None = None,
                    instead: Mapping[Path, Roster] | None = None) -> dict[str, list[Work]]:
    """Shifts from other rosters just before and after the period (overrides applied), so rest,
    runs of days and nights, and week hours carry across the boundary. `instead`: rosters as
    a change will leave them, read in place of their files (a swap across two months checked
    with both of its halves). A file's slots are built once in the process (`cached_slots`):
    `roster check` reads each roster as its neighbours' neighbour, and for their holes."""
    days = timedelta(days=reach(rules))
    window_first, window_last = first - days, last + days
    tz = tz or workspace.config.tz
    works: dict[str, list[Work]] = {}
    for path in files_overlapping(workspace, window_first, window_last, skip, files):
        roster = (instead or {}).get(path) or readable_roster(workspace, path)
        for slot in cached_slots(roster, rules, tz):  # one a change holds: built, not kept
            if slot.staff and window_first <= slot.date <= window_last \
                    and not first <= slot.date <= last:
                works.setdefault(slot.staff, []).append(work_of_slot(slot, rules))
    return works


def reach(rules: Rules) -> int:
    """Days across a roster's boundary the hard rules can look: the longest run of days or
    nights, and a week's hours, with room to spare."""
    return max(max(limits.max_consecutive_days, limits.max_nights_in_a_row)
               for limits in [rules.limits] + [m.limits for m in rules.staff]) + 8


def year_to_date(workspace, rules: Rules, first: date, skip: Path | None = None,
                 tz=None, files: Listing | None = None) -> list:
    """The shifts worked in the rosters of `first`'s calendar year before `first` (overrides
    applied), as `stats.Worked`: a month generated after the earlier ones levels the year."""
    start, before = date(first.year, 1, 1), first - timedelta(days=1)
    if first <= start:
        return []
    tz = tz or workspace.config.tz
    worked = []
    for path in files_overlapping(workspace, start, before, skip, files):
        worked += roster_worked(readable_roster(workspace, path), rules, tz, start, before)
    return worked


def lookahead_end(workspace, rules: Rules, last: date, skip: Path | None = None,
                  files: Listing | None = None) -> date | None:
    """The Sunday that ends `last`'s ISO week (the next day when `last` is a Sunday: its rest
    and runs cross too), when no roster covers those days yet: the period is planned through
    them so it leaves the hours the next month's first days need. None when a roster already
    covers them (its shifts are fixed context) or the calendar does not know them."""
    end = last + timedelta(days=max(6 - last.weekday(), 1))
    if not rules.calendar.covers(end.year):
        return None
    return None if files_overlapping(workspace, last + timedelta(days=1), end, skip, files) else end


def year_planned(workspace, last: date, skip: Path | None = None,
                 files: Listing | None = None) -> bool:
    """Does a roster already cover a day after `last` in its calendar year? Then a later
    month's fill does not level back what this period leaves (`Filling.top_up`): its
    shifts are fixed context."""
    end = date(last.year, 12, 31)
    return last < end and bool(files_overlapping(workspace, last + timedelta(days=1), end, skip,
                                                 files))


def work_of_slot(slot, rules: Rules, seat: int = -1) -> Work:
    shift = rules.shift(slot.shift_id)
    start, end = int(slot.start.timestamp()), int(slot.end.timestamp())
    return Work(start, end, slot.date.toordinal(), bool(shift and shift.night),
                (end - start) / 3600, (slot.date, slot.shift_id, slot.role, seat),
                bool(shift and shift.on_call))
