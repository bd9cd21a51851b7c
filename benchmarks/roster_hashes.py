"""Each benchmark roster's hash, places and spreads, for comparing two versions of the engine.

A change to the solver is taken where every roster stays the same or gets better. This
prints, for each run asked, a hash of who holds each place, the places filled, the needs left
with nobody of their role, the holes in the day (`roster check`'s coverage findings), the
spreads (nights, weekends, hours, holidays; comparable staff, then adjusted) and the checks
(`Solution.work`), one JSON object per run; `--compare OLD NEW` lines two such files up and
names every run that moved, flagging fewer places, more needs with nobody, more holes or a
wider spread.

    .venv/bin/python benchmarks/roster_hashes.py --out before.json M:0.75:alone:0 S:0.5:bymonth:1
    .venv/bin/python benchmarks/roster_hashes.py --seeds 0-4 --out after.json   # S and M, all ways
    .venv/bin/python benchmarks/roster_hashes.py --compare before.json after.json

A run is INSTANCE:FRACTION:WAY:SEED: FRACTION 1 the staffed instance; WAY `once` (the period
at once), `bymonth` (each month after the months before it) or `alone` (each month with no
roster before it: one entry per month). S by month and alone starts on 2026-11-01, as the
README's tables do.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DUTYCTL_LANG", "en")

from benchmarks import roster_bench as bench  # noqa: E402
from dutyctl.roster import generate as generating  # noqa: E402
from dutyctl.roster.rules import load_rules  # noqa: E402
from dutyctl.roster.validate import check_roster  # noqa: E402

COUNTS = ("nights", "weekends", "hours", "holidays")


def _digest(assignments) -> str:
    h = hashlib.sha1()
    for a in sorted(assignments, key=lambda a: (a.day, a.shift, a.role, a.staff)):
        h.update(f"{a.day}|{a.shift}|{a.role}|{a.staff};".encode())
    return h.hexdigest()[:12]


def _holes(workspace, rules, rosters) -> int:
    """The coverage findings of the rosters generated (as roster_bench.measure counts them)."""
    marker = bench.FINDINGS["holes"]
    return sum(1 for roster in rosters for finding in check_roster(workspace, rules, roster, "x")
               if marker in finding.message)


def _entry(rules, instance, assignments, workspace, rosters, work: int) -> dict:
    spread, adjusted = bench._spreads(rules, assignments, instance)
    return {"hash": _digest(assignments), "filled": len(assignments),
            "nobody": len(bench._nobody_of(bench._needs(rules, instance), assignments)),
            "holes": _holes(workspace, rules, rosters),
            "spread": [spread.get(k) for k in COUNTS],
            "adjusted": [adjusted.get(k) for k in COUNTS], "checks": work}


def run(spec: str) -> dict[str, dict]:
    """The entries of one run (one per month where each month is generated alone)."""
    name, fraction, way, seed = spec.split(":")
    if way not in ("once", "bymonth", "alone"):
        raise SystemExit(f"{spec}: the way is once, bymonth or alone")
    first = date(2026, 11, 1) if name == "S" and way != "once" else None
    instance = bench._instance(name, None if float(fraction) == 1 else float(fraction), first)
    work = [0]
    solve = generating.solve

    def counted(*args, **kwargs):
        solution = solve(*args, **kwargs)
        work[0] += solution.work
        return solution

    generating.solve = counted
    out = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            workspace = bench._workspace(folder, instance)
            rules = load_rules(workspace)
            if way == "once":
                result = generating.generate(workspace, instance.first, instance.last,
                                             seed=int(seed))
                out[spec] = _entry(rules, instance, result.roster.assignments, workspace,
                                   [result.roster], work[0])
            elif way == "bymonth":
                assignments, rosters = [], []
                for first_day, last_day in bench.months_of(instance.first, instance.last):
                    result = generating.generate(workspace, first_day, last_day, seed=int(seed))
                    assignments += result.roster.assignments
                    rosters.append(result.roster)
                out[spec] = _entry(rules, instance, assignments, workspace, rosters, work[0])
            else:
                for first_day, last_day in bench.months_of(instance.first, instance.last):
                    work[0] = 0
                    result = generating.generate(workspace, first_day, last_day, seed=int(seed))
                    month = dataclasses.replace(instance, first=first_day, last=last_day)
                    out[f"{spec}:{first_day:%m}"] = _entry(
                        rules, month, result.roster.assignments, workspace, [result.roster],
                        work[0])
                    result.path.unlink()
    finally:
        generating.solve = solve
    return out


def compare(old: dict, new: dict) -> int:
    """Print every run that moved; how many moved for the worse."""
    same = worse = 0
    checks = [0, 0]
    for key, was in old.items():
        now = new.get(key)
        if now is None:
            continue
        checks[0] += was["checks"]
        checks[1] += now["checks"]
        if was["hash"] == now["hash"]:
            same += 1
            if was["checks"] != now["checks"]:
                print(f"{key:24s} the same roster, checks {was['checks']} -> {now['checks']}")
            continue
        flags = []
        if now["filled"] < was["filled"] or now["nobody"] > was["nobody"] \
                or now["holes"] > was["holes"]:
            flags.append("COVERAGE WORSE")
        if any((b or 0) > (a or 0) + 1e-9 for a, b in zip(was["spread"], now["spread"])):
            flags.append("SPREAD WORSE")
        worse += bool(flags)
        print(f"{key:24s} places {was['filled']} -> {now['filled']}, nobody {was['nobody']} -> "
              f"{now['nobody']}, holes {was['holes']} -> {now['holes']}, spreads "
              f"{was['spread']} -> {now['spread']}, checks {was['checks']} -> {now['checks']}"
              f"{'  ' + ', '.join(flags) if flags else ''}")
    common = sum(1 for key in old if key in new)
    print(f"the same {same} of {common}; checks {checks[0]} -> {checks[1]}; worse {worse}")
    return worse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="*", help="INSTANCE:FRACTION:WAY:SEED, e.g. M:0.75:alone:0")
    parser.add_argument("--seeds", help="instead of runs: S and M at a quarter, half and three "
                        "quarters, every way, these seeds (e.g. 0-4)")
    parser.add_argument("--out", help="write the entries here as JSON (else to stdout)")
    parser.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"),
                        help="compare two files written by --out; exit 1 if one moved worse")
    args = parser.parse_args()
    if args.compare:
        old, new = (json.loads(Path(path).read_text(encoding="utf-8")) for path in args.compare)
        sys.exit(1 if compare(old, new) else 0)
    runs = list(args.runs)
    if args.seeds:
        low, _, high = args.seeds.partition("-")
        runs += [f"{name}:{fraction}:{way}:{seed}"
                 for seed in range(int(low), int(high or low) + 1)
                 for fraction in ("0.25", "0.5", "0.75") for way in ("once", "bymonth", "alone")
                 for name in ("M", "S")]
    if not runs:
        parser.error("name runs, --seeds or --compare")
    entries = {}
    for spec in runs:
        entries.update(run(spec))
        print(spec, file=sys.stderr, flush=True)
    text = json.dumps(entries, indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
