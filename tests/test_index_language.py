"""The record index keeps no translated text: a file it could not read is named in the
language of the command that shows it, whichever language built the index."""

from __future__ import annotations

import sqlite3

import pytest

from dutyctl.store import index as index_module
from tests.conftest import Cli
from tests.helpers_foundation import record_files
from tests.test_index import index_path, new_call

# what each bad file is, in each language (the catalogue's words, not the code's); the size
# cap's problem is of the whole file (`path: what`), the others of a line (`path:line: what`)
SAID = {
    "en": {"broken": "not valid YAML", "newer": "schema: written by a newer dutyctl (schema 99)",
           "big": "larger than 4 MB: refused",
           "orphan": "event of a record that does not exist here"},
    "zh_CN": {"broken": "YAML 格式错误", "newer": "schema: 由更新版本的 dutyctl 写入（schema 99）",
              "big": "超过 4 MB：拒绝读取", "orphan": "所属记录在此不存在的处理步骤"},
}
LINE = {"broken": "2", "newer": "3", "big": None, "orphan": "1"}
FOLDER = "records/2026/10/02"


def _bad_files(root) -> dict[str, str]:
    """A day folder holding files another desk could have pushed: broken YAML, a record of a
    newer schema, one over the size cap, an event without its record. Returns name -> what."""
    made = new_call(root, "2026-10-02 09:30")
    (good,) = [path for path in record_files(root) if path.name == f"{made}.yaml"]
    folder = good.parent
    assert folder == root / FOLDER
    newer = good.read_text(encoding="utf-8").replace(made, "01M0000000000000000000000B")
    assert newer.splitlines()[2] == "schema: 1"
    (folder / "01M0000000000000000000000A.yaml").write_text("id: [broken\n", encoding="utf-8")
    (folder / "01M0000000000000000000000B.yaml").write_text(
        newer.replace("schema: 1\n", "schema: 99\n"), encoding="utf-8")
    (folder / "01M0000000000000000000000C.yaml").write_text("x" * (4 * 1024 * 1024 + 1),
                                                            encoding="utf-8")
    (folder / "01M0000000000000000000000E.01M0000000000000000000000F.yaml").write_text(
        "id: 01M0000000000000000000000F\nrecord: 01M0000000000000000000000E\n"
        "at: 2026-10-02T10:00:00+08:00\nby: zhangwei\naction: note\nschema: 1\n",
        encoding="utf-8")
    return {"01M0000000000000000000000A.yaml": "broken", "01M0000000000000000000000B.yaml": "newer",
            "01M0000000000000000000000C.yaml": "big",
            "01M0000000000000000000000E.01M0000000000000000000000F.yaml": "orphan"}


def _skipped(result) -> list[str]:
    """The files a command read around, as it named them on stderr (`skipped: ...`)."""
    assert result.exit_code == 0, result.stderr
    return [line for line in result.stderr.splitlines() if f"{FOLDER}/" in line]


def _stored_problems(root) -> str:
    db = sqlite3.connect(index_path(root))
    try:
        return " ".join(map(str, db.execute("SELECT * FROM problems").fetchall()))
    finally:
        db.close()


@pytest.mark.parametrize("built_in, shown_in", [("zh_CN", "en"), ("en", "zh_CN")])
def test_a_skipped_file_is_named_in_the_language_of_the_command_showing_it(
        workspace, built_in, shown_in):
    """An index built by a desk in one language, read by a desk in the other (`--lang`, or
    DUTYCTL_LANG): each unreadable file is named in the reader's language, `path:line: what
    is wrong`, the very lines a command in that language gives from the files alone."""
    root = workspace.root
    bad = _bad_files(root)
    cli = Cli(root)
    assert not index_path(root).exists()
    built = _skipped(cli("--lang", built_in, "list", "--all", "--format", "csv"))
    assert index_path(root).exists() and len(built) == len(bad)
    stored = _stored_problems(root)
    assert all(name in stored for name in bad)
    for words in (*SAID["en"].values(), *SAID["zh_CN"].values()):
        assert words not in stored  # which files, never what was said about them
    questions = [("--lang", shown_in, "list", "--all", "--format", "csv"),
                 ("--lang", shown_in, "list", "--open"), ("list", "--kind", "call")]
    shown = {question: _skipped(cli(*question, env={"DUTYCTL_LANG": shown_in}))
             for question in questions}
    for lines in shown.values():
        assert len(lines) == len(bad), lines
        for name, what in bad.items():
            (line,) = [line for line in lines if f"/{name}:" in line]
            where = f"{FOLDER}/{name}:" + (f"{LINE[what]}:" if LINE[what] else "")
            assert line[line.index(FOLDER):].startswith(f"{where} {SAID[shown_in][what]}"), line
            assert SAID[built_in][what] not in line, line
    (index_path(root)).unlink()  # from the files alone, in that language
    assert _skipped(cli(*questions[0])) == shown[questions[0]]


def test_an_index_of_the_version_that_kept_the_words_is_built_again(workspace):
    """An index written before (version 5: each problem's words, in its builder's language)
    is not read as this one: the next question builds it again, and its words are gone."""
    root = workspace.root
    bad = _bad_files(root)
    cli = Cli(root)
    _skipped(cli("--lang", "en", "list", "--all"))
    db = sqlite3.connect(index_path(root))
    try:  # what version 5 stored: the words of a desk in Chinese
        db.executescript("""
            DROP TABLE problems;
            CREATE TABLE problems(day TEXT NOT NULL, rid TEXT NOT NULL, path TEXT,
                                  line INTEGER, message TEXT);
            UPDATE meta SET value = '5' WHERE key IN ('version', 'complete');""")
        db.execute("INSERT INTO problems VALUES ('2026-10-02', '01M0000000000000000000000A', "
                   "?, 2, ?)", (f"{FOLDER}/01M0000000000000000000000A.yaml",
                                SAID["zh_CN"]["broken"]))
        db.commit()
    finally:
        db.close()
    lines = _skipped(cli("--lang", "en", "list", "--all"))
    assert len(lines) == len(bad) and all(SAID["en"][what] in " ".join(lines)
                                          for what in bad.values()), lines
    assert SAID["zh_CN"]["broken"] not in " ".join(lines)
    db = sqlite3.connect(index_path(root))
    try:
        assert dict(db.execute("SELECT * FROM meta WHERE key IN ('version', 'complete')")) == {
            "version": index_module.VERSION, "complete": index_module.VERSION}
        columns = [row[1] for row in db.execute("PRAGMA table_info(problems)")]
    finally:
        db.close()
    assert "message" not in columns and SAID["zh_CN"]["broken"] not in _stored_problems(root)


def test_a_command_reads_each_unreadable_file_again_once(workspace, monkeypatch):
    """`log call` asks the index four questions (the register, the caller's history): the
    day's unreadable files are read again once, not once a question."""
    from dutyctl.store.recordstore import Store

    root = workspace.root
    bad = _bad_files(root)
    cli = Cli(root)
    _skipped(cli("list", "--all"))  # the index built, its problems noted
    read, real = [], Store.read_files

    def counted(self, day, names, found):
        read.extend(names)
        return real(self, day, names, found)

    monkeypatch.setattr(Store, "read_files", counted)
    logged = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                 "--summary", "卫生间漏水", "--at", "2026-10-03 09:00")
    assert logged.exit_code == 0, logged.stderr
    again = sorted(name for name in read if name in bad)  # (the call's own file is read too)
    assert again == sorted(bad), read
