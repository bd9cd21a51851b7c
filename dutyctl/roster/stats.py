"""Load per person (shifts, hours, nights, weekend and holiday shifts) and fairness spreads.

Spreads are measured among comparable staff: the same roles, the same contract (fte and
limits), the same number of available days and the same preferences. Comparing a half-time
technician with a full-time clerk says nothing about fairness.
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
    """staff id -> counts, for every staff member in the rules (zero when idle)."""
    result = {member.id: dict.fromkeys(COUNTS, 0) for member in rules.staff}
    kinds = {}
    for item in worked:
        row = result.setdefault(item.staff, dict.fromkeys(COUNTS, 0))
        kind = kinds.get(item.day) or kinds.setdefault(item.day,
                                                       day_kind(rules.calendar, item.day))
        shift = rules.shift(item.shift)
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
            last: date) -> dict[str, float]:
    """metric -> the largest (most - least) among any group of comparable staff."""
    result = dict.fromkeys(COUNTS, 0)
    for members in groups(rules, first, last):
        for metric in COUNTS:
            values = [counts[m][metric] for m in members]
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
            "staff": {staff: {key: value for key, value in row.items()}
                      for staff, row in counts.items()}}
