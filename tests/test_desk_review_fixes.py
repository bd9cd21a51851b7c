"""A reviewer's findings on the desk's leftovers (names without a staff list, the next handover
to accept for someone else, deadlines said by a part of the day), each as a clerk meets it."""

from __future__ import annotations

import json

import shlex
from datetime import datetime, time

import pytest

from dutyctl import timeutil
from dutyctl.errors import InputError
from tests.helpers_desk import ok, printed_ids, record_files, write_roster, write_desk_rules

ZH = {"DUTYCTL_LANG": "zh_CN"}
TZ = timeutil.zone("Asia/Shanghai")
ROSTER = [("2026-10-05", "day", "zhangwei"), ("2026-10-05", "night", "lina"),
          ("2026-10-06", "day", "sunli"), ("2026-10-06", "day", "wangqiang", "technician"),
          ("2026-10-06", "night", "zhangwei")]


@pytest.fixture
def site(workspace):
    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2026-10-01", "2026-10-31", ROSTER)
    return workspace


# -- 1. a list of people without a staff list: a spaced name is never split by a guess ----------

def test_without_rules_a_compound_surname_typed_with_a_space_is_one_recipient(cli, no_rules):
    made = ok(cli("交接班", "--接班人", "欧阳 娜娜", "--操作人", "赵磊",
                  "--时间", "2026-10-05 19:40", env=ZH))
    assert list(no_rules.store.get(printed_ids(made.stdout)[0]).get("to")) == ["欧阳娜娜"]
    files = record_files(no_rules.root)
    for typed in ("Zhang Wei", "赵 磊 刘洋", "lina wangqiang"):
        refused = cli("交接班", "--接班人", typed, "--操作人", "赵磊",
                      "--时间", "2026-10-05 19:42", env=ZH)
        assert refused.exit_code == 2, refused.stdout + refused.stderr
        assert f"“{typed}”是一个人还是几个人？" in refused.stderr
        assert "几个人请用“、”隔开" in refused.stderr
    assert record_files(no_rules.root) == files
    two = ok(cli("交接班", "--接班人", "赵磊 刘洋", "--操作人", "孙丽",
                 "--时间", "2026-10-05 19:43", env=ZH))  # two full names: two people
    assert list(no_rules.store.get(printed_ids(two.stdout)[0]).get("to")) == ["赵磊", "刘洋"]


# -- 2. one person without a staff list: 李 小明 is 李小明, from --操作人 or DUTYCTL_USER ------------

@pytest.mark.parametrize("typed,recorded", [("李 小明", "李小明"), ("欧阳 娜娜", "欧阳娜娜"),
                                            ("孙 丽", "孙丽")])
def test_without_rules_one_person_typed_with_a_space_is_that_person(cli, no_rules, typed,
                                                                    recorded):
    by_option = ok(cli("记事", "水泵房巡查正常", "--操作人", typed,
                       "--时间", "2026-10-05 10:00", env=ZH))
    assert no_rules.store.get(printed_ids(by_option.stdout)[0]).recorded_by == recorded
    by_env = ok(cli("记事", "电梯正常", "--时间", "2026-10-05 10:01",
                    env={**ZH, "DUTYCTL_USER": typed}))
    assert no_rules.store.get(printed_ids(by_env.stdout)[0]).recorded_by == recorded


@pytest.mark.parametrize("typed", ["刘䶮 王芳", "买买提·艾力 刘洋", "Zhang 伟", "赵磊，刘洋", "赵磊、刘洋"])
def test_without_rules_two_people_are_never_recorded_as_one(cli, no_rules, typed):
    """Han characters beyond the unified block (䶮), a middle dot, Chinese beside letters, a
    list: no one person's name, refused, not kept as typed; the refusal asks for one name."""
    files = record_files(no_rules.root)
    refused = cli("记事", "水泵房巡查正常", "--操作人", typed, "--时间", "2026-10-05 10:00", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert "这里只写一个人的姓名" in refused.stderr and "隔开" not in refused.stderr
    assert record_files(no_rules.root) == files


@pytest.mark.parametrize("typed,recorded", [("刘 䶮", "刘䶮"), ("买买提·艾力", "买买提·艾力")])
def test_without_rules_rarer_chinese_names_are_one_person(cli, no_rules, typed, recorded):
    made = ok(cli("记事", "水泵房巡查正常", "--操作人", typed, "--时间", "2026-10-05 10:00", env=ZH))
    assert no_rules.store.get(printed_ids(made.stdout)[0]).recorded_by == recorded


def test_the_clock_in_a_spaced_name_is_told_runs_as_shown(cli, no_rules):
    """Accepted for someone not clocked in: the `签到 --操作人 "欧阳 娜娜"` line is one the
    shell reads as one name."""
    handover = printed_ids(ok(cli("交接班", "--操作人", "孙丽", "--接班人", "王强",
                                  "--时间", "2026-10-06 07:40", env=ZH)).stdout)[0]
    accepted = ok(cli("接班", handover[:12], "--代签", "王强", "--操作人", "欧阳 娜娜",
                      "--时间", "2026-10-06 07:45", env=ZH))
    said = next(line for line in accepted.stderr.splitlines() if "dutyctl 签到" in line)
    shown = shlex.split(said[said.index("dutyctl 签到") + len("dutyctl "):])
    assert shown == ["签到", "--操作人", "欧阳 娜娜"], accepted.stderr


def test_a_refused_name_from_dutyctl_user_says_where_it_came_from(cli, no_rules):
    files = record_files(no_rules.root)
    refused = cli("记事", "电梯正常", "--时间", "2026-10-05 10:01",
                  env={**ZH, "DUTYCTL_USER": "赵磊 刘洋"})
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert "“赵磊 刘洋”不是一个人的姓名" in refused.stderr
    assert "这个姓名来自 DUTYCTL_USER" in refused.stderr
    clocking = cli("签到", "--时间", "2026-10-05 08:00", env={**ZH, "DUTYCTL_USER": "赵磊 刘洋"})
    assert clocking.exit_code == 2 and "这个姓名来自 DUTYCTL_USER" in clocking.stderr
    typed = cli("记事", "电梯正常", "--操作人", "赵磊 刘洋", "--时间", "2026-10-05 10:01",
                env={**ZH, "DUTYCTL_USER": "孙丽"})
    assert typed.exit_code == 2 and "DUTYCTL_USER" not in typed.stderr
    assert record_files(no_rules.root) == files


# -- 3. the next handover to accept for someone else: the line shown is the one to type ----------

def _suggested(stderr: str) -> list[str]:
    """The command line a message ends with (`dutyctl 接班 ID --代签 王强 --操作人 孙丽`)."""
    line = next(line for line in stderr.splitlines() if "dutyctl 接班" in line)
    return shlex.split(line[line.index("dutyctl 接班") + len("dutyctl "):])


def test_the_next_handover_to_accept_for_someone_else_keeps_who_and_for_whom(cli, site,
                                                                              clock):
    clock.set("2026-10-06T08:00:00+08:00")
    first = printed_ids(ok(cli("交接班", "--操作人", "李娜", "--时间", "2026-10-06 07:40")).stdout)[0]
    ok(cli("接班", "--操作人", "孙丽", "--时间", "2026-10-06 07:45"))
    second = printed_ids(ok(cli("交接班", "--操作人", "李娜", "--备注", "3号楼电梯异响",
                                "--时间", "2026-10-06 07:50")).stdout)[0]
    asked = cli("接班", "--操作人", "孙丽", "--代签", "王强", "--时间", "2026-10-06 07:55", env=ZH)
    assert asked.exit_code == 2, asked.stdout + asked.stderr
    line = _suggested(asked.stderr)
    assert line == ["接班", first[:12], "--代签", "王强", "--操作人", "孙丽"], asked.stderr
    accepted = ok(cli(*line, "--时间", "2026-10-06 07:56", env=ZH))
    assert "还有 1 份交接等待 王强 接班" in accepted.stderr
    line = _suggested(accepted.stderr.split("还有 1 份", 1)[1])
    assert line == ["接班", second[:12], "--代签", "王强", "--操作人", "孙丽"], accepted.stderr
    last = ok(cli(*line, "--时间", "2026-10-06 07:57", env=ZH))
    assert "还有" not in last.stderr
    waiting = ok(cli("交接班", "待接班", "--接班人", "王强", "-f", "json", env=ZH))
    assert json.loads(waiting.stdout) == [], waiting.stdout


# -- 4, 5. 中午前 is by noon; 下午下班前 the end of business hours -------------------------------

FRIDAY_9AM = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)


@pytest.mark.parametrize("typed,expected", [
    ("中午前", "2026-11-20 12:00"), ("明天中午之前", "2026-11-21 12:00"),
    ("下午前", "2026-11-20 12:00"), ("傍晚前", "2026-11-20 18:00"),
    ("今晚前", "2026-11-20 18:00"), ("明天晚上以前", "2026-11-21 18:00"),
    ("下午下班前", "2026-11-20 17:30"), ("明天下午下班前", "2026-11-21 17:30"),
    ("明天中午", "2026-11-21 14:00"), ("明天下午", "2026-11-21 18:00"),
])
def test_before_a_part_of_the_day_is_its_start_and_its_off_work_the_days_end(typed, expected):
    due = timeutil.parse_deadline(typed, TZ, FRIDAY_9AM, time(17, 30))
    assert due == datetime.fromisoformat(expected).replace(tzinfo=TZ)


@pytest.mark.parametrize("typed,said", [
    ("上午前", "'上午前': before 上午 is no time to keep a promise by: write the time, like "
               "上午10点前 (or 上午 alone: by 12:00)"),
    ("明天早上前", "like 明天早上10点前 (or 明天早上 alone: by 09:00)"),
    ("今晚下班前", "'今晚下班前': 下班 is the end of business hours (17:30), not a time of 晚上: "
                  "write 今天下班前 for 17:30, or the time, like 今晚8点前"),
    ("10点以前以前", "cannot read the time '10点以前以前'"),
])
def test_a_deadline_with_no_clear_time_is_refused_as_typed(typed, said):
    with pytest.raises(InputError) as refused:
        timeutil.parse_deadline(typed, TZ, FRIDAY_9AM, time(17, 30))
    assert said in str(refused.value)


# -- 6. a part of the day already passed: the refusal says how to write tomorrow's --------------

CALL = ("来电", "--姓名", "王先生", "--电话", "13812345678", "--房号", "3-2-501",
        "--内容", "问物业费怎么交")


@pytest.mark.parametrize("typed,tomorrow", [("今晚", "明天晚上"), ("凌晨", "明天凌晨"),
                                            ("上午", "明天上午"), ("早上", "明天早上"),
                                            ("中午前", "明天中午前")])
def test_a_part_of_the_day_gone_by_says_how_to_write_tomorrows(cli, site, typed, tomorrow):
    files = record_files(site.root)
    refused = cli(*CALL, "--回电期限", typed, "--时间", "2026-10-05 23:00", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert f'不晚于来电时间（2026-10-05 23:00）：如果是明天，请写 --回电期限 "{tomorrow}"' \
        in refused.stderr
    assert record_files(site.root) == files
    made = ok(cli(*CALL, "--回电期限", tomorrow, "--时间", "2026-10-05 23:00", env=ZH))
    assert "须在 2026-10-06 " in made.stderr


# -- 7. 明早 typed in the small hours: the calendar's tomorrow, and how to write this morning --

def test_tomorrow_morning_typed_in_the_small_hours_says_how_to_write_this_morning(cli, site):
    made = ok(cli(*CALL, "--回电期限", "明早", "--时间", "2026-10-06 02:00", env=ZH))
    call = site.store.get(printed_ids(made.stdout)[0])
    assert call.get("callback_by") == "2026-10-07T09:00:00+08:00"
    assert ("“明早”写于 2026-10-06 02:00（凌晨），按日历上的明天算，即 2026-10-07 09:00；"
            "如果指的是这一夜过后的早上，请写 \"10月6日早上\"") in made.stderr
    this_morning = ok(cli(*CALL, "--回电期限", "10月6日早上", "--时间", "2026-10-06 02:01", env=ZH))
    assert site.store.get(printed_ids(this_morning.stdout)[0]).get("callback_by") \
        == "2026-10-06T09:00:00+08:00"
    day = ok(cli(*CALL, "--回电期限", "明早", "--时间", "2026-10-06 06:00", env=ZH))
    assert site.store.get(printed_ids(day.stdout)[0]).get("callback_by") \
        == "2026-10-07T09:00:00+08:00" and "凌晨" not in day.stderr


def test_tomorrow_is_one_day_whatever_part_of_it_is_said(cli, site):
    """明天8点 and 明天早上8点 are one day, both said with the note; 明天凌晨3点 at 03:30 is
    tomorrow's, not refused, and no note offers this night's 03:00, already past."""
    due, noted = {}, {}
    for typed in ("明天8点", "明天早上8点", "明天凌晨3点"):
        made = ok(cli(*CALL, "--回电期限", typed, "--时间", "2026-10-06 03:30", env=ZH))
        due[typed] = site.store.get(printed_ids(made.stdout)[0]).get("callback_by")
        noted[typed] = "这一夜过后" in made.stderr
    assert due == {"明天8点": "2026-10-07T08:00:00+08:00", "明天早上8点": "2026-10-07T08:00:00+08:00",
                   "明天凌晨3点": "2026-10-07T03:00:00+08:00"}
    assert noted == {"明天8点": True, "明天早上8点": True, "明天凌晨3点": False}


# -- 8. help by its English word after a command; --截至 with a part of the day ------------------

def test_help_after_a_command_in_english_is_its_help(cli, site):
    files = record_files(site.root)
    shown = ok(cli("来电", "help", env=ZH))
    assert "来电 [选项]" in shown.stdout.splitlines()[0], shown.stdout
    assert record_files(site.root) == files


def test_as_of_a_part_of_the_day_asks_for_the_time(cli, site):
    refused = cli("列表", "--截至", "昨天下午", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert "“昨天下午”只说了哪个时段，没有几点：请把几点也写上，例如 昨天下午3点" in refused.stderr
