"""One command asks the index several questions (log call asks six): it reads the folders once,
yet never answers from before its own writes, nor from before a pause (a prompt)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

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
