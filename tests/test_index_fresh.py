"""One command asks the index several questions (log call asks six): it reads the folders once,
yet never answers from before its own writes, nor from before a pause (a prompt)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dutyctl.store import index as index_module
from dutyctl.kinds import call as calls

SHANGHAI = timezone(timedelta(hours=8))


def log(store, config, room: str, hour: int):
    return calls.log_call(store, config, resident={"name": "张三", "room": room,
                                                   "phone": "13812345678"},
                          category=None, summary="物业费怎么交", callback_by=datetime(
                              2026, 10, 12, 17, 0, tzinfo=SHANGHAI),
                          at=datetime(2026, 10, 12, hour, 0, tzinfo=SHANGHAI), by="zhangwei")


def open_ids(store) -> list[str]:
    return [record.id for record in store.open_records(("call",)).records]


def test_questions_in_a_row_read_the_folders_once(workspace, monkeypatch):
    store = workspace.store
    store.one_command = True  # as the CLI makes it
    first = log(store, workspace.config, "3-2-501", 9)
    refreshes = []
    real = index_module.RecordIndex.refresh
    monkeypatch.setattr(index_module.RecordIndex, "refresh",
                        lambda self, *args: refreshes.append(1) or real(self, *args))
    assert open_ids(store) == [first.id]
    assert open_ids(store) == [first.id]
    assert len(refreshes) == 1
    second = log(store, workspace.config, "3-2-502", 10)  # its own write: read again
    assert open_ids(store) == [first.id, second.id]
    assert len(refreshes) == 2


def test_after_a_pause_another_desks_record_is_seen(workspace, monkeypatch):
    from dutyctl.workspace import Workspace

    store = workspace.store
    store.one_command = True
    first = log(store, workspace.config, "3-2-501", 9)
    assert open_ids(store) == [first.id]
    other_desk = Workspace(workspace.root)  # another process, as far as this store knows
    second = log(other_desk.store, other_desk.config, "3-2-502", 10)
    clock = [index_module.time.monotonic() + index_module.FRESH_SECONDS]
    monkeypatch.setattr(index_module.time, "monotonic", lambda: clock[0])
    assert open_ids(store) == [first.id, second.id]


def test_a_store_serving_more_than_one_command_asks_afresh_each_time(workspace):
    from dutyctl.workspace import Workspace

    store = workspace.store  # a library user's, or a test's: not one command
    first = log(store, workspace.config, "3-2-501", 9)
    assert open_ids(store) == [first.id]
    other_desk = Workspace(workspace.root)
    second = log(other_desk.store, other_desk.config, "3-2-502", 10)
    assert open_ids(store) == [first.id, second.id]
    assert store.index._db is None  # and no connection outlives its question


# -- the caller hint after `log call`: no write, no flush ------------------------------------

def _call(cli, at: str, summary: str) -> str:
    done = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
               "--summary", summary, "--at", at)
    assert done.exit_code == 0, done.output
    return done.stdout.split()[0]


def _index_state(root) -> tuple[bytes, bool]:
    path = root / ".dutyctl" / index_module.INDEX_FILE
    return path.read_bytes(), path.with_name(path.name + "-wal").exists()


def test_the_caller_hint_answers_from_the_index_as_it_stands_without_writing_it(cli, clock):
    _hint_leaves_the_index_alone(cli)


@pytest.mark.auto_commit
def test_the_caller_hint_leaves_the_index_alone_after_its_own_commit(cli, clock):
    """With auto-commit (init's default) the call's own commit moves HEAD: that alone does
    not make the hint take the index up to date."""
    _hint_leaves_the_index_alone(cli)


def _hint_leaves_the_index_alone(cli):
    first = _call(cli, "2026-10-12 08:00", "物业费怎么交")
    assert cli("list").exit_code == 0  # the index built, and holding the first call
    before = _index_state(cli.root)
    assert before[1] is False  # closed cleanly: no write-ahead log left to replay
    done = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
               "--summary", "停车卡怎么办", "--at", "2026-10-12 09:00")
    assert done.exit_code == 0, done.output
    second = done.stdout.split()[0]
    # the hint: the earlier call, never the one just filed
    earlier = [line for line in done.stderr.splitlines() if "earlier:" in line]
    assert len(earlier) == 1 and "物业费怎么交" in earlier[0], done.stderr
    # the index file not written (so nothing flushed at the close), no log left behind
    assert _index_state(cli.root) == before
    # the next reader takes the new call in
    listed = cli("list", "--kind", "call")
    assert listed.exit_code == 0, listed.output
    from dutyctl.workspace import Workspace

    ids = {record.id for record in Workspace(cli.root).store.open_records(("call",)).records}
    assert ids <= {first, second}
    assert {record.id for record in Workspace(cli.root).store.index.query("kind = 'call'")
            .records} == {first, second}


def _third_call_hinting_both(cli):
    """A third call from 张三 at 09:00: its hint names both earlier calls, newest first."""
    done = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
               "--summary", "停车卡怎么办", "--at", "2026-10-12 09:00")
    assert done.exit_code == 0, done.output
    earlier = [line for line in done.stderr.splitlines() if "earlier:" in line]
    assert len(earlier) == 2 and "电梯异响" in earlier[0] and "物业费怎么交" in earlier[1], \
        done.stderr
    return done


def test_the_caller_hint_reads_what_another_desk_wrote_first(cli, clock, workspace):
    _call(cli, "2026-10-12 08:00", "物业费怎么交")
    assert cli("list").exit_code == 0
    other_desk = calls.log_call(
        type(workspace)(cli.root).store, workspace.config,
        resident={"name": "张三", "room": "3-2-501", "phone": "13812345678"}, category=None,
        summary="电梯异响", callback_by=None,
        at=datetime(2026, 10, 12, 8, 30, tzinfo=SHANGHAI), by="zhangwei")
    before = _index_state(cli.root)
    _third_call_hinting_both(cli)
    assert _index_state(cli.root) == before  # read beside the index, not written into it
    assert other_desk.id in {record.id for record in type(workspace)(cli.root).store.index
                             .query("kind = 'call'").records}


def test_back_to_back_calls_are_hinted_without_writing_the_index(cli, clock):
    """The desk's calls follow each other with no reading command between: each hint reads
    the calls the index lacks beside it, and the index file is never written (no flush)."""
    first = _call(cli, "2026-10-12 08:00", "物业费怎么交")
    assert cli("list").exit_code == 0
    before = _index_state(cli.root)
    second = _call(cli, "2026-10-12 08:30", "电梯异响")
    done = _third_call_hinting_both(cli)
    assert _index_state(cli.root) == before
    from dutyctl.workspace import Workspace

    assert {record.id for record in Workspace(cli.root).store.index.query("kind = 'call'")
            .records} == {first, second, done.stdout.split()[0]}


def test_a_file_deleted_since_the_index_looked_is_not_hinted(cli, clock):
    from tests.helpers_foundation import record_files

    _call(cli, "2026-10-12 08:00", "物业费怎么交")
    assert cli("list").exit_code == 0
    before = _index_state(cli.root)
    (gone,) = record_files(cli.root)
    gone.unlink()
    done = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
               "--summary", "停车卡怎么办", "--at", "2026-10-12 09:00")
    assert done.exit_code == 0, done.output
    assert "earlier:" not in done.stderr and "known caller" not in done.stderr
    assert _index_state(cli.root) == before


def test_more_changes_than_an_overlay_holds_bring_the_index_up_to_date(cli, clock,
                                                                       monkeypatch):
    _call(cli, "2026-10-12 08:00", "物业费怎么交")
    assert cli("list").exit_code == 0
    before = _index_state(cli.root)
    _call(cli, "2026-10-12 08:30", "电梯异响")
    monkeypatch.setattr(index_module, "OVERLAY_MAX", 1)  # this call and the one before: 2
    done = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
               "--summary", "停车卡怎么办", "--at", "2026-10-12 09:00")
    assert done.exit_code == 0, done.output
    assert len([line for line in done.stderr.splitlines() if "earlier:" in line]) == 2
    assert _index_state(cli.root) != before


def test_a_question_that_may_write_after_an_overlay_takes_the_files_in(workspace):
    from dutyctl import callers

    store = workspace.store
    first = log(store, workspace.config, "3-2-501", 9)
    assert open_ids(store) == [first.id]  # the index built
    store.one_command = True
    second = log(store, workspace.config, "3-2-502", 10)
    history = callers.caller_history(store, "13812345678", build=False, files=False,
                                     write=False)
    assert [record.id for record in history.records] == [second.id, first.id]
    assert store.index._overlaid
    third = log(store, workspace.config, "3-2-503", 11)  # a write: the next question refreshes
    assert open_ids(store) == [first.id, second.id, third.id]
    assert not store.index._overlaid
    store.close()
    assert {record.id for record in workspace.store.index.query("kind = 'call'").records} == {
        first.id, second.id, third.id}


def test_the_overlay_keeps_the_index_s_own_search_paths(workspace):
    """Through the temporary views the hint's questions still seek the index's indexes: the
    cost stays the caller's records, not the years of history."""
    store = workspace.store
    log(store, workspace.config, "3-2-501", 9)
    open_ids(store)
    store.one_command = True
    log(store, workspace.config, "3-2-502", 10)
    index = store.index
    index.writing = False
    db = index.db()
    assert index._overlaid
    for sql in ("SELECT doc FROM records WHERE n IN (SELECT n FROM records WHERE (kind != 'r' "
                "AND phone_key = ?) ORDER BY n DESC LIMIT 5)",
                "SELECT n, phone_key, room FROM records WHERE phone_key IS NOT NULL AND "
                "(phone_key = ?) ORDER BY n DESC",
                "SELECT doc FROM records WHERE kind = ?"):
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, ("x",))]
        assert any(step.startswith("SEARCH main.records USING INDEX") for step in plan), plan
        assert not any(step.startswith("SCAN main.records") for step in plan), plan
    store.close()


def test_a_search_under_an_overlay_brings_the_index_up_to_date(workspace):
    """The full-text table has no rows for the records an overlay shows: a search asked with
    writing off refreshes instead of missing them."""
    store = workspace.store
    first = log(store, workspace.config, "3-2-501", 9)
    assert open_ids(store) == [first.id]  # the index built
    store.one_command = True
    second = calls.log_call(store, workspace.config, resident={
        "name": "李四", "room": "5-1-1202", "phone": "13900001111"}, category=None,
        summary="电梯异响", callback_by=None,
        at=datetime(2026, 10, 12, 10, 0, tzinfo=SHANGHAI), by="zhangwei")
    index = store.index
    index.writing = False
    index.db()
    assert index._overlaid  # the other questions read the new call beside the index
    found = index.search(["电梯"], {})
    assert [record.id for record in found.records] == [second.id]
    assert not index._overlaid
    store.close()
    assert [record.id for record in workspace.store.index.search(["电梯"], {}).records] == [
        second.id]


# -- the overlay agrees with a refresh when a record's file is in two day folders ------------

def _copies(workspace, steps) -> tuple[list[str], list[str]]:
    """A call on 2026-10-03, the index built; then `steps(original)` with the index written
    by a refresh after each but the last. (The hint's answer with writing off, then a
    refreshed index's): each as the paths of the caller's records."""
    from dutyctl import callers
    from dutyctl.workspace import Workspace
    from tests.helpers_foundation import record_files

    store = workspace.store
    made = calls.log_call(store, workspace.config, resident={
        "name": "张三", "room": "3-2-501", "phone": "13812345678"}, category=None,
        summary="物业费怎么交", callback_by=datetime(2026, 10, 3, 17, 0, tzinfo=SHANGHAI),
        at=datetime(2026, 10, 3, 9, 30, tzinfo=SHANGHAI), by="zhangwei")
    assert open_ids(store) == [made.id]
    (original,) = record_files(workspace.root)
    *earlier, last = steps(original)
    for step in earlier:
        step()
        assert open_ids(Workspace(workspace.root).store) == [made.id]
    last()
    hinted = Workspace(workspace.root).store
    hinted.one_command = True
    answer = callers.caller_history(hinted, "13812345678", build=False, files=False,
                                    write=False)
    hinted.close()
    refreshed = callers.caller_history(Workspace(workspace.root).store, "13812345678")
    return ([record.path for record in answer.records],
            [record.path for record in refreshed.records])


def _to_day(original, day: str):
    """The call's file copied to another day folder, its times moved to that day."""
    copy = original.parents[1] / day / original.name
    return lambda: (copy.parent.mkdir(exist_ok=True), copy.write_text(
        original.read_text(encoding="utf-8").replace("2026-10-03T", f"2026-10-{day}T"),
        encoding="utf-8"))


@pytest.mark.parametrize("case", ["moved to an earlier day", "earlier copy, later deleted",
                                  "later copy, earlier deleted", "copied to an earlier day",
                                  "copied to a later day"])
def test_the_hint_answers_as_a_refresh_when_a_file_is_in_two_day_folders(workspace, case):
    def steps(original):
        later = original.parents[1] / "05" / original.name
        return {"moved to an earlier day": [lambda: (_to_day(original, "01")(),
                                                     original.unlink())],
                "earlier copy, later deleted": [_to_day(original, "01"), original.unlink],
                "later copy, earlier deleted": [_to_day(original, "05"), original.unlink],
                "copied to an earlier day": [_to_day(original, "01")],
                "copied to a later day": [_to_day(original, "05"),
                                          lambda: later.unlink() or _to_day(original, "05")()],
                }[case]

    hinted, refreshed = _copies(workspace, steps)
    assert len(refreshed) == 1
    assert hinted == refreshed
