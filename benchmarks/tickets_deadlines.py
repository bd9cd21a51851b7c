"""What computing deadlines on read costs `dutyctl list`, as a ratio against plain listing.

Run: .venv/bin/python benchmarks/tickets_deadlines.py [RECORDS]

Builds a throw-away workspace with RECORDS complaints and repairs (default 2000, a year of a
busy desk) spread over 2026, half of them still open, some on hold, then times in one run:
  baseline  scan + rows, what `list` did before deadlines existed
  due       the same plus the `due` column (every open ticket's deadlines computed)
  overdue   `list --overdue`: filter on deadlines, then rows
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from dutyctl import queries, views
from dutyctl.tickets import lifecycle
from dutyctl.tickets.deadlines import load_book
from dutyctl.tickets.display import due_cell, select_due
from dutyctl.workspace import Workspace, init_workspace

PERSON = {"name": "张三", "room": "3-2-501", "phone": "13812345678"}


def build(root: Path, count: int) -> Workspace:
    init_workspace(root)
    (root / "dutyctl.yaml").write_text(
        (root / "dutyctl.yaml").read_text(encoding="utf-8").replace(
            "auto_commit: true", "auto_commit: false"), encoding="utf-8")
    workspace = Workspace(root)
    store, config = workspace.store, workspace.config
    chance = random.Random(0)
    start = datetime(2026, 1, 5, 8, 0, tzinfo=config.tz)
    for number in range(count):
        filed = start + timedelta(minutes=number * (350 * 24 * 60 // count))
        kind = "repair" if number % 2 else "complaint"
        record = lifecycle.file_ticket(store, config, kind, resident=PERSON, category=None,
                                       content="卫生间漏水" if kind == "repair" else "噪音扰民",
                                       urgency=None, at=filed, by="zhangwei")
        step = filed + timedelta(minutes=20)
        if kind == "repair":
            record, _, _ = lifecycle.dispatch(workspace, record, "wangqiang", at=step,
                                           by="zhangwei")
            if chance.random() < 0.2:
                record = lifecycle.hold(store, record, "等配件", at=step + timedelta(hours=1),
                                        by="zhangwei")
                record = lifecycle.resume(store, record, None, at=step + timedelta(hours=20),
                                          by="zhangwei")
            if chance.random() < 0.5:
                lifecycle.done(store, record, "修好", None, at=step + timedelta(days=1),
                               by="wangqiang")
        elif chance.random() < 0.5:
            lifecycle.resolve(store, record, "已处理", at=step, by="zhangwei")
    return workspace


def timed(function, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", nargs="?", type=int, default=2000,
                        help="open and closed complaints and repairs to build (default 2000)")
    count = parser.parse_args().records
    with tempfile.TemporaryDirectory() as folder:
        workspace = build(Path(folder) / "site", count)
        store, tz = workspace.store, workspace.config.tz
        as_of = datetime(2026, 12, 20, 12, 0, tzinfo=tz)
        records = store.scan().records
        book = load_book(workspace)

        def baseline():
            return [views.record_row(record, tz, False) for record in queries.select(records)]

        def with_due():
            return [dict(views.record_row(record, tz, False),
                         due=due_cell(book, record, as_of, tz)) for record in records]

        def overdue():
            return [views.record_row(record, tz, False)
                    for record in select_due(records, book, as_of, overdue=True)]

        base = timed(baseline)
        print(f"{len(records)} tickets, {sum(queries.is_open(r) for r in records)} open, "
              f"{len(overdue())} overdue as of {as_of:%Y-%m-%d %H:%M}")
        print(f"baseline (rows only)  {base * 1000:8.1f} ms  1.00x")
        for label, function in (("with due column", with_due), ("--overdue", overdue)):
            spent = timed(function)
            print(f"{label:<21} {spent * 1000:8.1f} ms  {spent / base:.2f}x")


if __name__ == "__main__":
    main()
