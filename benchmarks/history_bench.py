"""Desk commands over years of history: each should cost its answer, not the archive.

    python benchmarks/history_bench.py [--dir /tmp/dutyctl-history] [--sizes 1m,1y,3y]
                                       [--runs 5] [--per-day 150] [--no-check]
                                       [--no-commands] [--before REV]

Generates (once, kept in --dir) workspaces ending on 2026-10-31 with
benchmarks/workspace_gen.py — 1 month, 1 year and 3 years by default (3 years is about
350,000 files: about a minute on a small machine) — then, per workspace:
- the index build from scratch: the first `list --open` after deleting `.dutyctl/`
  (records/s of wall time, and per CPU-second: the process and its workers);
- every desk command of the table: its first run after that build ("cold") and warm (median
  of --runs, alternating between the workspaces so a busy machine slows them alike), and the
  warm ratio to the first (smallest) workspace;
- the look before each question (the index comparing the folders with what it stored), CPU
  time in this process: the one cost every command pays that could grow with the history;
- `check` and `check --since` the last day (records/s, peak memory of the process).
Each workspace is made a desk's clone (`shared`: everything committed, auto-commit on, a
bare repository beside it as `origin`), so `sync` and `check --changed` cost what changed
since it was last shared, as on a desk.
`--no-commands`: the build and `check` only (a few minutes less, for work on either);
`--commands 'report daily,report monthly'`: only those rows; `--cpu`: the median CPU time
(the process and its children, git included) in place of the cold run; `--before REV`: each command
also as the code of commit REV runs it (`git archive REV dutyctl`), taking turns with this
tree's, both by `python -m dutyctl` with PYTHONPATH set; the load average is printed.
Runs the installed `dutyctl` as a desk would (a fresh process, output to a pipe). Goals: every
desk command within 1.2x of its time on 1 month and under 0.3 s; build and check at least
5,000 records/s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from report_bench import dutyctl, ensure  # one generator and one binary for both benchmarks

FIRST_DAY = {"1m": date(2026, 10, 1), "1y": date(2025, 11, 1), "3y": date(2023, 11, 1)}
COMMANDS = {
    "callback list": ["callback", "list", "--as-of", "2026-10-31 18:00"],
    "handover pending": ["handover", "pending"],
    "list --open": ["list", "--open", "--as-of", "2026-10-31 18:00"],
    "list --room 3-2-501": ["list", "--room", "3-2-501", "--as-of", "2026-10-31 18:00"],
    "list --room 3-2": ["list", "--room", "3-2", "--as-of", "2026-10-31 18:00"],
    # as of a moment with a status or an assignee: judged as each record stood then
    "list --as-of --status": ["list", "--status", "closed", "--as-of", "2026-10-31 18:00"],
    "list --as-of --assigned": ["list", "--assigned", "wangqiang", "--as-of",
                                "2026-10-31 18:00"],
    "caller": ["caller", "13812345678"],
    "room 3-2-501": ["room", "3-2-501"],
    "resident list --room 3-2": ["resident", "list", "--room", "3-2"],
    "search 漏水": ["search", "漏水"],
    "report daily": ["report", "daily", "--date", "2026-10-30"],
    # October and, for its comparison, September: the 1-month workspace has no September
    "report monthly": ["report", "monthly", "--month", "2026-10"],
    "who": ["who", "--at", "2026-10-31 10:00"],
    "list --due-within 1d": ["list", "--due-within", "1d", "--as-of", "2026-10-31 18:00"],
    "report weekly": ["report", "weekly", "--week", "2026-W43"],
    "attendance": ["attendance", "--month", "2026-10"],
    # a desk's workspace is a clone of the shared repository (see shared()): these cost what
    # git says changed since it was last shared, not the history
    "check --changed": ["check", "--changed"],
    "sync": ["sync"],
    "log call": ["log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                 "--summary", "咨询快递柜", "--at", "2026-10-31 23:50", "--staff", "zhangwei"],
}


@dataclass
class Run:
    wall: float
    cpu: float  # user + system seconds of the process and the workers it waited for
    peak_kb: int  # largest resident set of the process (or of one worker)


TIME = Path("/usr/bin/time")  # GNU time: the peak memory of the command, not of this process


def timed(root: Path, args: list[str], tree: Path | None = None) -> Run:
    """Wall time, CPU time and peak memory of one run (`tree`: the code of that folder, by
    `python -m dutyctl`; else the installed program). A child forked from this (large)
    process would report this process's memory as its own peak, so GNU time, a small
    process, starts it when it is there; else os.wait4's figures (the peak then too high)."""
    program = dutyctl() if tree is None else [sys.executable, "-m", "dutyctl"]
    env = None if tree is None else {**os.environ, "PYTHONPATH": str(tree)}
    command = [*program, "--root", str(root), *args]
    measured = TIME.exists()
    started = time.perf_counter()
    process = subprocess.Popen([str(TIME), "-f", "%M %U %S", *command] if measured else command,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env=env)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # `check` and `who` say 1 for findings / nobody
        raise SystemExit(f"{' '.join(args)} failed on {root.name}: {stderr}")
    if measured:
        peak, user, system = stderr.strip().splitlines()[-1].split()
        return Run(elapsed, float(user) + float(system), int(peak))
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def shared(root: Path) -> Path:
    """The workspace as a desk has it: every file committed, auto-commit on, cloned from a
    shared (bare, local) repository it syncs with: `<root>.remote.git` beside it."""
    remote = root.with_name(root.name + ".remote.git")
    if remote.is_dir():
        return root

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), "-c", "user.name=dutyctl",
                        "-c", "user.email=dutyctl@localhost", *args], check=True,
                       stdout=subprocess.DEVNULL)

    config = root / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "auto_commit: false", "auto_commit: true "), encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "history")
    subprocess.run(["git", "clone", "-q", "--bare", str(root), str(remote)], check=True)
    git("remote", "add", "origin", str(remote))
    git("fetch", "-q", "origin")
    git("branch", "-q", "--set-upstream-to", "origin/main")
    return root


def look(root: Path, runs: int = 101) -> float:
    """CPU seconds of the look before each question (the record index comparing the folders
    with what it stored, nothing changed), in this process: the median of `runs`. A command
    pays it once; it is the part of every command that could grow with the history."""
    from dutyctl.workspace import Workspace

    store = Workspace(root).store
    index = store.index
    db = index.db()  # up to date first
    times = []
    for _ in range(runs):
        started = time.process_time()
        index._changed_days(db)
        times.append(time.process_time() - started)
    store.close()
    return statistics.median(times)


def count_records(root: Path) -> int:
    return sum(1 for path in (root / "records").rglob("*.yaml") if path.name.count(".") == 1)


BEFORE = " (before)"  # a row of --before's code


def measure(roots: dict[str, Path], runs: int, with_check: bool, commands: dict,
            before: Path | None = None) -> dict:
    table: dict[str, dict] = {name: {"records": count_records(root)} for name, root in
                              roots.items()}
    for name, root in roots.items():
        shutil.rmtree(root / ".dutyctl", ignore_errors=True)
        table[name]["build"] = timed(root, COMMANDS["list --open"])
    trees = {"": None} if before is None else {BEFORE: before, "": REPO}
    # each code its own copy of a workspace: what one writes (and keeps in .dutyctl) is never
    # what the other's next run finds
    places = {(name, tag): twin(root) if tag == BEFORE else root for name, root in roots.items()
              for tag in trees}
    for command, args in commands.items():
        warm: dict[tuple, list[Run]] = {(name, tag): [] for name in roots for tag in trees}
        for name in roots:
            for tag, tree in trees.items():
                # the first run after the build (and after log call's write)
                table[name][("cold", command + tag)] = timed(places[name, tag], args, tree).wall
        for _ in range(runs):
            for name in roots:
                for tag, tree in trees.items():
                    warm[name, tag].append(timed(places[name, tag], args, tree))
        for name, tag in warm:
            table[name][command + tag] = statistics.median(run.wall for run in warm[name, tag])
            table[name]["cpu", command + tag] = statistics.median(run.cpu
                                                                  for run in warm[name, tag])
    for name, root in roots.items():
        table[name]["look"] = look(root)
    if with_check:
        for name, root in roots.items():
            table[name]["check"] = timed(root, ["check"])
            table[name]["check --since"] = timed(root, ["check", "--since", "2026-10-31"])
    return table


def show(table: dict, commands, cpu: bool = False) -> None:
    """The table; cpu: each command's median CPU seconds (git's included) in place of its
    cold run."""
    names = list(table)
    base = names[0]
    second = "CPU" if cpu else "cold"
    print("| command | " + " | ".join(f"{name} warm ({second})" for name in names) + " | " +
          " | ".join(f"{name} / {base}" for name in names[1:]) + " |")
    print("|---|" + "---:|" * (2 * len(names) - 1))
    for command in commands:
        cells = [f"{table[name][command]:.3f} s ({table[name][second.lower(), command]:.2f} s)"
                 for name in names]
        ratios = [f"{table[name][command] / table[base][command]:.2f}" for name in names[1:]]
        print(f"| `{command}` | " + " | ".join(cells + ratios) + " |")
    empty = " |" * (len(names) - 1)
    cells = [f"{table[name]['look'] * 1000:.2f} ms" for name in names]
    ratios = [f"{table[name]['look'] / table[base]['look']:.2f}" for name in names[1:]]
    print("| the look before a question (CPU, in this process) | " + " | ".join(cells + ratios)
          + " |")
    for label, key in (("index build (cold `list --open`)", "build"), ("`check`", "check")):
        if key not in table[base]:
            continue
        cells = [f"{table[name][key].wall:.1f} s: {table[name]['records'] / table[name][key].wall:,.0f}"
                 f" records/s, {table[name]['records'] / table[name][key].cpu:,.0f} per CPU-s"
                 for name in names]
        print(f"| {label} | " + " | ".join(cells) + " |" + empty)
    if "check" in table[base]:
        cells = [f"{table[name]['check'].peak_kb / 1024:.0f} MB" for name in names]
        print("| `check` peak memory | " + " | ".join(cells) + " |" + empty)
        cells = [f"{table[name]['check --since'].wall:.2f} s" for name in names]
        print("| `check --since 2026-10-31` | " + " | ".join(cells) + " |" + empty)
    print("\nrecords: " + ", ".join(f"{name} {table[name]['records']:,}" for name in names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/dutyctl-history"))
    parser.add_argument("--sizes", default="1m,1y,3y",
                        help="comma-separated, first is the baseline: 1m, 1y, 3y")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--per-day", type=int, default=150)
    parser.add_argument("--no-check", action="store_true")
    parser.add_argument("--no-commands", action="store_true",
                        help="only the index build (and check): no desk command")
    parser.add_argument("--before", metavar="REV",
                        help="each command also as commit REV's code runs it (or that of "
                             "a folder holding a dutyctl package), taking turns")
    parser.add_argument("--cpu", action="store_true",
                        help="show each command's median CPU time in place of its cold run")
    parser.add_argument("--commands", metavar="LIST",
                        help="only these commands of the table, comma-separated "
                             "(e.g. 'report daily,report monthly')")
    args = parser.parse_args(argv)
    roots = {}
    for name in args.sizes.split(","):
        if name not in FIRST_DAY:
            parser.error(f"unknown size {name} (expected {', '.join(FIRST_DAY)})")
        roots[name] = args.dir / name
        shared(ensure(roots[name], FIRST_DAY[name], args.per_day))
    chosen = args.commands.split(",") if args.commands else list(COMMANDS)
    if set(chosen) - set(COMMANDS):
        parser.error(f"unknown command {', '.join(set(chosen) - set(COMMANDS))}")
    commands = {} if args.no_commands else {name: COMMANDS[name] for name in chosen}
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        before = tree_of(args.before, Path(folder)) if args.before else None
        table = measure(roots, args.runs, not args.no_check, commands, before)
    rows = [row for command in commands
            for row in ([command + BEFORE, command] if before else [command])]
    show(table, rows, args.cpu)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


REPO = Path(__file__).resolve().parents[1]


def twin(root: Path) -> Path:
    """A copy of the workspace beside it (made once) for --before's code: `<root>-before`."""
    copy = root.with_name(root.name + "-before")
    if not copy.is_dir():
        subprocess.run(["cp", "-a", str(root), str(copy)], check=True)
    return copy


def tree_of(revision: str, folder: Path) -> Path:
    """The dutyctl package of commit `revision`, unpacked in `folder`; `revision` may be a
    folder holding one (a copy of a tree, so that editing the worktree meanwhile changes
    neither side)."""
    if (Path(revision) / "dutyctl" / "__init__.py").is_file():
        return Path(revision)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "dutyctl"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


if __name__ == "__main__":
    sys.exit(main())
