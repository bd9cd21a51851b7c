"""A deadline typed as a length (`--回电期限 2小时内`, `报修 预计 3天内`): bounded, and a length
said without 内/后 or in working days is refused with what to write instead."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from dutyctl.errors import InputError
from dutyctl.timeutil import FAR_AHEAD_DAYS, parse_deadline

from tests.helpers_desk import record_files

ZH = {"DUTYCTL_LANG": "zh_CN"}
CALL = ("来电", "--姓名", "赵六", "--房号", "2-1-302", "--电话", "13700002222", "--摘要",
        "问快递柜位置", "--时间", "2026-10-12 16:50", "--操作人", "陈静")


def deadline(workspace, typed: str) -> datetime:
    tz = workspace.config.tz
    return parse_deadline(typed, tz, datetime(2026, 10, 12, 16, 50, tzinfo=tz), time(17, 30))


@pytest.mark.parametrize("typed", ["100000天内", "3000000天内", "1" + "0" * 20 + "天内",
                                   f"{FAR_AHEAD_DAYS + 1}天后"])
def test_a_length_beyond_any_deadline_is_refused(workspace, typed):
    """100000天内 was taken as a deadline in the year 2300; 3000000天内 overflowed the
    calendar (an unexpected error)."""
    with pytest.raises(InputError, match=f"{FAR_AHEAD_DAYS} days ahead"):
        deadline(workspace, typed)
    assert deadline(workspace, f"{FAR_AHEAD_DAYS}天内").year == 2027  # the longest is kept


@pytest.mark.parametrize("option", ["--回电期限", "--预计"])
def test_a_far_length_is_one_line_in_chinese_and_nothing_written(cli, workspace, option):
    if option == "--预计":
        repair = cli("报修", "登记", "--姓名", "周阿姨", "--房号", "2-1-302", "--电话",
                     "13322223333", "--内容", "水龙头滴水", "--操作人", "陈静", "--时间",
                     "2026-10-12 16:00", env=ZH)
        assert repair.exit_code == 0, repair.stderr
        command = ("报修", "预计", repair.stdout.split()[0], "--时间", "2026-10-12 16:50",
                   "--操作人", "陈静")
    else:
        command = CALL
    files = record_files(workspace.root)
    for typed in ("3000000天内", "100000天内"):
        refused = cli(*command, option, typed, env=ZH)
        assert refused.exit_code == 2, refused.stdout + refused.stderr
        assert f"“{typed}” 超过 {FAR_AHEAD_DAYS} 天" in refused.stderr, refused.stderr
        assert "意外错误" not in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert record_files(workspace.root) == files


def test_a_bare_length_is_refused_with_what_to_write(cli, workspace):
    """`--回电期限 2小时` was 无法识别时间 while 2小时内 was taken: the refusal says to add 内."""
    with pytest.raises(InputError, match="'2小时' is a length, not a deadline: write 2小时内"):
        deadline(workspace, "2小时")
    files = record_files(workspace.root)
    refused = cli(*CALL, "--回电期限", "2小时", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert "“2小时” 是一段时长，不是期限：请写 2小时内" in refused.stderr, refused.stderr
    assert record_files(workspace.root) == files
    with pytest.raises(InputError, match="cannot read the time"):
        deadline(workspace, "明天后")  # not a length: the usual refusal


def test_a_working_day_length_says_to_write_the_day(workspace):
    with pytest.raises(InputError, match="working days needs its day written"):
        deadline(workspace, "1个工作日内")



@pytest.mark.parametrize("typed", ["99999999999天", "1" + "0" * 20 + "分钟"])
def test_a_window_no_clock_holds_is_refused_as_no_length(cli, workspace, typed):
    """`列表 --将到期 99999999999天` ended in 意外错误（OverflowError…）."""
    refused = cli("列表", "--将到期", typed, env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert "意外错误" not in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert f"--将到期 {typed}：应为时长" in refused.stderr, refused.stderr


@pytest.mark.parametrize("typed", ["2小时内", "2小时以内", "２小时之内"])
def test_a_window_said_with_its_within_is_the_window(cli, workspace, clock, typed):
    """`列表 --将到期 2小时内`, as a clerk says it, was refused ("应为时长"): the same as 2小时,
    the callback due in an hour listed, the one due in six not."""
    import json

    clock.set("2026-10-12T12:00:00+08:00")
    soon, later = (cli("log", "call", "--name", "赵六", "--room", "2-1-302", "--phone",
                       "13700002222", "--summary", "问进度", "--callback-by", due,
                       "--at", "2026-10-12 11:00").stdout.split()[0]
                   for due in ("2026-10-12 13:00", "2026-10-12 18:00"))
    said = cli("列表", "--将到期", typed, "-f", "json", env=ZH)
    assert said.exit_code == 0, said.stderr
    assert [row["id"] for row in json.loads(said.stdout)] == [soon]
    wide = json.loads(cli("列表", "--将到期", "10小时内", "-f", "json", env=ZH).stdout)
    assert sorted(row["id"] for row in wide) == sorted([soon, later])
