"""Roster engine benchmark: time, hard violations, unfilled slots and fairness spreads.

    .venv/bin/python benchmarks/roster_bench.py            # S, M and L
    .venv/bin/python benchmarks/roster_bench.py S M --seed 3
    .venv/bin/python benchmarks/roster_bench.py L --quick   # without the variants
    .venv/bin/python benchmarks/roster_bench.py M --by-month --seed 2   # only month by month
    .venv/bin/python benchmarks/roster_bench.py S --by-month --from 2026-11-01 --fractions 0.5
    .venv/bin/python benchmarks/roster_bench.py M --by-month --fractions 0.75 --seed 3
    .venv/bin/python benchmarks/roster_bench.py S M --paired 11   # only the x staffed ratios
    .venv/bin/python benchmarks/roster_bench.py L --by-month --paired 3   # ... per month
    .venv/bin/python benchmarks/roster_bench.py M --by-month --alone   # each month alone
    .venv/bin/python benchmarks/roster_bench.py M --by-month --alone --paired 9
    .venv/bin/python benchmarks/roster_bench.py L --by-month --fractions 0.75 --budgets 0.5

For each generated instance (benchmarks/roster_instances.py) this runs, in the same process
and on the same positions:
- dutyctl: `dutyctl.roster.generate.generate` end to end (rules parsed, roster solved, file
  written), then `roster check` on the file it wrote;
- round-robin: the baseline. Per role, the next person in turn who is available and breaks no
  hard rule takes the position (a rotation with skip, as most spreadsheets do it);
- plain round-robin: the next person in turn with the role who is not on leave; hard rules
  ignored (what a fixed rotation without checks gives).
Spreads are (most - least) nights and weekend shifts among comparable staff: equal roles,
contract, available days and preferences (dutyctl.roster.stats), "n/a" where none compare;
"adjusted" is the coarser spread: the widest over the role groups, per full-time person.

Then (unless --quick) short-staffed variants of each instance, with a quarter, a half and
three quarters of the staff each role needs (benchmarks/roster_instances.short_staffed): time
against the staffed instance's run above (best of 5 runs for the instances of a month or a
quarter, whose runs take milliseconds), places filled, filled hours against the most the
capacity bound allows (dutyctl.roster.capacity), coverage holes and both spreads; and L (or
the last instance), staffed and with half its staff, generated month by month against the
whole period at once: time, places filled (coverage against the joint run), the shifts' needs
left with nobody of their role each way, and both spreads over the whole period.

--paired N times only the short-staffed variants against their staffed instance, in N rounds
of one staffed run then one short run each: a machine that slows down or speeds up during
the measurement weighs both alike, where the table's best of 5 of one then best of 5 of the
other does not. Per variant the median round's ratio and the lowest and highest, by the wall
clock and by the process's CPU time. With --by-month, the same for each month generated in
turn after the months before it (staffed after staffed, short after short): the ratio of
each month, the highest month's and the whole period's.

--alone (with --by-month) generates each month alone instead: no roster of the months before
it is kept, as a site's first roster or a year's first month is made. Per month: time, places
filled and left open, the shifts' needs left with nobody of their role, and both spreads over
the month (the staff compared over its own days, as `roster stats` compares a month's roster);
with --paired, each month's ratio against the same month generated alone with enough staff.

--budgets F runs every mode with each search allowance of the solver times F (`scaled_budgets`):
what coverage and fairness a shorter search costs, and what time it saves.
"""

from __future__ import annotations

import argparse
from collections import Counter
from contextlib import contextmanager
import dataclasses
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DUTYCTL_LANG"] = "en"  # findings are told apart by their (English) wording

from benchmarks.roster_instances import INSTANCES, short_staffed  # noqa: E402
from dutyctl.roster import positions as positions_module, stats  # noqa: E402
from dutyctl.roster.positions import shift_bounds  # noqa: E402
from dutyctl.timeutil import zone  # noqa: E402
from dutyctl.roster.generate import build_roster, generate  # noqa: E402
from dutyctl.roster.rosterfile import read_roster  # noqa: E402
from dutyctl.roster.rules import load_rules  # noqa: E402
from dutyctl.roster.solver import Solution, work_of  # noqa: E402
from dutyctl.roster.timeline import Timeline  # noqa: E402
from dutyctl.roster.validate import check_roster  # noqa: E402
from dutyctl.workspace import Workspace, init_workspace  # noqa: E402


SHANGHAI = zone("Asia/Shanghai")
FRACTIONS = (0.25, 0.5, 0.75)
# messages of check_roster that are not hard-rule breaks
FINDINGS = {"unfilled": ": coverage:", "holes": "coverage of the day:", "capacity": "capacity:"}


def round_robin(rules, positions, check_rules: bool) -> Solution:
    """Per role a pointer into the staff list; each position takes the next one who can."""
    members = list(rules.staff)
    timelines = [Timeline(m.limits) for m in members]
    pointer: dict[str, int] = {}
    chosen: list[str | None] = []
    reasons = {}
    for index, position in enumerate(positions):
        holders = [s for s, m in enumerate(members) if position.role in m.roles]
        start = pointer.get(position.role, 0)
        picked = None
        for step in range(len(holders)):
            s = holders[(start + step) % len(holders)]
            member = members[s]
            if member.unavailable_reason(position.day):
                continue
            work = work_of(position)
            if check_rules and timelines[s].conflict(work) is not None:
                continue
            if not check_rules and any(w.day == work.day and w.key[1] == work.key[1]
                                       for w in timelines[s].works[-3:]):
                continue  # one person cannot fill two places of the same shift
            picked = s
            timelines[s].add(work)
            pointer[position.role] = (start + step + 1) % len(holders)
            break
        chosen.append(members[picked].id if picked is not None else None)
        if picked is None:
            reasons[index] = "nobody in turn"
    return Solution(chosen, reasons)


def measure(workspace, rules, roster, label: str, seconds: float) -> dict:
    problems = check_roster(workspace, rules, roster, label)
    findings = {kind: [p for p in problems if marker in p.message]
                for kind, marker in FINDINGS.items()}
    worked = [stats.Worked(a.staff, a.day, a.shift, _hours(rules, a)) for a in roster.assignments]
    found = stats.roster_stats(rules, worked, roster.first, roster.last)
    spread, adjusted = found["spread"], found["spread_adjusted"]
    return {"seconds": seconds, "hard": len(problems) - sum(map(len, findings.values())),
            "unfilled": len(findings["unfilled"]), "holes": len(findings["holes"]),
            "filled": len(roster.assignments), "filled_hours": sum(w.hours for w in worked),
            "nights": spread["nights"],
            "weekends": spread["weekends"], "holidays": spread["holidays"],
            "hours": spread["hours"], "on_call": spread["on_call"], "adjusted": adjusted}


def _hours(rules, assignment) -> float:
    shift = rules.shift(assignment.shift)
    start, end = shift_bounds(assignment.day, shift, SHANGHAI)
    return (end - start).total_seconds() / 3600


def _workspace(folder: str, instance) -> Workspace:
    root = Path(folder) / "site"
    init_workspace(root)
    (root / "rosters" / "rules.yaml").write_text(instance.rules_text, encoding="utf-8")
    workspace = Workspace(root)
    load_rules(workspace).calendar.is_working_day(instance.first)  # imports, not solving
    return workspace


def _generate(workspace, first, last, seed: int, repeat: int = 1) -> tuple[float, object]:
    """Best of `repeat` runs (a month of a small site takes milliseconds: one run is noise),
    each a first generation: the roster a run wrote is deleted before the next, which would
    otherwise read it and compare the new one with it (`generate._same_but_when`)."""
    best = result = None
    for _ in range(repeat):
        if result is not None:
            result.path.unlink()
        started = time.perf_counter()
        result = generate(workspace, first, last, seed=seed)
        took = time.perf_counter() - started
        best = took if best is None else min(best, took)
    return best, result


def _repeat(instance) -> int:
    return 1 if (instance.last - instance.first).days > 100 else 5


def run(name: str, seed: int, baselines: bool = True) -> list[dict]:
    instance = INSTANCES[name]()
    with tempfile.TemporaryDirectory() as folder:
        workspace = _workspace(folder, instance)
        seconds, result = _generate(workspace, instance.first, instance.last, seed,
                                    _repeat(instance))
        rules = load_rules(workspace)
        roster, _ = read_roster(result.path, "dutyctl")
        rows = [{"instance": name, "method": "dutyctl",
                 **measure(workspace, rules, roster, "dutyctl", seconds)}]
        tz = workspace.config.tz
        positions = positions_module.expand(rules, instance.first, instance.last, tz)
        for method, check_rules in (("round-robin", True), ("plain round-robin", False)):
            if not baselines:
                break
            started = time.perf_counter()
            solution = round_robin(rules, positions, check_rules)
            seconds = time.perf_counter() - started
            baseline = build_roster(rules, positions, solution, instance.first, instance.last,
                                    seed, _now(tz))
            rows.append({"instance": name, "method": method,
                         **measure(workspace, rules, baseline, method, seconds)})
        size = f"{instance.staff} staff, {instance.shifts} shifts, {len(positions)} positions, " \
               f"{instance.first}..{instance.last}"
        for row in rows:
            row["size"] = size
            row["positions"] = len(positions)
    return rows


def run_short(name: str, fraction: float, seed: int) -> dict:
    """A short-staffed variant: generate end to end, the coverage kept against capacity."""
    from dutyctl.roster.capacity import shortages

    instance = short_staffed(INSTANCES[name](), fraction)
    with tempfile.TemporaryDirectory() as folder:
        workspace = _workspace(folder, instance)
        seconds, result = _generate(workspace, instance.first, instance.last, seed,
                                    _repeat(instance))
        rules = load_rules(workspace)
        roster, _ = read_roster(result.path, "dutyctl")
        row = measure(workspace, rules, roster, instance.name, seconds)
        positions = positions_module.expand(rules, instance.first, instance.last, SHANGHAI)
        row.update(instance=instance.name, staff=instance.staff, positions=len(positions),
                   bound=_coverage_bound(positions, shortages(rules, positions)))
    return row


def paired_ratios(name: str, fraction: float, seed: int, rounds: int) -> dict[str, list]:
    """The short-staffed variant's time against the staffed instance's over the whole
    period, one run of each in turn for `rounds` rounds after one of each not counted
    (`_in_turn`)."""
    staffed = INSTANCES[name]()
    short = short_staffed(staffed, fraction)
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as other:
        runs = [_workspace(one, staffed), _workspace(other, short)]
        _warm_up(runs, staffed.first, staffed.last, seed)
        return _in_turn(runs, staffed.first, staffed.last, seed, rounds)


def paired_by_month(name: str, fraction: float, seed: int, rounds: int,
                    first: date | None = None,
                    alone: bool = False) -> list[tuple[date, dict[str, list]]]:
    """The period generated a month at a time, in order, staffed and short-staffed side by
    side, as `paired_ratios` does for the whole period: each month `rounds` rounds of one
    staffed run then one short run (the last round's rosters kept for the months after;
    `alone`: none kept, each month generated with no roster before it), after one of each
    of the first month not counted. Per month: its first day and `_in_turn`'s ratios and
    times."""
    staffed = _instance(name, None, first)
    short = short_staffed(staffed, fraction)
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as other:
        runs = [_workspace(one, staffed), _workspace(other, short)]
        _warm_up(runs, *next(months_of(staffed.first, staffed.last)), seed)
        return [(month_first, _in_turn(runs, month_first, month_last, seed, rounds,
                                       keep_last=not alone))
                for month_first, month_last in months_of(staffed.first, staffed.last)]


def _warm_up(workspaces, first: date, last: date, seed: int) -> None:
    """One run in each workspace, not counted (imports), its roster deleted."""
    for workspace in workspaces:
        generate(workspace, first, last, seed=seed).path.unlink()


def _in_turn(workspaces, first: date, last: date, seed: int, rounds: int,
             keep_last: bool = False) -> dict[str, list]:
    """`rounds` rounds of one generation of first..last in each workspace in turn (the
    staffed one, then the short-staffed one), each a first generation: the roster a round
    wrote is deleted before the next, outside the time (the last round's kept with
    `keep_last`, for the months after). Each round's short-staffed time against the staffed
    one's by the wall clock (`wall`) and CPU time (`cpu`), and its two wall times (`times`:
    staffed, short), each list sorted."""
    ratios: dict[str, list] = {"wall": [], "cpu": [], "times": []}
    for round_ in range(rounds):
        taken = []  # (wall, cpu) of the staffed run, then of the short one
        for workspace in workspaces:
            wall, cpu = time.perf_counter(), time.process_time()
            written = generate(workspace, first, last, seed=seed).path
            taken.append((time.perf_counter() - wall, time.process_time() - cpu))
            if not keep_last or round_ < rounds - 1:
                written.unlink()
        (wall_staffed, cpu_staffed), (wall_short, cpu_short) = taken
        ratios["wall"].append(wall_short / max(wall_staffed, 1e-6))
        ratios["cpu"].append(cpu_short / max(cpu_staffed, 1e-6))
        ratios["times"].append((wall_staffed, wall_short))
    return {clock: sorted(values) for clock, values in ratios.items()}


def _median(values: list):
    """The middle of sorted `values` (the upper one of an even count)."""
    return values[len(values) // 2]


def _paired_table(names: list[str], seed: int, rounds: int) -> None:
    print(f"short-staffed against staffed, {rounds} rounds of one run each in turn "
          f"(median, lowest-highest)")
    for name in names:
        for fraction in FRACTIONS:
            ratios = paired_ratios(name, fraction, seed, rounds)
            text = "  ".join(f"{clock} {_median(ratios[clock]):.2f}x "
                             f"({ratios[clock][0]:.2f}-{ratios[clock][-1]:.2f})"
                             for clock in ("wall", "cpu"))
            print(f"{name}{fraction:.0%}".ljust(7) + f" {text}")


def _paired_by_month_table(names: list[str], seed: int, rounds: int, fractions,
                           first: date | None = None, alone: bool = False) -> None:
    how = "each month generated alone" if alone else "month by month"
    print(f"{how}, short-staffed against staffed, each month {rounds} rounds of one "
          f"run each in turn: the median round's wall-clock ratio per month, the highest "
          f"month's (lowest-highest round; CPU time's median), and the whole period's (each "
          f"month's median staffed and median short time, summed)")
    for name in names:
        for fraction in fractions:
            months = paired_by_month(name, fraction, seed, rounds, first, alone)
            per_month = " ".join(f"{day:%m} {_median(r['wall']):.2f}" for day, r in months)
            day, worst = max(months, key=lambda item: _median(item[1]["wall"]))
            whole = (sum(_median(sorted(t[1] for t in r["times"])) for _, r in months)
                     / sum(_median(sorted(t[0] for t in r["times"])) for _, r in months))
            print(f"{name}{fraction:.0%}".ljust(7) + f" {per_month}; highest {day:%m} "
                  f"{_median(worst['wall']):.2f}x ({worst['wall'][0]:.2f}-"
                  f"{worst['wall'][-1]:.2f}, CPU {_median(worst['cpu']):.2f}x); "
                  f"the period {whole:.2f}x")


def _coverage_bound(positions, short) -> float:
    """The most positions' hours any roster could fill: needed hours less what capacity says
    cannot be filled (role-wide lines only)."""
    needed = sum(p.hours for p in positions)
    return needed - sum(s.needed - s.most for s in short if s.shift is None)


def months_of(first: date, last: date):
    """(first day, last day) of each calendar month of first..last, cut to the period."""
    while first <= last:
        end = min(date(first.year + first.month // 12, first.month % 12 + 1, 1)
                  - timedelta(days=1), last)
        yield first, end
        first = end + timedelta(days=1)


def _instance(name: str, fraction: float | None, first: date | None):
    """The instance `name` from `first` (when given) to its last day, with `fraction` of
    the staff each role needs (when given)."""
    instance = INSTANCES[name]()
    if first is not None:
        instance = dataclasses.replace(instance, first=first)
    return instance if fraction is None else short_staffed(instance, fraction)


def run_alone(name: str, seed: int, fraction: float | None = None,
              first: date | None = None) -> list[dict]:
    """Each month of the instance's period (from `first`, when given) generated alone: the
    roster of each is deleted before the next month is generated, so none reads an earlier
    one (a site's first roster, a year's first month). Per month: its first day, time (best
    of `_repeat`), places filled and left open, the needs left with nobody of their role,
    both spreads over the month, and its assignments."""
    instance = _instance(name, fraction, first)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        workspace = _workspace(folder, instance)
        rules = load_rules(workspace)
        for month_first, month_last in months_of(instance.first, instance.last):
            month = dataclasses.replace(instance, first=month_first, last=month_last)
            seconds, result = _generate(workspace, month_first, month_last, seed,
                                        _repeat(month))
            assignments = result.roster.assignments
            spread, adjusted = _spreads(rules, assignments, month)
            rows.append({"instance": instance.name, "first": month_first, "seconds": seconds,
                         "filled": len(assignments), "unfilled": len(result.roster.unfilled),
                         "nobody": len(_nobody_of(_needs(rules, month), assignments)),
                         "spread": spread, "adjusted": adjusted, "assignments": assignments})
            result.path.unlink()
    return rows


def _alone_table(names: list[str], seed: int, fractions, first: date | None = None) -> None:
    print()
    print("each month generated alone (no roster of the months before it; spreads over the "
          "month)")
    print(f"{'inst':6} {'month':>5} {'time s':>7} {'filled':>6} {'open':>5} {'nobody':>6} "
          f"{'spread n/w/h':>14} {'adjusted n/w/h':>18} {'holidays':>8}")
    for name in names:
        for fraction in fractions:
            for row in run_alone(name, seed, fraction, first):
                print(f"{row['instance']:6} {row['first']:%m}".ljust(12)
                      + f" {row['seconds']:7.3f} {row['filled']:6d} {row['unfilled']:5d} "
                      f"{row['nobody']:6d} {_spread(row['spread']):>14} "
                      f"{_spread(row['adjusted']):>18} {_na(row['spread']['holidays']):>8}")


def run_month_by_month(name: str, seed: int, fraction: float | None = None,
                       first: date | None = None) -> dict:
    """The instance's period (from `first`, when given, to its last day) generated a month at
    a time, in order, against all of it at once: time, places filled and both spreads over
    the whole period."""
    instance = _instance(name, fraction, first)
    with tempfile.TemporaryDirectory() as folder:
        workspace = _workspace(folder, instance)
        rules = load_rules(workspace)
        joint_seconds, joint = _generate(workspace, instance.first, instance.last, seed)
        joint_spreads = _spreads(rules, joint.roster.assignments, instance)
        joint_filled = len(joint.roster.assignments)
        joint_days = _places_by_day(joint.roster.assignments)
        joint.path.unlink()
        seconds, assignments, unfilled, months = 0.0, [], 0, 0
        for first, last in months_of(instance.first, instance.last):
            took, result = _generate(workspace, first, last, seed)
            seconds += took
            months += 1
            assignments += result.roster.assignments
            unfilled += len(result.roster.unfilled)
    spread, adjusted = _spreads(rules, assignments, instance)
    needs = _needs(rules, instance)
    holes, joint_holes = (_nobody_of(needs, assignments),
                          _nobody_of(needs, joint.roster.assignments))
    days = _places_by_day(assignments)
    every_day = sorted(set(days) | set(joint_days))
    lowest = min(every_day, key=lambda day: (days.get(day, 0), day), default=None)
    return {"instance": f"{instance.name} by month", "seconds": seconds, "months": months,
            "joint_seconds": joint_seconds, "filled": len(assignments),
            "joint_filled": joint_filled, "unfilled": unfilled, "spread": spread,
            "nobody": len(holes), "joint_nobody": len(joint_holes),
            # which shifts of a role have nobody one way only: where month by month and at
            # once part (a month's first days, a week's hours spent by the month before)
            "nobody_only": sorted(holes - joint_holes),
            "joint_nobody_only": sorted(joint_holes - holes),
            "adjusted": adjusted, "joint_spread": joint_spreads[0],
            "joint_adjusted": joint_spreads[1],
            # places a day, month by month against at once: the day with the fewest month by
            # month, each month's first day, the days with none where at once has some
            "lowest": lowest and (lowest, days.get(lowest, 0), joint_days.get(lowest, 0)),
            "joint_lowest": min((joint_days.get(day, 0) for day in every_day), default=0),
            "firsts": [(day, days.get(day, 0), joint_days.get(day, 0))
                       for day, _ in months_of(instance.first, instance.last)],
            "empty": [day for day in every_day if not days.get(day) and joint_days.get(day)]}


def _needs(rules, instance) -> set:
    """Each shift's need of each role on each day of the instance's period."""
    return {(p.day, p.shift.id, p.role)
            for p in positions_module.expand(rules, instance.first, instance.last, SHANGHAI)}


def _nobody_of(needs: set, assignments) -> set:
    """The (day, shift, role) of `needs` with nobody of that role on that shift: the
    desk's holes that a count of places hides (a third seat filled weighs as much as a
    night left empty)."""
    return needs - {(a.day, a.shift, a.role) for a in assignments}


def _places_by_day(assignments) -> Counter:
    """How many places are filled on each day."""
    return Counter(assignment.day for assignment in assignments)


def _spreads(rules, assignments, instance) -> tuple[dict, dict]:
    """Comparable-staff and coarse (adjusted) spreads over the instance's whole period."""
    worked = [stats.Worked(a.staff, a.day, a.shift, _hours(rules, a)) for a in assignments]
    found = stats.roster_stats(rules, worked, instance.first, instance.last)
    return found["spread"], found["spread_adjusted"]


def _now(tz):
    from dutyctl import timeutil

    return timeutil.now(tz)


ALLOWANCES = ("_EFFORT", "_FLOOR", "_BUDGET")  # endings of the budgets that `--budgets` scales


@contextmanager
def scaled_budgets(factor: float):
    """Each search allowance of the solver (`budgets`: the names ending in ALLOWANCES, and
    LOWER_BUDGETS) times `factor`, at least 1, until the block ends; the searches' shapes
    (depths, node limits, tries) stay. Month by month a short-staffed month's searches end
    at their allowances, so these set its time (docs/performance-history.md)."""
    from dutyctl.roster.solver import budgets

    names = [name for name in vars(budgets) if name.isupper() and name.endswith(ALLOWANCES)
             and isinstance(getattr(budgets, name), int)] + ["LOWER_BUDGETS"]
    saved = {name: getattr(budgets, name) for name in names}
    def scale(value: int) -> int:
        return max(1, int(value * factor))

    try:
        for name, value in saved.items():
            setattr(budgets, name, tuple(map(scale, value)) if isinstance(value, tuple)
                    else scale(value))
        yield
    finally:
        for name, value in saved.items():
            setattr(budgets, name, value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="*", default=list(INSTANCES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true",
                        help="only the instances themselves (no short-staffed or by-month runs)")
    parser.add_argument("--by-month", action="store_true",
                        help="only each instance staffed and at half its staff, month by month "
                             "against at once")
    parser.add_argument("--fractions", type=lambda text: [float(x) for x in text.split(",")],
                        help="with --by-month: these shares of the staff instead (1 = staffed), "
                             "e.g. 0.75 or 0.5,0.75")
    parser.add_argument("--from", dest="first", type=date.fromisoformat,
                        help="with --by-month: start the period on this day (S from 2026-11-01: "
                             "November and December)")
    parser.add_argument("--alone", action="store_true",
                        help="with --by-month: each month generated alone, no roster of the "
                             "months before it kept")
    parser.add_argument("--paired", type=int, metavar="ROUNDS",
                        help="only the short-staffed variants' time against the staffed "
                             "instance's, ROUNDS rounds of one run each in turn (with "
                             "--by-month: per month)")
    parser.add_argument("--budgets", type=float, default=1.0, metavar="FACTOR",
                        help="each search allowance of the solver times FACTOR (e.g. 0.5)")
    args = parser.parse_args()
    if args.budgets <= 0:
        parser.error("--budgets: a factor above 0")
    with scaled_budgets(args.budgets):
        _run(parser, args)


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.alone and not args.by_month:
        parser.error("--alone: with --by-month")
    if args.paired and args.by_month:
        if args.fractions and 1 in args.fractions:
            parser.error("--paired compares short-staffed variants with the staffed "
                         "instance: fractions below 1")
        _paired_by_month_table(args.instances, args.seed, args.paired,
                               args.fractions or FRACTIONS, args.first, args.alone)
        return
    if args.paired:
        _paired_table(args.instances, args.seed, args.paired)
        return
    if args.by_month:
        fractions = [None if f == 1 else f for f in args.fractions] if args.fractions \
            else (None, 0.5)
        table = _alone_table if args.alone else _by_month_table
        table(args.instances, args.seed, fractions, args.first)
        return
    header = f"{'inst':4} {'method':18} {'time s':>8} {'hard':>5} {'unfilled':>8} " \
             f"{'nights':>6} {'weekends':>8} {'holidays':>8} {'hours':>6}"
    print(header)
    staffed = {}
    for name in args.instances:
        rows = run(name, args.seed)
        staffed[name] = rows[0]
        print(f"# {name}: {rows[0]['size']}")
        for row in rows:
            print(f"{name:4} {row['method']:18} {row['seconds']:8.3f} {row['hard']:5d} "
                  f"{row['unfilled']:8d} {_na(row['nights']):>6} {_na(row['weekends']):>8} "
                  f"{_na(row['holidays']):>8} {_na(row['hours']):>6}")
        ours, baseline = rows[0], rows[1]
        print(f"{name:4} {'dutyctl/round-robin':18} "
              f"time {ours['seconds'] / max(baseline['seconds'], 1e-6):.1f}x, "
              f"spread nights {_na(ours['nights'])} vs {_na(baseline['nights'])}, "
              f"weekends {_na(ours['weekends'])} vs {_na(baseline['weekends'])}")
    if args.quick:
        return
    print()
    print("short-staffed: a quarter, half, three quarters of the staff each role needs")
    print(f"{'inst':6} {'staff':>5} {'time s':>7} {'x staffed':>9} {'hard':>5} "
          f"{'filled':>11} {'of bound':>8} {'holes':>5} {'spread n/w/h':>14} "
          f"{'adjusted n/w/h':>18} {'holidays':>8}")
    for name in args.instances:
        for fraction in FRACTIONS:
            row = run_short(name, fraction, args.seed)
            ratio = row["seconds"] / max(staffed[name]["seconds"], 1e-6)
            filled_hours = _filled_hours(row)
            print(f"{row['instance']:6} {row['staff']:5d} {row['seconds']:7.3f} {ratio:8.2f}x "
                  f"{row['hard']:5d} {row['filled']:5d}/{row['positions']:<5d} "
                  f"{filled_hours:7.0%} {row['holes']:5d} {_spread(row):>14} "
                  f"{_spread(row['adjusted']):>18} {_na(row['holidays']):>8}")
    _by_month_table([n for n in args.instances if n == "L"] or args.instances[-1:], args.seed)


def _by_month_table(names: list[str], seed: int, fractions=(None, 0.5),
                    first: date | None = None) -> None:
    print()
    print("month by month against the whole period at once (spreads over the whole period)")
    print(f"{'inst':14} {'time s':>7} {'at once':>7} {'filled':>7} {'at once':>7} "
          f"{'coverage':>8} {'nobody':>6} {'at once':>7} {'spread n/w/h':>14} {'at once':>14} "
          f"{'adjusted n/w/h':>18}")
    for name in names:
        for fraction in fractions:
            row = run_month_by_month(name, seed, fraction, first)
            print(f"{row['instance']:14} {row['seconds']:7.2f} {row['joint_seconds']:7.2f} "
                  f"{row['filled']:7d} {row['joint_filled']:7d} "
                  f"{row['filled'] / max(row['joint_filled'], 1):8.2%} "
                  f"{row['nobody']:6d} {row['joint_nobody']:7d} "
                  f"{_spread(row['spread']):>14} {_spread(row['joint_spread']):>14} "
                  f"{_spread(row['adjusted']):>18}  ({row['months']} months, "
                  f"{row['unfilled']} unfilled; holidays "
                  f"{_na(row['spread']['holidays'])} apart, "
                  f"at once {_na(row['joint_spread']['holidays'])})")
            print(f"{'':14} places a day by month / at once: {_days(row)}")
            print(f"{'':14} nobody by month only: {_holes(row['nobody_only'])}; "
                  f"at once only: {_holes(row['joint_nobody_only'])}")


def _days(row: dict) -> str:
    """The lowest day month by month (and the lowest at once), each month's first day, the
    days with no place filled month by month that at once fills."""
    lowest = row["lowest"]
    text = (f"lowest {lowest[0]:%m-%d} {lowest[1]}/{lowest[2]} (at once {row['joint_lowest']})"
            if lowest else "no days")
    firsts = " ".join(f"{day:%m-%d} {mine}/{joint}" for day, mine, joint in row["firsts"])
    empty = ", ".join(f"{day:%m-%d}" for day in row["empty"]) or "none"
    return f"{text}; firsts {firsts}; empty {empty}"


def _holes(holes: list, shown: int = 3) -> str:
    """Per role, the (day, shift) with nobody of it: named where at most `shown`, else
    counted (at a quarter of L's staff a year leaves about 28 technicians' shifts one way
    and as many the other, a day for a night)."""
    by_role: dict[str, list[str]] = {}
    for day, shift, role in holes:
        by_role.setdefault(role, []).append(f"{day:%m-%d} {shift}")
    return "; ".join(f"{role} {', '.join(found)}" if len(found) <= shown
                     else f"{role} x{len(found)}"
                     for role, found in sorted(by_role.items())) or "none"


def _filled_hours(row: dict) -> float:
    return row["filled_hours"] / row["bound"] if row.get("bound") else 1.0


def _na(value) -> str:
    return "n/a" if value is None else f"{value:g}"


def _spread(values: dict) -> str:
    return "/".join(_na(values[k]) for k in ("nights", "weekends", "hours"))


if __name__ == "__main__":
    main()
