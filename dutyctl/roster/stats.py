"""Load per person (shifts, hours, nights, weekend and holiday shifts, on-call duties and
those of them in a statutory break) and fairness spreads.

Spreads are measured among comparable staff: the same roles, the same contract (fte and
limits), the same number of available days and the same preferences. Comparing a half-time
technician with a full-time clerk says nothing about fairness. Where no two staff are
comparable the spread is None ("n/a"), never a reassuring 0. A second, coarser spread compares
everyone holding a role (a person with two roles in both groups) over the shifts that role
takes, with loads scaled to a full-time person available every day, and reports the widest
group, so overloading someone who has no comparable colleague still shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from dutyctl.roster.positions import day_kind
from dutyctl.roster.rules import METRICS, Rules, Staff

#: on-call duties starting on a day of a statutory break (节假日备班, the one definition of a
#: holiday shift): counted apart from the on-site `holidays`, being no time worked; not a
#: fairness metric (`METRICS`), a figure for the supervisor (a holiday's standby allowance)
HOLIDAY_ON_CALL = "holiday_on_call"
COUNTS = ("shifts", *METRICS, HOLIDAY_ON_CALL)


@dataclass(frozen=True)
class Worked:
    """One filled shift, as stats need it."""

    staff: str
    day: date
    shift: str
    hours: float


def available_days(member: Staff, first: date, last: date) -> int:
    """The days of first..last on which `member` is active and not on leave (where
    `unavailable_reason` is None), counted from the active window's ends and the leave days
    inside it: asking every day of a year for each of L's 120 staff was 47 ms of each
    `roster generate` and `roster stats` (comparable groups ask it twice a person)."""
    start = first if member.active_from is None else max(first, member.active_from)
    end = last if member.active_until is None else min(last, member.active_until)
    if end < start:
        return 0
    return (end - start).days + 1 - sum(1 for day in member.leave if start <= day <= end)


def comparable_key(member: Staff, first: date, last: date) -> tuple:
    return (*colleague_key(member), available_days(member, first, last))


def colleague_key(member: Staff) -> tuple:
    """What comparable staff share but their available days: roles, contract (fte and
    limits) and preferences."""
    return (tuple(sorted(member.roles)), member.fte, member.limits,
            tuple(sorted(p.text for p in member.avoid)),
            tuple(sorted(p.text for p in member.prefer)))


def loads(rules: Rules, worked: Iterable[Worked]) -> dict[str, dict[str, float]]:
    """staff id -> counts, for every staff member in the rules (zero when idle). An on-call
    duty counts in `on_call` only: it is neither a shift worked nor hours on site."""
    result = {member.id: dict.fromkeys(COUNTS, 0) for member in rules.staff}
    # a day's shift: on call, and whether it is a night, a weekend and a holiday shift, looked
    # up once (a month generated after its year counts each earlier shift of it)
    kinds: dict[tuple[date, str], tuple[bool, int, int, int]] = {}
    for item in worked:
        row = result.get(item.staff)
        if row is None:
            row = result[item.staff] = dict.fromkeys(COUNTS, 0)
        kind = kinds.get((item.day, item.shift))
        if kind is None:
            day, shift = day_kind(rules.calendar, item.day), rules.shift(item.shift)
            kind = kinds[(item.day, item.shift)] = (
                shift is not None and shift.on_call, 1 if shift is not None and shift.night else 0,
                1 if day.weekend else 0, 1 if day.holiday else 0)
        on_call, night, weekend, holiday = kind
        if on_call:
            row["on_call"] += 1
            row[HOLIDAY_ON_CALL] += holiday
            continue
        row["shifts"] += 1
        row["hours"] += item.hours
        row["nights"] += night
        row["weekends"] += weekend
        row["holidays"] += holiday
    for row in result.values():
        row["hours"] = round(row["hours"], 2)
    return result


def groups(rules: Rules, first: date, last: date) -> list[list[str]]:
    """Comparable staff, groups of two or more, in rules order."""
    by_key: dict[tuple, list[str]] = defaultdict(list)
    for member in rules.staff:
        if available_days(member, first, last):
            by_key[comparable_key(member, first, last)].append(member.id)
    return [members for members in by_key.values() if len(members) > 1]


def spreads(rules: Rules, counts: dict[str, dict[str, float]], first: date,
            last: date) -> dict[str, float | None]:
    """metric -> the largest (most - least) among any group of comparable staff; None ("n/a")
    when no two staff are comparable."""
    found = groups(rules, first, last)
    result: dict[str, float | None] = dict.fromkeys(COUNTS, 0 if found else None)
    for members in found:
        for metric in COUNTS:
            values = [counts[m][metric] for m in members]
            result[metric] = round(max(result[metric], max(values) - min(values)), 2)
    return result


@dataclass(frozen=True)
class Coarse:
    """The coarse spread of one count: its value (None where no group measures the count) and
    the role whose group it was measured in."""

    value: float | None
    role: str | None


def role_groups(rules: Rules, first: date, last: date) -> dict[str, list[str]]:
    """role id -> everyone holding the role and available some day of the period, groups of two
    or more of roles that take some shift. Someone with two roles is in both groups."""
    reached = {role for shift in rules.shifts for role in shift.roles}
    found: dict[str, list[str]] = defaultdict(list)
    for member in rules.staff:
        if available_days(member, first, last):
            for role in member.roles:
                if role in reached:
                    found[role].append(member.id)
    return {role: members for role, members in found.items() if len(members) > 1}


def measured_counts(shifts: Iterable) -> tuple[str, ...]:
    """The counts these shifts can produce: nights only with a night shift at the desk,
    on-call duties only with an on-call shift."""
    shifts = list(shifts)
    on_site = [s for s in shifts if not s.on_call]
    wanted = {"shifts": bool(on_site), "hours": bool(on_site), "weekends": bool(on_site),
              "holidays": bool(on_site), "nights": any(s.night for s in on_site),
              "on_call": any(s.on_call for s in shifts),
              HOLIDAY_ON_CALL: any(s.on_call for s in shifts)}
    return tuple(count for count in COUNTS if wanted[count])


def coarse_spreads(rules: Rules, worked: Iterable[Worked], first: date,
                   last: date) -> dict[str, Coarse]:
    """count -> the widest (most - least) over the role groups (`role_groups`), each person's
    load counted over the shifts the role takes and scaled to a full-time person available
    every day (load / (fte x available days / days)). Shows an overloaded person who has no
    comparable colleague, a person with two roles included."""
    worked = list(worked)
    days = (last - first).days + 1
    result = dict.fromkeys(COUNTS, Coarse(None, None))
    for role, members in role_groups(rules, first, last).items():
        shifts = [s for s in rules.shifts if role in s.roles]
        reach = {s.id for s in shifts}
        counts = loads(rules, [w for w in worked if w.shift in reach])
        scale = {m: days / (rules.member(m).fte * available_days(rules.member(m), first, last))
                 for m in members}
        for count in measured_counts(shifts):
            values = [counts[m][count] * scale[m] for m in members]
            spread = round(max(values) - min(values), 2)
            if result[count].value is None or spread > result[count].value:
                result[count] = Coarse(spread, role)
    return result


def roster_stats(rules: Rules, worked: list[Worked], first: date, last: date) -> dict:
    """A period's loads per person and its spreads, the one computation of them: the `stats:`
    section of a roster file, what `roster stats` shows, what the roster benchmark reports."""
    counts = loads(rules, worked)
    coarse = coarse_spreads(rules, worked, first, last)
    return {"spread": spreads(rules, counts, first, last),
            "spread_adjusted": {count: found.value for count, found in coarse.items()},
            "spread_adjusted_role": {count: found.role for count, found in coarse.items()},
            "staff": {staff: {key: value for key, value in row.items()}
                      for staff, row in counts.items()}}
