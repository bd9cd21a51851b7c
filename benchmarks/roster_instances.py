"""Generated roster instances S, M and L as rules.yaml text (deterministic per seed).

S: 12 staff, 3 shifts, 1 month.
M: 40 staff, 6 shifts with roles and leave, 3 months (October to December 2026: 国庆 and the
   调休 working Saturday 2026-10-10 included).
L: 120 staff, 8 shifts with roles, leave and preferences, 1 year (2026).

Staff come in blocks of equal contracts, equal leave lengths and equal preferences, so the
benchmark can measure the fairness spread among comparable staff.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Instance:
    name: str
    rules_text: str
    first: date
    last: date
    staff: int
    shifts: int


def _shift(shift_id: str, name: str, start: str, end: str, need: dict, days: str = "daily"):
    needs = ", ".join(f"{role}: {count}" for role, count in need.items())
    return (f"  - {{id: {shift_id}, name: {name}, start: \"{start}\", end: \"{end}\", "
            f"days: {days}, need: {{{needs}}}}}")


def _leave_ranges(rng: random.Random, first: date, last: date, total_days: int) -> list[str]:
    """`total_days` of leave in ranges of up to 5 days, inside the period, not overlapping."""
    taken: set[date] = set()
    ranges = []
    span = (last - first).days
    while total_days > 0:
        length = min(total_days, rng.randint(2, 5))
        start = first + timedelta(days=rng.randint(0, max(span - length, 0)))
        days = {start + timedelta(days=n) for n in range(length)}
        if days & taken:
            continue
        taken |= days
        total_days -= length
        ranges.append(f"{{from: \"{start}\", to: \"{start + timedelta(days=length - 1)}\"}}")
    return ranges


def _staff_lines(rng: random.Random, blocks: list[tuple], first: date, last: date) -> list[str]:
    """blocks: (prefix, count, roles, leave days, extra fields text)."""
    lines = []
    for prefix, count, roles, leave_days, extra in blocks:
        for number in range(1, count + 1):
            staff_id = f"{prefix}{number:02d}"
            fields = [f"id: {staff_id}", f"name: {staff_id}", f"roles: [{', '.join(roles)}]"]
            if leave_days:
                fields.append(f"leave: [{', '.join(_leave_ranges(rng, first, last, leave_days))}]")
            if extra:
                fields.append(extra)
            lines.append("  - {" + ", ".join(fields) + "}")
    return lines


def _rules(shifts: list[str], staff: list[str], limits: dict) -> str:
    constraint_lines = [f"  {key}: {value}" for key, value in limits.items()]
    return "\n".join(["calendar: {country: CN}", "shifts:", *shifts, "staff:", *staff,
                      "constraints:", *constraint_lines,
                      "fairness: [hours, nights, weekends, holidays]", ""])


def small(seed: int = 1) -> Instance:
    first, last = date(2026, 12, 1), date(2026, 12, 31)
    rng = random.Random(seed)
    shifts = [_shift("early", "早班", "07:00", "15:00", {"service": 3}),
              _shift("late", "中班", "15:00", "23:00", {"service": 2}),
              _shift("night", "夜班", "23:00", "07:00", {"service": 2})]
    staff = _staff_lines(rng, [("s", 12, ["service"], 0, "")], first, last)
    return Instance("S", _rules(shifts, staff, {"min_rest_hours": 12, "max_consecutive_days": 6,
                                                "max_nights_in_a_row": 3,
                                                "max_hours_per_week": 40}),
                    first, last, 12, 3)


def medium(seed: int = 1) -> Instance:
    first, last = date(2026, 10, 1), date(2026, 12, 31)
    rng = random.Random(seed)
    shifts = [_shift("day", "白班", "08:00", "20:00", {"service": 3, "technician": 1}),
              _shift("night", "夜班", "20:00", "08:00", {"service": 1, "technician": 1}),
              _shift("office", "前台", "08:30", "17:30", {"service": 2}, "workdays"),
              _shift("guard_day", "日岗", "07:00", "19:00", {"guard": 2}),
              _shift("guard_night", "夜岗", "19:00", "07:00", {"guard": 2}),
              _shift("clean", "保洁", "07:00", "15:00", {"cleaner": 2}, "workdays")]
    staff = _staff_lines(rng, [("sv", 8, ["service"], 0, ""), ("sl", 6, ["service"], 5, ""),
                               ("te", 8, ["technician"], 4, ""),
                               ("gu", 6, ["guard"], 0, ""), ("gl", 6, ["guard"], 5, ""),
                               ("cl", 6, ["cleaner"], 3, "")], first, last)
    return Instance("M", _rules(shifts, staff, {"min_rest_hours": 12, "max_consecutive_days": 6,
                                                "max_nights_in_a_row": 3,
                                                "max_hours_per_week": 48}),
                    first, last, 40, 6)


def large(seed: int = 1) -> Instance:
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    rng = random.Random(seed)
    shifts = [_shift("day", "白班", "08:00", "20:00", {"service": 6, "technician": 4}),
              _shift("night", "夜班", "20:00", "08:00", {"service": 4, "technician": 2}),
              _shift("office", "前台", "08:30", "17:30", {"service": 6}, "workdays"),
              _shift("evening", "晚班", "14:00", "22:00", {"service": 4}),
              _shift("guard_day", "日岗", "07:00", "19:00", {"guard": 5}),
              _shift("guard_night", "夜岗", "19:00", "07:00", {"guard": 5}),
              _shift("clean", "保洁", "07:00", "15:00", {"cleaner": 10}, "workdays"),
              _shift("weekend_clean", "周末保洁", "08:00", "16:00", {"cleaner": 6}, "restdays")]
    avoid_nights = "avoid: [night, guard_night]"
    prefer_weekends_off = "avoid: [weekends]"
    staff = _staff_lines(rng, [
        ("sv", 14, ["service"], 15, ""), ("sw", 10, ["service"], 15, prefer_weekends_off),
        ("sp", 6, ["service"], 15, "fte: 0.5, max_hours_per_week: 24"),
        ("te", 10, ["technician"], 15, ""), ("tn", 6, ["technician"], 15, avoid_nights),
        ("gu", 20, ["guard"], 15, ""), ("gn", 8, ["guard"], 15, avoid_nights),
        ("cl", 16, ["cleaner"], 15, ""), ("cw", 6, ["cleaner"], 15, prefer_weekends_off),
        ("mx", 6, ["service", "technician"], 15, ""),
        ("ss", 18, ["service"], 10, ""),
    ], first, last)
    return Instance("L", _rules(shifts, staff, {"min_rest_hours": 12, "max_consecutive_days": 6,
                                                "max_nights_in_a_row": 3,
                                                "max_hours_per_week": 48}),
                    first, last, 120, 8)


INSTANCES = {"S": small, "M": medium, "L": large}


def short_staffed(instance: Instance, fraction: float) -> Instance:
    """The same shifts with `fraction` of the staff each role needs: per role, the hours its
    shifts need over the period divided by max_hours_per_week a week, rounded up; the first
    staff of the role in file order are kept (multi-role staff count for their first role)."""
    import math

    from dutyctl.store import yamlio
    from dutyctl.roster.positions import expand
    from dutyctl.roster.rules import parse_rules
    from dutyctl.timeutil import zone

    rules, _ = parse_rules(yamlio.loads(instance.rules_text, "rules.yaml"), "rules.yaml")
    weeks = ((instance.last - instance.first).days + 1) / 7
    hours: dict[str, float] = {}
    for position in expand(rules, instance.first, instance.last, zone("Asia/Shanghai")):
        hours[position.role] = hours.get(position.role, 0.0) + position.hours
    keep_count = {role: max(1, math.ceil(fraction * math.ceil(
        total / (rules.limits.max_hours_per_week * weeks)))) for role, total in hours.items()}
    kept: set[str] = set()
    for member in rules.staff:
        role = member.roles[0]
        if keep_count.get(role, 0) > 0:
            keep_count[role] -= 1
            kept.add(member.id)
    head, rest = instance.rules_text.split("\nstaff:\n", 1)
    staff, tail = rest.split("\nconstraints:\n", 1)
    lines = [head, "staff:", *[line for line in staff.splitlines()
                               if line.split(",")[0][len("  - {id: "):] in kept],
             "constraints:", tail]
    name = f"{instance.name}{round(fraction * 100)}%"
    return Instance(name, "\n".join(lines), instance.first, instance.last, len(kept),
                    instance.shifts)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Print the rules.yaml of a generated roster "
                                                 "instance (the benchmark imports this module).")
    parser.add_argument("size", choices=sorted(INSTANCES), help="S, M or L")
    parser.add_argument("--seed", type=int, default=1)
    chosen = parser.parse_args()
    print(INSTANCES[chosen.size](chosen.seed).rules_text, end="")
