"""Holes in the day on random short-staffed sites: the `init` rules with random headcounts
(1-3 a role, an evening shift on half the sites) and 4 to 16 random staff (service,
technician, both, or service and supervisor; a fifth part-time, some with leave, a night
avoided, a later start), October to December 2026 generated at once and month by month,
with the solver's step that closes holes (`Filling.close_holes`) and without it, in the same
process. Per site and in all: the coverage rule's holes (`roster check`'s "coverage of the
day" findings) and their hours, the places filled, the hard rules broken (always 0).

    .venv/bin/python benchmarks/holes_bench.py                 # sites 0-39
    .venv/bin/python benchmarks/holes_bench.py --sites 0-9 --quiet
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.roster_bench import months_of  # noqa: E402
from dutyctl.roster.capacity import SHORTAGE_RULE  # noqa: E402
from dutyctl.roster.coverage import HOLE_RULE  # noqa: E402
from dutyctl.roster.generate import generate  # noqa: E402
from dutyctl.roster.rules import load_rules  # noqa: E402
from dutyctl.roster.solver.engine import Solver  # noqa: E402
from dutyctl.roster.validate import COVERAGE_RULE, check_roster, roster_holes  # noqa: E402
from dutyctl.workspace import Workspace, init_workspace  # noqa: E402

FIRST, LAST = date(2026, 10, 1), date(2026, 12, 31)
NOT_HARD = (SHORTAGE_RULE, HOLE_RULE, COVERAGE_RULE, "headcount")  # findings, no rule broken
ROLES = (["service"], ["service"], ["technician"], ["technician"], ["service", "technician"],
         ["service", "supervisor"])


def site(number: int, folder: Path) -> Workspace:
    """Random site `number`: the `init` rules' shifts with headcounts of 1-3 each role, and
    4-16 staff drawn from `ROLES`."""
    rng = random.Random(number)
    init_workspace(folder)
    path = folder / "rosters" / "rules.yaml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    for shift in rules["shifts"]:
        for role in shift["need"]:
            shift["need"][role] = rng.choice([1, 1, 1, 2, 2, 3])
    if rng.random() < 0.5:
        rules["shifts"].append({"id": "evening", "name": "晚班", "start": "14:00",
                                "end": "22:00", "days": "daily",
                                "need": {"service": rng.choice([1, 2])}})
    rules["staff"] = [_member(rng, k) for k in range(rng.randint(4, 16))]
    path.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return Workspace(folder)


def _member(rng: random.Random, k: int) -> dict:
    member = {"id": f"p{k:02d}", "name": f"员工{k}", "roles": rng.choice(ROLES)}
    if rng.random() < 0.2:
        member.update(fte=0.5, max_hours_per_week=24)
    elif rng.random() < 0.2:
        member["max_hours_per_week"] = rng.choice([40, 44])
    if rng.random() < 0.3:
        start = date(2026, rng.randint(10, 12), rng.randint(1, 25))
        member["leave"] = [{"from": start.isoformat(),
                            "to": (start + timedelta(days=rng.randint(0, 5))).isoformat()}]
    if rng.random() < 0.15:
        member["avoid"] = ["night"]
    if rng.random() < 0.1:
        member["active_from"] = date(2026, rng.randint(10, 12), rng.randint(1, 28)).isoformat()
    return member


def without_closing():
    """The solver as before the step: `close_holes` does nothing (on `Solver` while it
    lasts, then inherited again as before)."""
    return mock.patch.object(Solver, "close_holes", lambda self: None)


def measure(workspace: Workspace, by_month: bool) -> dict:
    """Generate the period (at once or a month at a time, each roster kept for the next)
    and count, over its rosters: holes, their hours, places, hard rules broken. The
    rosters are removed after."""
    rules = load_rules(workspace)
    periods = list(months_of(FIRST, LAST)) if by_month else [(FIRST, LAST)]
    rosters = [generate(workspace, first, last, seed=0) for first, last in periods]
    found = {"holes": 0, "hours": 0.0, "places": 0, "hard": 0}
    for result in rosters:
        holes = roster_holes(workspace, rules, result.roster, workspace.config.tz)
        found["holes"] += len(holes)
        found["hours"] += sum((hole.end - hole.start).total_seconds() for hole in holes) / 3600
        found["places"] += len(result.roster.assignments)
        found["hard"] += sum(1 for problem in check_roster(workspace, rules, result.roster, "")
                             if (problem.finding or {}).get("rule") not in NOT_HARD)
    for result in rosters:
        result.path.unlink()
    return found


def run(number: int) -> dict[str, dict]:
    """Site `number` four ways: at once and by month, with the step and without it."""
    with tempfile.TemporaryDirectory() as folder:
        workspace = site(number, Path(folder) / "site")
        found = {}
        for by_month in (False, True):
            mode = "by month" if by_month else "at once"
            found[mode] = measure(workspace, by_month)
            with without_closing():
                found[mode + ", before"] = measure(workspace, by_month)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", default="0-39", help="site numbers, FIRST-LAST")
    parser.add_argument("--quiet", action="store_true", help="the totals only")
    args = parser.parse_args(argv)
    low, _, high = args.sites.partition("-")
    totals: dict[str, dict] = {}
    for number in range(int(low), int(high or low) + 1):
        found = run(number)
        for mode, figures in found.items():
            total = totals.setdefault(mode, dict.fromkeys(figures, 0))
            for key, value in figures.items():
                total[key] += value
        if not args.quiet:
            print(f"site {number}: " + "; ".join(
                f"{mode} {f['holes']} holes ({f['hours']:g} h), {f['places']} places"
                for mode, f in found.items()))
    for mode, total in totals.items():
        print(f"{mode:18s} holes {total['holes']:5d} ({total['hours']:8.1f} h)  "
              f"places {total['places']:6d}  hard {total['hard']}")


if __name__ == "__main__":
    main()
