"""Load per person (shifts, hours, nights, weekend and holiday shifts) and fairness spreads.

Spreads are measured among comparable staff: the same roles, the same contract (fte and
limits), the same number of available days and the same preferences. Comparing a half-time
technician with a full-time clerk says nothing about fairness. Where no two staff are
comparable the spread is None ("n/a"), never a reassuring 0. A second, coarser spread compares
everyone who can take the same shifts, with loads scaled to a full-time person available
every day, so overloading someone who has no comparable colleague still shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from dutyctl.roster.positions import day_kind, days_between
from dutyctl.roster.rules import METRICS, Rules, Staff

COUNTS = ("shifts", *METRICS)


@dataclass(frozen=True)
class Worked:
    """One filled shift, as stats need it."""

    staff: str
    day: date
    shift: str
    hours: float


def available_days(member: Staff, first: date, last: date) -> int:
    return sum(1 for day in days_between(first, last) if member.unavailable_reason(day) is None)


def comparable_key(member: Staff, first: date, last: date) -> tuple:
    return (tuple(sorted(member.roles)), member.fte, member.limits,
            available_days(member, first, last),
            tuple(sorted(p.text for p in member.avoid)),
            tuple(sorted(p.text for p in member.prefer)))


def loads(rules: Rules, worked: Iterable[Worked]) -> dict[str, dict[str, float]]:
    """staff id -> counts, for every staff member in the rules (zero when idle). An on-call
    duty counts in `on_call` only: it is neither a shift worked nor hours on site."""
    result = {member.id: dict.fromkeys(COUNTS, 0) for member in rules.staff}
    kinds = {}
    for item in worked:
        row = result.setdefault(item.staff, dict.fromkeys(COUNTS, 0))
        kind = kinds.get(item.day) or kinds.setdefault(item.day,
                                                       day_kind(rules.calendar, item.day))
        shift = rules.shift(item.shift)
        if shift is not None and shift.on_call:
            row["on_call"] += 1
            continue
        row["shifts"] += 1
        row["hours"] += item.hours
        row["nights"] += 1 if shift is not None and shift.night else 0
        row["weekends"] += 1 if kind.weekend else 0
        row["holidays"] += 1 if kind.holiday else 0
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


def shift_groups(rules: Rules, first: date, last: date) -> list[list[str]]:
    """Staff who can take the same shifts (their roles reach the same shifts), groups of two or
    more, whatever their contracts, leave and preferences."""
    by_shifts: dict[frozenset, list[str]] = defaultdict(list)
    for member in rules.staff:
        reach = frozenset(s.id for s in rules.shifts if set(s.roles) & set(member.roles))
        if reach and available_days(member, first, last):
            by_shifts[reach].append(member.id)
    return [members for members in by_shifts.values() if len(members) > 1]


def adjusted_spreads(rules: Rules, counts: dict[str, dict[str, float]], first: date,
                     last: date) -> dict[str, float | None]:
    """The coarser spread: among staff who can take the same shifts, loads scaled to a
    full-time person available every day (load / (fte x available days / days)), most - least;
    None when no two staff take the same shifts. Shows an overloaded "not comparable" person."""
    found = shift_groups(rules, first, last)
    result: dict[str, float | None] = dict.fromkeys(COUNTS, 0 if found else None)
    days = (last - first).days + 1
    for members in found:
        scale = {m: 1 / (rules.member(m).fte * available_days(rules.member(m), first, last)
                         / days) for m in members}
        for metric in COUNTS:
            values = [counts[m][metric] * scale[m] for m in members]
            result[metric] = round(max(result[metric], max(values) - min(values)), 2)
    return result


def worked_from_slots(slots, first: date, last: date) -> list[Worked]:
    return [Worked(slot.staff, slot.date, slot.shift_id,
                   (slot.end.timestamp() - slot.start.timestamp()) / 3600)
            for slot in slots if slot.staff and first <= slot.date <= last]


def roster_stats(rules: Rules, worked: list[Worked], first: date, last: date) -> dict:
    """The `stats:` section of a roster file."""
    counts = loads(rules, worked)
    return {"spread": spreads(rules, counts, first, last),
            "spread_adjusted": adjusted_spreads(rules, counts, first, last),
            "staff": {staff: {key: value for key, value in row.items()}
                      for staff, row in counts.items()}}
