"""A repair the technician has reached is on site (已到场), not still dispatched: its status
after `repair arrive`, in lists, the status filter and the handover, and the way back to
dispatched when it waits (hold, resume) or is sent to someone else."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from dutyctl.tickets import lifecycle

from tests.helpers_desk import ok_text as ok

CST = timezone(timedelta(hours=8))
ZH = ("--lang", "zh_CN")
RESIDENT = {"name": "李四", "room": "5-1-1202", "phone": "13900001111"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def test_an_arrival_puts_the_repair_on_site_until_it_waits_or_goes_to_someone_else(workspace):
    store = workspace.store
    repair = lifecycle.file_ticket(store, workspace.config, "repair", resident=RESIDENT,
                                   category=None, content="厨房灯不亮", urgency=None,
                                   at=at("2026-11-02 09:00"), by="chenjing")
    repair, _, _ = lifecycle.dispatch(workspace, repair, "wangqiang", at=at("2026-11-02 09:10"),
                                      by="chenjing")
    assert repair.status == "dispatched"
    repair = lifecycle.arrive(store, repair, at=at("2026-11-02 09:30"), by="chenjing")
    assert repair.status == "on-site"
    # waiting for parts, then resumed: the technician comes again, not there yet
    repair = lifecycle.hold(store, repair, "等配件", at=at("2026-11-02 10:00"), by="chenjing")
    assert repair.status == "on-hold"
    repair = lifecycle.resume(store, repair, None, at=at("2026-11-03 09:00"), by="chenjing")
    assert repair.status == "dispatched"
    repair = lifecycle.arrive(store, repair, at=at("2026-11-03 09:30"), by="chenjing")
    assert repair.status == "on-site"
    # sent to another technician from the site: waits for his arrival
    repair, _, _ = lifecycle.dispatch(workspace, repair, "liuyang", at=at("2026-11-03 10:00"),
                                      by="chenjing")
    assert repair.status == "dispatched"
    repair = lifecycle.arrive(store, repair, at=at("2026-11-03 10:30"), by="chenjing")
    repair = lifecycle.done(store, repair, "换灯泡", None, at=at("2026-11-03 11:00"),
                            by="chenjing")
    assert repair.status == "done"
    assert store.get(repair.id).status == "done"


def test_the_desk_sees_the_repair_on_site_in_lists_filters_and_the_handover(cli, clock):
    clock.set("2026-11-20T12:00:00+08:00")
    repair = ok(cli(*ZH, "报修", "登记", "--姓名", "李四", "--房号", "5-1-1202", "--电话",
                    "13900001111", "--内容", "厨房水管爆管，跑水", "--时间",
                    "2026-11-20 11:00")).splitlines()[-1]
    ok(cli(*ZH, "报修", "派工", repair, "--派给", "wangqiang", "--时间", "2026-11-20 11:05"))
    said = ok(cli(*ZH, "报修", "到场", repair, "--时间", "2026-11-20 11:25"))
    assert said.endswith("当前状态：已到场"), said
    listed = ok(cli(*ZH, "列表", "--未关闭", "--截至", "2026-11-20 11:30"))
    assert "已到场" in listed and "已派工" not in listed, listed
    for typed in ("已到场", "维修中", "on-site"):
        found = cli(*ZH, "列表", "--状态", typed, "--格式", "json")
        assert [row["id"] for row in json.loads(ok(found))] == [repair], typed
    assert json.loads(ok(cli(*ZH, "列表", "--状态", "已派工", "--格式", "json"))) == []
    # a second arrival for the same visit is still refused, with what to record instead
    again = cli(*ZH, "报修", "到场", repair, "--时间", "2026-11-20 11:40")
    assert again.exit_code == 2 and "本次派工已记录到场" in again.stderr, again.stderr
    handover = ok(cli(*ZH, "交接班", "--接班人", "lina", "--时间", "2026-11-20 11:50"))
    shown = json.loads(ok(cli("handover", "show", handover.splitlines()[0], "--format",
                              "json")))
    assert [(item["record"], item["status"]) for item in shown["items"]] == [(repair, "on-site")]
    shown = ok(cli(*ZH, "交接班", "查看", handover.splitlines()[0]))
    assert "已到场" in shown, shown
