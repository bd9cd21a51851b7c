"""A ticket's urgency class changed while it is open (`repair reclassify`, 报修 改级): a leak
filed 紧急 at night that became a unit's water cut. Its limits count anew under the new class
from the change; one met before stays met; every view takes the class it has now."""

from __future__ import annotations

import json

import pytest

ZH = {"DUTYCTL_LANG": "zh_CN"}


@pytest.fixture
def night(cli, workspace, clock):
    clock.set("2026-10-12T09:00:00+08:00")
    filed = cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                "13900001111", "--content", "卫生间天花板漏水", "--at", "2026-10-12 02:00")
    assert filed.exit_code == 0, filed.stderr
    return filed


def deadlines(cli, record_id: str, *as_of: str) -> dict:
    shown = json.loads(cli("show", record_id, "-f", "json", *as_of).stdout)
    return {row["deadline"]: row["due"] for row in shown["deadlines"]}


def test_the_new_class_counts_from_the_change_and_what_was_met_stays_met(cli, night):
    record_id = night.stdout.strip()
    # filed from its words: the line names the step that changes it, as it can be typed
    assert f"(to change it: dutyctl repair reclassify {record_id[:12]} --urgency CLASS " \
           "--reason ...)" in night.stderr
    before = deadlines(cli, record_id)
    assert before["arrive"].startswith("2026-10-12T04:00")  # 紧急: within 2 hours
    assert cli("repair", "dispatch", record_id, "--to", "wangqiang", "--at",
               "2026-10-12 02:10").exit_code == 0
    raised = cli("repair", "reclassify", record_id, "--urgency", "急修", "--reason",
                 "整单元停水", "--at", "2026-10-12 03:00")
    assert raised.exit_code == 0, raised.stderr
    assert raised.stdout.strip() == (f"{record_id[:12]} is 急修 now (was 紧急): its time "
                                     "limits count from 2026-10-12 03:00")
    shown = json.loads(cli("show", record_id, "-f", "json").stdout)
    assert shown["status"] == "dispatched"  # a change of class moves no status
    rows = {row["deadline"]: row for row in shown["deadlines"]}
    assert rows["arrive"]["due"].startswith("2026-10-12T03:30")  # 急修: 30 minutes
    assert rows["respond"]["met_at"].startswith("2026-10-12T02:10")  # met before: stays met
    # as it stood before the change: the class then, its limits from the filing
    assert deadlines(cli, record_id, "--as-of", "2026-10-12 02:30")["arrive"].startswith(
        "2026-10-12T04:00")
    assert shown["urgency"] == "emergency"  # the class now, as the status is
    assert [(step["action"], step.get("urgency"), step.get("from")) for step in
            shown["history"]][-1] == ("reclassify", "emergency", "urgent")
    said = cli("show", record_id, env=ZH).stdout
    assert "改级" in said and "整单元停水（现为：急修；原为：紧急）" in said, said


def test_a_change_to_the_class_it_has_or_of_a_closed_ticket_is_refused(cli, night):
    record_id = night.stdout.strip()
    same = cli("repair", "reclassify", record_id, "--urgency", "urgent", "--reason", "x",
               "--at", "2026-10-12 03:00")
    assert same.exit_code == 2
    assert same.stderr.strip() == f"repair {record_id[:12]} is 紧急 already; nothing written"
    unknown = cli("repair", "reclassify", record_id, "--urgency", "十万火急", "--reason", "x",
                  "--at", "2026-10-12 03:00")
    assert unknown.exit_code == 2 and "急修" in unknown.stderr
    assert cli("repair", "close", record_id, "--as", "withdrawn", "--reason", "住户自己修好",
               "--at", "2026-10-12 03:05").exit_code == 0
    closed = cli("repair", "reclassify", record_id, "--urgency", "emergency", "--reason", "x",
                 "--at", "2026-10-12 03:10")
    assert closed.exit_code == 2
    assert len(json.loads(cli("show", record_id, "-f", "json").stdout)["history"]) == 1


def test_a_complaint_is_lowered_in_chinese_and_its_report_counts_the_class_now(cli, workspace,
                                                                             clock):
    clock.set("2026-10-12T18:00:00+08:00")
    filed = cli("投诉", "登记", "--姓名", "王五", "--房号", "2-1-301", "--电话", "13800000002",
                "--类别", "噪音", "--内容", "楼上装修噪音", "--紧急程度", "紧急", "--时间",
                "2026-10-12 09:00", env=ZH)
    assert filed.exit_code == 0, filed.stderr
    record_id = filed.stdout.strip()
    lowered = cli("投诉", "降级", record_id, "--紧急程度", "一般", "--原因", "装修已停",
                  "--时间", "2026-10-12 10:00", env=ZH)
    assert lowered.exit_code == 0, lowered.stderr
    assert lowered.stdout.strip() == (f"{record_id[:12]} 现为一般（原为紧急）：时限从 "
                                      "2026-10-12 10:00 起按新的紧急程度重新计算")
    report = json.loads(cli("report", "daily", "--date", "2026-10-12", "-f", "json").stdout)
    assert report["complaints"]["by_urgency"] == {"general": 1}


def test_a_step_now_on_a_record_another_desk_dated_minutes_ahead_is_taken(cli, workspace,
                                                                          clock):
    """Two desks' clocks 8 minutes apart: the one behind could not dispatch an emergency
    repair the other filed ("an event cannot come before it"), and `--at` the filing time was
    refused as ahead of its own clock. A step taken now is recorded at the record's time,
    with a line to set the clock right; a record dated further ahead is still refused."""
    clock.set("2026-10-12T09:08:00+08:00")  # the desk that filed it
    filed = cli("repair", "file", "--name", "孙三", "--room", "1-2-301", "--phone",
                "13811110001", "--content", "跳闸停电", "--urgency", "emergency")
    assert filed.exit_code == 0, filed.stderr
    record_id = filed.stdout.strip()
    clock.set("2026-10-12T09:00:00+08:00")  # this desk, 8 minutes behind
    sent = cli("repair", "dispatch", record_id, "--to", "wangqiang")
    assert sent.exit_code == 0, sent.stderr
    assert f"this desk's clock is 8 minutes behind {record_id[:12]}'s latest entry " \
           "(2026-10-12 09:08, another desk's clock): the step is recorded at " \
           "2026-10-12 09:08; set this computer's clock right" in sent.stderr
    shown = json.loads(cli("show", record_id, "-f", "json").stdout)
    assert shown["history"][-1]["at"].startswith("2026-10-12T09:08")
    clock.set("2026-10-12T08:40:00+08:00")  # 28 minutes behind: no skew, a mistake
    refused = cli("repair", "arrive", record_id)
    # no time typed: the clock is what is wrong, not a step typed too early
    assert refused.exit_code == 2 and refused.stderr == (
        f"{record_id[:12]}'s latest entry is at 2026-10-12 09:08, 28 minutes after this "
        "computer's clock (2026-10-12 08:40): set this computer's clock right, or give the "
        "time with --at\n"), refused.stderr
    typed = cli("repair", "arrive", record_id, "--at", "2026-10-12 08:30")
    assert typed.exit_code == 2 and "cannot come before" in typed.stderr  # --at typed: as ever


def test_a_limit_met_late_before_a_change_stays_late(cli, workspace, clock):
    """An emergency repair reached 15 minutes late, lowered to urgent after: its respond and
    arrive limits were judged anew under the lower class from the change, and the report
    counted them on time. A limit met before a change is judged by the class then."""
    clock.set("2026-10-12T12:00:00+08:00")
    filed = cli("repair", "file", "--name", "物业", "--room", "3号楼电梯", "--phone",
                "13800000009", "--content", "配电箱冒烟", "--urgency", "emergency",
                "--at", "2026-10-12 06:10")
    record_id = filed.stdout.strip()
    for args in (("dispatch", record_id, "--to", "wangqiang", "--at", "2026-10-12 06:30"),
                 ("arrive", record_id, "--at", "2026-10-12 06:55"),
                 ("reclassify", record_id, "--urgency", "urgent", "--reason", "已断电排查",
                  "--at", "2026-10-12 07:00")):
        done = cli("repair", *args)
        assert done.exit_code == 0, done.stderr
    rows = {row["deadline"]: row for row in json.loads(
        cli("show", record_id, "-f", "json").stdout)["deadlines"]}
    assert rows["respond"]["due"].startswith("2026-10-12T06:25")  # 急修's, from the filing
    assert rows["arrive"]["state"] == "missed"
    report = json.loads(cli("report", "daily", "--date", "2026-10-12", "-f", "json").stdout)
    assert [item["limit"] for item in report["compliance"]["met_late"]] == ["arrive", "respond"]


def test_a_raised_class_never_gives_a_limit_more_time(cli, night):
    """紧急 filed at 02:00 (answer by 02:30), raised to 急修 at 02:20: counted anew it was to
    be answered by 02:35 and done 20 minutes later than before. A limit the new class allows
    no more time for stays due as it was; one it allows less time for is due sooner; a class
    lowered counts anew from the change."""
    record_id = night.stdout.strip()
    assert cli("repair", "reclassify", record_id, "--urgency", "急修", "--reason", "漏得厉害",
               "--at", "2026-10-12 02:20").exit_code == 0
    due = deadlines(cli, record_id)
    assert due["respond"].startswith("2026-10-12T02:30")  # not 02:35
    assert due["arrive"].startswith("2026-10-12T02:50")  # 30 minutes from the change
    assert due["complete"].startswith("2026-10-13T02:00")  # 24 h as before: not 02:20
    said = cli("show", record_id, env=ZH).stdout
    assert "紧急程度依据：漏水（登记时据此定为 紧急）" in said, said
    assert cli("repair", "reclassify", record_id, "--urgency", "紧急", "--reason", "已关阀",
               "--at", "2026-10-12 02:25").exit_code == 0
    lowered = deadlines(cli, record_id)
    assert lowered["respond"].startswith("2026-10-12T02:55")  # 30 minutes from the change
    assert lowered["arrive"].startswith("2026-10-12T04:25")


def test_a_missed_limit_stays_missed_and_is_late_by_the_new_class_s_clock(cli, workspace,
                                                                          clock):
    """A 一般 repair raised to 急修 at 10:50 (answer by 11:00) then lowered back at 11:10:
    `还剩 1小时59分` — the ten minutes missed were gone. And one raised from 一般 (business
    hours) to 紧急 (round the clock) was said 7小时05分 late at 18:00 for a 10:25 limit: the
    business hours of the class it had been."""
    clock.set("2026-12-04T18:00:00+08:00")
    filed = cli("repair", "file", "--name", "钱七", "--room", "3-2-501", "--phone",
                "13812345678", "--category", "water-electric", "--content", "门铃不响",
                "--urgency", "general", "--at", "2026-12-03 09:00")
    record_id = filed.stdout.strip()
    for urgency, at in (("急修", "2026-12-03 10:50"), ("一般", "2026-12-03 11:10")):
        assert cli("repair", "reclassify", record_id, "--urgency", urgency, "--reason", "x",
                   "--at", at).exit_code == 0
    shown = json.loads(cli("show", record_id, "-f", "json", "--as-of",
                           "2026-12-03 11:11").stdout)
    respond = next(row for row in shown["deadlines"] if row["deadline"] == "respond")
    assert respond["due"].startswith("2026-12-03T11:00") and respond["state"] == "overdue"

    late = cli("repair", "file", "--name", "钱七", "--room", "3-2-502", "--phone",
               "13812345679", "--category", "water-electric", "--content", "门铃不响",
               "--urgency", "general", "--at", "2026-12-03 17:25").stdout.strip()
    assert cli("repair", "reclassify", late, "--urgency", "紧急", "--reason", "x", "--at",
               "2026-12-04 10:00").exit_code == 0
    said = cli("show", late, "--as-of", "2026-12-04 18:00", env=ZH).stdout
    line = next(line for line in said.splitlines() if line.startswith("响应"))
    assert "已超时" in line and "7小时35分" in line, said
