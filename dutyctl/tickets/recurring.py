"""Recurring maintenance (周期性维护): one repair per occurrence of each job in dutyctl.yaml.

`repair schedule` files every occurrence from a job's start up to a day that is not filed
yet. A filed occurrence is a repair created AT its occurrence, so its id names that second
and its file lives in that day's folder: finding what is already filed reads only the record
files of those seconds, however long the history.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Iterable, Iterator

from dutyctl import timeutil

from dutyctl.store import ids
from dutyctl.config import RecurringJob, SiteConfig, recurring_rule_problems
from dutyctl.errors import InputError, Problem, ProblemsFound
from dutyctl.kinds.repair import KIND as REPAIR, SCHEDULE_FILER, occurrence_key, occurrence_of
from dutyctl.messages import t
from dutyctl.records import Record

# a daily job filed years back is a few thousand; more means a mistyped --until
MAX_OCCURRENCES = 10_000


@dataclass(frozen=True)
class Occurrence:
    job: RecurringJob
    at: datetime

    @property
    def key(self) -> tuple[str, int]:
        return occurrence_key(self.job.id, self.at)


@dataclass(frozen=True)
class Plan:
    """What `repair schedule` found: the occurrences to file and how many already were."""

    to_file: tuple[Occurrence, ...]
    already_filed: int
    problems: tuple[Problem, ...]  # unreadable files met while looking


def occurrences(jobs: Iterable[RecurringJob], tz: tzinfo, until: date) -> list[Occurrence]:
    """Every occurrence of every job up to the end of `until` (site zone), in time order."""
    end = datetime.combine(until + timedelta(days=1), time(0)).replace(tzinfo=tz)
    found: list[Occurrence] = []
    for job in jobs:
        for moment in job.occurrences(tz):
            if moment >= end:
                break
            found.append(Occurrence(job, moment))
            if len(found) > MAX_OCCURRENCES:
                raise InputError(lambda name: t("more than {limit} occurrences up to {until}: is "
                                                "{name} right?", limit=MAX_OCCURRENCES,
                                                until=until, name=name("until")))
    return sorted(found, key=lambda due: (due.at, due.job.id))


def first_after(jobs: Iterable[RecurringJob], tz: tzinfo, until: date) -> Occurrence | None:
    """The earliest occurrence of any job after `until` (site zone): what a schedule with
    nothing due yet (plans that start next week) says comes first."""
    end = datetime.combine(until + timedelta(days=1), time(0)).replace(tzinfo=tz)
    found = []
    for job in jobs:
        upcoming = next((moment for moment in job.occurrences(tz) if moment >= end), None)
        if upcoming is not None:
            found.append(Occurrence(job, upcoming))
    return min(found, key=lambda due: (due.at, due.job.id), default=None)


def _filed_in_second(name: str, seconds: set[int]) -> str | None:
    """The record id of a record file created in one of `seconds`, else None."""
    found = ids.file_ids(name)
    record_id = found[0] if found is not None and found[1] is None else ""
    if len(record_id) != ids.ID_LENGTH or ids.normalize(record_id) != record_id:
        return None  # an event file, or junk `dutyctl check` reports
    return record_id if int(ids.moment_of(record_id).timestamp()) in seconds else None


def filed_occurrences(store, wanted: Iterable[Occurrence]) -> tuple[set, list[Problem]]:
    """(job id, occurrence) of every wanted occurrence already filed, and the problems met."""
    seconds_by_day: dict[date, set[int]] = defaultdict(set)
    for due in wanted:
        seconds_by_day[due.at.astimezone(store.tz).date()].add(int(due.at.timestamp()))
    filed, problems = set(), []
    for day, seconds in sorted(seconds_by_day.items()):
        try:
            names = os.listdir(store.day_dir(day))
        except (FileNotFoundError, NotADirectoryError):
            continue  # nothing filed that day (a file in the folder's place: check says so)
        candidates = [found for name in names if (found := _filed_in_second(name, seconds))]
        if candidates:
            records = store.load_records(day, tuple(f"{stem}." for stem in candidates),
                                         problems)
            filed.update(key for record in records if (key := occurrence_of(record)))
    return filed, problems


def plan(store, config: SiteConfig, until: date) -> Plan:
    """The occurrences up to `until` not yet filed; a broken RRULE refuses (exit 2)."""
    broken = recurring_rule_problems(config)
    if broken:
        raise ProblemsFound(broken)
    wanted = occurrences(config.recurring.values(), config.tz, until)
    filed, problems = filed_occurrences(store, wanted)
    to_file = tuple(due for due in wanted if due.key not in filed)
    return Plan(to_file, len(wanted) - len(to_file), tuple(problems))


def repair_fields(due: Occurrence) -> dict:
    job = due.job
    return {"recurring": {"job": job.id, "occurrence": timeutil.to_iso(due.at)},
            "where": job.where, "category": job.category,
            "content": f"{job.name}（{job.where}）",  # the place shows wherever text does
            "urgency": job.urgency}


def file_occurrences(store, to_file: Iterable[Occurrence]) -> Iterator[Record]:
    """File each occurrence as a repair created at the occurrence; yields each one as it is
    written, so a caller can commit what was written even if a later one fails.

    Idempotent across desks: the id derives from (job, occurrence) and the filer is the
    schedule itself, so two desks filing one occurrence write the identical file (who ran
    `repair schedule` is the commit's author)."""
    for due in to_file:
        record_id = ids.derived_id(due.at, f"recurring:{due.job.id}:{int(due.at.timestamp())}")
        yield store.create(REPAIR, repair_fields(due), at=due.at, by=SCHEDULE_FILER,
                           record_id=record_id)



def one_run_at_a_time(workspace):
    """The lock `repair schedule` holds from its plan to its commit: a second run at the same
    time plans only after the first has filed, so it files nothing twice."""
    from dutyctl.store.storage import exclusive

    return exclusive(workspace.state_dir / "schedule.lock")
