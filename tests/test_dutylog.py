"""Issue 15 at the desk: complaint hold, the readiness row, callback attempts, links from a
call, duty-log entries and handovers to several people."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from dutyctl.errors import DutyError
from dutyctl.tickets import lifecycle
from dutyctl.tickets.deadlines import load_book
from tests.conftest import run_dutyctl
from tests.helpers_desk import october_site, ok_text as ok

CST = timezone(timedelta(hours=8))
RESIDENT = ("--name", "张三", "--room", "3-2-501", "--phone", "13812345678")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def shown(cli, record_id: str, as_of: str | None = None) -> dict:
    extra = ("--as-of", as_of) if as_of else ()
    return json.loads(ok(cli("show", record_id, "--format", "json", *extra)))


def records_are_clean(cli) -> None:
    """`check` finds nothing wrong in records/ (a hand-written roster may leave holes)."""
    checked = cli("check")
    assert "records/" not in checked.stdout + checked.stderr, checked.stdout + checked.stderr


def csv_rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


# -- complaint hold and resume ----------------------------------------------------------------

def _complaint(workspace, when: str):
    return lifecycle.file_ticket(
        workspace.store, workspace.config, "complaint", at=at(when), by="zhangwei",
        resident={"name": "张三", "room": "3-2-501", "phone": "13812345678"},
        category="noise", content="楼上夜间噪音", urgency="general")


def test_a_complaint_hold_moves_its_deadline_by_the_time_held(workspace):
    store, book = workspace.store, load_book(workspace)
    complaint = _complaint(workspace, "2026-11-02 09:00")
    due = {d.name: d.due for d in book.of(complaint, at("2026-11-02 10:00"))}
    assert due["complete"] == at("2026-11-11 09:00")  # 7 working days, business hours
    held = lifecycle.hold(store, complaint, "等业主提供照片", at=at("2026-11-03 10:00"),
                          by="zhangwei")
    assert held.status == "on-hold"
    resumed = lifecycle.resume(store, held, "照片已收到", at=at("2026-11-04 10:00"),
                               by="zhangwei")
    assert resumed.status == "handling"
    # 9 business hours on hold (Tue 10:00-17:30, Wed 08:30-10:00): one working day later
    after = {d.name: d.due for d in book.of(resumed, at("2026-11-04 11:00"))}
    assert after["complete"] == at("2026-11-12 09:00")
    # a hold still running stops the clock up to the moment judged: never overdue
    again = lifecycle.hold(store, resumed, "等物业费核对", at=at("2026-11-05 09:00"), by="lina")
    (complete,) = [d for d in book.of(again, at("2026-11-30 09:00")) if d.name == "complete"]
    assert complete.state(at("2026-11-30 09:00")) == "pending"


def test_complaint_hold_refuses_what_the_lifecycle_forbids(workspace):
    store = workspace.store
    complaint = _complaint(workspace, "2026-11-02 09:00")
    with pytest.raises(DutyError, match="resume is only possible when it is on-hold"):
        lifecycle.resume(store, complaint, None, at=at("2026-11-02 10:00"), by="zhangwei")
    with pytest.raises(DutyError, match="^reason must not be empty"):
        lifecycle.hold(store, complaint, " ", at=at("2026-11-02 10:00"), by="zhangwei")
    resolved = lifecycle.resolve(store, complaint, "已协调", at=at("2026-11-02 11:00"),
                                 by="zhangwei")
    with pytest.raises(DutyError, match="hold is only possible when it is open or handling"):
        lifecycle.hold(store, resolved, "x", at=at("2026-11-02 12:00"), by="zhangwei")


def test_complaint_hold_and_resume_on_the_command_line(cli, workspace):
    complaint = ok(cli("complaint", "file", *RESIDENT, "--category", "noise", "--content",
                       "楼上夜间噪音", "--urgency", "general", "--at", "2026-11-02 09:00"))
    said = cli("complaint", "hold", complaint, "--reason", "等业主回复", "--at",
               "2026-11-03 10:00")
    assert said.exit_code == 0 and "now on-hold" in said.stdout
    record = shown(cli, complaint, "2026-11-03 12:00")
    assert record["status"] == "on-hold" and record["on_hold_for"] == "2h"
    assert record["history"][0] == {**record["history"][0], "action": "hold",
                                    "note": "等业主回复"}
    ok(cli("complaint", "resume", complaint, "--at", "2026-11-04 10:00"))
    due = {row["deadline"]: row["due"] for row in shown(cli, complaint)["deadlines"]}
    assert due["complete"] == "2026-11-12T09:00:00+08:00"
    refused = cli("complaint", "resume", complaint, "--at", "2026-11-04 11:00")
    assert refused.exit_code == 2 and "only possible when it is on-hold" in refused.stderr
    zh = cli("--lang", "zh_CN", "complaint", "hold", complaint, "--reason", "等业主回复",
             "--at", "2026-11-04 12:00")
    assert zh.exit_code == 0 and "暂停" in zh.stdout
    records_are_clean(cli)


# -- a readiness problem's row names the item -------------------------------------------------

def test_a_readiness_problem_row_names_the_failed_item_by_its_label(cli, workspace):
    october_site(workspace.root)
    ok(cli("checklist", "--staff", "zhangwei", "--at", "2026-10-05 08:10", "--ok", "all",
           "--problem", "printer", "--note", "卡纸"))
    table = ok(cli("list", "--kind", "readiness-problem"))
    assert "打印机可用: 卡纸" in table and "printer" not in table
    zh = ok(cli("--lang", "zh_CN", "list", "--kind", "readiness-problem"))
    assert "打印机可用：卡纸" in zh
    (row,) = csv_rows(ok(cli("list", "--kind", "readiness-problem", "--format", "csv")))
    assert row["text"] == "打印机可用: 卡纸"


# -- callback attempts ------------------------------------------------------------------------

def _call_with_promise(cli, when: str = "2026-10-05 09:00", due: str = "2026-10-05 12:00"):
    return ok(cli("log", "call", *RESIDENT, "--category", "fee", "--summary", "发票什么时候开",
                  "--callback-by", due, "--at", when))


def test_callback_attempts_keep_the_promise_open_and_show_everywhere(cli, workspace):
    october_site(workspace.root)
    call = _call_with_promise(cli)
    said = cli("callback", "attempt", call, "--result", "no-answer", "--at", "2026-10-05 10:00")
    assert said.exit_code == 0, said.stderr
    assert "callback attempt 1 recorded, the callback is still due 2026-10-05 12:00" in said.stdout
    ok(cli("callback", "attempt", call, "--result", "占线", "--note", "十分钟后再打",
           "--at", "2026-10-05 10:20"))
    record = shown(cli, call, "2026-10-05 11:00")
    assert record["status"] == "awaiting-callback"
    assert [(step["action"], step["result"]) for step in record["history"]] == [
        ("callback-attempt", "no-answer"), ("callback-attempt", "busy")]
    table = ok(cli("--lang", "zh_CN", "show", call))
    assert "无人接听" in table and "占线：十分钟后再打" in table
    (row,) = csv_rows(ok(cli("callback", "list", "--as-of", "2026-10-05 11:00", "--format",
                             "csv")))
    assert row["attempts"] == "2"
    # the handover carries the attempts; the daily report counts them and the overdue promise
    ok(cli("handover", "--to", "lina", "--at", "2026-10-05 19:40"))
    handover = ok(cli("handover", "pending", "--format", "json"))
    (item,) = json.loads(ok(cli("handover", "show", json.loads(handover)[0]["id"],
                                "--format", "json")))["items"]
    assert (item["attempts"], item["last_attempt"]) == (2, "busy")
    shown_text = cli("handover", "show", json.loads(handover)[0]["id"]).stdout
    assert "[2 attempts, last: busy]" in shown_text
    report = json.loads(ok(cli("report", "daily", "--date", "2026-10-05", "--format", "json")))
    callbacks = report["calls"]["callbacks"]
    assert callbacks["attempts"] == 2 and callbacks["attempts_by_result"] == {
        "no-answer": 1, "busy": 1}
    assert callbacks["overdue_items"][0]["attempts"] == 2
    text = ok(cli("report", "daily", "--date", "2026-10-05"))
    assert "Callback attempts (resident not reached)" in text
    # done after the attempts: the promise is kept (late), attempts stay in the history
    ok(cli("callback", "done", call, "--note", "已告知", "--at", "2026-10-05 12:30"))
    assert shown(cli, call)["status"] == "called-back"


def test_a_callback_attempt_refused_leaves_nothing(cli, workspace):
    call = _call_with_promise(cli)
    wrong = cli("callback", "attempt", call, "--result", "maybe", "--at", "2026-10-05 10:00")
    assert wrong.exit_code == 2 and "no-answer" in wrong.stderr and "Traceback" not in wrong.stderr
    answered = ok(cli("log", "call", *RESIDENT, "--summary", "问停车", "--at",
                      "2026-10-05 09:10"))
    refused = cli("callback", "attempt", answered, "--result", "busy", "--at", "2026-10-05 10:00")
    assert refused.exit_code == 2 and "is answered" in refused.stderr
    assert shown(cli, call)["history"] == [] and shown(cli, answered)["history"] == []


def test_check_refuses_a_hand_made_attempt_with_an_unknown_result(cli, workspace):
    call = _call_with_promise(cli)
    ok(cli("callback", "attempt", call, "--result", "wrong-number", "--at", "2026-10-05 10:00"))
    (event_file,) = [path for path in (workspace.root / "records").rglob("*.yaml")
                     if "callback-attempt" in path.read_text(encoding="utf-8")]
    event_file.write_text(event_file.read_text(encoding="utf-8").replace(
        "result: wrong-number", "result: 忘了"), encoding="utf-8")
    checked = cli("check")
    assert checked.exit_code == 1 and "result" in checked.stdout + checked.stderr


# -- links after the fact ---------------------------------------------------------------------

def test_a_complaint_call_without_a_ticket_says_so_with_the_command(cli, workspace):
    logged = cli("log", "call", *RESIDENT, "--category", "complaint", "--summary",
                 "楼上每晚11点后还在装修", "--at", "2026-10-05 09:00")
    assert logged.exit_code == 0, logged.stderr
    call = logged.stdout.strip()
    assert (f"no complaint was filed for this call: dutyctl complaint file --from-call "
            f"{call[:12]}") in logged.stderr
    other = cli("log", "call", *RESIDENT, "--category", "fee", "--summary", "物业费",
                "--at", "2026-10-05 09:10")
    assert "--from-call" not in other.stderr
    zh = cli("--lang", "zh_CN", "log", "call", *RESIDENT, "--category", "repair", "--summary",
             "厨房漏水", "--at", "2026-10-05 09:20")
    assert f"这通来电还没有登记报修：dutyctl 报修 登记 --来电 {zh.stdout.strip()[:12]}" in zh.stderr


def test_tickets_and_an_emergency_filed_from_a_call_take_its_resident_and_link_both_ways(
        cli, workspace):
    call = ok(cli("log", "call", "--name", "李四", "--room", "5-1-1202", "--phone",
                  "13900001111", "--category", "complaint", "--summary", "楼上夜间噪音",
                  "--at", "2026-10-05 09:00"))
    complaint = ok(cli("complaint", "file", "--from-call", call[:12], "--category", "noise",
                       "--at", "2026-10-05 09:05"))
    record = shown(cli, complaint)
    assert record["resident"]["name"] == "李四" and record["resident"]["room"] == "5-1-1202"
    assert record["content"] == "楼上夜间噪音" and record["links"] == [call]
    assert [row["id"] for row in record["linked"]] == [call]
    assert shown(cli, complaint, None)["created_at"] == "2026-10-05T09:05:00+08:00"
    ok_show = json.loads(ok(cli("show", call, "--format", "json", "--show-phone")))
    assert [row["id"] for row in ok_show["linked"]] == [complaint]
    assert ok_show["history"][0]["action"] == "link"
    # the phone came from the call, unmasked on disk
    files = [p.read_text(encoding="utf-8") for p in (workspace.root / "records").rglob("*.yaml")
             if complaint in p.name]
    assert "'13900001111'" in files[0]
    again = cli("complaint", "file", "--from-call", call, "--at", "2026-10-05 09:10")
    assert again.exit_code == 2 and f"already has complaint {complaint[:12]}" in again.stderr
    repair = ok(cli("repair", "file", "--from-call", call, "--content", "楼上地漏反水",
                    "--at", "2026-10-05 09:10"))
    assert shown(cli, repair)["resident"]["phone"] == "139****1111"
    emergency = ok(cli("emergency", "open", "--type", "water-outage", "--where", "5号楼",
                       "--from-call", call, "--at", "2026-10-05 09:15")).splitlines()[0]
    opened = shown(cli, emergency)
    assert opened["links"] == [call] and opened["resident"]["name"] == "李四"
    assert opened["content"] == "楼上夜间噪音"
    linked = {row["id"] for row in shown(cli, call)["linked"]}
    assert linked == {complaint, repair, emergency}
    records_are_clean(cli)


def test_filing_from_a_call_refuses_mistakes_and_writes_nothing(cli, workspace):
    call = ok(cli("log", "call", *RESIDENT, "--category", "repair", "--summary", "灯坏了",
                  "--at", "2026-10-05 09:00"))
    before = sorted((workspace.root / "records").rglob("*.yaml"))
    mixed = cli("repair", "file", "--from-call", call, "--name", "王五", "--at",
                "2026-10-05 09:05")
    assert mixed.exit_code == 2 and "leave out --name and --phone" in mixed.stderr
    early = cli("repair", "file", "--from-call", call, "--at", "2026-10-05 08:00")
    assert early.exit_code == 2 and "cannot come before it" in early.stderr
    complaint = ok(cli("complaint", "file", *RESIDENT, "--category", "noise", "--content", "吵",
                       "--at", "2026-10-05 09:01"))
    before.append(next(p for p in (workspace.root / "records").rglob("*.yaml")
                       if complaint in p.name))
    not_a_call = cli("repair", "file", "--from-call", complaint, "--at", "2026-10-05 09:05")
    assert not_a_call.exit_code == 2 and "is of kind complaint, not call" in not_a_call.stderr
    assert sorted((workspace.root / "records").rglob("*.yaml")) == sorted(before)


def test_from_call_takes_the_room_or_phone_of_the_call_just_taken(cli, workspace):
    """At night the clerk types the room, as for every step: `突发 开启 --来电 3-1-502` was
    refused as "not an id". The call of that room or number logged in the 12 hours before,
    without one of that kind filed from it, is the one; which one is said on stderr."""
    call = ok(cli("log", "call", "--name", "郑十一", "--room", "3-1-502", "--phone",
                  "13811112222", "--category", "complaint", "--summary", "3号楼整栋停电",
                  "--at", "2026-10-05 23:10"))
    emergency = cli("emergency", "open", "--type", "power-outage", "--where", "3号楼",
                    "--from-call", "3-1-502", "--at", "2026-10-05 23:12")
    assert shown(cli, ok(emergency).splitlines()[0])["links"] == [call]
    assert f"from call {call[:12]} (2026-10-05 23:10, 3-1-502, 郑十一, 3号楼整栋停电)" in (
        emergency.stderr)
    complaint = ok(cli("complaint", "file", "--from-call", "3栋1单元502室", "--category",
                       "noise", "--at", "2026-10-05 23:20"))
    assert shown(cli, complaint)["links"] == [call]
    # that call has its complaint now; no other call of the number is waiting for one
    again = cli("complaint", "file", "--from-call", "13811112222", "--at", "2026-10-05 23:30")
    assert again.exit_code == 2 and "Traceback" not in again.stderr
    assert ("'13811112222' is neither an id nor the room or phone of a call logged in the 12 "
            "hours before 2026-10-05 23:30 without a complaint filed from it") in again.stderr
    # a call of yesterday is not the one just taken
    late = cli("repair", "file", "--from-call", "3-1-502", "--at", "2026-10-06 12:00")
    assert late.exit_code == 2 and "12 hours before 2026-10-06 12:00" in late.stderr
    # two calls of the room waiting: both listed, the id asked for
    second = ok(cli("log", "call", "--name", "郑十一", "--room", "3-1-502", "--phone",
                    "13811112222", "--category", "repair", "--summary", "楼道灯不亮",
                    "--at", "2026-10-05 23:40"))
    several = cli("repair", "file", "--from-call", "3-1-502", "--at", "2026-10-05 23:45")
    assert several.exit_code == 2 and "give the id of the one meant" in several.stderr
    assert call[:12] in several.stderr and second[:12] in several.stderr


# -- duty log entries -------------------------------------------------------------------------

def test_duty_log_entries_are_listed_handed_over_and_reported(cli, workspace):
    october_site(workspace.root)
    ok(cli("clock", "in", "--at", "2026-10-05 07:55"))
    before = ok(cli("log", "patrol", "夜班巡查正常", "--at", "2026-10-05 07:58"))  # clocked in
    patrol = ok(cli("log", "patrol", "3号楼消防通道畅通", "--where", "3号楼",
                    "--at", "2026-10-05 09:00"))
    visitor = ok(cli("log", "note", "王先生来访找5-1-1202", "--type", "来访",
                     "--at", "2026-10-05 10:00"))
    key = ok(cli("log", "key", "借出天台钥匙给维修工王强", "--at", "2026-10-05 11:00"))
    note = ok(cli("log", "note", "空调外机噪音已转工程部", "--at", "2026-10-05 12:00"))
    delivery = ok(cli("log", "delivery", "代收快递2件", "--where", "5-1-1202",
                      "--at", "2026-10-05 13:00"))
    notice = ok(cli("log", "notice", "明天9点到12点停水", "--at", "2026-10-05 14:00"))
    entry = shown(cli, visitor)
    assert (entry["kind"], entry["status"], entry["type"]) == ("log-entry", "logged", "visitor")
    rows = csv_rows(ok(cli("list", "--kind", "log-entry", "--format", "csv")))
    assert [(row["id"], row["category"]) for row in rows][1:] == [
        (patrol, "patrol"), (visitor, "visitor"), (key, "key"), (note, "note"),
        (delivery, "delivery"), (notice, "notice")]
    assert rows[1]["room"] == "3" and rows[1]["text"] == "3号楼消防通道畅通"  # as emergencies
    table = ok(cli("--lang", "zh_CN", "list", "--kind", "值班记录"))
    assert "巡查" in table and "钥匙" in table and "已记录" in table
    # the handover of the shift carries the entries logged since the clock-in (07:55)
    written = cli("handover", "--to", "lina", "--at", "2026-10-05 19:40")
    assert written.exit_code == 0, written.stderr
    items = json.loads(ok(cli("handover", "show", written.stdout.strip(), "--format",
                              "json")))["items"]
    carried = [(item["record"], item["type"]) for item in items if item["kind"] == "log-entry"]
    assert carried == [(before, "patrol"), (patrol, "patrol"), (visitor, "visitor"),
                       (key, "key"), (note, "note"), (delivery, "delivery"), (notice, "notice")]
    assert "3号楼消防通道畅通" in written.stderr and "patrol" in written.stderr
    assert "0 open items" in written.stderr  # entries are carried, not counted as open
    # the next shift's handover starts after this one: nothing carried twice
    ok(cli("log", "patrol", "夜间巡查正常", "--at", "2026-10-05 23:00", user="lina"))
    night = ok(cli("handover", "--to", "sunli", "--at", "2026-10-06 07:50", user="lina"))
    night_items = json.loads(ok(cli("handover", "show", night, "--format", "json")))["items"]
    assert [item["text"] for item in night_items if item["kind"] == "log-entry"] == [
        "夜间巡查正常"]
    report = json.loads(ok(cli("report", "daily", "--date", "2026-10-05", "--format", "json")))
    log = report["duty_log"]
    assert log["entries"] == 8 and log["by_type"]["patrol"] == 3
    assert [item["type"] for item in log["items"]][:3] == ["patrol", "patrol", "visitor"]
    text = ok(cli("--lang", "zh_CN", "report", "daily", "--date", "2026-10-05"))
    assert "值班记录" in text and "借出天台钥匙给维修工王强" in text
    records_are_clean(cli)


def test_the_duty_log_is_listed_by_type_and_a_table_shows_the_type(cli, workspace,
                                                                     monkeypatch):
    """`list --kind 巡查` (or --category 巡查, --kind log-entry --category patrol): the duty
    log's patrols, newest cut as any list; the kind column names the type however narrow."""
    patrols = [ok(cli("log", "patrol", f"第{n}次巡查正常", "--at", f"2026-10-05 0{n}:00"))
               for n in range(1, 4)]
    ok(cli("log", "visitor", "王先生来访", "--at", "2026-10-05 04:30"))
    ok(cli("log", "call", *RESIDENT, "--summary", "巡查时发现漏水", "--at", "2026-10-05 05:00"))
    for typed in (("--kind", "巡查"), ("--category", "巡查"), ("--kind", "log-entry", "--category",
                                                               "patrol"), ("--kind", "patrol")):
        rows = json.loads(ok(cli("list", *typed, "--format", "json")))
        assert [row["id"] for row in rows] == patrols, typed
    newest = cli("list", "--kind", "巡查", "--limit", "2")
    assert newest.exit_code == 0 and "Showing the 2 newest of 3 records" in newest.stderr
    assert patrols[0][:12] not in newest.stdout and patrols[2][:12] in newest.stdout
    (visitor,) = json.loads(ok(cli("list", "--category", "来访", "--format", "json")))
    assert visitor["category"] == "visitor"
    monkeypatch.setenv("COLUMNS", "100")
    table = ok(cli("--lang", "zh_CN", "list", "--kind", "值班记录"))
    assert "类别" not in table  # the category column made room: the type is in the kind's
    assert table.count("值班记录·巡查") == 3 and "值班记录·来访" in table
    wrong = cli("--lang", "zh_CN", "list", "--kind", "报修", "--category", "巡查")
    assert wrong.exit_code == 2 and "没有名为“巡查”的类别" in wrong.stderr


def test_search_names_a_duty_log_entry_and_a_building_as_list_does(cli, workspace,
                                                                   monkeypatch):
    """`查找 巡查` reading last week's log: the kind column says 值班记录·巡查 as `list` does
    (it said 值班记录 alone), a whole building 3号楼 (it said 3)."""
    monkeypatch.setenv("COLUMNS", "100")
    ok(cli("log", "patrol", "3号楼消防通道巡查正常", "--where", "3号楼", "--at",
           "2026-10-05 01:00"))
    table = ok(cli("--lang", "zh_CN", "search", "消防通道"))
    assert "值班记录·巡查" in table
    assert re.search(r"已记录\s+3号楼\s", table.splitlines()[-1]), table
    (row,) = json.loads(ok(cli("search", "消防通道", "--format", "json")))
    assert row["kind"] == "log-entry" and row["room"] == "3"


def test_the_index_answers_a_duty_log_type_without_reading_the_entries(cli, workspace,
                                                                         monkeypatch):
    """The index keeps an entry's type as its category (queries.category_of): `list --kind
    巡查 --limit 2` reads two entries' documents, as any category filter, not every entry of
    the duty log's years to keep the patrols."""
    from dutyctl import queries
    from dutyctl.store import index as index_module
    from dutyctl.workspace import Workspace

    patrols = [ok(cli("log", "patrol", f"第{n}次巡查正常", "--at", f"2026-10-0{n} 02:00"))
               for n in range(1, 4)]
    ok(cli("log", "visitor", "王先生来访", "--at", "2026-10-02 04:30"))
    store = Workspace(workspace.root).store
    assert store.index is not None
    queries.find(store)  # the index brought up to date
    monkeypatch.setattr(type(store), "scan", lambda *args, **kwargs: pytest.fail("scanned"))
    read: list = []
    record_of = index_module.record_of
    monkeypatch.setattr(index_module, "record_of", lambda doc: read.append(doc) or record_of(doc))
    found = queries.find(store, kind="log-entry", category="patrol", newest=2)
    assert [record.id for record in found.records] == patrols[1:] and found.total == 3
    assert len(read) == 2
    store.close()


def test_a_handover_counts_its_open_items_alike_on_every_screen(cli, workspace):
    """The duty log entries a handover carries are not open items: the handover's own line,
    `show`, `handover pending` and the daily report give one count."""
    october_site(workspace.root)
    ok(cli("clock", "in", "--at", "2026-10-05 07:55"))
    ok(cli("log", "call", *RESIDENT, "--summary", "问快递柜", "--callback-by", "2026-10-05 15:00",
           "--at", "2026-10-05 09:00"))
    ok(cli("log", "patrol", "3号楼消防通道畅通", "--at", "2026-10-05 10:00"))
    ok(cli("log", "key", "借出天台钥匙", "--at", "2026-10-05 11:00"))
    written = cli("--lang", "zh_CN", "handover", "--to", "lina", "--at", "2026-10-05 19:40")
    handover = ok(written)
    assert "未结事项 1 项" in written.stderr and "借出天台钥匙" in written.stderr
    assert "未结事项：1 项" in ok(cli("--lang", "zh_CN", "show", handover))
    (row,) = json.loads(ok(cli("handover", "pending", "--format", "json")))
    assert row["items"] == 1
    report = json.loads(ok(cli("report", "daily", "--date", "2026-10-05", "--format", "json")))
    assert [item["items"] for item in report["handovers"]["unaccepted"]] == [1]


def test_a_duty_log_place_is_spelled_as_every_room(cli, workspace):
    """--where of an entry reads as an emergency's: a room typed in full width or as 3栋2单元
    is the room every screen and `list --room` know; a place of no scheme is kept."""
    spelled = {ok(cli("log", "delivery", "代收快递2件", "--where", where,
                      "--at", "2026-10-05 13:00")): stored
               for where, stored in (("３－２－５０１", "3-2-501"), ("3栋2单元501室", "3-2-501"),
                                     ("３号楼", "3"), ("  北门  岗亭 ", "北门 岗亭"))}
    assert {record: shown(cli, record)["where"] for record in spelled} == spelled
    table = ok(cli("--lang", "zh_CN", "list", "--kind", "值班记录"))
    assert "３－２－５０１" not in table and table.count("3-2-501") == 2 and "3号楼" in table


def test_duty_log_mistakes_are_refused_and_check_validates_entries(cli, workspace):
    wrong = cli("log", "note", "x", "--type", "lunch", "--at", "2026-10-05 09:00")
    assert wrong.exit_code == 2 and "patrol" in wrong.stderr and "Traceback" not in wrong.stderr
    empty = cli("log", "patrol", "  ", "--at", "2026-10-05 09:00")
    assert empty.exit_code == 2
    assert not list((workspace.root / "records").rglob("*.yaml"))
    entry = ok(cli("log", "visitor", "快递员送件", "--at", "2026-10-05 09:00"))
    (path,) = [p for p in (workspace.root / "records").rglob("*.yaml") if entry in p.name]
    path.write_text(path.read_text(encoding="utf-8").replace("type: visitor", "type: 午饭"),
                    encoding="utf-8")
    checked = cli("check")
    assert checked.exit_code == 1 and "type" in checked.stdout + checked.stderr


def test_a_duty_log_entry_through_the_entry_point(workspace, dutyctl_forked):
    logged = run_dutyctl(dutyctl_forked, "log", "note", "--type", "巡查", "地下车库照明正常",
                         "--at", "2026-10-05 21:00", root=workspace.root)
    assert logged.returncode == 0, logged.stderr
    listed = run_dutyctl(dutyctl_forked, "list", "--kind", "log-entry", "--format", "json",
                         root=workspace.root)
    (row,) = json.loads(listed.stdout)
    assert (row["id"], row["category"], row["text"]) == (
        logged.stdout.strip(), "patrol", "地下车库照明正常")


def test_show_labels_a_type_apart_from_the_kind(cli, workspace):
    """An emergency's and a duty-log entry's own `type` under a label of its own: two lines
    both called 类型 (类型：突发事件, then 类型：停水) read as a contradiction."""
    october_site(workspace.root)
    emergency = ok(cli("emergency", "open", "--type", "water-outage", "--where", "5号楼",
                       "--at", "2026-10-05 09:15")).splitlines()[0]
    entry = ok(cli("log", "note", "王先生来访找5-1-1202", "--type", "来访",
                   "--at", "2026-10-05 10:00"))
    for record, label in ((emergency, "突发事件类型"), (entry, "事项类型")):
        lines = ok(cli("--lang", "zh_CN", "show", record)).splitlines()
        assert [line for line in lines if line.startswith("类型：")] == [lines[1]], lines
        assert any(line.startswith(f"{label}：") for line in lines), lines


def test_the_weekly_review_counts_the_duty_log_by_type(workspace, cli, clock):
    """The daily report had its 值班记录; the week's patrols, visits and deliveries appeared
    in no review, in no format, where a supervisor checks 巡查次数 by the week."""
    clock.set("2026-10-20T09:00:00+08:00")
    for args in (("patrol", "消防通道畅通", "--at", "2026-10-12 11:00"),
                 ("patrol", "车库复查", "--at", "2026-10-14 02:45"),
                 ("visitor", "居委会来访", "--at", "2026-10-13 16:00")):
        ok(cli("log", *args))
    week = json.loads(ok(cli("report", "weekly", "--week", "2026-W42", "-f", "json")))
    assert week["duty_log"] == {"entries": 3, "by_type": {"patrol": 2, "visitor": 1}}, \
        week["duty_log"]
    text = ok(cli("--lang", "zh_CN", "report", "weekly", "--week", "2026-W42"))
    section = text.split("值班记录\n--------\n", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"巡查\s+2", section) and re.search(r"来访\s+1", section), section
