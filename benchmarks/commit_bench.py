"""What an auto-commit costs in git: `gitsync.commit` now against the same function as it was
before issue 13's trim (five git processes a write: config user.email, ls-files, diff --cached,
add, commit) and against a plain `git add` + `git commit`, and the leftover check both ways
(one `git status`, or `ls-files` + `diff --cached`: gitsync picks by the size of git's index),
on a new workspace and on three weeks and a year of records (60 files a day); then, with
--log-calls, N auto-committed `log call`s through `python -m dutyctl` of each tree.

    python benchmarks/commit_bench.py [--runs 15] [--per-day 60] [--before ea6d7ef]
                                      [--log-calls 20] [--split-days 1095]

`--before` names the commit whose gitsync.py (and, for --log-calls, whole tree) is "before".
Round-robin over the measurements, medians, ratios within the run. The commits are timed in
CPU seconds (this process and its git children: wall time follows the machine's load); the
log calls give both wall time and the CPU of their processes (git included). --split-days
compares commits on that many days of records with git's index whole and split (core.splitIndex).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dutyctl import gitsync  # noqa: E402

IDENTITY = ("-c", "user.name=Desk", "-c", "user.email=desk@example.com")


def gitsync_of(revision: str):
    """dutyctl/gitsync.py as it was at `revision`, imported beside today's."""
    source = subprocess.run(["git", "-C", str(REPO), "show", f"{revision}:dutyctl/gitsync.py"],
                            capture_output=True, text=True, check=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location("gitsync_before", handle.name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    os.unlink(handle.name)
    return module


def make_workspace(root: Path, days: int, per_day: int) -> int:
    for day in range(days):
        folder = root / f"records/2026/{day // 31 + 1:02d}/{day % 31 + 1:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(per_day):
            (folder / f"01M{day:04d}{number:04d}ABCDEFGHJKMNPQ.yaml").write_text(
                "id: x\nkind: call\n" * 5, encoding="utf-8")
    (root / "records").mkdir(exist_ok=True)
    (root / "records" / ".gitkeep").write_text("")
    for args in (["init", "-q"], ["config", "user.name", "Desk"],
                 ["config", "user.email", "desk@example.com"], ["add", "-A"],
                 ["commit", "-qm", "history"]):
        subprocess.run(["git", "-C", str(root), *args], check=True)
    then = time.time() - 3600  # the identity was set long ago (see yamlcache.RACY_SECONDS)
    os.utime(root / ".git" / "config", (then, then))
    return days * per_day


def cpu_seconds() -> float:
    """This process's CPU and that of its children (git) so far."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(action) -> float:
    """CPU seconds of `action`, git's included (wall time follows the machine's load)."""
    start = cpu_seconds()
    action()
    return cpu_seconds() - start


def counted_processes(action, module=gitsync) -> int:
    """The git processes `action` starts through `module.git` (this tree's gitsync or the
    one of the commit compared with)."""
    real, runs = module.git, []
    module.git = lambda *args, **kw: runs.append(args) or real(*args, **kw)
    try:
        action()
    finally:
        module.git = real
    return len(runs)


def commits(root: Path, before, runs: int) -> None:
    """The three ways of committing one new record file and the two ways of looking for
    leftovers, round-robin."""
    state = root / ".dutyctl"
    times: dict[str, list[float]] = {"plain add + commit": [], "gitsync.commit before": [],
                                     "gitsync.commit now": [], "check: one git status": [],
                                     "check: ls-files + diff": []}
    env = gitsync.identity_env(root, None)
    threshold = gitsync.STATUS_INDEX_BYTES

    def new_file(tag: str, number: int) -> Path:
        path = root / f"records/2026/01/01/01{tag}{number:04d}ABCDEFGHJKMNPQRST.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("id: y\n", encoding="utf-8")
        return path

    gitsync.commit(root, [new_file("W", 0)], "warm", state, cache_dir=state)  # identity kept
    processes = counted_processes(lambda: gitsync.commit(root, [new_file("W", 1)], "counted",
                                                         state, cache_dir=state))
    processes_before = counted_processes(
        lambda: before.commit(root, [new_file("W", 2)], "counted before", state), before)
    for number in range(runs):
        plain = new_file("P", number)
        times["plain add + commit"].append(timed(
            lambda: gitsync._add_and_commit(root, [plain], "plain", env)))
        old = new_file("B", number)
        times["gitsync.commit before"].append(timed(
            lambda: before.commit(root, [old], "before", state)))
        now = new_file("N", number)
        times["gitsync.commit now"].append(timed(lambda: gitsync.commit(root, [now], "now",
                                                                        state, cache_dir=state)))
        for name, limit in (("check: one git status", 1 << 60), ("check: ls-files + diff", -1)):
            gitsync.STATUS_INDEX_BYTES = limit
            times[name].append(timed(lambda: gitsync.uncommitted_records(root, 30)))
        gitsync.STATUS_INDEX_BYTES = threshold
    base = statistics.median(times["gitsync.commit before"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:24s} {median * 1000:8.1f} ms CPU  {median / base:5.2f}x of before")
    index = (root / ".git" / "index").stat().st_size
    print(f"  git processes a write now: {processes} (before: {processes_before}); git's index {index} bytes, "
          f"one status up to {threshold}")


def split_index(folder: Path, days: int, per_day: int, runs: int) -> None:
    """Commits of one new record file on two copies of the same history: git's index whole,
    and split (`core.splitIndex` set, as README's Performance says a site may), taking turns;
    wall time (the index written to disk) and CPU."""
    whole = folder / "whole"
    whole.mkdir()
    files = make_workspace(whole, days, per_day)
    split = folder / "split"
    subprocess.run(["cp", "-a", str(whole), str(split)], check=True)
    subprocess.run(["git", "-C", str(split), "config", "core.splitIndex", "true"], check=True)
    results: dict[Path, tuple[list[float], list[float]]] = {root: ([], []) for root in
                                                            (whole, split)}
    for number in range(runs + 2):  # the first two: identity kept, the index split once
        for root in results:
            path = root / f"records/2026/01/01/01S{number:04d}ABCDEFGHJKMNPQRST.yaml"
            path.write_text("id: s\n", encoding="utf-8")
            state = root / ".dutyctl"
            start, cpu = time.perf_counter(), cpu_seconds()
            gitsync.commit(root, [path], "split", state, cache_dir=state)
            if number >= 2:
                results[root][0].append(time.perf_counter() - start)
                results[root][1].append(cpu_seconds() - cpu)
    index = (whole / ".git" / "index").stat().st_size
    print(f"git's index whole or split ({files} record files, index {index} bytes), "
          f"{runs} commits each, medians")
    wall_whole, cpu_whole = (statistics.median(values) for values in results[whole])
    for root, (walls, cpus) in results.items():
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(f"  {root.name:6s} wall {wall * 1000:7.1f} ms  {wall / wall_whole:5.2f}x   "
              f"cpu {cpu * 1000:7.1f} ms  {cpu / cpu_whole:5.2f}x")


def tree_of(revision: str, folder: Path) -> Path:
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "dutyctl"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def log_calls(folder: Path, revision: str, count: int) -> None:
    """`count` auto-committed `log call`s through each tree's `python -m dutyctl`, taking
    turns, each tree on a workspace of its own made by today's `init`."""
    trees = {"before": tree_of(revision, folder / "before"), "now": REPO}
    results: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in trees}
    roots = {}
    for name in trees:
        roots[name] = folder / f"site-{name}"
        subprocess.run([sys.executable, "-m", "dutyctl", "init", str(roots[name])],
                       env={**os.environ, "PYTHONPATH": str(REPO)}, check=True,
                       capture_output=True)
        for args in (["config", "user.name", "Desk"], ["config", "user.email", "d@e.x"]):
            subprocess.run(["git", "-C", str(roots[name]), *args], check=True)
        then = time.time() - 3600
        os.utime(roots[name] / ".git" / "config", (then, then))
    for number in range(count + 2):  # the first two of each warm caches
        for name, tree in trees.items():
            env = {**os.environ, "PYTHONPATH": str(tree), "DUTYCTL_USER": "zhangwei"}
            command = [sys.executable, "-m", "dutyctl", "--root", str(roots[name]), "log",
                       "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                       "--summary", "咨询", "--at",
                       f"2026-10-12 {8 + number // 60:02d}:{number % 60:02d}"]
            cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                raise SystemExit(f"{name}: {done.stderr}")
            if number >= 2:
                results[name][0].append(wall)
                results[name][1].append(after.ru_utime + after.ru_stime
                                        - cpu.ru_utime - cpu.ru_stime)
    for name in trees:
        left = subprocess.run(["git", "-C", str(roots[name]), "status", "--porcelain"],
                              capture_output=True, text=True).stdout
        assert left == "", (name, left)
    wall_before, cpu_before = (statistics.median(values) for values in results["before"])
    print(f"{count} auto-committed log calls a tree, medians (python -m dutyctl, git included)")
    for name, (walls, cpus) in results.items():
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(f"  {name:7s} wall {wall * 1000:7.1f} ms  {wall / wall_before:5.2f}x   "
              f"cpu {cpu * 1000:7.1f} ms  {cpu / cpu_before:5.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--per-day", type=int, default=60)
    parser.add_argument("--before", default="ea6d7ef",
                        help="the commit before the trim (default: ea6d7ef)")
    parser.add_argument("--log-calls", type=int, default=0)
    parser.add_argument("--split-days", type=int, default=0,
                        help="then commits on that many days of records, index whole or split")
    options = parser.parse_args()
    before = gitsync_of(options.before)
    for label, days, per_day in (("a new workspace", 0, 0),
                                 ("three weeks of records", 21, options.per_day),
                                 ("a year of records", 365, options.per_day)):
        with tempfile.TemporaryDirectory() as folder:
            files = make_workspace(Path(folder), days, per_day)
            print(f"{label} ({files} record files), {options.runs} runs, medians")
            commits(Path(folder), before, options.runs)
    if options.split_days:
        with tempfile.TemporaryDirectory() as folder:
            split_index(Path(folder), options.split_days, options.per_day, options.runs)
    if options.log_calls:
        with tempfile.TemporaryDirectory() as folder:
            log_calls(Path(folder), options.before, options.log_calls)
    return 0


if __name__ == "__main__":
    sys.exit(main())
