"""A write (`log call`, auto-commit on) on years of history as git's index is kept: whole (as
git makes it), in format 4 (`index.version 4`: paths prefix-compressed) or split
(`core.splitIndex true`), this tree's code against an earlier commit's, and on 1 month.

    python benchmarks/index_format_bench.py [--dir /tmp/dutyctl-history] [--size 3y]
                                            [--runs 7] [--before main] [--per-day 150]

The workspaces are history_bench's (generated once in --dir, made a desk's clone by
`history_bench.shared`); each (code, index) pair runs on its own copy (`<size>-<tag>`, made
once with `cp -a`: what one writes is never what another finds). Every run is a fresh
`python -m dutyctl` with PYTHONPATH set to the code's tree and bytecode cached; the pairs take
turns, and the table gives medians of wall time and of CPU time (the process and its
children, git's included), with ratios to the first row: the CPU is the firmer figure on a
shared machine. dutyctl sets neither git setting; a site may (README, Performance).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from history_bench import FIRST_DAY, REPO, shared, tree_of
from report_bench import ensure

ARGS = ["log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
        "--summary", "咨询快递柜", "--at", "2026-10-31 23:50", "--staff", "zhangwei"]
FORMATS = {"whole": [], "v4": [["config", "index.version", "4"],
                               ["update-index", "--index-version", "4"]],
           "split": [["config", "core.splitIndex", "true"], ["update-index", "--split-index"]]}


def copy_of(root: Path, tag: str, settings: list[list[str]]) -> Path:
    """The workspace copied once beside itself for one pair, git's index as `settings` say."""
    copy = root.with_name(f"{root.name}-{tag}")
    if not copy.is_dir():
        subprocess.run(["cp", "-a", str(root), str(copy)], check=True)
        for setting in settings:
            subprocess.run(["git", "-C", str(copy), *setting], check=True)
    return copy


def run(tree: Path, root: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one `log call` by the code of `tree`."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tree)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "dutyctl", "--root", str(root), *ARGS],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    said = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"log call failed on {root}: {said.decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/dutyctl-history"))
    parser.add_argument("--size", default="3y", choices=[name for name in FIRST_DAY
                                                          if name != "1m"])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", default="main", help="the earlier code's commit")
    parser.add_argument("--per-day", type=int, default=150)
    args = parser.parse_args(argv)
    big = shared(ensure(args.dir / args.size, FIRST_DAY[args.size], args.per_day))
    small = shared(ensure(args.dir / "1m", FIRST_DAY["1m"], args.per_day))
    index = os.path.getsize(big / ".git" / "index")
    print(f"load average at the start: {os.getloadavg()[0]:.1f}; git's index of {args.size}: "
          f"{index / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as folder:
        before = tree_of(args.before, Path(folder))
        pairs = {}
        for name, settings in FORMATS.items():
            for code, tree in (("before", before), ("after", REPO)):
                if name == "v4" and code == "before":
                    continue
                pairs[f"{args.size}, index {name}, {code}"] = (
                    tree, copy_of(big, f"idx-{name}-{code}", settings))
        for code, tree in (("before", before), ("after", REPO)):
            pairs[f"1m, {code}"] = (tree, copy_of(small, f"idx-{code}", []))
        times: dict[str, list[tuple[float, float]]] = {label: [] for label in pairs}
        for tree, root in pairs.values():
            run(tree, root)  # the index built, the bytecode written
        for _ in range(args.runs):
            for label, (tree, root) in pairs.items():
                times[label].append(run(tree, root))
    first = None
    print("| `log call` | wall | CPU | wall ratio | CPU ratio |\n|---|---:|---:|---:|---:|")
    for label, runs in times.items():
        wall = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[1] for run in runs)
        first = first or (wall, cpu)
        print(f"| {label} | {wall:.3f} s | {cpu:.3f} s | {wall / first[0]:.2f} | "
              f"{cpu / first[1]:.2f} |")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
