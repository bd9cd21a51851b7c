"""Which records a report reads: asked of the record index, never by scanning everything.

Two sets: the records filed during the period, and the records filed earlier that were still
open when the period began (a complaint from last week resolved today counts as resolved
today; one still open is still open). The index (dutyctl.store.index) knows when each record last
closed, so a report reads the period's records plus the few older ones still open at its
start: its cost follows the period, not the length of the history.

Every record is seen as it stood at the report's moment (the end of the period, or now if
the period is not over): later events are left out, so a report on a past day says the same
thing whenever it is run.
"""

from __future__ import annotations

from datetime import datetime

from dutyctl.errors import Problem
from dutyctl.frozen import frozen
from dutyctl.queries import open_at
from dutyctl.records import Record
from dutyctl.reports.period import Period


@frozen
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


def as_seen_at(record: Record, moment: datetime) -> Record:
    """The record with only the events that had happened before `moment`."""
    return record.as_of(moment, including_moment=False)


def _read(store, period: Period):
    """Records filed up to the period's last day that were filed in it or still open at its
    start, with the unreadable files of those days."""
    first, start = period.first, period.start

    def wanted(record: Record) -> bool:
        return record.created_at.astimezone(store.tz).date() >= first or open_at(record, start)

    def from_files():
        scan = store.scan(until=period.last)
        scan.records = [record for record in scan.records if wanted(record)]
        return scan

    return store.ask(lambda index: index.period(first, period.last, start), from_files)


def select(store, period: Period, now: datetime) -> Selection:
    """The records a report on `period` reads, each as it stood at the report's moment."""
    as_of = period.as_of(now)
    found = _read(store, period)
    filed, carried = [], []
    for record in found.records:
        if record.created_at.astimezone(store.tz).date() >= period.first:
            if record.created_at < as_of:
                filed.append(as_seen_at(record, as_of))
        else:
            carried.append(as_seen_at(record, as_of))
    return Selection(period, as_of, tuple(filed), tuple(carried),
                     tuple(sorted(set(found.problems),
                                  key=lambda p: (p.path, p.line or 0, p.message))))
