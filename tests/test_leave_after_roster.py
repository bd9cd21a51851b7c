"""Leave entered in the rules after the roster was made (a clerk calls in sick): the shift
she does not come to is leave, not an absence, in attendance, the reports and `who`; the desk
was still without her, which the reports' coverage in fact keeps saying."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dutyctl.desk import attendance as core
from dutyctl.desk.attendance import DutySession
from dutyctl.desk.rostered import slots_between
from tests.helpers_desk import october_site
from tests.helpers_roster import edit_rules

TZ = ZoneInfo("Asia/Shanghai")
GRACE, WINDOW = timedelta(minutes=5), timedelta(minutes=120)
SUNLI_SICK = ("  - {id: sunli, name: 孙丽, roles: [service]}",
              '  - {id: sunli, name: 孙丽, roles: [service], '
              'leave: [{from: "2026-10-06", to: "2026-10-07", reason: 病假}]}')


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def _report(workspace, sessions, leave_of):
    slots = slots_between(workspace, at("2026-10-01 00:00"), at("2026-11-02 00:00"))
    return core.attendance_report(slots, sessions, first=date(2026, 10, 1),
                                  last=date(2026, 10, 31), tz=TZ, grace=GRACE, window=WINDOW,
                                  now=at("2026-12-01 00:00"), leave_of=leave_of)


def test_a_shift_not_attended_on_a_day_of_leave_is_leave_with_its_kind(workspace):
    october_site(workspace.root)
    leave = {("sunli", date(2026, 10, 6)): "病假", ("lina", date(2026, 10, 5)): ""}
    report = _report(workspace, [], lambda staff, day: leave.get((staff, day)))
    results = {(o.slot.date.isoformat(), o.slot.staff): (o.result, o.leave)
               for o in report.outcomes}
    assert results[("2026-10-06", "sunli")] == (core.ON_LEAVE, "病假")
    assert results[("2026-10-05", "lina")] == (core.ON_LEAVE, "")  # leave of no kind given
    assert results[("2026-10-31", "lina")] == (core.ABSENT, "")  # her other night: absent
    people = {person.staff: person for person in report.people}
    assert (people["sunli"].rostered, people["sunli"].absent, people["sunli"].on_leave) == (1, 0, 1)
    assert (people["lina"].absent, people["lina"].on_leave) == (1, 1)
    # without the rules' leave (they cannot be read): absent, as before
    unknown = _report(workspace, [], None)
    assert {p.staff: (p.absent, p.on_leave) for p in unknown.people}["sunli"] == (1, 0)


def test_one_who_came_in_despite_leave_is_judged_by_the_clock(workspace):
    october_site(workspace.root)
    came = DutySession("x", "sunli", at("2026-10-06 08:20"), at("2026-10-06 20:00"))
    report = _report(workspace, [came], lambda staff, day: "病假" if staff == "sunli" else None)
    (outcome,) = [o for o in report.outcomes if o.slot.staff == "sunli"]
    assert (outcome.result, outcome.late_minutes) == (core.LATE, 20)


def test_attendance_reports_and_who_call_sick_leave_leave(cli, workspace, clock):
    october_site(workspace.root)
    edit_rules(workspace, *SUNLI_SICK)
    clock.set("2026-12-01T10:00:00+08:00")
    rows = {row["staff"]: row for row in json.loads(
        cli("attendance", "--month", "2026-10", "-f", "json").stdout)}
    assert (rows["sunli"]["absent"], rows["sunli"]["on_leave"]) == (0, 1)
    assert (rows["lina"]["absent"], rows["lina"]["on_leave"]) == (2, 0)
    detail = json.loads(cli("attendance", "--month", "2026-10", "--detail", "-f", "json").stdout)
    (sick,) = [row for row in detail if row["staff"] == "sunli"]
    assert (sick["result"], sick["leave"]) == ("on-leave", "病假")
    table = cli("attendance", "--month", "2026-10", "--detail", env={"DUTYCTL_LANG": "zh_CN"})
    (line,) = [line for line in table.stdout.splitlines() if "孙丽" in line]
    assert "病假" in line and "缺勤" not in line
    summary = cli("attendance", "--month", "2026-10", env={"DUTYCTL_LANG": "zh_CN"}).stdout
    assert "请假" in summary.splitlines()[0]

    report = json.loads(cli("report", "monthly", "--month", "2026-10", "-f", "json").stdout)
    attendance = report["sections"]["attendance"] if "sections" in report else report["attendance"]
    assert (attendance["totals"]["absent"], attendance["totals"]["on_leave"]) == (4, 1)
    assert not [item for item in attendance["anomalies"]
                if item["staff"] == "sunli" and item["anomaly"] == "absent"]
    coverage = report["sections"]["coverage"] if "sections" in report else report["coverage"]
    (gap,) = [gap for gap in coverage["actual"]["gaps"] if gap["staff"] == "sunli"]
    assert (gap["reason"], gap["uncovered_minutes"]) == ("on-leave", 720)  # nobody came
    said = cli("report", "monthly", "--month", "2026-10", env={"DUTYCTL_LANG": "zh_CN"}).stdout
    assert "请假  孙丽" in said.replace("   ", "  ")
    # the section's figures add up: 排班班次 = 出勤 + 缺勤 + 请假 (+ shifts to come)
    facts = {line.split()[0]: line.split()[1] for line in said.splitlines()
             if line.split() and line.split()[0] in ("排班班次", "出勤", "缺勤", "请假")}
    assert facts == {"排班班次": "5", "出勤": "0", "缺勤": "4", "请假": "1"}, facts


def test_who_says_the_one_rostered_is_on_leave_and_how_to_cover(cli, workspace, clock):
    october_site(workspace.root)
    edit_rules(workspace, *SUNLI_SICK)
    clock.set("2026-10-06T09:00:00+08:00")  # now: not clocked in, and on leave
    said = cli("who", env={"DUTYCTL_LANG": "zh_CN"})
    assert ("当天请假：孙丽（白班，08:00 起）仍排在排班表上（病假）：请安排人顶班："
            "'dutyctl 顶班 2026-10-06 白班 员工 --顶替 孙丽 --原因 病假'") in said.stdout
    assert "未签到" not in said.stdout  # not "call them": she is ill
    (row,) = json.loads(cli("who", "-f", "json").stdout)["on_duty"]
    assert (row["staff"], row["on_leave"], row["clocked_in"]) == ("sunli", True, False)
    well = cli("who", "--at", "2026-10-05 09:00", "-f", "json").stdout
    assert [r["on_leave"] for r in json.loads(well)["on_duty"]] == [False]
    # she came in after all: here, nobody to put on her shift
    assert cli("clock", "in", "--staff", "sunli", "--at", "2026-10-06 08:58").exit_code == 0
    came = cli("who", env={"DUTYCTL_LANG": "zh_CN"}).stdout
    assert "当天请假" not in came and "孙丽" in came, came
    english = cli("who", "--at", "2026-10-06 09:00").stdout  # a moment asked about: said
    assert "--replaces 孙丽 --reason 病假'" in english, english


def test_one_who_stays_on_or_comes_in_to_relieve_covers_the_place_in_fact(cli, workspace,
                                                                         clock):
    """张伟 stayed on until 李娜, late for the night, came (nobody leaves before the relief
    arrives): the report said the desk had nobody for 25 minutes. 孙丽 went home sick at 10:35
    and 李娜 came in unrostered at 10:30 to relieve her: 9 h 25 min "with nobody". Each is
    still late or early by attendance; the desk had someone."""
    october_site(workspace.root)
    clock.set("2026-10-08T10:00:00+08:00")
    for args in (("in", "zhangwei", "2026-10-05 07:55"), ("in", "lina", "2026-10-05 20:25"),
                 ("out", "zhangwei", "2026-10-05 20:30"), ("out", "lina", "2026-10-06 08:00"),
                 ("in", "sunli", "2026-10-06 07:55"), ("in", "lina", "2026-10-06 10:30"),
                 ("out", "sunli", "2026-10-06 10:35"), ("out", "lina", "2026-10-06 20:00")):
        action, staff, at = args
        done = cli("clock", action, "--staff", staff, "--at", at,
                   *(("--no-handover", "--reason", "补记") if action == "out" else ()))
        assert done.exit_code == 0, done.stderr

    def actual(day: str) -> dict:
        report = json.loads(cli("report", "daily", "--date", day, "-f", "json").stdout)
        return report["coverage"]["actual"]

    assert actual("2026-10-05")["gaps"] == []  # lina late 25 min, zhangwei there
    # sunli gone at 10:35, lina there from 10:30; zhangwei not clocked in for his night yet
    assert [gap["staff"] for gap in actual("2026-10-06")["gaps"]] == ["zhangwei"]
    rows = {row["staff"]: row for row in json.loads(
        cli("attendance", "--month", "2026-10", "-f", "json").stdout)}
    assert (rows["lina"]["late"], rows["sunli"]["early_leaves"]) == (1, 1)  # still said
    # nobody to stand in: the place is a gap as before
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-06 20:40").exit_code == 0
    (gap,) = actual("2026-10-06")["gaps"]
    assert (gap["staff"], gap["reason"], gap["uncovered_minutes"]) == ("zhangwei", "late", 40.0)


def test_a_handover_is_not_made_out_to_one_on_leave(cli, workspace, clock):
    """李娜's handover at the end of her night went to 孙丽, rostered for the day and off sick:
    it waited for an acceptance that could not come. The next shift's people on leave are
    left out (here nobody is left: the clerk names who takes over)."""
    october_site(workspace.root)
    edit_rules(workspace, *SUNLI_SICK)
    clock.set("2026-10-06T07:45:00+08:00")
    assert cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 19:50").exit_code == 0
    written = cli("handover", "--staff", "lina", "--at", "2026-10-06 07:40")
    assert written.exit_code == 2 and "--to" in written.stderr, written.stderr
    assert "孙丽" not in written.stdout + written.stderr
    named = cli("handover", "--staff", "lina", "--to", "zhangwei", "--at", "2026-10-06 07:41")
    assert named.exit_code == 0, named.stderr


def test_a_clock_out_forgotten_covers_no_place_after_its_shift(cli, workspace, clock):
    """张伟 clocked in for his day and never out: his open duty counted as cover for 李娜's
    night and 孙丽's next day, both absent, and the report said the desk fully covered."""
    october_site(workspace.root)
    clock.set("2026-10-08T10:00:00+08:00")
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55").exit_code == 0

    def gaps(day: str) -> list[tuple]:
        report = json.loads(cli("report", "daily", "--date", day, "-f", "json").stdout)
        return sorted((gap["staff"], gap["reason"], gap["uncovered_minutes"])
                      for gap in report["coverage"]["actual"]["gaps"])

    # his own day counts as attended (no clock-out: attendance says so); the two hours of the
    # clock-in window after it may cover 李娜's night, no more
    assert gaps("2026-10-05") == [("lina", "absent", 600.0)]
    assert gaps("2026-10-06") == [("sunli", "absent", 720.0), ("zhangwei", "absent", 720.0)]


def test_shifts_on_leave_count_no_hours_against_a_cover_she_offers(cli, workspace, clock):
    """孙丽, off sick on 10-06, offers to cover 10-07's day: refused for her week's hours or
    rest, the sick day's 12 hours counted as worked. They are not; the leave is still said."""
    from tests.helpers_desk import OCTOBER, write_roster

    october_site(workspace.root)
    write_roster(workspace.root, "2026-10-01", "2026-10-31",
                 [*OCTOBER, ("2026-10-07", "day", "lina")])
    edit_rules(workspace, "  - {id: sunli, name: 孙丽, roles: [service]}",
               '  - {id: sunli, name: 孙丽, roles: [service], max_hours_per_week: 12, '
               'leave: [{from: "2026-10-06", to: "2026-10-06", reason: 病假}]}')
    clock.set("2026-10-06T09:00:00+08:00")
    covered = cli("roster", "override", "2026-10-07", "day", "sunli", "--replaces", "lina",
                  "--reason", "互助")
    assert covered.exit_code == 0, covered.stderr
    checked = cli("roster", "check").stdout
    assert "on leave" in checked and "max_hours_per_week" not in checked, checked


def test_who_s_next_handover_leaves_out_one_on_leave(cli, workspace, clock):
    """`下次交接班 20:00：孙丽（白班） → 张伟（夜班）` while 孙丽 was off sick all day."""
    october_site(workspace.root)
    edit_rules(workspace, *SUNLI_SICK)
    clock.set("2026-10-06T09:00:00+08:00")
    said = cli("who", "--at", "2026-10-06 09:00", env={"DUTYCTL_LANG": "zh_CN"}).stdout
    (line,) = [line for line in said.splitlines() if line.startswith("下次交接班")]
    assert "孙丽" not in line and "张伟" in line, said


def test_an_unrostered_clock_in_names_the_next_shift_not_a_day_of_leave(cli, workspace, clock):
    """孙丽, on leave on 10-06, came in on 10-05 to help: `下一个排班：白班 10-06`, a day she
    is off sick. None then (October's roster has no later shift of hers)."""
    october_site(workspace.root)
    edit_rules(workspace, *SUNLI_SICK)
    clock.set("2026-10-05T10:05:00+08:00")
    came = cli("clock", "in", "--staff", "sunli", "--at", "2026-10-05 10:00")
    assert came.exit_code == 0, came.stderr
    assert "10-06" not in came.stdout + came.stderr, came.stderr


def test_a_clerk_come_within_the_grace_is_not_said_to_have_left_and_come_back(cli, workspace,
                                                                              clock):
    """张伟 clocked in at 08:03 for 08:00 (the grace five minutes) and stayed: on time by
    attendance, three minutes uncovered, which the reports called 中途离岗 (left and came
    back)."""
    october_site(workspace.root)
    clock.set("2026-10-06T09:00:00+08:00")
    for action, at in (("in", "2026-10-05 08:03"), ("out", "2026-10-05 20:05")):
        done = cli("clock", action, "--staff", "zhangwei", "--at", at,
                   *(("--no-handover", "--reason", "补记") if action == "out" else ()))
        assert done.exit_code == 0, done.stderr
    report = json.loads(cli("report", "daily", "--date", "2026-10-05", "-f", "json").stdout)
    (gap,) = [gap for gap in report["coverage"]["actual"]["gaps"] if gap["staff"] == "zhangwei"]
    assert (gap["reason"], gap["uncovered_minutes"]) == ("within-grace", 3.0)
    said = cli("--lang", "zh_CN", "report", "daily", "--date", "2026-10-05").stdout
    assert "宽限时间内到岗或离岗" in said and "中途离岗" not in said, said
