"""How report cost grows with history: daily and monthly reports on 1-year and 3-year workspaces.

    python benchmarks/report_bench.py [--dir /tmp/dutyctl-bench] [--runs 5] [--per-day 150]

Generates (once, kept in --dir) two workspaces ending on the same day with
benchmarks/workspace_gen.py: one year and three years of about 150 records a day. Then runs
the installed `dutyctl` as cron would (a fresh process, JSON to a pipe) and reports the
median wall time of each report, the first ("cold") run that builds the git-ignored index,
and the ratio 3y / 1y: a report's cost should follow its period, not the history, so the
ratio for the daily report should stay near 1.
"""

from __future__ import annotations

import argparse
import os
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


def run(args: list[str]) -> float:
    """Wall time of one `dutyctl ARGS` as cron runs it (a fresh process, output to a pipe,
    bytecode cached); 0 and 1 (findings) are answers, any other exit stops the benchmark."""
    env = {**os.environ}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    done = subprocess.run([*dutyctl(), *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, env=env)
    if done.returncode not in (0, 1):
        raise SystemExit(f"dutyctl {' '.join(args)} failed: {done.stderr}")
    return time.perf_counter() - started


def timed(root: Path, args: list[str]) -> float:
    return run(["--root", str(root), *args, *([] if "--help" in args else ["--format", "json"])])


def measure(roots: dict[str, Path], runs: int) -> dict[str, dict[str, dict[str, float]]]:
    """Cold run per history (index deleted), then warm runs alternating between histories,
    so a noisy neighbour on the machine slows both alike."""
    for root in roots.values():
        shutil.rmtree(root / ".dutyctl", ignore_errors=True)
    commands = {**REPORTS, "startup": ["report", "daily", "--help"]}
    table: dict[str, dict[str, dict[str, float]]] = {name: {} for name in roots}
    for report, args in commands.items():
        warm: dict[str, list[float]] = {name: [] for name in roots}
        for name, root in roots.items():
            table[name][report] = {"cold": timed(root, args)}
        for _ in range(runs):
            for name, root in roots.items():
                warm[name].append(timed(root, args))
        for name in roots:
            table[name][report]["median"] = statistics.median(warm[name])
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
          f"{'1y cold':>10}{'3y cold':>10}")
    for report in (*REPORTS, "startup"):
        one, three = table["1y"][report], table["3y"][report]
        print(f"{report:<10}{one['median']:>11.3f}s{three['median']:>11.3f}s"
              f"{three['median'] / one['median']:>8.2f}"
              + (f"{one['cold']:>9.2f}s{three['cold']:>9.2f}s" if report != "startup" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
