"""Records filed in the same second (times typed at the desk are whole seconds) list in one
order everywhere: by the moment, then by id (`records.creation_order`), whether the index or
a scan of the files answers, and whichever order the index met them in (another desk's
index met them in another order); those one command files at one instant, in filing order."""

from __future__ import annotations

import itertools
import json
import shutil
from datetime import datetime

import pytest

from dutyctl import queries
from dutyctl.records import creation_order
from dutyctl.store import ids
from dutyctl.store.recordstore import Store
from dutyctl.workspace import Workspace
from tests.helpers_desk import ok_text as ok

AT = "2026-10-05 09:00"
MOMENT = datetime.fromisoformat("2026-10-05T09:00:00+08:00")
COUNT = 5


@pytest.fixture
def descending_ids(monkeypatch):
    """Each new id of a second sorts before the one made before it: the order the records
    were filed is the reverse of their ids' (new_id's random milliseconds can give either)."""
    made = itertools.count()

    def new_id(moment, after=None):
        number = next(made)
        return (ids._encode(int(moment.timestamp()) * 1000 + 999 - number, ids.TIME_LENGTH)
                + ids._encode(number, ids.ID_LENGTH - ids.TIME_LENGTH))

    monkeypatch.setattr(ids, "new_id", new_id)


@pytest.fixture
def same_second(workspace, cli, descending_ids) -> list[str]:
    """COUNT calls filed at the same instant, each one met by the index right after it was
    filed (a `list` between them): the ids, in the order they were filed."""
    filed = []
    for number in range(COUNT):
        filed.append(ok(cli("log", "call", "--name", f"住户{number}", "--room", "3-2-501",
                            "--phone", "13812345678", "--summary", f"咨询{number}",
                            "--at", AT)))
        ok(cli("list", "--format", "json"))
    assert sorted(filed) == filed[::-1]  # filed in the reverse of the ids' order
    return filed


def listed(cli, *args: str) -> list[str]:
    return [row["id"] for row in json.loads(ok(cli("list", "--format", "json", *args)))]


def files_only(workspace) -> Store:
    """The same workspace through a store without a state folder: a scan of the files."""
    return Store(workspace.records_dir, workspace.config.tz, workspace.config)


def test_records_of_one_second_list_by_id_from_the_index_and_the_files(workspace, cli,
                                                                       same_second):
    by_id = sorted(same_second)
    assert listed(cli) == by_id
    assert [record.id for record in queries.find(files_only(workspace)).records] == by_id
    assert [record.id for record in queries.find(workspace.store).records] == by_id


def test_the_newest_few_of_one_second_are_the_same_on_every_desk(workspace, cli, same_second):
    """A cut inside one second keeps the highest ids: not the records this index met last."""
    by_id = sorted(same_second)
    assert listed(cli, "--limit", "2") == by_id[-2:]
    scanned = queries.find(files_only(workspace), newest=2)
    assert [record.id for record in scanned.records] == by_id[-2:]
    # another desk's index, built from the files at once, met them in another order
    shutil.rmtree(workspace.root / ".dutyctl")
    assert listed(cli, "--limit", "2") == by_id[-2:]
    table = ok(cli("list", "--limit", "2"))
    assert [ids.short(record_id) in table for record_id in by_id] == [False] * 3 + [True] * 2


def test_a_callers_newest_records_cut_inside_one_second_alike(workspace, same_second):
    from dutyctl import callers

    history = callers.caller_history(workspace.store, "13812345678", recent=2)
    assert [record.id for record in history.records] == sorted(same_second)[:-3:-1]


def test_creation_order_is_the_moment_then_the_id(workspace, cli, same_second):
    records = Workspace(workspace.root).store.scan().records
    assert [creation_order(record) for record in records] == [
        (MOMENT, record_id) for record_id in sorted(same_second)]


@pytest.mark.parametrize("command", [("caller", "13812345678"), ("room", "3-2-501")])
def test_no_recent_records_asked_is_an_empty_cut(workspace, cli, command):
    """--recent 0: the open records only, no cut to make (the newest none of them)."""
    ok(cli("log", "call", "--name", "住户", "--room", "3-2-501", "--phone", "13812345678",
           "--summary", "咨询", "--callback-by", "2026-10-05 12:00", "--at", AT))
    ok(cli("log", "call", "--name", "住户", "--room", "3-2-501", "--phone", "13812345678",
           "--summary", "已答复", "--at", AT))
    shown = json.loads(ok(cli(*command, "--recent", "0", "--format", "json")))
    assert [record["text"] for record in shown["records"]] == ["咨询"]  # awaits its callback


def test_a_call_and_its_ticket_filed_by_one_command_list_in_the_order_filed(workspace, cli,
                                                                           monkeypatch):
    """`log call --file-ticket` files both at one instant: new_id's random milliseconds would
    put the ticket first half the time (here always: 999 for the call, 0 after); the store
    gives the ticket an id after the call's."""
    import os

    real, draws = os.urandom, itertools.chain([999], itertools.repeat(0))
    monkeypatch.setattr(ids.os, "urandom",
                        lambda size: next(draws).to_bytes(4, "big") if size == 4 else real(size))
    filed = ok(cli("log", "call", "--name", "李四", "--room", "5-1-1202", "--phone",
                   "13900001111", "--category", "repair", "--summary", "水管漏了",
                   "--file-ticket", "--at", AT)).split()
    assert len(filed) == 2  # the call, then its repair
    assert ids.short(filed[0]) != ids.short(filed[1])  # each named by what people type
    records = sorted(workspace.store.scan().records, key=creation_order)
    assert [record.id for record in records] == filed
    assert len({record.created_at for record in records}) == 1
    assert listed(cli) == filed  # the index answers alike
