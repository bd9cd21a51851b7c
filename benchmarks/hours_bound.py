"""Each comparable group's hours against what each member's leave lets them work at most.

Short-staffed, everyone works to the weekly limit in every week their leave leaves days in,
so a group's hours spread follows from how each member's leave falls on ISO weeks: three
days of leave in a week may cost a 12 h guard nothing, five days two shifts. For each group
of comparable staff (`stats.groups`: the same roles, contract, preferences and number of
available days) whose hours end more than its shortest shift apart, this prints each
member's hours and their bound: per ISO week the most hours the week's shifts of their roles
give under the weekly limit, rest and runs on the days their leave leaves them
(`capacity._Bound`, the capacity diagnosis's own bound), summed over the period. A member
at their bound cannot be given more, so the group can end within one shift of them only if
everyone above gives hours to someone with room, or leaves places open.

    .venv/bin/python benchmarks/hours_bound.py L --fraction 0.75 --seed 0            # by month
    .venv/bin/python benchmarks/hours_bound.py L --fraction 0.5 --seed 0 --at-once
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DUTYCTL_LANG", "en")

from benchmarks import roster_bench as bench  # noqa: E402
from dutyctl.roster import capacity, stats  # noqa: E402
from dutyctl.roster.positions import expand  # noqa: E402
from dutyctl.roster.rules import load_rules  # noqa: E402
from dutyctl.roster.timeline import sum_in_order  # noqa: E402
from dutyctl.timeutil import zone  # noqa: E402


def bounds(rules, first, last) -> dict[str, float]:
    """staff id -> the most hours the period's shifts of their roles let them work (on site,
    leave and the weekly limit, rest and runs within each week; nothing across weeks)."""
    positions = [p for p in expand(rules, first, last, zone("Asia/Shanghai")) if not p.on_call]
    found = {}
    for member in rules.staff:
        theirs = [p for p in positions if p.role in member.roles]
        if not theirs:
            continue
        bound = capacity._bound(theirs, None)
        weeks = bound.weeks((p.day.toordinal(), p.start_ts, p.end_ts) for p in theirs)
        found[member.id] = sum_in_order(  # the weeks' bounds, as capacity's shortages sums
            bound.person_weeks(member, weeks, all(p.night for p in theirs)).values())
    return found


def run(name: str, fraction: float | None, seed: int, at_once: bool) -> None:
    instance = bench._instance(name, fraction, None)
    with tempfile.TemporaryDirectory() as folder:
        workspace = bench._workspace(folder, instance)
        rules = load_rules(workspace)
        periods = [(instance.first, instance.last)] if at_once \
            else list(bench.months_of(instance.first, instance.last))
        assignments = []
        for first, last in periods:
            assignments += bench._generate(workspace, first, last, seed)[1].roster.assignments
    hours = dict.fromkeys((m.id for m in rules.staff), 0.0)
    for a in assignments:
        hours[a.staff] += bench._hours(rules, a)
    most = bounds(rules, instance.first, instance.last)
    shortest: dict[str, float] = {}
    for p in expand(rules, instance.first, instance.last, zone("Asia/Shanghai")):
        if not p.on_call:
            shortest[p.role] = min(shortest.get(p.role, p.hours), p.hours)
    way = "at once" if at_once else "by month"
    print(f"{name} {fraction or 1:g} seed {seed} {way}: {len(assignments)} places")
    for group in stats.groups(rules, instance.first, instance.last):
        gap = max(hours[s] for s in group) - min(hours[s] for s in group)
        unit = min(shortest[role] for role in rules.member(group[0]).roles)
        if gap <= unit:
            continue
        floor = min(most[s] for s in group)
        above = sum(max(hours[s] - floor - unit, 0.0) for s in group)
        print(f"  {group[0]}.. ({len(group)}): {gap:g} h apart; the least bound {floor:g} h; "
              f"{above:g} h above it + {unit:g} h")
        for s in sorted(group, key=lambda s: (hours[s], s)):
            mark = "  at its bound" if hours[s] >= most[s] - 1e-6 else ""
            print(f"    {s:6} {hours[s]:7g} h  bound {most[s]:7g} h{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", choices=sorted(bench.INSTANCES))
    parser.add_argument("--fraction", type=float)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--at-once", action="store_true")
    args = parser.parse_args()
    run(args.instance, args.fraction, args.seed, args.at_once)


if __name__ == "__main__":
    main()
