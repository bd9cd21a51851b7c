"""On-call duties (备班): rules, solver, rest rule, `who`, exports, night dispatch, call-outs."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from datetime import date, datetime, timedelta

import pytest

from dutyctl.roster import stats
from dutyctl.roster.onduty import cached_rules
from dutyctl.roster.generate import generate
from dutyctl.roster.timeline import Timeline, Work
from dutyctl.roster.rules import Limits
from tests.conftest import run_dutyctl
from tests.helpers_desk import ok_text as ok, write_roster
from tests.helpers_roster import edit_rules, problems_of, rules_text, solve_text

RESIDENT = ("--name", "张三", "--room", "3-2-501", "--phone", "13812345678")

#: a hand-written October: 王强 on call the night of 10-09, at work the day after
OCTOBER = [("2026-10-09", "day", "zhangwei"), ("2026-10-09", "day", "liuyang", "technician"),
           ("2026-10-09", "night", "lina"),
           ("2026-10-09", "night-oncall", "wangqiang", "technician"),
           ("2026-10-10", "day", "wangqiang", "technician")]
#: and on call the night of 10-30 too
ON_CALL_ON_THE_30TH = ("2026-10-30", "night-oncall", "wangqiang", "technician")

DAY_AND_ON_CALL = """\
- {id: day, start: "08:00", end: "20:00", need: {technician: 1}}
- {id: oncall, start: "20:00", end: "08:00", on_call: true, need: {technician: 1}}
"""
THREE_TECHNICIANS = """\
- {id: a, roles: [technician]}
- {id: b, roles: [technician]}
- {id: c, roles: [technician]}
"""


def october(workspace, *more) -> None:
    """rosters/2026-10.yaml: OCTOBER's rows and `more`."""
    write_roster(workspace.root, "2026-10-01", "2026-10-31", [*OCTOBER, *more],
                 rules_sha256="hand-written")


# -- core -------------------------------------------------------------------------------------

def test_on_call_is_read_from_the_rules_and_a_bad_value_is_reported_at_its_line():
    assert problems_of(rules_text(DAY_AND_ON_CALL, THREE_TECHNICIANS)) == []
    bad = DAY_AND_ON_CALL.replace("on_call: true", "on_call: sometimes")
    assert problems_of(rules_text(bad, THREE_TECHNICIANS)) == [
        "rules.yaml:4: shifts[1].on_call: expected true or false (是 or 否)"]


def test_an_on_call_duty_needs_no_rest_but_may_not_overlap():
    hour = 3600
    limits = Limits(min_rest_hours=12, max_hours_per_week=16)  # day + early, not on call
    timeline = Timeline(limits)
    timeline.add(Work(8 * hour, 20 * hour, 1, False, 12.0, "day"))
    evening = Work(20 * hour, 26 * hour, 1, True, 6.0, "on call", on_call=True)
    assert timeline.conflict(evening) is None  # right after a day shift; hours not counted
    timeline.add(evening)
    assert timeline.violations() == []
    overlapping = Work(25 * hour, 34 * hour, 2, True, 9.0, "overlap", on_call=True)
    assert timeline.conflict(overlapping).rule == "overlap"
    # the rest rule still holds between shifts worked on site, across the on-call duty
    early = Work(26 * hour, 30 * hour, 2, False, 4.0, "early")
    assert timeline.conflict(early).rule == "min_rest_hours"
    timeline.add(early)
    assert [(work.key, found.rule) for work, found in timeline.violations()] == [
        ("early", "min_rest_hours")]


def test_on_call_nights_are_shared_out_as_their_own_burden():
    rules, placed, reasons = solve_text(rules_text(DAY_AND_ON_CALL, THREE_TECHNICIANS),
                                        date(2026, 12, 1), date(2026, 12, 30))
    assert reasons == {}
    counts = stats.loads(rules, [stats.Worked(staff, p.day, p.shift.id, p.hours)
                                 for p, staff in placed])
    assert [counts[s]["on_call"] for s in "abc"] == [10, 10, 10]
    assert [counts[s]["shifts"] for s in "abc"] == [10, 10, 10]
    # on-call hours are not hours worked; nights at home are not night shifts
    assert all(counts[s]["hours"] == 120 and counts[s]["nights"] == 0 for s in "abc")


def test_the_template_rosters_a_night_technician_on_call_beside_the_desk(workspace):
    result = generate(workspace, date(2026, 12, 1), date(2026, 12, 31))
    assert result.roster.unfilled == ()
    on_call = [a for a in result.roster.assignments if a.shift == "night-oncall"]
    assert len(on_call) == 31
    rules = cached_rules(workspace)
    assert all("technician" in rules.member(a.staff).roles for a in on_call)
    spread = result.roster.stats["spread"]
    assert spread["on_call"] is not None and spread["on_call"] <= 1


# -- the command line -------------------------------------------------------------------------

def test_who_lists_the_person_on_call_apart_from_those_on_duty(cli, workspace):
    october(workspace)
    document = json.loads(ok(cli("who", "--at", "2026-10-09 23:00", "-f", "json")))
    assert [row["staff"] for row in document["on_duty"]] == ["lina"]
    assert [(row["staff"], row["shift"]) for row in document["on_call"]] == [
        ("wangqiang", "night-oncall")]
    table = ok(cli("who", "--at", "2026-10-09 23:00"))
    assert "on call (at home): 王强 (维修工, 夜间备班) until 10-10 08:00" in table
    chinese = ok(cli("who", "--at", "2026-10-09 23:00", env={"DUTYCTL_LANG": "zh_CN"}))
    assert "备班（在家待命）：王强（维修工，夜间备班），至 10-10 08:00" in chinese


def test_who_says_the_person_on_call_is_called_out_while_the_call_out_runs(cli, workspace):
    """Called in from home, the technician is no longer 在家待命: `who` says since when they
    are out, until the call-out ends; json/yaml carry `called_out_since` (null at home)."""
    october(workspace)
    ok(cli("callout", "start", "--at", "2026-10-09 22:10"))
    during = json.loads(ok(cli("who", "--at", "2026-10-09 23:00", "-f", "json")))
    assert [(row["staff"], row["called_out_since"]) for row in during["on_call"]] == [
        ("wangqiang", "2026-10-09T22:10:00+08:00")]
    chinese = ok(cli("--lang", "zh_CN", "who", "--at", "2026-10-09 23:00"))
    assert "在家待命" not in chinese
    assert "备班（已叫出，10-09 22:10 起出勤中）：王强（维修工，夜间备班），至 10-10 08:00" in chinese
    assert "on call (at home)" in ok(cli("who", "--at", "2026-10-09 22:00"))  # before it
    ok(cli("callout", "end", "王强", "--at", "2026-10-10 00:30"))
    after = json.loads(ok(cli("who", "--at", "2026-10-10 01:00", "-f", "json")))
    assert [row["called_out_since"] for row in after["on_call"]] == [None]
    assert "备班（在家待命）：王强" in ok(cli("--lang", "zh_CN", "who", "--at", "2026-10-10 01:00"))


def test_callout_end_without_a_name_ends_the_one_call_out_under_way(cli, workspace):
    """3 a.m., the technician back: `备班 返回` ends the one call-out under way (it asked for
    a name); a wrong name says who is out; two out at once: name who is back."""
    zh = {"DUTYCTL_LANG": "zh_CN"}
    october(workspace)
    nobody = cli("callout", "end", "--at", "2026-10-09 22:00", env=zh)
    assert nobody.exit_code == 2
    assert nobody.stderr.strip() == "没有进行中的备班出勤：未写入任何内容"
    ok(cli("callout", "start", "--at", "2026-10-09 22:10"))
    wrong = cli("callout", "end", "刘洋", "--at", "2026-10-09 22:40", env=zh)
    assert wrong.exit_code == 2 and wrong.stderr.strip() == (
        "刘洋 没有进行中的备班出勤；进行中的是：王强（2026-10-09 22:10 起）：未写入任何内容")
    ended = cli("callout", "end", "--at", "2026-10-09 22:50", env=zh)
    assert ended.exit_code == 0, ended.stderr
    assert ended.stdout.strip() == "王强 的备班出勤已结束：共 0小时40分"
    ok(cli("callout", "start", "王强", "--at", "2026-10-09 23:00"))
    ok(cli("callout", "start", "刘洋", "--at", "2026-10-09 23:05"))
    both = cli("callout", "end", "--at", "2026-10-09 23:30", env=zh)
    assert both.exit_code == 2 and both.stderr.strip() == (
        "有 2 起备班出勤在进行中：王强（2026-10-09 23:00 起）、刘洋（2026-10-09 23:05 起）；"
        "请写明是谁返回")  # no bracket inside a bracket
    ok(cli("callout", "end", "刘洋", "--at", "2026-10-09 23:40"))


def test_a_repair_sent_to_someone_who_is_no_technician_is_sent_and_said(cli, workspace):
    """3 a.m.: the clerk types the reporter's name, which a clerk on the staff shares, for the
    technician: sent all the same (a site may send a guard), said on stderr; a technician
    named is said nothing of."""
    october(workspace)
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "门锁坏了", "--at",
                    "2026-10-09 23:00"))
    sent = cli("repair", "dispatch", repair, "--to", "李娜", "--at", "2026-10-09 23:05",
               env={"DUTYCTL_LANG": "zh_CN"})
    assert sent.exit_code == 0, sent.stderr
    assert "李娜 不是维修工（客服专员）：已照常派工，请确认派的是这个人" in sent.stderr
    again = cli("repair", "dispatch", repair, "--to", "刘洋", "--at", "2026-10-09 23:10")
    assert again.exit_code == 0 and "not a" not in again.stderr, again.stderr


def test_the_morning_handover_carries_the_call_out_still_under_way(cli, workspace):
    """The technician on call went out at 02:00 and is not back at the morning handover: the
    day shift reads who is out, since when (they would call them at home, and must end the
    call-out); once ended, the next handover does not carry it."""
    october(workspace)
    ok(cli("callout", "start", "--note", "地下泵房报警", "--at", "2026-10-10 02:00"))
    written = cli("handover", "--staff", "李娜", "--to", "张伟", "--at", "2026-10-10 07:40",
                  env={"DUTYCTL_LANG": "zh_CN"})
    assert written.exit_code == 0, written.stderr
    assert "未结事项 1 项" in written.stderr
    line = next(line for line in written.stderr.splitlines() if "备班出勤" in line)
    assert "王强 地下泵房报警" in line and "出勤中，2026-10-10 02:00" in line, line
    (item,) = json.loads(ok(cli("handover", "show", written.stdout.strip(), "-f",
                                "json")))["items"]
    assert (item["kind"], item["status"]) == ("callout", "called-out")
    ok(cli("callout", "end", "--at", "2026-10-10 07:45"))
    later = cli("handover", "--staff", "李娜", "--to", "张伟", "--at", "2026-10-10 07:50",
                env={"DUTYCTL_LANG": "zh_CN"})
    assert later.exit_code == 0 and "备班出勤" not in later.stderr, later.stderr
    assert "未结事项 0 项" in later.stderr


def test_an_unfinished_call_out_does_not_carry_into_the_next_night(cli, workspace):
    """A call-out started in one night and never ended is that night's: the next night's
    person on call is at home (在家待命), not 已叫出 since the night before."""
    october(workspace)
    ok(cli("callout", "start", "王强", "--at", "2026-10-09 02:00"))
    night = json.loads(ok(cli("who", "--at", "2026-10-09 23:00", "-f", "json")))
    assert [(row["staff"], row["called_out_since"]) for row in night["on_call"]] == [
        ("wangqiang", None)]
    assert "备班（在家待命）：王强" in ok(cli("--lang", "zh_CN", "who", "--at", "2026-10-09 23:00"))


def test_who_puts_a_shared_names_id_and_the_shift_in_one_pair_of_brackets(cli, workspace):
    """Two 张伟 and two 王强: `who` told them apart as 张伟（zhangwei）（白班）; the id goes
    inside the brackets that already hold the shift (and the role, on call)."""
    october(workspace)
    rules = workspace.rosters_dir / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "name: 刘洋" in text and "name: 李娜" in text
    rules.write_text(text.replace("name: 刘洋", "name: 张伟").replace("name: 李娜", "name: 王强"),
                     encoding="utf-8")
    day = ok(cli("who", "--at", "2026-10-09 12:00"))
    assert "next handover 2026-10-09 20:00: 张伟 (zhangwei, 白班), 张伟 (liuyang, 白班) -> " \
           "王强 (lina, 夜班)" in day, day
    chinese = ok(cli("who", "--at", "2026-10-09 12:00", env={"DUTYCTL_LANG": "zh_CN"}))
    assert "下次交接班 2026-10-09 20:00：张伟（zhangwei，白班）、张伟（liuyang，白班） → " \
           "王强（lina，夜班）" in chinese, chinese
    night = ok(cli("who", "--at", "2026-10-09 23:00"))
    assert "on call (at home): 王强 (wangqiang, 维修工, 夜间备班) until 10-10 08:00" in night
    chinese = ok(cli("who", "--at", "2026-10-09 23:00", env={"DUTYCTL_LANG": "zh_CN"}))
    assert "备班（在家待命）：王强（wangqiang，维修工，夜间备班），至 10-10 08:00" in chinese
    for shown in (day, night, chinese):
        assert not re.search(r"[)）] ?[(（]", shown), shown


def test_roster_show_stats_and_exports_mark_the_on_call_duty(cli, workspace):
    october(workspace)
    grid = ok(cli("roster", "show", "--from", "2026-10-09", "--to", "2026-10-10"))
    head = [line.split() for line in grid.splitlines()[:3]]  # name, hours, mark: a line each
    assert head[0][3] == "夜间备班" and head[1][2] == "20:00-08:00" and head[2] == ["(on", "call)"]
    mine = ok(cli("roster", "show", "--from", "2026-10-09", "--to", "2026-10-10",
                  "--staff", "wangqiang"))
    assert "on call" in mine.splitlines()[2]
    assert "维修工" in mine and "technician" not in mine  # the role's label, not its id
    exported = ok(cli("roster", "export", "--format", "csv", "--month", "2026-10"))
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    assert {(row["shift"], row["on_call"]) for row in rows if row["staff"]} == {
        ("day", "no"), ("night", "no"), ("night-oncall", "yes")}  # (the office: open)
    calendar = ok(cli("roster", "export", "--month", "2026-10", "--staff", "wangqiang"))
    assert "SUMMARY:夜间备班 维修工 on call: 王强" in calendar
    counted = json.loads(ok(cli("roster", "stats", "--month", "2026-10", "-f", "json")))
    wang = next(row for row in counted["staff"] if row["staff"] == "wangqiang")
    assert (wang["shifts"], wang["hours"], wang["on_call"]) == (1, 12, 1)


def test_night_dispatch_goes_to_the_technician_on_call_and_records_the_call_out(cli, workspace):
    october(workspace)
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "水管爆裂", "--at",
                    "2026-10-09 23:40"))
    dispatched = cli("repair", "dispatch", repair, "--at", "2026-10-09 23:48")
    assert "dispatched to 王强" in ok(dispatched)
    assert "call-out of 王强 started at 2026-10-09 23:48" in dispatched.stderr
    # a second call-out while this one runs is refused, nothing written
    again = cli("callout", "start", "wangqiang", "--at", "2026-10-09 23:50")
    assert again.exit_code == 2 and "already called out since 2026-10-09 23:48" in again.stderr
    ended = cli("callout", "end", "王强", "--at", "2026-10-10 01:20")
    assert "call-out of 王强 ended: 1h 32m" in ok(ended)
    # the on-call night needs no rest; a call-out that cut it short is flagged
    assert "rostered for 白班 at 2026-10-10 08:00, only 6.7h after the call-out" in ended.stderr
    assert cli("callout", "end", "wangqiang", "--at", "2026-10-10 02:00").exit_code == 2
    summary = json.loads(ok(cli("attendance", "--month", "2026-10", "--staff", "wangqiang",
                                "-f", "json")))
    assert summary == [{**summary[0], "rostered": 1, "absent": 1, "call_outs": 1,
                        "hours_call_out": 1.53}]  # the on-call night itself is not a shift
    detail = json.loads(ok(cli("attendance", "--month", "2026-10", "--detail", "-f", "json")))
    call = [row for row in detail if row["result"] == "call-out"]
    assert [(row["staff"], row["clock_in"][:16]) for row in call] == [
        ("wangqiang", "2026-10-09T23:48")]
    linked = json.loads(ok(cli("list", "--kind", "callout", "--status", "ended", "-f", "json")))
    assert len(linked) == 1
    # reports: the day it started counts it whole once it is over (a shift belongs to the
    # period it starts in, README "Periods"), as the month does
    # with the figure `attendance` gives (data: hours to two places, output.hours_figure)
    daily = json.loads(ok(cli("report", "daily", "--date", "2026-10-09", "-f", "json")))
    totals = daily["attendance"]["totals"]
    assert (totals["call_outs"], totals["hours_call_out"]) == (1, 1.53)
    monthly = json.loads(ok(cli("report", "monthly", "--month", "2026-10", "-f", "json")))
    totals = monthly["attendance"]["totals"]
    assert (totals["call_outs"], totals["hours_call_out"]) == (1, 1.53)
    (person,) = [row for row in monthly["attendance"]["people"] if row["staff"] == "wangqiang"]
    assert person["hours_call_out"] == summary[0]["hours_call_out"]
    text = ok(cli("--lang", "zh_CN", "report", "monthly", "--month", "2026-10"))
    assert "备班出勤" in text and "1 次，1.5 小时" in text  # the call-out in words, and per person
    assert "Call-outs from on call" in ok(cli("report", "daily", "--date", "2026-10-09"))
    # who was on call that night: in the document and on the page
    assert [(item["staff"], item["shift"]) for item in daily["coverage"]["on_call"]] == [
        ("wangqiang", "night-oncall")]
    page = ok(cli("--lang", "zh_CN", "report", "daily", "--date", "2026-10-09"))
    assert "备班（在家待命）" in page and "王强" in page.split("备班（在家待命）")[1]


def test_a_repair_has_arrived_since_its_last_dispatch_whatever_its_status(cli, workspace):
    """kinds.repair.arrived_since_dispatch: not the status (a hold and resume make it
    `dispatched` again), not an arrival before a re-dispatch (another technician's)."""
    from dutyctl.kinds.repair import DISPATCHED, arrived_since_dispatch

    october(workspace)
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "水管爆裂", "--at",
                    "2026-10-09 23:40"))
    ok(cli("repair", "dispatch", repair, "--at", "2026-10-09 23:48"))
    assert not arrived_since_dispatch(workspace.store.get(repair))
    ok(cli("repair", "arrive", repair, "--at", "2026-10-10 00:05"))
    ok(cli("repair", "hold", repair, "--reason", "等配件", "--at", "2026-10-10 00:30"))
    ok(cli("repair", "resume", repair, "--at", "2026-10-10 02:00"))
    resumed = workspace.store.get(repair)
    assert resumed.status == DISPATCHED and arrived_since_dispatch(resumed)
    ok(cli("repair", "dispatch", repair, "--to", "刘洋", "--at", "2026-10-10 03:05"))
    assert not arrived_since_dispatch(workspace.store.get(repair))


def test_the_end_of_a_call_out_says_what_its_repair_still_needs(cli, workspace):
    october(workspace)
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "水管爆裂", "--at",
                    "2026-10-09 23:40"))
    ok(cli("repair", "dispatch", repair, "--at", "2026-10-09 23:48"))
    ended = cli("callout", "end", "王强", "--at", "2026-10-10 01:20", env={"DUTYCTL_LANG": "zh_CN"})
    short = repair[:12]
    assert f"报修 {short} 还没有记录到场" in ended.stderr, ended.stderr
    ok(cli("repair", "arrive", repair, "--at", "2026-10-10 00:05"))
    ok(cli("callout", "start", "王强", "--repair", repair, "--at", "2026-10-10 02:00"))
    ended = cli("callout", "end", "王强", "--at", "2026-10-10 03:00")
    assert f"repair {short} is not done yet" in ended.stderr, ended.stderr
    # dispatched again (another technician) after the first one arrived: no arrival yet
    ok(cli("repair", "dispatch", repair, "--to", "刘洋", "--at", "2026-10-10 03:05"))
    ok(cli("callout", "start", "王强", "--repair", repair, "--at", "2026-10-10 03:06"))
    ended = cli("callout", "end", "王强", "--at", "2026-10-10 03:08")
    assert f"repair {short} has no arrival yet" in ended.stderr, ended.stderr
    ok(cli("repair", "arrive", repair, "--at", "2026-10-10 03:09"))
    ok(cli("repair", "done", repair, "--result", "换了三通", "--at", "2026-10-10 03:10"))
    ok(cli("callout", "start", "王强", "--repair", repair, "--at", "2026-10-10 04:00"))
    ended = cli("callout", "end", "王强", "--at", "2026-10-10 05:00")
    assert "repair" not in ended.stderr.replace("rostered", ""), ended.stderr


def test_a_night_dispatch_reads_the_roster_once_and_keeps_the_on_call_shift(cli, workspace,
                                                                          monkeypatch):
    from dutyctl.roster import onduty

    october(workspace)
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "水管爆裂", "--at",
                    "2026-10-09 23:40"))
    reads, real = [], onduty.rosters_between
    monkeypatch.setattr(onduty, "rosters_between",
                        lambda *args: reads.append(args) or real(*args))
    ok(cli("repair", "dispatch", repair, "--at", "2026-10-09 23:48"))
    assert len(reads) == 1  # who is sent, from home or not, the call-out's shift: one read
    (started,) = json.loads(ok(cli("list", "--kind", "callout", "-f", "json")))
    shown = json.loads(ok(cli("show", started["id"], "-f", "json")))
    assert (shown["staff"], shown["shift"], shown["repair"]) == ("wangqiang", "night-oncall",
                                                                repair)


def test_a_call_out_refers_to_its_on_call_slot_and_repair_looked_up_by_the_desk(cli,
                                                                              workspace):
    from dutyctl.desk.callout import KIND, open_callout, refers_to

    october(workspace)
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "水管爆裂", "--at",
                    "2026-10-09 23:40"))
    ok(cli("repair", "dispatch", repair, "--at", "2026-10-09 23:48"))
    refers = refers_to(workspace, open_callout(workspace.store, "wangqiang"))
    assert (refers.slot.staff, refers.slot.shift_id) == ("wangqiang", "night-oncall")
    assert refers.repair.id == repair and refers.repair_problem is None
    # a repair this desk cannot read (not synced yet): why, not a crash; no shift, no slot
    unsynced = {"staff": "liuyang", "repair": "r-20261009-0000-nowhere"}  # another desk's
    lost = workspace.store.create(KIND, unsynced, by="zhangwei",
                                  at=datetime.fromisoformat("2026-10-09T12:00:00+08:00"))
    missing = refers_to(workspace, lost)
    assert missing.slot is None and missing.repair is None
    assert "r-20261009-0000-nowhere" in missing.repair_problem


def test_callout_start_names_the_one_on_call_and_a_day_dispatch_stays_on_site(cli, workspace):
    october(workspace)
    started = cli("callout", "start", "--note", "电梯困人", "--at", "2026-10-09 22:00")
    assert "call-out of 王强 started" in started.stderr, started.stderr
    nobody = cli("callout", "start", "--at", "2026-10-09 12:00")
    assert nobody.exit_code == 2 and "nobody is on call at 2026-10-09 12:00" in nobody.stderr
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "门禁卡失灵", "--at",
                    "2026-10-09 10:00"))
    day = cli("repair", "dispatch", repair, "--at", "2026-10-09 10:05")
    assert "dispatched to 刘洋" in ok(day) and "call-out" not in day.stderr


def test_a_general_repair_at_night_waits_unless_the_desk_names_who_comes_in(cli, workspace):
    """The technician on call comes in for what cannot wait: a 一般 repair (business hours)
    dispatched at night without --to is refused, nothing written; naming the one on call
    sends them (a call-out); a burst pipe is suggested as 急修 and calls them out at once."""
    october(workspace)
    lock = ok(cli("repair", "file", *RESIDENT, "--content", "门锁坏了", "--at",
                  "2026-10-09 20:25"))
    refused = cli("--lang", "zh_CN", "repair", "dispatch", lock, "--at", "2026-10-09 20:31")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "一般" in refused.stderr, refused.stderr
    assert "王强" in refused.stderr and "--派给" in refused.stderr  # --to, in Chinese
    assert json.loads(ok(cli("show", lock, "-f", "json")))["status"] == "open"
    assert json.loads(ok(cli("list", "--kind", "callout", "-f", "json"))) == []
    named = cli("repair", "dispatch", lock, "--to", "王强", "--at", "2026-10-09 20:33")
    assert "dispatched to 王强" in ok(named) and "call-out of 王强 started" in named.stderr
    ok(cli("callout", "end", "王强", "--at", "2026-10-09 21:30"))
    burst = cli("repair", "file", *RESIDENT, "--content", "水管爆裂", "--at", "2026-10-09 23:40")
    assert json.loads(ok(cli("show", ok(burst).strip(), "-f", "json")))["urgency"] == "emergency"
    sent = cli("repair", "dispatch", ok(burst).strip(), "--at", "2026-10-09 23:45")
    assert "call-out of 王强 started" in sent.stderr, sent.stderr
    # called in already: a 一般 repair that night goes to him, no second call-out
    tap = ok(cli("repair", "file", *RESIDENT, "--content", "水龙头滴水", "--at",
                 "2026-10-09 23:50"))
    while_in = cli("repair", "dispatch", tap, "--at", "2026-10-09 23:55")
    assert "dispatched to 王强" in ok(while_in) and "started" not in while_in.stderr
    assert len(json.loads(ok(cli("list", "--kind", "callout", "-f", "json")))) == 2


def test_a_night_call_out_through_the_entry_point(dutyctl_forked, tmp_path):
    root = tmp_path / "site"
    assert run_dutyctl(dutyctl_forked, "init", str(root), root=root).returncode == 0
    generated = run_dutyctl(dutyctl_forked, "roster", "generate", "--month", "2026-10",
                            root=root)
    assert generated.returncode == 0, generated.stderr
    who = run_dutyctl(dutyctl_forked, "who", "--at", "2026-10-05 23:30", "-f", "json",
                      root=root)
    on_call, their_name = (json.loads(who.stdout)["on_call"][0][key] for key in ("staff", "name"))
    filed = run_dutyctl(dutyctl_forked, "repair", "file", *RESIDENT, "--content", "水管爆裂",
                        "--at", "2026-10-05 23:40", root=root)
    repair = filed.stdout.strip()
    dispatched = run_dutyctl(dutyctl_forked, "repair", "dispatch", repair, "--at",
                             "2026-10-05 23:48", root=root)
    assert dispatched.returncode == 0, dispatched.stderr
    assert dispatched.stdout.endswith(f"dispatched to {their_name}\n")
    ended = run_dutyctl(dutyctl_forked, "callout", "end", on_call, "--at", "2026-10-06 00:33",
                        root=root)
    assert ended.returncode == 0, ended.stderr
    summary = json.loads(run_dutyctl(dutyctl_forked, "attendance", "--month", "2026-10",
                                     "--staff", on_call, "-f", "json", root=root).stdout)
    assert summary[0]["call_outs"] == 1 and summary[0]["hours_call_out"] == 0.75


def test_who_on_screen_names_people_and_lists_them_in_the_language(cli, workspace):
    october(workspace)
    at = ("who", "--at", "2026-10-09 12:00")
    table = ok(cli(*at))
    header = table.splitlines()[0].split()
    assert "name" in header and "staff" not in header  # names on screen, not ids
    assert "张伟" in table and "zhangwei" not in table
    assert "next handover 2026-10-09 20:00: 张伟 (白班), 刘洋 (白班) ->" in table
    chinese = ok(cli(*at, env={"DUTYCTL_LANG": "zh_CN"}))
    assert "员工" not in chinese.splitlines()[0] and "zhangwei" not in chinese
    assert "下次交接班 2026-10-09 20:00：张伟（白班）、刘洋（白班） →" in chinese
    # machine formats keep the id beside the name
    document = json.loads(ok(cli(*at, "-f", "json")))
    assert ("zhangwei", "张伟") in [(row["staff"], row["name"]) for row in document["on_duty"]]


def test_a_call_out_of_someone_not_on_call_is_recorded_and_said(cli, workspace):
    """Whoever came is recorded (attendance counts it), with one line saying the roster had
    someone else on call; the one on call gets no such line."""
    october(workspace)
    other = cli("callout", "start", "刘洋", "--at", "2026-10-09 22:10")
    assert other.exit_code == 0, other.stderr
    assert other.stderr.splitlines()[0] == (
        "刘洋 is not on call at 2026-10-09 22:10 per the roster: recorded as a call-out all the "
        "same")
    rostered = cli("callout", "start", "王强", "--at", "2026-10-09 22:20")
    assert rostered.exit_code == 0 and "not on call" not in rostered.stderr


def test_a_refused_call_out_of_someone_not_on_call_says_only_why(cli, workspace):
    """Not on call, for an id that is no emergency: the refusal alone, not first "recorded as
    a call-out all the same"; nothing written."""
    october(workspace)
    filed = cli("repair", "file", *RESIDENT, "--content", "灯不亮", "--at", "2026-10-09 21:00")
    assert filed.exit_code == 0, filed.stderr
    before = sorted(workspace.records_dir.rglob("*.yaml"))
    refused = cli("callout", "start", "刘洋", "--emergency", filed.stdout.strip(), "--at",
                  "2026-10-09 22:10")
    assert refused.exit_code == 2
    assert refused.stderr.splitlines() == [refused.stderr.strip()], refused.stderr
    assert "is of kind repair, not emergency" in refused.stderr and "not on call" not in refused.stderr
    assert sorted(workspace.records_dir.rglob("*.yaml")) == before


def test_a_named_call_out_without_a_roster_to_compare_with_is_recorded_unsaid(cli, workspace):
    """No roster for the day, or rules that cannot be read: the call-out is recorded as before,
    with nothing said of a roster there is no reading."""
    unrostered = cli("callout", "start", "刘洋", "--at", "2026-10-09 22:10")
    assert unrostered.exit_code == 0 and "not on call" not in unrostered.stderr
    october(workspace)
    rules = workspace.rosters_dir / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "staff: [\n", encoding="utf-8")
    # gaofeng is not the one on call: read, the roster would have him said so
    broken = cli("callout", "start", "gaofeng", "--at", "2026-10-09 22:20")
    assert broken.exit_code == 0, broken.stderr
    assert "not on call" not in broken.stderr, broken.stderr


def test_a_call_out_never_ended_is_flagged_with_the_line_that_ends_it(cli, workspace):
    """A call-out started and never ended counts no hours: the daily report names it under
    Needs attention and in Attendance, `attendance` (summary and detail) flags it, each with
    `callout end ... --at` to end it backdated; once ended, the flags go and the hours count.
    One under way as the day ended but ended since is not flagged."""
    october(workspace)
    ok(cli("callout", "start", "王强", "--note", "地下泵房报警", "--at", "2026-10-09 02:00"))
    ok(cli("callout", "start", "刘洋", "--note", "电梯困人", "--at", "2026-10-09 23:30"))
    ok(cli("callout", "end", "刘洋", "--at", "2026-10-10 00:30"))
    daily = json.loads(ok(cli("report", "daily", "--date", "2026-10-09", "-f", "json")))
    flagged = {entry["group"]: entry["items"] for entry in daily["attention"]}["callout_open"]
    assert [(item["staff"], item["start"][:16]) for item in flagged] == [
        ("wangqiang", "2026-10-09T02:00")]
    assert daily["attendance"]["totals"]["call_outs_open"] == 1
    page = ok(cli("--lang", "zh_CN", "report", "daily", "--date", "2026-10-09"))
    attention = page.split("需要关注")[1]
    assert 'dutyctl 备班 返回 王强 --时间 "返回时间"' in attention, page
    assert attention.count("dutyctl 备班 返回") == 1  # 刘洋's, ended since, is not
    assert re.search(r"备班未返回 +1", page), page  # in Attendance too
    summary = json.loads(ok(cli("attendance", "--month", "2026-10", "--staff", "王强",
                                "-f", "json")))
    assert (summary[0]["call_outs"], summary[0]["call_outs_open"]) == (1, 1)
    detail = cli("--lang", "zh_CN", "attendance", "--month", "2026-10", "--detail")
    assert "备班出勤，未返回" in ok(detail)
    assert 'dutyctl 备班 返回 王强 --时间 "返回时间"' in detail.stderr
    assert "刘洋" not in detail.stderr
    rows = json.loads(ok(cli("attendance", "--month", "2026-10", "--detail", "-f", "json")))
    assert sorted((row["staff"], row["not_ended"]) for row in rows
                  if row["result"] == "call-out") == [("liuyang", False), ("wangqiang", True)]
    # ended, backdated: nothing flagged, its hours count
    ok(cli("--lang", "zh_CN", "callout", "end", "王强", "--at", "2026-10-09 03:30"))
    daily = json.loads(ok(cli("report", "daily", "--date", "2026-10-09", "-f", "json")))
    assert {entry["group"]: entry["items"] for entry in daily["attention"]}["callout_open"] == []
    # 王强's 1.5 h, and 刘洋's hour that ran past midnight (counted whole on the day it began)
    assert daily["attendance"]["totals"]["hours_call_out"] == 2.5
    assert "备班" not in cli("attendance", "--month", "2026-10").stderr


def test_a_return_typed_before_the_call_out_began_says_whose_and_when(cli, workspace):
    """备班 返回 --时间 3:40 for a call-out begun at 04:32 (a slip of the hour): the call-out's
    person and start are said, not a record id and the filing time; nothing written."""
    october(workspace)
    ok(cli("callout", "start", "--at", "2026-10-10 04:32"))
    slip = cli("--lang", "zh_CN", "备班", "返回", "--时间", "2026-10-10 03:40")
    assert slip.exit_code == 2
    assert slip.stderr.strip() == ("王强 的备班出勤 2026-10-10 04:32 才开始：返回时间 "
                                   "2026-10-10 03:40 早于它，请核对 --时间：未写入任何内容")
    assert cli("who", "--at", "2026-10-10 05:00", "-f", "json").stdout.count(
        "2026-10-10T04:32:00+08:00") == 1  # still out
    ok(cli("callout", "end", "--at", "2026-10-10 05:40"))


def test_a_repair_dispatched_to_the_technician_already_called_out_says_so(cli, workspace):
    """At night a 一般 repair with nobody on site is refused without --to; with the on-call
    technician already out on a call-out it goes to them, and one stderr line says why (the
    same call-out, none filed)."""
    october(workspace)
    burst = ok(cli("repair", "file", *RESIDENT, "--content", "水管爆裂", "--at",
                   "2026-10-10 01:50"))
    ok(cli("repair", "dispatch", burst, "--at", "2026-10-10 01:55"))
    bell = ok(cli("repair", "file", "--name", "李四", "--room", "3-2-502", "--phone",
                  "13900001111", "--content", "门铃不响", "--urgency", "general",
                  "--at", "2026-10-10 02:10"))
    sent = cli("--lang", "zh_CN", "报修", "派工", bell, "--时间", "2026-10-10 02:11")
    assert sent.exit_code == 0, sent.stderr
    assert sent.stderr.strip() == ("王强 正在备班出勤（2026-10-10 01:55 起），"
                                   "本单一并派给王强，不另计备班出勤")
    assert len(json.loads(ok(cli("list", "--kind", "callout", "-f", "json")))) == 1


LAST_NIGHT = [("2026-10-31", "night", "lina"),
              ("2026-10-31", "night-oncall", "wangqiang", "technician")]


def test_a_call_out_after_midnight_counts_in_the_month_its_on_call_night_began(cli,
                                                                              workspace,
                                                                              clock):
    """The on-call night of 10-31 runs into 11-01: 王强 called out at 02:00 on 11-01 is that
    night's call-out, counted in October's attendance and report as the night's shift is
    (it counted in November's). Someone not on call is counted on the day it started."""
    clock.set("2026-11-05T09:00:00+08:00")
    write_roster(workspace.root, "2026-10-01", "2026-10-31", LAST_NIGHT)
    ok(cli("callout", "start", "王强", "--note", "地下泵房报警", "--at", "2026-11-01 02:00"))
    ok(cli("callout", "end", "王强", "--at", "2026-11-01 03:30"))
    ok(cli("callout", "start", "刘洋", "--note", "电梯困人", "--at", "2026-11-01 01:00"))
    ok(cli("callout", "end", "刘洋", "--at", "2026-11-01 02:00"))

    def call_outs(month: str) -> dict:
        rows = json.loads(ok(cli("attendance", "--month", month, "-f", "json")) or "[]")
        return {row["staff"]: row["call_outs"] for row in rows if row["call_outs"]}

    assert call_outs("2026-10") == {"wangqiang": 1}
    assert call_outs("2026-11") == {"liuyang": 1}
    october_report = json.loads(ok(cli("report", "monthly", "--month", "2026-10", "-f",
                                       "json")))
    assert october_report["attendance"]["totals"]["hours_call_out"] == 1.5
    night = json.loads(ok(cli("report", "daily", "--date", "2026-10-31", "-f", "json")))
    assert night["attendance"]["totals"]["call_outs"] == 1


def test_a_call_out_for_an_emergency_is_linked_to_it_and_handed_over(cli, workspace):
    """`备班 出勤 --突发` (the emergency by id, type or place): the call-out names it, the
    emergency's history and links say who came in, the handover line says what for; an
    emergency already over, or a record that is none, is refused with nothing written."""
    zh = {"DUTYCTL_LANG": "zh_CN"}
    october(workspace)
    emergency = ok(cli("emergency", "open", "--type", "停电", "--where", "3号楼", "--content",
                       "3号楼整栋停电", "--at", "2026-10-09 21:00")).splitlines()[0]
    called = cli("备班", "出勤", "王强", "--突发", "停电", "--时间", "2026-10-09 21:10", env=zh)
    assert called.exit_code == 0, called.stderr
    callout = called.stdout.split()[0]
    assert workspace.store.get(callout).get("emergency") == emergency
    shown = ok(cli("show", emergency, "--format", "json"))
    assert [step["action"] for step in json.loads(shown)["history"]] == ["link"]
    links = ok(cli("show", emergency, env=zh))
    assert f"{callout[:12]}  备班出勤  出勤中  王强" in links, links
    assert "突发事件：" in ok(cli("show", callout, env=zh))
    handed = cli("交接班", "--接班人", "zhangwei", "--时间", "2026-10-09 21:30", "--操作人",
                 "lina", env=zh)
    assert handed.exit_code == 0, handed.stderr
    items = workspace.store.get(handed.stdout.split()[0]).get("items")
    assert [item["text"] for item in items if item["kind"] == "callout"] == [
        "王强 处置突发 停电 3号楼"]
    ok(cli("callout", "end", "--at", "2026-10-09 22:00"))
    ok(cli("emergency", "close", emergency, "--summary", "已恢复供电", "--at",
           "2026-10-09 22:10"))
    files = sorted(path.name for path in workspace.records_dir.rglob("*.yaml"))
    late = cli("备班", "出勤", "王强", "--突发", emergency, "--时间", "2026-10-09 22:20", env=zh)
    assert late.exit_code == 2 and "并不在处置中" in late.stderr, late.stderr
    wrong = cli("备班", "出勤", "王强", "--突发", callout, "--时间", "2026-10-09 22:20", env=zh)
    assert wrong.exit_code == 2 and "不是突发事件" in wrong.stderr, wrong.stderr
    assert sorted(path.name for path in workspace.records_dir.rglob("*.yaml")) == files


def test_a_call_out_ended_weeks_later_is_found_without_a_record_index(cli, workspace, clock):
    """The supervisor doing the month's attendance is told to end a forgotten call-out with
    `备班 返回 王强 --时间 ...`: on a desk that never built the record index, with more than
    a week of records filed since, that command finds the call-out (it was refused as "no
    call-out under way", the very one attendance flags)."""
    forgotten_call_out(cli, workspace, clock)  # a desk that never built the index
    ended = cli("--lang", "zh_CN", "备班", "返回", "王强", "--时间", "2026-10-10 01:30")
    assert ended.exit_code == 0, ended.stderr
    assert "王强 的备班出勤已结束：共 2小时30分" in ended.stdout + ended.stderr
    summary = json.loads(ok(cli("attendance", "--month", "2026-10", "--staff", "王强",
                                "-f", "json")))
    assert (summary[0]["call_outs"], summary[0]["call_outs_open"]) == (1, 0)


def test_a_call_out_forgotten_weeks_ago_is_not_taken_for_a_copy_of_tonights(cli, workspace,
                                                                            clock):
    """王强's call-out of 10-09 was never ended; tonight's (10-30 23:00) is another: his return
    at 01:00 ends tonight's alone, with its own two hours, and says nothing of two desks (it
    had ended tonight's at its start and given the old one 506 hours)."""
    from dutyctl.desk.callout import KIND

    old = forgotten_call_out(cli, workspace, clock)
    # tonight's, recorded on a desk that never saw the old one (a desk refuses a second)
    tonight = workspace.store.create(KIND, {"staff": "wangqiang"}, by="lina",
                                     at=datetime.fromisoformat("2026-10-30T23:00:00+08:00")).id
    ok(cli("list", "--all"))  # the index built: both under way are found
    ended = cli("--lang", "zh_CN", "备班", "返回", "王强", "--时间", "2026-10-31 01:00")
    assert ended.exit_code == 0, ended.stderr
    assert "两个值班台" not in ended.stderr and "共 2小时" in ended.stdout + ended.stderr
    store = workspace.store
    assert [event.action for event in store.get(tonight).events] == ["end"]
    assert store.get(old).events == ()  # still under way: attendance keeps flagging it
    summary = json.loads(ok(cli("attendance", "--month", "2026-10", "--staff", "王强",
                                "-f", "json")))
    assert (summary[0]["call_outs"], summary[0]["call_outs_open"],
            summary[0]["hours_call_out"]) == (2, 1, 2.0)


def forgotten_call_out(cli, workspace, clock) -> str:
    """王强's call-out of 10-09 23:00, its return never recorded, three weeks of a desk's
    notes since (it is out of the last days' folders), no record index; now 10-31 09:00."""
    from dutyctl.desk.callout import KIND

    october(workspace)
    clock.set("2026-10-31T09:00:00+08:00")
    old = workspace.store.create(KIND, {"staff": "wangqiang", "shift": "night-oncall"},
                                 at=datetime.fromisoformat("2026-10-09T23:00:00+08:00"),
                                 by="lina").id  # as `callout start` files it
    for day in range(10, 31):
        ok(cli("log", "note", "巡查正常", "--staff", "zhangwei", "--at", f"2026-10-{day} 10:00"))
    assert not (workspace.root / ".dutyctl" / "index.sqlite3").exists()
    return old


def test_a_call_out_forgotten_weeks_ago_refuses_a_second_and_says_how_to_end_it(
        cli, workspace, clock):
    """A desk without a record index read the last week's folders only: 王强's call-out of
    10-09, never ended, was missed and tonight's started beside it (two under way). It is
    found now (the index built first, outside the desk lock) and the refusal says how to
    record the return it lacks."""
    old = forgotten_call_out(cli, workspace, clock)
    refused = cli("--lang", "zh_CN", "备班", "出勤", "王强", "--时间", "2026-10-30 23:00")
    assert refused.exit_code == 2, refused.stderr
    assert f"王强 自 2026-10-09 23:00 起已在备班出勤中（出勤 {old[:12]}）" in refused.stderr
    assert '按实际返回时间补记：dutyctl 备班 返回 王强 --时间 "返回时间"' in refused.stderr
    assert [record.id for record in workspace.store.scan(kinds=("callout",)).records] == [old]


def test_a_call_out_on_a_young_desk_builds_no_record_index(cli, workspace):
    """Its few day folders are all read anyway: no index is built for a call-out (it is on a
    desk with more days than that, once)."""
    october(workspace)
    ok(cli("callout", "start", "王强", "--at", "2026-10-09 23:00"))
    assert not (workspace.root / ".dutyctl" / "index.sqlite3").exists()


def _dispatched_to_wangqiang_on_call(cli, workspace):
    """王强 on call the night of 10-30; an urgent repair dispatched at 23:48 (in Chinese)."""
    october(workspace, ON_CALL_ON_THE_30TH)
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "水管爆裂", "--urgency", "紧急",
                    "--at", "2026-10-30 23:40"))
    return cli("--lang", "zh_CN", "报修", "派工", repair, "--时间", "2026-10-30 23:48")


def test_a_night_dispatch_finds_a_call_out_forgotten_weeks_ago(cli, workspace, clock):
    """The repair dispatched to the technician on call tonight: his call-out of 10-09, never
    ended, is found (no second call-out filed beside it), and the desk is told to record
    the return it lacks."""
    old = forgotten_call_out(cli, workspace, clock)
    sent = _dispatched_to_wangqiang_on_call(cli, workspace)
    assert sent.exit_code == 0, sent.stderr
    assert "王强 自 2026-10-09 23:00 起在备班出勤中，一直没有登记返回" in sent.stderr, sent.stderr
    assert "dutyctl 备班 返回 王强 --时间" in sent.stderr
    assert [record.id for record in workspace.store.scan(kinds=("callout",)).records] == [old]


def _name_wangqiang_zhangwei(workspace) -> None:
    """王强 renamed 张伟: two staff bear the name (zhangwei, wangqiang)."""
    from tests.test_desk_names import _rename

    _rename(workspace.root, "wangqiang", "张伟")


def test_a_forgotten_call_out_of_a_shared_name_says_a_command_that_runs(cli, workspace, clock):
    """Two 张伟: the refusal names him 张伟（wangqiang） but the command it prints takes his
    id (the screen name with its brackets is no staff anyone can type), and running it
    ends the forgotten call-out."""
    old = forgotten_call_out(cli, workspace, clock)
    _name_wangqiang_zhangwei(workspace)
    refused = cli("--lang", "zh_CN", "备班", "出勤", "wangqiang", "--时间", "2026-10-30 23:00")
    assert refused.exit_code == 2, refused.stderr
    assert "张伟（wangqiang） 自 2026-10-09 23:00 起已在备班出勤中" in refused.stderr
    command = re.search(r"dutyctl (备班 返回 \S+) --时间", refused.stderr)
    assert command and command.group(1) == "备班 返回 wangqiang", refused.stderr
    ended = cli("--lang", "zh_CN", *command.group(1).split(), "--时间", "2026-10-10 02:00")
    assert ended.exit_code == 0, ended.stderr
    assert [event.action for event in workspace.store.get(old).events] == ["end"]


def test_a_night_dispatch_to_a_shared_name_says_a_command_that_runs(cli, workspace, clock):
    forgotten_call_out(cli, workspace, clock)
    _name_wangqiang_zhangwei(workspace)
    sent = _dispatched_to_wangqiang_on_call(cli, workspace)
    assert sent.exit_code == 0, sent.stderr
    assert "张伟（wangqiang） 自 2026-10-09 23:00 起在备班出勤中" in sent.stderr, sent.stderr
    assert "dutyctl 备班 返回 wangqiang --时间" in sent.stderr, sent.stderr


def test_one_call_out_ended_on_each_desk_counts_once(cli, workspace):
    """Two desks each called 王强 in (22:10, 22:12) and each recorded his return (00:30,
    00:35) before they synced: one call-out in attendance, 22:10 to 00:35."""
    from dutyctl.desk.callout import callouts_between

    october(workspace)
    first = ok(cli("callout", "start", "王强", "--at", "2026-10-09 22:10")).split()[0]
    ok(cli("callout", "end", "王强", "--at", "2026-10-10 00:30"))
    ok(cli("callout", "start", "王强", "--at", "2026-10-09 22:12"))  # the other desk's copy
    ok(cli("callout", "end", "王强", "--at", "2026-10-10 00:35"))
    (one,) = callouts_between(workspace.store, date(2026, 10, 9), date(2026, 10, 10))
    assert (one.record_id, one.length) == (first, timedelta(hours=2, minutes=25))
    summary = json.loads(ok(cli("attendance", "--month", "2026-10", "--staff", "王强",
                                "-f", "json")))
    assert (summary[0]["call_outs"], summary[0]["hours_call_out"]) == (1, 2.42)


def test_a_return_refused_by_a_desk_without_an_index_builds_it_outside_the_desk_lock(
        cli, workspace, monkeypatch):
    """Looking everywhere for a call-out builds the record index once: never while holding the
    desk lock, which every other terminal's clock-in waits on."""
    from dutyctl.desk import callout
    from dutyctl.store import storage

    october(workspace)
    held, built_under_lock = [], []
    exclusive = storage.exclusive

    @contextlib.contextmanager
    def watched(path, *args, **kwargs):
        with exclusive(path, *args, **kwargs) as lock:
            held.append(path.name)
            try:
                yield lock
            finally:
                held.pop()

    under_way = callout.under_way

    def watching(store, everywhere=False):
        if everywhere and "desk.lock" in held and not (
                workspace.root / ".dutyctl" / "index.sqlite3").exists():
            built_under_lock.append(True)
        return under_way(store, everywhere)

    monkeypatch.setattr(callout, "exclusive", watched)
    monkeypatch.setattr(callout, "under_way", watching)
    refused = cli("callout", "end", "王强", "--at", "2026-10-10 01:00")
    assert refused.exit_code == 2 and "no call-out under way" in refused.stderr
    assert built_under_lock == []


def test_someone_clocked_in_is_not_called_out_and_no_hour_is_paid_twice(cli, workspace):
    """A call-out was recorded for a technician clocked in on his day shift, and a call-out
    still under way when he clocked in for it counted the shift's hours again as call-out
    time: refused, sent without a call-out, and the overlap counted once (as the shift)."""
    october(workspace)
    assert cli("clock", "in", "--staff", "wangqiang", "--at", "2026-10-12 07:55").exit_code == 0
    refused = cli("callout", "start", "王强", "--at", "2026-10-12 12:00")
    assert refused.exit_code == 2, refused.output
    assert refused.stderr.splitlines() == [
        "王强 is on duty since 2026-10-12 07:55 (clocked in): a call-out is for someone called "
        "in from home; nothing written"]
    # on call tonight and still clocked in at the desk: dispatched there, no call-out filed
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "水管爆裂", "--at",
                    "2026-10-09 23:40"))
    dispatched = cli("repair", "dispatch", repair, "--to", "wangqiang", "--at",
                     "2026-10-12 12:05")
    assert "call-out" not in ok(dispatched) + dispatched.stderr
    assert json.loads(ok(cli("list", "--kind", "callout", "-f", "json"))) == []


def test_a_call_out_overlapping_a_duty_counts_only_its_time_off_duty():
    """Called in at 23:10, clocked in for the day shift at 07:55, back (recorded) at 11:00:
    8 h 45 min of call-out, not 11 h 50 min; the shift's hours are the duty's."""
    from dutyctl.desk.attendance import off_duty
    from dutyctl.desk.sessions import DutySession

    def at(text: str) -> datetime:
        return datetime.fromisoformat(text + "+08:00")

    call = DutySession("c", "wangqiang", at("2026-10-11T23:10"), at("2026-10-12T11:00"))
    duty = DutySession("d", "wangqiang", at("2026-10-12T07:55"), at("2026-10-12T20:00"))
    assert off_duty(call, [duty]) == timedelta(hours=8, minutes=45)
    running = DutySession("e", "wangqiang", at("2026-10-12T07:55"))  # still on duty
    assert off_duty(call, [running]) == timedelta(hours=8, minutes=45)
    assert off_duty(call, []) == call.length
    assert off_duty(DutySession("f", "x", at("2026-10-12T08:00"), at("2026-10-12T09:00")),
                    [duty]) == timedelta(0)


def test_the_end_of_a_call_out_names_every_repair_it_served(cli, workspace):
    """Two repairs sent to the technician on one call-out (the second 'on the same call-out'):
    the return named only the one the call-out was filed for."""
    october(workspace)
    first = ok(cli("repair", "file", *RESIDENT, "--content", "水管爆裂", "--at",
                   "2026-10-09 23:40"))
    ok(cli("repair", "dispatch", first, "--at", "2026-10-09 23:48"))
    second = ok(cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                    "13900001111", "--content", "停电", "--at", "2026-10-09 23:55"))
    ok(cli("repair", "dispatch", second, "--to", "wangqiang", "--at", "2026-10-09 23:58"))
    ended = cli("callout", "end", "王强", "--at", "2026-10-10 01:20")
    assert ended.exit_code == 0, ended.output
    for repair in (first, second):
        assert f"repair {repair[:12]} has no arrival yet" in ended.stderr, ended.stderr


def test_a_clock_in_never_clocked_out_days_ago_is_no_one_on_site(cli, workspace):
    """A duty left open since the night before last (a clock-out forgotten, as attendance
    counts it) refused the call-out as 'on duty', and its open time cancelled the call-out's
    hours: neither now; only a duty begun within a day is on site."""
    october(workspace)
    assert cli("clock", "in", "--staff", "wangqiang", "--at", "2026-10-08 07:55").exit_code == 0
    started = cli("callout", "start", "王强", "--at", "2026-10-09 23:50")
    assert started.exit_code == 0, started.output
    ok(cli("callout", "end", "王强", "--at", "2026-10-10 01:50"))
    (row,) = json.loads(ok(cli("attendance", "--month", "2026-10", "--staff", "wangqiang",
                               "-f", "json")))
    assert row["hours_call_out"] == 2.0, row


def test_an_emergency_says_how_to_call_in_someone_whose_old_call_out_was_never_ended(
        cli, workspace, clock):
    """王强 on call tonight, his call-out of 10-09 never ended: the emergency's line said
    "nobody left to call in", as if he were out on a job; he is at home, the old call-out
    wanting its return. It says so, and how to call him in once that is recorded."""
    forgotten_call_out(cli, workspace, clock)
    october(workspace, ON_CALL_ON_THE_30TH)
    ok(cli("list", "--all"))  # the index built: the old call-out is found
    opened = cli("emergency", "open", "--type", "power-outage", "--where", "3号楼",
                 "--content", "整栋停电", "--staff", "lina", "--at", "2026-10-30 23:50")
    assert opened.exit_code == 0, opened.stderr
    line = next(line for line in opened.stdout.splitlines() if line.startswith("on call"))
    assert "nobody left to call in" not in line, line
    assert "王强 (维修工, a call-out of 2026-10-09 23:00 never ended)" in line, line
    assert "dutyctl callout end 王强 --at \"TIME BACK\"" in line
    assert "dutyctl callout start 王强 --emergency" in line


def test_whom_to_call_in_is_the_desk_s_decision_one_at_home_first(cli, workspace, clock):
    """`desk.callout.on_call_now`, what an emergency's line says: 王强 on call tonight with
    his call-out of 10-09 never ended is at home, that call-out to be ended first; once it
    is, he is the one to call in; out on tonight's call-out, nobody is left."""
    from datetime import datetime, timedelta, timezone

    from dutyctl.desk.callout import on_call_now

    forgotten_call_out(cli, workspace, clock)
    october(workspace, ON_CALL_ON_THE_30TH)
    ok(cli("list", "--all"))  # the index built: the old call-out is found
    tonight = datetime(2026, 10, 30, 23, 50, tzinfo=timezone(timedelta(hours=8)))

    def decided():
        on_call = on_call_now(workspace, tonight)
        return ([one.slot.staff for one in on_call.people], on_call.to_call_in,
                on_call.to_end_first)

    assert decided() == (["wangqiang"], None, "wangqiang")
    ok(cli("callout", "end", "王强", "--at", "2026-10-10 02:00"))
    assert decided() == (["wangqiang"], "wangqiang", None)
    ok(cli("callout", "start", "王强", "--at", "2026-10-30 23:00"))
    assert decided() == (["wangqiang"], None, None)


@pytest.mark.parametrize("kept_off, said", [
    ('    leave: [{from: "2026-10-09", to: "2026-10-10", reason: 病假}]\n',
     "on leave that day: 王强 (夜间备班, from 20:00) is still on the roster (病假)"),
    ('    active_until: "2026-10-08"\n',
     "not employed that day (active_from, active_until in the rules): 王强 (夜间备班, "
     "from 20:00) is still on the roster"),
])
def test_one_on_call_the_rules_keep_off_since_the_roster_is_never_called_out_by_default(
        cli, workspace, kept_off, said):
    """王强 off sick (or gone) on his on-call night, entered after the roster was made: `who`
    listed him at home on call, and a call-out or a night repair sent to him by default;
    his day shift after it: named in the next handover."""
    october(workspace)
    edit_rules(workspace, "    name: 王强\n    roles: [technician]\n",
               "    name: 王强\n    roles: [technician]\n" + kept_off)
    who = ok(cli("who", "--at", "2026-10-09 23:00"))
    assert said in who and "on call (at home)" not in who, who
    (row,) = json.loads(ok(cli("who", "--at", "2026-10-09 23:00", "-f", "json")))["on_call"]
    assert (row["staff"], row["on_leave"]) == ("wangqiang", True)
    nobody = cli("callout", "start", "--note", "电梯困人", "--at", "2026-10-09 23:10")
    assert nobody.exit_code == 2 and "the rules keep 王强 off work at 2026-10-09 23:10 " \
        "(leave, or not employed that day), and nobody else is on call" in nobody.stderr
    opened = cli("emergency", "open", "--type", "water-outage", "--where", "3号楼",
                 "--at", "2026-10-09 23:12")
    assert opened.exit_code == 0 and "王强" not in opened.stdout + opened.stderr, opened.stdout
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "水管爆裂", "--at",
                    "2026-10-09 23:40"))
    sent = cli("repair", "dispatch", repair, "--at", "2026-10-09 23:48")
    assert sent.exit_code == 2 and "dispatched" not in sent.stdout, sent.stdout
    assert "the rules keep 王强 off work at 2026-10-09 23:48 (leave, or not employed that " \
        "day), and no other 维修工 is on duty or on call: pass --to STAFF" in sent.stderr
    handover = ok(cli("who", "--at", "2026-10-10 07:00"))
    (line,) = [line for line in handover.splitlines() if line.startswith("next handover")]
    assert "王强" not in line, handover


def test_a_call_out_s_text_names_who_came_in_in_every_format(cli, workspace):
    """`list --kind callout -f csv` (and xlsx, json) wrote `liuyang 漏水` where the table
    says 刘洋: a supervisor's sheet showed an id no clerk uses."""
    october(workspace)
    ok(cli("callout", "start", "--note", "电梯困人", "--at", "2026-10-09 22:00"))
    (row,) = json.loads(ok(cli("list", "--kind", "callout", "-f", "json")))
    assert row["text"] == "王强 电梯困人", row
    sheet = ok(cli("list", "--kind", "callout", "-f", "csv"))
    assert "王强 电梯困人" in sheet and "wangqiang" not in sheet, sheet
    (found,) = json.loads(ok(cli("search", "电梯困人", "-f", "json")))
    assert found["text"] == "王强 电梯困人", found
    assert "王强 电梯困人" in ok(cli("show", row["id"], "-f", "csv"))
