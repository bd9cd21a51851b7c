"""Which records a report reads: found by their dated folders, never by scanning everything.

Two sets: the records filed during the period (their day folders), and the records filed
earlier that were still open when the period began (a complaint from last week resolved
today counts as resolved today; one still open is still open). The second set comes from a
git-ignored per-day index of the latest moment any record of that day was still open, keyed
by the folder's mtime, so a report reads the period's folders plus the few older folders
that hold long-running items: its cost follows the period, not the length of the history.

Every record is seen as it stood at the report's moment (the end of the period, or now if
the period is not over): later events are left out, so a report on a past day says the same
thing whenever it is run.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dutyctl.errors import DutyError, Problem
from dutyctl.records import Record, kind_spec
from dutyctl.reports.period import Period
from dutyctl.storage import write_atomic

INDEX_DIR = "report-index"
STILL_OPEN = None


@dataclass(frozen=True)
class Selection:
    period: Period
    as_of: datetime
    filed: tuple[Record, ...]      # filed in the period, up to as_of
    carried: tuple[Record, ...]    # filed before the period, open at some point during it
    problems: tuple[Problem, ...]  # unreadable files, skipped

    @property
    def records(self) -> tuple[Record, ...]:
        return self.carried + self.filed

    def of_kind(self, *kinds: str) -> list[Record]:
        return [record for record in self.records if record.kind in kinds]


def closed_at(record: Record) -> datetime | None:
    """When the record last became closed; None while it is open."""
    spec = kind_spec(record.kind)
    status = spec.initial_status(record.fields)
    since = record.created_at if status in spec.closed_statuses else STILL_OPEN
    for event in record.events:
        _, target = spec.transitions.get(event.action, ((), None))
        if target is None:
            continue
        if target not in spec.closed_statuses:
            since = STILL_OPEN
        elif since is STILL_OPEN:
            since = event.at
    return since


def as_seen_at(record: Record, moment: datetime) -> Record:
    """The record with only the events that had happened before `moment`."""
    return record.as_of(moment, including_moment=False)


def _lifetimes(records: list[Record], day_end: datetime) -> dict[str, float | None]:
    """Epoch seconds each record closed at (None: still open), for those still open at the
    end of their own day; the others can never be carried into a later period."""
    found = {}
    for record in records:
        closed = closed_at(record)
        if closed is STILL_OPEN or closed > day_end:
            found[record.id] = None if closed is STILL_OPEN else closed.timestamp()
    return found


def _open_until(lifetimes: dict[str, float | None], problems: list[Problem]) -> float | None:
    """The latest close among a day's records; None if any is open or unreadable."""
    if problems or any(closed is STILL_OPEN for closed in lifetimes.values()):
        return STILL_OPEN
    return max(lifetimes.values(), default=0.0)


class _Index:
    """Per day folder: its mtime and the latest moment one of its records was open (one
    small file), plus, per day with long-lived records, when each of them closed (one file
    per day, read only when that day may hold something open during the period)."""

    def __init__(self, store):
        self.store = store
        self.folder = store.dir.parent / ".dutyctl" / INDEX_DIR
        try:
            self.days = json.loads((self.folder / "days.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.days = {}
        self.changed = False

    def lifetimes(self, key: str, stamp: int) -> dict | None:
        try:
            detail = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return detail["records"] if detail.get("stamp") == stamp else None

    def remember(self, key: str, stamp: int, lifetimes: dict, problems: list[Problem]) -> None:
        """A day with unreadable files keeps no detail: it is read whole again next time,
        so its problems keep being reported."""
        self.days[key] = [stamp, _open_until(lifetimes, problems)]
        self.changed = True
        if lifetimes and not problems:
            self._write(f"{key}.json", {"stamp": stamp, "records": lifetimes})

    def save(self) -> None:
        if self.changed:
            self._write("days.json", self.days)

    def _write(self, name: str, data: dict) -> None:
        try:
            write_atomic(self.folder / name, json.dumps(data, sort_keys=True))
        except DutyError:
            pass  # an index that cannot be written only costs speed


def carried_over(store, before: date, since: datetime,
                 problems: list[Problem]) -> list[Record]:
    """Records filed on days before `before` that were still open at `since`."""
    index, found, threshold = _Index(store), [], since.timestamp()
    for day in store.days(until=before - timedelta(days=1)):
        key = day.isoformat()
        stamp = os.stat(store.day_dir(day)).st_mtime_ns
        known = index.days.get(key)
        if known and known[0] == stamp:
            if known[1] is not STILL_OPEN and known[1] <= threshold:
                continue
            lifetimes = index.lifetimes(key, stamp)
            wanted = lifetimes and [record_id for record_id, closed in sorted(lifetimes.items())
                                    if closed is STILL_OPEN or closed > threshold]
            loaded = _records_by_id(store, day, wanted or []) if lifetimes is not None else None
            if loaded is not None:
                found.extend(loaded)
                continue
        day_problems: list[Problem] = []
        records = store.load_day(day, day_problems)
        problems.extend(day_problems)
        day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=store.tz)
        index.remember(key, stamp, _lifetimes(records, day_end), day_problems)
        found.extend(record for record in records
                     if (closed := closed_at(record)) is STILL_OPEN or closed > since)
    index.save()
    return found


def _records_by_id(store, day: date, record_ids: list[str]) -> list[Record] | None:
    """Just these records of one day folder, with their events; None when one of them
    cannot be read (then the whole day is read and its problems reported)."""
    if not record_ids:
        return []
    problems: list[Problem] = []
    records = store.load_records(day, tuple(record_ids), problems)
    return None if problems or len(records) != len(record_ids) else records


def select(store, period: Period, now: datetime) -> Selection:
    """The records a report on `period` reads, each as it stood at the report's moment."""
    as_of = period.as_of(now)
    scan = store.scan(period.first, period.last)
    problems = list(scan.problems)
    filed = [as_seen_at(record, as_of) for record in scan.records if record.created_at < as_of]
    carried = [as_seen_at(record, as_of)
               for record in carried_over(store, period.first, period.start, problems)]
    carried.sort(key=lambda record: (record.created_at, record.id))
    return Selection(period, as_of, tuple(filed), tuple(carried),
                     tuple(sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))))
