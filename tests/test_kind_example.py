"""The worked example of docs/architecture.md ("The kind registry") works as written: its kind
module, run from the page, registers a kind the store files, steps and judges like any other."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from dutyctl import records
from dutyctl.errors import Refused

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
CST = timezone(timedelta(hours=8))


@pytest.fixture
def suggestion_kind():
    text = GUIDE.read_text(encoding="utf-8")
    (block,) = re.findall(r"```python\n(# dutyctl/kinds/suggestion\.py\n.*?)```", text, re.S)
    records.kinds()  # the package's own kinds first
    namespace: dict = {}
    exec(compile(block, "dutyctl/kinds/suggestion.py", "exec"), namespace)
    yield namespace["SUGGESTION"]
    del records._REGISTRY["suggestion"]


def test_the_worked_example_kind_lives_its_life(workspace, suggestion_kind):
    store = workspace.store
    at = datetime(2026, 10, 5, 9, 0, tzinfo=CST)
    filed = store.create("suggestion", {
        "resident": {"name": "张三", "room": "3-2-501", "phone": "13812345678"},
        "category": "greening", "content": "小区东门加装雨棚", "urgency": "general"},
        at=at, by="zhangwei")
    assert records.kind_spec("suggestion") is suggestion_kind
    assert (filed.status, records.assignee(filed)) == ("open", "zhangwei")
    handled = store.append(filed, "handle", at=at + timedelta(hours=1), by="lina",
                           note="已转物业经理")
    assert (handled.status, records.assignee(handled)) == ("handling", "lina")
    closed = store.append(handled, "close", at=at + timedelta(hours=2), by="lina", note="已采纳")
    assert closed.status == "closed"
    with pytest.raises(Refused, match="handle is only possible when it is open or handling"):
        store.append(closed, "handle", at=at + timedelta(hours=3), by="lina", note="再看看")
    (read_back,) = store.scan(kinds=("suggestion",)).records
    assert read_back.status == "closed" and len(read_back.events) == 2


def test_the_worked_example_kind_has_its_word_event_data_and_handover_place(workspace,
                                                                          suggestion_kind):
    from dutyctl import queries
    from dutyctl.desk.handover import open_items
    from dutyctl.errors import Problem
    from dutyctl.records import parse_event

    assert records.kind_word("suggestion") == "suggestion"
    assert queries.find(workspace.store, kind="suggestion").records == []  # a known kind
    # its close event is checked like a ticket's: a duplicate names the one kept
    problems: list[Problem] = []
    event = {"id": "01JC0000000000000000000000.01JC0000000000000000000001", "schema": 1,
             "record": "01JC0000000000000000000000", "at": "2026-10-05T10:00:00+08:00",
             "by": "lina", "action": "close", "closed_as": "duplicate"}
    assert parse_event(event, "x.yaml", problems) is None
    assert any("link" in problem.message for problem in problems)
    # an open suggestion is handed over, after the readiness problems (its `handover` place)
    at = datetime(2026, 10, 5, 9, 0, tzinfo=CST)
    store = workspace.store
    store.create("suggestion", {
        "resident": {"name": "张三", "room": "3-2-501", "phone": "13812345678"},
        "category": "greening", "content": "小区东门加装雨棚", "urgency": "general"},
        at=at, by="zhangwei")
    store.create("complaint", {
        "resident": {"name": "李四", "room": "5-1-1202", "phone": "13900001111"},
        "category": "noise", "content": "楼上装修噪音", "urgency": "general"},
        at=at + timedelta(minutes=5), by="zhangwei")
    assert [item.kind for item in open_items(store, at + timedelta(hours=1))] == \
        ["complaint", "suggestion"]
    assert records.handover_kinds()[-1] == "suggestion"


def test_two_kinds_cannot_mean_different_data_by_one_action(suggestion_kind):
    """Events are read before their record: `close` carries the same data in every kind."""
    from dutyctl.frozen import replace

    other = replace(suggestion_kind, event_data={"close": (("why",), lambda top: None)})
    records.register(other)
    try:
        with pytest.raises(ValueError, match="action 'close' carries other data"):
            records.event_data()
    finally:
        records.register(suggestion_kind)
    assert records.event_data()["close"] is suggestion_kind.event_data["close"]
