"""The test suite's wall time against the suite issue 13 was filed against, in the same run.

Issue 13 asked for the tests' wall time on the 2-core machine to be at most half of that
day's, measured before and after in one run. That day's suite is commit `37bf3f7`'s: 445
tests in one process. Since then the suite has grown eightfold with the tests of later work,
so this prints three figures, alternating, each from a fresh process:

- `base`: `37bf3f7`'s whole suite in its own checkout and virtualenv (as its README ran it);
- `same`: this checkout's versions of those 445 tests (`suite_37bf3f7_tests.txt`: 435 kept
  their name; the 10 renamed or reworked since are listed with what replaced them);
- `whole`: this checkout's whole suite.

Set up the base once (the registry is needed for its dependencies):

    git worktree add --detach /tmp/suite-base 37bf3f7
    (cd /tmp/suite-base && python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]')

then, with nothing else running (the script unsets PYTHONDONTWRITEBYTECODE for the suites it
runs, so they run with bytecode cached, as after an install):

    .venv/bin/python benchmarks/suite_bench.py /tmp/suite-base --runs 2
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAME_TESTS = HERE / "suite_37bf3f7_tests.txt"


def same_test_ids(listing: Path = SAME_TESTS) -> list[str]:
    """The node ids of the listing, without its comments and blank lines."""
    lines = listing.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user+sys of every child) and exit status of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path, help="a checkout of 37bf3f7 with its own .venv")
    parser.add_argument("--runs", type=int, default=2)
    options = parser.parse_args()
    base_python = options.base / ".venv" / "bin" / "python"
    if not base_python.exists():
        parser.error(f"{base_python} not found: set the base up as this script's help says")
    pytest = ["-m", "pytest", "-p", "no:cacheprovider", "-q"]
    with tempfile.TemporaryDirectory() as scratch:
        ids_file = Path(scratch) / "ids.txt"
        ids_file.write_text("\n".join(same_test_ids()) + "\n", encoding="utf-8")
        commands = {
            "base": ([str(base_python), *pytest], options.base),
            "same": ([sys.executable, *pytest, f"@{ids_file}"], REPO),
            "whole": ([sys.executable, *pytest], REPO),
        }
        walls: dict[str, list[float]] = {name: [] for name in commands}
        for run in range(1, options.runs + 1):
            for name, (command, cwd) in commands.items():
                wall, cpu, status = timed(command, cwd)
                print(f"run {run} {name:5}: {wall:6.1f} s wall {cpu:6.1f} s CPU (exit {status})",
                      flush=True)
                if status != 0:
                    print(f"{name} failed (exit {status}): figures not comparable", file=sys.stderr)
                    return 1
                walls[name].append(wall)
    for run, (base, same, whole) in enumerate(zip(walls["base"], walls["same"],
                                                 walls["whole"]), start=1):
        print(f"run {run}: same/base {same / base:.2f}x, whole/base {whole / base:.2f}x")
    return 0


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.exit(main())
