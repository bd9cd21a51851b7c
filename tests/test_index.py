"""The record index follows the files: git pull, hand edits, deletion, corruption, two writers;
and every `list` filter and `search` answer the same through the index as a scan of the files."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from itertools import combinations, product
from pathlib import Path

import pytest

from dutyctl import queries

from dutyctl.store import fastyaml, yamlio
from dutyctl.records import as_it_stood
from dutyctl.store.index import INDEX_FILE, match_expression, pairs
from dutyctl.tickets.search import find as search_find, fold, search as scan_search
from dutyctl.workspace import Workspace, init_workspace
from tests.conftest import Cli, run_dutyctl
from tests.helpers_foundation import (call_flags, edit_in_place, files_store, git, identify,
                                      record_files)


def arrive_broken(path: Path, key: str = "kind:") -> None:
    """Break a record file as a pull from another desk brings one: a new file (git writes a
    new one and renames it), its `key` line made unreadable YAML."""
    arrived = path.with_name(".arriving.tmp")
    arrived.write_text(path.read_text(encoding="utf-8").replace(key, key + " ["),
                       encoding="utf-8")
    os.replace(arrived, path)


def listed_ids(root: Path, *args: str) -> list[str]:
    result = Cli(root)("list", *args, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return [line.split(",")[0] for line in result.stdout.splitlines()[1:]]


def new_call(root: Path, at: str, *extra: str, room: str = "3-2-501") -> str:
    result = Cli(root)(*call_flags("张三", room, "13812345678", "卫生间漏水", *extra), "--at", at)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def index_path(root: Path) -> Path:
    return root / ".dutyctl" / INDEX_FILE


# -- following the files ------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["copied", "moved"])
def test_a_workspace_copied_or_moved_writes_its_steps_in_its_own_folder(workspace, tmp_path,
                                                                          how):
    """The index keeps each record's path, where a record's next step is written: a workspace
    copied or moved elsewhere with its .dutyctl/ (a backup restored, a folder renamed) starts
    its index over instead of writing into the old folder (a clock-out in the copy went to the
    original, and the copy's duty stayed open)."""
    import shutil

    first = workspace.root
    clocked = Cli(first)("clock", "in", "--staff", "zhangwei", "--at", "2026-11-08 20:00")
    assert clocked.exit_code == 0, clocked.stderr
    assert len(listed_ids(first)) == 1  # the index is built, with first's paths
    second = tmp_path / "elsewhere"
    (shutil.copytree if how == "copied" else shutil.move)(first, second)
    out = Cli(second)("clock", "out", "--staff", "zhangwei", "--at", "2026-11-09 08:00",
                      "--no-handover", "--reason", "test")
    assert out.exit_code == 0, out.stderr
    assert len(record_files(second)) == 2  # the duty and its clock-out, both here
    if how == "copied":
        assert len(record_files(first)) == 1  # the original untouched
    else:
        assert not first.exists()


def test_index_follows_a_git_pull_from_another_clone(tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    desk_a = tmp_path / "desk-a"
    init_workspace(desk_a)
    identify(desk_a)
    git(desk_a, "symbolic-ref", "HEAD", "refs/heads/main")
    git(desk_a, "add", "-A")
    git(desk_a, "commit", "-q", "--allow-empty", "-m", "new workspace")
    git(desk_a, "remote", "add", "origin", str(remote))
    first = new_call(desk_a, "2026-10-12 09:30", "--callback-by", "17:00")
    git(desk_a, "push", "-q", "origin", "main")
    desk_b = tmp_path / "desk-b"
    git(tmp_path, "clone", "-q", str(remote), str(desk_b))
    identify(desk_b)
    assert listed_ids(desk_b, "--open") == [first]  # builds desk B's index

    second = new_call(desk_a, "2026-10-12 10:00", "--callback-by", "18:00", room="1-1-101")
    done = Cli(desk_a)("callback", "done", first, "--note", "已回电", "--at", "2026-10-12 11:00")
    assert done.exit_code == 0, done.stderr
    git(desk_a, "push", "-q", "origin", "main")
    git(desk_b, "pull", "-q", "--no-rebase", "origin", "main")

    assert listed_ids(desk_b, "--open") == [second]
    assert listed_ids(desk_b, "--room", "1-1-101") == [second]
    assert listed_ids(desk_b, "--status", "called-back") == [first]


def test_index_follows_a_hand_edit_in_place_even_when_the_folder_keeps_its_mtime(workspace):
    root = workspace.root
    record_id = new_call(root, "2026-10-12 09:30")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a call")
    assert listed_ids(root, "--room", "3-2-501") == [record_id]
    (path,) = [p for p in record_files(root) if p.name == f"{record_id}.yaml"]
    edit_in_place(path, "'3-2-501'", "'3-2-502'")
    git(root, "commit", "-q", "-am", "room corrected by hand")

    assert listed_ids(root, "--room", "3-2-502") == [record_id]
    assert listed_ids(root, "--room", "3-2-501") == []


def test_a_recent_record_saved_over_in_place_is_read_again_before_any_commit(workspace, clock):
    """Notepad saves over the file: its day folder keeps its mtime and git has no commit to
    tell. `list` showed the record as it was (and, saved as GBK, still listed it while `show`
    refused it) until a commit; in the newest EDITED_DAYS every file is stamped."""
    root = workspace.root
    record_id = new_call(root, "2026-10-12 09:30")
    new_call(root, "2026-09-20 09:30", room="1-1-101")  # an older day of the newest month
    _settled(root)
    assert listed_ids(root, "--room", "3-2-501") == [record_id]
    (path,) = [p for p in record_files(root) if p.name == f"{record_id}.yaml"]
    edit_in_place(path, "'3-2-501'", "'3-2-502'")
    later = path.stat().st_mtime + 5  # the editor's save, after the index's look
    os.utime(path, (later, later))
    assert listed_ids(root, "--room", "3-2-502") == [record_id]
    assert listed_ids(root, "--room", "3-2-501") == []
    with open(path, "ab") as handle:  # saved again as GBK: skipped, said, not listed
        handle.write("# 住户说漏水已止住\n".encode("gbk"))
    os.utime(path, (later + 5, later + 5))
    listed = Cli(root)("list", "--all")
    assert record_id not in listed.stdout and "not UTF-8" in listed.stderr, listed.stderr


def _settled(root: Path) -> None:
    """Every folder of records/ last changed an hour ago: the index trusts their stamps (a
    folder changed within RACY_SECONDS is looked into again), as on a desk where time has passed."""
    past = time.time() - 3600
    for folder in [root / "records", *(path for path in (root / "records").rglob("*")
                                       if path.is_dir())]:
        os.utime(folder, (past, past))


@pytest.mark.parametrize("broken", ["event", "record"])
def test_an_unreadable_file_fixed_in_place_is_taken_in(workspace, broken):
    """A file from another desk that cannot be read, fixed by hand in place (no folder's stamp
    moves, nothing committed): the next question reads the record whole, so list, show and
    check agree, and no file is said to be skipped (nor an event's record to be missing)."""
    root = workspace.root
    cli = Cli(root)
    record_id = new_call(root, "2026-10-12 09:30", "--callback-by", "17:00")
    done = cli("callback", "done", record_id, "--note", "已回电", "--at", "2026-10-12 11:00")
    assert done.exit_code == 0, done.stderr
    record_file, event_file = sorted(record_files(root), key=lambda path: len(path.name))
    path = event_file if broken == "event" else record_file
    key = "action:" if broken == "event" else "kind:"
    arrive_broken(path, key)
    _settled(root)
    before = cli("list", "--all", "--format", "csv")
    assert f"skipped: {path.relative_to(root).as_posix()}" in before.stderr
    assert cli("check").exit_code == 1

    edit_in_place(path, key + " [", key)
    listed = cli("list", "--all", "--format", "csv")
    assert listed.exit_code == 0 and "skipped" not in listed.stderr, listed.stderr
    assert [line.split(",")[:4] for line in listed.stdout.splitlines()[1:]] == [
        [record_id, "call", "2026-10-12T09:30:00+08:00", "called-back"]]
    assert "called-back" in cli("show", record_id).stdout
    checked = cli("check")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert listed_ids(root, "--status", "called-back") == [record_id]


def test_the_caller_hint_takes_in_a_file_fixed_in_place(workspace):
    """The hint after `log call` never writes the index, so it answers through an overlay:
    a record whose unreadable file was fixed in place since is shown there (the earlier
    call), not dropped as neither a record nor a skipped file."""
    root = workspace.root
    cli = Cli(root)
    _a_call_fixed_in_place(root)

    second = cli(*call_flags(summary="第二次来电"), "--at", "2026-10-13 10:00")
    assert second.exit_code == 0, second.stderr
    assert "earlier: 2026-10-12 09:30" in second.stderr, second.stderr
    assert "skipped" not in second.stderr
    listed = cli("list", "--all", "--format", "csv")
    assert "skipped" not in listed.stderr and len(listed.stdout.splitlines()) == 3


def _a_call_fixed_in_place(root: Path) -> Path:
    """One call whose file arrived unreadable (the index then lists it as a problem) and was
    fixed by hand in place since: its path."""
    cli = Cli(root)
    assert cli(*call_flags(summary="第一次来电"), "--at", "2026-10-12 09:30").exit_code == 0
    (path,) = record_files(root)
    arrive_broken(path)
    _settled(root)
    assert "skipped" in cli("list", "--all").stderr
    edit_in_place(path, "kind: [", "kind:")
    return path


def test_the_hint_takes_in_a_file_fixed_in_place_without_writing_the_index(workspace):
    """write=False with nothing new on disk but a file fixed in place: the record is shown
    (through the overlay), and the index file is not written (Store.ask's promise)."""
    from dutyctl import callers

    root = workspace.root
    _a_call_fixed_in_place(root)
    files = sorted(index_path(root).parent.glob(INDEX_FILE + "*"))
    before = {file: (file.read_bytes(), file.stat().st_mtime_ns) for file in files}

    store = Workspace(root).store
    history = callers.caller_history(store, "13812345678", build=False, files=False,
                                     write=False)
    store.close()
    assert [record.get("summary") for record in history.records] == ["第一次来电"]
    assert not history.problems
    assert {file: (file.read_bytes(), file.stat().st_mtime_ns) for file in files} == before


def test_a_writing_command_does_not_wait_to_take_in_a_fixed_file(workspace):
    """A writing command (build=False: impatient) that meets another command holding the
    index lock shows a file fixed in place through the overlay, without waiting for the lock
    and without writing the index."""
    from dutyctl import callers
    from dutyctl.store.storage import exclusive

    root = workspace.root
    _a_call_fixed_in_place(root)
    before = index_path(root).read_bytes()

    store = Workspace(root).store
    with exclusive(store.index.lock_path, wait=0):
        history = callers.caller_history(store, "13812345678", build=False, files=False)
        store.close()
    assert [record.get("summary") for record in history.records] == ["第一次来电"]
    assert not history.problems
    assert index_path(root).read_bytes() == before


@pytest.mark.parametrize("write", [True, False])
def test_a_file_fixed_in_place_is_read_once_to_take_it_in(workspace, monkeypatch, write):
    """The question that finds an unreadable file fixed in place reads it once: what it
    reads is what the index takes in (write) or the overlay shows (write=False)."""
    from dutyctl import callers

    root = workspace.root
    path = _a_call_fixed_in_place(root)
    reads = Counter()
    load = yamlio.read_with_stat

    def counted(name, *args, **kwargs):
        reads[Path(name).name] += 1
        return load(name, *args, **kwargs)

    monkeypatch.setattr(yamlio, "read_with_stat", counted)
    store = Workspace(root).store
    history = callers.caller_history(store, "13812345678", build=False, files=False,
                                     write=write)
    store.close()
    assert [record.get("summary") for record in history.records] == ["第一次来电"]
    assert reads[path.name] == 1, reads


def test_an_older_fixed_version_is_not_stored_over_a_newer_one(workspace):
    """Two desks take in a file fixed in place: one reads it, then the file is corrected
    again and the other reads and stores that newer version before the first takes the
    index lock. The first stores nothing over it: the index keeps the newer version."""
    from dutyctl import callers

    root = workspace.root
    path = _a_call_fixed_in_place(root)
    slow, quick = Workspace(root).store, Workspace(root).store
    read_again = slow.index._read_again
    corrected: list = []

    def then_the_other_desk(db, day, stored):
        answer = read_again(db, day, stored)  # the slow desk has read the first fix
        if not corrected:
            corrected.append(day)
            edit_in_place(path, "第一次来电", "第一次来电（已更正）")
            history = callers.caller_history(quick, "13812345678", build=False, files=False)
            assert [r.get("summary") for r in history.records] == ["第一次来电（已更正）"]
        return answer

    slow.index._read_again = then_the_other_desk
    callers.caller_history(slow, "13812345678", build=False, files=False)
    slow.close()
    quick.close()
    assert corrected
    fresh = Workspace(root).store
    history = callers.caller_history(fresh, "13812345678", build=False, files=False)
    fresh.close()
    assert [record.get("summary") for record in history.records] == ["第一次来电（已更正）"]
    assert not history.problems


def test_a_fixed_file_changed_again_before_the_lock_is_still_shown(workspace):
    """A desk reads a file fixed in place, and the file changes again before it takes the
    index lock (nobody has stored the newer version): it stores nothing, and its own answer
    still shows the record it read (the overlay), neither lost nor a problem."""
    from dutyctl import callers

    root = workspace.root
    path = _a_call_fixed_in_place(root)
    store = Workspace(root).store
    read_again = store.index._read_again

    edited: list = []

    def changed_again(db, day, stored):
        answer = read_again(db, day, stored)
        if not edited:
            edited.append(day)
            edit_in_place(path, "第一次来电", "第一次来电（再改）")
        return answer

    store.index._read_again = changed_again
    # one question: nothing after it reads the file again
    seen = store.ask(lambda index: index.listing(), lambda: None)
    store.close()
    assert [record.get("summary") for record in seen.records] == ["第一次来电"], seen
    assert not seen.problems
    fresh = Workspace(root).store
    later = callers.caller_history(fresh, "13812345678", build=False, files=False)
    fresh.close()
    assert [record.get("summary") for record in later.records] == ["第一次来电（再改）"]


def test_log_call_lists_no_folder_of_an_unreadable_file(workspace, monkeypatch):
    """Each question of `log call` says again what is wrong with every unreadable file of the
    history: it stats those records' own files, once, and lists none of their folders (a
    folder listing per problem day per question grew with the history)."""
    root = workspace.root
    cli = Cli(root)
    days = [f"2026-10-{day:02d}" for day in range(1, 7)]
    for day in days:
        assert cli(*call_flags(room="1-1-101"), "--at", f"{day} 09:30").exit_code == 0
    for path in record_files(root):
        arrive_broken(path)
    _settled(root)
    assert cli("list", "--all").stderr.count("skipped") == len(days)
    listed: list = []
    scandir = os.scandir

    def counted(path="."):
        listed.append(path if isinstance(path, int) else Path(path).as_posix())
        return scandir(path)

    monkeypatch.setattr(os, "scandir", counted)
    done = cli(*call_flags(), "--at", "2026-10-13 10:00")
    assert done.exit_code == 0, done.stderr
    problem_folders = {(root / "records" / day.replace("-", "/")).as_posix() for day in days}
    assert problem_folders.isdisjoint(listed), sorted(problem_folders.intersection(listed))


def test_the_event_of_an_unreadable_record_file_says_so(workspace):
    """A record file that cannot be read: its events are skipped as events of a record whose
    file cannot be read, never of a record that does not exist; the index and check agree."""
    root = workspace.root
    cli = Cli(root)
    record_id = new_call(root, "2026-10-12 09:30", "--callback-by", "17:00")
    assert cli("callback", "done", record_id, "--note", "已回电",
               "--at", "2026-10-12 11:00").exit_code == 0
    record_file = root / "records/2026/10/12" / f"{record_id}.yaml"
    record_file.write_text("id: [broken\n", encoding="utf-8")
    for result in (cli("list", "--all"), cli("check")):
        assert "does not exist" not in result.stdout + result.stderr
        assert f"event of a record whose file cannot be read: {record_id}" in (
            result.stdout + result.stderr)


def test_index_follows_an_editor_that_saves_through_a_new_file(workspace):
    root = workspace.root
    record_id = new_call(root, "2026-10-12 09:30")
    assert listed_ids(root, "--category", "consultation") == [record_id]
    (path,) = [p for p in record_files(root) if p.name == f"{record_id}.yaml"]
    edited = path.with_name(".edit.tmp")
    edited.write_text(path.read_text(encoding="utf-8").replace("consultation", "fee"),
                      encoding="utf-8")
    os.replace(edited, path)
    assert listed_ids(root, "--category", "fee") == [record_id]
    path.unlink()
    assert listed_ids(root) == []


def test_a_deleted_index_is_rebuilt(workspace):
    root = workspace.root
    made = [new_call(root, f"2026-10-1{day} 09:30", "--callback-by", "17:00")
            for day in range(1, 4)]
    assert listed_ids(root, "--open") == made
    index_path(root).unlink()
    assert listed_ids(root, "--open") == made
    assert index_path(root).is_file()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_corrupted_index_is_rebuilt_and_nothing_is_lost(workspace, damage):
    root = workspace.root
    made = [new_call(root, f"2026-10-1{day} 09:30", "--callback-by", "17:00")
            for day in range(1, 4)]
    assert listed_ids(root, "--open") == made
    path = index_path(root)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    size = path.stat().st_size
    if damage == "garbage":
        path.write_bytes(os.urandom(size))
    elif damage == "truncated":
        with open(path, "r+b") as handle:
            handle.truncate(size // 3)
    else:
        path.write_bytes(b"")
    result = Cli(root)("list", "--open", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert listed_ids(root, "--open") == made
    assert listed_ids(root, "--room", "3-2-501") == made


def test_two_desks_writing_at_once_on_one_machine(workspace, dutyctl_command):
    """Calls filed from two terminals while two others list: every call is in the index."""
    root = workspace.root
    new_call(root, "2026-10-01 08:00")  # the index exists before the race
    assert len(listed_ids(root)) == 1

    def desk(number: int) -> list[subprocess.CompletedProcess]:
        done = []
        for step in range(3):
            if number < 2:
                done.append(run_dutyctl(dutyctl_command, *call_flags(
                    "李四", f"{number + 1}-1-10{step}", "13812345678", "咨询"),
                    "--at", f"2026-10-0{step + 2} 10:0{number}", root=root))
            else:
                done.append(run_dutyctl(dutyctl_command, "list", "--format", "csv",
                                        root=root))
        return done

    with ThreadPoolExecutor(4) as pool:
        results = [result for done in pool.map(desk, range(4)) for result in done]
    assert [result.returncode for result in results] == [0] * len(results), \
        [result.stderr for result in results if result.returncode]
    on_disk = sorted(p.stem for p in record_files(root))
    assert len(on_disk) == 7
    full = Cli(root)("list", "--format", "json")
    assert sorted(row["id"] for row in json.loads(full.stdout)) == on_disk
    integrity = subprocess.run(["sqlite3", str(index_path(root)), "PRAGMA integrity_check"],
                               capture_output=True, text=True) if _has_sqlite_cli() else None
    if integrity is not None:
        assert integrity.stdout.strip() == "ok"


def _has_sqlite_cli() -> bool:
    from shutil import which

    return which("sqlite3") is not None


def test_clock_in_without_an_index_does_not_build_one(workspace, cli):
    result = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    assert result.exit_code == 0, result.stderr
    assert not index_path(workspace.root).exists()
    again = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 08:05")
    assert again.exit_code == 2 and "already clocked in" in again.stderr


def test_writing_commands_never_wait_for_the_index(workspace, dutyctl_command):
    """Another process holds the index (a build of a fresh clone, a catch-up after a pull):
    log call, clock in and clock out go on without it, reading the files."""
    import sys

    root = workspace.root
    new_call(root, "2026-10-01 08:00")
    assert len(listed_ids(root)) == 1  # an index, which the next call leaves behind
    new_call(root, "2026-10-05 07:00")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time; lock = open(sys.argv[1], 'w'); "
         "fcntl.flock(lock, fcntl.LOCK_EX); print('held', flush=True); time.sleep(120)",
         str(index_path(root).with_name("index.lock"))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        steps = [call_flags("王五", "2-1-301", "13812345678", "咨询"),
                 ["clock", "in", "--staff", "zhangwei"], ["clock", "out", "--staff", "zhangwei"]]
        for args, at in zip(steps, ("2026-10-05 07:50", "2026-10-05 07:55", "2026-10-05 16:05")):
            # waiting for the lock would hang until the holder ends: the timeout fails the test
            done = run_dutyctl(dutyctl_command, *args, "--at", at, root=root, timeout=60)
            assert done.returncode == 0, (args, done.stderr)
        assert holder.poll() is None  # the lock was held all along
    finally:
        holder.kill()
        holder.wait()
    assert len(listed_ids(root, "--kind", "duty")) == 1
    assert len(listed_ids(root, "--kind", "call")) == 3


def test_a_build_killed_halfway_is_finished_by_the_next_question(workspace, monkeypatch):
    """A build from scratch makes the record indexes at its end: one stopped halfway (Ctrl-C
    after its first batch) left none and no 'complete' mark; the next question reads the
    rest, makes them, and answers as the files do."""
    import sqlite3

    from dutyctl.store import index as index_module

    root = workspace.root
    made = [new_call(root, f"2026-10-0{day} 09:30", "--callback-by", "17:00")
            for day in range(1, 6)]
    assert not index_path(root).exists()  # writing commands build none
    monkeypatch.setattr(index_module, "PROGRESS_MIN_DAYS", 3)
    monkeypatch.setattr(index_module, "BATCH_DAYS", 2)

    def interrupted(done, total, day):
        raise KeyboardInterrupt

    store = Workspace(root).store
    store.progress = interrupted
    with pytest.raises(KeyboardInterrupt):
        store.open_records()
    store.index.close()

    def state() -> tuple[int, set[str], str | None]:
        db = sqlite3.connect(index_path(root))
        try:
            names = {name for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index'")}
            complete = db.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
            count = db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
            return count, names, complete and complete[0]
        finally:
            db.close()

    count, names, complete = state()
    assert count == 2 and complete is None  # the first batch of two days, committed
    assert not names & set(index_module.RECORD_INDEXES)
    assert [record.id for record in Workspace(root).store.open_records().records] == made
    count, names, complete = state()
    assert count == 5 and complete == index_module.VERSION
    assert set(index_module.RECORD_INDEXES) <= names
    assert listed_ids(root, "--room", "3-2-501") == made


def test_a_big_build_shows_progress_on_a_terminal_only(workspace, monkeypatch):
    """The bar is drawn on stderr when it is a terminal (forced here), never into a pipe."""
    import io

    from dutyctl.store import index as index_module
    from dutyctl.cli.session import progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    root = workspace.root
    for day in range(1, 6):
        new_call(root, f"2026-10-0{day} 09:30")
    monkeypatch.setattr(index_module, "PROGRESS_MIN_DAYS", 3)
    monkeypatch.setattr(index_module, "BATCH_DAYS", 2)
    assert progress_bar(io.StringIO()) is None
    terminal = Terminal()
    store = Workspace(root).store
    store.progress = progress_bar(terminal)
    assert len(store.open_records().records) == 0  # calls without a callback are closed
    shown = terminal.getvalue()
    assert shown.count("\r") == 3 and shown.endswith("\n")
    assert "5/5 days (2026-10-05)" in shown and "2/5 days" in shown
    index_path(root).unlink()
    chinese = Terminal()
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    store = Workspace(root).store
    store.progress = progress_bar(chinese)
    store.open_records()
    assert "5/5" in chinese.getvalue() and "days" not in chinese.getvalue()


# -- the index answers as the files do ------------------------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Workspace:
    from benchmarks.workspace_gen import generate

    root = tmp_path_factory.mktemp("gen") / "site"
    generate(root, date(2025, 11, 17), date(2025, 11, 24), per_day=40)
    return Workspace(root.resolve())


# (19, 17): two calls of the generated days await their callback then
AS_OF_MOMENTS = [None, *(datetime(2025, 11, day, hour, tzinfo=timezone(timedelta(hours=8)))
                         for day, hour in ((18, 12), (19, 17), (23, 18)))]


def test_every_list_filter_answers_as_a_scan_of_the_files(generated):
    """`list` with every filter, over periods, now and --as-of: the index gives what a scan of
    the files gives (as-of: what was filed by then, judged as it stood then)."""
    store = generated.store
    # the questions in a row of one command: one connection, folders walked once a second
    # (what `list` does; the index following the files is tested above)
    store.one_command = True
    everything = store.scan().records
    assert len(everything) > 300

    def busiest(field: str) -> str:  # the value most records have: most answers not empty
        found = Counter(record.recorded_by if field == "recorded_by" else
                        record.get("resident", {}).get("room") for record in everything)
        return next(value for value, _ in found.most_common() if value is not None)

    spans = [(None, None), (date(2025, 11, 19), date(2025, 11, 21)), (date(2025, 11, 24), None)]
    kinds = [None, "call", "repair", "complaint", "handover", "duty"]
    filters = {"status": ["awaiting-callback", "closed", "dispatched", "handling"],
               "open_only": [True], "room": [busiest("room")],
               "category": ["repair", "consultation", "water-electric"],
               "assigned": [busiest("recorded_by")]}
    # each filter alone over every kind, period and moment; each two filters together over
    # every kind and moment, over all days (the periods are asked with each filter alone)
    alone = [{}, *({name: value} for name, domain in filters.items() for value in domain)]
    together = [{first: one, second: other} for first, second in combinations(filters, 2)
                for one in filters[first] for other in filters[second]]
    questions = [*product(kinds, spans, AS_OF_MOMENTS, alone),
                 *product(kinds, spans[:1], AS_OF_MOMENTS, together)]
    scans = {span: store.scan(*span).records for span in spans}
    stood = {(span, kind, as_of): as_it_stood([record for record in scans[span]
                                               if kind is None or record.kind == kind], as_of)
             for span, kind, as_of in product(spans, kinds, AS_OF_MOMENTS)}
    answered = Counter()
    for kind, (since, until), as_of, setting in questions:
        asked = {"status": None, "room": None, "category": None, "open_only": False,
                 "assigned": None, **setting}
        expected = queries.select(stood[(since, until), kind, as_of], **asked)
        found = queries.find(store, since=since, until=until, as_of=as_of, kind=kind, **asked)
        assert [record.id for record in found.records] == \
            [record.id for record in expected], (kind, setting, since, until, as_of)
        if as_of is not None:  # as it stood: its later events left out
            assert found.records == expected
        if since is None:  # what a table shows: the newest few, and how many in all
            newest = queries.find(store, until=until, as_of=as_of, newest=3, kind=kind, **asked)
            assert [record.id for record in newest.records] == \
                [record.id for record in expected[-3:]], (kind, setting, until, as_of)
            assert newest.total == len(expected)
            if as_of is not None:  # as they stood, whichever way the index went
                assert newest.records == expected[-3:]
        if expected:
            answered.update([kind, *setting.items()])
    # every kind and every filter value had records to find, not only empty answers
    assert set(answered) >= {*kinds, *((name, value) for name, domain in filters.items()
                                       for value in domain)}, answered
    assert len(questions) > 1500 and sum(answered.values()) > 400
    # the records come back whole: status, history, paths
    assert queries.find(store).records == everything


def test_as_of_a_moment_a_status_reads_the_matches_and_the_records_changed_since(
        generated, monkeypatch):
    """`list --as-of T --status S` (or --assigned): the records with no step after T stood
    then as their columns say, so only those matching and the few with a step since are
    read, not every record filed by T (7-14 times the time on 3 years)."""
    from dutyctl.store import index as index_module

    store, tz = generated.store, generated.config.tz
    moment = datetime(2025, 11, 21, 15, tzinfo=tz)
    db = store.index.db()
    (filed,), = db.execute("SELECT COUNT(*) FROM records WHERE created <= ?",
                           (moment.timestamp(),))
    (since,), = db.execute("SELECT COUNT(*) FROM records WHERE created <= ? AND last_step > ?",
                           (moment.timestamp(), moment.timestamp()))
    store.close()
    read = []
    real = index_module.record_of
    monkeypatch.setattr(index_module, "record_of", lambda doc: read.append(1) or real(doc))
    for asked in ({"status": "closed"}, {"assigned": "zhangwei"},
                  {"open_only": True}):
        read.clear()
        found = queries.find(store, as_of=moment, newest=5, **asked)
        assert found.records and found.total > 5
        assert len(read) <= 5 + 1 + since < filed / 3, (asked, len(read), since, filed)
        everything = queries.find(store, as_of=moment, **asked).records
        assert found.records == everything[-5:] and found.total == len(everything)


@pytest.fixture(scope="module")
def files(generated):
    """The same records through a store without a state folder, each day parsed once."""
    return files_store(generated)


def test_a_report_reads_through_the_index_what_a_scan_of_the_files_gives(generated, files):
    """A report's records (filed in the period, or filed before and still open at its start),
    for days, weeks and months before, over, across and after the generated days."""
    from dutyctl.reports.period import day_period, month_period, week_period
    from dutyctl.reports.selection import select

    tz = generated.config.tz
    now = datetime(2025, 12, 3, 9, tzinfo=tz)
    periods = [make(date(2025, 11, day), tz) for day in (10, 17, 19, 22, 24, 26)
               for make in (day_period, week_period)]
    periods += [month_period(date(2025, 10, 1), tz), month_period(date(2025, 11, 1), tz),
                month_period(date(2025, 12, 1), tz)]
    carried = 0
    for period in periods:
        for moment in (now, datetime(2025, 11, 21, 15, tzinfo=tz)):
            indexed = select(generated.store, period, moment)
            scanned = select(files, period, moment)
            assert indexed == scanned, (period, moment)
            carried += len(indexed.carried)
    assert carried > 50  # older records still open at a period's start were among them


def test_what_was_open_on_day_d_is_one_question_for_reports_and_the_store(generated, files):
    """"Open on day D" has one meaning: the records a day's report carries from before it are
    those `Store.open_at` gives at the day's start (filed before it), by the index and by the
    files alike, and each is open then by `queries.open_at`."""
    from dutyctl.records import kinds
    from dutyctl.reports.period import day_period
    from dutyctl.reports.selection import select

    tz = generated.config.tz
    now = datetime(2025, 12, 3, 9, tzinfo=tz)
    carried = 0
    for day in (date(2025, 11, 10), date(2025, 11, 17), date(2025, 11, 22), date(2025, 11, 26)):
        period = day_period(day, tz)
        before = [record for record in generated.store.open_at(tuple(kinds()), period.start).records
                  if record.created_at.astimezone(tz).date() < day]
        assert [record.id for record in before] == \
            [record.id for record in files.open_at(tuple(kinds()), period.start).records
             if record.created_at.astimezone(tz).date() < day]
        assert all(queries.open_at(record, period.start) for record in before)
        report = select(generated.store, period, now)
        assert sorted(record.id for record in report.carried) == \
            sorted(record.id for record in before), day
        carried += len(before)
    assert carried > 20


def test_open_records_and_open_at_answer_as_a_scan_of_the_files(generated, files):
    """What is open (handover, clock in, callbacks): every kind set, with and without a last
    day, and open at a moment, as a scan of the files gives it."""
    kinds_sets = [None, ("call",), ("complaint", "repair", "call"), ("handover",), ("duty",)]
    found = 0
    for kinds, until in product(kinds_sets, (None, date(2025, 11, 20), date(2025, 11, 16))):
        indexed = generated.store.open_records(kinds, until).records
        assert indexed == files.open_records(kinds, until).records, (kinds, until)
        found += len(indexed)
    for kinds, moment in product(kinds_sets[1:], AS_OF_MOMENTS[1:]):
        indexed = generated.store.open_at(kinds, moment).records
        assert indexed == files.open_at(kinds, moment).records, (kinds, moment)
        found += len(indexed)
    assert found > 100


def test_the_residents_register_answers_as_a_scan_of_the_files(generated, files):
    """`resident list` by room, unit, building and for the whole site, all of it and the
    newest few, with how many there are: the index gives what a scan of the files gives."""
    from dutyctl import callers

    rooms = {record.get("resident", {}).get("room") for record in generated.store.scan().records}
    room = sorted(room for room in rooms if room)[0]
    sizes = []
    for area in (None, room, room.rsplit("-", 1)[0], room.split("-")[0], "99-9"):
        for newest in (None, 1, 5, 50):
            indexed = callers.register(generated.store, room=area, newest=newest)
            scanned = callers.register(files, room=area, newest=newest)
            assert indexed == scanned, (area, newest)
        sizes.append(indexed.total)
        if area is not None:  # `room`: the residents, every open record and the newest
            for recent in (3, 20):
                assert callers.room_history(generated.store, area, recent, 5) == \
                    callers.room_history(files, area, recent, 5), (area, recent)
    assert sizes[0] > 200 and sizes[1] >= 1 and sizes[-1] == 0


def test_a_build_in_worker_processes_stores_what_one_process_does(generated, tmp_path,
                                                                  monkeypatch):
    import sqlite3

    from dutyctl import yamlcache
    from dutyctl.store import storage
    from dutyctl.store.recordstore import Store

    monkeypatch.setattr(storage.os, "cpu_count", lambda: 2)
    # a folder written within RACY_SECONDS is stamped 0 (read again next time): the workspace,
    # generated moments ago, would be stamped differently by the first build and the second
    monkeypatch.setattr(yamlcache, "RACY_SECONDS", 0)

    def build(state: Path, parallel_from: int) -> list:
        monkeypatch.setattr(storage, "PARALLEL_MIN_ITEMS", parallel_from)
        store = Store(generated.records_dir, generated.config.tz, generated.config, state)
        assert store.open_records().records  # builds it
        db = sqlite3.connect(state / INDEX_FILE)
        try:  # every table, the full-text index's own ones included, and the schema
            tables = [name for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            # but the desk's seal: each state folder without git keeps a key of its own
            return {"schema": db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY "
                                         "name").fetchall(),
                    **{table: sorted((row for row in db.execute(f"SELECT * FROM {table}")
                                      if table != "meta" or row[0] != "desk"), key=repr)
                       for table in tables}}
        finally:
            db.close()

    in_workers, here = build(tmp_path / "workers", 1), build(tmp_path / "here", 10_000)
    assert in_workers == here
    assert {"records", "texts", "texts_data", "files", "days", "problems", "meta"} <= set(here)
    assert len(here["records"]) > 300 and len(here["files"]) > len(here["records"])


def test_search_answers_as_a_scan_of_the_files(generated):
    store, config = generated.store, generated.config
    everything = store.scan().records
    for query in ("漏水", "水", "卫生间 下水", "噪音", "工程", "3-1", "zz-nothing", "已回电",
                  "ＡＢ", everything[3].get("resident", {}).get("name") or "王"):
        expected = [hit.record.id for hit in scan_search(everything, query, config)]
        hits, problems, more = search_find(store, query, config)
        assert [hit.record.id for hit in hits] == expected, query
        assert problems == [] and not more
        newest, _, more = search_find(store, query, config, newest=3)
        assert [hit.record.id for hit in newest] == expected[-3:], query
        assert more == (len(expected) > 3)


def test_search_finds_the_newest_matches_whatever_order_they_were_indexed_in(workspace):
    """Row numbers follow creation, not indexing: a record filed long ago that arrives after
    newer ones (a git pull of another desk's old folder, a restored file) sorts below them,
    and one filed after them sorts above, so the newest-first walk stops at the right ones."""
    import sqlite3

    root = workspace.root
    made = [new_call(root, f"2026-10-{day} 09:30") for day in (10, 12, 14)]
    assert listed_ids(root) == made  # builds the index with these three
    older = new_call(root, "2026-10-11 08:00")  # indexed after the newer ones
    newest = new_call(root, "2026-10-15 08:00")
    store, config = Workspace(root).store, Workspace(root).config
    hits, _, more = search_find(store, "漏水", config, newest=2)
    assert [hit.record.id for hit in hits] == [made[2], newest] and more
    hits, _, more = search_find(store, "漏水", config, newest=4)
    assert [hit.record.id for hit in hits] == [older, made[1], made[2], newest] and more
    db = sqlite3.connect(index_path(root))
    try:
        by_number = [rid for (rid,) in db.execute("SELECT id FROM records ORDER BY n")]
    finally:
        db.close()
    assert by_number == [made[0], older, made[1], made[2], newest]


def test_pairs_make_a_phrase_of_exactly_the_substrings():
    text = fold("卫生间漏水严重 3-2-501")
    assert pairs("ab") == "2g61 61g62 62g3"
    assert match_expression("漏水") == f'"{ord("漏"):x}g{ord("水"):x}"'
    assert match_expression("水") == f'"{ord("水"):x}g" *'
    assert pairs(text).count(" ") == len(text)


# -- the fast reader reads exactly as the YAML parser does --------------------------------------

def _same(fast, full) -> bool:
    if type(fast) is not type(full):
        return False
    if isinstance(full, dict):
        return (fast == full and fast.line == full.line and fast.lines == full.lines
                and all(_same(fast[key], full[key]) for key in full))
    if isinstance(full, list):
        return (fast == full and fast.line == full.line and fast.lines == full.lines
                and all(_same(a, b) for a, b in zip(fast, full)))
    return fast == full


def test_fast_reader_matches_the_yaml_parser_on_generated_files(generated):
    files = record_files(generated.root)
    assert len(files) > 500
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _same(fastyaml.loads(text), yamlio.loads(text)), path


@pytest.mark.parametrize("data", [
    {"a": "yes"}, {"a": "no", "b": "on"}, {"a": "12:30"}, {"a": "0o17"}, {"a": "010"},
    {"a": "1.5"}, {"a": "~"}, {"a": "null"}, {"a": ""}, {"a": " x"}, {"a": "x #y"},
    {"a": "- x"}, {"a": "a: b"}, {"a": "it's"}, {"a": "多行\n文本"}, {"a": "多行\n\n文本\n"},
    {"a": [], "b": {}}, {"a": [{"x": [1, 2], "y": {"z": "w"}}, "v"]}, {"y": 1}, {"a": True},
    {"a": "x" * 150 + " " + "y" * 30}, {"a": "2026-10-01"}, {"a": "@x"}, {"a": "%x"},
    {"a": datetime(2026, 10, 1, 9, 30)}, {"a": -3}, {"a": "true"}, {"a": "Null"},
])
def test_fast_reader_matches_the_yaml_parser_on_tricky_values(data):
    text = yamlio.dumps(data)
    assert _same(fastyaml.loads(text), yamlio.loads(text))


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "<<<<<<< HEAD\na: 1\n", "a: [1\n", "a:\n  - b\n   c: d\n", "a: 'x\n",
    "a: b # comment\n", "a:\n    b: c\n",
])
def test_fast_reader_raises_exactly_as_the_yaml_parser(text):
    try:
        expected = yamlio.loads(text, "f.yaml")
    except Exception as exc:  # noqa: BLE001 - compared below
        with pytest.raises(type(exc)) as raised:
            fastyaml.loads(text, "f.yaml")
        assert str(raised.value) == str(exc)
    else:
        assert _same(fastyaml.loads(text, "f.yaml"), expected)


@pytest.mark.parametrize("report", [["daily", "--date", "2026-10-12"],
                                    ["monthly", "--month", "2026-10"]])
def test_a_report_looks_at_the_folders_once_for_both_its_periods(workspace, monkeypatch,
                                                                  report):
    """A report reads its period and the one before through one store serving the command:
    the index is brought up to date once, not before each period's question."""
    from dutyctl.store.index import RecordIndex

    new_call(workspace.root, "2026-10-12 09:00")
    new_call(workspace.root, "2026-10-11 09:00")
    looks = []
    real = RecordIndex.refresh
    monkeypatch.setattr(RecordIndex, "refresh",
                        lambda self, *args: looks.append(1) or real(self, *args))
    result = Cli(workspace.root)("report", *report)
    assert result.exit_code == 0, result.stderr
    assert len(looks) == 1


def test_the_desk_and_report_questions_never_walk_the_history(generated):
    """The query plan of every statement behind what is open, callbacks, a unit's list and
    register, and a report's period: an index finds the rows. A full scan of the records, a
    walk of the day index from the first day (`day<?`: it made a daily report read every
    record's row) or of every record of a kind (what was open) grows with the years."""
    from dutyctl import callers
    from dutyctl.reports.period import day_period, month_period
    from dutyctl.reports.selection import select

    store, tz = generated.store, generated.config.tz
    unit = "3-2"
    moment = datetime(2025, 11, 21, 15, tzinfo=tz)
    store.one_command = True  # one connection for all the questions: one trace
    try:
        db = store.index.db()
        statements: list[str] = []
        db.set_trace_callback(statements.append)
        store.open_records(("call", "complaint", "repair"), until=date(2025, 11, 24))
        store.open_records(("handover",))
        store.open_at(("call",), moment)
        queries.find(store, open_only=True, as_of=moment, newest=50)
        queries.find(store, room=unit, as_of=moment, newest=50)
        callers.register(store, room=unit, newest=5)
        callers.room_history(store, unit, 10, 5)
        select(store, day_period(date(2025, 11, 20), tz), moment)
        select(store, month_period(date(2025, 11, 1), tz), moment)
        db.set_trace_callback(None)
        plans = {sql: [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql)]
                 for sql in statements if sql.lstrip().upper().startswith("SELECT")
                 and " records " in f"{sql} "}
    finally:
        store.one_command = False
        store.close()
    assert len(plans) >= 10
    for sql, plan in plans.items():
        # every register entry may be read: as many as the desk made by hand
        hand_made = "kind = 'resident'" in sql
        assert not any(step.startswith("SCAN records") or "(day<?)" in step
                       or (not hand_made and "records_kind (kind=?)" in step)
                       for step in plan), (sql, plan)


def _indexed_open_ids(root: Path) -> list[str]:
    store = Workspace(root).store
    try:
        return [record.id for record in store.open_records().records]
    finally:
        store.close()


def _copy_to_day(original: Path, root: Path, day: str, old_day: str) -> Path:
    """The record's file in another day folder (its times moved to that day, as a hand edit
    or a merge would leave it)."""
    copy = root / "records" / day.replace("-", "/") / original.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(original.read_text(encoding="utf-8").replace(old_day + "T", day + "T"),
                    encoding="utf-8")
    return copy


def test_a_file_moved_to_an_earlier_day_stays_indexed(workspace):
    root = workspace.root
    record_id = new_call(root, "2026-10-03 09:30", "--callback-by", "17:00")
    (original,) = record_files(root)
    assert listed_ids(root) == [record_id]
    _copy_to_day(original, root, "2026-10-01", "2026-10-03")
    original.unlink()
    assert [r.id for r in Workspace(root).store.scan().records] == [record_id]
    assert _indexed_open_ids(root) == [record_id]


def test_deleting_the_later_of_two_copies_keeps_the_earlier(workspace):
    root = workspace.root
    record_id = new_call(root, "2026-10-01 09:30", "--callback-by", "17:00")
    (original,) = record_files(root)
    copy = _copy_to_day(original, root, "2026-10-03", "2026-10-01")
    assert listed_ids(root) == [record_id]
    copy.unlink()
    assert [r.id for r in Workspace(root).store.scan().records] == [record_id]
    assert _indexed_open_ids(root) == [record_id]


def test_the_overlay_of_a_file_fixed_in_place_keeps_its_folders_name_problem(workspace):
    """The overlay that shows a file fixed in place (write=False) hides that record's rows:
    it hid every row of the folder's listing with them (a file whose name is no text),
    so the command's next question no longer said that file skipped."""
    from dutyctl import callers

    root = workspace.root
    cli = Cli(root)
    assert cli(*call_flags(summary="第一次来电"), "--at", "2026-10-12 09:30").exit_code == 0
    (path,) = record_files(root)
    arrive_broken(path)
    with open(os.path.join(os.fsencode(path.parent), b"\xff.yaml"), "w") as handle:
        handle.write("a: 1\n")
    _settled(root)
    assert "not UTF-8" in cli("list", "--all").stderr
    edit_in_place(path, "kind: [", "kind:")

    store = Workspace(root).store
    store.one_command = True  # its questions on one connection: the overlay stays
    try:
        history = callers.caller_history(store, "13812345678", build=False, files=False,
                                         write=False)
        assert [record.get("summary") for record in history.records] == ["第一次来电"]
        again = store.index.problems()  # the overlay in place
    finally:
        store.close()
    assert ["not UTF-8" in problem.message for problem in again] == [True], again


def test_a_call_filed_late_lists_no_later_call_as_earlier(workspace):
    """A call filed at 09:00 for last night's 02:00 listed the morning's call of the same
    number under "earlier:"; only calls before it are earlier."""
    cli = Cli(workspace.root)
    morning = cli(*call_flags(summary="早上来电"), "--at", "2026-10-13 08:00")
    assert morning.exit_code == 0, morning.stderr
    cli("list", "--all")  # the hint reads an index built, never builds one
    night = cli(*call_flags(summary="夜里来电"), "--at", "2026-10-13 02:00")
    assert night.exit_code == 0, night.stderr
    assert "earlier: 2026-10-13 08:00" not in night.stderr, night.stderr
    later = cli(*call_flags(summary="又来电"), "--at", "2026-10-13 09:00")
    assert later.exit_code == 0, later.output
    assert "earlier: 2026-10-13 08:00" in later.stderr, later.stderr
    assert "earlier: 2026-10-13 02:00" in later.stderr, later.stderr


@pytest.mark.parametrize("seconds, looked_again", [(86_400, False), (30, True)])
def test_folders_stamped_ahead_of_the_clock_are_not_listed_again_at_every_command(
        workspace, monkeypatch, seconds, looked_again):
    """A desk whose clock was put back (every file stamped a day ahead of it): each folder
    was taken as just changed, so every command listed every folder of the history again
    (4-6 s a command on five years). A stamp far ahead is trusted as any settled one; one a
    little ahead (a file server's clock) may still change within its tick: looked into again."""
    from dutyctl.store import index as index_module
    from dutyctl.store.recordstore import Store

    root = workspace.root
    for n in range(3):
        new_call(root, f"2026-10-1{n} 09:30", "--callback-by", "17:00")  # open
    ahead = time.time() + seconds
    for folder in [root / "records", *(path for path in (root / "records").rglob("*")
                                       if path.is_dir())]:
        os.utime(folder, (ahead, ahead))
    config = workspace.config
    Store(workspace.records_dir, config.tz, config, workspace.state_dir).open_records()
    listed = []
    real = index_module.RecordIndex._listing_changed
    monkeypatch.setattr(index_module.RecordIndex, "_listing_changed",
                        lambda self, db, key: listed.append(key) or real(self, db, key))
    again = Store(workspace.records_dir, config.tz, config, workspace.state_dir)
    assert len(again.open_records().records) == 3
    assert bool(listed) is looked_again


def test_a_months_duties_and_call_outs_are_asked_of_the_index(workspace, monkeypatch):
    """`attendance --month` read and parsed every file of the month twice (its duties, then
    its call-outs): 20,000 files on a busy desk, a second where the index answers in 0.2 s. A
    few days (`who`, a clock-in) are still read from their folders."""
    from dutyctl.desk.callout import callouts_between
    from dutyctl.desk.clocking import sessions_between
    from dutyctl.store.recordstore import Store

    root = workspace.root
    for day in (3, 17, 28):
        new_call(root, f"2026-10-{day:02d} 09:30", "--callback-by", "17:00")
    config = workspace.config
    store = Store(workspace.records_dir, config.tz, config, workspace.state_dir)
    store.open_records()  # the index built
    read = []
    real = Store.load_day
    monkeypatch.setattr(Store, "load_day",
                        lambda self, day, problems: read.append(day) or real(self, day, problems))
    first, last = date(2026, 10, 1), date(2026, 10, 31)
    assert sessions_between(store, first, last) == [] and callouts_between(store, first, last) == []
    assert read == []
    sessions_between(store, date(2026, 10, 16), date(2026, 10, 17))
    assert read  # two days' folders: read as they are, no index opened for them
