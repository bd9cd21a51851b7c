"""The reviewer's findings on the desk's leftovers, each as a clerk meets it: refusals after
business hours that suggested a deadline already past, the small hours' note for every 明天
word, 下班前 after hours with tomorrow's words, names typed in full-width letters or with
another middle dot."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from dutyctl.errors import InputError
from dutyctl.timeutil import parse_deadline

from tests.helpers_desk import printed_ids, record_files

ZH = {"DUTYCTL_LANG": "zh_CN"}
STAFF = ("--操作人", "陈静")
CALL = ("来电", "--姓名", "赵六", "--房号", "2-1-302", "--电话", "13700002222", "--摘要",
        "问快递柜位置", *STAFF)
LATE = (2026, 10, 12, 23, 0)


def ok(result):
    assert result.exit_code == 0, result.stdout + result.stderr
    return result


@pytest.mark.parametrize("typed,said", [
    ("明天前", "'明天前' reads two ways, by the end of today (already past) or by the end of "
              "tomorrow: write 明天下班前 (17:30 tomorrow), or the time"),
    ("今天前", "'今天前' is already past: a deadline lies ahead; write 明天下班前 (17:30 "
              "tomorrow)"),
    ("前天前", "'前天前' is already past: a deadline lies ahead; write 明天下班前 (17:30 "
              "tomorrow)"),
])
def test_after_business_hours_a_day_before_never_suggests_todays_end(workspace, typed, said):
    """At 23:00 明天前, 今天前, 前天前 suggested 今天下班前 (today 17:30), already past."""
    tz = workspace.config.tz
    with pytest.raises(InputError) as refused:
        parse_deadline(typed, tz, datetime(*LATE, tzinfo=tz), time(17, 30))
    assert said in str(refused.value)
    assert "今天下班前" not in str(refused.value)


def test_after_business_hours_the_day_after_tomorrow_before_still_names_both(workspace):
    """后天前 at 23:00: tomorrow's end is ahead, both readings stay."""
    tz = workspace.config.tz
    with pytest.raises(InputError) as refused:
        parse_deadline("后天前", tz, datetime(*LATE, tzinfo=tz), time(17, 30))
    assert "write 明天下班前 (17:30 明天) or 后天下班前 (17:30 后天)" in str(refused.value)


def test_after_business_hours_tomorrow_before_is_one_chinese_line_and_nothing_written(
        cli, workspace):
    files = record_files(workspace.root)
    refused = cli(*CALL, "--回电期限", "明天前", "--时间", "2026-10-12 23:00", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert "今天下班前" not in refused.stderr and "明天下班前" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert record_files(workspace.root) == files


@pytest.mark.parametrize("typed,tomorrow", [("下班前", "明天下班前"), ("今天下班前", "明天下班前"),
                                            ("下午下班前", "明天下午下班前")])
def test_off_work_after_business_hours_says_how_to_write_tomorrows(cli, workspace, typed,
                                                                  tomorrow):
    """下班前 at 23:00 was refused with no hint while 下午下班前 had 明天下午下班前."""
    refused = cli(*CALL, "--回电期限", typed, "--时间", "2026-10-12 23:00", env=ZH)
    assert refused.exit_code == 2, refused.stdout + refused.stderr
    assert f"如果是明天，请写 --回电期限 \"{tomorrow}\"" in refused.stderr
    made = ok(cli(*CALL, "--回电期限", tomorrow, "--时间", "2026-10-12 23:00", env=ZH))
    assert workspace.store.get(printed_ids(made.stdout)[0]).get("callback_by") \
        == "2026-10-13T17:30:00+08:00"


@pytest.mark.parametrize("typed,due,other", [
    ("明天下午下班前", "2026-10-13 17:30", "10月12日下午下班前"),
    ("明天下午", "2026-10-13 18:00", "10月12日下午"),
    ("明天下午3点", "2026-10-13 15:00", "10月12日下午3点"),
    ("明天下班前", "2026-10-13 17:30", "10月12日下班前"),
])
def test_every_tomorrow_word_typed_in_the_small_hours_gets_the_note(cli, workspace, typed,
                                                                    due, other):
    """At 02:00 明天下班前 had the note, 明天下午下班前 and 明天下午 had none; the afternoon's is
    told as the day after this night (not its morning), and the words it gives are read as
    this day's."""
    made = ok(cli(*CALL, "--回电期限", typed, "--时间", "2026-10-12 02:00", env=ZH))
    assert (f"“{typed}”写于 2026-10-12 02:00（凌晨），按日历上的明天算，即 {due}；"
            f"如果指的是这一夜过后的白天，请写 \"{other}\"") in made.stderr
    meant = ok(cli(*CALL, "--回电期限", other, "--时间", "2026-10-12 02:01", env=ZH))
    assert workspace.store.get(printed_ids(meant.stdout)[0]).get("callback_by") \
        == due.replace("2026-10-13 ", "2026-10-12T") + ":00+08:00"


def test_tomorrow_at_a_clock_hour_in_the_small_hours_keeps_no_note(cli, workspace):
    """明天8点: the clerk who writes the hour has the day in mind (test_desk_review_fixes)."""
    made = ok(cli(*CALL, "--回电期限", "明天8点", "--时间", "2026-10-12 02:00", env=ZH))
    assert "凌晨" not in made.stderr
