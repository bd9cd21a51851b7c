"""A report says what each emergency was and how it ended: the table gave its type, place,
times and number of steps, and a supervisor could not tell what happened from any format."""

from __future__ import annotations

import json
import re


def test_a_report_says_what_an_emergency_was_and_how_it_ended(cli, workspace, clock):
    clock.set("2026-10-12T09:00:00+08:00")
    opened = cli("emergency", "open", "--type", "elevator-entrapment", "--where", "5号楼1单元电梯",
                 "--content", "1人被困", "--staff", "chenjing", "--at", "2026-10-12 03:00")
    assert opened.exit_code == 0, opened.stderr
    record_id = opened.stdout.split()[0]
    assert cli("emergency", "close", record_id, "--summary", "维保单位到场解困，无人受伤",
               "--staff", "chenjing", "--at", "2026-10-12 03:44").exit_code == 0
    report = json.loads(cli("report", "daily", "--date", "2026-10-12", "-f", "json").stdout)
    (item,) = report["emergencies"]["items"]
    assert (item["content"], item["outcome"]) == ("1人被困", "维保单位到场解困，无人受伤")
    text = cli("--lang", "zh_CN", "report", "daily", "--date", "2026-10-12").stdout
    section = text.split("突发事件\n--------\n", 1)[1]
    assert "经过" in section and "1人被困 → 维" in section, section  # cut to 100 columns
    page = cli("--lang", "zh_CN", "report", "daily", "--date", "2026-10-12", "-f",
               "markdown").stdout  # whole where cells are
    assert "| 1人被困 → 维保单位到场解困，无人受伤 |" in page, page


def test_a_report_names_the_deadlines_met_late_the_latest_first(cli, workspace, clock):
    """A repair dispatched 5 minutes late and reached 15 minutes late was one more "late" in
    the compliance table, no id anywhere: the supervisor could not tell which job to follow
    up. Now each deadline met late is listed, the latest first."""
    clock.set("2026-10-12T12:00:00+08:00")
    filed = cli("repair", "file", "--name", "物业", "--room", "3号楼电梯", "--phone",
                "13800000009", "--content", "配电箱冒烟", "--urgency", "emergency",
                "--at", "2026-10-12 06:10")
    assert filed.exit_code == 0, filed.stderr
    record_id = filed.stdout.strip()
    for args in (("dispatch", record_id, "--to", "wangqiang", "--at", "2026-10-12 06:30"),
                 ("arrive", record_id, "--at", "2026-10-12 06:55")):
        assert cli("repair", *args).exit_code == 0
    report = json.loads(cli("report", "daily", "--date", "2026-10-12", "-f", "json").stdout)
    late = report["compliance"]["met_late"]
    assert [(item["id"], item["limit"], item["late_minutes"]) for item in late] == [
        (record_id[:12], "arrive", 15), (record_id[:12], "respond", 5)]
    text = cli("report", "daily", "--date", "2026-10-12").stdout
    assert "2 deadlines met late, the latest first" in text
    (arrive_line,) = [line for line in text.splitlines()
                      if line.startswith(record_id[:12]) and "06:55" in line]
    assert "15m" in arrive_line, arrive_line


def test_a_month_reviewed_while_it_runs_lists_its_days_so_far(cli, workspace, clock):
    """The monthly review of the month under way listed its days to come as 0, a trend
    falling to nothing: the days up to the report's moment only."""
    clock.set("2026-10-12T18:00:00+08:00")
    report = json.loads(cli("report", "monthly", "--month", "2026-10", "-f", "json").stdout)
    days = [row["date"] for row in report["per_day"]]
    assert days[0] == "2026-10-01" and days[-1] == "2026-10-12" and len(days) == 12
    clock.set("2026-11-05T09:00:00+08:00")  # the month over: every day
    report = json.loads(cli("report", "monthly", "--month", "2026-10", "-f", "json").stdout)
    assert len(report["per_day"]) == 31


def test_a_complaint_finished_days_late_is_late_by_working_days(cli, workspace, clock):
    """A 一般 complaint (complete within working days) finished four working days late read
    "1d15h" in the table, its working hours taken for days of 24 hours; it is said as its
    limit counts, as `show` says it."""
    clock.set("2026-11-20T12:00:00+08:00")
    from tests.helpers_desk import resolved_complaint

    complaint = resolved_complaint(cli, "2026-11-02 09:00", "2026-11-16 11:00")
    report = json.loads(cli("report", "monthly", "--month", "2026-11", "-f", "json").stdout)
    (late,) = [item for item in report["compliance"]["met_late"] if item["limit"] == "complete"]
    assert late["working_day_minutes"]  # the lateness counts working time
    text = cli("report", "monthly", "--month", "2026-11").stdout
    (line,) = [line for line in text.splitlines()
               if line.startswith(complaint[:12]) and " complete " in line]
    shown = cli("show", complaint).stdout
    said = re.search(r"complete .*late by ([^)]*)\)", shown)[1]
    assert said == "3wd2h" and line.split()[-2] == said, (said, line)


def test_a_week_still_running_names_no_day_to_come_as_without_a_roster(cli, workspace, clock):
    """Seen on Thursday, a week whose roster ends on Wednesday said Thursday to Sunday had no
    roster and no records: the days to come are no gap yet."""
    from tests.helpers_desk import write_desk_rules, write_roster

    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2026-11-02", "2026-11-04",
                 [("2026-11-02", "day", "zhangwei")], name="2026-11-02_2026-11-04")
    clock.set("2026-11-05T12:00:00+08:00")
    report = json.loads(cli("report", "weekly", "--week", "2026-W45", "-f", "json").stdout)
    assert report["coverage"]["days_without_roster"] == ["2026-11-05"]
    clock.set("2026-11-10T12:00:00+08:00")  # the week over: every day it lacks
    report = json.loads(cli("report", "weekly", "--week", "2026-W45", "-f", "json").stdout)
    assert report["coverage"]["days_without_roster"] == [
        "2026-11-05", "2026-11-06", "2026-11-07", "2026-11-08"]


def test_the_calls_about_an_emergency_are_linked_to_it_and_counted_once(cli, workspace, clock):
    """Only the first call could be tied to an emergency (`emergency open --from-call`): the
    report said 来电 3 and 突发事件 1 with nothing joining them, and the next caller's hint
    proposed opening a second emergency at the same building."""
    clock.set("2026-10-12T09:00:00+08:00")

    def call(room: str, summary: str, at: str) -> str:
        done = cli("log", "call", "--name", "王芳", "--room", room, "--phone", "13800005001",
                   "--category", "emergency", "--summary", summary, "--staff", "chenjing",
                   "--at", at)
        assert done.exit_code == 0, done.stderr
        return done.stdout.split()[0], done.stderr

    first, _ = call("5-1-201", "5号楼地下车库进水，停水了", "2026-10-12 01:40")
    opened = cli("emergency", "open", "--type", "water-outage", "--where", "5号楼",
                 "--from-call", first, "--staff", "chenjing", "--at", "2026-10-12 01:42")
    assert opened.exit_code == 0, opened.stderr
    emergency = opened.stdout.split()[0]
    second, hint = call("5-2-601", "家里停电了，卫生间冒水", "2026-10-12 01:58")
    said = cli("--lang", "zh_CN", "log", "call", "--name", "周建国", "--room", "5-1-601",
               "--phone", "13300005008", "--category", "emergency", "--summary", "也停电了",
               "--staff", "chenjing", "--at", "2026-10-12 02:00")
    assert f"来电人所在楼有处置中的突发事件 {emergency[:12]}（停水，5号楼）：如果是为这件事来电，请关联：" \
        f"dutyctl 关联 {said.stdout.split()[0][:12]} {emergency[:12]}" in said.stderr, said.stderr
    assert "if it is an emergency, open its procedure" not in hint and "link them" in hint
    linked = cli("link", second, emergency, "--note", "同一起爆管", "--staff", "chenjing",
                 "--at", "2026-10-12 02:05")
    assert linked.exit_code == 0, linked.stderr
    again = cli("link", emergency, second, "--staff", "chenjing", "--at", "2026-10-12 02:06")
    assert again.exit_code == 2 and "linked already" in again.stderr
    assert cli("link", second, second, "--staff", "chenjing").exit_code == 2
    shown = json.loads(cli("show", emergency, "-f", "json").stdout)
    assert {row["id"] for row in shown["linked"]} >= {first, second}, shown["linked"]
    assert emergency in {row["id"] for row in json.loads(
        cli("show", second, "-f", "json").stdout)["linked"]}
    report = json.loads(cli("report", "daily", "--date", "2026-10-12", "-f", "json").stdout)
    (item,) = report["emergencies"]["items"]
    assert item["calls"] == 2, item
    text = cli("--lang", "zh_CN", "report", "daily", "--date", "2026-10-12").stdout
    section = text.split("突发事件\n--------\n", 1)[1]
    assert re.search(r"记录步骤\s+来电", section) and re.search(r"\s0\s+2\s", section), section


def test_an_entrapment_opened_says_to_file_the_repair_whose_arrival_is_timed(cli, workspace,
                                                                            clock):
    """An emergency has no time limit of its own: the 30 minutes to reach a trapped lift ran
    nowhere, and nothing said a 急修 repair was needed. A water outage (紧急, two hours) is
    not told so."""
    clock.set("2026-10-12T09:00:00+08:00")
    trapped = cli("--lang", "zh_CN", "emergency", "open", "--type", "elevator-entrapment",
                  "--where", "5号楼1单元电梯", "--staff", "chenjing", "--at", "2026-10-12 03:00")
    assert trapped.exit_code == 0, trapped.stderr
    assert "急修有自己的到场时限（30分钟）：请同时登记报修：dutyctl 报修 登记 --房号 " \
           "5号楼1单元电梯 --内容 电梯困人" in trapped.stderr.replace("'", ""), trapped.stderr
    outage = cli("emergency", "open", "--type", "water-outage", "--where", "3号楼",
                 "--staff", "chenjing", "--at", "2026-10-12 03:10")
    assert outage.exit_code == 0 and "on-site time limit" not in outage.stderr


def test_an_entrapment_from_a_call_filed_as_a_repair_is_not_told_to_file_it_again(
        cli, workspace, clock):
    """The call was filed as the 急修 repair (--file-ticket) and the emergency opened from
    it: the advice to file the repair too registered the job twice. Without such a call it
    says what the emergency says happened, not its type's name alone."""
    clock.set("2026-10-12T09:00:00+08:00")
    called = cli("log", "call", "--name", "李四", "--room", "7-2-1101", "--phone",
                 "13811112222", "--category", "repair", "--summary", "电梯停了，两人困在里面",
                 "--file-ticket", "--staff", "chenjing", "--at", "2026-10-12 03:00")
    assert called.exit_code == 0, called.stderr
    call = called.stdout.split()[0]
    opened = cli("emergency", "open", "--type", "elevator-entrapment", "--where",
                 "7号楼2单元电梯", "--from-call", call, "--staff", "chenjing", "--at",
                 "2026-10-12 03:02")
    assert opened.exit_code == 0, opened.stderr
    assert "file the repair too" not in opened.stderr, opened.stderr
    alone = cli("emergency", "open", "--type", "elevator-entrapment", "--where", "5号楼电梯",
                "--content", "两人困在轿厢里，家属电话13911112222", "--staff", "chenjing",
                "--at", "2026-10-12 03:10")
    assert "file the repair too: dutyctl repair file --room 5号楼电梯 --content " \
           "两人困在轿厢里，家属电话139****2222" in alone.stderr.replace("'", ""), alone.stderr
    # a site that shows numbers whole: the command to copy keeps it whole (filed masked, the
    # repair would have no number to call)
    text = workspace.config_path.read_text(encoding="utf-8")
    assert "mask_phone: true" in text
    workspace.config_path.write_text(text.replace("mask_phone: true", "mask_phone: false"),
                                     encoding="utf-8")
    whole = cli("emergency", "open", "--type", "elevator-entrapment", "--where", "6号楼电梯",
                "--content", "困人，家属电话13911112222", "--staff", "chenjing",
                "--at", "2026-10-12 03:20")
    assert "--content 困人，家属电话13911112222" in whole.stderr.replace("'", ""), whole.stderr
