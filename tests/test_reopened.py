"""A ticket reopened after its work was completed is open again: its completion limit counts
from the completion after the last reopen, never from the first one (shown, listed, handed
over and reported alike)."""

from __future__ import annotations

import json
from datetime import datetime

from dutyctl.tickets import deadlines
from dutyctl.tickets.deadlines import MET, MISSED, OVERDUE, ticket_deadlines
from dutyctl.timeutil import zone
from tests.test_tickets_deadlines import GENERAL, _repair, at, business

ROOM = ["--name", "张三", "--room", "3-2-501", "--phone", "13812345678"]


def test_a_completion_before_a_reopen_no_longer_meets_the_limit():
    done = (("2026-11-02 09:10", "dispatch"), ("2026-11-02 10:00", "done"),
            ("2026-11-02 11:00", "visit"))
    finished = _repair("2026-11-02 09:00", *done)
    judged = at("2026-11-09 10:00")
    complete = ticket_deadlines(finished, GENERAL, business(), judged)[2]
    assert complete.state(judged) == MET
    reopened = _repair("2026-11-02 09:00", *done, ("2026-11-03 09:00", "reopen"))
    complete = ticket_deadlines(reopened, GENERAL, business(), judged)[2]
    assert complete.met_at is None and complete.is_open()
    assert complete.state(judged) == OVERDUE  # due 11-05 09:00, three working days
    # the first response and arrival stay met
    assert [d.state(judged) for d in ticket_deadlines(reopened, GENERAL, business(),
                                                      judged)[:2]] == [MET, MET]
    again = _repair("2026-11-02 09:00", *done, ("2026-11-03 09:00", "reopen"),
                    ("2026-11-03 09:30", "dispatch"), ("2026-11-06 10:00", "done"))
    complete = ticket_deadlines(again, GENERAL, business(), judged)[2]
    assert complete.met_at == at("2026-11-06 10:00") and complete.state(judged) == MISSED
    assert deadlines.completed_at(again.counted_events, ("done",)) == at("2026-11-06 10:00")


def test_a_reopened_ticket_is_not_late_for_the_time_it_was_thought_done():
    """Done 11-02 10:00 (a day after filing), visited, reopened 11-16: the two weeks between
    are a pause, so the three working days of its completion limit run on from where they
    stood (one working day used, two left), and it is not overdue at once."""
    done = (("2026-11-02 09:10", "dispatch"), ("2026-11-02 10:00", "done"),
            ("2026-11-02 11:00", "visit"), ("2026-11-16 09:00", "reopen"))
    reopened = _repair("2026-11-02 09:00", *done)
    judged = at("2026-11-16 10:00")
    complete = ticket_deadlines(reopened, GENERAL, business(), judged)[2]
    assert complete.state(judged) == deadlines.PENDING
    assert complete.due == at("2026-11-18 17:00")  # 1 h used on 11-02, 8 h 11-16 and 11-17
    # a ticket cancelled (closed unmet) and reopened: paused from the close
    cancelled = _repair("2026-11-02 09:00", ("2026-11-02 09:30", "close"),
                        ("2026-11-16 09:00", "reopen"))
    later = at("2026-11-16 11:00")
    respond = ticket_deadlines(cancelled, GENERAL, business(), later)[0]
    assert respond.state(later) == OVERDUE and respond.due == at("2026-11-16 10:30")
    assert respond.late_text(later) == "30m"


def _reopened(cli) -> str:
    steps = [("complaint", "file", *ROOM, "--category", "noise", "--urgency", "urgent",
              "--content", "楼上装修噪音扰民", "--at", "2026-11-16 10:00")]
    filed = cli(*steps[0])
    assert filed.exit_code == 0, filed.output
    ticket = filed.stdout.strip().splitlines()[-1]
    for step in (("handle", ticket, "--action", "上门劝说", "--at", "2026-11-16 10:30"),
                 ("resolve", ticket, "--result", "已劝停装修", "--at", "2026-11-16 12:00"),
                 ("visit", ticket, "--satisfaction", "5", "--at", "2026-11-16 13:00"),
                 ("reopen", ticket, "--reason", "住户又来电，仍在施工",
                  "--at", "2026-11-16 14:00")):
        done = cli("complaint", *step, "--staff", "zhangwei")
        assert done.exit_code == 0, done.output
    return ticket


def test_a_reopened_complaint_goes_overdue_in_show_list_handover_and_reports(cli, clock,
                                                                             workspace):
    from dutyctl.desk.handover import is_overdue, open_items
    from dutyctl.tickets.deadlines import load_book

    clock.set("2026-11-17T13:00:00+08:00")
    ticket = _reopened(cli)
    # urgent: completed within 24 h of filing, so due 11-16 10:00 + 24 h + the 2 h it was
    # thought done (resolved 12:00, reopened 14:00): 11-17 12:00
    shown = json.loads(cli("show", ticket, "--as-of", "2026-11-17 13:00", "--format",
                           "json").stdout)
    rows = {row["deadline"]: row for row in shown["deadlines"]}
    assert rows["complete"]["state"] == "overdue", rows
    listed = cli("list", "--overdue", "--as-of", "2026-11-17 13:00")
    assert ticket[:12] in listed.stdout, listed.output
    moment = datetime(2026, 11, 17, 13, tzinfo=zone("Asia/Shanghai"))
    items = open_items(workspace.store, moment, load_book(workspace))
    assert [item.record for item in items] == [ticket]
    assert is_overdue(items[0], moment)
    for period in (["daily", "--date", "2026-11-17"], ["weekly", "--week", "2026-W47"],
                   ["monthly", "--month", "2026-11"]):
        report = cli("report", *period, "--format", "json")
        assert report.exit_code == 0, report.output
        complaints = json.loads(report.stdout)["complaints"]
        assert complaints["open"] == 1 and complaints["overdue"] == 1, (period, complaints)
        assert [item["id"] for item in complaints["overdue_items"]] == [ticket[:12]], complaints


def test_a_reopened_complaint_completed_again_is_late_and_awaits_its_new_visit(cli, clock):
    clock.set("2026-11-18T10:00:00+08:00")
    ticket = _reopened(cli)
    resolved = cli("complaint", "resolve", ticket, "--result", "已协调停工", "--at",
                   "2026-11-17 15:00", "--staff", "zhangwei")
    assert resolved.exit_code == 0, resolved.output
    shown = json.loads(cli("show", ticket, "--format", "json").stdout)
    rows = {row["deadline"]: row for row in shown["deadlines"]}
    assert rows["complete"]["state"] == "missed", rows
    report = json.loads(cli("report", "daily", "--date", "2026-11-17", "--format",
                            "json").stdout)
    complaints = report["complaints"]
    assert complaints["resolved"] == 1 and complaints["open"] == 0, complaints
    assert complaints["awaiting_visit"] == 1, complaints
    late = report["compliance"]["by_limit"]["complete"]
    assert (late["on_time"], late["late"]) == (0, 1), late


def test_a_limit_met_before_a_reopen_keeps_its_due_time_in_show(cli, clock):
    """Arrived 11-23 10:00 (within its limit), done, visited, reopened 11-27: the pause of the
    reopen (and a hold) after the arrival do not move the arrival's due time, which stays the
    one it was met against (11-24 09:00, one working day from filing), in `show` before and
    after the reopen alike."""
    clock.set("2026-11-30T09:00:00+08:00")
    filed = cli("repair", "file", *ROOM, "--content", "厨房水龙头漏水", "--urgency", "general",
                "--at", "2026-11-23 09:00")
    assert filed.exit_code == 0, filed.output
    repair = filed.stdout.strip().splitlines()[-1]
    for step in (("dispatch", repair, "--to", "刘洋", "--at", "2026-11-23 09:10"),
                 ("arrive", repair, "--at", "2026-11-23 10:00"),
                 ("hold", repair, "--reason", "等配件", "--at", "2026-11-23 11:00"),
                 ("resume", repair, "--at", "2026-11-24 11:00"),
                 ("done", repair, "--result", "已更换水龙头", "--at", "2026-11-24 15:00"),
                 ("visit", repair, "--satisfaction", "5", "--at", "2026-11-24 16:00"),
                 ("reopen", repair, "--reason", "住户说又漏了", "--at", "2026-11-27 10:00")):
        done = cli("repair", *step)
        assert done.exit_code == 0, done.output

    def arrive_line(as_of: str) -> str:
        shown = cli("--lang", "zh_CN", "show", repair, "--as-of", as_of)
        assert shown.exit_code == 0, shown.output
        (line,) = [line for line in shown.stdout.splitlines() if line.startswith("到场")]
        return line

    before = arrive_line("2026-11-23 12:00")
    after = arrive_line("2026-11-30 09:00")
    assert "2026-11-24 09:00" in before, before
    assert after == before, (before, after)
