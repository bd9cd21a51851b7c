"""A mistyped headcount, issue 11's own case: the `init` rules with the day shift's service
`need` raised to N (or another shift's, another role's), December generated, against the same
month with enough staff (three extra staff of the role for each seat of the headcount). Each round generates the staffed month,
then the short one, each a first generation (its roster file removed after), so a machine
that speeds up or slows down weighs both alike; prints each N's best times, the median
round's ratio (lowest-highest) and the places each fills.

    .venv/bin/python benchmarks/headcount_bench.py                  # N = 3, 10, 50; 11 rounds
    .venv/bin/python benchmarks/headcount_bench.py --needs 3 --rounds 5
    .venv/bin/python benchmarks/headcount_bench.py --shift night --needs 2,3
    .venv/bin/python benchmarks/headcount_bench.py --shift day --role technician --needs 2,3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dutyctl.roster.generate import generate  # noqa: E402
from dutyctl.workspace import Workspace, init_workspace  # noqa: E402

DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


def workspace(folder: Path, need: int, extra: int, shift: str = "day",
              role: str = "service") -> Workspace:
    """The `init` workspace in `folder`, its `shift` needing `need` of `role`, with `extra`
    more staff of that role."""
    init_workspace(folder)
    path = folder / "rosters" / "rules.yaml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    (changed,) = [each for each in rules["shifts"] if each["id"] == shift]
    changed["need"][role] = need
    rules["staff"] += [{"id": f"x{k:03d}", "name": f"x{k:03d}", "roles": [role]}
                       for k in range(extra)]
    path.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return Workspace(folder)


def first_generation(ws: Workspace) -> tuple[float, int]:
    """Seconds to generate December and the places filled; the roster file removed after."""
    started = time.perf_counter()
    result = generate(ws, *DECEMBER, seed=0)
    took = time.perf_counter() - started
    result.path.unlink()
    return took, len(result.roster.assignments)


def measure(need: int, rounds: int, shift: str = "day", role: str = "service") -> dict:
    """The short month (`need` of `role` on `shift`) and the staffed one, in turn."""
    with tempfile.TemporaryDirectory() as short_dir, tempfile.TemporaryDirectory() as full_dir:
        short = workspace(Path(short_dir), need, 0, shift, role)
        staffed = workspace(Path(full_dir), need, 3 * need, shift, role)
        for warm in (staffed, short):  # imports and caches warmed, not counted
            first_generation(warm)
        full_times, short_times = [], []
        for _ in range(rounds):
            took, full_places = first_generation(staffed)
            full_times.append(took)
            took, short_places = first_generation(short)
            short_times.append(took)
    ratios = sorted(s / f for s, f in zip(short_times, full_times))
    return {"need": need, "short": min(short_times), "staffed": min(full_times),
            "ratio": statistics.median(ratios), "lowest": ratios[0], "highest": ratios[-1],
            "places": (short_places, full_places)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--needs", default="3,10,50", help="day shift service headcounts")
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--shift", default="day", help="the shift id whose need is raised")
    parser.add_argument("--role", default="service")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds: at least 1")
    for need in (int(n) for n in args.needs.split(",")):
        m = measure(need, args.rounds, args.shift, args.role)
        print(f"N={need}: short {m['short'] * 1000:.0f} ms, staffed {m['staffed'] * 1000:.0f} ms"
              f" (best of {args.rounds}); the median round {m['ratio']:.2f}x"
              f" ({m['lowest']:.2f}-{m['highest']:.2f}); places {m['places'][0]} against"
              f" {m['places'][1]}")


if __name__ == "__main__":
    main()
