"""Reports, "Needs attention": the groups in order of severity, each in its own order, the
--fail-on words emergency and dissatisfied, and the section first in every format."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from tests.conftest import Cli
from tests.test_reports import (DAY, MIDNIGHT, at, daily_json, known_day,  # noqa: F401
                                known_day_template, resident, run)

__all__ = ["known_day", "known_day_template"]  # fixtures pytest finds here by name


@pytest.fixture
def cli(known_day):  # noqa: F811
    return Cli(known_day.root)


@pytest.fixture
def troubled(cli):
    """The known day plus a burst pipe at 23:40 nobody was sent to, and the morning's burst
    pipe visited with a score of 2."""
    fresh = run(cli, "repair", "file", *resident("褚四", "1-2-302"), "--category",
                "water-electric", "--content", "卫生间爆管", "--urgency", "emergency",
                *at("23:40"))
    done = json.loads(cli("list", "--kind", "repair", "--status", "done", "--format",
                          "json").stdout)
    assert len(done) == 1
    run(cli, "repair", "visit", done[0]["id"], "--satisfaction", "2", "--note", "态度一般",
        *at("20:30"))
    return fresh


def groups(report: dict) -> dict[str, list]:
    return {entry["group"]: entry["items"] for entry in report["attention"]}


def test_groups_come_in_order_of_severity_each_in_its_own_order(cli, troubled, clock):
    clock.set(MIDNIGHT)  # the night shift under way: only its first 4 hours are judged
    report = daily_json(cli)
    assert [entry["group"] for entry in report["attention"]] == [
        "emergency", "emergency_repair", "overdue", "absent", "uncovered", "callout_open",
        "no_clock_out", "unaccepted",
        "readiness", "dissatisfied", "clashes"]
    found = groups(report)
    assert [item["type"] for item in found["emergency"]] == ["power-outage"]
    waiting = found["emergency_repair"]
    assert [(item["room"], item["assignee"], item["age_minutes"]) for item in waiting] == [
        ("1-2-302", None, 20.0)]
    # the fresh burst pipe missed its 15-minute respond limit: counted overdue, listed once
    assert report["alerts"]["overdue"] == 3
    overdue = found["overdue"]
    # the most urgent first: the callback (timed round the clock) before the ordinary repair
    # (working hours), though the repair is overdue longer
    assert [(item["kind"], item["room"]) for item in overdue] == [("call", "7-3-602"),
                                                                 ("repair", "2-2-202")]
    assert overdue[1]["overdue_minutes"] > overdue[0]["overdue_minutes"] == 7 * 60
    assert (overdue[0]["assignee"], overdue[1]["assignee"]) == ("lina", "gaofeng")
    assert [item["staff"] for item in found["absent"]] == ["sunli"]
    assert [(item["reason"], item["staff"], item["uncovered_minutes"])
            for item in found["uncovered"]] == [("unfilled", None, 240.0),
                                                ("late-and-early-leave", "wangqiang", 80.0)]
    assert [(item["from"], item["to"], item["waiting"]) for item in found["unaccepted"]] == [
        ("gaofeng", ["wangqiang"], ["wangqiang"])]
    assert [item["item"] for item in found["readiness"]] == ["printer"]
    assert [(item["room"], item["score"], item["assignee"], item["visited_by"], item["note"])
            for item in found["dissatisfied"]] == [("3-1-201", 2, "wangqiang", "lina",
                                                    "态度一般")]
    assert report["alerts"]["emergency"] == 2 and report["alerts"]["dissatisfied"] == 1


def test_every_group_the_report_gathers_has_its_table(cli, troubled):
    """A new group of "Needs attention" (build.attention) needs its table in the layout."""
    from dutyctl.reports.layout import ATTENTION_TABLES

    assert set(groups(daily_json(cli))) == set(ATTENTION_TABLES)


def test_fail_on_emergency_and_dissatisfied(cli, troubled):
    result = cli("report", "daily", "--date", DAY, "--fail-on", "emergency,dissatisfied")
    assert result.exit_code == 1
    assert "--fail-on: emergency=2, dissatisfied=1" in result.stderr
    assert "Needs attention" in result.stdout  # the report is still printed
    quiet = cli("report", "daily", "--date", "2025-11-16", "--fail-on", "emergency,dissatisfied")
    assert quiet.exit_code == 0, quiet.stderr


def test_needs_attention_is_the_first_section_most_severe_first(cli, troubled):
    text = cli("report", "daily", "--date", DAY).stdout
    titles = [line for line in text.splitlines()[2:] if line and not line.startswith(" ")]
    assert titles[0] == "Needs attention"
    order = [text.index(caption) for caption in (
        "1 emergency in progress", "1 emergency repair not yet on site",
        "2 overdue items, the most urgent first", "1 absence (rostered, never clocked in)",
        "2 rostered shifts not fully covered (from clock-ins)",
        "1 handover not accepted", "1 readiness problem open",
        "1 dissatisfied return visit (score 1-3)")]
    assert order == sorted(order) and order[-1] < text.index("\nVolumes")
    assert "not dispatched" in text and "3-1-201" in text
    markdown = cli("report", "daily", "--date", DAY, "--format", "markdown").stdout
    assert markdown.index("## Needs attention") < markdown.index("## Volumes")
    assert "*2 overdue items, the most urgent first*" in markdown


def test_needs_attention_in_chinese(cli, troubled):
    text = cli("--lang", "zh_CN", "report", "daily", "--date", DAY).stdout
    assert "需要关注" in text.splitlines()[3]
    assert "1 起突发事件正在处置" in text and "2 项已超时（最紧急的在前）" in text
    assert "not dispatched" not in text and "未派工" in text


def test_a_day_without_record_or_roster_says_both(cli):
    text = cli("report", "daily", "--date", "2025-11-16").stdout
    # nothing recorded, no roster: both said, not "Nothing needs attention." above them
    assert "Nothing was recorded on this day" in " ".join(text.split())
    assert "Nothing needs attention." not in text
    assert "There is no roster for this period" in text
    assert "Roster slots unfilled" not in text


def test_actual_coverage_beside_planned_and_running_shifts_marked(cli, clock):
    clock.set(MIDNIGHT)  # run as the day ends: chenjing's night shift under way
    text = cli("report", "daily", "--date", DAY).stdout
    coverage = text[text.index("\nRoster coverage"):]
    assert "Covered as planned" in coverage and "80.0%" in coverage
    assert "Covered in fact (clock-ins)  65.0%" in coverage
    assert "Hours uncovered              14.3" in coverage
    attendance = text[text.index("\nAttendance"):text.index("\nHandovers")]
    assert "Still on duty    1 (4.1 h so far)" in attendance
    # hours worked count the running shift up to midnight; each figure on a line of its own
    said = {line[:14].strip(): line[14:].split()[0] for line in attendance.splitlines()
            if line.startswith("Hours ")}
    assert (said["Hours worked"], said["Hours rostered"]) == ("29.0", "45.0"), attendance
    assert "4.1 on duty" in text  # chenjing's row of the workload table
    chinese = cli("--lang", "zh_CN", "report", "daily", "--date", DAY).stdout
    assert "4.1（当班中）" in chinese and "实际在岗覆盖率（按签到）" in chinese
    clock.set("2025-11-20T03:00:00+08:00")  # later in the night: still on duty, 3 h more
    data = daily_json(cli)
    assert (data["attendance"]["totals"]["on_duty"],
            data["attendance"]["totals"]["hours_on_duty"]) == (1, 7.08)  # 7 h 5 min
    assert data["attendance"]["as_of"] == "2025-11-20T03:00:00+08:00"
    assert data["report"]["as_of"] == MIDNIGHT  # every other figure stays at the day's end


def test_a_shift_over_and_never_clocked_out_counts_no_hours_and_is_said(cli, clock):
    """chenjing clocked in for the night of 11-19 and never out: the daily report at its
    midnight has her on duty (4.1 h so far); the week, which ends days after her shift did,
    used to count her "on duty" for 100 hours. She forgot to clock out: said, no hours (as
    `dutyctl attendance` counts it). The day's own report, run once her night is over, says
    it too: the night belongs to the day it starts (it said "on duty" forever)."""
    clock.set("2025-11-25T09:00:00+08:00")
    data = json.loads(cli("report", "weekly", "--week", "2025-W47", "--format", "json").stdout)
    attendance = data["attendance"]
    assert attendance["totals"]["not_clocked_out"] == 1
    assert attendance["totals"]["on_duty"] == 0 and attendance["totals"]["hours_on_duty"] == 0
    assert [(item["staff"], item["start"][:16]) for item in attendance["anomalies"]
            if item["anomaly"] == "no-clock-out"] == [("chenjing", "2025-11-19T20:00")]
    text = cli("--lang", "zh_CN", "report", "weekly", "--week", "2025-W47").stdout
    assert "下班未签退        1" in text and "当班中" not in text
    # and "Needs attention" names it, with the line that closes it: its hours are pay
    assert [item["staff"] for item in groups(data)["no_clock_out"]] == ["chenjing"]
    assert "1 个班次下班未签退：签退补记之前，它的工时一律不计" in text, text
    shown = 'dutyctl 签退 --操作人 陈静 --时间 "2025-11-20 08:00" --不交接 --原因 补记'
    # the shift's end, dated; --不交接: typed as shown it is taken (none written then)
    assert shown in text, text
    daily = json.loads(cli("report", "daily", "--date", DAY, "--format", "json").stdout)
    assert daily["attendance"]["totals"]["not_clocked_out"] == 1
    assert (daily["attendance"]["totals"]["on_duty"],
            daily["attendance"]["totals"]["hours_on_duty"]) == (0, 0)
    assert [item["staff"] for item in daily["attendance"]["anomalies"]
            if item["anomaly"] == "no-clock-out"] == ["chenjing"]
    clock.set(MIDNIGHT)
    daily = json.loads(cli("report", "daily", "--date", DAY, "--format", "json").stdout)
    assert daily["attendance"]["totals"]["not_clocked_out"] == 0  # her shift runs on
    assert daily["attendance"]["totals"]["on_duty"] == 1
    # the line the report offered, typed as shown (the handover said to be none): closed
    clock.set("2025-11-25T09:00:00+08:00")
    closed = cli("--lang", "zh_CN", *shlex.split(shown)[1:])
    assert closed.exit_code == 0, closed.stderr
    after = json.loads(cli("report", "weekly", "--week", "2025-W47", "--format", "json").stdout)
    assert groups(after)["no_clock_out"] == []


def test_a_shift_just_over_is_not_a_forgotten_clock_out():
    """A clerk still at the desk five minutes after the shift (handing over) has not forgotten
    to clock out: only a session open past the desk's window after the shift is."""
    from datetime import datetime, timedelta, timezone
    from types import SimpleNamespace

    from dutyctl.desk.attendance import slot_outcome
    from dutyctl.desk.sessions import DutySession

    end = datetime(2026, 10, 5, 20, 0, tzinfo=timezone(timedelta(hours=8)))
    slot = SimpleNamespace(staff="lina", start=end - timedelta(hours=12), end=end)
    duty = DutySession("x", "lina", slot.start)  # never clocked out
    window = timedelta(minutes=120)

    def forgotten(at):
        return slot_outcome(slot, [duty], timedelta(minutes=5), window, at).forgotten

    assert not forgotten(end + timedelta(minutes=5))
    assert forgotten(end + window)


def test_a_complaint_transferred_out_is_with_its_department_in_the_tables(cli):
    """As `list` and the due notices say it: a complaint transferred to a department is with
    that department (工程部), not with the clerk who filed it, in the open table, among the
    overdue items and in the dissatisfied return visits; the JSON names it `transferred_to`."""
    def transferred(room: str, clock: str) -> str:
        moved = run(cli, "complaint", "file", *resident("卫五", room), "--category", "noise",
                    "--content", "水泵房噪音", "--urgency", "urgent", *at(clock))
        run(cli, "complaint", "transfer", moved, "--to", "engineering", "--reason", "设备噪音",
            "--told-resident", "已告知由工程部处理", *at(clock.replace(":00", ":10")))
        return moved

    transferred("5-1-101", "08:00")
    visited = transferred("5-1-102", "09:00")
    run(cli, "complaint", "resolve", visited, "--result", "已更换减震垫", *at("10:00"))
    run(cli, "complaint", "visit", visited, "--satisfaction", "2", "--note", "还是有点吵",
        *at("11:00"), staff="zhangwei")
    report = daily_json(cli)
    waiting = {item["room"]: item for item in report["complaints"]["oldest_open"]}
    unhappy = {item["room"]: item for item in groups(report)["dissatisfied"]}
    assert waiting["5-1-101"]["transferred_to"] == unhappy["5-1-102"]["transferred_to"] == (
        "engineering")
    assert waiting["5-1-101"]["assignee"] == unhappy["5-1-102"]["assignee"] == "lina"
    assert all("transferred_to" not in item for room, item in unhappy.items()
               if room != "5-1-102")  # a repair: its technician, as before
    text = cli("--lang", "zh_CN", "report", "daily", "--date", DAY).stdout
    rows = [line for line in text.splitlines()
            if waiting["5-1-101"]["id"] in line or unhappy["5-1-102"]["id"] in line]
    assert len(rows) == 2 and all("工程部" in row and "李娜" not in row for row in rows), rows


def test_the_overdue_emergency_repair_listed_above_is_counted_with_the_overdue(cli, troubled):
    """The fresh burst pipe is overdue (listed once, with the emergency repairs): the report
    says so, so its overdue count agrees with `--fail-on overdue` (3, not the 2 of the table)."""
    text = cli("--lang", "zh_CN", "report", "daily", "--date", DAY).stdout
    assert "2 项已超时（最紧急的在前）" in text
    assert ("上面尚未到场的急修中有 1 项也已超时：已超时的共 3 项，即“超时事项”的计数。"
            in text)
    failed = cli("--lang", "zh_CN", "report", "daily", "--date", DAY, "--fail-on", "overdue")
    assert "超时事项=3" in failed.stderr
    english = cli("report", "daily", "--date", DAY).stdout
    assert "1 emergency repair not yet on site (above) is overdue too: 3 overdue in all" in " ".join(
        english.split())


def test_a_week_running_into_days_without_a_roster_says_so(workspace):
    """Week 44 of 2026 ends on Sunday 1 November; only October has a roster. The report must
    not judge that Sunday's absences and coverage as if it were rostered, nor keep quiet."""
    from tests.helpers_desk import october_site

    october_site(workspace.root)
    zh = Cli(workspace.root)("--lang", "zh_CN", "周报", "--周", "2026-W44")
    assert zh.exit_code == 0, zh.stderr
    # nothing recorded that Sunday either: no advice to generate a roster for it
    assert "11月1日 周日 没有任何记录，也没有排班表：这几天的缺勤和在岗覆盖未作判断" in zh.stdout
    assert "生成排班表" not in zh.stdout
    data = json.loads(Cli(workspace.root)("report", "weekly", "--week", "2026-W44", "-f",
                                          "json").stdout)
    assert data["coverage"]["days_without_roster"] == ["2026-11-01"]
    whole = json.loads(Cli(workspace.root)("report", "weekly", "--week", "2026-W41", "-f",
                                           "json").stdout)
    assert whole["coverage"]["days_without_roster"] == []
    runs = json.loads(Cli(workspace.root)("report", "monthly", "--month", "2026-11", "-f",
                                          "json").stdout)
    assert runs["coverage"]["days_without_roster"] == []  # none at all: said apart


def test_an_emergency_repair_not_reached_is_due_on_site_by_its_arrival_limit(cli, workspace):
    """An emergency repair (急修: respond 15m, arrive 30m) nobody answered yet was listed as to
    be on site by its response's due time, 23:15 where the arrival is due 23:30."""
    filed = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                "13812345678", "--content", "水管爆裂", "--urgency", "emergency",
                "--at", "2026-10-12 23:00")
    assert filed.exit_code == 0, filed.stderr
    report = json.loads(cli("report", "daily", "--date", "2026-10-12", "-f", "json").stdout)
    waiting, = report["repairs"]["awaiting_arrival"]
    assert waiting["arrive_due"] == "2026-10-12T23:30:00+08:00", waiting
    assert waiting["next_deadline"] == "respond"  # the next one due, as the overdue list says
    text = cli("report", "daily", "--date", "2026-10-12").stdout
    row = next(line for line in text.splitlines() if line.startswith(waiting["id"]))
    assert row.rstrip().endswith("10-12 23:30"), row


def test_an_emergency_repair_reached_after_the_day_says_when_in_that_days_report(cli, workspace,
                                                                                   clock):
    """A burst pipe filed at 23:58 and reached at 00:35: the day's report, made the next
    morning, still lists it as not reached by the day's end (as it stood), and says when it
    was reached since; a report made before anyone got there has no such column."""
    clock.set("2026-10-13T00:10:00+08:00")
    filed = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                "13812345678", "--content", "水管爆裂", "--urgency", "emergency",
                "--at", "2026-10-12 23:58")
    assert filed.exit_code == 0, filed.stderr
    repair = filed.stdout.split()[-1]
    assert cli("repair", "dispatch", repair, "--to", "liuyang", "--at",
               "2026-10-13 00:03").exit_code == 0
    header = re.compile(r"^id +room +filed +waiting +with +arrive by +arrived$", re.M)
    before = cli("report", "daily", "--date", "2026-10-12")
    assert re.search(r"^id +room +filed +waiting +with +arrive by$", before.stdout, re.M), \
        before.stdout
    clock.set("2026-10-13T09:00:00+08:00")
    assert cli("repair", "arrive", repair, "--at", "2026-10-13 00:35").exit_code == 0
    report = json.loads(cli("report", "daily", "--date", "2026-10-12", "-f", "json").stdout)
    waiting, = report["repairs"]["awaiting_arrival"]
    assert waiting["arrived_later"] == "2026-10-13T00:35:00+08:00", waiting
    text = cli("report", "daily", "--date", "2026-10-12").stdout
    assert header.search(text), text
    row = next(line for line in text.splitlines() if line.startswith(waiting["id"]))
    assert row.rstrip().endswith("10-13 00:35"), row
    today = json.loads(cli("report", "daily", "--date", "2026-10-13", "-f", "json").stdout)
    assert today["repairs"]["awaiting_arrival"] == []


def test_a_week_nothing_was_recorded_in_says_so_though_open_tickets_are_read(workspace, clock):
    """A complaint left open from the week before is read into week 45's report (its open
    items), so "records read" was 1 and the line a desk not synced needs, "nothing was
    recorded this week", never came: the quiet week read as a good one (complaints ▼)."""
    clock.set("2026-12-01T10:00:00+08:00")
    cli = Cli(workspace.root)
    filed = cli("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                "13812345678", "--category", "noise", "--content", "楼上装修噪音",
                "--at", "2026-10-28 10:00")
    assert filed.exit_code == 0, filed.stderr
    quiet = json.loads(cli("report", "weekly", "--week", "2026-W45", "-f", "json").stdout)
    assert quiet["report"]["records_read"] == 1 and quiet["report"]["recorded"] == 0
    zh = cli("--lang", "zh_CN", "周报", "--周", "2026-W45")
    assert "本周没有任何记录：若值班台已在使用，请检查本工作区是否已同步" in zh.stdout, zh.stdout
    busy = json.loads(cli("report", "weekly", "--week", "2026-W44", "-f", "json").stdout)
    assert busy["report"]["recorded"] == 1
    assert "Nothing was recorded this week" not in cli("report", "weekly", "--week",
                                                       "2026-W44").stdout


def test_a_ticket_resolved_on_a_periods_last_day_counts_visited_once_visited_after_it(
        cli, workspace, clock):
    """A complaint resolved on Sunday evening, visited on Monday: the week's visit rate counted
    visits up to Sunday's end, so the week's last days always missed a 100% target, however
    the desk worked. It counts the visit made by the time the report is made."""
    clock.set("2026-10-18T20:00:00+08:00")  # Sunday evening, the end of week 42
    from tests.helpers_desk import resolved_complaint

    complaint = resolved_complaint(cli, "2026-10-18 09:00", "2026-10-18 18:00")

    def visit_rate() -> float:
        report = json.loads(cli("report", "weekly", "--week", "2026-W42", "-f", "json").stdout)
        return report["satisfaction"]["all"]["visit_rate"]

    clock.set("2026-10-19T08:00:00+08:00")
    assert visit_rate() == 0.0  # not visited yet
    clock.set("2026-10-19T11:00:00+08:00")
    assert cli("complaint", "visit", complaint, "--satisfaction", "5",
               "--at", "2026-10-19 10:00").exit_code == 0
    assert visit_rate() == 1.0


def test_a_week_still_running_is_compared_with_the_week_before_up_to_the_same_point(
        cli, workspace, clock):
    """Seen on Wednesday noon, this week's complaints were set against the whole of the week
    before (four days against seven, "▼ fewer, better" every week): against the week before up
    to its Wednesday noon; once the week is over, against the whole of it."""
    clock.set("2026-10-21T12:00:00+08:00")  # Wednesday of week 43
    for day in ("2026-10-13 09:00", "2026-10-16 09:00", "2026-10-20 09:00"):  # Tue, Fri, Tue
        assert cli("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                   "13812345678", "--category", "noise", "--content", "楼上装修噪音",
                   "--at", day).exit_code == 0

    def complaints(week: str) -> tuple:
        report = json.loads(cli("report", "weekly", "--week", week, "-f", "json").stdout)
        row = next(row for row in report["comparison"] if row["figure"] == "complaints_filed")
        return row["this"], row["previous"], report["previous"]["as_of"]

    assert complaints("2026-W43") == (1, 1, "2026-10-14T12:00:00+08:00")
    lines = cli("report", "weekly", "--week", "2026-W43").stdout.splitlines()
    top = next(n for n, line in enumerate(lines) if line.startswith("figure "))
    rule = next(n for n in range(top, len(lines)) if lines[n].startswith("---"))
    header = " ".join(" ".join(lines[top:rule]).split())  # its words, wrapped or not
    assert header == "figure this period previous change", header  # one line, not three
    assert "Previous: 2026-W42, up to 10-14 12:00" in lines[rule:], lines[rule:]
    clock.set("2026-10-26T09:00:00+08:00")  # week 43 over
    assert complaints("2026-W43") == (1, 2, None)


def test_an_unrostered_duty_says_how_long_it_lasted_as_a_length(cli, workspace, clock):
    """The anomalies' minutes column held 740.5 for a duty nobody rostered (its length in
    minutes, where other rows hold minutes late or early): each a length, `12h20m`."""
    clock.set("2026-12-03T21:00:00+08:00")
    assert cli("clock", "in", "--staff", "sunli", "--at", "2026-12-03 07:41").exit_code == 0
    out = cli("clock", "out", "--staff", "sunli", "--at", "2026-12-03 20:01",
              "--no-handover", "--reason", "无人接班")
    assert out.exit_code == 0, out.stderr
    text = cli("report", "daily", "--date", "2026-12-03").stdout
    (row,) = [line for line in text.splitlines() if line.startswith("孙丽") and "12-03 07:41"
              in line]
    assert row.rstrip().endswith("12h20m"), row


def test_the_pages_alert_mark_is_no_arrow(cli, workspace, clock):
    """An alert was marked ▲, the arrow the same page uses for "went up": a falling rate read
    "▲ 78.7% ✗ … ▼ -21.3". A dot marks it."""
    page = cli("report", "daily", "--date", "2026-10-12", "-f", "html").stdout
    rule = re.search(r"\.alert::before \{ content: \"([^\"]*)\"", page)[1]
    assert rule.startswith("\\25CF") and "25B2" not in rule and "25BC" not in rule


def test_a_bad_visit_names_who_did_the_work_not_who_the_reopened_repair_went_to(cli, troubled):
    """The visit rated wangqiang's work; the repair, re-opened after it, went to gaofeng: the
    report blamed gaofeng, sent only after the visit. The late step likewise stays with the
    one who had it then."""
    (visited,) = [item for item in json.loads(cli("list", "--kind", "repair", "-f",
                                                  "json").stdout) if item["room"] == "3-1-201"]
    run(cli, "repair", "reopen", visited["id"], "--reason", "又漏了", *at("20:40"))
    run(cli, "repair", "dispatch", visited["id"], "--to", "gaofeng", *at("20:45"))
    found = groups(daily_json(cli))
    assert [(item["room"], item["assignee"]) for item in found["dissatisfied"]] == [
        ("3-1-201", "wangqiang")]
    late = daily_json(cli)["compliance"]["met_late"]
    assert [(item["room"], item["limit"], item["assignee"]) for item in late] == [
        ("3-1-201", "arrive", "wangqiang")]


def test_a_finished_repair_whose_fault_came_back_goes_back_for_rework(cli, workspace, clock):
    """The lift's button went dark again the morning after 完工, before any return visit:
    `重开` said the place was no closed repair's and the id "only when closed or cancelled";
    the desk recorded a made-up visit to get through, which then counted as dissatisfied."""
    clock.set("2026-11-24T12:00:00+08:00")
    zh = ("--lang", "zh_CN")
    repair = run(cli, *zh, "报修", "登记", "--房号", "3号楼电梯", "--类别", "电梯", "--内容",
                 "3楼按键不亮", "--时间", "2026-11-23 10:20")
    run(cli, *zh, "报修", "派工", "3号楼电梯", "--派给", "王强", "--时间", "2026-11-23 10:30")
    run(cli, *zh, "报修", "完工", "3号楼电梯", "--结果", "更换按键", "--时间", "2026-11-23 11:00")
    back = cli(*zh, "报修", "重开", "3号楼电梯", "--原因", "又不亮了", "--时间", "2026-11-24 09:00")
    assert back.exit_code == 0, back.stderr
    assert back.stdout.strip().endswith("当前状态：待派工")
    run(cli, *zh, "报修", "派工", "3号楼电梯", "--派给", "刘洋", "--时间", "2026-11-24 09:05")
    shown = json.loads(cli("show", repair, "-f", "json").stdout)
    assert [step["action"] for step in shown["history"]] == [
        "dispatch", "done", "reopen", "dispatch"]
    assert shown["status"] == "dispatched"
    assert not json.loads(cli("report", "daily", "--date", "2026-11-24", "-f",
                              "json").stdout)["dissatisfied"]
    # an open complaint is "reopened" to nothing: refused, no step suggested toward it
    complaint = run(cli, *zh, "投诉", "登记", "--姓名", "王五", "--房号", "3-2-501", "--电话",
                    "13800002222", "--类别", "noise", "--内容", "噪音", "--时间",
                    "2026-11-24 10:00")
    refused = cli(*zh, "投诉", "重开", complaint, "--原因", "x", "--时间", "2026-11-24 10:10")
    assert refused.exit_code == 2 and "请先" not in refused.stderr, refused.stderr


def test_an_absence_whose_person_recorded_steps_says_they_may_have_forgotten_to_clock_in(
        cli, troubled, clock):
    """A technician who logged arrivals and completions all shift, never clocked in, stood
    as 缺勤 beside 已办结 1 with no hint; eight such "absences" a week, mostly people working."""
    clock.set(MIDNIGHT)
    (absent,) = groups(daily_json(cli))["absent"]
    assert absent["steps"] == 0
    start = absent["start"][11:16]
    hour, minute = int(start[:2]), int(start[3:])
    for offset in (10, 40):
        total = hour * 60 + minute + offset
        run(cli, "log", "patrol", f"巡查{offset}", *at(f"{total // 60:02d}:{total % 60:02d}"),
            staff=absent["staff"])
    (absent,) = groups(daily_json(cli))["absent"]
    assert absent["steps"] == 2, absent
    text = cli("--lang", "zh_CN", "report", "daily", "--date", DAY).stdout
    assert "未签到，但本班记录了 2 个处理步骤：可能忘了签到" in text, text
