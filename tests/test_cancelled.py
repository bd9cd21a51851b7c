"""A ticket closed without being worked (`close --as withdrawn/duplicate/invalid`, status
cancelled) is closed everywhere: its deadlines stop at the close, and no screen or report
counts it as open. The kind's lifecycle (KindSpec.closed_statuses) is the one place that says so."""

from __future__ import annotations

import json

from dutyctl.tickets import deadlines
from dutyctl.tickets.deadlines import MISSED, describe, ticket_deadlines
from tests.test_tickets_deadlines import GENERAL, _repair, at, business

ROOM = ["--name", "张三", "--room", "3-2-501", "--phone", "13812345678"]


def test_a_cancelled_tickets_deadlines_stop_at_its_close():
    repair = _repair("2026-11-02 09:00", ("2026-11-02 12:00", "close"))
    judged = at("2026-11-20 10:00")
    found = {d.name: d for d in ticket_deadlines(repair, GENERAL, business(), judged)}
    # respond was due 11:00: still unmet when closed at 12:00, so missed then, not overdue now
    assert found["respond"].state(judged) == MISSED
    assert found["respond"].stopped_at == at("2026-11-02 12:00")
    assert describe(found["respond"], judged) == "missed (closed 1h after it was due)"
    assert found["complete"].state(judged) == deadlines.NOT_APPLICABLE
    assert not any(deadline.is_open() for deadline in found.values())
    # before the close the clock ran as usual
    before = ticket_deadlines(repair, GENERAL, business(), at("2026-11-02 11:30"))
    assert before[0].is_open() and before[0].stopped_at is None


def test_a_reopened_ticket_runs_its_deadlines_again():
    repair = _repair("2026-11-02 09:00", ("2026-11-02 09:30", "close"),
                     ("2026-11-02 09:40", "reopen"))
    respond = ticket_deadlines(repair, GENERAL, business(), at("2026-11-02 12:00"))[0]
    assert respond.stopped_at is None and respond.is_open()


def _withdrawn(cli, *lang: str) -> str:
    filed = cli(*lang, "complaint", "file", *ROOM, "--category", "noise", "--content",
                "楼上装修噪音扰民", "--at", "2026-11-16 10:00")
    assert filed.exit_code == 0, filed.output
    ticket = filed.stdout.strip().splitlines()[-1]
    closed = cli(*lang, "complaint", "close", ticket, "--as", "withdrawn", "--reason", "x",
                 "--at", "2026-11-20 10:30")
    assert closed.exit_code == 0, closed.output
    return ticket


def test_show_and_reports_treat_a_cancelled_ticket_as_closed(cli, clock):
    clock.set("2026-11-26T10:00:00+08:00")
    ticket = _withdrawn(cli)
    shown = cli("show", ticket)
    assert shown.exit_code == 0, shown.output
    assert "overdue by" not in shown.stdout and "due in" not in shown.stdout, shown.stdout
    assert "missed (closed" in shown.stdout, shown.stdout
    assert "not applicable (closed before it was due)" in shown.stdout, shown.stdout
    for period in (["daily", "--date", "2026-11-20"], ["weekly", "--week", "2026-W47"],
                   ["monthly", "--month", "2026-11"]):
        report = cli("report", *period, "--format", "json")
        assert report.exit_code == 0, report.output
        complaints = json.loads(report.stdout)["complaints"]
        assert complaints["open"] == 0 and complaints["overdue"] == 0, (period, complaints)
        assert complaints["oldest_open"] == [] and complaints["overdue_items"] == [], period
    listed = cli("list", "--overdue")
    assert ticket[:12] not in listed.stdout, listed.output
    assert ticket[:12] not in cli("list", "--open").stdout


def test_the_chinese_daily_report_leaves_a_withdrawn_complaint_out_of_oldest_open(cli, clock):
    clock.set("2026-11-26T10:00:00+08:00")
    ticket = _withdrawn(cli, "--lang", "zh_CN")
    report = cli("--lang", "zh_CN", "report", "daily", "--date", "2026-11-20")
    assert report.exit_code == 0, report.output
    assert "最久未结" not in report.stdout and ticket[:12] not in report.stdout, report.stdout
    shown = cli("--lang", "zh_CN", "show", ticket).stdout
    assert "不适用（到期前已关闭）" in shown and "已超时" not in shown, shown


def test_a_cancelled_repair_leaves_the_handover_and_every_open_question(cli, workspace):
    from datetime import datetime

    from dutyctl.desk.handover import open_items
    from dutyctl.queries import is_open
    from dutyctl.timeutil import zone

    filed = cli("repair", "file", *ROOM, "--content", "厨房水管爆管，跑水", "--at",
                "2026-11-16 09:20")
    repair = filed.stdout.strip().splitlines()[-1]
    kept = _withdrawn(cli)
    reopened = cli("complaint", "reopen", kept, "--reason", "住户又来电", "--at",
                   "2026-11-20 11:00")
    assert reopened.exit_code == 0, reopened.output
    closed = cli("repair", "close", repair, "--as", "invalid", "--reason", "x", "--at",
                 "2026-11-20 10:40")
    assert closed.exit_code == 0, closed.output
    store = workspace.store
    assert not is_open(store.get(repair)) and is_open(store.get(kept))
    items = open_items(store, datetime(2026, 11, 20, 12, tzinfo=zone("Asia/Shanghai")))
    assert [item.record for item in items] == [kept]
    listed = cli("list", "--open").stdout
    assert kept[:12] in listed and repair[:12] not in listed, listed


def test_a_ticket_cancelled_on_hold_keeps_its_due_times_and_runs_again_when_reopened():
    steps = (("2026-11-02 09:10", "dispatch"), ("2026-11-02 09:30", "hold"),
             ("2026-11-02 10:00", "close"))
    held = _repair("2026-11-02 09:00", *steps)
    week_later = ticket_deadlines(held, GENERAL, business(), at("2026-11-09 10:00"))
    month_later = ticket_deadlines(held, GENERAL, business(), at("2026-12-02 10:00"))
    # the hold ended at the close: the due times no longer move with the moment of reading
    assert [d.due for d in week_later] == [d.due for d in month_later]
    arrive = week_later[1]  # one working day, half an hour of it on hold
    assert arrive.due == at("2026-11-03 09:30")
    assert arrive.state(at("2026-11-09 10:00")) == deadlines.NOT_APPLICABLE
    reopened = _repair("2026-11-02 09:00", *steps, ("2026-11-02 10:10", "reopen"))
    arrive = ticket_deadlines(reopened, GENERAL, business(), at("2026-11-03 10:00"))[1]
    # its clock runs again from the reopen: the 10 minutes it was closed do not count
    assert arrive.is_open() and arrive.due == at("2026-11-03 09:40")
    assert arrive.state(at("2026-11-03 10:00")) == deadlines.OVERDUE


def test_json_and_yaml_say_when_a_closed_tickets_clock_stopped(cli, clock):
    clock.set("2026-11-26T10:00:00+08:00")
    ticket = _withdrawn(cli)
    shown = json.loads(cli("show", ticket, "--format", "json").stdout)
    rows = {row["deadline"]: row for row in shown["deadlines"]}
    assert {name: (row["state"], row["stopped_at"]) for name, row in rows.items()} == {
        "respond": ("missed", "2026-11-20T10:30:00+08:00"),
        "complete": ("not_applicable", "2026-11-20T10:30:00+08:00")}
    running = json.loads(cli("show", ticket, "--as-of", "2026-11-20 10:00", "--format",
                             "json").stdout)
    assert [row["stopped_at"] for row in running["deadlines"]] == [None, None]
    assert "stopped_at: '2026-11-20T10:30:00+08:00'" in cli("show", ticket, "--format",
                                                           "yaml").stdout
    listed = json.loads(cli("list", "--as-of", "2026-11-20 10:00", "--format", "json").stdout)
    due = next(row["due"] for row in listed if row["id"] == ticket)
    assert due["state"] == "overdue"  # a listing's due cell is a running deadline


def test_the_reason_for_closing_is_typed_in_the_clerks_words(cli, workspace):
    filed = cli("complaint", "file", *ROOM, "--content", "楼上装修噪音扰民", "--at",
                "2026-11-16 10:00")
    ticket = filed.stdout.strip().splitlines()[-1]
    wrong = cli("--lang", "zh_CN", "complaint", "close", ticket, "--as", "搞错了", "--reason", "x",
                "--at", "2026-11-16 10:10")
    assert wrong.exit_code == 2
    assert "重复、住户撤回、无效" in wrong.stderr, wrong.stderr  # the desk's words alone
    assert not any(word in wrong.stderr for word in ("duplicate", "withdrawn", "invalid"))
    assert workspace.store.get(ticket).events == ()
    closed = cli("--lang", "zh_CN", "complaint", "close", ticket, "--as", "撤回", "--reason",
                 "住户说已解决", "--at", "2026-11-16 10:20")
    assert closed.exit_code == 0, closed.stderr
    assert workspace.store.get(ticket).events[-1].data == {"closed_as": "withdrawn"}


def test_a_report_counts_each_deadline_state_as_the_deadline_judges_it():
    from dutyctl.reports.figures import LATE, ON_TIME, PENDING, UNKNOWN, deadline_outcome
    from dutyctl.reports.period import day_period
    from dutyctl.tickets.deadlines import Deadline
    from tests.test_tickets_deadlines import TZ

    day = day_period(at("2026-11-02 00:00").date(), TZ)
    due, now = at("2026-11-02 11:00"), at("2026-11-02 20:00")
    cases = {  # (met, stopped, due) -> how the day's report counts it
        (at("2026-11-02 10:00"), None, due): ON_TIME,
        (at("2026-11-02 12:00"), None, due): LATE,
        (at("2026-11-01 12:00"), None, due): None,  # met the day before: that day's report
        (None, at("2026-11-02 12:00"), due): LATE,  # closed unmet after it was due
        (None, at("2026-11-02 10:00"), due): None,  # closed before it was due: no deadline
        (None, at("2026-11-03 12:00"), due): None,  # closed late, but on another day
        (None, None, due): LATE,  # overdue at the report's moment
        (None, None, at("2026-11-02 21:00")): PENDING,
        (None, None, None): UNKNOWN,
        (at("2026-11-01 12:00"), None, None): None,
    }
    for (met, stopped, due_at), outcome in cases.items():
        deadline = Deadline("respond", due_at, met, stopped_at=stopped)
        assert deadline_outcome(deadline, day, now) == outcome, (met, stopped, due_at)
