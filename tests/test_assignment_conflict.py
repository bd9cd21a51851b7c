"""What a dispatch knew (`after`) tells two desks' dispatches of one repair apart from one desk
dispatching again; one matter filed twice is told by phone or room, time and words."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from dutyctl.kinds.repair import DISPATCH, DONE, FINISH
from dutyctl.records import (ASSIGNED_AFTER, SETTLE, SET_ASIDE, Event, Record,
                             assignment_conflict, current_assignments)
from dutyctl.tickets.twins import Twin, alike, pairs, pairs_between, same_matter

TZ = timezone(timedelta(hours=8))
FILED = datetime(2026, 10, 12, 9, 0, tzinfo=TZ)


def repair(*steps: tuple) -> Record:
    """A repair with these steps: (id, action, minutes after filing, data)."""
    events = tuple(Event(step_id, "R", FILED + timedelta(minutes=minutes), "zhangwei", action,
                         data=data) for step_id, action, minutes, data in steps)
    return Record("R", "repair", FILED, "zhangwei", {"content": "卫生间漏水"}, events)


def sent(step_id: str, minutes: int, to: str, after=None) -> tuple:
    data = {"to": to} if after is None else {"to": to, ASSIGNED_AFTER: list(after)}
    return (step_id, DISPATCH, minutes, data)


def people(record: Record) -> list[str]:
    return [event.data["to"] for event in assignment_conflict(record)]


def test_two_dispatches_neither_knowing_the_other_conflict_until_one_knows_both():
    both = repair(sent("A", 5, "wangqiang", []), sent("B", 7, "liuyang", []))
    assert people(both) == ["wangqiang", "liuyang"]
    settled = repair(sent("A", 5, "wangqiang", []), sent("B", 7, "liuyang", []),
                     sent("C", 30, "liuyang", ["A", "B"]))
    assert [event.id for event in current_assignments(settled)] == ["C"]
    assert people(settled) == []


def test_one_desk_dispatching_again_is_no_conflict_nor_is_the_same_technician_twice():
    again = repair(sent("A", 5, "wangqiang", []), sent("B", 7, "liuyang", ["A"]))
    assert people(again) == [] and [e.id for e in current_assignments(again)] == ["B"]
    same = repair(sent("A", 5, "wangqiang", []), sent("B", 7, "wangqiang", []))
    assert people(same) == []


def test_a_desk_that_dispatched_twice_before_syncing_still_conflicts_with_the_other():
    """Desk 1 sent 王强; desk 2 sent 刘洋 and then 高峰 before syncing: 王强 and 高峰 both
    count, 刘洋 was replaced by the desk that sent him."""
    record = repair(sent("A", 5, "wangqiang", []), sent("B", 6, "liuyang", []),
                    sent("C", 8, "gaofeng", ["B"]))
    assert people(record) == ["wangqiang", "gaofeng"]


def test_dispatches_written_before_after_existed_are_taken_in_order():
    record = repair(sent("A", 5, "wangqiang"), sent("B", 7, "liuyang"))
    assert people(record) == []
    # a new dispatch after an old one that knew nothing of `after`
    record = repair(sent("A", 5, "wangqiang"), sent("B", 7, "liuyang", ["A"]),
                    sent("C", 8, "gaofeng", []))
    assert people(record) == ["liuyang", "gaofeng"]


def test_setting_one_aside_settles_it_and_a_set_aside_step_still_passes_on_what_it_knew():
    settled = repair(sent("A", 5, "wangqiang", []), sent("B", 7, "liuyang", []),
                     ("S", SETTLE, 20, {SET_ASIDE: "A"}))
    assert people(settled) == []
    through = repair(sent("A", 5, "wangqiang", []), sent("B", 7, "liuyang", ["A"]),
                     ("S", SETTLE, 8, {SET_ASIDE: "B"}), sent("C", 9, "gaofeng", ["B"]))
    assert [event.id for event in current_assignments(through)] == ["C"]


def test_the_work_done_ends_the_question():
    done = repair(sent("A", 5, "wangqiang", []), sent("B", 7, "liuyang", []),
                  ("D", FINISH, 60, {}))
    assert done.status == DONE and people(done) == []


def test_a_loop_or_an_unknown_id_in_after_is_harmless():
    record = repair(sent("A", 5, "wangqiang", ["B"]), sent("B", 7, "liuyang", ["A", "ZZZ"]))
    assert people(record) == []  # each knew the other: nothing current is unknown to both


def twin(record_id: str, minutes: int, content: str, phone: str = "13812345678",
         room: str = "3-2-501", kind: str = "repair", links=(), by: str = "") -> Twin:
    """A ticket filed by `by` (default: one person for "A", another for the rest)."""
    return Twin(kind, record_id, FILED + timedelta(minutes=minutes), phone, room, content,
                frozenset(links), "", 1, by or ("zhangwei" if record_id == "A" else "lina"))


def test_words_alike():
    assert alike("卫生间漏水", "501卫生间天花板漏水，楼上渗下来")
    assert alike("楼道灯不亮", "楼道灯坏了")
    assert not alike("卫生间漏水", "厨房灯不亮")
    assert not alike("", "卫生间漏水")


def test_one_matter_is_one_kind_one_phone_or_room_within_the_hour_and_not_linked():
    first = twin("A", 0, "卫生间漏水")
    assert same_matter(first, twin("B", 40, "卫生间漏水了", phone="139"))  # the room
    assert same_matter(first, twin("B", 40, "卫生间漏水了", room="5-1-1202"))  # the phone
    assert not same_matter(first, twin("B", 40, "卫生间漏水", phone="139", room="5-1-1202"))
    assert not same_matter(first, twin("B", 61, "卫生间漏水"))
    assert not same_matter(first, twin("B", 40, "卫生间漏水", kind="complaint"))
    # one person filing two at one desk knows of both (a kitchen and a bathroom leak)
    assert not same_matter(first, twin("B", 20, "卫生间水管漏水", by="zhangwei"))
    assert not same_matter(first, twin("B", 40, "门锁坏了"))
    assert not same_matter(first, twin("B", 40, "卫生间漏水", links=["A"]))
    assert [(a.id, b.id) for a, b in pairs([twin("B", 40, "卫生间漏水"), first,
                                            twin("C", 200, "卫生间漏水")])] == [("A", "B")]
    # one from each side of a merge: the two a desk brought itself are not paired here
    ours, theirs = [first], [twin("B", 10, "卫生间漏水"), twin("C", 20, "卫生间漏水")]
    assert [(a.id, b.id) for a, b in pairs_between(ours, theirs)] == [("A", "B"), ("A", "C")]
