"""The desk's and the technician's leftovers, each as a clerk meets it in Chinese."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from dutyctl import timeutil
from dutyctl.errors import InputError
from tests.helpers_desk import printed_ids, record_files, write_roster, write_rules

ROSTER = [("2026-10-05", "day", "zhangwei"), ("2026-10-05", "night", "lina"),
          ("2026-10-06", "day", "sunli"), ("2026-10-06", "day", "wangqiang", "technician"),
          ("2026-10-06", "night", "zhangwei")]
ZH = {"DUTYCTL_LANG": "zh_CN"}


@pytest.fixture
def site(workspace):
    write_rules(workspace.root)
    write_roster(workspace.root, "2026-10-01", "2026-10-31", ROSTER)
    return workspace


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def test_pending_names_everyone_not_yet_accepted_whole_at_100_columns(cli, site):
    ok(cli("交接班", "--接班人", "孙丽 王强", "--时间", "2026-10-05 19:40", env=ZH))
    for columns in ("100", "80"):
        table = ok(cli("交接班", "待接班", env={**ZH, "COLUMNS": columns})).stdout
        assert "孙丽、王强" in table and "…" not in table, table
    wide = ok(cli("交接班", "待接班", env={**ZH, "COLUMNS": "140"})).stdout
    assert wide.count("孙丽、王强") == 2 and "备注" in wide  # room for every column: all shown


# -- 2. a deadline in the desk's words: 明天上午, 今晚, 明天下班前 --------------------------------

FRIDAY_1PM = datetime(2026, 11, 20, 13, 0, tzinfo=timeutil.zone("Asia/Shanghai"))


@pytest.mark.parametrize("typed,expected", [
    ("明天上午", "2026-11-21 12:00"), ("后天上午", "2026-11-22 12:00"),
    ("明天下午", "2026-11-21 18:00"), ("明天下午3点", "2026-11-21 15:00"),
    ("今晚", "2026-11-20 22:00"), ("今晚8点", "2026-11-20 20:00"), ("明早", "2026-11-21 09:00"),
    ("明天一早", "2026-11-21 09:00"), ("明天中午", "2026-11-21 14:00"),
    ("下周一上午", "2026-11-23 12:00"), ("明天下班前", "2026-11-21 17:30"),
    ("下班前", "2026-11-20 17:30"), ("明天上午10点前", "2026-11-21 10:00"),
    ("周一之前", "2026-11-23 17:30"), ("2026-11-23 下午", "2026-11-23 18:00"),
])
def test_a_deadline_said_with_a_part_of_the_day_is_the_end_of_that_part(typed, expected):
    tz = timeutil.zone("Asia/Shanghai")
    due = timeutil.parse_deadline(typed, tz, FRIDAY_1PM, time(17, 30))
    assert due == datetime.fromisoformat(expected).replace(tzinfo=tz)


@pytest.mark.parametrize("typed", ["明天夜里", "半夜"])
def test_the_night_without_its_hour_is_no_deadline_and_says_to_write_the_hour(typed):
    with pytest.raises(InputError, match="names a part of the day but not the time"):
        timeutil.parse_deadline(typed, timeutil.zone("Asia/Shanghai"), FRIDAY_1PM, time(17, 30))


def test_the_desk_promises_a_callback_by_tomorrow_morning(cli, site):
    made = ok(cli("来电", "--姓名", "王先生", "--电话", "13812345678", "--房号", "3-2-501",
                  "--内容", "问物业费怎么交", "--回电期限", "明天上午",
                  "--时间", "2026-10-05 15:00", env=ZH))
    assert "须在 2026-10-06 12:00 前回电" in made.stderr
    call = site.store.get(printed_ids(made.stdout)[0])
    assert call.get("callback_by") == "2026-10-06T12:00:00+08:00"
    files = record_files(site.root)
    for option, typed, said in (("--回电期限", "明天夜里", "明天夜里11点"),
                                ("--时间", "昨天上午", "昨天上午9点")):
        refused = cli("来电", "--姓名", "王先生", "--电话", "13812345678", "--房号", "3-2-501",
                      "--内容", "问物业费怎么交", option, typed, *(
                          ("--时间", "2026-10-05 15:00") if option != "--时间" else ()), env=ZH)
        assert refused.exit_code == 2, refused.stderr
        assert f"“{typed}”只说了哪个时段，没有几点：请把几点也写上，例如 {said}" \
            in refused.stderr
    assert record_files(site.root) == files


# -- 3. 帮助 after a command that is not a group: that command's help ---------------------------

@pytest.mark.parametrize("words,usage", [
    (("来电", "帮助"), "来电 [选项]"),
    (("报修", "派工", "帮助"), "报修 派工 [选项]"),
    (("签到", "帮助"), "签到 [选项]"),
    (("交接班", "接班", "帮助"), "交接班 接班 [选项]"),
    (("备勤", "整改", "帮助"), "备勤 整改 [选项]"),
    (("来电", "帮助", "--语言", "en"), "来电 [OPTIONS]"),
])
def test_help_after_a_command_is_its_help_and_writes_nothing(cli, site, words, usage):
    files = record_files(site.root)
    shown = ok(cli(*words, env=ZH))
    assert usage in shown.stdout.splitlines()[0], shown.stdout + shown.stderr
    assert record_files(site.root) == files


def test_help_where_a_text_goes_stays_the_text(cli, site):
    """`dutyctl 巡查 帮助` is a patrol note that says 帮助, as `记事 帮助` is (test_command_words)."""
    made = ok(cli("巡查", "帮助", "--时间", "2026-10-05 09:00", env=ZH))
    assert site.store.get(printed_ids(made.stdout)[0]).get("content") == "帮助"
