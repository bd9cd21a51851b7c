"""Deadlines in the desk's words that read two ways or not at all (明天前, 前天前, 3天前,
上午下班前), 明天 typed in the small hours, and tomorrow's words for a passed part of the day
in `报修 预计` as in `来电`: each as a clerk meets it."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from dutyctl.errors import InputError
from dutyctl.timeutil import parse_deadline

from tests.helpers_desk import ok, printed_ids, record_files

ZH = {"DUTYCTL_LANG": "zh_CN"}
STAFF = ("--操作人", "陈静")
CALL = ("来电", "--姓名", "赵六", "--房号", "2-1-302", "--电话", "13700002222", "--摘要",
        "问快递柜位置", *STAFF)
NINE_AM = (2026, 10, 12, 9, 0)  # a Monday


def deadline(workspace, typed: str, at=NINE_AM) -> datetime:
    tz = workspace.config.tz
    return parse_deadline(typed, tz, datetime(*at, tzinfo=tz), time(17, 30))


@pytest.mark.parametrize("typed,said", [
    ("明天前", "'明天前' reads two ways, by the end of today or by the end of tomorrow: write "
              "今天下班前 (17:30 today) or 明天下班前 (17:30 tomorrow), or the time"),
    ("后天之前", "by the end of tomorrow or by the end of the day after tomorrow"),
    ("前天前", "'前天前' is already past: a deadline lies ahead; write 今天下班前 (17:30 today)"),
    ("昨天以前", "'昨天以前' is already past"), ("今天前", "'今天前' is already past"),
    ("3天前", "'3天前' means 3天 ago, not a deadline: for 3天 from the moment recorded write "
             "3天内"),
])
def test_a_day_before_that_reads_two_ways_or_lies_past_is_refused(workspace, typed, said):
    """明天前 was tomorrow 17:30 (before tomorrow: today's end?); 前天前 was read as 前天;
    3天前 (three days ago) was told it is a length."""
    with pytest.raises(InputError) as refused:
        deadline(workspace, typed)
    assert said in str(refused.value)


@pytest.mark.parametrize("typed,expected", [
    ("上午下班前", "2026-10-12 12:00"), ("明天上午下班前", "2026-10-13 12:00"),
    ("下午下班前", "2026-10-12 17:30"), ("周五之前", "2026-10-16 17:30"),
    ("明天下班前", "2026-10-13 17:30"), ("明天上午10点前", "2026-10-13 10:00"),
])
def test_the_mornings_off_work_is_noon_and_a_named_day_before_its_end(workspace, typed,
                                                                     expected):
    """上午下班前 was refused; a weekday with 前 stays that day's end of business hours."""
    tz = workspace.config.tz
    assert deadline(workspace, typed) == datetime.fromisoformat(expected).replace(tzinfo=tz)


def test_tomorrow_before_is_one_chinese_line_and_nothing_written(cli, workspace):
    files = record_files(workspace.root)
    refused = cli(*CALL, "--回电期限", "明天前", "--时间", "2026-10-12 09:00", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert refused.stderr.strip() == (
        "“明天前”有两种理解：今天之内，或到明天为止：请写 今天下班前（今天 17:30）或 "
        "明天下班前（明天 17:30），或写具体时间")
    assert record_files(workspace.root) == files


@pytest.mark.parametrize("typed,due,other", [
    ("明天", "2026-10-13 17:30", "10月12日"), ("明天下班前", "2026-10-13 17:30", "10月12日下班前"),
])
def test_tomorrow_alone_typed_in_the_small_hours_says_how_to_write_the_day_after_this_night(
        cli, workspace, typed, due, other):
    """明早 at 02:00 had its note; 明天 and 明天下班前 (the calendar's tomorrow too) had none."""
    made = ok(cli(*CALL, "--回电期限", typed, "--时间", "2026-10-12 02:00", env=ZH))
    call = workspace.store.get(printed_ids(made.stdout)[0])
    assert call.get("callback_by") == due.replace(" ", "T") + ":00+08:00"
    assert (f"“{typed}”写于 2026-10-12 02:00（凌晨），按日历上的明天算，即 {due}；"
            f"如果指的是这一夜过后的白天，请写 \"{other}\"") in made.stderr
    meant = ok(cli(*CALL, "--回电期限", other, "--时间", "2026-10-12 02:01", env=ZH))
    assert workspace.store.get(printed_ids(meant.stdout)[0]).get("callback_by") \
        == "2026-10-12T17:30:00+08:00"
    day = ok(cli(*CALL, "--回电期限", typed, "--时间", "2026-10-12 06:00", env=ZH))
    assert "凌晨" not in day.stderr


@pytest.mark.parametrize("typed,tomorrow", [("上午", "明天上午"), ("8:00", "明天 08:00"),
                                            ("上午下班前", "明天上午下班前"),
                                            ("下班前", "明天下班前"), ("今天下班前", "明天下班前")])
def test_a_repair_eta_of_a_part_of_the_day_gone_by_says_how_to_write_tomorrows(
        cli, workspace, typed, tomorrow):
    """`来电 --回电期限 上午` at 23:00 said to write 明天上午; `报修 预计` only refused (下班前:
    it said no tomorrow's words either)."""
    repair = ok(cli("报修", "登记", "--姓名", "周阿姨", "--房号", "2-1-302", "--电话",
                    "13322223333", "--内容", "水龙头滴水", *STAFF, "--时间", "2026-10-12 22:00",
                    env=ZH))
    command = ("报修", "预计", printed_ids(repair.stdout)[0], *STAFF, "--时间",
               "2026-10-12 23:00")
    files = record_files(workspace.root)
    refused = cli(*command, "--预计", typed, env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert f'不晚于告知住户的时间（2026-10-12 23:00）：如果是明天，请写 --预计 "{tomorrow}"' \
        in refused.stderr, refused.stderr
    assert record_files(workspace.root) == files
    ok(cli(*command, "--预计", tomorrow, env=ZH))
