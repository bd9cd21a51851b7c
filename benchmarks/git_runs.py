"""Which git commands dutyctl runs, scenario by scenario: a `git` first on PATH logs every
run (its arguments) and hands it to the real git. Two desks share a bare repository; each
scenario is one dutyctl command through `python -m dutyctl` in a process of its own.

    python benchmarks/git_runs.py [--tree DIR] [--verbose]

`--tree` runs another copy of the code (e.g. `git archive main | tar -x -C /tmp/before`):
the counts before and after a change, in the same way. Prints one line per scenario: the
number of git runs and their commands; --verbose prints each run's arguments.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHIM = """#!/bin/sh
printf '%s\\n' "$*" >> "$GIT_LOG"
exec "$REAL_GIT" "$@"
"""
CALL = ["log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
        "--summary", "物业费怎么交"]


class Desks:
    def __init__(self, base: Path, tree: Path, verbose: bool):
        self.base, self.tree, self.verbose = base, tree, verbose
        shim = base / "shim"
        shim.mkdir()
        (shim / "git").write_text(SHIM, encoding="utf-8")
        (shim / "git").chmod(0o755)
        self.log = base / "git.log"
        self.env = {**os.environ, "REAL_GIT": shutil.which("git"), "GIT_LOG": str(self.log),
                    "PATH": f"{shim}:{os.environ['PATH']}", "PYTHONPATH": str(tree),
                    "GIT_CONFIG_GLOBAL": str(base / "no-global"), "GIT_CONFIG_NOSYSTEM": "1",
                    "DUTYCTL_USER": "zhangwei", "HOME": str(base)}
        for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                     "GIT_COMMITTER_EMAIL", "DUTYCTL_ROOT", "GIT_DIR"):
            self.env.pop(name, None)
        self.remote = base / "shared.git"
        self.plain("init", "-q", "--bare", "--initial-branch=main", str(self.remote), cwd=base)

    def plain(self, *args: str, cwd: Path) -> str:
        """git without the shim (setting the scene, not counted)."""
        return subprocess.run(["git", "-c", "user.name=Hand", "-c", "user.email=hand@x",
                               *args], cwd=cwd, check=True, capture_output=True, text=True,
                              env={**self.env, "PATH": os.environ["PATH"]}).stdout

    def dutyctl(self, desk: Path | None, *args: str, ok: bool = True) -> list[str]:
        """The git runs of one dutyctl command."""
        self.log.write_text("", encoding="utf-8")
        where = ["--root", str(desk)] if desk is not None else []
        done = subprocess.run([sys.executable, "-m", "dutyctl", *where, *args],
                              capture_output=True, text=True, env=self.env, cwd=self.base)
        if ok and done.returncode != 0:
            raise SystemExit(f"dutyctl {' '.join(args)} failed: {done.stderr}")
        return self.log.read_text(encoding="utf-8").splitlines()

    def identity(self, desk: Path) -> None:
        self.plain("config", "user.name", "Desk", cwd=desk)
        self.plain("config", "user.email", "desk@example.com", cwd=desk)
        then = time.time() - 3600  # set long ago: dutyctl keeps its answer
        os.utime(desk / ".git" / "config", (then, then))


def verb(line: str) -> str:
    words = line.split()
    while words and words[0].startswith("-"):
        words = words[2:] if words[0] in ("-C", "-c") else words[1:]
    return words[0] if words else "?"


def scenarios(desks: Desks) -> list[tuple[str, list[str]]]:
    base = desks.base
    front, night = base / "front", base / "night"
    found = []
    found.append(("init", desks.dutyctl(None, "init", str(front))))
    desks.plain("remote", "add", "origin", str(desks.remote), cwd=front)
    desks.identity(front)  # after: `remote add` rewrites .git/config, as identity's time
    found.append(("first sync (pushes init)", desks.dutyctl(front, "sync")))
    desks.plain("clone", "-q", str(desks.remote), str(night), cwd=base)
    desks.identity(night)
    found.append(("clone's first sync", desks.dutyctl(night, "sync")))
    found.append(("write, first (log call)", desks.dutyctl(front, *CALL, "--at",
                                                          "2026-10-12 09:30")))
    found.append(("write (log call)", desks.dutyctl(front, *CALL, "--at", "2026-10-12 09:40")))
    found.append(("write (来电)", desks.dutyctl(front, "来电", *CALL[2:], "--at",
                                                "2026-10-12 09:50")))
    found.append(("sync pushing", desks.dutyctl(front, "sync")))
    found.append(("sync pulling", desks.dutyctl(night, "sync")))
    found.append(("sync, nothing to do", desks.dutyctl(night, "sync")))
    desks.dutyctl(night, *CALL, "--at", "2026-10-12 10:00")
    desks.dutyctl(front, *CALL, "--at", "2026-10-12 10:05")
    desks.dutyctl(front, "sync")
    found.append(("sync pulling and pushing", desks.dutyctl(night, "sync")))
    desks.dutyctl(front, "sync")
    # one record's file edited by hand on both desks: a conflict
    (record,) = sorted(front.joinpath("records").rglob("*.yaml"))[:1]
    name = record.relative_to(front)
    for desk, summary in ((front, "前台改的"), (night, "夜班改的")):
        path = desk / name
        path.write_text(path.read_text(encoding="utf-8").replace("物业费怎么交", summary, 1),
                        encoding="utf-8")
        desks.plain("commit", "-qam", "hand edit", cwd=desk)
    desks.dutyctl(front, "sync")
    found.append(("sync, conflicting record", desks.dutyctl(night, "sync", ok=False)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--tree", type=Path, default=REPO)
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        desks = Desks(Path(scratch), options.tree.resolve(), options.verbose)
        for label, runs in scenarios(desks):
            print(f"{label}: {len(runs)}: {' '.join(map(verb, runs))}")
            if options.verbose:
                for run in runs:
                    print(f"    git {run}")


if __name__ == "__main__":
    main()
