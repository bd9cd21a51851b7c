"""Optional: the smallest hours spread the hard rules allow, by an exact CP-SAT model.

    pip install ortools          # in a development venv only: never a dutyctl dependency
    nice python benchmarks/roster_oracle.py M:0.5 L:0.25 L:0.5 L:0.75 --time-limit 300

For each instance (benchmarks/roster_instances.py, `NAME:FRACTION` for a short-staffed variant,
`NAME` for the staffed one) this generates the roster with dutyctl as the benchmark does, then
asks CP-SAT for a roster of the same positions that

- fills at least as many places of every (shift, role) as dutyctl filled (its coverage kept;
  exactly as many with --exact-coverage);
- breaks no hard rule: leave and roles (`Solver._eligible`), overlap and min_rest_hours
  (pairs of shifts one person cannot both work, found with `Timeline.conflict`, the engine's
  own check), max_consecutive_days, max_nights_in_a_row and max_hours_per_week (per ISO week
  of the day a shift starts, each person's own limits);
- keeps the nights, weekend and holiday spreads among comparable staff at most dutyctl's;

and minimises the largest hours spread among comparable staff (`stats.groups`, the figure
`roster stats` and the benchmark print). Staff who share no role are independent, so each set
of roles linked by its staff is solved on its own, with dutyctl's roster as the hint. The
oracle's roster is checked with `roster check`'s own `check_roster` (0 hard violations) and
its spreads measured with `stats.roster_stats`, so the figure printed is the engine's measure.

Other questions, same model:

    --minimise nights            # a count's spread (nights, weekends, holidays, on_call); the
                                 # hours spread and the other counts stay at most dutyctl's
    --roles technician,cleaner   # only the roles linked to these (the rest keep dutyctl's)
    T --by-month --seed 4        # the `init` template's 2026, generated a month at a time
    --fix-before 2026-10-01 --fix-after 2026-10-31   # only October may change
    --fewest-changes             # then, at the spread found, the roster nearest dutyctl's:
                                 # the exchange the engine misses (--keep writes both)
    --keep-staffed               # as many days of each shift keep someone as dutyctl's
    --keep-shifts                # every shift dutyctl gives someone keeps someone (no time
                                 # dutyctl covers left with nobody)
    --most-places                # the most places the rules allow with every spread (hours
                                 # too) at most dutyctl's, dutyctl's coverage per shift kept
    --from 2026-01-01 --to 2026-02-01   # one period alone (best ending on a Sunday: dutyctl
                                 # plans the rest of its last ISO week, the model does not)
    --hold-adjusted              # each role's adjusted spreads (`roster stats`' coarse one,
                                 # per full-time person) at most dutyctl's too: without it a
                                 # clerk with no comparable colleague may take any share

A count's spread of 1 is often forced without a solver: a group that is everyone holding its
roles, with every place of the count filled (so its total is fixed), and a total that is not
a multiple of its size. CP-SAT's bound rarely proves such a parity in minutes.

Modelled differently (said so it stays honest): preferences (avoid/prefer) are soft in the
engine and not modelled here (the comparable groups still split by them); on-call shifts are
at home (only overlaps count, as in `Timeline`: no rest, runs or hours); the period starts
with no earlier roster (the benchmark's workspace has none) and the days after it are not
planned, where the engine plans the rest of the period's last ISO week (a Sunday's next day:
its rest and runs) and leaves what those days need: a period ending on a Sunday (`--to`)
compares nearly like with like, where a year ending on a Thursday leaves the engine its reserve
for three more days. "optimal" means CP-SAT proved it; otherwise the best found and the proven
lower bound are printed. Without ortools it says so and exits 0 (nothing else needs it).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DUTYCTL_LANG"] = "en"

from benchmarks.roster_bench import SHANGHAI, _generate, _workspace, measure, months_of  # noqa: E402
from benchmarks.roster_instances import INSTANCES, Instance, short_staffed  # noqa: E402
from dutyctl.roster import positions as positions_module, stats  # noqa: E402
from dutyctl.roster.generate import build_roster  # noqa: E402
from dutyctl.roster.rules import load_rules  # noqa: E402
from dutyctl.roster.solver import Solution, work_of  # noqa: E402
from dutyctl.roster.timeline import Timeline, week_of  # noqa: E402

MINUTES = 60  # hours are modelled in whole minutes
COUNTS = ("nights", "weekends", "holidays", "on_call")
PLACES = "places"  # --most-places: the places filled maximised, every spread held
ADJUSTED = 10 ** 4  # --hold-adjusted: a person's factor to a full-time load, in whole numbers
TEMPLATE = Path(__file__).resolve().parents[1] / "dutyctl" / "templates" / "rosters" / "rules.yaml"


def cells_of(positions):
    """(day, shift id, role) -> its positions (seats): one person takes at most one seat of a
    shift, so the model only says who works which shift in which role."""
    cells = defaultdict(list)
    for i, p in enumerate(positions):
        cells[(p.day, p.shift.id, p.role)].append(i)
    return cells


def components(rules) -> list[set[str]]:
    """Sets of roles linked by staff holding several: independent subproblems."""
    parent: dict[str, str] = {}

    def find(role):
        parent.setdefault(role, role)
        while parent[role] != role:
            role = parent[role]
        return role

    for member in rules.staff:
        for role in member.roles[1:]:
            parent[find(role)] = find(member.roles[0])
    for shift in rules.shifts:
        for role, _ in shift.need:
            find(role)
    found = defaultdict(set)
    for role in parent:
        found[find(role)].add(role)
    return list(found.values())


def solve_component(rules, positions, cells, roles, engine, filled, limits_of, first, last,
                    count_caps, seconds, workers, exact=False, metric="hours", before=None,
                    after=None, fewest=False, staffed=None, kept=None, adjusted=False):
    """CP-SAT over one component: returns (status, best spread, bound, assignment). The spread
    minimised is `metric`'s (hours, or a count of COUNTS); the others are capped by
    `count_caps` (metric -> the most allowed, hours in hours; None: free). `metric` PLACES:
    the places filled are maximised instead, every spread capped. Days before
    `before` and after `after` keep dutyctl's places (one month of a year generated month
    by month: what that month alone could have done). `fewest`: then, at that spread, the
    roster nearest dutyctl's (the move it misses). `staffed`: (shift, role) -> the days
    dutyctl leaves someone on it, kept at least (no shift emptied for another's second seat).
    `kept`: the (day, shift, role) cells dutyctl gives someone, each keeping someone.
    `adjusted`: each role's adjusted spreads held at most dutyctl's too (`_hold_adjusted`)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    members = [m for m in rules.staff if set(m.roles) & roles]
    mine = {key: seats for key, seats in cells.items() if key[2] in roles}
    x = {}  # (staff id, cell) -> bool
    by_staff = defaultdict(list)
    for key, seats in mine.items():
        day, _, role = key
        for member in members:
            if role in member.roles and member.unavailable_reason(day) is None:
                var = model.NewBoolVar("")
                x[(member.id, key)] = var
                by_staff[member.id].append(key)
        takers = [x[(m.id, key)] for m in members if (m.id, key) in x]
        if takers:
            model.Add(sum(takers) <= len(seats))
    # coverage: at least dutyctl's filled places per (shift, role)
    per_kind = defaultdict(list)
    for (member_id, key), var in x.items():
        per_kind[(key[1], key[2])].append(var)
    for kind, variables in per_kind.items():
        if exact:
            model.Add(sum(variables) == filled.get(kind, 0))
        else:
            model.Add(sum(variables) >= filled.get(kind, 0))
    if staffed is not None:  # as many days of each (shift, role) keep someone as dutyctl's
        days_with = defaultdict(list)
        for key in mine:
            takers = [x[(m.id, key)] for m in members if (m.id, key) in x]
            if takers:
                someone = model.NewBoolVar("")
                model.AddBoolOr(takers).OnlyEnforceIf(someone)
                days_with[(key[1], key[2])].append(someone)
        for kind, flags in days_with.items():
            model.Add(sum(flags) >= staffed.get(kind, 0))
    for key in set(kept or ()) & set(mine):  # each shift dutyctl staffs keeps someone
        model.AddBoolOr([x[(m.id, key)] for m in members if (m.id, key) in x])
    hours = {}
    hinted = {x[(m, key)].Index() for m, keys in engine.items() for key in keys if (m, key) in x}
    for member in members:
        keys = sorted(by_staff[member.id], key=lambda k: positions[cells[k][0]].start_ts)
        limits = limits_of[member.id]
        works = {k: work_of(positions[cells[k][0]]) for k in keys}
        # overlap and rest: pairs the engine's Timeline refuses
        for a, ka in enumerate(keys):
            for kb in keys[a + 1:]:
                if works[kb].start - works[ka].end > limits.min_rest_hours * 3600 + 86400:
                    break
                timeline = Timeline(limits)
                timeline.add(works[ka])
                conflict = timeline.conflict(works[kb])
                if conflict is not None and conflict.rule in ("overlap", "min_rest_hours"):
                    model.AddBoolOr([x[(member.id, ka)].Not(), x[(member.id, kb)].Not()])
        days = defaultdict(list)
        nights = defaultdict(list)
        weeks = defaultdict(list)
        for k in keys:
            work = works[k]
            if (before is not None and k[0] < before) or (after is not None and k[0] > after):
                model.Add(x[(member.id, k)] == int(k in engine.get(member.id, ())))
            if work.on_call:  # at home: only overlaps count (Timeline), no runs, no hours
                continue
            days[work.day].append(x[(member.id, k)])
            if work.night:
                nights[work.day].append(x[(member.id, k)])
            weeks[week_of(work.day)].append((round(work.hours * MINUTES), x[(member.id, k)]))
        _runs(model, days, limits.max_consecutive_days, lambda var: var.Index() in hinted)
        _runs(model, nights, limits.max_nights_in_a_row, lambda var: var.Index() in hinted)
        for items in weeks.values():
            model.Add(sum(h * v for h, v in items) <= round(limits.max_hours_per_week * MINUTES))
        total = sum(round(works[k].hours * MINUTES) * x[(member.id, k)] for k in keys
                    if not works[k].on_call)
        hours[member.id] = total
    groups = [g for g in stats.groups(rules, first, last) if set(g) & {m.id for m in members}]
    spread = model.NewIntVar(0, 10 ** 7, "spread")
    places = sum(x.values())
    scale = MINUTES if metric == "hours" else 1
    for group in groups:
        for count in ("hours", *COUNTS):
            cap = count_caps.get(count)
            if count != metric and cap is None:
                continue
            if count == "hours":
                values = [hours[member_id] for member_id in group]
                most, cap = 10 ** 7, None if cap is None else round(cap * MINUTES)
            else:
                values = [sum(x[(m, k)] for k in by_staff[m]
                              if _counts(positions[cells[k][0]], rules, count))
                          for m in group]
                most, cap = 10 ** 5, None if cap is None else int(cap)
            _within(model, values, spread if count == metric else cap, most)
    if adjusted:
        _hold_adjusted(model, rules, x, by_staff, engine, positions, cells, roles, first, last)
    if metric == PLACES:
        model.Maximize(places)
    else:
        model.Minimize(spread)
    for (member_id, key), var in x.items():
        model.AddHint(var, key in engine.get(member_id, ()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    status = solver.Solve(model)
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return name, None, solver.BestObjectiveBound() / scale, {}
    best, bound = solver.ObjectiveValue(), solver.BestObjectiveBound()
    if fewest:  # the spread (or places) found, with as few places changed hands as can be
        model.Add(places >= round(best) if metric == PLACES else spread <= round(best))
        model.Minimize(sum(1 - var if key in engine.get(member_id, ()) else var
                           for (member_id, key), var in x.items()))
        again = solver.Solve(model)
        if again not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return name, best / scale, bound / scale, {}
        print(f"  fewest changes: {solver.ObjectiveValue():g} (a person taking or leaving a "
              f"place counts once), {solver.StatusName(again)}", flush=True)
    chosen = {key: [m for m in (mm.id for mm in members) if (m, key) in x
                    and solver.Value(x[(m, key)])] for key in mine}
    return name, best / scale, bound / scale, chosen


def week_bound(rules, positions, cells, roles, filled, limits_of, first, last, seconds,
               workers):
    """A lower bound of the smallest hours spread, from a relaxation by ISO week: how many
    shifts of each kind each person works in each week, within the week's hours, the days
    they are available, one shift a day when no two shifts of a day fit one person (checked
    with `Timeline.conflict`) and max_consecutive_days days a week; the places of each kind
    and week, and at least dutyctl's coverage. Rest between days, runs across weeks and
    nights in a row are left out, so its optimum can only be lower than the exact one:
    (status, bound h). Small enough to be solved to optimality in seconds."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    members = [m for m in rules.staff if set(m.roles) & roles]
    mine = {key: seats for key, seats in cells.items() if key[2] in roles}
    one_a_day = True
    by_day = defaultdict(list)
    for key in mine:
        by_day[key[0]].append(key)
    for keys in by_day.values():
        works = [work_of(positions[cells[k][0]]) for k in keys]
        for a, first_work in enumerate(works):
            for other in works[a + 1:]:
                timeline = Timeline(rules.staff[0].limits)
                timeline.add(first_work)
                if timeline.conflict(other) is None:
                    one_a_day = False
    kinds = defaultdict(int)  # (week, shift, role) -> places
    for key, seats in mine.items():
        kinds[(week_of(key[0].toordinal()), key[1], key[2])] += len(seats)
    hours_of = {(key[1], key[2]): round(positions[cells[key][0]].hours * MINUTES)
                for key in mine}
    n = {}
    for member in members:
        days = defaultdict(int)
        week_days = defaultdict(set)
        for key in mine:
            if key[2] in member.roles and member.unavailable_reason(key[0]) is None:
                week = week_of(key[0].toordinal())
                days[(week, key[1], key[2])] += 1
                week_days[week].add(key[0])
        per_week = defaultdict(list)
        for kind, count in days.items():
            n[(member.id, kind)] = model.NewIntVar(0, count, "")
            per_week[kind[0]].append(kind)
        limits = limits_of[member.id]
        for week, week_kinds in per_week.items():
            model.Add(sum(hours_of[k[1:]] * n[(member.id, k)] for k in week_kinds)
                      <= round(limits.max_hours_per_week * MINUTES))
            if one_a_day:
                model.Add(sum(n[(member.id, k)] for k in week_kinds)
                          <= min(len(week_days[week]), limits.max_consecutive_days))
    takers = defaultdict(list)
    for (member_id, kind), var in n.items():
        takers[kind].append(var)
    for kind, variables in takers.items():
        model.Add(sum(variables) <= kinds[kind])
    per_kind = defaultdict(list)
    for (member_id, kind), var in n.items():
        per_kind[kind[1:]].append(var)
    for kind, variables in per_kind.items():
        model.Add(sum(variables) >= filled.get(kind, 0))
    hours = {m.id: sum(hours_of[k[1:]] * var for (mid, k), var in n.items() if mid == m.id)
             for m in members}
    spread = model.NewIntVar(0, 10 ** 7, "spread")
    for group in stats.groups(rules, first, last):
        if not set(group) & set(hours):
            continue
        _within(model, [hours[member_id] for member_id in group], spread, 10 ** 7)
    model.Minimize(spread)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    status = solver.Solve(model)
    return solver.StatusName(status), solver.BestObjectiveBound() / MINUTES


def _counts(position, rules, count) -> bool:
    if count == "on_call" or position.on_call:  # an on-call duty counts there only
        return count == "on_call" and position.on_call
    return {"nights": position.night, "weekends": position.weekend,
            "holidays": position.holiday}[count]


def _hold_adjusted(model, rules, x, by_staff, engine, positions, cells, roles, first,
                   last) -> None:
    """Each role's adjusted spread of every count it measures (`stats.coarse_spreads`:
    everyone holding the role, loads over the shifts it takes, per full-time person present
    every day) at most dutyctl's. The comparable groups alone leave a person without a
    comparable colleague free: the model filled more places by giving such clerks more
    nights and weekends. Each person's factor is rounded to a whole number (ADJUSTED per
    unit) and dutyctl's spread is measured with the same factors, so its roster stays a
    solution."""
    days = (last - first).days + 1
    for role, group in stats.role_groups(rules, first, last).items():
        if role not in roles:
            continue
        shifts = [shift for shift in rules.shifts if role in shift.roles]
        reach = {shift.id for shift in shifts}
        factor = {m: round(ADJUSTED * days / (rules.member(m).fte * stats.available_days(
            rules.member(m), first, last))) for m in group}
        for count in stats.measured_counts(shifts):
            def amount(key, count=count) -> int:
                position = positions[cells[key][0]]
                if count in ("shifts", "hours"):
                    return 0 if position.on_call else (
                        1 if count == "shifts" else round(work_of(position).hours * MINUTES))
                return int(_counts(position, rules, count))

            values, ours = [], []
            for m in group:
                keys = [key for key in by_staff[m] if key[1] in reach]
                values.append(factor[m] * sum(amount(key) * x[(m, key)] for key in keys))
                ours.append(factor[m] * sum(amount(key) for key in engine.get(m, ())
                                            if key[1] in reach))
            most = max(factor.values()) * sum(amount(key) for key in cells if key[1] in reach)
            _within(model, values, max(ours) - min(ours), most)


def _within(model, values: list, spread, most: int) -> None:
    """The largest of `values` at most `spread` above the smallest (values below `most`)."""
    top = model.NewIntVar(0, most, "")
    low = model.NewIntVar(0, most, "")
    for value in values:
        model.Add(value <= top)
        model.Add(value >= low)
    model.Add(top - low <= spread)


def _runs(model, by_day, limit, hinted) -> None:
    """No more than `limit` days in a row with a shift in `by_day` (day ordinal -> its vars);
    `hinted(var)`: whether dutyctl's roster sets var (the day flags are hinted from it)."""
    if not by_day:
        return
    worked = {}
    for day, variables in by_day.items():
        flag = model.NewBoolVar("")
        for var in variables:
            model.AddImplication(var, flag)
        model.AddHint(flag, any(hinted(var) for var in variables))
        worked[day] = flag
    for start in range(min(worked), max(worked) - limit + 1):
        window = [worked[d] for d in range(start, start + limit + 1) if d in worked]
        if len(window) > limit:
            model.Add(sum(window) <= limit)


def oracle(name: str, fraction: float | None, seed: int, seconds: float, workers: int,
           exact: bool = False, keep: str | None = None, relax_only: bool = False,
           metric: str = "hours", only: set[str] | None = None, by_month: bool = False,
           before: date | None = None, after: date | None = None,
           fewest: bool = False, keep_staffed: bool = False, keep_shifts: bool = False,
           period: tuple[date | None, date | None] = (None, None),
           adjusted: bool = False) -> dict:
    if name == "T":  # the `init` template's rules, its year 2026
        instance = Instance("T", TEMPLATE.read_text(encoding="utf-8"), date(2026, 1, 1),
                            date(2026, 12, 31), 8, 4)
    else:
        instance = INSTANCES[name]()
    if fraction is not None:
        instance = short_staffed(instance, fraction)
    instance = dataclasses.replace(instance, first=period[0] or instance.first,
                                   last=period[1] or instance.last)
    with tempfile.TemporaryDirectory() as folder:
        workspace = _workspace(folder, instance)
        rules = load_rules(workspace)
        positions = positions_module.expand(rules, instance.first, instance.last, SHANGHAI)
        cells = cells_of(positions)
        if by_month:
            took, roster = _month_by_month(workspace, rules, instance, positions, cells, seed)
        else:
            took, result = _generate(workspace, instance.first, instance.last, seed)
            roster = result.roster
        ours = measure(workspace, rules, roster, "dutyctl", took)
        filled = defaultdict(int)
        engine = defaultdict(set)
        for a in roster.assignments:
            filled[(a.shift, a.role)] += 1
            engine[a.staff].add((a.day, a.shift, a.role))
        staffed = None
        if keep_staffed:
            staffed = defaultdict(int)
            for day, shift, role in {key for keys in engine.values() for key in keys}:
                staffed[(shift, role)] += 1
        kept = {key for keys in engine.values() for key in keys} if keep_shifts else None
        limits_of = {m.id: m.limits for m in rules.staff}
        caps = {count: ours[count] for count in ("hours", *COUNTS) if count != metric}
        unit = " h" if metric == "hours" else ""
        staff: list[str | None] = [None] * len(positions)
        statuses, bound = [], 0.0
        for roles in components(rules):
            chosen = {}
            solve = only is None or bool(roles & only)
            if solve and metric == "hours":
                started = time.perf_counter()
                relaxed, low = week_bound(rules, positions, cells, roles, filled, limits_of,
                                          instance.first, instance.last, seconds, workers)
                bound = max(bound, low)
                print(f"  {instance.name} roles {','.join(sorted(roles))}: week relaxation "
                      f"{relaxed}, the spread is at least {low:g} h "
                      f"({time.perf_counter() - started:.0f} s)", flush=True)
            if solve and not relax_only:
                started = time.perf_counter()
                status, best, low, chosen = solve_component(
                    rules, positions, cells, roles, engine, filled, limits_of, instance.first,
                    instance.last, caps, seconds, workers, exact, metric, before, after,
                    fewest, staffed, kept, adjusted)
                what = "places" if metric == PLACES else f"{metric} spread"
                print(f"  {instance.name} roles {','.join(sorted(roles))}: {status} {what} "
                      f"{best if best is None else f'{best:g}'}{unit}, bound "
                      f"{low:g}{unit} ({time.perf_counter() - started:.0f} s)", flush=True)
                statuses.append(status)
                if metric != PLACES:
                    bound = max(bound, low)
                elif status in ("OPTIMAL", "FEASIBLE"):
                    bound += low
                else:  # no bound for these roles: none for the whole
                    bound = float("inf")
            elif metric == PLACES:  # kept as dutyctl made them
                bound += sum(n for (_, role), n in filled.items() if role in roles)
            if not chosen:  # nothing found in time: dutyctl's own places for these roles
                chosen = {key: [m for m, keys in engine.items() if key in keys]
                          for key in cells if key[2] in roles}
            for key, people in chosen.items():
                for seat, person in zip(cells[key], people):
                    staff[seat] = person
        ours_roster = roster
        roster = build_roster(rules, positions, Solution(staff, {}), instance.first,
                              instance.last, seed, _now())
        theirs = measure(workspace, rules, roster, "oracle", 0.0)
        if keep:
            from dutyctl.roster.rosterfile import write_roster

            Path(keep).mkdir(parents=True, exist_ok=True)
            write_roster(ours_roster, Path(keep) / f"{instance.name}-dutyctl.yaml")
            write_roster(roster, Path(keep) / f"{instance.name}-oracle.yaml")
        more = defaultdict(int)
        for a in roster.assignments:
            more[(a.shift, a.role)] += 1
        for kind in sorted(set(more) | set(filled)):
            if more[kind] != filled[kind]:
                print(f"  {instance.name} {kind[0]}/{kind[1]}: dutyctl fills {filled[kind]}, "
                      f"the oracle {more[kind]}", flush=True)
    return {"instance": instance.name, "ours": ours, "oracle": theirs, "bound": bound,
            "metric": metric,
            "proved": bool(statuses) and all(s == "OPTIMAL" for s in statuses)}


def _month_by_month(workspace, rules, instance, positions, cells, seed):
    """dutyctl's roster of the period generated a month at a time, in order (each month after
    the earlier ones, as `roster generate --month` does), as one roster of the period."""
    seconds, held = 0.0, defaultdict(list)
    for first, last in months_of(instance.first, instance.last):
        took, result = _generate(workspace, first, last, seed)
        seconds += took
        for a in result.roster.assignments:
            held[(a.day, a.shift, a.role)].append(a.staff)
    staff: list[str | None] = [None] * len(positions)
    for key, people in held.items():
        for seat, person in zip(cells[key], people):
            staff[seat] = person
    return seconds, build_roster(rules, positions, Solution(staff, {}), instance.first,
                                 instance.last, seed, _now())


def _now():
    from dutyctl import timeutil

    return timeutil.now(SHANGHAI)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="*", default=["M:0.5", "L:0.25", "L:0.5", "L:0.75"],
                        help="NAME or NAME:FRACTION (a short-staffed variant); T: the `init` "
                             "template's rules for 2026")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=120.0,
                        help="seconds per independent set of roles")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--exact-coverage", action="store_true",
                        help="exactly dutyctl's filled places per (shift, role), not at least")
    parser.add_argument("--bound-only", action="store_true",
                        help="only the week relaxation's lower bound (seconds, not minutes)")
    parser.add_argument("--minimise", choices=("hours", *COUNTS), default="hours",
                        help="the spread to minimise; the others stay at most dutyctl's")
    parser.add_argument("--most-places", action="store_true",
                        help="maximise the places filled instead, every spread (hours too) at "
                             "most dutyctl's")
    parser.add_argument("--from", dest="first", metavar="YYYY-MM-DD", type=date.fromisoformat,
                        help="the period's first day (default the instance's): dutyctl "
                             "generates this period alone")
    parser.add_argument("--to", dest="last", metavar="YYYY-MM-DD", type=date.fromisoformat,
                        help="the period's last day (best a Sunday: dutyctl plans the rest of "
                             "its ISO week, the model does not)")
    parser.add_argument("--roles", metavar="ROLE,...",
                        help="solve only the roles linked to these (the rest keep dutyctl's "
                             "places): a smaller model")
    parser.add_argument("--by-month", action="store_true",
                        help="dutyctl's roster generated a month at a time, in order")
    parser.add_argument("--fix-before", metavar="YYYY-MM-DD", type=date.fromisoformat,
                        help="the days before this keep dutyctl's places (what a later month "
                             "could still change)")
    parser.add_argument("--fix-after", metavar="YYYY-MM-DD", type=date.fromisoformat,
                        help="the days after this keep dutyctl's places too")
    parser.add_argument("--fewest-changes", action="store_true",
                        help="then, at the spread found, the roster nearest dutyctl's")
    parser.add_argument("--keep-staffed", action="store_true",
                        help="as many days of each (shift, role) keep someone as in dutyctl's "
                             "roster: no shift emptied for another's second seat")
    parser.add_argument("--keep-shifts", action="store_true",
                        help="every (day, shift, role) dutyctl gives someone keeps someone: no "
                             "time it covers left with nobody")
    parser.add_argument("--hold-adjusted", action="store_true",
                        help="each role's adjusted spreads (per full-time person, everyone "
                             "holding it) at most dutyctl's too")
    parser.add_argument("--keep", metavar="FOLDER",
                        help="write both rosters there (NAME-dutyctl.yaml, NAME-oracle.yaml)")
    args = parser.parse_args()
    from importlib.util import find_spec

    if find_spec("ortools") is None:
        print("ortools is not installed: this optional oracle is skipped "
              "(pip install ortools in a development venv)")
        return
    if args.most_places and args.bound_only:
        parser.error("--bound-only bounds the hours spread, not --most-places")
    metric = PLACES if args.most_places else args.minimise
    label = "places" if args.most_places else args.minimise + " spread"
    print(f"{'inst':6} {'filled':>13} {'hard':>9} {label:>16} {'bound':>6} "
          f"{'proved':>6} {'n/w/h/o spreads':>15}")
    for text in args.instances:
        name, _, fraction = text.partition(":")
        row = oracle(name, float(fraction) if fraction else None, args.seed, args.time_limit,
                     args.workers, args.exact_coverage, args.keep, args.bound_only,
                     metric, set(args.roles.split(",")) if args.roles else None,
                     args.by_month, args.fix_before, args.fix_after, args.fewest_changes,
                     args.keep_staffed, args.keep_shifts, (args.first, args.last),
                     args.hold_adjusted)
        ours, theirs = row["ours"], row["oracle"]
        column = "filled" if metric == PLACES else metric
        print(f"{row['instance']:6} {ours['filled']:6d}/{theirs['filled']:<6d} "
              f"{ours['hard']:4d}/{theirs['hard']:<4d} {ours[column]:>7g} -> "
              f"{theirs[column]:<6g} {row['bound']:6g} {str(row['proved']):>6} "
              f"{_counts_text(ours)} -> {_counts_text(theirs)}", flush=True)


def _counts_text(row) -> str:
    return "/".join(f"{row[c]:g}" for c in COUNTS)


if __name__ == "__main__":
    main()
