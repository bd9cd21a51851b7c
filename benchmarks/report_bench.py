"""How report cost grows with history: daily, weekly and monthly reports on 1-year and 3-year
workspaces.

    python benchmarks/report_bench.py [--dir /tmp/dutyctl-bench] [--runs 5] [--per-day 150]

Generates (once, kept in --dir) two workspaces ending on the same day with
benchmarks/workspace_gen.py: one year and three years of about 150 records a day. Then runs
the installed `dutyctl` as cron would (a fresh process, JSON to a pipe, bytecode cached) and
reports the median wall time and CPU time (user + sys) of each report, the first ("cold")
run that builds the git-ignored index, the ratio 3y / 1y (a report's cost should follow its
period, not the history: near 1 for every report), each report's CPU as a multiple of the
daily report's in the same history and run, and how many records it read (its period's and
the previous period's, which the review compares with).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
LAST_DAY = date(2026, 10, 31)
HISTORIES = {"1y": date(2025, 11, 1), "3y": date(2023, 11, 1)}
REPORTS = {"daily": ["report", "daily", "--date", "2026-10-30"],
           "weekly": ["report", "weekly", "--week", "2026-W43"],
           "monthly": ["report", "monthly", "--month", "2026-10"]}


def dutyctl() -> list[str]:
    script = Path(sys.executable).with_name("dutyctl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dutyctl"]


def ensure(root: Path, first: date, per_day: int, seed: int | None = None) -> Path:
    """A workspace generated once (kept in `root`) from `first` to LAST_DAY."""
    if (root / "records").is_dir() and any((root / "records").glob("2*")):
        return root
    shutil.rmtree(root, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "workspace_gen.py"), str(root),
                    "--from", first.isoformat(), "--to", LAST_DAY.isoformat(),
                    "--per-day", str(per_day),
                    *(["--seed", str(seed)] if seed is not None else [])],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"generated {root.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return root


def run(args: list[str]) -> tuple[float, float, str]:
    """(wall time, CPU time, stdout) of one `dutyctl ARGS` as cron runs it (a fresh process,
    output to a pipe, bytecode cached); 0 and 1 (findings) are answers, any other exit stops
    the benchmark."""
    env = {**os.environ}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*dutyctl(), *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"dutyctl {' '.join(args)} failed: {done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def timed(root: Path, args: list[str]) -> tuple[float, float, str]:
    return run(["--root", str(root), *args, *([] if "--help" in args else ["--format", "json"])])


def records_read(output: str) -> int:
    """The records a report read: its period's and the previous period's."""
    data = json.loads(output)
    return data["report"]["records_read"] + data["previous"]["records_read"]


def measure(roots: dict[str, Path], runs: int) -> dict[str, dict[str, dict[str, float]]]:
    """Cold run per history (index deleted), then warm runs alternating between histories
    and reports, so a noisy neighbour on the machine slows all alike."""
    for root in roots.values():
        shutil.rmtree(root / ".dutyctl", ignore_errors=True)
    commands = {**REPORTS, "startup": ["report", "daily", "--help"]}
    table: dict[str, dict[str, dict[str, float]]] = {name: {} for name in roots}
    warm = {(name, report): [] for name in roots for report in commands}
    for report, args in commands.items():
        for name, root in roots.items():
            wall, _, output = timed(root, args)
            table[name][report] = {"cold": wall, "records": records_read(output)
                                   if report in REPORTS else 0}
    for _ in range(runs):
        for report, args in commands.items():
            for name, root in roots.items():
                warm[name, report].append(timed(root, args)[:2])
    for (name, report), times in warm.items():
        table[name][report].update(median=statistics.median(wall for wall, _ in times),
                                   cpu=statistics.median(cpu for _, cpu in times))
    return table


def count_files(root: Path) -> tuple[int, int]:
    records = files = 0
    for path in (root / "records").rglob("*.yaml"):
        files += 1
        records += path.name.count(".") == 1
    return records, files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/dutyctl-bench"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--per-day", type=int, default=150)
    args = parser.parse_args()
    roots = {name: args.dir / name for name in HISTORIES}
    for name, first in HISTORIES.items():
        ensure(roots[name], first, args.per_day)
        records, files = count_files(roots[name])
        print(f"{name}: {records} records, {files} files ({first} .. {LAST_DAY})")
    table = measure(roots, args.runs)
    print(f"\n{'report':<10}{'1y median':>12}{'3y median':>12}{'3y/1y':>8}"
          f"{'1y CPU':>9}{'3y CPU':>9}{'3y/1y':>8}{'3y CPU × daily':>16}{'records read':>14}"
          f"{'1y cold':>10}{'3y cold':>10}")
    for report in (*REPORTS, "startup"):
        one, three = table["1y"][report], table["3y"][report]
        print(f"{report:<10}{one['median']:>11.3f}s{three['median']:>11.3f}s"
              f"{three['median'] / one['median']:>8.2f}"
              f"{one['cpu']:>8.3f}s{three['cpu']:>8.3f}s{three['cpu'] / one['cpu']:>8.2f}"
              f"{three['cpu'] / table['3y']['daily']['cpu']:>16.2f}"
              + (f"{three['records']:>14,}{one['cold']:>9.2f}s{three['cold']:>9.2f}s"
                 if report != "startup" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
