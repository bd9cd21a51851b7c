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
