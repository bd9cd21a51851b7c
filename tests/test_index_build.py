"""Building the record index from scratch: what it reads of each file (bytes, stamps, problems)
is what a scan of the files and a later look at the folders see."""

from __future__ import annotations

import os
import sqlite3
from datetime import date

import pytest

from dutyctl import yamlcache
from dutyctl.store import index as index_module
from dutyctl.workspace import Workspace
from tests.helpers_foundation import record_files
from tests.test_index import generated, index_path, listed_ids, new_call  # noqa: F401 (fixture)

__all__ = ["generated"]  # fixtures pytest finds here by name


def _stored_stamps(root, day: str) -> dict[str, tuple[int, int]]:
    db = sqlite3.connect(index_path(root))
    try:
        return {name: (mtime, size) for name, mtime, size in db.execute(
            "SELECT name, mtime, size FROM files WHERE day = ?", (day,))}
    finally:
        db.close()


def test_a_build_reads_odd_files_as_a_scan_does_and_stamps_them_as_a_later_look(workspace,
                                                                               monkeypatch):
    """The build reads each plain file with the stat that stamps it (no second look): links,
    FIFOs, folders, broken and empty files give the problems a scan gives, and the stamps it
    stores are those the next look at the folder compares with (nothing is read again)."""
    root = workspace.root
    made = [new_call(root, f"2026-10-0{day} 09:30", "--callback-by", "17:00")
            for day in range(1, 4)]
    folder = root / "records" / "2026" / "10" / "02"
    (first,) = [path for path in record_files(root) if path.name == f"{made[0]}.yaml"]
    (folder / "01M0000000000000000000000A.yaml").symlink_to(first)
    os.mkfifo(folder / "01M0000000000000000000000B.yaml")
    (folder / "01M0000000000000000000000C.yaml").mkdir()
    (folder / "01M0000000000000000000000D.yaml").write_text("id: [broken\n", encoding="utf-8")
    (folder / "01M0000000000000000000000E.yaml").write_text("", encoding="utf-8")
    (folder / "01M0000000000000000000000F.yaml").write_bytes(b"id: '\xff'\n")

    # every folder counts as just written: a later look compares its files' stamps
    monkeypatch.setattr(yamlcache, "RACY_SECONDS", 10 ** 9)
    scanned = Workspace(root).store.scan()
    store = Workspace(root).store
    indexed = store.open_records()
    assert [record.id for record in indexed.records] == made
    assert sorted(store.index.problems()) == sorted(scanned.problems)
    said = " ".join(problem.message for problem in scanned.problems)
    for word in ("a symbolic link", "not a plain file", "not UTF-8", "expected fields written"):
        assert word in said
    store.close()
    for day in ("2026-10-01", "2026-10-02", "2026-10-03"):
        stamps = index_module._file_stamps(root / "records" / day.replace("-", "/"))[0]
        assert _stored_stamps(root, day) == stamps and stamps

    def read_again(*args):
        raise AssertionError(f"read again: {args}")

    monkeypatch.setattr(store, "read_files", read_again)
    # still racy, and no file changed: nothing to read again, nothing written
    assert store.index.refresh() == 0
    store.close()
    db = sqlite3.connect(index_path(root))
    try:  # a new index file gets the build's page size
        assert db.execute("PRAGMA page_size").fetchone() == (index_module.PAGE_SIZE,) != (4096,)
    finally:
        db.close()


def test_an_id_in_two_folders_is_kept_once_from_the_later_folder(workspace):
    """A record file copied into another day's folder (its time moved to that day) is one
    record to the index, as it always was: the later folder's, read last."""
    root = workspace.root
    record_id = new_call(root, "2026-10-01 09:30", "--callback-by", "17:00")
    (original,) = record_files(root)
    copy = root / "records" / "2026" / "10" / "03" / original.name
    copy.parent.mkdir(parents=True)
    copy.write_text(original.read_text(encoding="utf-8").replace("2026-10-01T", "2026-10-03T"),
                    encoding="utf-8")
    store = Workspace(root).store
    (record,) = store.open_records().records
    assert record.id == record_id and record.created_at.date() == date(2026, 10, 3)
    assert record.path == str(copy)


def _texts_without_a_record(root) -> int:
    db = sqlite3.connect(index_path(root))
    try:
        (count,) = db.execute("SELECT COUNT(*) FROM texts WHERE rowid NOT IN "
                              "(SELECT n FROM records)").fetchone()
        return count
    finally:
        db.close()


@pytest.mark.parametrize("when", ["built with both", "copy pulled in later"])
def test_an_id_in_two_folders_leaves_no_search_text_of_the_replaced_record(workspace, when):
    """The earlier folder's record gives way to the later one's, and its search text with it:
    search no longer finds words only the replaced copy held, whether both folders came in one
    build or the later one arrived after; an edit of the earlier file changes nothing."""
    from dutyctl.tickets.search import find as search_find

    root = workspace.root
    record_id = new_call(root, "2026-10-01 09:30", "--callback-by", "17:00")
    (original,) = record_files(root)
    copy = root / "records" / "2026" / "10" / "03" / original.name
    copy.parent.mkdir(parents=True)
    moved = original.read_text(encoding="utf-8").replace("2026-10-01T", "2026-10-03T")
    assert "卫生间漏水" in moved
    if when == "copy pulled in later":
        assert listed_ids(root) == [record_id]  # the index holds the first copy
    copy.write_text(moved.replace("卫生间漏水", "楼道灯不亮"), encoding="utf-8")

    def found(word: str) -> list[tuple[str, date]]:
        store = Workspace(root).store
        hits, _, _ = search_find(store, word, workspace.config)
        store.close()
        return [(hit.record.id, hit.record.created_at.date()) for hit in hits]

    assert found("漏水") == []
    assert found("灯不亮") == [(record_id, date(2026, 10, 3))]
    original.write_text(original.read_text(encoding="utf-8").replace("卫生间漏水", "门禁坏了"),
                        encoding="utf-8")
    assert found("门禁") == [] and found("灯不亮") == [(record_id, date(2026, 10, 3))]
    assert _texts_without_a_record(root) == 0


REPEATED_LINES = [
    "a:\n  room: '3'\n", "room: '3'\n", "a: |\n  room: '3'\n", "a:\n- room: '3'\n",
    "a:\n  - room: '3'\n", "room: '3'\nroom: '3'\n", "b: x\nroom: '3'\n  c: d\n",
    "room: 'it''s'\n", "room: ''\n", "schema: 1\nby: x\n", "a:\n  schema: 1\n  by: x\n",
    "a:\n  by: x\nby: x\n", "yes: '3'\n", "room: '3' # note\n",
]


def test_the_fast_reader_reads_a_line_met_before_as_the_yaml_parser_does_where_it_is():
    """The fast reader remembers whole `key: value` lines and reads quoted texts without its
    checks: the same line again (at another depth, in a `|` block, a list, twice in one
    mapping) still gives the parser's values, lines and errors."""
    from dutyctl.store import fastyaml, yamlio
    from tests.test_index import _same

    for _ in range(2):  # the second time, every line is one met before
        for text in REPEATED_LINES:
            try:
                expected = yamlio.loads(text, "f.yaml")
            except Exception as exc:  # noqa: BLE001 - compared below
                with pytest.raises(type(exc)) as raised:
                    fastyaml.loads(text, "f.yaml")
                assert str(raised.value) == str(exc), text
            else:
                assert _same(fastyaml.loads(text, "f.yaml"), expected), text


def _copy_without_state(generated, tmp_path):
    import shutil

    root = tmp_path / "site"
    shutil.copytree(generated.root, root, symlinks=True,
                    ignore=shutil.ignore_patterns(".dutyctl"))
    return root


def _build_in_workers(monkeypatch) -> None:
    """Every build below reads its folders in two worker processes, a few per transaction."""
    from dutyctl.store import storage

    monkeypatch.setattr(storage.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(storage, "PARALLEL_MIN_ITEMS", 1)
    monkeypatch.setattr(index_module, "PROGRESS_MIN_DAYS", 3)
    monkeypatch.setattr(index_module, "BATCH_DAYS", 2)


def test_bad_files_in_the_middle_of_a_build_in_workers_are_skipped_with_a_notice(
        generated, tmp_path, monkeypatch):
    """A day folder in the middle of the history holds files no desk could have written right
    (broken YAML, not UTF-8, a link, a FIFO, a file over the size cap, an event without its
    record): the build in worker processes goes on, every good record is indexed, and the
    command names each bad file once on stderr, as a scan of the files does."""
    from tests.conftest import Cli

    root = _copy_without_state(generated, tmp_path)
    _build_in_workers(monkeypatch)
    middle = root / "records" / "2025" / "11" / "20"
    assert middle.is_dir() and sorted(middle.parent.iterdir())[0] != middle
    bad = {"01M0000000000000000000000A.yaml": "id: [broken\n",
           "01M0000000000000000000000B.yaml": b"id: '\xff'\n",
           "01M0000000000000000000000D.yaml": "x" * (4 * 1024 * 1024 + 1),
           "01M0000000000000000000000E.01M0000000000000000000000F.yaml":
               "id: 01M0000000000000000000000F\nrecord: 01M0000000000000000000000E\n"}
    for name, content in bad.items():
        if isinstance(content, bytes):
            (middle / name).write_bytes(content)
        else:
            (middle / name).write_text(content, encoding="utf-8")
    (middle / "01M0000000000000000000000C.yaml").symlink_to("/dev/zero")
    os.mkfifo(middle / "01M00000000000000000000010.yaml")

    scanned = Workspace(root).store.scan()
    result = Cli(root)("list", "--all", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    listed = [line.split(",")[0] for line in result.stdout.splitlines()[1:]]
    assert listed == [record.id for record in scanned.records] and len(listed) > 300
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    assert sorted(skipped) == sorted(f"skipped: {problem}" for problem in scanned.problems)
    for name in [*bad, "01M0000000000000000000000C.yaml", "01M00000000000000000000010.yaml"]:
        assert any(f"records/2025/11/20/{name}:" in line for line in skipped), name
    store = Workspace(root).store
    assert sorted(store.index.problems()) == sorted(scanned.problems)
    store.close()


KILLED_BUILD = """
import os, signal, sys
from pathlib import Path
from dutyctl.store import index, storage
from dutyctl.workspace import Workspace

storage.os.cpu_count = lambda: 2
storage.PARALLEL_MIN_ITEMS, index.PROGRESS_MIN_DAYS, index.BATCH_DAYS = 1, 3, 2

def killed(done, total, day):  # the command and its workers, with no chance to clean up
    if done >= 4:
        os.killpg(os.getpgid(0), signal.SIGKILL)

store = Workspace(Path(sys.argv[1])).store
store.progress = killed
store.open_records()
"""


def test_a_build_killed_with_its_workers_leaves_an_index_the_next_command_finishes(
        generated, tmp_path):
    """SIGKILL to a build and its worker processes mid-way (no rollback, no clean-up): the
    index file is sound (SQLite's integrity check), holds the finished batches only, is not
    marked complete, and the next question finishes it to what the files say."""
    import signal
    import subprocess
    import sys

    root = _copy_without_state(generated, tmp_path)
    done = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(root)], timeout=120,
                          start_new_session=True, capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    db = sqlite3.connect(index_path(root))
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        days = [day for (day,) in db.execute("SELECT day FROM days ORDER BY day")]
        assert len(days) == 4 and not db.execute(
            "SELECT 1 FROM meta WHERE key = 'complete'").fetchall()
        assert {day for (day,) in db.execute("SELECT DISTINCT day FROM records")} <= set(days)
    finally:
        db.close()
    scanned = Workspace(root).store.scan()
    store = Workspace(root).store
    assert [record.id for record in store.index.query().records] == [
        record.id for record in scanned.records]
    assert store.index.exists
    store.close()
    assert _texts_without_a_record(root) == 0
