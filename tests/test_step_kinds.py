"""A step command finds its record by room, phone or name among the open records of its own
kind, whatever the command was typed as (`repair arrive` or `报修 到场`): each command says its
kinds (the registry's), not the word its group was typed by."""

from __future__ import annotations

import json

from tests.helpers_desk import ok_text as _ok

ROOM = ["--name", "张三", "--room", "3-2-501", "--phone", "13812345678"]


def _status(cli, record: str) -> str:
    return json.loads(cli("show", record, "--format", "json").stdout)["status"]


def test_steps_typed_by_their_chinese_names_find_the_record_by_room(cli, clock):
    clock.set("2026-11-20T12:00:00+08:00")
    repair = _ok(cli("repair", "file", *ROOM, "--content", "水管漏水", "--at",
                     "2026-11-20 09:00")).splitlines()[-1]
    complaint = _ok(cli("complaint", "file", *ROOM, "--category", "noise", "--content",
                        "楼上噪音", "--at", "2026-11-20 09:05")).splitlines()[-1]
    staff = ("--staff", "zhangwei")
    _ok(cli("报修", "派工", "3-2-501", "--to", "liuyang", "--at", "2026-11-20 09:10", *staff))
    _ok(cli("报修", "到场", "3-2-501", "--at", "2026-11-20 09:30", *staff))
    assert _status(cli, repair) == "on-site"
    _ok(cli("投诉", "受理", "13812345678", "--action", "上门了解", "--at", "2026-11-20 09:40",
            *staff))
    assert _status(cli, complaint) == "handling"
    _ok(cli("投诉", "暂停", "张三", "--reason", "等业主回复", "--at", "2026-11-20 09:50", *staff))
    assert _status(cli, complaint) == "on-hold"
    _ok(cli("报修", "关闭", "3-2-501", "--as", "invalid", "--reason", "误报", "--at",
            "2026-11-20 10:00", *staff))
    assert _status(cli, repair) == "cancelled"


def test_a_callback_typed_by_its_chinese_name_finds_the_call_by_phone(cli, clock):
    clock.set("2026-11-20T12:00:00+08:00")
    call = _ok(cli("log", "call", *ROOM, "--summary", "问快递柜位置", "--callback-by",
                   "2026-11-20 15:00", "--at", "2026-11-20 09:00", "--staff", "zhangwei"))
    call = call.split()[-1]
    _ok(cli("回电", "未接通", "13812345678", "--result", "busy", "--at", "2026-11-20 10:00",
            "--staff", "zhangwei"))
    _ok(cli("回电", "已回电", "13812345678", "--note", "已告知位置", "--at", "2026-11-20 10:30",
            "--staff", "zhangwei"))
    shown = json.loads(cli("show", call, "--format", "json").stdout)
    assert [step["action"] for step in shown["history"]][-2:] == ["callback-attempt",
                                                                  "callback-done"], shown


def test_both_callback_steps_take_what_came_of_it_as_the_same_option(cli, clock):
    """`回电 未接通 --结果 占线` and `回电 已回电 --结果 "已告知"`: one option for what came of
    the callback; --备注 (--note), its older name on 已回电, still works."""
    clock.set("2026-11-20T12:00:00+08:00")
    calls = [_ok(cli("log", "call", *ROOM, "--summary", summary, "--callback-by",
                     "2026-11-20 15:00", "--at", at, "--staff", "zhangwei")).split()[-1]
             for summary, at in (("问快递柜位置", "2026-11-20 09:00"),
                                 ("问停车月卡", "2026-11-20 09:05"))]
    first, second = calls
    _ok(cli("回电", "未接通", first, "--结果", "占线", "--时间", "2026-11-20 10:00",
            "--操作人", "zhangwei"))
    _ok(cli("回电", "已回电", first, "--结果", "已告知快递柜在北门", "--时间", "2026-11-20 10:30",
            "--操作人", "zhangwei"))
    _ok(cli("回电", "已回电", second, "--备注", "已告知月卡办理流程", "--时间",
            "2026-11-20 10:40", "--操作人", "zhangwei"))
    for call, told in ((first, "已告知快递柜在北门"), (second, "已告知月卡办理流程")):
        shown = json.loads(cli("show", call, "--format", "json").stdout)
        assert (shown["history"][-1]["action"], shown["history"][-1]["note"]) == (
            "callback-done", told), shown
    for command in ("已回电", "未接通"):
        shown = _ok(cli("--lang", "zh_CN", "回电", command, "--帮助"))
        assert "--结果" in shown, (command, shown)
