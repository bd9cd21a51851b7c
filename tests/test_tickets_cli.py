"""Complaints, repairs, callbacks and emergencies walked end to end through the command line."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import run_dutyctl
from tests.helpers_desk import ok_text as ok, write_roster

RESIDENT = ("--name", "张三", "--room", "3-2-501", "--phone", "13812345678")

#: a hand-written October (rosters/2026-10.yaml): 王强's day of 10-10 taken by 高峰 (病假)
OCTOBER = [("2026-10-09", "day", "zhangwei"), ("2026-10-09", "day", "liuyang", "technician"),
           ("2026-10-09", "night", "lina"), ("2026-10-10", "day", "chenjing"),
           ("2026-10-10", "day", "wangqiang", "technician")]
OCTOBER_OVERRIDES = ['{date: "2026-10-10", shift: day, role: technician, staff: gaofeng, '
                     'replaces: wangqiang, kind: override, reason: "病假", by: zhangwei, '
                     'at: "2026-10-09T18:00:00+08:00", forced: false}']


# -- helpers ----------------------------------------------------------------------------------


def october(root: Path) -> None:
    write_roster(root, "2026-10-01", "2026-10-31", OCTOBER, rules_sha256="hand-written",
                 overrides=OCTOBER_OVERRIDES)


def files(root: Path) -> list[Path]:
    return sorted((root / "records").rglob("*.yaml"))


def commits(root: Path) -> int:
    done = subprocess.run(["git", "-C", str(root), "rev-list", "--count", "--all"],
                          capture_output=True, text=True)
    return int(done.stdout.strip() or 0)


def refused(cli, root: Path, *args: str, says: str) -> None:
    """An impossible step: exit 2, the reason on stderr, no file and no commit added."""
    before, history = files(root), commits(root)
    result = cli(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert files(root) == before
    assert commits(root) == history


def shown(cli, record_id: str, as_of: str | None = None) -> dict:
    extra = ("--as-of", as_of) if as_of else ()
    return json.loads(ok(cli("show", record_id, "--format", "json", *extra)))


def deadlines(cli, record_id: str, as_of: str) -> dict:
    return {row["deadline"]: row for row in shown(cli, record_id, as_of)["deadlines"]}


def listed_ids(cli, *args: str) -> set[str]:
    text = ok(cli("list", "--format", "csv", *args))
    assert text.startswith("\ufeff")
    rows = csv.DictReader(io.StringIO(text[1:]))
    return {row["id"] for row in rows}


def file_repair(cli, content: str, at: str, *extra: str) -> str:
    return ok(cli("repair", "file", *RESIDENT, "--content", content, "--at", at, *extra))


def file_complaint(cli, content: str, at: str, *extra: str) -> str:
    return ok(cli("complaint", "file", *RESIDENT, "--category", "noise", "--content", content,
                  "--at", at, *extra))


# -- complaints -------------------------------------------------------------------------------

def test_complaint_file_asks_for_everything_missing_in_one_round(cli, workspace, monkeypatch):
    """Name, room, phone and content missing: all asked at once, in form order; a bad phone
    is said at once and asked again, the answers given kept (not refused after the content,
    every answer lost); without a terminal all four are named in one line."""
    args = ("complaint", "file", "--category", "noise", "--at", "2026-10-12 09:00")
    unasked = cli(*args)
    assert unasked.exit_code == 2
    line = unasked.stderr.strip().splitlines()[-1]
    assert all(flag in line for flag in ("--name", "--room", "--phone", "--content")), line
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)
    typed = cli(*args, input="王五\n6-2-801\n136\n13600003333\n楼上深夜装修噪音扰民\n")
    assert typed.exit_code == 0, typed.stderr
    prompts = [typed.stderr.index(label) for label in (
        "complainant's name", "e.g. 3-2-501", "phone", "'136': 3 digits are not",
        "what is wrong")]
    assert prompts == sorted(prompts), typed.stderr
    filed = ok(cli(*args, input="王五\n6-2-801\n13600003333\n楼上深夜装修噪音扰民\n"))
    assert shown(cli, filed.splitlines()[-1])["content"] == "楼上深夜装修噪音扰民"
    assert len(files(workspace.root)) == 2


def test_complaint_handled_resolved_and_visited(cli, workspace):
    complaint = file_complaint(cli, "楼上装修噪音扰民", "2026-10-12 09:00")
    assert len(complaint) == 26
    ok(cli("complaint", "handle", complaint, "--action", "已上门劝导装修户",
           "--at", "2026-10-12 10:00", "--staff", "lina"))
    ok(cli("complaint", "resolve", complaint, "--result", "装修户承诺中午不施工",
           "--at", "2026-10-12 15:00"))
    ok(cli("complaint", "visit", complaint, "--satisfaction", "4", "--note", "基本满意",
           "--at", "2026-10-13 10:00"))
    record = shown(cli, complaint, "2026-10-13 12:00")
    assert record["status"] == "closed"
    assert [step["action"] for step in record["history"]] == ["handle", "resolve", "visit"]
    assert record["history"][0]["by"] == "lina"
    assert record["history"][1]["at"] == "2026-10-12T15:00:00+08:00"  # feedback time
    assert record["history"][2]["satisfaction"] == 4
    assert {row["deadline"]: row["state"] for row in record["deadlines"]} == {
        "respond": "met", "complete": "met"}
    table = ok(cli("show", complaint, "--as-of", "2026-10-13 12:00"))
    assert "李娜" in table and "已上门劝导装修户" in table and "met (" in table
    refused(cli, workspace.root, "complaint", "resolve", complaint, "--result", "again",
            "--at", "2026-10-13 11:00", says="is closed: resolve is only possible")
    refused(cli, workspace.root, "complaint", "handle", complaint, "--action", "again",
            "--at", "2026-10-13 11:00", says="is closed: handle is only possible")


def test_a_transferred_complaint_is_shown_with_the_department_not_the_clerk(cli, workspace):
    """The handler column (`list`'s 经办人) names the department a complaint went to, in
    words; json keeps the clerk's id in `assigned` and adds the department's id; handling it
    again at the center puts it back with the person."""
    from dutyctl.kinds.complaint import transferred_to

    complaint = file_complaint(cli, "楼上装修噪音扰民", "2026-10-12 09:00", "--staff", "lina")
    ok(cli("complaint", "transfer", complaint, "--to", "engineering", "--reason", "管道问题",
           "--told-resident", "已转工程部", "--staff", "lina", "--at", "2026-10-12 09:40"))
    table = ok(cli("--lang", "zh_CN", "list", "--kind", "complaint", "--as-of",
                   "2026-10-12 10:00"))
    header, _, row = table.splitlines()[:3]
    assert row.split()[header.split().index("经办人") + 1] == "工程部", table
    rows = json.loads(ok(cli("list", "--kind", "complaint", "--format", "json")))
    assert (rows[0]["assigned"], rows[0]["transferred_to"]) == ("lina", "engineering")
    assert transferred_to(workspace.store.get(complaint)) == "engineering"
    from datetime import datetime

    from dutyctl.notify.texts import Texts
    from dutyctl.tickets.deadlines import load_book

    late = datetime.fromisoformat("2026-10-30T09:00:00+08:00")
    record = workspace.store.get(complaint)
    deadline = load_book(workspace).next_due(record, late)
    notice = Texts(workspace).deadline(record, deadline, True, late).text
    assert "Assigned to: 工程部" in notice or "经办人：工程部" in notice, notice
    here = file_complaint(cli, "垃圾桶未清", "2026-10-12 09:10", "--staff", "lina")
    ok(cli("complaint", "handle", here, "--action", "已安排保洁", "--staff", "zhangwei", "--at", "2026-10-12 09:20"))
    assert transferred_to(workspace.store.get(here)) is None
    rows = {row["id"]: row for row in json.loads(ok(cli("list", "--kind", "complaint",
                                                         "--format", "json")))}
    assert rows[here]["assigned"] == "zhangwei" and rows[here]["transferred_to"] is None


def test_complaint_transfer_keeps_its_deadline_and_records_the_receiving_sides_result(cli):
    complaint = file_complaint(cli, "小区门口占道停车", "2026-10-12 09:00", "--urgency", "urgent")
    before = deadlines(cli, complaint, "2026-10-12 09:30")
    ok(cli("complaint", "transfer", complaint, "--to", "city-hotline", "--reason", "市政道路不归物业",
           "--told-resident", "已告知业主由12345处理", "--at", "2026-10-12 09:40"))
    after = deadlines(cli, complaint, "2026-10-12 09:50")
    assert after["complete"]["due"] == before["complete"]["due"] == "2026-10-13T09:00:00+08:00"
    assert after["respond"]["state"] == "met"
    assert shown(cli, complaint)["status"] == "transferred"
    ok(cli("complaint", "resolve", complaint, "--result", "城管已清理", "--at",
           "2026-10-13 10:00"))
    record = shown(cli, complaint, "2026-10-13 10:00")
    transfer, resolve = record["history"]
    assert transfer["to"] == "city-hotline" and transfer["told_resident"] == "已告知业主由12345处理"
    assert resolve["from_department"] == "city-hotline"
    assert {row["deadline"]: row["state"] for row in record["deadlines"]}["complete"] == "missed"
    ok(cli("complaint", "visit", complaint, "--satisfaction", "3", "--at", "2026-10-14 09:00"))
    assert shown(cli, complaint)["status"] == "closed"


def test_refused_complaint_steps(cli, workspace):
    complaint = file_complaint(cli, "垃圾桶满溢", "2026-10-12 09:00")
    root = workspace.root
    refused(cli, root, "complaint", "visit", complaint, "--satisfaction", "5",
            "--at", "2026-10-12 10:00", says="is open: visit is only possible")
    refused(cli, root, "complaint", "transfer", complaint, "--to", "nowhere", "--reason", "x",
            "--told-resident", "y", "--at", "2026-10-12 10:00",
            says="unknown department 'nowhere'; choose one of: 客服中心")
    refused(cli, root, "complaint", "handle", complaint, "--action", "x",
            "--at", "2026-10-12 08:00", says="was filed at 2026-10-12 09:00: an event")
    refused(cli, root, "complaint", "file", *RESIDENT, "--category", "weather", "--content", "x",
            says="unknown complaint category 'weather'")
    refused(cli, root, "complaint", "file", *RESIDENT, "--content", "x", "--urgency", "asap",
            says="unknown complaint urgency 'asap'")
    ok(cli("complaint", "resolve", complaint, "--result", "已清运", "--at", "2026-10-12 11:00"))
    refused(cli, root, "complaint", "resolve", complaint, "--result", "again",
            "--at", "2026-10-12 12:00", says="is resolved: resolve is only possible")
    refused(cli, root, "complaint", "transfer", complaint, "--to", "cleaning", "--reason", "x",
            "--told-resident", "y", "--at", "2026-10-12 12:00",
            says="is resolved: transfer is only possible when it is open, handling or "
                 "transferred")
    refused(cli, root, "complaint", "visit", complaint, "--satisfaction", "6",
            "--at", "2026-10-12 12:00", says="--satisfaction must be 1 to 5")
    refused(cli, root, "complaint", "handle", complaint, "--action", "   ",
            "--at", "2026-10-12 12:00", says="--action must not be empty")
    elsewhere = file_complaint(cli, "小区外工地夜间施工", "2026-10-12 09:00")
    ok(cli("complaint", "transfer", elsewhere, "--to", "city-hotline", "--reason", "小区外",
           "--told-resident", "已转12345", "--at", "2026-10-12 09:30"))
    refused(cli, root, "complaint", "handle", elsewhere, "--action", "x",
            "--at", "2026-10-12 10:00",
            says="is transferred: handle is only possible when it is open or handling")
    refused(cli, root, "complaint", "visit", elsewhere, "--satisfaction", "5",
            "--at", "2026-10-12 10:00", says="visit is only possible when it is resolved")


# -- repairs ----------------------------------------------------------------------------------

def test_repair_lifecycle_with_hold_shifting_the_deadline(cli, workspace):
    repair = file_repair(cli, "厨房灯不亮", "2026-11-02 09:00", "--category", "water-electric")
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-11-02 09:30"))
    ok(cli("repair", "arrive", repair, "--at", "2026-11-02 14:00", "--staff", "wangqiang"))
    before = deadlines(cli, repair, "2026-11-03 09:00")
    assert before["complete"]["due"] == "2026-11-05T09:00:00+08:00"  # 3 working days
    ok(cli("repair", "hold", repair, "--reason", "等配件", "--at", "2026-11-03 10:00"))
    assert shown(cli, repair)["status"] == "on-hold"
    ok(cli("repair", "eta", repair, "--by", "2026-11-04 15:00", "--note", "配件明天到",
           "--at", "2026-11-03 10:05"))
    ok(cli("repair", "resume", repair, "--at", "2026-11-04 10:00"))
    after = deadlines(cli, repair, "2026-11-04 11:00")
    # 9 business hours on hold (Tue 10:00-17:30, Wed 08:30-10:00) move it one working day
    assert after["complete"]["due"] == "2026-11-06T09:00:00+08:00"
    assert shown(cli, repair, "2026-11-04 11:00")["on_hold_for"] == "1d"
    ok(cli("repair", "done", repair, "--result", "更换镇流器", "--materials", "镇流器 1个",
           "--at", "2026-11-05 16:00", "--staff", "wangqiang"))
    ok(cli("repair", "visit", repair, "--satisfaction", "5", "--at", "2026-11-06 10:00"))
    record = shown(cli, repair, "2026-11-06 10:00")
    assert record["status"] == "closed"
    assert [step["action"] for step in record["history"]] == [
        "dispatch", "arrive", "hold", "eta", "resume", "done", "visit"]
    assert record["history"][3]["eta"] == "2026-11-04T15:00:00+08:00"
    assert record["history"][5]["materials"] == "镇流器 1个"
    states = {row["deadline"]: row["state"] for row in record["deadlines"]}
    # done Thursday 16:00: late without the hold, in time with it
    assert states == {"respond": "met", "arrive": "met", "complete": "met"}


def test_repair_urgency_is_suggested_by_keywords_and_can_be_overridden(cli):
    result = cli("repair", "file", *RESIDENT, "--content", "卫生间爆管，水漫到客厅",
                 "--at", "2026-10-12 09:00")
    repair = ok(result)
    assert "爆管" in result.stderr
    assert shown(cli, repair)["urgency"] == "emergency"
    common = ok(cli("repair", "file", "--name", "王五", "--room", "3号楼电梯", "--phone",
                    "13700001111", "--content", "电梯门关不严", "--category", "elevator",
                    "--urgency", "urgent", "--at", "2026-10-12 09:00"))
    record = shown(cli, common)
    assert record["urgency"] == "urgent" and record["resident"]["room"] == "3号楼电梯"


def test_emergency_repair_deadline_at_two_in_the_morning(cli):
    repair = file_repair(cli, "楼道停电", "2026-10-10 01:30")
    due = deadlines(cli, repair, "2026-10-10 01:35")
    assert due["arrive"]["due"] == "2026-10-10T02:00:00+08:00"
    assert due["respond"]["due"] == "2026-10-10T01:45:00+08:00"
    assert repair in listed_ids(cli, "--due-within", "30m", "--as-of", "2026-10-10 01:35")
    assert repair in listed_ids(cli, "--due-within", "半小时", "--as-of", "2026-10-10 01:35")
    assert repair not in listed_ids(cli, "--due-within", "5分钟", "--as-of", "2026-10-10 01:35")
    assert repair not in listed_ids(cli, "--overdue", "--as-of", "2026-10-10 01:40")
    assert repair in listed_ids(cli, "--overdue", "--as-of", "2026-10-10 02:01")


def test_general_repair_deadline_crosses_the_make_up_saturday_and_the_weekend(cli):
    repair = file_repair(cli, "卧室门锁坏了", "2026-10-09 16:30", "--category", "doors-windows")
    due = deadlines(cli, repair, "2026-10-09 16:30")
    assert due["respond"]["due"] == "2026-10-10T09:30:00+08:00"   # 调休 Saturday counts
    assert due["arrive"]["due"] == "2026-10-10T16:30:00+08:00"
    assert due["complete"]["due"] == "2026-10-13T16:30:00+08:00"  # Sunday skipped
    weekend = file_repair(cli, "阳台门关不上", "2026-10-16 16:30", "--category", "doors-windows")
    assert deadlines(cli, weekend, "2026-10-16 16:30")["respond"]["due"] == (
        "2026-10-19T09:30:00+08:00")


def test_refused_repair_steps(cli, workspace):
    root = workspace.root
    repair = file_repair(cli, "水龙头滴水", "2026-10-12 09:00")
    refused(cli, root, "repair", "done", repair, "--result", "x", "--at", "2026-10-12 10:00",
            says="is open: done is only possible")
    refused(cli, root, "repair", "hold", repair, "--reason", "x", "--at", "2026-10-12 10:00",
            says="is open: hold is only possible")
    refused(cli, root, "repair", "resume", repair, "--at", "2026-10-12 10:00",
            says="is open: resume is only possible")
    refused(cli, root, "repair", "visit", repair, "--satisfaction", "5",
            "--at", "2026-10-12 10:00", says="is open: visit is only possible")
    refused(cli, root, "repair", "dispatch", repair, "--to", "nobody", "--at", "2026-10-12 10:00",
            says="no staff member 'nobody' in rosters/rules.yaml; choose one of: 张伟")
    refused(cli, root, "repair", "eta", repair, "--by", "2026-10-12 08:00",
            "--at", "2026-10-12 10:00", says="is not after the moment it was told")
    refused(cli, root, "complaint", "resolve", repair, "--result", "x",
            "--at", "2026-10-12 10:00", says="is of kind repair, not complaint")
    refused(cli, root, "repair", "arrive", repair, "--at", "2026-10-12 10:00",
            says="is open: arrive is only possible when it is dispatched")
    ok(cli("repair", "dispatch", repair, "--to", "liuyang", "--at", "2026-10-12 10:00"))
    refused(cli, root, "repair", "resume", repair, "--at", "2026-10-12 10:30",
            says="is dispatched: resume is only possible when it is on-hold")
    ok(cli("repair", "hold", repair, "--reason", "业主不在家", "--at", "2026-10-12 11:00"))
    refused(cli, root, "repair", "done", repair, "--result", "x", "--at", "2026-10-12 12:00",
            says="is on-hold: done is only possible")
    refused(cli, root, "repair", "hold", repair, "--reason", "x", "--at", "2026-10-12 12:00",
            says="is on-hold: hold is only possible")
    ok(cli("repair", "resume", repair, "--at", "2026-10-12 14:00"))
    ok(cli("repair", "done", repair, "--result", "换阀芯", "--at", "2026-10-12 15:00"))
    refused(cli, root, "repair", "dispatch", repair, "--to", "liuyang",
            "--at", "2026-10-12 16:00", says="is done: dispatch is only possible")
    refused(cli, root, "repair", "eta", repair, "--by", "2026-10-13 10:00",
            "--at", "2026-10-12 16:00", says="is done: eta is only possible")
    refused(cli, root, "repair", "arrive", repair, "--at", "2026-10-12 16:00",
            says="is done: arrive is only possible")
    ok(cli("repair", "visit", repair, "--satisfaction", "5", "--at", "2026-10-12 17:00"))
    refused(cli, root, "repair", "visit", repair, "--satisfaction", "5",
            "--at", "2026-10-12 18:00", says="is closed: visit is only possible")


def test_dispatch_defaults_to_the_technician_on_duty(cli, workspace):
    october(workspace.root)
    first = file_repair(cli, "门禁卡失灵", "2026-10-09 10:00")
    assert "dispatched to 刘洋" in ok(cli("repair", "dispatch", first, "--at", "2026-10-09 10:05"))
    assert shown(cli, first)["history"][0]["to"] == "liuyang"
    second = file_repair(cli, "门禁卡失灵", "2026-10-10 10:00")
    ok(cli("repair", "dispatch", second, "--at", "2026-10-10 10:05"))
    assert shown(cli, second)["history"][0]["to"] == "gaofeng"  # the override applies
    assert listed_ids(cli, "--assigned", "gaofeng") == {second}
    night = file_repair(cli, "门禁卡失灵", "2026-10-09 23:00")
    refused(cli, workspace.root, "repair", "dispatch", night, "--at", "2026-10-09 23:05",
            says="pass --to STAFF")
    uncovered = file_repair(cli, "门禁卡失灵", "2026-11-02 10:00")
    refused(cli, workspace.root, "repair", "dispatch", uncovered, "--at", "2026-11-02 10:05",
            says="no roster has a 维修工 on duty or on call at 2026-11-02 10:05")


def test_a_repair_is_not_dispatched_twice_to_the_technician_who_has_it(cli, workspace,
                                                                      clock):
    """Typed again after an interrupt, a dispatch to the same technician was accepted in
    silence: six dispatch steps on one repair. Another technician is a reassignment; after
    a hold (resumed), or once done and reopened, the same one may be sent again."""
    october(workspace.root)
    repair = file_repair(cli, "地漏返水", "2026-10-09 10:00")
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-09 10:05"))
    refused(cli, workspace.root, "repair", "dispatch", repair, "--to", "wangqiang",
            "--at", "2026-10-09 10:06",
            says="is dispatched to 王强 already (2026-10-09 10:05): nothing written")
    ok(cli("repair", "arrive", repair, "--at", "2026-10-09 10:20"))
    refused(cli, workspace.root, "repair", "dispatch", repair, "--to", "wangqiang",
            "--at", "2026-10-09 10:21", says="nothing written")
    assert len(shown(cli, repair)["history"]) == 2
    ok(cli("repair", "dispatch", repair, "--to", "liuyang", "--at", "2026-10-09 10:30"))
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-09 10:40"))
    ok(cli("repair", "hold", repair, "--reason", "等配件", "--at", "2026-10-09 10:50"))
    ok(cli("repair", "resume", repair, "--at", "2026-10-10 09:00"))
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-10 09:05"))


# -- list filters -----------------------------------------------------------------------------

def test_due_within_counts_what_is_left_on_the_limits_clock(cli):
    """"Due within" is what the due column says is left, counted on the limit's clock: a
    business-hours repair due Monday 09:00 has 30 minutes left on Friday at 17:00 and all
    weekend, and one due after the National Day holiday has as much left on the holiday."""
    weekend = file_repair(cli, "水管滴漏", "2026-11-06 16:00", "--urgency", "general")
    holiday = file_repair(cli, "楼道灯不亮", "2026-09-30 16:00", "--urgency", "general")
    assert deadlines(cli, weekend, "2026-11-06 17:00")["respond"]["due"] == \
        "2026-11-09T09:00:00+08:00"  # Friday 16:00 + 2 business hours: Monday 09:00
    assert deadlines(cli, holiday, "2026-10-05 12:00")["respond"]["due"] == \
        "2026-10-08T09:00:00+08:00"  # 10-01..10-07 off (the tests' own holiday data)
    for moment in ("2026-11-06 17:00", "2026-11-07 12:00", "2026-11-08 20:00"):  # Fri, Sat, Sun
        assert weekend in listed_ids(cli, "--due-within", "1h", "--as-of", moment), moment
        assert weekend not in listed_ids(cli, "--due-within", "20m", "--as-of", moment), moment
    assert weekend not in listed_ids(cli, "--due-within", "1h", "--as-of", "2026-11-06 16:00")
    assert weekend in listed_ids(cli, "--due-within", "20m", "--as-of", "2026-11-09 08:45")
    for moment in ("2026-09-30 17:00", "2026-10-05 12:00"):  # Wednesday evening, a holiday
        assert holiday in listed_ids(cli, "--due-within", "1h", "--as-of", moment), moment
        assert holiday not in listed_ids(cli, "--due-within", "20m", "--as-of", moment), moment
    table = ok(cli("list", "--due-within", "1h", "--as-of", "2026-11-07 12:00"))
    assert "due in 30m" in table  # what the filter counts is what the row says


def test_overdue_due_within_and_the_other_list_filters(cli):
    late = file_complaint(cli, "保洁不到位", "2026-10-12 09:00", "--urgency", "urgent")
    soon = file_repair(cli, "门禁故障", "2026-10-12 12:30")  # urgent: respond in 30m
    calm = file_repair(cli, "墙面起皮", "2026-10-12 12:00", "--category", "leaks")
    answered = file_complaint(cli, "路灯太亮", "2026-10-12 09:00", "--urgency", "urgent")
    ok(cli("complaint", "handle", answered, "--action", "已调整", "--at", "2026-10-12 09:30"))
    ok(cli("repair", "dispatch", calm, "--to", "wangqiang", "--at", "2026-10-12 12:10"))
    judged = ("--as-of", "2026-10-12 12:45")
    assert listed_ids(cli, "--overdue", *judged) == {late}
    assert listed_ids(cli, "--due-within", "20m", *judged) == {soon}
    assert listed_ids(cli, "--overdue", "--due-within", "20m", *judged) == {late, soon}
    assert listed_ids(cli, "--assigned", "wangqiang") == {calm}
    # the name the clerk sees works as the id does: in a table (the newest, from the index),
    # as of a moment, and with --open
    assert listed_ids(cli, "--assigned", "王强") == {calm}
    assert listed_ids(cli, "--assigned", "王强", "--open", *judged) == {calm}
    assert calm[:12] in ok(cli("list", "--assigned", "王强"))
    assert listed_ids(cli, "--category", "leaks") == {calm}
    assert listed_ids(cli, "--room", "3-2-501", "--kind", "complaint") == {late, answered}
    assert listed_ids(cli, "--open", "--kind", "repair") == {soon, calm}
    table = ok(cli("list", "--overdue", *judged))
    assert "respond 10-12 11:00 (overdue by 1h45m)" in table
    bad = cli("list", "--due-within", "2 weeks")
    assert bad.exit_code == 2 and "--due-within" in bad.stderr
    nobody = cli("list", "--assigned", "nobody")
    assert nobody.exit_code == 2 and "no staff member 'nobody'" in nobody.stderr


@pytest.mark.parametrize("typed, said", [
    (("--lang", "zh_CN", "列表", "--将到期", "半天"),
     "--将到期：“半天”可以指 12 小时，也可以指半个工作日：请写“12小时”或“半个工作日”"
     "（也可写 12h、0.5wd）"),
    (("--lang", "zh_CN", "list", "--due-within", "半日"),
     "--due-within：“半日”可以指 12 小时，也可以指半个工作日：请写“12小时”或“半个工作日”"
     "（也可写 12h、0.5wd）"),
    (("list", "--due-within", "半天"), "--due-within: '半天' could mean 12 hours or half a "
     "working day: write 12小时 (12h) or 半个工作日 (0.5wd)"),
    (("--lang", "zh_CN", "列表", "--将到期", "很快"),
     "--将到期 很快：应为时长，如 30分钟、2小时、1天（或 30m、2h、1d）"),
])
def test_a_window_typed_two_ways_is_told_how_to_write_it(cli, typed, said):
    refused = cli(*typed)
    assert refused.exit_code == 2 and refused.stderr.strip() == said


def test_phones_are_masked_unless_asked(cli):
    repair = file_repair(cli, "窗户漏风", "2026-10-12 09:00")
    assert "138****5678" in ok(cli("list", "--format", "csv"))
    assert "13812345678" not in ok(cli("list", "--format", "csv"))
    assert "13812345678" not in ok(cli("show", repair))
    assert "13812345678" not in ok(cli("search", "漏风"))
    assert "13812345678" in ok(cli("show", repair, "--show-phone"))


# -- callbacks and linked tickets -------------------------------------------------------------

def test_callbacks_listed_due_and_done(cli, workspace):
    waiting = ok(cli("log", "call", *RESIDENT, "--summary", "物业费发票什么时候开",
                     "--callback-by", "2026-10-12 17:00", "--at", "2026-10-12 09:00"))
    later = ok(cli("log", "call", *RESIDENT, "--summary", "车位续租",
                   "--callback-by", "2026-10-13 12:00", "--at", "2026-10-12 09:10"))
    answered = ok(cli("log", "call", *RESIDENT, "--summary", "问路", "--at", "2026-10-12 09:20"))
    listing = ok(cli("callback", "list", "--format", "json", "--as-of", "2026-10-12 18:00"))
    assert [row["id"] for row in json.loads(listing)] == [waiting, later]
    due = json.loads(ok(cli("callback", "list", "--due", "--format", "json",
                            "--as-of", "2026-10-12 18:00")))
    assert [row["id"] for row in due] == [waiting]
    # json: the state's word and its numbers; the table its phrase
    assert {key: due[0][key] for key in ("state", "minutes_left", "minutes_late")} == {
        "state": "overdue", "minutes_left": None, "minutes_late": 60}
    early = json.loads(ok(cli("callback", "list", "--format", "json",
                              "--as-of", "2026-10-12 15:30")))
    assert [(row["state"], row["minutes_left"], row["minutes_late"]) for row in early] == [
        ("pending", 90, None), ("pending", 20 * 60 + 30, None)]
    rows = list(csv.DictReader(io.StringIO(ok(cli(
        "callback", "list", "--format", "csv", "--as-of", "2026-10-12 18:00")).lstrip("\ufeff"))))
    assert [(row["state"], row["minutes_late"]) for row in rows] == [("overdue", "60"),
                                                                    ("pending", "")]
    table = ok(cli("callback", "list", "--as-of", "2026-10-12 18:00", env={"COLUMNS": "200"}))
    assert "overdue by 1h" in table and "due in 18h" in table
    assert waiting in listed_ids(cli, "--overdue", "--as-of", "2026-10-12 18:00")
    refused(cli, workspace.root, "callback", "done", answered, "--note", "x",
            "--at", "2026-10-12 10:00", says="is answered: callback-done is only possible")
    refused(cli, workspace.root, "callback", "done", waiting, "--note", "  ",
            "--at", "2026-10-12 10:00", says="--note must not be empty")
    ok(cli("callback", "done", waiting, "--note", "发票已开好，可到前台领取",
           "--at", "2026-10-12 16:00", "--staff", "chenjing"))
    record = shown(cli, waiting, "2026-10-12 18:00")
    assert record["status"] == "called-back"
    assert record["deadlines"][0]["state"] == "met"
    refused(cli, workspace.root, "callback", "done", waiting, "--note", "x",
            "--at", "2026-10-12 17:00", says="is called-back: callback-done is only possible")
    assert [row["id"] for row in json.loads(ok(cli("callback", "list", "--format", "json")))] == [
        later]


def test_log_call_files_the_linked_ticket_and_show_links_both_ways(cli, workspace):
    result = cli("log", "call", *RESIDENT, "--category", "repair", "--summary", "厨房下水道堵塞",
                 "--file-ticket", "--ticket-category", "drains", "--at", "2026-10-12 09:00")
    call, repair = ok(result).splitlines()
    ticket = shown(cli, repair)
    assert ticket["kind"] == "repair" and ticket["category"] == "drains"
    assert ticket["urgency"] == "urgent"  # 堵塞 is an urgent keyword
    # said as `repair file` says it: the clerk sees why the clock is 30 minutes, not 2 hours
    assert "urgency 紧急 suggested by '堵塞' (to change it: dutyctl repair reclassify " \
        in result.stderr
    assert [row["id"] for row in ticket["linked"]] == [call]
    assert [row["id"] for row in shown(cli, call)["linked"]] == [repair]
    assert repair[:12] in ok(cli("show", call)) and call[:12] in ok(cli("show", repair))
    assert len(files(workspace.root)) == 3  # call, its link event, the repair
    refused(cli, workspace.root, "log", "call", *RESIDENT, "--category", "fee",
            "--summary", "物业费", "--file-ticket", says="--file-ticket needs a call of category "
            "投诉 or 报修, not '物业费咨询'")  # the site's labels, not the ids
    refused(cli, workspace.root, "log", "call", *RESIDENT, "--category", "complaint",
            "--summary", "噪音", "--file-ticket", "--ticket-category", "weather",
            says="unknown complaint category 'weather'")


# -- emergencies ------------------------------------------------------------------------------

def test_emergency_opens_with_procedure_logs_steps_and_closes(cli, workspace):
    result = cli("emergency", "open", "--type", "elevator-entrapment", "--where", "3号楼2单元电梯",
                 "--at", "2026-10-10 02:00")
    lines = ok(result).splitlines()
    emergency = lines[0]
    assert len(emergency) == 26
    text = "\n".join(lines[1:])
    assert "电梯困人" in text and "96333" in text
    assert "  - 电梯维保单位 (outside body) 96333" in text.splitlines()  # departments: outside
    assert "安抚被困人员" in text
    ok(cli("emergency", "log", emergency, "已通知电梯维保单位", "--at", "2026-10-10 02:03"))
    ok(cli("emergency", "log", emergency, "保安到场值守", "--at", "2026-10-10 02:06",
           "--staff", "lina"))
    assert emergency in listed_ids(cli, "--open")
    ok(cli("emergency", "close", emergency, "--summary", "02:25 解困，一人无恙",
           "--at", "2026-10-10 02:30"))
    record = shown(cli, emergency)
    assert record["status"] == "closed"
    assert [step["note"] for step in record["history"]] == [
        "已通知电梯维保单位", "保安到场值守", "02:25 解困，一人无恙"]
    assert emergency not in listed_ids(cli, "--open")
    refused(cli, workspace.root, "emergency", "log", emergency, "late", "--at",
            "2026-10-10 03:00", says="is closed: log is only possible")
    refused(cli, workspace.root, "emergency", "close", emergency, "--summary", "x",
            "--at", "2026-10-10 03:00", says="is closed: close is only possible")
    refused(cli, workspace.root, "emergency", "open", "--type", "meteor", "--where", "x",
            says="unknown emergency type 'meteor'")
    as_json = json.loads(ok(cli("emergency", "open", "--type", "water-outage", "--where", "5号楼",
                                "--format", "json")))
    assert as_json["contacts"][1] == {"department": "water-company", "name": "自来水公司",
                                      "phone": "96390", "outside": True}


# -- search -----------------------------------------------------------------------------------

def test_search_in_chinese_over_content_history_and_category_names(cli):
    leak = file_repair(cli, "卫生间天花板漏水严重", "2026-10-12 09:00", "--category", "leaks")
    noise = file_complaint(cli, "夜里广场舞音乐太吵", "2026-10-12 09:30")
    ok(cli("repair", "dispatch", leak, "--to", "liuyang", "--at", "2026-10-12 09:40"))
    ok(cli("repair", "done", leak, "--result", "楼上防水层修补", "--at", "2026-10-12 15:00"))

    def found(*words: str) -> list[str]:
        return [row["id"] for row in json.loads(ok(cli("search", *words, "--format", "json")))]

    assert found("漏水") == [leak]
    assert found("防水层") == [leak]           # in the history
    assert found("噪音") == [noise]            # the category's display name
    assert found("广场舞", "太吵") == [noise]   # every word must match
    assert found("广场舞", "漏水") == []
    assert found("张三") == [leak, noise]
    assert found("３-２-５０１") == [leak, noise]  # full-width digits fold
    assert "漏水" in ok(cli("search", "漏水"))
    assert found("漏水", "--open") == [leak]


# -- the installed binary ---------------------------------------------------------------------

def test_repair_lifecycle_through_the_installed_binary(workspace, dutyctl_command):
    def run(*args: str) -> str:
        done = run_dutyctl(dutyctl_command, *args, root=workspace.root)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    repair = run("repair", "file", *RESIDENT, "--content", "燃气灶打不着火",
                 "--at", "2026-10-12 09:00")
    run("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-12 09:05")
    run("repair", "done", repair, "--result", "更换电池", "--at", "2026-10-12 09:40")
    run("repair", "visit", repair, "--satisfaction", "5", "--at", "2026-10-12 10:00")
    record = json.loads(run("show", repair, "--format", "json"))
    assert record["status"] == "closed" and record["urgency"] == "emergency"
    again = run_dutyctl(dutyctl_command, "repair", "visit", repair, "--satisfaction", "5",
                        root=workspace.root)
    assert again.returncode == 2 and "visit is only possible when it is done" in again.stderr


@pytest.mark.parametrize("group", ["complaint", "repair", "callback", "emergency"])
def test_every_group_has_help(cli, group):
    assert cli(group, "--help").exit_code == 0


def test_file_ticket_refused_for_a_call_category_speaks_chinese(cli, workspace, monkeypatch):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    result = cli("log", "call", *RESIDENT, "--category", "fee", "--summary", "物业费",
                 "--file-ticket")
    assert result.exit_code == 2, (result.stdout, result.stderr)
    line = result.stderr.strip().splitlines()[-1]
    assert "投诉 或 报修" in line and "“物业费咨询”" in line, line
    words = re.findall(r"[A-Za-z]+", line.replace("--file-ticket", ""))
    assert words == [], line


def test_dispatch_help_says_whom_it_sends_without_to(cli):
    """--to left out: the technician on site who clocked in, else the first rostered on site
    (with a warning), else the one on call: the help says all three."""
    shown = " ".join(cli("repair", "dispatch", "--help").stdout.replace("│", " ").split())
    assert "who has clocked in, else the first rostered on site (with a warning" in shown, shown
    assert "else the one on call" in shown


def test_a_ticket_on_hold_is_not_due_soon_while_its_clock_stands(cli):
    """On hold its due time moves on with the moment, so what is left stays: it would be due
    soon for ever (and the watch would warn of a clock that stands still)."""
    repair = file_repair(cli, "楼道停电", "2026-10-10 01:30")
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-10 01:32"))
    assert repair in listed_ids(cli, "--due-within", "30m", "--as-of", "2026-10-10 01:35")
    ok(cli("repair", "hold", repair, "--reason", "等配件", "--at", "2026-10-10 01:36"))
    for moment in ("2026-10-10 01:40", "2026-10-12 09:00"):
        assert repair not in listed_ids(cli, "--due-within", "30m", "--as-of", moment), moment
    ok(cli("repair", "resume", repair, "--at", "2026-10-12 09:05"))
    assert repair in listed_ids(cli, "--due-within", "30m", "--as-of", "2026-10-12 09:06")


def test_an_emergency_at_night_names_the_technician_on_call(cli, workspace):
    """At night the procedure said whom to notify but not who is on call at home (备班): the
    clerk had to run `谁值班` to find the technician to phone, then `备班 出勤`."""
    from dutyctl.names import Names
    from dutyctl.roster.onduty import staff_on_call

    ok(cli("roster", "generate", "--month", "2026-10", "--at", "2026-09-20 10:00"))
    result = cli("--lang", "zh_CN", "emergency", "open", "--type", "停电", "--where", "3号楼",
                 "--at", "2026-10-05 23:10")
    lines = ok(result).splitlines()
    at_home = staff_on_call(workspace, datetime.fromisoformat("2026-10-05T23:10:00+08:00"))
    assert at_home, "the template's roster has someone on call at night"
    name = Names.of(workspace).person(at_home[0])
    emergency = lines[0]
    assert lines[-1].startswith(f"备班（在家待命）：{name}（") and lines[-1].endswith(
        f"为这起事件叫出：dutyctl 备班 出勤 {name} --突发 {emergency[:12]}"), lines[-1]
    # the command as shown calls them in for this emergency: its history names the call-out
    hinted = lines[-1].split("dutyctl ", 1)[1].split()
    ok(cli("--lang", "zh_CN", *hinted, "--at", "2026-10-05 23:15"))
    shown = json.loads(ok(cli("show", emergency, "-f", "json")))
    assert [linked["kind"] for linked in shown["linked"]] == ["callout"], shown["linked"]
    # by day, nobody is on call: nothing said
    day = ok(cli("emergency", "open", "--type", "停水", "--where", "5号楼",
                 "--at", "2026-10-06 10:00"))
    assert "on call at home" not in day
    # a second emergency while they are out: said so, never a command that would be refused,
    # nor "at home" (在家待命) of one called out
    second = ok(cli("--lang", "zh_CN", "emergency", "open", "--type", "停水", "--where",
                    "5号楼", "--at", "2026-10-05 23:40")).splitlines()
    assert second[-1].startswith(f"备班：{name}（") and second[-1].endswith(
        "，自 2026-10-05 23:15 起已叫出）：没有可再叫出的人"), second[-1]
    assert "dutyctl" not in second[-1]


@pytest.mark.parametrize("typed, score", [("满意", 4), ("非常满意", 5), ("一般", 3), ("不满意", 2),
                                          ("非常不满意", 1), ("五", 5), ("5分", 5), ("４", 4),
                                          ("三星", 3)])
def test_a_return_visit_takes_the_score_as_the_desk_writes_it(cli, typed, score):
    """`投诉 回访 --满意度 满意` was refused as "不是数字": the clerk writes what the resident
    said (满意, 一般) or 五, 5分 as often as 5."""
    complaint = file_complaint(cli, "楼道堆物", "2026-10-12 08:00")
    ok(cli("complaint", "resolve", complaint, "--result", "已清运", "--at", "2026-10-12 08:30"))
    ok(cli("--lang", "zh_CN", "complaint", "visit", complaint, "--satisfaction", typed,
           "--at", "2026-10-12 09:00"))
    assert shown(cli, complaint)["history"][-1]["satisfaction"] == score


def test_a_score_not_on_the_scale_is_refused_with_the_scale(cli, workspace):
    complaint = file_complaint(cli, "楼道堆物", "2026-10-12 08:00")
    ok(cli("complaint", "resolve", complaint, "--result", "已清运", "--at", "2026-10-12 08:30"))
    for typed in ("很好", "6", "0分"):
        refused = cli("--lang", "zh_CN", "complaint", "visit", complaint, "--满意度", typed,
                      "--at", "2026-10-12 09:00")
        assert refused.exit_code == 2 and "Traceback" not in refused.stderr
        assert refused.stderr.strip().endswith(
            "--满意度 应为 1 到 5（5 非常满意、4 满意、3 一般、2 不满意、1 非常不满意），"
            f"不是“{typed}”"), refused.stderr
    assert shown(cli, complaint)["status"] == "resolved"


@pytest.mark.parametrize("typed", ["፩", "፩分", "9" * 5000])
def test_a_score_written_in_odd_digits_is_refused_with_the_scale(typed):
    """`--满意度 ፩` (a digit, not a decimal one) or 5,000 nines ended in 意外错误 ValueError
    (int() refuses them); they are refused with the scale as any other score off it."""
    from dutyctl.errors import InputError
    from dutyctl.tickets.lifecycle import satisfaction_typed

    with pytest.raises(InputError):
        satisfaction_typed(typed)


def test_a_very_long_score_is_refused_through_the_command(cli):
    complaint = file_complaint(cli, "楼道堆物", "2026-10-12 08:00")
    ok(cli("complaint", "resolve", complaint, "--result", "已清运", "--at", "2026-10-12 08:30"))
    refused = cli("--lang", "zh_CN", "complaint", "visit", complaint, "--满意度", "9" * 5000,
                  "--at", "2026-10-12 09:00")
    assert refused.exit_code == 2 and "Traceback" not in refused.stderr, refused.stderr[:300]
    assert "应为 1 到 5" in refused.stderr and "意外错误" not in refused.stderr


def test_a_repair_from_a_call_can_be_at_another_place_than_the_callers_room(cli, workspace):
    """A resident of 4-2-601 calls about the pump room: `--from-call` with `--room` files
    the repair at the pump room (its place: listed, found and announced there), the caller
    still its reporter; the register still has the caller at home. It was refused, and
    without --room the technician was sent to the caller's flat."""
    from dutyctl.notify.texts import Texts

    call = ok(cli("log", "call", "--name", "孙七", "--room", "4-2-601", "--phone",
                  "13500004444", "--category", "repair", "--summary", "地下泵房有异响",
                  "--at", "2026-10-12 09:00"))
    repair = ok(cli("repair", "file", "--from-call", call, "--room", "地下泵房",
                    "--content", "地下泵房水泵异响", "--urgency", "emergency",
                    "--at", "2026-10-12 09:05"))
    record = shown(cli, repair)
    assert record["where"] == "地下泵房" and record["resident"]["room"] == "4-2-601"
    assert repair in listed_ids(cli, "--room", "地下泵房")
    listed = json.loads(ok(cli("list", "--open", "--kind", "repair", "-f", "json")))
    assert [row["room"] for row in listed if row["id"] == repair] == ["地下泵房"]
    stored = workspace.store.get(repair)
    notice = Texts(workspace).emergency_repair(stored, None)
    assert "地下泵房" in notice.headline and "4-2-601" not in notice.headline
    residents = ok(cli("resident", "list", "-f", "json"))
    assert "地下泵房" not in residents and "4-2-601" in residents
    again = ok(cli("log", "call", "--name", "孙七", "--room", "4-2-601", "--phone",
                   "13500004444", "--category", "repair", "--summary", "家里也漏",
                   "--at", "2026-10-12 09:06"))
    same = ok(cli("repair", "file", "--from-call", again, "--room", "4号楼2单元601",
                  "--at", "2026-10-12 09:06"))
    assert "where" not in shown(cli, same)  # the caller's own room: no place of its own
    refused = cli("repair", "file", "--from-call", call, "--name", "孙七", "--content", "x",
                  "--at", "2026-10-12 09:07")
    assert refused.exit_code == 2 and "--room is where the fault is" in refused.stderr
    complaint = cli("complaint", "file", "--from-call", call, "--room", "地下泵房",
                    "--category", "noise", "--at", "2026-10-12 09:08")
    assert complaint.exit_code == 2 and "leave out --name, --room and --phone" in (
        complaint.stderr)


def test_a_fault_found_on_a_round_is_filed_at_its_place_with_no_resident_made_up(cli,
                                                                                  workspace,
                                                                                  monkeypatch):
    """`repair file --room 3号楼电梯` with no reporter (a clerk's round): filed at the place,
    no resident; it asked for a name and phone, and the one made up (巡查发现, the site's
    hotline) was then listed as living at the lift. A home room without a reporter is still
    asked for one."""
    repair = ok(cli("repair", "file", "--room", "3号楼电梯", "--category", "elevator",
                    "--content", "3号楼电梯运行有异响", "--urgency", "urgent",
                    "--at", "2026-10-12 09:00"))
    record = shown(cli, repair)
    assert record["where"] == "3号楼电梯" and "resident" not in record
    assert repair in listed_ids(cli, "--room", "3号楼电梯")
    assert "3号楼电梯" not in ok(cli("resident", "list", "-f", "json"))
    assert cli("check").exit_code == 0  # the file as written passes the schema
    # a shape older desks do not read: written as schema 2, which they name as such ("written
    # by a newer dutyctl"), not as a file with an unknown field and no resident
    from dutyctl import records
    from dutyctl.store import yamlio

    path = workspace.store.get(repair).path
    assert yamlio.load(Path(path))["schema"] == 2
    assert yamlio.load(Path(workspace.store.get(first_repair_of(cli)).path))["schema"] == 1
    problems: list = []
    monkeypatch.setattr(records, "SCHEMA_VERSION", 1)  # a desk on the dutyctl before
    records.parse_record(yamlio.load(Path(path)), path, workspace.config, problems)
    assert problems[0].message == "schema: written by a newer dutyctl (schema 2)"
    home = cli("repair", "file", "--room", "3-2-501", "--content", "漏水", "--at",
               "2026-10-12 09:05")
    assert home.exit_code == 2 and "--name" in home.stderr


def test_a_technician_recording_the_arrival_on_anothers_repair_is_told(cli, workspace):
    """高峰 recorded 到场 on a repair dispatched to 刘洋 without a word: the job stayed 刘洋's
    (lists, reports) unsaid. Said, with how to make it 高峰's; a clerk recording the
    technician's arrival for them is said nothing."""
    repair = file_repair(cli, "门禁卡失灵", "2026-10-09 10:00")
    ok(cli("repair", "dispatch", repair, "--to", "liuyang", "--at", "2026-10-09 10:05"))
    by_clerk = cli("repair", "arrive", repair, "--at", "2026-10-09 10:20", "--staff", "lina")
    assert by_clerk.exit_code == 0 and "dispatched to" not in by_clerk.stderr
    other = file_repair(cli, "门禁卡失灵", "2026-10-09 11:00")
    ok(cli("repair", "dispatch", other, "--to", "liuyang", "--at", "2026-10-09 11:05"))
    arrived = cli("repair", "arrive", other, "--at", "2026-10-09 11:20", "--staff", "gaofeng")
    assert arrived.exit_code == 0, arrived.stderr
    assert (f"高峰 recorded the arrival on repair {other[:12]}, which is dispatched to 刘洋: "
            "it stays 刘洋's") in arrived.stderr
    assert f"'dutyctl repair dispatch {other[:12]} --to 高峰'" in arrived.stderr
    assert listed_ids(cli, "--assigned", "liuyang") >= {other}
    # the setting aside it names works for the clerk who runs it (it named no step, and the
    # latest step, another's, is set aside only when named)
    settle = arrived.stderr.split("set this arrival aside ('dutyctl ", 1)[1].split("'", 1)[0]
    done = cli(*settle.replace("...", "高峰去的").split(), "--at", "2026-10-09 11:30",
               "--staff", "lina")
    assert done.exit_code == 0, done.stderr
    assert shown(cli, other)["status"] == "dispatched"


def test_a_repair_filed_where_one_is_open_says_so_with_the_duplicate_command(cli, workspace):
    """The same window filed twice by one clerk was said nowhere (`check` only finds two
    desks' twins): the second filing names the open one and the command that closes the new
    one as its duplicate, which works as shown. Another room, or a complaint there, is not
    said."""
    first = file_repair(cli, "卧室窗户关不严", "2026-10-12 09:00")
    again = cli("repair", "file", *RESIDENT, "--content", "卧室窗户关不严，漏风",
                "--at", "2026-10-12 09:10")
    second = again.stdout.strip()
    assert again.exit_code == 0, again.stderr
    hint = next(line for line in again.stderr.splitlines() if "open already" in line)
    assert f"has repair {first[:12]} open already (卧室窗户关不严" in hint
    command = hint.split(": dutyctl ", 1)[1].replace("...", "同一件事")
    assert command.startswith(f"repair close {second[:12]} --as duplicate --of {first[:12]}")
    ok(cli(*command.split(), "--at", "2026-10-12 09:15"))
    assert shown(cli, second)["status"] == "cancelled"
    elsewhere = cli("repair", "file", "--name", "王五", "--room", "7-2-302", "--phone",
                    "13700001111", "--content", "卧室窗户关不严", "--at", "2026-10-12 09:20")
    assert "open already" not in elsewhere.stderr
    complaint = cli("complaint", "file", *RESIDENT, "--category", "noise", "--content",
                    "楼上吵", "--at", "2026-10-12 09:30")
    assert "open already" not in complaint.stderr


def test_list_by_urgency_class_reads_the_class_now(cli, workspace):
    """`列表 --紧急程度 急修` was refused as no such option: all open 急修 could only be had
    from json and a script. The class now counts (one raised to 急修 is listed as one)."""
    burst = file_repair(cli, "卫生间爆管，水漫到客厅", "2026-10-12 09:00")  # 急修 by its words
    leak = file_repair(cli, "水管滴漏", "2026-10-12 09:05", "--urgency", "general")
    complaint = file_complaint(cli, "楼上吵", "2026-10-12 09:06", "--urgency", "urgent")
    assert listed_ids(cli, "--urgency", "急修") == {burst}
    ok(cli("repair", "reclassify", leak, "--urgency", "emergency", "--reason", "漏到楼下",
           "--at", "2026-10-12 09:20"))
    assert listed_ids(cli, "--urgency", "emergency") == {burst, leak}
    assert listed_ids(cli, "--urgency", "紧急") == {complaint}
    assert listed_ids(cli, "--urgency", "urgent", "--kind", "repair") == set()
    unknown = cli("list", "--urgency", "很急")
    assert unknown.exit_code == 2 and "choose one of:" in unknown.stderr
    wrong_kind = cli("list", "--kind", "complaint", "--urgency", "急修")
    assert wrong_kind.exit_code == 2
    calls = cli("list", "--kind", "call", "--urgency", "急修")
    assert calls.exit_code == 2 and "--urgency is for complaints and repairs only" in calls.stderr
    chinese = cli("--lang", "zh_CN", "列表", "--紧急程度", "急修")
    assert chinese.exit_code == 0 and burst[:12] in chinese.stdout


def test_a_repair_sent_again_to_another_says_whom_it_was_taken_from(cli, workspace):
    """A second dispatch said only "dispatched to 刘洋": the desk could not tell it had taken
    the job from 王强, nor the Chinese manual that a second dispatch is how one reassigns."""
    repair = file_repair(cli, "门禁卡失灵", "2026-10-09 10:00")
    first = cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-09 10:05")
    assert first.stdout.strip() == f"{repair[:12]} dispatched to 王强"
    again = cli("repair", "dispatch", repair, "--to", "liuyang", "--at", "2026-10-09 10:20")
    assert again.stdout.strip() == f"{repair[:12]} dispatched to 刘洋, taken from 王强"
    chinese = cli("--lang", "zh_CN", "报修", "派工", repair, "--派给", "王强", "--时间",
                  "2026-10-09 10:30")
    assert chinese.stdout.strip() == f"{repair[:12]} 已改派给 王强（原派给 刘洋）"


def first_repair_of(cli) -> str:
    """An ordinary repair, a resident reporting it."""
    return file_repair(cli, "水管滴漏", "2026-10-12 09:40")


def test_a_return_visit_nobody_answered_is_recorded_and_the_visit_still_waits(cli, workspace):
    """回访 could not record "the resident did not answer": it asked for a score. `--no-answer`
    records the attempt; the repair still waits for its visit, which then closes it."""
    repair = file_repair(cli, "门禁卡失灵", "2026-10-09 10:00")
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-09 10:05"))
    ok(cli("repair", "done", repair, "--result", "已换", "--at", "2026-10-09 11:00"))
    tried = cli("--lang", "zh_CN", "报修", "回访", repair, "--未接通", "--时间",
                "2026-10-09 15:00")
    assert tried.exit_code == 0, tried.stderr
    assert tried.stdout.strip() == f"{repair[:12]}：回访未接通（第 1 次），仍待回访"
    record = shown(cli, repair)
    assert record["status"] == "done"
    assert [step["action"] for step in record["history"]][-1] == "visit-attempt"
    assert "无人接听" in cli("--lang", "zh_CN", "show", repair).stdout
    both = cli("repair", "visit", repair, "--no-answer", "--satisfaction", "5",
               "--at", "2026-10-09 16:00")
    assert both.exit_code == 2 and "--satisfaction" in both.stderr
    ok(cli("repair", "visit", repair, "--satisfaction", "2", "--at", "2026-10-09 17:00"))
    assert shown(cli, repair)["status"] == "closed"
    assert cli("check").exit_code == 0
    # reopened and done again: the attempts at the visit owed now count from one
    ok(cli("repair", "reopen", repair, "--reason", "又坏了", "--at", "2026-10-10 09:00"))
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-10 09:05"))
    ok(cli("repair", "done", repair, "--result", "再换", "--at", "2026-10-10 11:00"))
    again = cli("repair", "visit", repair, "--no-answer", "--at", "2026-10-10 15:00")
    assert "(attempt 1)" in again.stdout, again.stdout


def test_a_visit_attempt_is_written_as_schema_2_and_a_newer_step_is_named_as_such(
        cli, workspace, monkeypatch):
    """A desk on an older dutyctl read a visit-attempt step as "no such action": it is
    written as schema 2, and a step of a schema newer than this dutyctl reads is said to be
    written by a newer dutyctl (it passed `check`)."""
    from dutyctl import records
    from dutyctl.store import yamlio

    repair = file_repair(cli, "门禁卡失灵", "2026-10-09 10:00")
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-09 10:05"))
    ok(cli("repair", "done", repair, "--result", "已换", "--at", "2026-10-09 11:00"))
    ok(cli("repair", "visit", repair, "--no-answer", "--at", "2026-10-09 15:00"))
    step = workspace.store.get(repair).events[-1]
    data = yamlio.load(workspace.root / step.path)
    assert data["schema"] == 2
    problems: list = []
    monkeypatch.setattr(records, "SCHEMA_VERSION", 1)
    records.parse_event(data, step.path, problems)
    assert problems and problems[0].message == "schema: written by a newer dutyctl (schema 2)"


def test_list_by_urgency_asks_the_index_for_more_only_as_needed(cli, workspace, monkeypatch):
    """`list --urgency` read every complaint and repair of the history to show 50 (3 s on
    three years): the newest are asked for, more and more, until enough are of the class.
    The same rows as reading them all; the count of them all unsaid when not known."""
    from dutyctl import queries

    urgent = [file_repair(cli, f"爆管{n}", f"2026-10-0{n} 09:00") for n in range(1, 8)]
    for n in range(1, 8):
        file_repair(cli, f"门把手松{n}", f"2026-10-0{n} 10:00", "--urgency", "general")
    everyone = listed_ids(cli, "--urgency", "emergency")
    assert everyone == set(urgent)
    monkeypatch.setattr(queries, "FIRST_ASK", 1)
    monkeypatch.setattr(queries, "LEAST_ASK", 1)
    asked = []
    real = queries.find

    def counted(store, **filters):
        asked.append(filters.get("newest"))
        return real(store, **filters)

    monkeypatch.setattr(queries, "find", counted)
    two = cli("list", "--urgency", "emergency", "--limit", "2")
    assert two.exit_code == 0, two.stderr
    assert asked[:2] == [2, 8] and len(asked) == 2  # 2 asked, 1 of them urgent; then 8
    assert [line.split()[0] for line in two.stdout.splitlines()[2:]] == [
        one[:12] for one in urgent[-2:]]
    assert "Showing the 2 newest; --all shows every one" in two.stderr


def test_an_overdue_listing_keeps_how_late_each_is_at_a_terminal(cli, workspace):
    """`列表 --已超时` at 100 columns cut the deadline to `响应 11-23 09:30…`: how late was lost,
    what the listing is read for. The time filed gives way first."""
    ok(cli("repair", "file", "--name", "王五", "--room", "11-1-1001", "--phone", "13900002222",
           "--content", "卫生间漏水滴到楼下，楼下天花板已经湿了一大片", "--urgency", "urgent",
           "--at", "2026-10-12 09:00"))

    def listed(*args: str, width: int = 100) -> list[str]:
        return cli("--lang", "zh_CN", "列表", *args, "--截至", "2026-10-13 10:00",
                   env={"COLUMNS": str(width)}).stdout.splitlines()

    head, _, row = listed("--已超时")
    assert row.endswith("响应 10-12 09:30（已超时 1天）") and "时间" not in head, row
    from dutyctl.textwidth import display_width

    assert all(display_width(line) <= 100 for line in listed("--已超时"))
    plain = listed()  # an ordinary listing as before: the time filed, the deadline cut
    assert "时间" in plain[0] and plain[2].endswith("响应 10-12 09:30…"), plain


@pytest.mark.parametrize("content", ["电梯停了，两人困在里面", "有人被困电梯里", "5号楼电梯关人了",
                                     "5号楼2单元电梯困了两个人"])
def test_an_entrapment_in_the_clerks_own_words_is_an_emergency_repair(cli, content, clock):
    """Only the literal 电梯困人 was 急修: 电梯停了，两人困在里面 at 01:44 was 一般, its
    arrival due at 17:30 the next working day. The template's 电梯+困在 (each word, any order)."""
    clock.set("2026-12-03T02:00:00+08:00")
    result = cli("repair", "file", "--room", "5号楼2单元电梯", "--category", "elevator",
                 "--content", content, "--at", "2026-12-03 01:44")
    repair = ok(result)
    assert shown(cli, repair)["urgency"] == "emergency", result.stderr
    assert deadlines(cli, repair, "2026-12-03 01:45")["arrive"]["due"] == \
        "2026-12-03T02:14:00+08:00"


def test_a_keyword_of_joined_words_needs_each_of_them():
    from types import SimpleNamespace

    from dutyctl.kinds.complaint import suggest_urgency

    scheme = SimpleNamespace(default="general", keywords={"emergency": ("电梯+困在",)})
    config = SimpleNamespace(urgency={"repair": scheme})
    assert suggest_urgency(config, "repair", "两人困在电梯里") == ("emergency", "电梯+困在")
    assert suggest_urgency(config, "repair", "电梯门关不严") == ("general", None)
    assert suggest_urgency(config, "repair", "我困了") == ("general", None)


def test_the_entrapment_keywords_leave_a_difficulty_alone_and_read_a_wide_plus(cli, workspace,
                                                                              clock):
    """`电梯+困` made 电梯停运，老人上下楼困难 an emergency repair (paging at night); a keyword
    typed with a Chinese input method's plus (电梯＋困在) or spaces never matched."""
    slow = ok(cli("repair", "file", "--room", "3号楼电梯", "--category", "elevator",
                  "--content", "电梯停运，老人上下楼困难", "--at", "2026-10-12 09:00"))
    assert shown(cli, slow)["urgency"] != "emergency"
    path = workspace.config_path
    path.write_text(path.read_text(encoding="utf-8").replace("电梯+困在", "电梯 ＋ 困在"),
                    encoding="utf-8")
    trapped = ok(cli("repair", "file", "--room", "3号楼电梯", "--category", "elevator",
                     "--content", "两人困在电梯里", "--at", "2026-10-12 09:10"))
    assert shown(cli, trapped)["urgency"] == "emergency"


def test_a_keyword_with_nothing_on_one_side_of_its_plus_is_refused(workspace, cli):
    """`电梯＋` (a half-typed keyword) matched every text naming 电梯 as 急修, unsaid."""
    path = workspace.config_path
    path.write_text(path.read_text(encoding="utf-8").replace("电梯+困在", "电梯＋"),
                    encoding="utf-8")
    checked = cli("--lang", "zh_CN", "check")
    assert checked.exit_code == 1 and "“电梯+”：“+”两边都要写词" in checked.stdout, checked.stdout


def test_a_step_is_recorded_at_its_real_time_before_a_later_settle(cli, workspace, clock):
    """The supervisor set aside a dispatch typed twice the next morning; the technician's
    real arrival at 02:40 was then refused as before "a later step (作废)": arrival stood as
    the completion time."""
    october(workspace.root)
    clock.set("2026-10-09T09:00:00+08:00")
    repair = file_repair(cli, "地漏返水", "2026-10-09 01:59", "--urgency", "urgent")
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-10-09 02:12"))
    ok(cli("repair", "hold", repair, "--reason", "等配件", "--at", "2026-10-09 02:13"))
    ok(cli("settle", repair, "--reason", "记错了", "--at", "2026-10-09 08:50"))
    arrived = cli("repair", "arrive", repair, "--at", "2026-10-09 02:40")
    assert arrived.exit_code == 0, arrived.stderr
    record = shown(cli, repair)
    assert [step["action"] for step in record["history"]] == [
        "dispatch", "hold", "arrive", "settle"], record["history"]
    assert deadlines(cli, repair, "2026-10-09 09:00")["arrive"]["met_at"] == \
        "2026-10-09T02:40:00+08:00"
