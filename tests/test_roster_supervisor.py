"""A supervisor's roster journey in Chinese: the rules typed as one would (24:00, 12月24日,
80%, a person added without an id, a role nobody has), and the screens that must agree
(explain's counts with stats, a dropped change in words)."""

from __future__ import annotations

import json
from datetime import date, time

import pytest

from dutyctl.roster.coverage import DAY_END, parse_range
from dutyctl.roster.explain import explain
from dutyctl.roster.rules import load_rules
from dutyctl.roster.stats import loads
from dutyctl.roster.onduty import worked_between
from tests.helpers_roster import DAY, ONE, edit_rules, parse, problems_of, rules_text

ZH = {"DUTYCTL_LANG": "zh_CN"}


# -- rules typed as a supervisor types them ---------------------------------------------------

def test_a_shift_ending_at_24_00_ends_at_midnight():
    rules = parse(rules_text(DAY.replace('end: "20:00"', 'end: "24:00"'), ONE))
    shift = rules.shift("day")
    assert shift.end == time(0) and shift.crosses_midnight and not shift.night
    full_width = parse(rules_text(DAY.replace('end: "20:00"', 'end: "２４：００"'), ONE))
    assert full_width.shift("day").end == time(0)
    refused = problems_of(rules_text(DAY.replace('start: "08:00"', 'start: "24:00"'), ONE))
    assert len(refused) == 1 and 'starts at "00:00"' in refused[0], refused


def test_coverage_hours_read_as_typed_with_a_chinese_input_method():
    assert parse_range("8:00-20:00") == (time(8), time(20))
    assert parse_range("０７：００－２２：００") == (time(7), time(22))
    assert parse_range("07:00～22:00") == parse_range("07:00至22:00") == (time(7), time(22))
    assert parse_range("00:00-24:00") == (time(0), DAY_END)
    assert parse_range("08:00:00-20:00") == (time(8), time(20))
    assert parse_range("7-22") is None and parse_range("08:00-08:00") is None


def test_a_person_added_without_an_id_goes_by_the_name():
    rules = parse(rules_text(DAY, ONE + "- {name: 王小明, roles: [service]}\n"))
    assert rules.member("王小明").name == "王小明" and rules.person("王小明") == "王小明"
    problems = problems_of(rules_text(DAY, ONE + "- {roles: [service]}\n"))
    assert len(problems) == 1 and "staff[1].name: is required: the staff member's name " \
        "(name: 张伟)" in problems[0], problems


def test_a_role_nobody_has_is_named_as_the_site_names_it(workspace, cli):
    edit_rules(workspace, "      service: 1\n      technician: 1\n",
          "      service: 1\n      technician: 1\n      guard: 1\n")
    found = cli("check", env=ZH)
    assert found.exit_code == 1
    assert "班次需要岗位 保安（guard），但没有员工具备这个岗位" in found.stdout + found.stderr


def test_numbers_typed_as_text_say_how_to_write_them():
    staff = "- {id: zhangwei, name: 张伟, roles: [service], fte: 80%}\n"
    said = problems_of(rules_text(DAY, staff, 'min_rest_hours: "12小时"\n'))
    assert any("fte: expected a number (write a share as a decimal number: 80% is 0.8)" in p
               for p in said), said
    assert any("min_rest_hours: expected a number (write the number alone, without quotes or a "
               "unit: 12)" in p for p in said), said


def test_leave_ending_before_it_starts_and_a_date_without_its_year(clock):
    staff = """\
    - id: zhangwei
      roles: [service]
      leave:
        - 12月24日
        - {from: "2026-12-10", to: "2026-12-08"}
    """
    said = "\n".join(problems_of(rules_text(DAY, staff)))
    assert "leave[0]: '12月24日' has no year: write the year too, like \"2026-12-24\"" in said
    assert "leave[1].to: Tue 12-08 is before from Thu 12-10: from is the first day" in said


@pytest.mark.parametrize(("today", "typed", "example"), [
    ("2026-12-20", "1月5日", "2027-01-05"),    # in late December, January is the coming one
    ("2027-03-01", "12月24日", "2027-12-24"),  # a year on, the example's year moves with it
    ("2026-11-20", "2月29日", "2028-02-29"),   # the next year that has the day
])
def test_the_example_for_a_day_without_its_year_is_its_coming_occurrence(clock, today, typed,
                                                                         example):
    """The example is copied as written: it must not send a leave into a year gone."""
    clock.set(f"{today}T09:00:00+08:00")
    staff = f"- {{id: zhangwei, roles: [service], leave: [{typed}]}}\n"
    said = "\n".join(problems_of(rules_text(DAY, staff)))
    assert f"leave[0]: '{typed}' has no year: write the year too, like \"{example}\"" in said


def test_leave_in_chinese_says_the_days(workspace, cli):
    edit_rules(workspace, 'to: "2026-12-12"', 'to: "2026-12-08"')
    found = cli("check", env=ZH)
    assert "to: 12月8日 周二 早于开始日（from）12月10日 周四：from 写第一天，to 写最后一天" in \
        found.stdout + found.stderr


def test_a_place_on_a_day_its_shift_skips_says_why_in_words(workspace, cli):
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    path = workspace.rosters_dir / "2026-12.yaml"
    text = path.read_text(encoding="utf-8")
    # moved to Saturday 12-05: the office shift runs on working days only
    assert '{date: "2026-12-04", shift: office' in text
    text = text.replace('{date: "2026-12-04", shift: office', '{date: "2026-12-05", shift: office',
                        1)
    path.write_text(text, encoding="utf-8")
    found = cli("roster", "check", "2026-12", env=ZH)
    said = found.stdout + found.stderr
    assert "12月5日 周六 前台" in said
    assert "该班次只在工作日开班（日期: 工作日），当天是休息日或节假日" in said, said
    assert "当天不开班（workdays）" not in said


def test_a_year_without_holiday_notices_names_the_file_and_how(workspace, cli):
    refused = cli("roster", "generate", "--month", "2027-01", env=ZH)
    assert refused.exit_code == 2
    said = refused.stderr.strip()
    assert said.startswith("中国法定节假日日历还没有 2027 年的官方放假安排：请在 rosters/rules.yaml 的 "
                           "calendar: 下列出"), said
    assert "CN" not in said and '{from: "2027-01-01", to: "2027-01-03", reason: 元旦}' in said


# -- the screens agree -------------------------------------------------------------------------

def test_a_dropped_change_is_said_in_words_not_the_files_ids(workspace, cli, clock):
    clock.set("2026-11-20T10:00:00+08:00")  # the month to come: its changes are dropped
    december = cli("roster", "generate", "--month", "2026-12")
    assert december.exit_code == 0
    assert cli("roster", "override", "2026-12-14", "夜班", "陈静", "--reason", "顶班", "--force",
               env=ZH).exit_code == 0
    forced = cli("roster", "generate", "--month", "2026-12", "--force", env=ZH)
    dropped = [line for line in forced.stderr.splitlines() if line.startswith("已丢弃调整")]
    assert len(dropped) == 1, forced.stderr
    assert dropped[0].startswith("已丢弃调整：12月14日 周一 夜班 客服专员：")
    assert dropped[0].endswith(" → 陈静（原因：顶班；张伟 记录）"), dropped[0]
    assert "chenjing" not in forced.stderr and "shift:" not in forced.stderr


def test_explain_counts_shifts_and_hours_as_stats_does(workspace, cli):
    """On-call duties are no shifts worked nor hours on site in `roster stats`; explain's
    "N other shifts in the period: H h" said 25 shifts where stats said 17 (it counted the
    nights at home too)."""
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    first, last = date(2026, 12, 1), date(2026, 12, 31)
    counts = loads(load_rules(workspace), worked_between(workspace, first, last))
    checked = 0
    for day in (date(2026, 12, 5), date(2026, 12, 17)):
        for place in explain(workspace, day, "night-oncall"):
            for candidate in place.candidates:
                if candidate.cost is None:
                    continue  # excluded: no counts said
                mine = counts[candidate.staff]
                assert candidate.detail.startswith(
                    f"{int(mine['shifts'])} other shifts in the period: {mine['hours']:g}h,"), \
                    (candidate.staff, candidate.detail, mine)
                on_call = mine["on_call"] - (candidate.staff == place.staff)
                assert f"{on_call:g} on call" in candidate.detail, candidate.detail
                checked += 1
    assert checked >= 4


def test_chinese_words_are_taken_as_the_values_they_mean():
    """days: 工作日, avoid: [周末, 周六, 星期天, 节假日], fairness: [工时, 夜班] read as the English
    values; a fairness mapping's keys in Chinese too ({夜班: 2}), and one written twice (夜班
    beside nights) is told."""
    chinese = rules_text(DAY.replace("  need:", "  days: 工作日\n  need:"),
                         "- {id: zhangwei, name: 张伟, roles: [service], "
                         "avoid: [周末, 周六, 星期天, 节假日]}\n", extra="fairness: [工时, 夜班]")
    english = rules_text(DAY.replace("  need:", "  days: workdays\n  need:"),
                         "- {id: zhangwei, name: 张伟, roles: [service], "
                         "avoid: [weekends, sat, sun, holidays]}\n", extra="fairness: [hours, nights]")
    said, meant = parse(chinese), parse(english)
    assert said.shifts == meant.shifts and said.staff == meant.staff
    assert said.fairness == meant.fairness
    refused = "\n".join(problems_of(rules_text(DAY, "- {id: zhangwei, name: 张伟, roles: service}\n",
                                              extra="fairness: [工时, luck]")))
    assert "roles: expected a list: write [service]" in refused
    assert ("fairness[1]: expected one of: 工时 (hours), 夜班 (nights), 周末 (weekends), "
            "节假日 (holidays), 备班 (on_call)") in refused and "fairness[0]" not in refused
    assert dict(parse(rules_text(DAY, ONE, extra="fairness: {夜班: 2, 工时: 1}")).fairness) == \
        {"nights": 2, "hours": 1}
    twice = "\n".join(problems_of(rules_text(DAY, ONE, extra="fairness: {夜班: 2, nights: 1}")))
    assert "fairness.夜班: '夜班' is nights again, already written: keep one of the two" in twice
    plain = "\n".join(problems_of(rules_text(DAY.replace("  need:", "  days: weekdays\n  need:"),
                                              ONE)))
    assert "days: 'weekdays' is none of 每天 (daily), 工作日 (workdays), 休息日 (restdays)" in plain


def test_a_shift_s_days_written_as_a_chinese_rule(workspace, cli):
    """days: 每周一、三、五 is the RRULE FREQ=WEEKLY;BYDAY=MO,WE,FR; 工作日 is workdays."""
    by_rule = parse(rules_text(DAY.replace("  need:", '  days: "FREQ=WEEKLY;BYDAY=MO,WE,FR"\n'
                                                       "  need:"), ONE))
    in_chinese = parse(rules_text(DAY.replace("  need:", "  days: 每周一、三、五\n  need:"), ONE))
    assert in_chinese.shifts[0].days == by_rule.shifts[0].days
    assert in_chinese.shifts[0].rrule == by_rule.shifts[0].rrule == "FREQ=WEEKLY;BYDAY=MO,WE,FR"
    edit_rules(workspace, "days: workdays", "days: 工作日")
    found = cli("check", env=ZH)
    assert found.exit_code == 0, found.stdout + found.stderr


# -- a roster not made yet, a person not on the shift: what to type next ----------------------

def test_a_missing_roster_names_the_command_for_its_own_period(workspace, cli, clock):
    clock.set("2026-11-30T10:00:00+08:00")  # "generate" alone would make December
    for args in (("roster", "show", "--month", "2027-02"), ("roster", "stats", "--month",
                                                            "2027-02")):
        said = cli(*args, env=ZH)
        assert said.exit_code == 2
        assert said.stderr.strip().endswith("请运行 'dutyctl 排班 生成 --月份 2027-02'")
    ranged = cli("roster", "show", "--from", "2027-01-03", "--to", "2027-02-02", env=ZH)
    assert "'dutyctl 排班 生成 --从 2027-01-03 --到 2027-02-02'" in ranged.stderr
    for period in ("2027-02", "2027年2月"):
        checked = cli("roster", "check", period, env=ZH)
        assert checked.exit_code == 2
        assert checked.stderr.strip() == ("还没有 2027年2月 的排班表（rosters/2027-02.yaml）：请先运行 "
                                          "'dutyctl 排班 生成 --月份 2027-02'")
    explained = cli("roster", "explain", "2027-01-05", "白班", env=ZH)
    assert explained.stderr.strip() == ("没有排班表覆盖 2027年1月5日 周二：请先运行 "
                                        "'dutyctl 排班 生成 --月份 2027-01'")
    who = cli("who", "--at", "2027-01-01 09:00", env=ZH)
    assert who.exit_code == 1
    assert "2027-01-01 09:00 无人值班：还没有覆盖这一天的排班表（请运行 'dutyctl 排班 生成 " \
           "--月份 2027-01'）" in who.stdout + who.stderr


def test_someone_not_on_the_shift_is_told_who_is(workspace, cli):
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    from dutyctl.roster.rosterfile import read_roster

    roster, _ = read_roster(workspace.rosters_dir / "2026-12.yaml", "2026-12")
    day = date(2026, 12, 20)
    on_day = {a.staff: a.role for a in roster.assignments if a.day == day and a.shift == "day"}
    absent = next(s for s in ("sunli", "chenjing", "lina", "zhangwei", "zhaolei")
                  if s not in on_day)
    names = {"sunli": "孙丽", "chenjing": "陈静", "lina": "李娜", "zhangwei": "张伟",
             "zhaolei": "赵磊", "wangqiang": "王强", "liuyang": "刘洋", "gaofeng": "高峰"}
    roles = {"service": "客服专员", "technician": "维修工"}
    people = "、".join(f"{names[s]}（{roles[r]}）" for s, r in on_day.items())
    swap = cli("roster", "swap", "2026-12-20", "白班", names[absent], "2026-12-21", "夜班",
               "陈静", "--reason", "私事", env=ZH)
    assert swap.exit_code == 2
    assert swap.stderr.strip() == f"{names[absent]} 不在 12月20日 周日 白班；该班次上是：{people}"
    override = cli("roster", "override", "2026-12-20", "白班", "高峰", "--replaces",
                   names[absent], "--reason", "私事", env=ZH)
    assert override.stderr.strip() == swap.stderr.strip()


# -- what a phone and the wall copy show ---------------------------------------------------------

def test_the_phone_calendar_and_the_wall_copy_show_no_ids(workspace, cli):
    import icalendar
    import openpyxl

    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    exported = cli("roster", "export", "--month", "2026-12", "--staff", "李娜", env=ZH)
    events = list(icalendar.Calendar.from_ical(exported.stdout).walk("VEVENT"))
    assert events
    for event in events:
        shift = str(event["summary"]).split()[0]
        assert event["categories"].to_ical().decode() == shift  # 白班, was: day
        assert str(event["description"]) in {f"{shift}，客服专员，李娜"}, str(event["description"])
    target = workspace.root / "排班表.xlsx"
    assert cli("roster", "export", "--month", "2026-12", "-f", "xlsx", "-o", str(target),
               env=ZH).exit_code == 0
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == "排班表 2026年12月1日 至 2026年12月31日"
    assert book.worksheets[0]["A1"].value.endswith(" 排班表 2026年12月1日 至 2026年12月31日")


def test_findings_of_a_roster_planned_by_older_rules_say_to_generate_it_again(workspace, cli,
                                                                              clock):
    clock.set("2026-11-20T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    assert cli("roster", "check", "2026-12").exit_code == 0
    edit_rules(workspace, "      service: 1\n      technician: 1\n",
          "      service: 2\n      technician: 1\n")
    checked = cli("roster", "check", "2026-12", env=ZH)
    assert checked.exit_code == 1 and "需 2 人，已排 1 人" in checked.stdout
    note = ("注意：rosters/2026-12.yaml 生成之后排班规则改过了：因改规则而出现的问题，重新生成即可消除："
            "'dutyctl 排班 生成 --月份 2026-12'")
    assert checked.stderr.splitlines()[-1] == note, checked.stderr
    assert note in cli("roster", "check", env=ZH).stderr
    assert "note:" not in cli("roster", "check", "2026-12", "-f", "json").stderr
    # begun: mend places, or generate the days to come with --强制 (which keeps the days
    # begun: the note said generating it again "会把已经上过的日子也重排", as it did before
    # --强制 kept them)
    clock.set("2026-12-10T10:00:00+08:00")
    begun = cli("roster", "check", "2026-12", env=ZH).stderr.splitlines()[-1]
    assert begun == ("注意：rosters/2026-12.yaml 生成之后排班规则改过了；该排班表已经开始执行：请用 "
                     "'dutyctl 顶班 日期 班次 姓名' 逐个调整班位，或用 'dutyctl 排班 生成 --月份 2026-12 "
                     "--强制' 只重排以后的日子（已经开始的日子保持不变）"), begun
    clock.set("2027-01-02T10:00:00+08:00")  # December worked: history, never planned again
    assert "注意" not in cli("roster", "check", "2026-12", env=ZH).stderr


def test_a_roster_with_a_manual_change_is_told_the_forced_command_that_works(workspace, cli,
                                                                            clock):
    """`排班 检查` told to regenerate with the plain command, which a manual change refuses
    (含有 1 处手工调整…请用 --强制): the line now carries --强制 and says what it drops."""
    clock.set("2026-11-20T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    edit_rules(workspace, "      service: 1\n      technician: 1\n",
               "      service: 2\n      technician: 1\n")
    # with a manual change the plain command is refused: the line gives the one that works
    overridden = cli("roster", "override", "2026-12-20", "night", "李娜", "--reason", "调班",
                     "--role", "客服专员", "--force", "--at", "2026-11-20 10:05")
    assert overridden.exit_code == 0, overridden.stderr
    forced = cli("roster", "check", "2026-12", env=ZH).stderr.splitlines()[-1]
    assert forced == ("注意：rosters/2026-12.yaml 生成之后排班规则改过了：因改规则而出现的问题，重新生成"
                      "即可消除，但会丢弃其中的手工调整（1 处，之后请重新调整）：'dutyctl 排班 生成 "
                      "--月份 2026-12 --强制'"), forced
    command = forced.split("'")[1].split()
    assert cli(*command[1:], env=ZH).exit_code in (0, 1)  # typed as shown: generated
    assert "注意" not in cli("roster", "check", "2026-12", env=ZH).stderr  # by today's rules


def test_roster_check_is_made_on_the_day_given_by_at(workspace, cli, clock):
    """`排班 检查 12月 --时间 ...`: the supervisor's check replayed on a given day reads the
    month and the advice under the findings as of that day, not the day it runs (it had no
    --时间 at all: refused as no such option)."""
    clock.set("2026-11-20T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    edit_rules(workspace, "      service: 1\n      technician: 1\n",
               "      service: 2\n      technician: 1\n")
    ahead = cli("roster", "check", "12月", "--时间", "2026-11-25", env=ZH)
    assert ahead.exit_code == 1, ahead.stderr
    assert "重新生成即可消除：'dutyctl 排班 生成 --月份 2026-12'" in ahead.stderr.splitlines()[-1]
    begun = cli("roster", "check", "12月", "--时间", "2026-12-10 09:00", env=ZH)
    assert "该排班表已经开始执行" in begun.stderr.splitlines()[-1], begun.stderr
    assert begun.stdout == ahead.stdout  # the findings are the same; only the advice differs
    assert "注意" not in cli("roster", "check", "--时间", "2027-01-02", env=ZH).stderr


def test_employment_dates_in_whole_words(workspace, cli):
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    edit_rules(workspace, '    # active_until: "2027-06-30"', '    active_until: "2026-12-15"')
    until = cli("roster", "check", "2026-12", env=ZH).stdout
    assert "高峰：不在职（入职日期/离职日期），在职至 2026年12月15日（之后已离职）" in until, until
    assert "在职期 至" not in until
    edit_rules(workspace, '    active_until: "2026-12-15"', '    active_from: "2026-12-20"')
    since = cli("roster", "check", "2026-12", env=ZH).stdout
    assert "高峰：不在职（入职日期/离职日期），自 2026年12月20日 起在职（之前尚未入职）" in since, since
    edit_rules(workspace, '    active_from: "2026-12-20"',
          '    active_from: "2026-12-20"\n    active_until: "2026-12-15"')
    said = cli("check", env=ZH).stdout
    assert "active_until: 12月15日 周二 早于入职日期 12月20日 周日：" in said, said


def test_explain_says_a_person_on_the_shift_already_holds_a_seat_of_it(workspace, cli):
    edit_rules(workspace, "      service: 1\n      technician: 1\n",
          "      service: 2\n      technician: 1\n")
    assert cli("roster", "generate", "--month", "2026-12").exit_code in (0, 1)
    seen = 0
    for day in (date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 15)):
        places = [p for p in explain(workspace, day, "day") if p.role == "service"]
        held = {p.staff for p in places if p.staff}
        for place in places:
            for candidate in place.candidates:
                if candidate.staff in held and candidate.staff != place.staff:
                    assert candidate.detail == ("already holds another place on this shift "
                                                "(客服专员)"), candidate.detail
                    seen += 1
    assert seen


def test_leave_written_as_one_day_or_a_range_of_text_says_how_to_write_it():
    one = "- {id: zhangwei, roles: [service], leave: 2026-12-24}\n"
    said = problems_of(rules_text(DAY, one))
    assert len(said) == 1 and "leave: expected a list: put the item in square brackets" in \
        said[0], said
    ranged = '- {id: zhangwei, roles: [service], leave: ["2026-12-10至2026-12-12"]}\n'
    said = problems_of(rules_text(DAY, ranged))
    assert len(said) == 1 and said[0].endswith(
        'leave[0]: a range of days is written {from: "2026-12-10", to: "2026-12-12"}'), said


def test_a_month_without_its_year_is_the_nearest_one():
    from dutyctl.roster.rosterfile import _month_in_words

    november = date(2026, 11, 20)
    assert _month_in_words("12月", november) == "2026-12"
    assert _month_in_words("1月", november) == "2027-01"
    assert _month_in_words("１０月", november) == "2026-10"
    assert _month_in_words("5月份", november) == "2027-05"  # 6 months either way: ahead
    assert _month_in_words("4月", november) == "2027-04"
    assert _month_in_words("6月", november) == "2026-06"
    assert _month_in_words("下个月", november) == "2026-12"
    assert _month_in_words("下月", date(2026, 12, 5)) == "2027-01"
    assert _month_in_words("上月", date(2027, 1, 5)) == "2026-12"
    assert _month_in_words("本月", november) == "2026-11"
    assert _month_in_words("2026-12", november) is None
    assert _month_in_words("13月", november) is None


def test_generate_reckons_next_month_and_bare_months_from_its_at(workspace, cli, clock):
    clock.set("2026-12-01T10:00:00+08:00")  # the real day: next month would be January
    made = cli("roster", "generate", "--at", "2026-11-20 10:00")
    assert made.exit_code == 0 and made.stdout.strip() == "rosters/2026-12.yaml", made.stderr
    again = cli("roster", "generate", "--month", "下个月", "--at", "2026-11-20 10:00")
    assert again.stdout.strip() == "rosters/2026-12.yaml", again.stderr
    shown = cli("roster", "show", "--month", "12月", env=ZH)
    assert shown.exit_code == 0 and shown.stdout.splitlines()[4].startswith("12月1日 周二")
    overlap = cli("roster", "generate", "--from", "12月1日", "--to", "12月7日", "--at",
                  "2026-11-20 10:00", env=ZH)
    assert overlap.exit_code == 2
    assert overlap.stderr.strip() == ("rosters/2026-12.yaml 已覆盖 2026年12月1日至2026年12月7日 的一部分："
                                      "请删除已有的排班表或另选时段")


def test_a_rotation_written_with_names_is_the_rotation_of_their_ids():
    shifts = DAY + """\
- {id: office, name: 前台, start: "08:30", end: "17:30", need: {service: 1}}
"""
    staff = ONE + "- {id: sunli, name: 孙丽, roles: [service]}\n"
    rotation = """\
rotations:
  - id: front
    shifts: [{shifts}]
    members: [{members}]
    pattern: [{pattern}]
    start: "2026-12-01"
"""
    by_name = parse(rules_text(shifts, staff, extra=rotation.format(
        shifts="前台, day", members="张伟, sunli", pattern="day, 休息, 前台, 休息")))
    by_id = parse(rules_text(shifts, staff, extra=rotation.format(
        shifts="office, day", members="zhangwei, sunli", pattern="day, rest, office, rest")))
    assert by_name.rotations == by_id.rotations
    twice = staff + "- {id: zhangwei2, name: 张伟, roles: [service]}\n"
    said = "\n".join(problems_of(rules_text(shifts, twice, extra=rotation.format(
        shifts="office", members="张伟, sunli", pattern="office, rest"))))
    assert "members: '张伟' could be any of: 张伟 (zhangwei), 张伟 (zhangwei2); give the id" in said


def test_a_week_short_of_staff_is_said_as_the_cause_of_its_open_places(workspace, cli,
                                                                        clock):
    """Two of five clerks on leave the same week: the month has hours enough, the week has
    not. generate, roster check and explain listed each open place's blocked people and never
    the cause."""
    for member in ("sunli", "chenjing"):
        edit_rules(workspace, f"  - id: {member}\n",
              f"  - id: {member}\n    leave: [{{from: \"2026-12-14\", to: \"2026-12-20\"}}]\n")
    made = cli("roster", "generate", "--month", "2026-12", env=ZH)
    assert made.exit_code == 1
    cause = ("rosters/2026-12.yaml: 人力测算：12月14日 周一 起的一周，客服专员岗位的班次需要 213 小时；"
             "5 名客服专员中这一周只有 3 名能上班（其余请假或不在职），在工时上限之内最多只能提供 140 小时：有 73 "
             "小时无法排满")
    said = made.stdout + made.stderr
    assert said.count("人力测算") == 1 and cause in said, said
    assert said.index(cause) < said.index("缺")  # the cause first
    checked = cli("roster", "check", "2026-12", env=ZH)
    assert cause in checked.stdout
    data = json.loads(cli("roster", "check", "2026-12", "-f", "json").stdout)
    (week,) = [row["finding"] for row in data if row.get("finding", {}).get("rule") == "capacity"]
    assert week["week"] == "2026-12-14" and week["free_staff"] == 3
    assert week["needed_hours"] == 213 and week["most_hours"] == 140
    from dutyctl.roster.rosterfile import read_roster

    path = workspace.rosters_dir / "2026-12.yaml"
    gap = next(gap for gap in read_roster(path, str(path))[0].unfilled
               if date(2026, 12, 14) <= gap.day <= date(2026, 12, 20) and gap.role == "service")
    place = next(place for place in explain(workspace, gap.day, gap.shift)
                 if place.staff is None and place.role == "service")
    assert [s.week for s in place.capacity] == [date(2026, 12, 14)]
    (other,) = explain(workspace, date(2026, 12, 4), "night")
    assert other.capacity == ()


def test_a_misspelt_key_says_the_key_meant():
    staff = "- {id: zhangwei, name: 张伟, role: [service], 请假: [\"2026-12-24\"]}\n"
    said = "\n".join(problems_of(rules_text(DAY, staff, "min_rest_hour: 12\n")))
    assert "staff[0].role: for 'role' write roles\n" in said + "\n"
    assert "请假" not in said  # a key written in Chinese is read (tests/test_rules_chinese_keys)
    assert "constraints.min_rest_hour: for 'min_rest_hour' write min_rest_hours\n" in said + "\n"
    far = "\n".join(problems_of(rules_text(DAY, ONE, "colour: red\n")))
    assert "constraints.colour: unknown field (expected one of: min_rest_hours" in far


def test_the_grid_by_person_counts_as_stats_does(workspace, cli):
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    grid = cli("roster", "show", "--month", "2026-12", "--by", "人员", env=ZH).stdout.splitlines()
    assert grid[0].split()[-2:] == ["班次数", "备班"]
    stats = json.loads(cli("roster", "stats", "--month", "2026-12", "-f", "json").stdout)
    counted = {row["name"]: (row["shifts"], row["on_call"]) for row in stats["staff"]} \
        if isinstance(stats.get("staff"), list) else None
    shown = {line.split()[0]: (int(line.split()[-2]), int(line.split()[-1]))
             for line in grid[2:]}
    assert counted is None or shown == counted, (shown, counted)
    assert shown["王强"][1] > 0 and sum(on_call for _, on_call in shown.values()) == 31


def test_stats_name_no_widest_role_where_every_group_is_even(workspace, cli):
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    table = cli("roster", "stats", "--month", "2026-12", env=ZH).stdout.splitlines()
    holidays = next(line for line in table if line.startswith("节假日班") and "不适用" not in line
                    and len(line.split()) >= 3)
    assert holidays.split()[2] in ("0", "0.0") and len(holidays.split()) == 3, holidays
    data = json.loads(cli("roster", "stats", "--month", "2026-12", "-f", "json").stdout)
    assert data["spread_adjusted"]["holidays"] == 0  # December has no holiday
    assert data["spread_adjusted_role"]["holidays"]  # the data keep the group measured


def test_roster_check_takes_a_month_without_its_year(workspace, cli, clock):
    clock.set("2026-11-20T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "12月").exit_code == 0
    assert cli("roster", "check", "12月", env=ZH).exit_code == 0
    assert cli("roster", "check", "下个月", env=ZH).exit_code == 0
    later = cli("roster", "check", "1月", env=ZH)
    assert later.exit_code == 2 and "还没有 2027年1月 的排班表" in later.stderr


def test_who_says_why_nobody_takes_over_after_the_last_roster(workspace, cli):
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    last = cli("who", "--at", "2026-12-31 23:00", env=ZH).stdout.splitlines()[-1]
    assert last.endswith("→ 无人（还没有覆盖那一天的排班表，请运行 'dutyctl 排班 生成 --月份 2027-01'）"), last
    inside = cli("who", "--at", "2026-12-30 23:00", env=ZH).stdout.splitlines()[-1]
    assert "无人" not in inside and "还没有" not in inside


def test_check_of_a_roster_in_a_year_without_notices_says_what_to_write_where(workspace, cli):
    edit_rules(workspace, "extra_holidays: []", 'extra_holidays: ["2027-01-01"]')
    assert cli("roster", "generate", "--month", "2027-01").exit_code in (0, 1)
    edit_rules(workspace, 'extra_holidays: ["2027-01-01"]', "extra_holidays: []")
    said = cli("roster", "check", "2027-01", env=ZH).stdout
    assert "rosters/2027-01.yaml: 中国法定节假日日历还没有 2027 年的官方放假安排：请在 rosters/rules.yaml 的 " \
           "calendar: 下列出该年的节假日" in said, said


def test_a_day_without_its_year_is_the_nearest_one(workspace, cli, clock):
    from dutyctl.roster.rosterfile import nearest_year

    assert nearest_year("1月1日", date(2026, 1, 1), date(2026, 12, 20)) == date(2027, 1, 1)
    assert nearest_year("12月5日", date(2027, 12, 5), date(2027, 1, 3)) == date(2026, 12, 5)
    assert nearest_year("２月２９日", date(2028, 2, 29), date(2027, 12, 1)) == date(2028, 2, 29)
    assert nearest_year("2026-01-01", date(2026, 1, 1), date(2026, 12, 20)) == date(2026, 1, 1)
    clock.set("2026-12-20T10:00:00+08:00")
    edit_rules(workspace, "extra_holidays: []", 'extra_holidays: ["2027-01-01"]')
    for month in ("2026-12", "2027-01"):
        assert cli("roster", "generate", "--month", month).exit_code in (0, 1)
    shown = cli("roster", "show", "--from", "12月31日", "--to", "1月1日", env=ZH)
    assert shown.exit_code == 0 and shown.stdout.splitlines()[5].startswith("1月1日 周五"), \
        shown.stdout
    explained = cli("roster", "explain", "1月1日", "夜班", env=ZH)
    assert explained.exit_code == 0 and explained.stdout.startswith("1月1日 周五 夜班")


def test_a_day_listed_both_as_holiday_and_working_day_is_refused(workspace, cli):
    edit_rules(workspace, "extra_holidays: []",
          'extra_holidays: [{from: "2026-12-24", to: "2026-12-26", reason: 圣诞}]')
    edit_rules(workspace, "extra_workdays: []", 'extra_workdays: ["2026-12-26"]')
    found = cli("check", env=ZH)
    assert found.exit_code == 1
    assert "calendar.extra_workdays: 2026年12月26日 周六 既列为节假日又列为上班日：每一天只能写在其中一处" in \
        found.stdout, found.stdout


def test_a_chinese_days_rule_that_counts_from_a_day_needs_that_day():
    """每月 or 每两天 name no day to count from: without `anchor:` they counted from
    2000-01-03 (每月: the 3rd); with it, 每月 from the 31st falls on a short month's last day."""
    for rule in ("每月", "每周", "每两天", "每两周周三"):
        said = "\n".join(problems_of(rules_text(DAY.replace("  need:", f"  days: {rule}\n  need:"),
                                                ONE)))
        assert f"days: '{rule}' counts from a day it does not name" in said, said
    monthly = parse(rules_text(DAY.replace("  need:", '  days: 每月\n  anchor: "2026-01-31"\n'
                                                       "  need:"), ONE)).shifts[0]
    assert monthly.occurs(date(2026, 2, 28), None) and monthly.occurs(date(2026, 3, 31), None)
    assert not monthly.occurs(date(2026, 3, 3), None)
    assert parse(rules_text(DAY.replace("  need:", "  days: 每月1日\n  need:"), ONE)).shifts[0] \
        .occurs(date(2026, 12, 1), None)  # a day named: no anchor needed


def test_a_word_that_is_both_a_shift_s_name_and_a_preference_is_asked_about():
    shifts = DAY + '- {id: wk, name: 周末, start: "09:00", end: "17:00", need: {service: 1}}\n'
    said = "\n".join(problems_of(rules_text(
        shifts, "- {id: zhangwei, name: 张伟, roles: [service], avoid: [周末]}\n")))
    assert "avoid[0]: '周末' is both the name of the shift wk and the word for weekends" in said
    rest = "\n".join(problems_of(rules_text(
        DAY + '- {id: 休息, start: "09:00", end: "17:00", need: {service: 1}}\n', ONE)))
    assert "'休息' is reserved for rest steps in rotation patterns" in rest


def test_the_not_on_that_day_finding_says_the_days_as_written():
    from dutyctl.roster.validate import _not_running

    shift = parse(rules_text(DAY.replace("  need:", "  days: 每周一、三、五\n  need:"), ONE)).shifts[0]
    assert "(days: 每周一、三、五)" in _not_running(shift, date(2026, 12, 7))
    anchored = parse(rules_text(DAY.replace(
        "  need:", "  days: 每周一、三、五\n  anchor: \"2026-12-02\"\n  need:"), ONE)).shifts[0]
    assert not anchored.occurs(date(2026, 11, 30), None)  # a Monday, but before the anchor
    assert _not_running(anchored, date(2026, 11, 30)) == (  # not "does not run" on a Monday
        'the shift runs from its anchor on (days: 每周一、三、五, anchor: "2026-12-02"): that day '
        "comes before it")


@pytest.mark.parametrize("said, meant", [("每个工作日", "workdays"), ("每工作日", "workdays"),
                                         ("每个休息日", "restdays")])
def test_every_working_day_said_with_each_is_the_working_days(said, meant):
    """`days: 每个工作日` is how a supervisor says 工作日: the same shift, not a refusal."""
    chinese = parse(rules_text(DAY.replace("  need:", f"  days: {said}\n  need:"), ONE))
    english = parse(rules_text(DAY.replace("  need:", f"  days: {meant}\n  need:"), ONE))
    assert chinese.shifts == english.shifts


def test_a_rotation_written_with_a_name_and_no_id_goes_by_its_name():
    """`- name: 前台轮班` as shifts and staff are written: its id, not 'unknown field name'."""
    rotation = ("rotations:\n  - name: 前台轮班\n    shifts: [白班]\n    members: [张伟]\n"
                "    pattern: [白班, 休息]\n    start: \"2026-12-01\"\n")
    rules = parse(rules_text(DAY, ONE, extra=rotation))
    assert [(r.id, r.shifts, r.pattern) for r in rules.rotations] == [
        ("前台轮班", ("day",), ("day", "rest"))]
    spaced = "\n".join(problems_of(rules_text(DAY, ONE, extra=rotation.replace(
        "name: 前台轮班", "name: 前台 轮班"))))
    assert "rotations[0].name: '前台 轮班' cannot be a rotation id" in spaced
    shifts = DAY + '- {id: night, name: 夜班, start: "20:00", end: "08:00", need: {service: 1}}\n'
    twice = rotation + rotation.replace("rotations:\n", "").replace("白班", "夜班")
    said = "\n".join(problems_of(rules_text(shifts, ONE, extra=twice)))
    assert "rotations[1].name: '前台轮班' is already the id of the rotation on line" in said, said


def test_generating_a_month_in_use_again_never_rewrites_its_past_unasked(cli, workspace, clock):
    """People clocked in against the past days; attendance and reports judge by them: a
    regeneration that would change one is refused (exit 2, nothing written); forced, it plans
    the days to come and keeps the days begun as they were (it re-planned them, attendance
    rewritten for shifts worked); one that leaves the past as it was goes ahead."""
    clock.set("2026-10-20T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-10").exit_code == 0
    path = workspace.root / "rosters" / "2026-10.yaml"
    before = path.read_text(encoding="utf-8")
    edit_rules(workspace, "max_hours_per_week: 48", "max_hours_per_week: 40")
    again = cli("roster", "generate", "--month", "2026-10")
    assert again.exit_code == 2, again.stderr
    assert again.stderr.startswith("rosters/2026-10.yaml is in use: generating it again would "
                                   "change ")
    assert "'dutyctl roster swap' or 'dutyctl roster override', or use --force" in again.stderr
    assert path.read_text(encoding="utf-8") == before
    zh = cli("--lang", "zh_CN", "排班", "生成", "--月份", "2026-10")
    assert "'dutyctl 换班'" in zh.stderr and "--强制" in zh.stderr, zh.stderr
    forced = cli("roster", "generate", "--month", "2026-10", "--force")
    assert forced.exit_code in (0, 1) and path.read_text(encoding="utf-8") != before
    import re

    def places(text):
        return {(m[1], m[2], m[3], m[4]) for m in re.finditer(
            r'date: "([\d-]+)", shift: ([^,]+), role: ([^,]+), staff: ([^}]+)}', text)
            if m[1] <= "2026-10-20"}
    assert places(path.read_text(encoding="utf-8")) == places(before)  # kept as they were
    assert re.search(r"would change \d+ places on days already begun", again.stderr)
    assert "was in use" not in forced.stderr  # nothing of the days begun changed
    # --at a moment before the month reckons the month from it, but the days worked are
    # those the clock has begun: refused all the same (it rewrote 12-04 once people had
    # worked it)
    edit_rules(workspace, "max_hours_per_week: 40", "max_hours_per_week: 42")
    back = cli("roster", "generate", "--month", "2026-10", "--at", "2026-09-28 10:00")
    assert back.exit_code == 2 and "in use" in back.stderr, back.stderr
    edit_rules(workspace, "max_hours_per_week: 42", "max_hours_per_week: 40")
    clock.set("2026-09-20T10:00:00+08:00")  # before the month: nothing past to keep
    edit_rules(workspace, "max_hours_per_week: 40", "max_hours_per_week: 48")
    assert cli("roster", "generate", "--month", "2026-10").exit_code in (0, 1)


def test_a_month_in_use_with_overrides_forced_keeps_its_days_begun(cli, workspace, clock):
    """A roster in use carrying an override of a day worked: --force re-planned the days
    already worked without a word (attendance rewritten for shifts people had worked, the
    override's stand-in absent). The refusal says what --force does; forced, the days begun
    stay as the staff were told, the stand-in included, and the days to come are planned."""
    import json

    clock.set("2026-10-20T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-10").exit_code == 0
    rows = json.loads(cli("roster", "show", "--month", "2026-10", "-f", "json").stdout)
    place = next(row for row in rows if row["date"] == "2026-10-15" and row["role"] == "service")
    busy = {row["staff"] for row in rows if row["date"] == "2026-10-15"}
    free = next(row["staff"] for row in rows if row["role"] == "service"
                and row["staff"] not in busy)  # forced: a rule it breaks is no matter here
    swapped = cli("roster", "override", "2026-10-15", place["shift"], free, "--reason", "病假",
                  "--replaces", place["staff"], "--force")
    assert swapped.exit_code in (0, 1), swapped.stderr
    told = json.loads(cli("roster", "show", "--month", "2026-10", "-f", "json").stdout)
    again = cli("roster", "generate", "--month", "2026-10")
    assert again.exit_code == 2
    assert ("carries 1 manual override: regenerating would drop it; use --force to replace "
            "it. It is in use since 2026-10-01: --force plans the days to come again and keeps "
            "the days already begun as they are") in again.stderr, again.stderr
    edit_rules(workspace, "max_hours_per_week: 48", "max_hours_per_week: 40")
    forced = cli("roster", "generate", "--month", "2026-10", "--force")
    assert forced.exit_code in (0, 1), forced.stderr
    after = json.loads(cli("roster", "show", "--month", "2026-10", "-f", "json").stdout)

    def begun(rows) -> list:
        return sorted((row["date"], row["shift"], row["role"], row["staff"] or "")
                      for row in rows if row["date"] <= "2026-10-20")

    assert begun(after) == begun(told)  # the stand-in of 10-15 too
    assert any((row["date"], row["shift"], row["staff"]) == ("2026-10-15", place["shift"], free)
               for row in after)
    clock.set("2026-09-20T10:00:00+08:00")  # before the month: the override alone is said
    ahead = cli("roster", "generate", "--month", "2026-10")
    assert ahead.exit_code == 2 and "in use" not in ahead.stderr, ahead.stderr


def test_the_older_rules_note_finds_its_roster_by_the_path_as_listed(workspace, cli, clock,
                                                                      monkeypatch):
    """The note's roster is found by its path as listed (Problem.listed), never by the path
    made safe to show: a name with an ESC byte is shown as one with a real ␛ would be, so
    matching shown names would find the wrong file, or none. Roster files are named by their
    period, so the test gives December an unsafe label; the note still says it escaped."""
    from dutyctl.workspace import Workspace

    clock.set("2026-11-20T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    edit_rules(workspace, "      service: 1\n      technician: 1\n",
               "      service: 2\n      technician: 1\n")
    listed = Workspace.relative
    monkeypatch.setattr(Workspace, "relative", lambda self, path: listed(self, path).replace(
        "2026-12.yaml", "2026-12\x1b[2J.yaml"))
    checked = cli("roster", "check", "2026-12")
    assert checked.exit_code == 1 and "rosters/2026-12␛[2J.yaml:" in checked.stdout
    assert checked.stderr.splitlines()[-1].startswith(
        "note: the rules have changed since rosters/2026-12␛[2J.yaml was generated"), \
        checked.stderr
    assert "\x1b" not in checked.stdout + checked.stderr


@pytest.mark.parametrize("old, new", [
    ('      - from: "2026-12-10"\n        to: "2026-12-12"',
     '      - from: "2026-12-10"\n        to: "2028-12-12"'),
    ("extra_holidays: []", 'extra_holidays: [{from: "2026-12-24", to: "2029-01-01"}]')])
def test_a_range_of_days_longer_than_a_year_is_refused_at_its_line(workspace, cli, old, new):
    """A leave or holiday range from another desk running over centuries had every roster
    question walk millions of days (`who` took seconds a line): a range covers a year at
    most, and the longer one is said at its line, its days never listed."""
    edit_rules(workspace, old, new)
    lines = (workspace.rosters_dir / "rules.yaml").read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, 1)
                if text.strip().startswith(new.splitlines()[-1].strip()))
    found = cli("roster", "check")
    assert found.exit_code in (1, 2), found.output
    assert f"rosters/rules.yaml:{line}: " in found.stdout + found.stderr
    assert "days: one covers at most 366 days (a year)" in found.stdout + found.stderr


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_number_that_is_no_number_is_said_so(value):
    """YAML reads .nan and .inf as floats: .nan was said to be "not more than 168", .inf as
    too large, -.inf as negative; each is no number of hours at all."""
    said = problems_of(rules_text(DAY, ONE, constraints=f"min_rest_hours: {value}"))
    assert len(said) == 1 and said[0].startswith(
        "rules.yaml:") and ": constraints.min_rest_hours: expected a number, not " in said[0], said


def test_explain_given_a_person_says_what_it_explains_and_where_their_shifts_are(workspace, cli,
                                                                                 clock):
    """`排班 说明 李娜` was "missing argument 班次", as if 李娜 were a day; `排班 说明 12月5日 李娜`
    "no shift 李娜". Both say what explains a day's shift and where a person's shifts are."""
    clock.set("2026-11-20T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    hint = ("“李娜”是员工：dutyctl 排班 说明 用于查看某天某班次为什么这样排（日期 班次，如 12月5日 夜班）；"
            "此人的班次：dutyctl 排班 查看 --员工 李娜")
    for args in (("李娜",), ("12月5日", "李娜")):
        refused = cli("排班", "说明", *args, env=ZH)
        assert refused.exit_code == 2 and refused.stderr.strip() == hint, refused.stderr
    shown = cli("排班", "查看", "--员工", "李娜", "--月份", "2026-12", env=ZH)
    assert shown.exit_code == 0, shown.stderr
    missing = cli("排班", "说明", "12月5日", env=ZH)
    assert missing.exit_code == 2 and "dutyctl 排班 说明 日期 班次" in missing.stderr
    assert cli("排班", "说明", "12月5日", "夜班", env=ZH).exit_code == 0


def test_stats_of_a_month_its_roster_covers_in_part_says_so(workspace, cli, clock):
    """`排班 统计 --月份 2026-12` over a roster of 12-01 alone reported its spreads as the
    month's in silence (`排班 检查` knew the other 30 days had none)."""
    clock.set("2026-11-20T10:00:00+08:00")
    made = cli("roster", "generate", "--from", "2026-12-01", "--to", "2026-12-01")
    assert made.exit_code in (0, 1), made.stderr
    stats = cli("roster", "stats", "--month", "2026-12", env=ZH)
    assert stats.exit_code == 0, stats.stderr
    assert ("注意：本期有 30 天没有排班表（12月2日 周三至12月31日 周四）：以上数字只计有排班的日子"
            in stats.stderr), stats.stderr
    assert cli("roster", "generate", "--from", "2026-12-02", "--to", "2026-12-31").exit_code \
        in (0, 1)
    assert "注意" not in cli("roster", "stats", "--month", "2026-12", env=ZH).stderr


def test_a_change_recorded_at_a_time_to_come_is_refused(workspace, cli, clock):
    """`roster override --at` a time after now was written into the roster as made then
    (exit 0), where every other step refuses a time to come."""
    clock.set("2026-11-20T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    roster = workspace.rosters_dir / "2026-12.yaml"
    before = roster.read_bytes()
    for command in (("roster", "override", "2026-12-20", "白班", "高峰"),
                    ("roster", "swap", "2026-12-20", "白班", "陈静", "2026-12-21", "夜班",
                     "李娜")):
        refused = cli(*command, "--reason", "私事", "--at", "2026-11-24 10:00", env=ZH)
        assert refused.exit_code == 2, refused.stdout + refused.stderr
        assert "在将来" in refused.stderr and refused.stderr.count("\n") == 1, refused.stderr
    assert roster.read_bytes() == before


def test_a_shift_given_to_another_is_cancelled_in_the_persons_calendar(workspace, cli, clock):
    """After a swap, 刘洋's calendar file lacked the shift he gave away: a phone that imports it
    again kept the old event standing. It is there, cancelled, under its UID."""
    import icalendar

    from dutyctl.roster.rosterfile import read_roster

    clock.set("2026-11-20T10:00:00+08:00")
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    roster, _ = read_roster(workspace.rosters_dir / "2026-12.yaml", "2026-12")
    day = next(a.day for a in roster.assignments if a.staff == "liuyang" and a.shift == "day")

    def events(staff: str) -> dict[str, dict]:
        shown = cli("roster", "export", "--format", "ics", "--staff", staff, "--month", "2026-12")
        calendar = icalendar.Calendar.from_ical(shown.stdout)
        return {str(event["UID"]): event for event in calendar.walk("VEVENT")}

    before = events("liuyang")
    (uid,) = [uid for uid, event in before.items()
              if event.decoded("dtstart").date() == day and uid.startswith(f"{day}-day-")]
    assert "STATUS" not in before[uid]
    clock.set("2026-11-22T09:00:00+08:00")
    assert cli("roster", "override", day.isoformat(), "白班", "王强", "--replaces", "刘洋",
               "--reason", "私事", "--force").exit_code == 0
    after = events("liuyang")
    assert str(after[uid]["STATUS"]) == "CANCELLED"
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert "王强" in str(after[uid]["SUMMARY"])
    taker = events("wangqiang")
    assert "STATUS" not in taker[uid]  # his: an ordinary shift, the same UID


def test_a_swap_across_two_months_is_checked_with_both_halves(workspace, cli, clock):
    """张伟's night of 10-31 for 李娜's day of 11-01: each month's file was checked beside the
    other as it stood, 李娜 still on 11-01's day after the night she takes (0 h rest) and
    张伟 still on the night before the day he takes: a valid swap refused."""
    from tests.helpers_desk import write_desk_rules, write_roster

    write_desk_rules(workspace.root)
    write_roster(workspace.root, "2026-10-01", "2026-10-31",
                 [("2026-10-30", "day", "lina"), ("2026-10-31", "night", "zhangwei")])
    write_roster(workspace.root, "2026-11-01", "2026-11-30",
                 [("2026-11-01", "day", "lina"), ("2026-11-02", "night", "zhangwei")])
    clock.set("2026-10-20T10:00:00+08:00")
    swapped = cli("roster", "swap", "2026-10-31", "night", "zhangwei", "2026-11-01", "day",
                  "lina", "--reason", "私事")
    assert swapped.exit_code == 0, swapped.stderr
    assert "min_rest_hours" not in cli("roster", "check").stdout  # no rest broken by it
    # a break the swap makes across the months is still refused: 李娜 from 10-30's day into
    # 10-31's night is fine, but 张伟 then has 11-01's day and 11-02's night, and taking
    # 李娜's 10-30 day as well would leave her none
    refused = cli("roster", "swap", "2026-10-30", "day", "lina", "2026-11-01", "day", "zhangwei",
                  "--reason", "x")
    assert refused.exit_code == 2 and "rest" in refused.stderr, refused.stderr
