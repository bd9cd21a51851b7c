"""dutyctl.frozen: immutable value classes behave as the frozen dataclasses they replaced."""

from __future__ import annotations

import copy
import pickle

import pytest

from dutyctl.errors import Problem
from dutyctl.frozen import FrozenError, field, frozen, replace
from dutyctl.records import Event, Record, ScanResult


@frozen
class Slot:
    day: str
    people: list = field(default_factory=list)
    note: str | None = None
    seen: int = field(default=0, compare=False, repr=False)


def test_construction_defaults_and_fresh_factories():
    first, second = Slot("mon"), Slot(day="tue", note="x")
    assert (first.day, first.people, first.note, first.seen) == ("mon", [], None, 0)
    assert second.note == "x"
    first.people.append("lina")
    assert second.people == [] and Slot("wed").people == []  # a fresh list each time
    with pytest.raises(TypeError):
        Slot()
    with pytest.raises(TypeError):
        Slot("mon", unknown=1)
    with pytest.raises(TypeError):
        Slot("mon", day="tue")
    with pytest.raises(TypeError):
        Slot("mon", [], None, 0, "extra")


def test_immutable_equal_hashable_and_shown_like_a_dataclass():
    slot = Slot("mon", ["lina"], "x", seen=3)
    with pytest.raises(FrozenError):
        slot.day = "tue"
    with pytest.raises(AttributeError):
        del slot.note
    assert slot == Slot("mon", ["lina"], "x", seen=9)  # `seen` is not compared
    assert slot != Slot("mon", ["lina"], "y") and slot != ("mon", ["lina"], "x")
    assert repr(slot) == "Slot(day='mon', people=['lina'], note='x')"
    assert hash(Problem("a", 1, "m")) == hash(Problem("a", 1, "m"))
    assert len({Problem("a", 1, "m"), Problem("a", 1, "m"), Problem("a", 2, "m")}) == 2


def test_order_replace_copy_and_pickle():
    problems = [Problem("b", 1, "x"), Problem("a", 2, "y"), Problem("a", 1, "z")]
    assert [(p.path, p.line) for p in sorted(problems)] == [("a", 1), ("a", 2), ("b", 1)]
    changed = replace(Slot("mon", note="x"), note="y")
    assert (changed.day, changed.note) == ("mon", "y")
    problem = Problem("a", 1, "m", {"rule": "r"})
    assert copy.copy(problem) == problem and pickle.loads(pickle.dumps(problem)) == problem


def test_records_and_events_build_by_hand_as_before(tmp_path):
    event = Event("e1", "r1", None, "lina", "close")
    assert event.data == {} and event.note is None and event.line == 1
    record = Record("r1", "call", None, "lina", {"room": "3-2-501"}, (event,),
                    field_lines={"room": 4})
    assert record.line_of("room") == 4 and record.line_of("phone") == 1
    assert record == Record("r1", "call", None, "lina", {"room": "3-2-501"}, (event,))
    moved = replace(record, path="records/x.yaml")
    assert moved.path == "records/x.yaml" and moved.field_lines == {"room": 4}
    with pytest.raises(FrozenError):
        record.kind = "repair"
    result = ScanResult()
    result.total = 3
    assert result == ScanResult([], [], 3) and ScanResult().records is not ScanResult().records


def test_a_frozen_class_is_not_extended():
    with pytest.raises(TypeError):
        @frozen
        class Wider(Slot):
            extra: int = 0
