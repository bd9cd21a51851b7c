"""`list --status` with several statuses (已办结,已完工) or a named group (待回访: every
complaint and repair waiting for its return visit, as the registry's `visit` step says), the
same records a report counts as waiting for the return visit."""

from __future__ import annotations

import json

import pytest

from dutyctl import messages, queries
from dutyctl.errors import InputError
from dutyctl.records import kinds

from tests.helpers_desk import ok_text as ok, printed_ids

ZH = ("--lang", "zh_CN")


def listed(cli, *args: str) -> list[str]:
    return [row["id"] for row in json.loads(ok(cli(*ZH, "列表", *args, "--格式", "json")))]


def test_the_group_is_every_status_the_registry_allows_the_return_visit_from(workspace):
    specs = list(kinds().values())
    pairs = queries.group_statuses("awaiting-visit", specs)
    assert set(pairs) >= {("complaint", "resolved"), ("repair", "done")}
    for kind, status in pairs:  # each the status a visit follows, and the visit closes it
        allowed, target = kinds()[kind].transitions["visit"]
        assert status in allowed and target in kinds()[kind].closed_statuses
    kind, status, _ = queries.resolve_filters(workspace.config, status="待回访")
    assert set(kind) == {one for one, _ in pairs} and status == pairs
    # a kind's own word among several keeps to that kind: 待派工 is an open repair only
    with messages.speaking("zh_CN"):
        _, status, _ = queries.resolve_filters(workspace.config, status="待派工,已关闭")
    assert ("repair", "open") in status and ("complaint", "open") not in status
    assert ("complaint", "closed") in status
    with pytest.raises(InputError, match="unknown status 'awaiting-visit'"):
        queries.resolve_filters(workspace.config, kind="call", status="awaiting-visit")


def test_list_status_awaiting_visit_lists_what_the_report_counts(cli, clock):
    clock.set("2026-11-21T09:00:00+08:00")
    staff = ("--操作人", "zhangwei")

    def filed(kind: str, room: str, content: str, when: str) -> str:
        details = ("--类别", "noise") if kind == "投诉" else ()
        return ok(cli(*ZH, kind, "登记", "--姓名", "王五", "--房号", room, "--电话",
                      "13800002222", *details, "--内容", content, "--时间", when,
                      *staff)).splitlines()[-1]

    repair = filed("报修", "5-1-1202", "厨房水管漏水", "2026-11-20 09:00")
    ok(cli(*ZH, "报修", "派工", repair, "--派给", "wangqiang", "--时间", "2026-11-20 09:05",
           *staff))
    ok(cli(*ZH, "报修", "完工", repair, "--结果", "换三通", "--时间", "2026-11-20 10:00", *staff))
    resolved = filed("投诉", "3-2-501", "楼上装修噪音", "2026-11-20 11:00")
    ok(cli(*ZH, "投诉", "办结", resolved, "--结果", "已劝导", "--时间", "2026-11-20 12:00",
           *staff))
    visited = filed("投诉", "3-2-502", "狗叫", "2026-11-20 11:10")
    ok(cli(*ZH, "投诉", "办结", visited, "--结果", "已提醒", "--时间", "2026-11-20 12:10", *staff))
    ok(cli(*ZH, "投诉", "回访", visited, "--满意度", "5", "--时间", "2026-11-20 15:00", *staff))
    filed("投诉", "3-2-503", "楼道堆物", "2026-11-20 11:20")  # still open: no visit due
    waiting = [repair, resolved]
    assert listed(cli, "--状态", "待回访") == waiting
    assert listed(cli, "--状态", "未回访") == waiting
    assert listed(cli, "--状态", "已办结,已完工") == waiting
    assert listed(cli, "--状态", "已办结、已完工") == waiting
    assert listed(cli, "--种类", "投诉", "--状态", "待回访") == [resolved]
    # as it stood before the visit, and the way a table shows it
    assert listed(cli, "--状态", "待回访", "--截至", "2026-11-20 14:00") == [repair, resolved,
                                                                            visited]
    table = ok(cli(*ZH, "列表", "--状态", "待回访"))
    assert "已完工" in table and "已办结" in table and "狗叫" not in table, table
    report = json.loads(ok(cli("report", "daily", "--date", "2026-11-20", "--format", "json")))
    assert report["complaints"]["awaiting_visit"] + report["repairs"]["awaiting_visit"] == 2
    # 已回访 (the field's word for a ticket its visit closed): the visited one, no emergency
    # closed (it was "did you mean 待回访?", the opposite)
    emergency = printed_ids(ok(cli(*ZH, "突发", "开启", "--类型", "停电", "--地点", "3号楼",
                                   "--内容", "停电", "--时间", "2026-11-20 16:00", *staff)))[0]
    ok(cli(*ZH, "突发", "关闭", emergency, "--结果", "已恢复", "--时间", "2026-11-20 17:00",
           *staff))
    assert listed(cli, "--状态", "已回访") == [visited]
    assert listed(cli, "--种类", "投诉", "--状态", "已回访") == [visited]


@pytest.mark.parametrize("typed, status, kept, left", [
    ("待派", "open", {"repair"}, "complaint"),  # part of 待派工: repairs only
    ("已关", "closed", {"complaint", "repair"}, "emergency"),  # not 已处置
])
def test_part_of_a_kinds_own_word_keeps_to_the_kinds_whose_word_holds_it(workspace, typed,
                                                                          status, kept, left):
    """`列表 --状态 待派` listed open emergencies, complaints and readiness problems beside
    the repairs: part of a word was taken for the status of every kind."""
    with messages.speaking("zh_CN"):
        kind, found, _ = queries.resolve_filters(workspace.config, status=typed)
    named = {kind} if isinstance(kind, str) else set(kind or ())
    assert found == status and kept <= named and left not in named


def test_an_unknown_status_lists_every_word_the_screens_show(workspace):
    """The refusal listed one word a status (待处理 for every open record): 待派工, 处置中,
    已处置 and 待修复, each accepted, were nowhere in it."""
    with messages.speaking("zh_CN"), pytest.raises(InputError) as refused:
        queries.resolve_filters(workspace.config, status="xx")
    listed = refused.value.problem.message.split("可选：", 1)[1].split("、")
    assert {"待派工", "处置中", "已处置", "待修复", "待处理", "已关闭", "待回访"} <= set(listed)
    assert len(listed) == len(set(listed)) and "已作废" not in listed
