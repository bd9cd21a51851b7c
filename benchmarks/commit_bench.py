"""What self-healing costs a commit: the check `gitsync.commit` now makes (records left
uncommitted; git's index lock is looked at only when `git add` meets it) against the plain add + commit they guard, on a workspace of a
year of records (365 day folders x 60 files).

    python benchmarks/commit_bench.py [--runs 15] [--per-day 60]

Round-robin over the three measurements, medians, ratios against the plain add + commit
measured in the same run (absolute times move with the machine's load).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dutyctl import gitsync  # noqa: E402


def make_workspace(root: Path, per_day: int) -> int:
    for day in range(365):
        folder = root / f"records/2026/{day // 31 + 1:02d}/{day % 31 + 1:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(per_day):
            (folder / f"01M{day:04d}{number:04d}ABCDEFGHJKMNPQ.yaml").write_text(
                "id: x\nkind: call\n" * 5, encoding="utf-8")
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "year"]):
        subprocess.run(["git", "-C", str(root), *args], check=True)
    return 365 * per_day


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--per-day", type=int, default=60)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = make_workspace(root, options.per_day)
        env = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b",
               "GIT_COMMITTER_EMAIL": "b@b"}
        runs: dict[str, list[float]] = {"plain add + commit (before)": [],
                                        "healing checks alone": [],
                                        "gitsync.commit now": []}
        for number in range(options.runs):
            first = root / f"records/2026/01/01/01MA{number:04d}ABCDEFGHJKMNPQRST.yaml"
            first.write_text("id: y\n", encoding="utf-8")
            runs["plain add + commit (before)"].append(timed(
                lambda: gitsync._add_and_commit(root, [first], "plain", env)))
            runs["healing checks alone"].append(timed(
                lambda: gitsync.uncommitted_records(root, 30)))
            second = root / f"records/2026/01/02/01MB{number:04d}ABCDEFGHJKMNPQRST.yaml"
            second.write_text("id: z\n", encoding="utf-8")
            runs["gitsync.commit now"].append(timed(
                lambda: gitsync.commit(root, [second], "healing", root / ".dutyctl")))
        base = statistics.median(runs["plain add + commit (before)"])
        print(f"{files} record files, {options.runs} runs, medians")
        for name, values in runs.items():
            median = statistics.median(values)
            print(f"{name:30s} {median * 1000:8.1f} ms  {median / base:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
