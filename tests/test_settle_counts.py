"""A step set aside (作废) counts for nothing anywhere: attendance hours, hold time, callback
attempts, workload, links. And 作废 without naming the step refuses what it must not undo
silently: a step that closed the ticket, or another person's step."""

from __future__ import annotations

import json

from dutyctl.desk.sessions import session_of
from dutyctl.kinds.call import attempts
from dutyctl.kinds.duty import CLOCK_OUT, KIND as DUTY
from dutyctl.tickets.display import held_for
from tests.helpers_desk import october_site, ok_text as ok
from tests.helpers_foundation import call_flags
from tests.test_dutylog import CST, RESIDENT, at

def test_a_clock_out_set_aside_ends_nothing_and_the_next_one_counts(workspace, cli, clock):
    clock.set("2026-12-01T09:00:00+08:00")  # after every --at of the test
    october_site(workspace.root)
    ok(cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55"))
    ok(cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 12:00", "--no-handover",
           "--reason", "测试"))
    (duty,) = workspace.store.scan(kinds=(DUTY,)).records
    ok(cli("settle", duty.id, "--reason", "签退点错了", "--staff", "zhangwei",
           "--at", "2026-10-05 12:01"))
    ok(cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:00", "--no-handover",
           "--reason", "测试"))
    duty = workspace.store.get(duty.id)
    assert session_of(duty, CLOCK_OUT).end == at("2026-10-05 20:00")
    rows = {row["staff"]: row for row in json.loads(ok(cli(
        "attendance", "--month", "2026-10", "--format", "json")))}
    assert rows["zhangwei"]["hours_worked"] == round((12 * 60 + 5) / 60, 2)


def test_a_hold_set_aside_holds_nothing(workspace, cli, clock):
    clock.set("2026-12-01T09:00:00+08:00")  # after every --at of the test
    complaint = ok(cli("complaint", "file", *RESIDENT, "--category", "noise", "--content",
                       "楼上夜间噪音", "--urgency", "general", "--at", "2026-11-02 09:00"))
    ok(cli("complaint", "hold", complaint, "--reason", "等业主回复", "--at", "2026-11-02 10:00"))
    ok(cli("settle", complaint, "--reason", "挂错了单", "--at", "2026-11-02 10:05"))
    record = workspace.store.get(complaint)
    assert held_for(record, at("2026-11-02 12:00")).total_seconds() == 0


def test_a_callback_attempt_set_aside_is_no_attempt(workspace, cli, clock):
    clock.set("2026-10-12T12:00:00+08:00")
    call = ok(cli(*call_flags("张三", "3-2-501", "13812345678", "问燃气表", "--callback-by",
                              "2026-10-12 18:00", "--at", "2026-10-12 10:00")))
    ok(cli("callback", "attempt", call, "--result", "busy", "--at", "2026-10-12 10:30"))
    assert len(attempts(workspace.store.get(call))) == 1
    ok(cli("settle", call, "--reason", "记错了单", "--at", "2026-10-12 10:31"))
    assert attempts(workspace.store.get(call)) == []


def test_workload_counts_neither_a_step_set_aside_nor_the_settle(workspace, cli, clock):
    from dutyctl.reports.figures import workload
    from datetime import date

    from dutyctl.reports.period import day_period

    clock.set("2026-10-12T12:00:00+08:00")
    call = ok(cli(*call_flags("张三", "3-2-501", "13812345678", "问燃气表", "--callback-by",
                              "2026-10-12 18:00", "--at", "2026-10-12 10:00")))
    ok(cli("callback", "attempt", call, "--result", "busy", "--at", "2026-10-12 10:30"))
    ok(cli("settle", call, "--reason", "记错了单", "--at", "2026-10-12 10:31"))
    records = workspace.store.scan().records
    period = day_period(date(2026, 10, 12), CST)
    (row,) = workload(records, period)
    assert (row["calls"], row["steps"]) == (1, 0)


def test_settle_without_a_step_refuses_the_step_that_closed_the_ticket(workspace, cli, clock):
    clock.set("2026-12-01T09:00:00+08:00")  # after every --at of the test
    complaint = ok(cli("complaint", "file", *RESIDENT, "--category", "noise", "--content",
                       "楼上夜间噪音", "--urgency", "general", "--at", "2026-11-02 09:00"))
    ok(cli("complaint", "resolve", complaint, "--result", "已协调", "--at", "2026-11-02 10:00"))
    ok(cli("complaint", "visit", complaint, "--satisfaction", "5", "--at", "2026-11-02 11:00"))
    refused = cli("--lang", "zh_CN", "作废", complaint, "--原因", "回访记错", "--时间",
                  "2026-11-02 11:05")
    assert refused.exit_code == 2, refused.stdout
    assert refused.stderr.strip() == (
        f"{complaint[:12]}：最近一步 2026-11-02 11:00 张伟 的“回访”已把单子关闭，不能这样作废："
        f"要继续处理请用“dutyctl 投诉 重开 {complaint[:12]} --原因 …”")
    assert workspace.store.get(complaint).status == "closed"  # nothing written


def test_settle_without_a_step_refuses_another_persons_step(workspace, cli, clock):
    clock.set("2026-12-01T09:00:00+08:00")  # after every --at of the test
    complaint = ok(cli("complaint", "file", *RESIDENT, "--category", "noise", "--content",
                       "楼上夜间噪音", "--urgency", "general", "--at", "2026-11-02 09:00"))
    ok(cli("complaint", "handle", complaint, "--action", "已联系楼上", "--staff", "lina",
           "--at", "2026-11-02 10:00"))
    refused = cli("--lang", "zh_CN", "作废", complaint, "--原因", "记错", "--时间",
                  "2026-11-02 10:05")
    assert refused.exit_code == 2, refused.stdout
    step = workspace.store.get(complaint).events[-1]
    assert refused.stderr.strip() == (
        f"{complaint[:12]}：最近一步是 2026-11-02 10:00 李娜 的“受理”，不是你记的："
        f"确要作废，请用 --步骤 {step.id[:14]} 指明这一步")
    ok(cli("settle", complaint, "--event", step.id[:14], "--reason", "记错",
           "--at", "2026-11-02 10:06"))
    again = cli("--lang", "zh_CN", "作废", complaint, "--步骤", step.id[:14], "--原因", "记错",
                "--时间", "2026-11-02 10:07")
    assert again.exit_code == 2
    assert again.stderr.strip() == (f"{complaint[:12]}：2026-11-02 10:00 李娜 的“受理”"
                                    "已于 2026-11-02 10:06 由张伟作废过了")


def test_a_dispatch_or_transfer_set_aside_leaves_no_assignee(workspace, cli, clock):
    """A repair dispatched to the wrong technician and set aside leaves his queue; a
    complaint's transfer set aside is with no department (both read the last step still
    counting)."""
    clock.set("2026-12-01T09:00:00+08:00")  # after every --at of the test
    from dutyctl.records import assignee

    repair = ok(cli("repair", "file", *RESIDENT, "--category", "drains", "--content", "下水道堵了",
                    "--urgency", "general", "--at", "2026-11-02 09:00"))
    ok(cli("repair", "dispatch", repair, "--to", "wangqiang", "--at", "2026-11-02 09:10"))
    assert assignee(workspace.store.get(repair)) == "wangqiang"
    ok(cli("settle", repair, "--reason", "派错单了", "--at", "2026-11-02 09:12"))
    assert assignee(workspace.store.get(repair)) != "wangqiang"
    listed = json.loads(ok(cli("list", "--assigned", "wangqiang", "--format", "json")))
    assert [row["id"] for row in listed] == []
    complaint = ok(cli("complaint", "file", *RESIDENT, "--category", "noise", "--content",
                       "楼上夜间噪音", "--urgency", "general", "--at", "2026-11-02 09:00"))
    ok(cli("complaint", "transfer", complaint, "--to", "engineering", "--reason", "设备问题",
           "--told-resident", "已转工程部", "--at", "2026-11-02 09:20"))
    ok(cli("settle", complaint, "--reason", "转错了", "--at", "2026-11-02 09:25"))
    shown = json.loads(ok(cli("list", "--format", "json", "--kind", "complaint")))
    assert [row.get("transferred_to") for row in shown] in ([None], [""])


def test_a_ticket_done_reopened_and_done_again_counts_each_completion_alike(workspace, cli,
                                                                            clock):
    """Resolved, reopened and resolved again in one week: the handler, the totals and the
    trend count the same, and the week adds up its days. (Once the week counted only the
    completion since the reopen, while the day of the first had said 1: a supervisor adding
    the daily sheets found one more than the weekly.) The visit of the first work is not a
    visit of the second."""
    from datetime import date

    from dutyctl.reports.figures import per_day, satisfaction, ticket_figures, workload
    from dutyctl.reports.period import day_period, week_period
    from dutyctl.tickets.deadlines import load_book

    clock.set("2026-11-09T09:00:00+08:00")  # after every --at of the test
    complaint = ok(cli("complaint", "file", *RESIDENT, "--category", "noise", "--content",
                       "楼上夜间噪音", "--urgency", "general", "--at", "2026-11-02 09:00"))
    ok(cli("complaint", "resolve", complaint, "--result", "已协调", "--at", "2026-11-02 10:00"))
    ok(cli("complaint", "visit", complaint, "--satisfaction", "2", "--at", "2026-11-03 10:00"))
    ok(cli("complaint", "reopen", complaint, "--reason", "又吵了", "--at", "2026-11-04 10:00"))
    ok(cli("complaint", "resolve", complaint, "--result", "再次协调", "--at", "2026-11-05 10:00"))
    records = workspace.store.scan().records
    period = week_period(date(2026, 11, 2), CST)
    resolved = {row["staff"]: row["resolved"] for row in workload(records, period)}
    assert sum(resolved.values()) == 2, resolved
    book = load_book(workspace)

    def figures_in(span):
        return ticket_figures(records, "complaint", lambda record: book.of(
            record, at("2026-11-09 09:00")), span, at("2026-11-09 09:00"))["resolved"]

    assert figures_in(period) == 2
    assert [row["resolved"] for row in per_day(records, period, at("2026-11-09 09:00"))] == \
        [1, 0, 0, 1, 0, 0, 0]
    assert [figures_in(day_period(date(2026, 11, day), CST)) for day in range(2, 9)] == \
        [1, 0, 0, 1, 0, 0, 0]
    visits = satisfaction(records, period)["complaint"]
    assert (visits["resolved"], visits["visited"]) == (2, 1), visits
