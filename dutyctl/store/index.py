"""The record index: one SQLite file in the git-ignored state folder that answers every
question about more than one record (what is open, callbacks, pending handovers, `list`,
`search`, what a report carries over) at the cost of the answer, not of the history.

The YAML files stay the only truth. The index is brought up to date from them before each
question, at a cost that follows what changed:
- one stat per day folder of the newest two months, and of an older month whose folder or
  year folder changed (Store.day_stamps): adding, replacing or deleting a file (a dutyctl
  write, another desk's write, `git pull`, an editor that saves through a new file) changes
  its day folder's mtime; a day folder added or removed changes its month's; every file
  dutyctl writes sets its month's and year's mtimes to now. A folder changed less than
  `yamlcache.RACY_SECONDS` ago (`yamlcache.just_changed`) is checked again next time,
  because a file could still land in it within the same clock tick.
- git changes only day folders: a commit since the last look (a pull, a hand edit saved in
  place and committed) marks the folders it changed, even when a folder's own mtime did not
  move; when git's own index file changed without a commit (a file checked out or staged, a
  reset), every month is looked into.
- in a changed folder, and in every folder of the newest EDITED_DAYS days, one stat per file
  (mtime and size): only the records whose files were added, removed or changed are read
  again. A record saved over in place keeps its folder's mtime: in those days it is read
  again at the next command.
What none of these see is a file edited in place or copied by hand into a day folder older
than that (by neither dutyctl nor git): it is read once git has it committed (staged alone,
its folder's stamp has not moved, and no commit names it yet).
A missing, unreadable or older-version index is rebuilt from scratch (with a progress bar on
a terminal); nothing is lost, since everything in it comes from the files.

Concurrent desks on one machine: WAL mode lets readers run during a write; a process that
has changes to apply takes the index lock, so two never build the same thing twice, and each
batch of folders is one transaction, so a killed build leaves a consistent index that the
next command continues.

Search: every text of a record (history included, phones excepted) is folded (NFKC,
casefold) and indexed as the sequence of its character pairs, each pair one FTS5 token. A
query word of two or more characters is the phrase of its pairs: the exact substring match
of the file scan, Chinese included (漏水 inside 卫生间漏水严重), with no word splitting. A
one-character word is a prefix query on the pairs it starts. The ids behind display names
(category, emergency type, departments) are tokens too, so one MATCH answers a word. Row
numbers follow the records' creation (see _numbers), so "the newest 50 matches" walks the
matches down from the top and stops: it costs the answer, not how common the word is.
"""

from __future__ import annotations

import json
import json.scanner
import os
import re
import sqlite3
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterable, Sequence

from dutyctl.caches import process_cache
from dutyctl.errors import EnvironmentFailure, Problem, listed_name, text_name, undecodable_name
from dutyctl.messages import t
from dutyctl.records import VOIDED, Event, Record, ScanResult, creation_order
from dutyctl.store import ids
from dutyctl.yamlcache import just_changed

INDEX_FILE = "index.sqlite3"
LOCK_FILE = "index.lock"
#: the index file's name and its journals' (SQLite's write-ahead log and shared memory, and
#: the rollback journal it would make before switching to the write-ahead log)
JOURNALS = ("", "-wal", "-shm", "-journal")
VERSION = "21"  # bump when what is stored, how a status is derived, or the indexes change
SLOTS = 1024  # row numbers per millisecond of creation (see _numbers)
FEW_DAYS = 92  # a listing of a kind over this many days at most is walked by the days' index
# the newest days whose files are each stamped at every look: a record edited in place there
# (an editor that saves over the file leaves its folder's mtime) is read again at once
EDITED_DAYS = 3
GIT_INDEX = "git index"  # the key of git's index file's stamp among the folder stamps
BATCH_DAYS = 31  # folders per transaction: a killed build keeps what it finished
FRESH_SECONDS = 1.0  # a command's questions in a row; a prompt in between reads again
PROGRESS_MIN_DAYS = 60  # smaller catch-ups go without a progress bar
PAGE_SIZE = 8192  # bytes, for a new index file
BUILD_CACHE_KB = 65_536  # SQLite's page cache during a build (its default is 2 MB)
START, END = "\x02", "\x03"  # around each text, so every character starts a pair
NAME_ROW = "/"  # the rid of a problem row for a file name that is no text: never a file's stem


def _racy(now: int, stamp: int) -> bool:
    """A folder's stamp (ns) that may still change within its tick, fine clock or coarse
    (yamlcache.just_changed)."""
    return just_changed(stamp, now, None)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS days(day TEXT PRIMARY KEY, stamp INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS files(day TEXT NOT NULL, name TEXT NOT NULL, mtime INTEGER,
                                 size INTEGER, PRIMARY KEY(day, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records(
    n INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, day TEXT NOT NULL, kind TEXT NOT NULL,
    created REAL NOT NULL, status TEXT, open INTEGER NOT NULL, closed_at REAL, room TEXT,
    category TEXT, assignee TEXT, doc TEXT NOT NULL, phone_key TEXT, last_step REAL NOT NULL,
    home TEXT);
CREATE INDEX IF NOT EXISTS records_day ON records(day);
CREATE INDEX IF NOT EXISTS records_kind ON records(kind, created);
CREATE INDEX IF NOT EXISTS records_open ON records(open, kind) WHERE open;
CREATE INDEX IF NOT EXISTS records_closed ON records(closed_at);
-- a room's (unit's) people and what was filed there by a moment, without reading a row
CREATE INDEX IF NOT EXISTS records_room ON records(room, phone_key, created);
-- the people the records name: a phone and the resident's own room (`home`; an emergency a
-- resident reported is `room`-ed at its place, its reporter lives at `home`)
CREATE INDEX IF NOT EXISTS records_phone ON records(phone_key, home)
    WHERE phone_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_home ON records(home, phone_key, created);
CREATE INDEX IF NOT EXISTS records_category ON records(category);
CREATE INDEX IF NOT EXISTS records_assignee ON records(assignee);
CREATE INDEX IF NOT EXISTS records_created ON records(created);
-- as of a moment, a record with no step after it stood as its columns say (see listing)
CREATE INDEX IF NOT EXISTS records_last_step ON records(last_step);
-- the files (and "folders") that cannot be read, never what is wrong with them: that is said
-- in the language of the command showing it (see _problems). rid '' for a day "folder" that is
-- not one, NAME_ROW for a file whose name is no text: rows of the folder's listing. path: the
-- path as listed, made text by errors.text_name (listed_name gives it back), never as a
-- problem shows it (safetext escapes more, and listed_name cannot undo that)
CREATE TABLE IF NOT EXISTS problems(day TEXT NOT NULL, rid TEXT NOT NULL, path TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS problems_day ON problems(day, rid);
CREATE VIRTUAL TABLE IF NOT EXISTS texts USING fts5(pairs, tokenize='unicode61');
"""
# _overlay: the records of files the index lacks, shown in place of what it stored for them;
# (day, '') in `hidden` hides that day's listing rows too, which the overlay read again
OVERLAY_MAX = 200  # records read into an overlay at most; more: the index is brought up to date
OVERLAY = f"""
PRAGMA temp_store = MEMORY;
CREATE TEMP TABLE hidden(day TEXT NOT NULL, rid TEXT NOT NULL, PRIMARY KEY(day, rid));
CREATE TEMP TABLE fresh_records AS SELECT * FROM main.records WHERE 0;
CREATE TEMP TABLE fresh_problems AS SELECT * FROM main.problems WHERE 0;
CREATE TEMP VIEW records AS
    SELECT * FROM main.records WHERE id NOT IN (SELECT rid FROM temp.hidden)
    UNION ALL SELECT * FROM temp.fresh_records;
CREATE TEMP VIEW problems AS
    SELECT * FROM main.problems
    WHERE NOT EXISTS (SELECT 1 FROM temp.hidden WHERE hidden.day = problems.day
                      AND (hidden.rid = problems.rid
                           OR (hidden.rid = '' AND problems.rid IN ('', '{NAME_ROW}'))))
    UNION ALL SELECT * FROM temp.fresh_problems;
"""
DROP_OVERLAY = """
DROP VIEW temp.records; DROP VIEW temp.problems;
DROP TABLE temp.hidden; DROP TABLE temp.fresh_records; DROP TABLE temp.fresh_problems;
"""
RECORD_INDEXES = re.findall(r"CREATE INDEX IF NOT EXISTS (records_\w+)", SCHEMA)


# -- what is stored per record ------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """JSON-able copy of loaded YAML (a hand-written unquoted date becomes its ISO text)."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _doc(record: Record) -> str:
    # the read-only mappings copied here: json's C encoder takes a dict as is, where each
    # mapping proxy would cost a call of the default hook
    document = [record.id, record.kind, record.created_at.isoformat(), record.recorded_by,
                dict(record.fields), record.schema, record.path, record.line,
                dict(record.field_lines),
                [[event.id, event.at.isoformat(), event.by, event.action, event.note,
                  dict(event.data), event.path, event.line] for event in record.events]]
    try:  # loaded YAML is dicts and lists with string keys: json's C encoder takes it as is
        return _ENCODER.encode(document)
    except (TypeError, ValueError):  # a key that is no text (a hand-written date, a number)
        return json.dumps(_plain(document), ensure_ascii=False)


def _json_value(value: Any) -> Any:
    if isinstance(value, MappingProxyType):
        return dict(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


# the YAML readers refuse an alias that contains itself: no cycle to look for
# json.loads without its checks around the document (the index writes each one whole): a
# report reads thousands
_decode = json.scanner.make_scanner(json.JSONDecoder())
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"),
                            default=_json_value)


def record_of(doc: str) -> Record:
    (record_id, kind, created, by, fields, schema, path, line, field_lines,
     events) = _decode(doc, 0)[0]
    history = tuple(Event(event_id, record_id, datetime.fromisoformat(at), actor, action, note,
                          MappingProxyType(data), event_path, event_line)
                    for event_id, at, actor, action, note, data, event_path, event_line
                    in events)
    return Record(record_id, kind, datetime.fromisoformat(created), by,
                  MappingProxyType(fields), history, schema, path, line,
                  MappingProxyType(field_lines))


class _Hex(dict):
    """character -> its code point in hex, computed once per character."""

    def __missing__(self, char: str) -> str:
        self[char] = code = f"{ord(char):x}"
        return code


_HEX = _Hex()


def pairs(text: str) -> str:
    """The FTS5 tokens of a folded text: one per pair of neighbouring characters."""
    codes = list(map(_HEX.__getitem__, START + text + END))
    return " ".join(map("g".join, zip(codes, codes[1:])))


def match_expression(term: str) -> str:
    """FTS5 query for one folded search word: the phrase of its pairs, or for a single
    character a prefix query on the pairs it starts."""
    if len(term) == 1:
        return f'"{ord(term):x}g" *'
    return '"' + " ".join(f"{ord(term[index]):x}g{ord(term[index + 1]):x}"
                          for index in range(len(term) - 1)) + '"'


def _labels(record: Record) -> list[str]:
    """The ids whose display names search also matches: category, type, departments."""
    found = [f"category:{record.kind}:{record.get('category')}"] if record.get("category") else []
    if record.get("type"):
        found.append(f"type:{record.get('type')}")
    found += [f"department:{event.data.get('to')}" for event in record.events
              if event.data.get("to")]
    return found


def label_token(label: str) -> str:
    """The FTS5 token of a label id (hex digits after an `l`: never a pair's token)."""
    return "l" + label.encode("utf-8").hex()


def _row(record: Record, day: str) -> tuple:
    from dutyctl.queries import category_of, standing
    from dutyctl.residents import person_of, place_of
    from dutyctl.records import assignee

    status, is_open, closed = standing(record)
    person = person_of(record)
    place = place_of(record, person)
    return (record.id, day, record.kind, record.created_at.timestamp(), status,
            int(is_open), closed.timestamp() if closed else None,
            _room_key(place) if place else None,
            category_of(record), assignee(record), _doc(record),
            _phone_key(person.get("phone")), last_step(record),
            _room_key(person["room"]) if person.get("room") else None)


def last_step(record: Record) -> float:
    """When the record's last step was recorded (its filing without one): as of that moment
    or later it stood as it stands now (Record.as_of keeps every event by then, set-aside
    and clashing ones too)."""
    return max((record.created_at, *(event.at for event in record.events))).timestamp()


# the same rooms and phones come back in record after record of years of history
@lru_cache(maxsize=8192)
def _room_key(place: str) -> str:
    from dutyctl.rooms import normalise

    return normalise(place)


@lru_cache(maxsize=8192)
def _phone_key(phone: str | None) -> str | None:
    from dutyctl.residents import phone_key

    return phone_key(phone)


def _search_text(record: Record) -> str:
    from dutyctl.recordtext import fold, texts_of

    # folded whole: the same as folding each text, since no character combines with "\n"
    return " ".join([pairs(fold("\n".join(texts_of(record)))),
                     *map(label_token, _labels(record))])


def _numbers(db: sqlite3.Connection, created: Sequence[float]) -> list[int]:
    """Row numbers for new records in the order of their creation: the millisecond times
    SLOTS, the next free one on a tie. A question for the newest few (search) then walks the
    full-text matches from the highest number down and stops, whatever the history holds."""
    slots = [int(moment * 1000) * SLOTS for moment in created]
    if not slots:
        return []
    high = max(slots) + len(slots)
    taken = {n for (n,) in db.execute("SELECT n FROM records WHERE n BETWEEN ? AND ?",
                                      (min(slots), high))}
    numbers = []
    for number in slots:
        while number in taken or (number > high and db.execute(
                "SELECT 1 FROM records WHERE n = ?", (number,)).fetchone()):
            number += 1
        taken.add(number)
        numbers.append(number)
    return numbers


# -- the index ----------------------------------------------------------------------------------

# a row for an id already stored is skipped here (see _store_rows)
ADD_RECORD = ("INSERT OR IGNORE INTO records (n, id, day, kind, created, status, open,"
              " closed_at, room, category, assignee, doc, phone_key, last_step, home)"
              " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
# open now: the partial index records_open is usable only beside its own condition (`open`),
# and `open = 1` lets SQLite seek (open, kind) in it; `open AND kind IN (...)` alone made it
# walk every record of the kinds through records_kind, reading each row (the whole history)
OPEN = "open AND open = 1"
# not closed at a moment (one parameter): the closed_at index finds the few records still
# open or closed since, where `closed_at IS NULL OR closed_at > ?` beside `created <= ?` made
# SQLite walk every record filed before the moment (the whole history)
NOT_CLOSED_AT = ("n IN (SELECT n FROM records WHERE closed_at IS NULL UNION ALL "
                 "SELECT n FROM records WHERE closed_at > ?)")
# a record set aside whole (records.VOIDED) answers no question: only `show` reads it, from
# its file; `+`: never the index a question is driven by
COUNTED = "+status <> ?"


class IndexBusy(Exception):
    """An impatient question met a build in progress or a big catch-up: read the files."""


class RecordIndex:
    def __init__(self, store, state_dir: Path, git_root: Path | None = None):
        self.store = store
        self.path = Path(state_dir) / INDEX_FILE
        self.lock_path = Path(state_dir) / LOCK_FILE
        self._folder = os.path.realpath(store.dir)  # the records it was built from
        self.git_root = git_root
        self._db: sqlite3.Connection | None = None
        self.progress: Callable | None = None  # (done, total, day) during a big catch-up
        # False for writing commands (clock in, log call...): never wait for another process's
        # build, nor run a big catch-up themselves; IndexBusy instead, and they read the files
        self.patient = True
        # (day, files' stamps) -> (records, problems) read again
        self._said: dict[tuple, tuple[list[Record], list[Problem]]] = {}
        # (the refresh they were taken at, {(day, ids): their files' stamps}): _known_stamps
        self._stamped: tuple[tuple | None, dict] = (None, {})
        self._complete = False  # seen finished once: it stays so
        self._recovered = False  # deleted once for damage found in a question (recover)
        self._fresh: tuple[int, float] | None = None  # (store writes, monotonic) at the refresh
        # False for a question that must not write (the caller hint): see _overlay
        self.writing = True
        self._overlaid = False  # the temporary views of _overlay are in place

    # -- opening, and starting over when the file is unusable ---------------------------------

    @property
    def exists(self) -> bool:
        """A finished index is on disk (writing commands use it only then: never a build)."""
        if self._complete:
            return True
        if not self.path.is_file():
            return False
        try:
            self._complete = self._meta("complete") == VERSION
            return self._complete
        except sqlite3.DatabaseError:
            self.close()
            return False
        finally:
            self._after_question()

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            from dutyctl.store.storage import durable, not_a_folder

            if blocking := not_a_folder(self.path):  # a file `.dutyctl` another desk committed
                raise EnvironmentFailure(t("not a folder: cannot write {name} inside it",
                                           name=self.path.name), path=blocking)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if any(os.path.islink(f"{self.path}{suffix}") for suffix in JOURNALS):
                # come through git from another desk: SQLite would write the index, residents'
                # numbers with it, where it points. The link goes, never its target.
                self._start_over()
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            try:
                # for a new file only (an existing one keeps its own): with pages of 8 kB a
                # build's inserts, full-text ones most, cost a sixth less than with 4 kB
                db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL" if durable()
                           else "PRAGMA synchronous=OFF")
                version = self._meta_of(db, "version")
                if version not in (None, VERSION):
                    raise sqlite3.DatabaseError("index of another version")
                # it keeps each record's path whole, where the next step is written: a
                # workspace moved or copied elsewhere (.dutyctl/ with it) would write there
                if version is not None and self._meta_of(db, "folder") != self._folder:
                    raise sqlite3.DatabaseError("index of another folder")
                # one another desk made (committed with `git add -f`, written by a pull) may
                # hold any rows: records no file has, texts no file says. Its seal is not
                # this desk's (made under the key no merge writes, as the caches' digests)
                desk = self._desk_seal()
                if version is not None and desk is not None and (
                        self._meta_of(db, "desk") != desk):
                    raise sqlite3.DatabaseError("index of another desk")
                if version is None:  # a new file: a write, which waits for any other writer
                    db.executescript(SCHEMA)
                    db.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (VERSION,))
                    db.execute("INSERT OR IGNORE INTO meta VALUES ('folder', ?)",
                               (self._folder,))
                    if desk is not None:
                        db.execute("INSERT OR IGNORE INTO meta VALUES ('desk', ?)", (desk,))
            except sqlite3.DatabaseError:
                db.close()
                raise
            self._db = db
        return self._db

    def _desk_seal(self) -> str | None:
        """What tells an index this desk made from one another desk did at the same path: its
        folder sealed under this desk's key (`caches.workspace_key`); None where no key can be
        kept (GIT_DIR set), where any index is taken as it is."""
        from dutyctl.caches import seal, workspace_key

        key = workspace_key(self.path.parent, create=True)
        return None if key is None else seal(key, os.fsencode(self._folder))

    @staticmethod
    def _meta_of(db: sqlite3.Connection, key: str) -> str | None:
        try:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        return row[0] if row else None

    def _meta(self, key: str) -> str | None:
        return self._meta_of(self._connect(), key)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
            self._overlaid = False  # temporary tables go with their connection

    def _start_over(self) -> None:
        """The file is not a usable index (corrupt, truncated, another version): delete it."""
        self.close()
        self._complete = False
        self._fresh = None  # what this command brought up to date went with the file
        for suffix in JOURNALS:
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass

    def recover(self, exc: sqlite3.Error) -> bool:
        """After `exc` from a question: True when the file itself is at fault (pages SQLite
        cannot read, a table of another making: damage or a file from elsewhere that the
        version and folder checks on opening did not catch) and is deleted, so that asking
        again builds it afresh, once per command (a file damaged again at once is not
        deleted again); False for a busy file, a full disk, a disk error, or an error of the
        code's own making (`no such column` with every table as SCHEMA makes it): the file
        is kept."""
        if self._recovered or not self.damaged(exc):
            return False
        self._recovered = True
        self._start_over()
        return True

    def damaged(self, exc: sqlite3.Error) -> bool:
        """Whether `exc` says the file is not an index of ours (damage, another version or
        folder, a table of another shape), rather than the disk or the code failing."""
        if not isinstance(exc, sqlite3.DatabaseError) or _busy(exc):
            return False
        if getattr(exc, "sqlite_errorname", None) in DAMAGE_CODES or any(
                words in str(exc) for words in DAMAGE_WORDS):
            return True
        if isinstance(exc, sqlite3.OperationalError) and any(
                words in str(exc) for words in SHAPE_WORDS):
            return self._foreign_shape()
        return False

    def _foreign_shape(self) -> bool:
        """A table of the file lacks one of SCHEMA's, or has other columns (the file was made
        by something else); False when it cannot be looked at, or every table is as made."""
        made = sqlite3.connect(":memory:")
        db = None
        try:
            made.executescript(SCHEMA)
            # the file as it is: _connect writes its meta row, which a foreign meta refuses
            db = sqlite3.connect(f"{Path(self.path).resolve().as_uri()}?mode=ro", uri=True)
            for (table,) in made.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "AND name NOT LIKE 'texts_%'").fetchall():
                columns = f"PRAGMA main.table_info({table})"
                if made.execute(columns).fetchall() != db.execute(columns).fetchall():
                    return True
            return False
        except sqlite3.Error:
            return False
        finally:
            made.close()
            if db is not None:
                db.close()

    def db(self, progress: Callable | None = None, *,
           full_text: bool = False) -> sqlite3.Connection:
        """The connection, brought up to date with the files first (`writing` off: the few
        files it lacks are read into a temporary overlay instead, see _overlay). `full_text`:
        the question reads the full-text table, which an overlay does not fill: the index is
        brought up to date even with `writing` off."""
        for attempt in (1, 2):
            try:
                if not self._still_fresh() or (full_text and self._overlaid):
                    db = self._connect()
                    self._drop_overlay(db)
                    changes = self._changed_days(db)
                    if self.writing or full_text or not self._overlay(db, changes[0]):
                        self.refresh(progress or self.progress, changes)
                    self._fresh = (self.store.writes, time.monotonic())
                return self._connect()
            except sqlite3.DatabaseError as exc:
                if attempt == 2 or not self.damaged(exc):  # a full disk: kept, said
                    raise
                self._start_over()
        raise AssertionError("unreachable")

    # -- bringing it up to date ----------------------------------------------------------------

    def _still_fresh(self) -> bool:
        """Refreshed by this command within the last FRESH_SECONDS and nothing written since:
        the several questions of one command (log call asks six) walk the folders once. Only
        for a store that serves one command (Store.one_command, set by the CLI)."""
        return (self.store.one_command and self._fresh is not None
                and self._fresh[0] == self.store.writes
                and time.monotonic() - self._fresh[1] < FRESH_SECONDS)

    def _overlay(self, db: sqlite3.Connection, todo: dict[str, int]) -> bool:
        """Answer without writing the index (`writing` off: the caller hint after `log call`).
        The records of the few files it lacks (this command's own, the desk's calls before it,
        another desk's) are read into temporary tables of this connection, and temporary views
        named `records` and `problems` show the index with them in place of what it stored for
        those ids: the questions on those tables read them unchanged. The full-text table has
        no rows for them: a search refreshes instead (db's `full_text`). Nothing reaches the
        index file, so closing it flushes nothing; the next command that may write takes the
        files in. False (refresh instead) for an unfinished index, more than OVERLAY_MAX
        records, or a record in two day folders (_in_two_folders): then even a question
        asked with `writing` off writes the index."""
        if self._meta_of(db, "complete") != VERSION or len(todo) > OVERLAY_MAX:
            return False  # at most one changed file a folder: a false alarm only refreshes
        if not todo:
            return True
        # (day, '') hides the index's rows of each day's listing read again (a folder that is
        # not one, names that are no text), as refresh deletes them (_read_day)
        hidden, rows, problems = [(key, "") for key in todo], [], []
        for key, stamp in todo.items():
            on_disk, changed, listed = self._day_changes(db, key, stamp)
            hidden += [(key, rid) for rid in changed]
            if len(hidden) - len(todo) > OVERLAY_MAX:  # a big pull: the index is brought up
                return False                           # to date
            if any(self._in_two_folders(db, key, rid, on_disk) for rid in changed):
                return False
            names, records, found = self._read_changed(key, on_disk, changed)
            rows += [_row(record, key) for record in records]
            problems += _problem_rows(key, found) + listed
        if len({row[0] for row in rows}) < len(rows):  # one id new in two folders
            return False
        self._show_in_overlay(db, hidden, rows, problems)
        return True

    def _show_in_overlay(self, db: sqlite3.Connection, hidden: list[tuple[str, str]],
                         rows: list[tuple], problems: list[tuple]) -> None:
        """Show `rows` and `problems` in place of what the index holds for the (day, id)
        pairs `hidden`, through the overlay's temporary tables (made on first use); what an
        overlay showed already for those ids gives way (a file fixed since, _problems)."""
        if self._overlaid:
            for day, rid in hidden:
                db.execute("DELETE FROM temp.fresh_records WHERE day = ? AND id = ?",
                           (day, rid))
                db.execute("DELETE FROM temp.fresh_problems WHERE day = ? AND rid = ?",
                           (day, rid))
        else:
            db.executescript(OVERLAY)
            self._overlaid = True
        db.executemany("INSERT OR IGNORE INTO temp.hidden VALUES (?, ?)", hidden)
        numbers = _numbers(db, [row[3] for row in rows])
        db.executemany("INSERT INTO temp.fresh_records VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       [(number, *row) for number, row in zip(numbers, rows)])
        db.executemany("INSERT INTO temp.fresh_problems VALUES (?,?,?)", problems)

    @staticmethod
    def _in_two_folders(db: sqlite3.Connection, key: str, rid: str, on_disk: dict) -> bool:
        """Whether a record changed in the day folder `key` is, or was until now, also in
        another day folder: the index holds it from another folder (a copy, a file moved to
        an earlier day), or it left this folder and another folder's copy takes the id back.
        The overlay hides records by id: only a refresh settles which folder's record keeps
        it (the later's, see _store_rows)."""
        held = db.execute("SELECT day FROM records WHERE id = ?", (rid,)).fetchone()
        if held is not None and held[0] != key:
            return True
        if held is None or f"{rid}.yaml" in on_disk:
            return False
        return db.execute("SELECT 1 FROM days WHERE day != ? AND EXISTS (SELECT 1 FROM files "
                          "WHERE files.day = days.day AND files.name = ?) LIMIT 1",
                          (key, f"{rid}.yaml")).fetchone() is not None

    def _drop_overlay(self, db: sqlite3.Connection) -> None:
        if self._overlaid:
            db.executescript(DROP_OVERLAY)
            self._overlaid = False

    def _listing_changed(self, db: sqlite3.Connection, key: str) -> bool:
        """Whether a day folder's files, or its names that are no text, differ from what the
        index stored."""
        on_disk, untext = _file_stamps(self.store.day_dir(date.fromisoformat(key)))
        stored = db.execute("SELECT day, rid, path FROM problems WHERE day = ? AND rid = ? "
                            "ORDER BY path", (key, NAME_ROW)).fetchall()
        return (bool(self._changed_files(db, key, on_disk))
                or stored != sorted(_name_rows(self.store, key, untext)))

    def _changed_files(self, db: sqlite3.Connection, key: str, on_disk: dict) -> set[str]:
        """The names of a day folder's files that differ from what the index stored (on_disk:
        the folder's _file_stamps)."""
        known = {name: (mtime, size) for name, mtime, size in
                 db.execute("SELECT name, mtime, size FROM files WHERE day = ?", (key,))}
        return {name for name in set(on_disk) | set(known)
                if on_disk.get(name) != known.get(name)}

    def _after_question(self) -> None:
        """One command keeps the connection for its next question (closing the last one
        checkpoints the WAL: milliseconds of writes, six times in a log call) and closes it at
        its end (Store.close); anyone else closes it now, so no lock outlives a question."""
        if not self.store.one_command:
            self.close()

    def refresh(self, progress: Callable | None = None, changes: tuple | None = None) -> int:
        """Read again what changed since the index last looked; the number of folders read.
        `changes`: what _changed_days just found, when the caller looked already."""
        db = self._connect()
        self._drop_overlay(db)
        todo, head, folders = changes or self._changed_days(db)
        if todo and not self.patient and len(todo) >= PROGRESS_MIN_DAYS:
            raise IndexBusy
        if todo:
            with self._locked():
                todo, head, folders = self._changed_days(db)  # another process may have done it
                self._apply(db, todo, progress)
        if head is not None:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('git_head', ?)", (head,))
        remembered = json.dumps(folders, sort_keys=True)  # once what they stand for is read
        if remembered != self._meta_of(db, "folders"):
            db.execute("INSERT OR REPLACE INTO meta VALUES ('folders', ?)", (remembered,))
        if self._meta_of(db, "complete") != VERSION:
            db.executescript(SCHEMA)  # the record indexes a build left for its end
            db.execute("INSERT OR REPLACE INTO meta VALUES ('complete', ?)", (VERSION,))
        return len(todo)

    @contextmanager
    def _locked(self):
        """The index lock, for writing the index: waited for by a patient command; an
        impatient one (`patient` off) is told IndexBusy at once when another holds it."""
        from dutyctl.store.storage import exclusive

        try:
            with exclusive(self.lock_path, wait=None if self.patient else 0):
                yield
        except EnvironmentFailure:
            if self.patient:
                raise
            raise IndexBusy from None

    def _changed_days(self, db: sqlite3.Connection) -> tuple[dict[str, int], str | None,
                                                           dict[str, Any]]:
        """({day: folder stamp to store} for every folder to read again ({day: -1}: gone),
        the git commit to remember once they are read, the year and month folder stamps to
        remember then (see Store.day_stamps)). Git changes only day folders: what the commits
        since the last look changed is read again, and when git's own index file changed
        without a commit (a checkout of files, a reset, a file staged by hand) every month
        is looked into."""
        now = time.time_ns()
        git_index = self._git_index_stamp(now)  # before the look: a later change is seen next
        seen = json.loads(self._meta_of(db, "folders") or "{}")
        head, changed, own = self._git_changed_days(db)
        moved = git_index == [0] or seen.get(GIT_INDEX) != git_index
        if changed is None or (moved and not _own_index_changes(seen.get(GIT_INDEX), own,
                                                                git_index)):
            seen = {}  # git's state not plainly known, or files changed without a commit
        looked = self.store.day_stamps(seen)
        known = self._stored_days(db, looked, seen)
        todo: dict[str, int] = {}
        for key, stamp in looked.days:
            if _racy(now, stamp):
                stamp = 0  # read now, and again next time
            # still racy, as it was at the last look: read again only if a file changed (a
            # write for nothing would cost the command a WAL flush when it closes the index)
            if known.pop(key, None) != stamp or (stamp == 0 and self._listing_changed(db, key)):
                todo[key] = stamp
        todo.update((key, -1) for key in known)
        stamps = dict(looked.days)
        todo.update((key, stamps[key]) for key in self._edited_in_place(db, looked.days, todo))
        for key in changed or ():
            stored = db.execute("SELECT stamp FROM days WHERE day = ?", (key,)).fetchone()
            if stored:
                todo.setdefault(key, stored[0])
        folders: dict[str, Any] = {key: 0 if _racy(now, stamp) else stamp
                                   for key, stamp in looked.folders.items()}
        folders[GIT_INDEX] = git_index
        return todo, head, folders

    def _edited_in_place(self, db: sqlite3.Connection, days: list[tuple[str, int]],
                         todo: dict[str, int]) -> list[str]:
        """The folders of the newest EDITED_DAYS not read again already whose files differ
        from what the index stored: a record saved over in place (Notepad keeps the file; its
        folder's mtime stays) changes what every command shows before any commit."""
        if not days:
            return []
        newest = date.fromisoformat(max(key for key, _ in days))
        since = (newest - timedelta(days=EDITED_DAYS - 1)).isoformat()
        return [key for key, _ in days if key >= since and key not in todo
                and self._edited_files(db, key)]

    def _edited_files(self, db: sqlite3.Connection, key: str) -> set[str]:
        """The files of a day folder that differ from what the index stored but those of
        records it holds as unreadable: `_problems` reads those again at every question and
        takes one fixed in place in without a refresh."""
        changed = self._changed_files(
            db, key, _file_stamps(self.store.day_dir(date.fromisoformat(key)))[0])
        if not changed:
            return changed
        unreadable = {rid for (rid,) in db.execute(
            "SELECT DISTINCT rid FROM problems WHERE day = ?", (key,))}
        return {name for name in changed if ids.record_of(name) not in unreadable}

    @staticmethod
    def _stored_days(db: sqlite3.Connection, looked, seen: dict) -> dict[str, int]:
        """{day: stamp} the index stored for the months looked into, and for the months seen
        at the last look that are gone now (every day, when `seen` is empty): what a look of
        the newest months compares with, read by ranges of the primary key."""
        if not seen:
            return dict(db.execute("SELECT day, stamp FROM days"))
        gone = {key for key in seen if len(key) == 7} - looked.skipped - looked.looked
        known: dict[str, int] = {}
        for month in sorted(looked.looked | gone):
            known.update(db.execute("SELECT day, stamp FROM days WHERE day BETWEEN ? AND ?",
                                    (f"{month}-00", f"{month}-99")))
        return known

    def _git_index_stamp(self, now: int) -> list[int] | None:
        """githead.index_stamp of the repository: None without git, [] without the file (or
        git's folder not plainly known), [0] when it changed just now (_racy: it may change
        again within its tick: every month is looked into until it has settled)."""
        from dutyctl.store import githead

        if self.git_root is None:
            return None
        stamp = githead.index_stamp(self.git_root)
        if stamp is None:
            return []
        return [0] if _racy(now, stamp[0]) else stamp

    def _git_changed_days(self, db: sqlite3.Connection) -> tuple[str | None, set[str] | None,
                                                                  list[tuple[list[int], ...]]]:
        """(HEAD to remember if it moved, the day folders holding files the commits since the
        last look changed (an edit made in place keeps its folder's mtime; git still knows),
        git's index file's stamps around this desk's own commits since (githead.added_only)).
        The folders are None when git cannot tell (no HEAD to read, a failed `git diff`):
        every month is looked into, and HEAD is not remembered, so git is asked again."""
        from dutyctl.store import githead

        if self.git_root is None:
            return None, set(), []  # no repository: nothing but dutyctl changes the folders
        head = githead.head(self.git_root)
        seen = self._meta_of(db, "git_head")
        if head is None:
            return None, None, []
        if head == seen:
            return None, set(), []
        if seen is None:
            return head, set(), []  # a first look reads every month anyway
        own = githead.added_only(self.path.parent, seen, head)
        if own is not None:
            return head, set(), own  # only new files since: their folders' stamps tell
        key = (self.git_root, seen, head, self.store.dir)
        changed = _CHANGED_BETWEEN.get(key)  # a command looks twice (before and under the lock)
        if changed is None:
            changed = _git_changed_paths(*key)
            if changed is not None:
                if len(_CHANGED_BETWEEN) >= 64:
                    _CHANGED_BETWEEN.clear()
                _CHANGED_BETWEEN[key] = changed
        if changed is None:
            return None, None, []
        return head, days_of_paths(changed), []

    def _apply(self, db: sqlite3.Connection, todo: dict[str, int],
               progress: Callable | None) -> None:
        days = sorted(todo)
        show = progress if progress and len(days) >= PROGRESS_MIN_DAYS else None
        known = {day for (day,) in db.execute("SELECT day FROM days")}.intersection(days)
        # a folder the index has never seen is read whole, in worker processes when there are
        # many (a build from scratch); the others are compared file by file
        new = [key for key in days if key not in known and todo[key] != -1]
        if len(new) >= PROGRESS_MIN_DAYS:  # a build: its pages stay in memory till written
            db.execute(f"PRAGMA cache_size = -{BUILD_CACHE_KB}")
            if self._meta_of(db, "complete") != VERSION:
                # nobody asks an unfinished index: its record indexes are made at the end,
                # in one sort each, not updated row by row (half the build's own CPU)
                for name in RECORD_INDEXES:
                    db.execute(f"DROP INDEX IF EXISTS {name}")
        read = _read_new_days(self.store, new)
        try:
            for start in range(0, len(days), BATCH_DAYS):
                batch = days[start:start + BATCH_DAYS]
                with _transaction(db):
                    for key in batch:
                        if key in known or todo[key] == -1:
                            self._read_day(db, key, todo[key])
                        else:
                            self._add_day(db, key, todo[key], *next(read))
                if show:
                    show(start + len(batch), len(days), batch[-1])
        finally:
            read.close()

    def _add_day(self, db: sqlite3.Connection, key: str, stamp: int, read_key: str,
                 on_disk: dict, rows: list[tuple], problems: list[tuple]) -> None:
        """Store a folder the index did not know, read by _day_rows: a few executemany."""
        assert read_key == key, (read_key, key)
        db.execute("DELETE FROM problems WHERE day = ?", (key,))
        db.execute("INSERT OR REPLACE INTO days VALUES (?, ?)", (key, stamp))
        _store_rows(db, key, rows)
        db.executemany("INSERT INTO problems VALUES (?,?,?)", problems)
        db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?)",
                       [(key, name, *stamps) for name, stamps in on_disk.items()])

    def _read_day(self, db: sqlite3.Connection, key: str, stamp: int) -> None:
        on_disk, changed, listed = self._day_changes(db, key, stamp)
        db.execute("DELETE FROM problems WHERE day = ? AND rid IN ('', ?)", (key, NAME_ROW))
        db.executemany("INSERT INTO problems VALUES (?, ?, ?)", listed)
        if stamp == -1:
            db.execute("DELETE FROM days WHERE day = ?", (key,))
        else:
            db.execute("INSERT OR REPLACE INTO days VALUES (?, ?)", (key, stamp))
        if changed:
            self._read_records(db, key, changed, on_disk)

    def _day_changes(self, db: sqlite3.Connection, key: str,
                     stamp: int) -> tuple[dict[str, tuple[int, int]], list[str], list[tuple]]:
        """What reading a day folder again (stamp -1: gone) finds, for refresh and overlay
        alike: its files' stamps, the ids whose files differ from what the index stored, and
        the problem rows of its listing (a "folder" that is not one, names that are no text)."""
        folder = self.store.day_dir(date.fromisoformat(key))
        on_disk, untext = _file_stamps(folder) if stamp != -1 else ({}, [])
        changed = sorted({ids.record_of(name)
                          for name in self._changed_files(db, key, on_disk)})
        if stamp == -1 or folder.is_dir():
            return on_disk, changed, _name_rows(self.store, key, untext)
        return on_disk, changed, [_not_a_folder(self.store, key)]

    def _read_changed(self, key: str, on_disk: dict[str, tuple[int, int]],
                      changed: list[str]) -> tuple[list[str], list[Record], list[Problem]]:
        """The files of the changed ids still in the folder, their records, and the problems
        of those that cannot be read."""
        wanted = set(changed)
        names = [name for name in on_disk if ids.record_of(name) in wanted]
        problems: list[Problem] = []
        records = (self.store.read_files(date.fromisoformat(key), names, problems)
                   if names else [])
        return names, records, problems

    def _read_records(self, db: sqlite3.Connection, key: str, changed: list[str],
                      on_disk: dict[str, tuple[int, int]], read: tuple | None = None) -> None:
        """Store the changed ids' records as their files are now. `read`: _read_changed's
        answer when the caller has read those files already (_problems)."""
        for rid in changed:
            old = db.execute("SELECT n FROM records WHERE id = ? AND day = ?",
                             (rid, key)).fetchone()
            if old:
                db.execute("DELETE FROM texts WHERE rowid = ?", old)
                db.execute("DELETE FROM records WHERE n = ?", old)
            db.execute("DELETE FROM problems WHERE day = ? AND rid = ?", (key, rid))
            db.execute("DELETE FROM files WHERE day = ? AND (name = ? OR name LIKE ?)",
                       (key, rid, rid + ".%"))
        names, records, problems = read or self._read_changed(key, on_disk, changed)
        _store_rows(db, key, [(_row(record, key), _search_text(record)) for record in records])
        db.executemany("INSERT INTO problems VALUES (?,?,?)", _problem_rows(key, problems))
        db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?)",
                       [(key, name, *on_disk[name]) for name in names])
        self._take_back_from_other_folders(db, key, changed)

    def _take_back_from_other_folders(self, db: sqlite3.Connection, key: str,
                                      changed: list[str]) -> None:
        """An id this folder no longer holds, still in another folder (a file moved to an
        earlier day, or the later of two copies deleted): that folder's record is the id's
        now. Its file was seen, but the row it gave way to is gone, so it is read again.
        One look through `files` for all of them (it has no index by name)."""
        gone = {rid for rid in changed
                if not db.execute("SELECT 1 FROM records WHERE id = ?", (rid,)).fetchone()}
        if not gone:
            return
        elsewhere: dict[str, list[str]] = {}
        for day, name in db.execute("SELECT day, name FROM files WHERE day != ? ORDER BY day",
                                    (key,)):
            if ids.record_of(name) in gone:
                elsewhere.setdefault(day, []).append(name)
        for day, names in elsewhere.items():  # earlier first: the later folder wins
            problems: list[Problem] = []
            records = self.store.read_files(date.fromisoformat(day), names, problems)
            _store_rows(db, day, [(_row(record, day), _search_text(record))
                                  for record in records])
            db.execute("DELETE FROM problems WHERE day = ? AND rid IN (%s)"
                       % ",".join("?" * len(gone)), (day, *gone))
            db.executemany("INSERT INTO problems VALUES (?,?,?)", _problem_rows(day, problems))

    # -- questions ------------------------------------------------------------------------------

    def query(self, where: str = "1", params: Sequence = (), *, newest: int | None = None,
              since: date | None = None, until: date | None = None,
              count: bool = False, days_lead: bool = True,
              full_text: bool = False) -> ScanResult:
        """Records matching an SQL condition on the records table, limited to days
        since..until, oldest first (`newest`: only that many of the newest, newest first),
        with the unreadable files of those days. Sorted here, not by SQLite: its sorter would
        carry every record's document. `count`: also how many matched in all (a COUNT on the
        indexes, no document read), as the result's `total`. days_lead=False: the day range
        only filters what `where`'s own index finds (`until` alone spans the whole history).
        full_text: `where` reads the full-text table (see db)."""
        db = self.db(full_text=full_text)
        days, day_params = _day_range(since, until, "day" if days_lead else "+day")
        where, params = f"({where}) AND {days} AND {COUNTED}", (*params, *day_params, VOIDED)
        try:
            problems = self._problems(db, since, until)  # first: it takes in files fixed since
            if newest is None:
                records = [record_of(doc) for (doc,) in db.execute(
                    f"SELECT doc FROM records WHERE {where}", params)]
                records.sort(key=creation_order)
            else:
                records = self._newest(db, where, params, newest)
            total = None
            if count:
                total, = db.execute(f"SELECT COUNT(*) FROM records WHERE {where}",
                                    params).fetchone()
            return ScanResult(records, problems, total)
        finally:
            self._after_question()

    @staticmethod
    def _newest(db: sqlite3.Connection, where: str, params: Sequence,
                newest: int) -> list[Record]:
        """The `newest` records matching `where`, newest first in creation_order. The numbers
        follow creation, so no document is sorted; but records of one second are numbered as
        the index met them (which differs between desks). One more row than asked says
        whether the cut falls inside a second: then every record of that second is read
        and their ids decide which stay (the rare case: no second look otherwise)."""
        rows = sorted(db.execute(
            f"SELECT n, created, doc FROM records WHERE n IN (SELECT n FROM records WHERE "
            f"{where} ORDER BY n DESC LIMIT {int(newest) + 1})", params), reverse=True)
        kept, beyond = rows[:newest], rows[newest:]
        found = {record.id: record for record in (record_of(doc) for _, _, doc in kept)}
        if kept and beyond and beyond[0][1] == kept[-1][1]:
            for (doc,) in db.execute(f"SELECT doc FROM records WHERE {where} AND created = ?",
                                     (*params, kept[-1][1])):
                record = record_of(doc)
                found[record.id] = record
        return sorted(found.values(), key=creation_order, reverse=True)[:newest]

    def problems(self, since: date | None = None, until: date | None = None) -> list[Problem]:
        """The unreadable files in the day folders since..until."""
        try:
            return self._problems(self.db(), since, until)
        finally:
            self._after_question()

    def _problems(self, db: sqlite3.Connection, since: date | None,
                  until: date | None) -> list[Problem]:
        """What is wrong with each unreadable file of the days since..until, said in this
        command's language: the index keeps which files they are, never the words (desks in
        other languages read the same index), so those files, few and read with bounds, are
        read again here, each record's files together (an event file alone would read as an
        event of a record that does not exist). A file fixed since, in place (no folder's
        stamp moved: nothing else tells the index), reads cleanly now: its record is taken
        in and its rows dropped (_take_in), so the question asked next sees it. Called before
        a question's records are read."""
        from dutyctl.messages import t
        from dutyctl.store.yamlio import name_not_text

        days, params = _day_range(since, until)
        unreadable: dict[str, dict[str, set[str]]] = {}  # day -> rid -> stored paths
        found: list[Problem] = []
        for day, rid, path in db.execute(
                f"SELECT DISTINCT day, rid, path FROM problems WHERE {days} ORDER BY day, path",
                params):
            if rid == NAME_ROW:  # said as the store says it; only a new listing changes it
                found.append(name_not_text(listed_name(path)))
            elif rid:
                unreadable.setdefault(day, {}).setdefault(rid, set()).add(path)
            else:
                found.append(Problem(listed_name(path), None,
                                     t("not a folder: records/ keeps YYYY/MM/DD folders here")))
        fixed: dict[str, tuple] = {}  # day -> (ids, their files' stamps, what they read as)
        for day, stored in unreadable.items():
            on_disk, records, now = self._read_again(db, day, stored)
            paths: dict[str, set[str]] = {}
            for problem in now:
                paths.setdefault(_rid(problem), set()).add(text_name(problem.listed))
            changed = [rid for rid in stored if paths.get(rid, set()) != stored[rid]]
            if changed:
                fixed[day] = (changed, on_disk, _read_of(changed, on_disk, records, now))
            found += now
        left = self._take_in(db, fixed) if fixed else {}
        if left:
            self._overlay_fixed(db, left)
        return sorted(found, key=lambda problem: problem.path)  # stable: a file's in order

    def _read_again(self, db: sqlite3.Connection, day: str, stored: dict[str, set[str]]
                    ) -> tuple[dict[str, tuple[int, int]], list[Record], list[Problem]]:
        """These records' files in a day folder (their stamps), read together: the records
        and the problems they give; remembered for the files as they are now (a command asks
        several questions: log call four)."""
        on_disk = self._known_stamps(db, day, stored)
        key = (day, tuple(sorted(on_disk.items())))
        if key not in self._said:
            problems: list[Problem] = []
            records = self.store.read_files(date.fromisoformat(day), list(on_disk), problems)
            self._said[key] = (records, problems)
        return (on_disk, *self._said[key])

    def _known_stamps(self, db: sqlite3.Connection, day: str,
                      stored: dict[str, set[str]]) -> dict[str, tuple[int, int]]:
        """_file_stamps of the records' files the index knows in a day folder (its `files`
        rows, their problem rows' paths), each stat'ed by name: no listing of the folder, as
        a file added or removed moves the folder's stamp, which the refresh sees. Taken once
        per refresh: a command's questions in a row reuse them (see _still_fresh)."""
        if self._fresh is None or self._stamped[0] != self._fresh:
            self._stamped = (self._fresh, {})
        key = (day, tuple(sorted(stored)))
        if key not in self._stamped[1]:
            names = {os.path.basename(listed_name(path)) for paths in stored.values()
                     for path in paths}
            names.update(name for (name,) in db.execute(
                "SELECT name FROM files WHERE day = ?", (day,)) if ids.record_of(name) in stored)
            self._stamped[1][key] = self._stamps_now(day, sorted(names))
        return self._stamped[1][key]

    def _take_in(self, db: sqlite3.Connection, fixed: dict[str, tuple]) -> dict[str, tuple]:
        """Store the records whose unreadable files changed unseen (fixed in place), as
        _problems read them: their rows, problem rows and file stamps. Only when the index
        may be written (never under an overlay, nor for the hint: `writing` off), under the
        index lock, not waited for by an impatient command. The files were read before the
        lock was taken: a day whose files changed again since (another process may have
        read and stored the newer version, or will) is left as it is, so an older version is
        never stored over a newer one. Returns the days not stored, for the overlay: this
        command still shows what it read."""
        if not self.writing or self._overlaid:
            return fixed
        left = {}
        try:
            with self._locked(), _transaction(db):
                for day, (rids, on_disk, read) in fixed.items():
                    if self._stamps_now(day, on_disk) == on_disk:
                        self._read_records(db, day, rids, on_disk, read)
                    else:
                        left[day] = fixed[day]
        except IndexBusy:
            return fixed
        return left

    def _stamps_now(self, day: str, names) -> dict[str, tuple[int, int]]:
        """_file_stamps of these files of a day folder as they are now, each stat'ed by name
        (a gone file left out): no cache (_known_stamps keeps those of the refresh)."""
        folder = self.store.day_dir(date.fromisoformat(day))
        now = {}
        for name in names:
            try:
                stat = os.lstat(folder / name)  # as _file_stamps: a link's own
            except OSError:
                continue
            now[name] = (stat.st_mtime_ns, stat.st_size)
        return now

    def _overlay_fixed(self, db: sqlite3.Connection, fixed: dict[str, tuple]) -> None:
        """What _take_in stores, shown through the overlay instead (_show_in_overlay). No
        OVERLAY_MAX here: the files were read already (_problems), and a refresh is no way
        out (this question may not write, or another process holds the lock). For the same
        reason a record the index holds from another folder is left as the index has it,
        where _overlay refreshes: only a refresh settles which folder keeps it."""
        hidden, rows, problems = [], [], []
        for day, (rids, on_disk, (_, records, found)) in fixed.items():
            kept = {rid for rid in rids if not self._in_two_folders(db, day, rid, on_disk)}
            hidden += [(day, rid) for rid in rids if rid in kept]
            rows += [_row(record, day) for record in records if ids.record_of(record.path) in kept]
            problems += _problem_rows(day, [problem for problem in found
                                            if _rid(problem) in kept])
        self._show_in_overlay(db, hidden, rows, problems)

    def people(self, where: str | None = None, params: Sequence = (), *,
               skip: frozenset = frozenset(), newest: int | None = None) -> ScanResult:
        """The newest record of each (phone_key, room) among the records naming a phone that
        match `where` (None: all of them), pairs in `skip` left out: the people the records
        know (the residents register adds its own entries to them). `newest`: only the that
        many most recently seen, newest first; `total` is how many there are. The pairs come
        newest first from the (room, phone_key) or (phone_key, room) index, and documents are
        read for the chosen only: a unit's register costs its answer, not years of callers."""
        db = self.db()
        try:
            problems = self._problems(db, None, None)  # first: it takes in files fixed since
            pairs = db.execute("SELECT n, phone_key, home FROM records WHERE phone_key IS NOT "
                               f"NULL AND ({where or 1}) AND {COUNTED} ORDER BY n DESC",
                               (*params, VOIDED))
            chosen: dict[tuple, int] = {}
            counted: set[tuple] = set()
            for number, *pair in pairs:
                pair = tuple(pair)
                if pair in skip or pair in counted:
                    continue
                counted.add(pair)
                if newest is None or len(chosen) < newest:
                    chosen[pair] = number
                elif where is None:  # the whole site: its pairs are counted on the index
                    break
            pairs.close()
            total = len(counted)
            if where is None and newest is not None and total > newest:
                total = self._people_count(db, skip)
            numbers = list(chosen.values())
            records = [record_of(doc) for (doc,) in db.execute(
                f"SELECT doc FROM records WHERE n IN ({','.join('?' * len(numbers))})"
                " ORDER BY n DESC", numbers)]
            return ScanResult(records, problems, total)
        finally:
            self._after_question()

    @staticmethod
    def _people_count(db: sqlite3.Connection, skip: frozenset) -> int:
        """How many (phone_key, room) pairs the records name, `skip` left out: a count on the
        (phone_key, room) index, no document read."""
        (total,) = db.execute("SELECT COUNT(*) FROM (SELECT DISTINCT phone_key, home FROM "
                              "records WHERE phone_key IS NOT NULL)").fetchone()
        keys = sorted({key for key, _ in skip})
        if keys:
            named = db.execute("SELECT DISTINCT phone_key, home FROM records WHERE phone_key "
                               f"IN ({','.join('?' * len(keys))})", keys)
            total -= sum(1 for pair in named if pair in skip)
        return total

    def open_records(self, kinds: Iterable[str] | None = None,
                     until: date | None = None) -> ScanResult:
        """Records not closed yet, from any day (up to `until`)."""
        where, params = OPEN, []
        if kinds is not None:
            kinds = tuple(kinds)
            where += f" AND kind IN ({','.join('?' * len(kinds))})"
            params += kinds
        return self.query(where, params, until=until)

    def open_at(self, kinds: Iterable[str], moment: datetime) -> ScanResult:
        """Records filed by `moment` that were not closed at it (closed later, or never)."""
        kinds = tuple(kinds)
        return self.query(f"+kind IN ({','.join('?' * len(kinds))}) AND +created <= ? AND "
                          + NOT_CLOSED_AT, (*kinds, moment.timestamp(), moment.timestamp()))

    def period(self, first: date, last: date, start: datetime) -> ScanResult:
        """What a report on the days first..last reads: the records filed in them, and those
        filed before that were still open at `start` (not closed yet, or closed since). Each
        part is found by its own index, so the cost follows the period: `day >= first OR
        closed_at ...` made SQLite walk every day up to `last` and read each record's row."""
        return self.query("n IN (SELECT n FROM records WHERE day BETWEEN ? AND ? UNION ALL "
                          "SELECT n FROM records WHERE closed_at IS NULL UNION ALL "
                          "SELECT n FROM records WHERE closed_at > ?)",
                          (first.isoformat(), last.isoformat(), start.timestamp()),
                          until=last, days_lead=False)

    def listing(self, *, kinds: Sequence[str] | None = None, since: date | None = None,
                until: date | None = None,
                status: "str | Sequence[tuple[str, str]] | None" = None, room: str | None = None, category: str | None = None, open_only: bool = False,
                assigned: str | None = None, as_of: datetime | None = None,
                settled: bool | None = None, newest: int | None = None) -> ScanResult:
        """What `list` shows: every filter a condition on an indexed column; `status` one
        status, or (kind, status) pairs (`queries.StatusPairs`: 待回访). `as_of`: only
        records filed by then, and open_only means not closed at that moment (closed_at is
        when a record last became closed: one closed then and reopened since is a candidate
        too, which the caller's exact test on the record as it stood sorts out). `settled`
        (with `as_of`): True, only the records with no step after `as_of`, which stood then
        as they stand now (status, assignee, openness, room: every filter a column); False,
        only those with one, every filter but `as_of`'s left to that exact test (open_only:
        not closed then). `newest`: only that many of the newest, newest first, with `total`
        how many matched."""
        conditions, params = ["1"], []
        if settled is not None:
            # the few with a step since: by the last_step index; the others are most of the
            # history, which the question's own index (or the newest first) walks
            conditions.append("+last_step <= ?" if settled else "last_step > ?")
            params.append(as_of.timestamp())
            if not settled:
                status = assigned = None
        if status is not None and not isinstance(status, str):
            conditions.append("(" + " OR ".join(["(kind = ? AND status = ?)"] * len(status))
                              + ")")
            params += [value for pair in status for value in pair]
            status = None
        for column, value in (("status", status), ("category", category),
                              ("assignee", assigned)):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(value)
        if room is not None:
            condition, values = room_condition(room)
            conditions.append(condition)
            params += values
        if kinds is not None:  # open then: the closed_at index drives, not the kind's; so
            # does the days' over a few months (a month's calls: the kind's index walked every
            # call of five years, 96 ms a query, 3 ms by the days; over years, a rare kind's
            # own index is the quicker: 0.2 ms against 130 by the days)
            few_days = since is not None and until is not None and (
                until - since).days <= FEW_DAYS
            kind = "+kind" if (open_only and as_of is not None and not settled
                               or few_days) else "kind"
            conditions.append(f"{kind} IN ({','.join('?' * len(kinds))})")
            params += list(kinds)
        if as_of is not None:
            conditions.append("+created <= ?")
            params.append(as_of.timestamp())
        if open_only and as_of is not None and not settled:
            conditions.append(NOT_CLOSED_AT)
            params.append(as_of.timestamp())
        elif open_only:
            conditions.append(OPEN)
        return self.query(" AND ".join(conditions), params, since=since, until=until,
                          newest=newest, count=newest is not None)

    def search(self, terms: Sequence[str], labels: dict[str, Sequence[str]], *,
               kinds: Sequence[str] | None = None, since: date | None = None,
               until: date | None = None, open_only: bool = False,
               newest: int | None = None) -> ScanResult:
        """Records that may hold every term (in their text, or as a label whose display name
        holds it: `labels` maps a term to those label ids), newest first when `newest`
        limits them; the caller checks each candidate exactly."""
        expressions = []
        for term in terms:
            expressions.append("(" + " OR ".join([match_expression(term), *(
                label_token(label) for label in labels.get(term, ()))]) + ")")
        conditions = ["n IN (SELECT rowid FROM texts WHERE texts MATCH ?)"]
        params: list = [" AND ".join(expressions)]
        if kinds is not None:
            conditions.append(f"kind IN ({','.join('?' * len(kinds))})")
            params += list(kinds)
        if open_only:
            conditions.append(OPEN)
        return self.query(" AND ".join(conditions), params, since=since, until=until,
                          newest=newest, full_text=True)


def _store_rows(db: sqlite3.Connection, key: str, rows: list[tuple]) -> None:
    """Insert one day folder's (row, search text) pairs, numbered by creation. A new
    folder's ids are new: OR IGNORE skips OR REPLACE's look for a row to replace (a fifth of
    the inserts). An id already indexed from another folder (a file copied to another day) is
    one record: the later folder's, with its own search text only."""
    if not rows:
        return
    numbers = _numbers(db, [row[3] for row, _ in rows])
    numbered = [(number, *row) for number, (row, _) in zip(numbers, rows)]
    before = db.total_changes
    db.executemany(ADD_RECORD, numbered)
    texts = [(number, text) for number, (_, text) in zip(numbers, rows)]
    if db.total_changes - before != len(numbered):
        texts = [(number, text) for (number, *row), (_, text) in zip(numbered, rows)
                 if _kept(db, number, row)]
    db.executemany("INSERT INTO texts (rowid, pairs) VALUES (?, ?)", texts)


def _kept(db: sqlite3.Connection, number: int, row: list) -> bool:
    """Whether the row numbered `number` is the one stored for its id: inserted, or
    replacing the same id's row from an earlier folder (whose search text goes with it);
    False when a later folder's record keeps the id."""
    record_id, key = row[0], row[1]
    (stored, day), = db.execute("SELECT n, day FROM records WHERE id = ?", (record_id,))
    if stored == number:
        return True
    if day > key:
        return False
    db.execute("DELETE FROM texts WHERE rowid = ?", (stored,))
    db.execute("DELETE FROM records WHERE n = ?", (stored,))
    db.execute(ADD_RECORD, (number, *row))
    return True


@contextmanager
def _transaction(db: sqlite3.Connection):
    """One write transaction (the connection is in autocommit mode): all of it or nothing."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _read_of(rids: list[str], on_disk: dict[str, tuple[int, int]], records: list[Record],
             problems: list[Problem]) -> tuple[list[str], list[Record], list[Problem]]:
    """_read_changed's answer for `rids`, out of a read of more records' files together."""
    wanted = set(rids)
    return ([name for name in on_disk if ids.record_of(name) in wanted],
            [record for record in records if ids.record_of(record.path) in wanted],
            [problem for problem in problems if _rid(problem) in wanted])


def _not_a_folder(store, key: str) -> tuple:
    """The problem row of a day "folder" that is not one (its id: '')."""
    return key, "", text_name(store.relative(store.day_dir(date.fromisoformat(key))))


def _name_rows(store, key: str, untext: list[str]) -> list[tuple]:
    """The problem rows of a day folder's files whose names are no text (as listed), each
    at the path the store says it at (Store.read_files)."""
    folder = store.day_dir(date.fromisoformat(key))
    return [(key, NAME_ROW, text_name(store.relative(f"{folder}{os.sep}{name}")))
            for name in sorted(untext)]


def _rid(problem: Problem) -> str:
    """The record a problem's file belongs to, by its path as listed: never worked back out
    of the path as shown (quoted, escaped: errors.shown_path)."""
    return ids.record_of(problem.listed)


def _problem_rows(key: str, problems: list[Problem]) -> list[tuple]:
    """A row per file that cannot be read (its problems are said when shown: _problems)."""
    rows = {text_name(problem.listed): _rid(problem) for problem in problems}
    return [(key, rid, path) for path, rid in rows.items()]


_reading = None  # the store the worker processes read from (inherited when they fork)


def _day_rows(key: str) -> tuple:
    """(key, {file: stamps}, [(row, search text)], problem rows) of a whole day folder: what
    _add_day stores. Runs in a worker process during a big build."""
    store = _reading
    day = date.fromisoformat(key)
    folder = store.day_dir(day)
    if not folder.is_dir():
        return key, {}, [], [_not_a_folder(store, key)]
    on_disk, contents, untext, reading = _read_folder(folder)
    problems: list[Problem] = []
    records = store.read_files(day, list(on_disk), problems, contents, reading)
    rows = [(_row(record, key), _search_text(record)) for record in records]
    return key, on_disk, rows, _problem_rows(key, problems) + _name_rows(store, key, untext)


def _read_new_days(store, keys: list[str]):
    """_day_rows of each key, in order (in forked worker processes, which share what is
    loaded, when there are many)."""
    from dutyctl.store.storage import in_workers

    global _reading
    _reading = store
    yield from in_workers(_day_rows, keys, chunksize=2)


def room_condition(room: str, column: str = "room") -> tuple[str, list[str]]:
    """The SQL condition on the (normalised) room column (`column`: `home`, the resident's own
    room, for the people of a room) for a normalised room, unit or
    building: ranges on the indexed column, so it costs the answer."""
    from dutyctl.rooms import index_ranges

    ranges = index_ranges(room)
    return (f"({column} = ?" + f" OR ({column} >= ? AND {column} < ?)" * len(ranges) + ")",
            [room, *(bound for pair in ranges for bound in pair)])


def _day_range(since: date | None, until: date | None,
               column: str = "day") -> tuple[str, list[str]]:
    conditions, params = ["1"], []
    if since is not None:
        conditions.append(f"{column} >= ?")
        params.append(since.isoformat())
    if until is not None:
        conditions.append(f"{column} <= ?")
        params.append(until.isoformat())
    return " AND ".join(conditions), params


# what says the index file is at fault (deleted and built again), never the disk (SQLITE_FULL,
# SQLITE_IOERR: said, the file kept) or the code (`no such column` of an index as made)
DAMAGE_CODES = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
DAMAGE_WORDS = ("file is not a database", "database disk image is malformed",
                "index of another version", "index of another folder",
                "index of another desk")
SHAPE_WORDS = ("no such table", "no such column", "has no column", "values were supplied")


def disk_failed(exc: sqlite3.Error) -> bool:
    """A full disk or a disk error (SQLITE_FULL, SQLITE_IOERR...): no fault of the file."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    return (name.startswith(("SQLITE_FULL", "SQLITE_IOERR"))
            or "disk is full" in str(exc) or "disk I/O error" in str(exc))


def said_reason(exc: sqlite3.Error) -> str:
    """What SQLite's English error means, in the desk's language where it is one of the
    usual (a full disk, a disk error, a damaged file); else its own words."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    if name.startswith("SQLITE_FULL") or "disk is full" in str(exc):
        return t("the disk is full")
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in str(exc):
        return t("the disk could not be read or written")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or any(
            words in str(exc) for words in DAMAGE_WORDS[:2]):
        return t("the file is damaged")
    return str(exc)


def _busy(exc: sqlite3.DatabaseError) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc))


def _file_stamps(folder: Path) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """{name: (mtime_ns, size)} of the YAML files in a day folder, and the names of those
    whose names are no text (SQLite takes no surrogate: _name_rows says them)."""
    found: dict[str, tuple[int, int]] = {}
    untext: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return found, untext
    for entry in entries:
        if entry.name.endswith(".yaml") and not entry.name.startswith("."):
            if undecodable_name(entry.name):
                untext.append(entry.name)
                continue
            try:  # a link's own: one dangling or to itself is still listed, to be said
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            found[entry.name] = (stat.st_mtime_ns, stat.st_size)
    return found, untext


def _read_folder(folder: Path) -> tuple[dict[str, tuple[int, int]], dict[str, Any], list[str],
                                         int]:
    """_file_stamps of a day folder with the bytes of its plain files and the fstat of each
    reading (or the error reading one), each read with the stat that stamps it: one listing
    and four system calls a file, where stamping, then reading took six. Last, the clock
    before any was read (what a large file's verdict is kept against: store.verdicts)."""
    from dutyctl.errors import DutyError
    from dutyctl.store.yamlio import MissingFile, read_listed

    stamps: dict[str, tuple[int, int]] = {}
    contents: dict[str, Any] = {}
    untext: list[str] = []
    reading = time.time_ns()
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return stamps, contents, untext, reading
    for entry in entries:
        name = entry.name
        if not name.endswith(".yaml") or name.startswith("."):
            continue
        if undecodable_name(name):
            untext.append(name)
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                try:
                    contents[name] = read = read_listed(entry.path)  # its bytes and fstat
                    info = read[1]
                except MissingFile:
                    continue  # gone since the listing, as if never listed
                except DutyError as exc:
                    contents[name], info = exc, entry.stat()
            else:  # a link (dangling, or to itself), a folder...: the store reports it when it
                info = entry.stat(follow_symlinks=False)  # reads it, as it reads nothing there
        except OSError:
            continue
        stamps[name] = (info.st_mtime_ns, info.st_size)
    return stamps, contents, untext, reading


def _own_index_changes(seen: list[int] | None, own: list[tuple[list[int], list[int]]],
                       now: list[int] | None) -> bool:
    """git's index file went from `seen` to `now` through this desk's own commits alone
    (`own`: its stamps before and after each, githead.added_only)."""
    if not own or not seen or not now or seen == [0] or now == [0]:
        return False
    chain = [seen] + [stamp for step in own for stamp in step] + [now]
    return all(chain[i] == chain[i + 1] for i in range(0, len(chain), 2))


def days_of_paths(paths: Iterable[str]) -> set[str]:
    days = set()
    for path in paths:
        parts = Path(path).parts
        if len(parts) >= 4:
            try:
                days.add(date(int(parts[-4]), int(parts[-3]), int(parts[-2])).isoformat())
            except ValueError:
                continue
    return days


# what two commits differ in never changes
_CHANGED_BETWEEN: dict[tuple, list[str]] = process_cache({})


def _git_changed_paths(root: Path, old: str, new: str, records_dir: Path) -> list[str] | None:
    """None: git could not tell (asked again next time)."""
    import subprocess

    try:
        done = subprocess.run(["git", "-C", str(root), "diff", "--name-only", "--no-renames",
                               old, new, "--", str(records_dir)], capture_output=True,
                              text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.splitlines() if done.returncode == 0 else None
