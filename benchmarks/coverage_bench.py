"""Coverage in fact (`reports.figures.actual_coverage`) with the places others' spare
presence covers (roles given) against without it (roles None: the computation before), on a
month of 30 staff and 9 places a day, each attended, a tenth of them 30 minutes late.

    python benchmarks/coverage_bench.py
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dutyctl.desk.sessions import DutySession  # noqa: E402
from dutyctl.reports import figures  # noqa: E402
from dutyctl.reports.period import Period  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
STAFF = [f"s{n:02d}" for n in range(30)]


def month() -> tuple[list, list, list]:
    """October's slots, duty sessions and outcomes: 9 places a day, each attended, a tenth
    30 minutes late, some stays 20 minutes past the shift's end."""
    rng = random.Random(1)
    slots, sessions, outcomes = [], [], []
    for d in range(31):
        day = date(2026, 10, 1) + timedelta(days=d)
        for k in range(9):
            start = datetime(day.year, day.month, day.day, 8 if k < 5 else 20, tzinfo=TZ)
            end = start + timedelta(hours=12)
            person = STAFF[(d * 9 + k) % 30]
            slot = SimpleNamespace(date=day, shift_id="day" if k < 5 else "night",
                                   role="service", staff=person, start=start, end=end)
            slots.append(slot)
            late = rng.random() < 0.1
            session = DutySession(f"{d}-{k}", person,
                                  start + timedelta(minutes=30 if late else -5),
                                  end + timedelta(minutes=rng.choice([0, 0, 20])))
            sessions.append(session)
            outcomes.append(SimpleNamespace(slot=slot, result="late" if late else "on-time",
                                            sessions=(session,),
                                            late_minutes=30 if late else 0, early_minutes=0))
    return slots, sessions, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    slots, sessions, outcomes = month()
    period = Period("monthly", date(2026, 10, 1), date(2026, 10, 31), TZ)
    as_of = datetime(2026, 11, 3, tzinfo=TZ)

    def timed(roles) -> tuple[float, dict]:
        took = []
        for _ in range(runs):
            started = time.perf_counter()
            result = figures.actual_coverage(outcomes, slots, period, as_of, sessions, roles,
                                             timedelta(hours=2))
            took.append(time.perf_counter() - started)
        return statistics.median(took), result

    base, before = timed(None)
    new, after = timed({person: ("service",) for person in STAFF})
    print(f"without spare presence (as before) {base * 1000:.1f} ms, with it "
          f"{new * 1000:.1f} ms: {new / base:.2f}x; gaps {len(before['gaps'])} -> "
          f"{len(after['gaps'])}")


if __name__ == "__main__":
    main()
