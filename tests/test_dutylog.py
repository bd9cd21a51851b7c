"""Issue 15 at the desk: complaint hold, the readiness row, callback attempts, links from a
call, duty-log entries and handovers to several people."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from dutyctl.errors import DutyError
from dutyctl.tickets import lifecycle
from dutyctl.tickets.deadlines import load_book
from tests.conftest import run_dutyctl
from tests.helpers_desk import october_site, printed_ids

CST = timezone(timedelta(hours=8))
RESIDENT = ("--name", "张三", "--room", "3-2-501", "--phone", "13812345678")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def ok(result) -> str:
    assert result.exit_code == 0, result.stderr + result.stdout
    return result.stdout.strip()


def shown(cli, record_id: str, as_of: str | None = None) -> dict:
    extra = ("--as-of", as_of) if as_of else ()
    return json.loads(ok(cli("show", record_id, "--format", "json", *extra)))


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
    with pytest.raises(DutyError, match="--reason must not be empty"):
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
    assert ok(cli("check")) is not None


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
