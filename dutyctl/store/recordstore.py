"""The record store: one YAML file per record and one per event, in dated folders.

Layout: records/YYYY/MM/DD/<record id>.yaml holds the record as filed (never rewritten);
records/YYYY/MM/DD/<record id>.<event id>.yaml holds each later event, next to its record.
The date is the record's local date in the site zone, the same moment its id names. Because
no file is ever changed after it is written, two desks that both act on one record add
different files, and plain `git pull` merges them without a conflict.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterator, Mapping

from dutyctl import notices

from dutyctl.store import fastyaml, ids, yamlio
from dutyctl.errors import (DutyError, InputError, NotFound, Problem, os_reason,
                            ProblemsFound, cap_problems, undecodable_name)
from dutyctl.messages import t, tn
from dutyctl.schema import text_findings
from dutyctl.records import (FIRST_SCHEMA, Event, Record, ScanResult, check_late_event,
                             check_next_event, creation_order, kind_spec, parse_event,
                             parse_record)
from dutyctl.store.storage import write_atomic
from dutyctl.store.verdicts import REMEMBERED_BYTES


def _is_day_name(name: str, digits: int) -> bool:
    return len(name) == digits and name.isdigit()


RECENT_DAYS = 7  # day folders a writing command without an index reads for what is open
RECENT_MONTHS = 2  # month folders whose day folders day_stamps() always looks at
#: what this process saved, in order: (kind, record id, the step's action; None: the record
#: itself), so an interrupt says what is saved (a clerk types again what the screen did not
#: confirm, and files it twice)
SAVED: list[tuple[str, str, str | None]] = []
#: SAVED's action for an erase under way, files rewritten part-way (cli.session.interrupted)
ERASING = "erasing"


class DayStamps:
    """What day_stamps() found: the day folders of the months it looked into (`looked`), the
    mtime of every year and month folder (YYYY, YYYY-MM), and the months it did not look
    into. A plain class: a dataclass would import `inspect` into every command (5 ms)."""

    __slots__ = ("days", "folders", "skipped", "looked")

    def __init__(self, days: list[tuple[str, int]], folders: dict[str, int],
                 skipped: set[str], looked: set[str]):
        self.days, self.folders, self.skipped, self.looked = days, folders, skipped, looked


class Store:
    def __init__(self, records_dir: Path, tz: tzinfo, config: Any = None,
                 state_dir: Path | None = None, git_root: Path | None = None,
                 kept_in: Path | None = None):
        self.dir = records_dir
        self.tz = tz
        self.config = config
        self.state_dir = state_dir  # where the record index lives (None: no index)
        # where what large unreadable files said is kept (store.verdicts; None: not kept):
        # the state folder, also for a store without an index (`check`'s)
        self.kept_in = kept_in or state_dir
        self.git_root = git_root
        # every unreadable file or folder met while reading, so that a command which reads
        # around them (a handover, a clock-in) can still say so once
        self.skipped: list[Problem] = []
        self._skipped_set: set[Problem] = set()
        self.progress = None  # called (done, total, day) while a big index catch-up runs
        self._index = None
        self._index_unusable = False  # said once: this command's other questions go to files
        self.writes = 0  # files written by this store: the index reads them again
        self.unstamped = False  # a write could not move its month's mtime (_written)
        # set by the CLI: this store serves one command, whose questions to the index follow
        # each other within milliseconds (dutyctl.index: one walk of the folders, one
        # connection until close())
        self.one_command = False
        self._base = f"{records_dir.parent}{os.sep}"  # what relative() cuts off
        self._last_filed: tuple[datetime, str] | None = None  # (at, id) of create's last
        self._kept_verdicts = None  # store.verdicts.Verdicts, made when a large file is read

    # -- paths ----------------------------------------------------------------------------

    def day_dir(self, day: date) -> Path:
        return self.dir / f"{day.year:04d}" / f"{day.month:02d}" / f"{day.day:02d}"

    def record_path(self, record_id: str, moment: datetime) -> Path:
        return self.day_dir(moment.astimezone(self.tz).date()) / f"{record_id}.yaml"

    def relative(self, path: Path | str) -> str:
        text, base = os.fspath(path), self._base
        if text.startswith(base):  # the common case, without pathlib: once per file read
            return text[len(base):]
        try:
            return str(Path(path).relative_to(self.dir.parent))
        except ValueError:
            return str(path)

    def days(self, since: date | None = None, until: date | None = None) -> Iterator[date]:
        """Existing day folders in order, limited to [since, until]; found by name only."""
        if not self.dir.is_dir():
            return
        for year in self._names(self.dir, 4, range(1970, 10000)):
            if (since and int(year) < since.year) or (until and int(year) > until.year):
                continue
            for month in self._names(self.dir / year, 2, range(1, 13)):
                for day in self._names(self.dir / year / month, 2, range(1, 32)):
                    try:
                        current = date(int(year), int(month), int(day))
                    except ValueError:
                        self.skip([self._misplaced(self.dir / year / month / day)])
                        continue
                    if (since is None or current >= since) and (until is None or current <= until):
                        yield current

    def day_stamps(self, seen: Mapping[str, int] | None = None) -> DayStamps:
        """(YYYY-MM-DD, mtime in ns) of the day folders days() yields, in order, from one
        scandir per month looked into. `seen`: {YYYY or YYYY-MM: mtime} of the year and month
        folders at an earlier look. Adding or removing a day (or month) folder changes its
        month's (year's) mtime, and every file this store writes sets them to now (_written),
        so a year or month whose mtime is as seen is not looked into: its day folders are as
        they were (`DayStamps.skipped`). Changes made by git, which touch only the day
        folders, are the record index's to find (from the commits, or when git's own index
        changed); the newest RECENT_MONTHS months are looked into always. A month holding
        anything else than day folders goes through days(), which says what is odd."""
        found = DayStamps([], {}, set(), set())
        if not self.dir.is_dir():
            return found
        seen = seen or {}
        years = self._names(self.dir, 4, range(1970, 10000))
        listed = {year: self._folder_stamps(year, years[-2:], seen, found) for year in years}
        recent = [f"{year}-{month}" for year, months in listed.items() if months
                  for month in months][-RECENT_MONTHS:]
        for year, months in listed.items():
            for month in months or ():
                key = f"{year}-{month}"
                if key not in recent and seen.get(key) == found.folders[key]:
                    found.skipped.add(key)
                else:
                    found.looked.add(key)
                    found.days.extend(self._month_stamps(year, month))
        return found

    def _folder_stamps(self, year: str, newest: list[str], seen: Mapping[str, int],
                       found: "DayStamps") -> list[str] | None:
        """The month folders of a year looked into, each stamped in `found.folders`; None when
        the year is as seen (its months then skipped as they were seen)."""
        try:
            found.folders[year] = os.stat(self.dir / year).st_mtime_ns
        except OSError:
            return []
        if year not in newest and seen.get(year) == found.folders[year]:
            for key, stamp in seen.items():
                if key.startswith(f"{year}-"):
                    found.folders[key] = stamp
                    found.skipped.add(key)
            return None
        months = self._names(self.dir / year, 2, range(1, 13))
        for month in list(months):
            try:
                found.folders[f"{year}-{month}"] = os.stat(self.dir / year / month).st_mtime_ns
            except OSError:
                months.remove(month)
        return months

    def _month_stamps(self, year: str, month: str) -> list[tuple[str, int]]:
        found = self._plain_days(year, month)
        if found is None:
            first = date(int(year), int(month), 1)
            found = []
            for day in self.days(first, (first + timedelta(days=31)).replace(day=1)
                                 - timedelta(days=1)):
                try:
                    found.append((day.isoformat(), os.stat(self.day_dir(day)).st_mtime_ns))
                except OSError:
                    continue
        return found

    def _plain_days(self, year: str, month: str) -> list[tuple[str, int]] | None:
        """The day folders of a month with their mtimes, or None when the month holds a link,
        a folder that is no date, a file named as a day or a day the calendar lacks."""
        found = []
        try:
            with os.scandir(f"{self.dir}{os.sep}{year}{os.sep}{month}") as entries:
                for entry in entries:
                    name = entry.name
                    dated = _is_day_name(name, 2) and 1 <= int(name) <= 31
                    if entry.is_symlink():
                        return None
                    if not entry.is_dir(follow_symlinks=False):
                        if dated:
                            return None
                    elif dated:
                        found.append((name, entry.stat(follow_symlinks=False).st_mtime_ns))
                    elif not name.startswith("."):
                        return None
        except OSError:
            return None
        try:
            date(int(year), int(month), max((int(name) for name, _ in found), default=1))
        except ValueError:
            return None
        return [(f"{year}-{month}-{name}", stamp) for name, stamp in sorted(found)]

    def _names(self, folder: Path, digits: int, numbers: range) -> list[str]:
        """The sorted names of the dated folders in `folder` (a year, month or day by its
        number). A folder that is no date, a symbolic link or a file where the folder should
        be is reported and skipped: the records in it would vanish without a word."""
        names, problems = [], []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    dated = _is_day_name(entry.name, digits) and int(entry.name) in numbers
                    if entry.is_symlink():
                        problems.append(Problem(self.relative(entry.path), None,
                                                yamlio.not_a_file(stat.S_IFLNK)))
                    elif not entry.is_dir(follow_symlinks=False):
                        if dated:
                            problems.append(Problem(self.relative(entry.path), None, t(
                                "not a folder: records/ keeps YYYY/MM/DD folders here")))
                    elif dated:
                        names.append(entry.name)
                    elif not entry.name.startswith("."):
                        problems.append(self._misplaced(entry.path))
        except NotADirectoryError:
            problems.append(Problem(self.relative(folder), None,
                                    t("not a folder: records/ keeps YYYY/MM/DD folders here")))
        self.skip(problems)
        return sorted(names)

    def _misplaced(self, folder: Path | str) -> Problem:
        return Problem(self.relative(folder), None,
                       t("not a date: records/ keeps YYYY/MM/DD folders, the records in this "
                         "one are never read"))

    def skip(self, problems: list[Problem]) -> None:
        """Files read around (unreadable, or unusable for what the command does): each said
        once, as a `skipped:` line, by the command that met them (dutyctl.notices); kept in
        `skipped` too, for the results that list them (scan, check)."""
        for problem in problems:
            if problem not in self._skipped_set:
                self._skipped_set.add(problem)
                self.skipped.append(problem)
                notices.skipped(problem)

    # -- writing --------------------------------------------------------------------------

    def create(self, kind: str, fields: Mapping[str, Any], *, at: datetime, by: str,
               record_id: str | None = None) -> Record:
        """Validate and write a new record; return it with its path. `record_id`: an id
        derived from what the record is (ids.derived_id), else a new one."""
        at = _nameable(at).astimezone(self.tz)
        _check_text(dict(fields))
        record_id = record_id or self._new_id(at)
        self._last_filed = (at, record_id)
        path = self.record_path(record_id, at)
        spec = kind_spec(kind)
        schema = spec.schema_of(fields) if spec.schema_of is not None else FIRST_SCHEMA
        record = Record(record_id, kind, at, by, MappingProxyType(dict(fields)), schema=schema,
                        path=str(path))
        self._validate(record.to_yaml_data(), path, record)
        write_atomic(path, fastyaml.dumps(record.to_yaml_data()), inside=self.dir.parent)
        self._written(path)
        SAVED.append((kind, record_id, None))
        return record

    def _new_id(self, at: datetime) -> str:
        """A new record's id; after the one this store filed last at the same instant (a
        call and its ticket): records of one second list by id, so in the order filed."""
        last = self._last_filed
        return ids.new_id(at, after=last[1] if last and last[0] == at else None)

    def append(self, record: Record, action: str, *, at: datetime, by: str,
               note: str | None = None, data: Mapping[str, Any] | None = None,
               event_id: str | None = None, late: bool = False,
               recheck: "Callable[[Record], None] | None" = None) -> Record:
        """Add an event to a record's history after checking the kind allows it now.
        `event_id`: an id derived from what the step is (ids.derived_id: two desks writing
        the same step write one file), else a new one. `late`: the event may come before
        events already recorded, if the history with it in its place is one the kind allows
        (records.check_late_event; with an `event_id`): the record returned has its events in
        time order. `recheck`: the command's own refusals (one person accepts a handover once,
        a step is set aside once), asked again of the record as its files hold it under the
        step lock, as the kind's are."""
        at = _nameable(at).astimezone(self.tz)
        _check_text({"note": note, **dict(data or {})})
        with self._stepping():
            if not late:
                record = self._as_saved(record)
                check_next_event(record, action, at)
                if recheck is not None:
                    recheck(record)
            latest = record.events[-1] if record.events else None
            event_id = event_id or ids.new_id(at, after=latest.id if latest and latest.at == at
                                              else None)
            path = Path(record.path).with_name(f"{record.id}.{event_id}.yaml")
            event = Event(event_id, record.id, at, by, action, note,
                          MappingProxyType(dict(data or {})), str(path))
            if late:
                check_late_event(record, event)
            write_atomic(path, fastyaml.dumps(event.to_yaml_data()), inside=self.dir.parent)
        self._written(path)
        SAVED.append((record.kind, record.id, action))
        if late:
            return record.with_history(tuple(sorted((*record.events, event),
                                                    key=lambda step: (step.at, step.id))))
        return record.with_event(event)

    def record_paths(self) -> Iterator[Path]:
        """Every plain record and step file of every day folder, in day order."""
        for day in self.days():
            folder = self.day_dir(day)
            for name in sorted(os.listdir(folder)):
                if name.endswith(".yaml") and not name.startswith(".") \
                        and os.path.isfile(folder / name) and not os.path.islink(folder / name):
                    yield folder / name

    def rewrite(self, path: Path, text: str) -> None:
        """A record file written again whole (an erased number: dutyctl.erasure), atomically,
        and its month's and year's folders stamped as any write of this store."""
        write_atomic(path, text, inside=self.dir.parent)
        self._written(path)

    @contextlib.contextmanager
    def _stepping(self):
        """One step at a time on this desk (`steps.lock` in the state folder): two terminals
        stepping one ticket at once each checked it as it was before either step (a resolve,
        a close and a transfer all taken, each clerk told another status). Without a state
        folder to lock in (it cannot be made), the step goes on unlocked."""
        from dutyctl.store.storage import exclusive

        with contextlib.ExitStack() as held:
            if self.state_dir is not None:
                try:
                    self.state_dir.mkdir(parents=True, exist_ok=True)
                except OSError:
                    pass  # no state folder can be made: the step goes on unlocked
                else:  # a wait given up is exit 3, as desk.lock's
                    held.enter_context(exclusive(self.state_dir / STEP_LOCK))
            yield

    def _as_saved(self, record: Record) -> Record:
        """`record` as its files hold it now, with the steps another command (another
        terminal of this desk) saved since it was read; as given when they cannot be read
        (the step is then checked against what the command read)."""
        problems: list[Problem] = []
        try:
            saved = self.load_records(_day_of(Path(record.path)), (record.id + ".",),
                                      problems)
        except (OSError, ValueError):
            return record
        return next((one for one in saved if one.id == record.id), record)

    def _written(self, path: Path) -> None:
        """After a file is written in a day folder: its month and year folders' mtimes are set
        to now, after the file is there. Adding a file changes only its own folder's mtime,
        and the record index looks into an older month only when the month's mtime (or its
        year's) moved (day_stamps)."""
        self.writes += 1
        month = Path(path).parent.parent
        for folder in (month, month.parent):
            try:
                os.utime(folder)
            except OSError:  # another account's folder: found once git has the file (the
                self.unstamped = True  # commit is then not noted as only adding files)

    def _validate(self, data: dict, path: Path, record: Record) -> None:
        problems: list[Problem] = []
        # round-trip through YAML so what is checked is exactly what will be read back
        parse_record(fastyaml.loads(fastyaml.dumps(data)), self.relative(path), self.config,
                     problems)
        if problems:
            raise InputError(t("; ").join(problem.message for problem in problems))

    # -- reading --------------------------------------------------------------------------

    def load_day(self, day: date, problems: list[Problem]) -> list[Record]:
        """Every record filed on `day`, with its events; bad files become problems."""
        unreadable = None
        try:
            names = os.listdir(self.day_dir(day))
        except FileNotFoundError:
            return []
        except NotADirectoryError:
            names = None
        except OSError as exc:  # a folder this account may not read: said, the rest read on
            names, unreadable = None, exc
        before = len(problems)
        if names is None:
            problems.append(Problem(self.relative(self.day_dir(day)), None,
                                    t("cannot be read: {reason}", reason=os_reason(unreadable))
                                    if unreadable is not None else
                                    t("not a folder: records/ keeps YYYY/MM/DD folders here")))
            records = []
        else:
            records = self._load(self.day_dir(day), names, day, problems)
        self.skip(problems[before:])
        return records

    def load_records(self, day: date, record_ids: tuple[str, ...],
                     problems: list[Problem]) -> list[Record]:
        """Just these records of one day, with their events: fewer files than load_day."""
        folder = self.day_dir(day)
        try:
            names = [name for name in os.listdir(folder) if name.startswith(record_ids)]
        except (FileNotFoundError, NotADirectoryError):
            return self.load_day(day, problems)  # says what is wrong, if anything
        before = len(problems)
        records = self._load(folder, names, day, problems)
        self.skip(problems[before:])
        return records

    def read_files(self, day: date, names: list[str], problems: list[Problem],
                   contents: Mapping[str, tuple[bytes, os.stat_result] | DutyError] | None = None,
                   reading_ns: int | None = None) -> list[Record]:
        """The records among these file names of one day folder, with their events.
        `contents`: the files already read (their bytes and the fstat of the reading, or why
        they could not be), `reading_ns` the clock taken before they were read."""
        return self._load(self.day_dir(day), names, day, problems, contents, reading_ns)

    def _load(self, folder: Path, names: list[str], day: date, problems: list[Problem],
              contents: Mapping[str, tuple[bytes, os.stat_result] | DutyError] | None = None,
              reading_ns: int | None = None) -> list[Record]:
        if reading_ns is None:  # before any file is read: what a verdict is kept against
            reading_ns = time.time_ns()
        contents = contents or {}
        records: dict[str, Record] = {}
        events: dict[str, list[Event]] = {}
        for name in sorted(names):
            if not name.endswith(".yaml") or name.startswith("."):
                continue
            path = f"{folder}{os.sep}{name}"  # a string: pathlib costs more than the read
            if undecodable_name(name):
                problems.append(yamlio.name_not_text(self.relative(path)))
                continue
            stem = name[:-5]
            try:
                read = contents.get(name)
                if read is None:
                    raw, info = yamlio.read_with_stat(path)
                elif isinstance(read, DutyError):
                    raise read
                else:
                    raw, info = read
            except DutyError as exc:
                problems.append(Problem(self.relative(path), exc.problem.line, exc.problem.message))
                continue
            before = len(problems)
            large = len(raw) >= REMEMBERED_BYTES  # what a large file said may be kept
            if large and self._said_again(path, info, problems):
                continue
            try:
                data = fastyaml.loads(yamlio.decode(raw, path), path)
            except DutyError as exc:
                problems.append(Problem(self.relative(path), exc.problem.line, exc.problem.message))
            else:
                if "." in stem:
                    event = parse_event(data, self.relative(path), problems)
                    if event and self._check_event_name(event, stem, path, problems):
                        events.setdefault(event.record_id, []).append(event)
                else:
                    record = parse_record(data, self.relative(path), self.config, problems, path)
                    if record and self._check_record_name(record, stem, day, path, problems):
                        records[record.id] = record
                if len(problems) > before:
                    cap_problems(problems, before)
            if large and len(problems) > before:
                self._remember_said(path, info, problems[before:], reading_ns)
        for record_id, history in events.items():
            if record_id not in records:
                present = f"{record_id}.yaml" in names  # its file, read with a problem
                for event in history:
                    problems.append(Problem(self.relative(event.path), event.line, (
                        t("event of a record whose file cannot be read: {id}", id=record_id)
                        if present else
                        t("event of a record that does not exist here: {id}", id=record_id))))
                continue
            history.sort(key=lambda event: (event.at, event.id))
            records[record_id] = records[record_id].with_history(tuple(history))
        return list(records.values())

    @property
    def _verdicts(self):
        """What large files that cannot be read said (store.verdicts), kept in the state
        folder for the configuration and time zone this store reads records against."""
        if self._kept_verdicts is None:
            from dutyctl.store.verdicts import Verdicts

            self._kept_verdicts = Verdicts(self.kept_in, (self.config, self.tz))
        return self._kept_verdicts

    def _said_again(self, path: str, info: os.stat_result, problems: list[Problem]) -> bool:
        """Whether the problems of the large file at `path` as `info` found it are kept (from
        an earlier reading): then they are added to `problems`, and it is not parsed."""
        label = self.relative(path)
        said = self._verdicts.recall(path, label, info)
        if said is None:
            return False
        problems.extend(Problem(label, line, message, finding)
                        for line, message, finding in said)
        return True

    def _remember_said(self, path: str, info: os.stat_result, found: list[Problem],
                       reading_ns: int) -> None:
        """Keep the problems `found` in the large file at `path` (store.verdicts; read after
        the clock said `reading_ns`), so that the next command does not parse it again to say
        them."""
        if all(problem.breaks_a_file and problem.listed == problem.path
               for problem in found):  # what Problem(label, ...) makes again
            self._verdicts.remember(path, self.relative(path), info, [
                (problem.line, problem.message, problem.finding) for problem in found],
                reading_ns)

    def _check_record_name(self, record: Record, stem: str, day: date, path: Path,
                           problems: list[Problem]) -> bool:
        if record.id != stem:
            message = t("id {id} does not match the file name", id=record.id)
        elif record.created_at.astimezone(self.tz).date() != day:
            message = t("created_at is not in this dated folder")
        else:
            return True
        problems.append(Problem(self.relative(path), record.line, message))
        return False

    def _check_event_name(self, event: Event, stem: str, path: Path,
                          problems: list[Problem]) -> bool:
        if f"{event.record_id}.{event.id}" == stem:
            return True
        problems.append(Problem(self.relative(path), event.line,
                                t("record and id do not match the file name")))
        return False

    def scan(self, since: date | None = None, until: date | None = None,
             kinds: tuple[str, ...] | None = None) -> ScanResult:
        from dutyctl.records import is_voided

        result = ScanResult()
        for day in self.days(since, until):
            for record in self.load_day(day, result.problems):
                # a record set aside whole counts nowhere: only `get` (show) reads it
                if (kinds is None or record.kind in kinds) and not is_voided(record):
                    result.records.append(record)
        found = set(result.problems)
        result.problems.extend(problem for problem in self.skipped if problem not in found)
        result.records.sort(key=creation_order)
        return result

    # -- questions about many records: the index, else the files -------------------------

    @property
    def index(self):
        """The record index (dutyctl.store.index), or None for a store without a state folder,
        or with a folder where the index file belongs (from another desk: `check` says so)."""
        if self._index is None and self.state_dir is not None:
            from dutyctl.store.index import INDEX_FILE, RecordIndex

            if os.path.isdir(self.state_dir / INDEX_FILE):
                return None

            self._index = RecordIndex(self, self.state_dir, self.git_root)
            self._index.progress = self.progress
        return self._index

    def refresh_index(self) -> None:
        """Bring the record index up to date now (files rewritten: its copies of them go),
        when there is one; a busy or broken index is left to the next command."""
        from dutyctl.errors import DutyError

        try:  # any question brings the index up to date first; this one reads no row
            self.ask(lambda index: index.query("0"), lambda: ScanResult())
        except DutyError:
            pass

    def close(self) -> None:
        """Close the record index's connection (kept open between questions)."""
        if self._index is not None:
            self._index.close()

    def ask(self, question, fallback, *, build: bool = True, write: bool = True) -> ScanResult:
        """`question(index)` when there is an index to ask, else `fallback()` from the files.

        build=False (writing commands: clock in, clock out) uses the index only when one is
        already built and free: bringing it up to date is cheap, building it from nothing (or
        waiting for another process's build, or a catch-up of months) is not. write=False
        (the caller hint after `log call`): the few files the index lacks are read beside it
        for this command (RecordIndex._overlay), the index file untouched; it is brought up to
        date (written) as usual when it is unfinished, when more than index.OVERLAY_MAX
        records are missing, or for a full-text search (the overlay has no search texts)."""
        import sqlite3

        index = None if self._index_unusable else self.index
        if index is not None and (build or index.exists):
            from dutyctl.store.index import IndexBusy, disk_failed, said_reason

            index.patient, index.writing = build, write
            for attempt in (1, 2):  # a damaged index file is deleted and built once more
                try:
                    found = question(index)
                except IndexBusy:
                    index.close()
                    return fallback()
                except sqlite3.Error as exc:
                    if attempt == 1 and build and index.recover(exc):
                        continue
                    if build:  # the files hold every answer: read them, saying why (once)
                        _said_unusable(index, exc, disk_failed(exc), said_reason(exc))
                        index.close()
                        self._index_unusable = True
                    break
                else:
                    self.skip(found.problems)
                    return found
        return fallback()

    def open_records(self, kinds: tuple[str, ...] | None = None,
                     until: date | None = None, *, build: bool = True,
                     write: bool = True) -> ScanResult:
        """Records not closed yet, from any day (without an index and build=False: from the
        last RECENT_DAYS day folders only; write=False: see ask)."""
        from dutyctl.queries import is_open

        def from_files() -> ScanResult:
            recent = list(self.days(until=until))[-RECENT_DAYS:] if not build else None
            scan = self.scan(recent[0] if recent else None, until, kinds)
            scan.records = [record for record in scan.records if is_open(record)]
            return scan

        return self.ask(lambda index: index.open_records(kinds, until), from_files, build=build,
                        write=write)

    def of_kinds(self, since: date | None, until: date | None, kinds: tuple[str, ...],
                 few_from_files: bool = False) -> ScanResult:
        """The records of these kinds filed on days since..until, oldest first: `scan`'s
        answer from the index (a month's duties among a busy desk's 20,000 files of it:
        `attendance` read and parsed every one of them, twice). `few_from_files`: fewer
        than SCAN_DAYS days are read from their folders, as before (a clock-in's last
        days, `who`'s call-outs: no index built for them)."""
        if few_from_files and since is not None and until is not None and (
                until - since).days < SCAN_DAYS:
            return self.scan(since, until, kinds)
        return self.ask(lambda index: index.listing(kinds=kinds, since=since, until=until),
                        lambda: self.scan(since, until, kinds))

    def open_at(self, kinds: tuple[str, ...], moment: datetime, *, build: bool = True,
                write: bool = True) -> ScanResult:
        """Records of these kinds filed by `moment` and not closed at it, oldest first
        (without an index and build=False: from the last RECENT_DAYS day folders up to
        `moment`'s day only, as `open_records` reads them; write=False: see ask)."""
        from dutyctl.queries import open_at

        def from_files() -> ScanResult:
            if build:  # every day folder: each unreadable file among them is said
                scan = self.scan(kinds=kinds)
            else:
                until = moment.astimezone(self.tz).date()
                recent = list(self.days(until=until))[-RECENT_DAYS:]
                scan = self.scan(recent[0] if recent else None, until, kinds)
            scan.records = [record for record in scan.records if open_at(record, moment)]
            return scan

        return self.ask(lambda index: index.open_at(kinds, moment), from_files, build=build,
                        write=write)

    def _deleted_here(self, prefix: str) -> str | None:
        """The record file whose id starts with `prefix` that git tracks and this working
        tree lacks (deleted by hand, never committed), as `relative` names it; None without
        one, or without git. Asked only once no file answers: a git process, on a refusal."""
        if self.git_root is None:
            return None
        from dutyctl.gitsync import git

        listed = git(self.git_root, "--literal-pathspecs", "ls-files", "--deleted", "-z", "--",
                     str(self.dir), timeout=10)
        if listed.returncode != 0:
            return None
        found = sorted(name for name in listed.stdout.split("\0")
                       if Path(name).name.startswith(prefix)
                       and (named := ids.file_ids(Path(name).name)) and named[1] is None)
        return self.relative(self.git_root / found[0]) if found else None

    def get(self, typed: str, *, read_around: bool = False) -> Record:
        """The record whose id starts with `typed`; an ambiguous prefix lists the candidates.
        A step file beside it that cannot be read (another desk's: a name its ids do not
        match, a link, broken YAML) refuses it, as a step must follow the whole history;
        `read_around`, for what only shows it (`show`): the record with the steps that can
        be read, each file read around said once as skipped (dutyctl.notices), as `list`
        says it. A record file that cannot be read refuses it either way."""
        prefix = ids.normalize(typed)
        if prefix is None:
            raise InputError(t("'{typed}' is not an id or id prefix", typed=typed))
        low, high = ids.time_range(prefix)
        # a day of margin either side: a zone change in the config must not hide records
        since = (low.astimezone(self.tz) - timedelta(days=1)).date()
        until = (high.astimezone(self.tz) + timedelta(days=1)).date()
        candidates, more = [], False
        for day in self.days(since, until):
            folder = self.day_dir(day)
            candidates.extend(folder / name for name in os.listdir(folder)
                              if name.startswith(prefix)
                              and (found := ids.file_ids(name)) and found[1] is None)
            if len(candidates) > AMBIGUOUS_SHOWN * 10:  # `show 0`: not every folder of years
                more = True
                break
        if not candidates:
            # an id made by now (a phone number read as one is centuries ahead: no git asked)
            from dutyctl.timeutil import clock  # the desk's now (a test's fixed one)

            deleted = self._deleted_here(prefix) if low <= clock() else None
            if deleted:
                raise NotFound(t("no record with id {prefix}: its file {path} was deleted at "
                                 "this desk and git still has it (git checkout -- {path} "
                                 "brings it back)", prefix=typed, path=deleted))
            raise NotFound(t("no record with id {prefix}", prefix=typed))
        if len(candidates) > 1 and len({path.name for path in candidates}) == 1:
            raise InputError(t("record {id} is in more than one file: {paths} (dutyctl check "
                               "says which to keep)", id=candidates[0].stem,
                               paths=t(", ").join(self.relative(path)
                                                   for path in sorted(candidates))))
        if len(candidates) > 1:
            shown = t(", ").join(ids.short(path.stem) if len(prefix) < ids.SHORT_LENGTH
                                 else path.stem
                                 for path in sorted(candidates)[:AMBIGUOUS_SHOWN])
            if more:
                raise InputError(t("id prefix {prefix} matches more than {count} records: "
                                   "{candidates} ... (type more of the id)", prefix=typed,
                                   count=AMBIGUOUS_SHOWN * 10, candidates=shown))
            if len(candidates) > AMBIGUOUS_SHOWN:
                raise InputError(tn("id prefix {prefix} is ambiguous: {candidates} and {count} "
                                    "more", "id prefix {prefix} is ambiguous: {candidates} and "
                                    "{count} more", len(candidates) - AMBIGUOUS_SHOWN,
                                    prefix=typed,
                                    candidates=shown))
            raise InputError(t("id prefix {prefix} is ambiguous: {candidates}", prefix=typed,
                               candidates=shown))
        path = candidates[0]
        problems: list[Problem] = []
        loaded = self.load_records(_day_of(path), (path.stem + ".",), problems)
        if (problems and not read_around) or not loaded:  # read around: said (load_records)
            raise ProblemsFound(problems or [Problem(self.relative(path), None,
                                                     t("unreadable record"))])
        return loaded[0]


SCAN_DAYS = 7  # a period shorter than this is read from its folders, not asked of the index
STEP_LOCK = "steps.lock"  # in the state folder: a record's step checked and written alone
AMBIGUOUS_SHOWN = 10  # the ids an ambiguous prefix names; past ten times that, it stops looking
ID_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _check_text(value: Mapping) -> None:
    """Refuse text no record may hold, each field named as the command gives it (the CLI
    names `summary` by `--摘要`, `resident.name` by `--姓名`; a place inside a list,
    `notes[0]`, keeps its index)."""
    found = list(text_findings(value, ""))
    if found:
        raise InputError(lambda name: t("; ").join(
            say(name(place) if "[" not in place else name(top) + place[len(top):])
            for place, say, _ in found for top in (place.split(".")[0].split("[")[0],)))


def _nameable(at: datetime) -> datetime:
    """Ids count milliseconds from 1970: an earlier --at would give an id that is no id."""
    if at < ID_EPOCH:
        raise InputError(lambda name: t("{at} is before 1970: nothing can be recorded that early "
                                        "(check {name})", at=at.isoformat(timespec="minutes"),
                                        name=name("at")))
    return at


def _day_of(path: Path) -> date:
    return date(int(path.parent.parent.parent.name), int(path.parent.parent.name),
                int(path.parent.name))


def _said_unusable(index, exc, disk: bool, reason: str) -> None:
    """The record index could not answer (a full disk, a read-only folder, another account's
    file, damage it could not recover from): said in one line, the answer read from the
    files instead. A desk on a full disk could not see its open repairs or callbacks due,
    every listing stopping with exit 3, though every file could be read."""
    from dutyctl import notices

    advice = (t("the disk failed, not the index: free some space or mend the disk")
              if disk else t("deleting it, or making its folder writable, lets a command "
                             "build it again"))
    notices.warn(t("{path}: the record index cannot be used: {reason} ({advice}); the answer "
                   "is read from the files, which takes longer", path=index.path, reason=reason,
                   advice=advice))
