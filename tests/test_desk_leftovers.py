"""The desk's and the technician's leftovers, each as a clerk meets it in Chinese."""

from __future__ import annotations

import json
from datetime import datetime, time

import pytest

from dutyctl import timeutil
from dutyctl.errors import InputError
from tests.helpers_desk import ok, printed_ids, record_files, write_roster, write_desk_rules

ROSTER = [("2026-10-05", "day", "zhangwei"), ("2026-10-05", "night", "lina"),
          ("2026-10-06", "day", "sunli"), ("2026-10-06", "day", "wangqiang", "technician"),
          ("2026-10-06", "night", "zhangwei"), ("2026-10-07", "day", "sunli"),
          ("2026-10-07", "night", "lina")]
ZH = {"DUTYCTL_LANG": "zh_CN"}


@pytest.fixture
def site(workspace):
    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2026-10-01", "2026-10-31", ROSTER)
    return workspace


def test_pending_names_everyone_not_yet_accepted_whole_at_100_columns(cli, site, clock):
    clock.set("2026-10-05T20:00:00+08:00")  # hours waiting and overdue counts: a fixed width
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


# -- 4. no rules file: names separated by spaces are several people, or refused -------------------

def test_without_rules_two_names_with_a_space_are_two_recipients(cli, workspace):
    (workspace.root / "rosters" / "rules.yaml").unlink()
    made = ok(cli("交接班", "--接班人", "赵磊 刘洋", "--时间", "2026-10-05 19:40", env=ZH))
    handover = workspace.store.get(printed_ids(made.stdout)[0])
    assert list(handover.get("to")) == ["赵磊", "刘洋"]
    one = ok(cli("交接班", "--接班人", "孙 丽", "--替代", handover.id,
                 "--时间", "2026-10-05 19:41", env=ZH))
    assert list(workspace.store.get(printed_ids(one.stdout)[0]).get("to")) == ["孙丽"]
    files = record_files(workspace.root)
    for option, typed, said in (("--接班人", "赵 磊 刘洋", "是一个人还是几个人？"),
                                ("--操作人", "赵磊 刘洋", "不是一个人的姓名")):
        refused = cli("交接班", option, typed, "--时间", "2026-10-05 19:42",
                      *(("--接班人", "孙丽") if option != "--接班人" else ()), env=ZH)
        assert refused.exit_code == 2, refused.stdout + refused.stderr
        assert f"“{typed}”{said}" in refused.stderr
        # a list's refusal asks for "、" between people; one person's, for one name
        assert ("用“、”隔开" in refused.stderr) == (option == "--接班人"), refused.stderr
    assert record_files(workspace.root) == files


# -- 5. an empty --内容 asks for the content ---------------------------------------------------

def test_an_empty_content_is_asked_for_not_said_to_default(cli, site):
    refused = cli("报修", "登记", "--姓名", "王先生", "--电话", "13812345678", "--房号", "3-2-501",
                  "--内容", "", "--时间", "2026-10-05 09:00", env=ZH)
    assert refused.exit_code == 2
    assert "缺少 --内容：给出的值为空，请写上具体内容（不能为空）" in refused.stderr
    assert "默认值" not in refused.stderr
    month = cli("排班", "生成", "--月份", "", env=ZH)  # it has one: leaving it out uses it
    assert month.exit_code == 2 and "不写该选项即使用默认值" in month.stderr
    assert record_files(site.root) == []


# -- 6. a call-out after midnight is a row of the night it belongs to ----------------------------

ON_CALL_OCTOBER = [("2026-10-09", "day", "zhangwei"), ("2026-10-09", "night", "lina"),
                   ("2026-10-09", "night-oncall", "wangqiang", "technician")]


def test_a_call_out_after_midnight_is_dated_by_its_on_call_night(cli, workspace):
    write_roster(workspace.root, "2026-10-01", "2026-10-31", ON_CALL_OCTOBER)
    ok(cli("备班", "出勤", "王强", "--时间", "2026-10-10 01:30", env=ZH))
    ok(cli("备班", "返回", "王强", "--时间", "2026-10-10 03:10", env=ZH))
    detail = json.loads(ok(cli("考勤", "--月份", "2026-10", "--员工", "王强", "--明细",
                               "-f", "json")).stdout)
    (call,) = [row for row in detail if row["result"] == "call-out"]
    assert (call["date"], call["start"][:16], call["end"][:16], call["clock_in"][:16]) == (
        "2026-10-09", "2026-10-09T20:00", "2026-10-10T08:00", "2026-10-10T01:30")
    daily = json.loads(ok(cli("日报", "--日期", "2026-10-09", "-f", "json")).stdout)
    assert daily["attendance"]["totals"]["call_outs"] == 1  # the day the detail says
    table = ok(cli("考勤", "--月份", "2026-10", "--员工", "王强", "--明细", env=ZH)).stdout
    (line,) = [line for line in table.splitlines() if "01:30" in line]
    assert line.startswith("10月9日") and "10-09 20:00" in line, table


# -- 7. an unrostered helper covers and is covered by the shift's handover -----------------------

def test_a_handover_covers_whoever_was_clocked_in_beside_its_writer(cli, site):
    # 10-05: 张伟 rostered by day; 王强 comes in to help, unrostered
    ok(cli("签到", "--操作人", "张伟", "--时间", "2026-10-05 07:50"))
    came = ok(cli("签到", "--操作人", "王强", "--时间", "2026-10-05 08:05"))
    assert "NOT ROSTERED" in came.stderr, came.stderr
    ok(cli("交接班", "--操作人", "张伟", "--时间", "2026-10-05 19:40"))
    helper = ok(cli("签退", "--操作人", "王强", "--时间", "2026-10-05 20:02"))
    assert "handed over for the shift by 张伟" in helper.stderr
    # 10-07: 孙丽 rostered by day; 王强 helps, unrostered, and writes the handover to 李娜
    ok(cli("签到", "--操作人", "孙丽", "--时间", "2026-10-07 07:50"))
    ok(cli("签到", "--操作人", "王强", "--时间", "2026-10-07 08:10"))
    ok(cli("交接班", "--操作人", "王强", "--接班人", "李娜", "--时间", "2026-10-07 19:40"))
    ok(cli("签退", "--操作人", "王强", "--时间", "2026-10-07 19:45"))
    rostered = ok(cli("签退", "--操作人", "孙丽", "--时间", "2026-10-07 20:03"))
    assert "handed over for the shift by 王强" in rostered.stderr


# -- 8. two handovers waiting after a partial acceptance ---------------------------------------

def test_two_handovers_waiting_are_told_apart_and_the_next_one_named(cli, site):
    first = printed_ids(ok(cli("交接班", "--操作人", "李娜", "--时间", "2026-10-06 07:40")).stdout)[0]
    ok(cli("接班", "--操作人", "孙丽", "--时间", "2026-10-06 07:45"))
    second = printed_ids(ok(cli("交接班", "--操作人", "李娜", "--备注", "3号楼电梯异响",
                                "--时间", "2026-10-06 07:50")).stdout)[0]
    asked = cli("接班", "--操作人", "王强", "--时间", "2026-10-06 07:55", env=ZH)
    assert asked.exit_code == 2
    assert (f"有 2 份交接等待 王强 接班，每份都要确认：{first[:12]}（李娜 2026-10-06 07:40 交来，"
            f"孙丽 已确认）、{second[:12]}（李娜 2026-10-06 07:50 交来）；请逐份确认，先确认最早"
            f"的一份：dutyctl 接班 {first[:12]}") in asked.stderr
    accepted = ok(cli("接班", first[:12], "--操作人", "王强", "--时间", "2026-10-06 07:56",
                      env=ZH))
    assert f"还有 1 份交接等待 王强 接班，下一份：dutyctl 接班 {second[:12]}" in accepted.stderr
    last = ok(cli("接班", "--操作人", "王强", "--时间", "2026-10-06 07:57", env=ZH))
    assert "还有" not in last.stderr


# -- 9. the sync's counting line says why each was withheld -------------------------------------

def test_withheld_acceptances_past_those_shown_are_counted_by_why(monkeypatch):
    from dutyctl import notices, sync
    from dutyctl.records import Event, Record

    tz = timeutil.zone("Asia/Shanghai")
    signed = datetime(2026, 10, 5, 20, 0, tzinfo=tz)

    def handover(name):
        return Record(name * 26, "handover", signed, "lina", {"from": "lina", "to": ["sunli"]},
                      (Event("E" + name, name * 26, signed, "sunli", "accept"),))

    class Names:
        people = staticmethod("、".join)

    rest = [None, "a later step", "a later step"]  # past those shown: 1 adds, 2 refused
    withheld = [(handover(chr(65 + n)), handover(chr(75 + n)), ["sunli"], why)
                for n, why in enumerate([None] * sync.TICKET_NEWS_SHOWN + rest)]
    heard = []
    with notices.listening(lambda notice: heard.append(notice.text)):
        sync._say_acceptances_withheld(withheld, Names(), tz)
    counted = heard[sync.TICKET_NEWS_SHOWN:]
    assert counted == [
        "brought by the sync: 1 more handover accepted after it was replaced by one that adds "
        "something: dutyctl handover pending lists those still waiting",
        "brought by the sync: 2 more handovers accepted after they were replaced, whose "
        "acceptances could not be carried to their replacements: dutyctl handover pending "
        "lists those still waiting"]


# -- 10. clocking out without a handover while items are open -----------------------------------

def test_leaving_without_a_handover_says_what_was_left_open(cli, site):
    ok(cli("签到", "--操作人", "张伟", "--时间", "2026-10-05 07:50"))
    ok(cli("来电", "--姓名", "王先生", "--电话", "13812345678", "--房号", "3-2-501",
           "--内容", "问物业费怎么交", "--回电期限", "下午3点", "--操作人", "张伟",
           "--时间", "2026-10-05 09:00"))
    files = record_files(site.root)
    for refused in (cli("签退", "--操作人", "张伟", "--不交接", "--时间", "2026-10-05 20:05",
                        env=ZH),
                    cli("签退", "--操作人", "张伟", "--原因", "当面交接", "--时间",
                        "2026-10-05 20:05", env=ZH)):
        assert refused.exit_code == 2, refused.stderr
    assert record_files(site.root) == files
    left = ok(cli("签退", "--操作人", "张伟", "--不交接", "--原因", "当面交接",
                  "--时间", "2026-10-05 20:05", env=ZH))
    assert ("未写交接就签退：此刻还有 1 项未结事项（回电 1 项）没有书面交给 李娜；"
            "接班人可用 dutyctl 列表 --未关闭 查看") in left.stderr
