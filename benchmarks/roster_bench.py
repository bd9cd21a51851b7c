"""Roster engine benchmark: time, hard violations, unfilled slots and fairness spreads.

    .venv/bin/python benchmarks/roster_bench.py            # S, M and L
    .venv/bin/python benchmarks/roster_bench.py S M --seed 3

For each generated instance (benchmarks/roster_instances.py) this runs, in the same process
and on the same positions:
- dutyctl: `dutyctl.roster.generate.generate` end to end (rules parsed, roster solved, file
  written), then `roster check` on the file it wrote;
- round-robin: the baseline. Per role, the next person in turn who is available and breaks no
  hard rule takes the position (a rotation with skip, as most spreadsheets do it);
- plain round-robin: the next person in turn with the role who is not on leave; hard rules
  ignored (what a fixed rotation without checks gives).
Spreads are (most - least) nights and weekend shifts among comparable staff: equal roles,
contract, available days and preferences (dutyctl.roster.stats).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.roster_instances import INSTANCES  # noqa: E402
from dutyctl.roster import positions as positions_module, stats  # noqa: E402
from dutyctl.roster.generate import build_roster, generate  # noqa: E402
from dutyctl.roster.rosterfile import read_roster  # noqa: E402
from dutyctl.roster.rules import load_rules  # noqa: E402
from dutyctl.roster.solver import Solution, work_of  # noqa: E402
from dutyctl.roster.timeline import Timeline  # noqa: E402
from dutyctl.roster.validate import check_roster  # noqa: E402
from dutyctl.workspace import Workspace, init_workspace  # noqa: E402


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
    coverage = [p for p in problems if ": coverage:" in p.message]
    worked = [stats.Worked(a.staff, a.day, a.shift, 0.0) for a in roster.assignments]
    counts = stats.loads(rules, worked)
    spread = stats.spreads(rules, counts, roster.first, roster.last)
    return {"seconds": seconds, "hard": len(problems) - len(coverage),
            "unfilled": len(coverage), "nights": spread["nights"],
            "weekends": spread["weekends"], "holidays": spread["holidays"]}


def run(name: str, seed: int) -> list[dict]:
    instance = INSTANCES[name]()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        init_workspace(root)
        (root / "rosters" / "rules.yaml").write_text(instance.rules_text, encoding="utf-8")
        workspace = Workspace(root)
        load_rules(workspace).calendar.is_working_day(instance.first)  # imports, not solving
        started = time.perf_counter()
        result = generate(workspace, instance.first, instance.last, seed=seed)
        seconds = time.perf_counter() - started
        rules = load_rules(workspace)
        roster, _ = read_roster(result.path, "dutyctl")
        rows = [{"instance": name, "method": "dutyctl",
                 **measure(workspace, rules, roster, "dutyctl", seconds)}]
        tz = workspace.config.tz
        positions = positions_module.expand(rules, instance.first, instance.last, tz)
        for method, check_rules in (("round-robin", True), ("plain round-robin", False)):
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
    return rows


def _now(tz):
    from dutyctl import timeutil

    return timeutil.now(tz)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="*", default=list(INSTANCES))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    header = f"{'inst':4} {'method':18} {'time s':>8} {'hard':>5} {'unfilled':>8} " \
             f"{'nights':>6} {'weekends':>8} {'holidays':>8}"
    print(header)
    for name in args.instances:
        rows = run(name, args.seed)
        print(f"# {name}: {rows[0]['size']}")
        for row in rows:
            print(f"{name:4} {row['method']:18} {row['seconds']:8.3f} {row['hard']:5d} "
                  f"{row['unfilled']:8d} {row['nights']:6g} {row['weekends']:8g} "
                  f"{row['holidays']:8g}")
        ours, baseline = rows[0], rows[1]
        print(f"{name:4} {'dutyctl/round-robin':18} "
              f"time {ours['seconds'] / max(baseline['seconds'], 1e-6):.1f}x, "
              f"spread nights {ours['nights']:g} vs {baseline['nights']:g}, "
              f"weekends {ours['weekends']:g} vs {baseline['weekends']:g}")


if __name__ == "__main__":
    main()
