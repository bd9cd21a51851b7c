"""Shift-desk commands on a workspace with ten months of history, against named baselines.

History (written in-process through the store, January to October 2026): a two-shift roster
(day 08:00-20:00, night 20:00-08:00) for four people, a clocked duty for every shift, a
checklist run and an accepted handover at every shift change, and a few calls a day.

Each figure is the median wall time of N fresh processes, measured in the same run:
- `clock in` and `clock out` (each then undone by the other) against `log call`, the
  cheapest recording command (same startup, one record written);
- `handover --to` (gathers every open item) against `log call`;
- `attendance --month 2026-10` against `list --since 2026-10-01 --until 2026-10-31`, which
  reads the same month of records.

    .venv/bin/python benchmarks/desk.py            # 15 runs each
    .venv/bin/python benchmarks/desk.py --runs 30
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

from startup import run_once  # the same whole-process timer as the startup figures
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers_desk import write_roster, write_desk_rules  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
STAFF = ["zhangwei", "lina", "sunli"]
FIRST, LAST = date(2026, 1, 1), date(2026, 10, 31)


def dutyctl_command() -> list[str]:
    script = Path(sys.executable).with_name("dutyctl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dutyctl"]


def month_rows(first: date, last: date) -> list[tuple[str, str, str]]:
    rows, day = [], first
    while day <= last:
        index = day.toordinal()
        rows.append((day.isoformat(), "day", STAFF[index % 3]))
        rows.append((day.isoformat(), "night", STAFF[(index + 1) % 3]))
        day += timedelta(days=1)
    return rows


def build(root: Path) -> int:
    """The workspace and its history; returns how many record and event files it holds."""
    from dutyctl.workspace import Workspace, init_workspace

    init_workspace(root)
    config = root / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "auto_commit: true", "auto_commit: false"), encoding="utf-8")
    write_desk_rules(root)
    for month in range(1, 13):
        first = date(2026, month, 1)
        last = (date(2026 + month // 12, month % 12 + 1, 1) - timedelta(days=1))
        write_roster(root, first.isoformat(), last.isoformat(), month_rows(first, last))
    store = Workspace(root).store
    rng = random.Random(7)
    day = FIRST
    while day <= LAST:
        for shift, hour in (("day", 8), ("night", 20)):
            staff = STAFF[(day.toordinal() + (shift == "night")) % 3]
            start = datetime(day.year, day.month, day.day, hour, tzinfo=TZ)
            clock_in = start + timedelta(minutes=rng.randint(-15, 10))
            duty = store.create("duty", {"staff": staff, "verdict": "on-time"}, at=clock_in,
                                by=staff)
            store.create("readiness", {"staff": staff, "results": [
                {"item": "phone", "ok": True}, {"item": "printer", "ok": True}]},
                at=clock_in + timedelta(minutes=5), by=staff)
            end = start + timedelta(hours=12)
            relief = STAFF[(day.toordinal() + (shift == "day")) % 3]
            handover = store.create("handover", {"from": staff, "to": relief, "items": [],
                                                 "notes": ["无"]},
                                    at=end - timedelta(minutes=10), by=staff)
            store.append(handover, "accept", at=end - timedelta(minutes=5), by=relief)
            store.append(duty, "clock-out", at=end + timedelta(minutes=rng.randint(0, 10)),
                         by=staff)
            for _ in range(3):
                store.create("call", {"resident": {"name": "张三", "room": "3-2-501",
                                                   "phone": "13812345678"},
                                      "category": "consultation", "summary": "咨询"},
                             at=start + timedelta(minutes=rng.randint(30, 600)), by=staff)
        day += timedelta(days=1)
    return sum(1 for _ in (root / "records").rglob("*.yaml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        built = time.perf_counter()
        files = build(root)
        print(f"history: {files} record and event files, built in "
              f"{time.perf_counter() - built:.1f} s")
        env = {**os.environ, "DUTYCTL_USER": "wangqiang"}
        env.pop("DUTYCTL_ROOT", None)
        base = [*dutyctl_command(), "--root", str(root)]
        # wangqiang is never rostered: clocking them in and out leaves no handover to ask for
        figures: dict[str, list[float]] = {name: [] for name in (
            "log call", "clock in", "clock out", "handover", "list month", "attendance")}
        for run in range(runs + 2):  # two warm-up rounds, not counted
            moment = datetime(2026, 11, 2, 9, tzinfo=TZ) + timedelta(hours=3 * run)
            at = moment.strftime("%Y-%m-%d %H:%M")
            later = (moment + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
            samples = {
                "log call": run_once([*base, "log", "call", "--name", "李四", "--room", "5-1-1202",
                                   "--phone", "13900001111", "--summary", "咨询", "--at", at],
                                  env),
                "clock in": run_once([*base, "clock", "in", "--at", at], env),
                "handover": run_once([*base, "handover", "--to", "lina", "--at", at], env),
                "clock out": run_once([*base, "clock", "out", "--at", later], env),
                "list month": run_once([*base, "list", "--since", "2026-10-01", "--until",
                                     "2026-10-31", "--format", "csv"], env),
                "attendance": run_once([*base, "attendance", "--month", "2026-10", "--format",
                                     "csv"], env),
            }
            if run >= 2:
                for name, value in samples.items():
                    figures[name].append(value)
    median = {name: statistics.median(values) for name, values in figures.items()}
    print(f"median of {runs} runs (ms), ratio to the baseline:")
    for name, baseline in (("clock in", "log call"), ("clock out", "log call"),
                           ("handover", "log call"), ("attendance", "list month")):
        print(f"  {name:<11} {median[name]:7.1f}   {baseline:<10} {median[baseline]:7.1f}"
              f"   ratio {median[name] / median[baseline]:.2f}")


if __name__ == "__main__":
    main()
