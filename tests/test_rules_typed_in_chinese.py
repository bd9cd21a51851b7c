"""A new center's supervisor edits rosters/rules.yaml by hand with a Chinese input method:
full-width colons and spaces, tabs, names instead of ids, dates as 2026/12/24 or 2026年12月24日.
Each slip is one line `path:line: what to do` on the line typed, in the user's language; the
days and months typed on the command line as 2026/12/3 or 2026年12月 are read too."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from dutyctl.roster.rules import read_rules
from dutyctl.timeutil import month_of, parse_day, parse_when, written_date, zone
from tests.helpers_roster import edit_rules

ZH = {"DUTYCTL_LANG": "zh_CN"}
SHANGHAI = zone("Asia/Shanghai")


def package_guesses(monkeypatch, days: dict[str, str]) -> None:
    """The installed package's calendar as tests/holiday_data.py's (notice for 2025-2026),
    guessing `days` beyond it besides, as the real package guesses the years it has no
    notice of."""
    from dutyctl import sitecalendar
    from tests import holiday_data

    monkeypatch.setattr(sitecalendar, "official_calendar", lambda country: holiday_data.china(
        holidays={**holiday_data.HOLIDAYS, **days}))




@pytest.mark.parametrize("old, new, said", [
    ("  min_rest_hours: 12", "  min_rest_hours：12", "键后面用了全角冒号“：”"),
    ("    name: 李娜", "    name：李娜", "键后面用了全角冒号“：”"),
    ("  min_rest_hours: 12", "\tmin_rest_hours: 12", "缩进里有制表符（Tab）"),
    ("  - id: lina", "\u3000- id: lina", "缩进里有全角空格"),
    ("  min_rest_hours: 12", "  min_rest_hours:12", "“min_rest_hours”的冒号后缺少空格"),
], ids=["wide-colon", "wide-colon-before-a-name", "tab", "wide-space", "no-space"])
def test_a_typing_slip_is_named_on_the_line_typed(workspace, cli, old, new, said):
    line = edit_rules(workspace, old, new)
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1
    assert checked.stdout.splitlines()[0].startswith(f"rosters/rules.yaml:{line}: {said}"), \
        checked.stdout
    generated = cli("roster", "generate", "--month", "2026-12", env=ZH)
    assert generated.exit_code == 2 and "Traceback" not in generated.stderr
    assert generated.stderr.startswith(f"rosters/rules.yaml:{line}: {said}")
    assert not (workspace.rosters_dir / "2026-12.yaml").exists()  # nothing half-written


def test_the_parsers_own_words_are_said_in_chinese_and_kept_in_english(workspace, cli):
    line = edit_rules(workspace, "    roles: [service]\n    leave:",
                       "    roles: [service]\n   leave:")
    assert cli("check", env=ZH).stdout.startswith(
        f"rosters/rules.yaml:{line + 1}: YAML 格式错误：列表项缺少“- ”，或缩进与上面的列表项对不齐")
    assert cli("check").stdout.startswith(
        f"rosters/rules.yaml:{line + 1}: not valid YAML: did not find expected '-' indicator")


def test_a_shift_written_by_its_name_is_the_shift(workspace, cli):
    from dutyctl.roster.rules import load_rules

    by_id = load_rules(workspace)
    edit_rules(workspace, "roles: [service, supervisor]", "roles: [service， supervisor]")
    edit_rules(workspace, "avoid: [night]", "avoid: [夜班]")
    said = cli("check", env=ZH).stdout
    assert "staff[0].roles: “service， supervisor”是多个岗位：岗位之间请用半角逗号“,”分隔" in said
    assert "avoid" not in said
    edit_rules(workspace, "roles: [service， supervisor]", "roles: [service, supervisor]")
    assert load_rules(workspace).member("wangqiang").avoid == by_id.member("wangqiang").avoid


def test_a_role_may_be_written_by_its_name(workspace, cli):
    """A supervisor writes 客服专员 where the rules want a role (a person's roles, a shift's
    need, coverage): read as the role's id, the roster is the one the ids give."""
    from dutyctl.roster.rules import load_rules

    by_id = load_rules(workspace)
    edit_rules(workspace, "    roles: [service]\n    leave:", "    roles: [客服专员]\n    leave:")
    edit_rules(workspace, "      service: 1\n    # night:", "      客服专员: 1\n    # night:")
    said = cli("check", env=ZH)
    assert said.exit_code == 0, said.stdout
    by_name = load_rules(workspace)
    assert [member.roles for member in by_name.staff] == [member.roles for member in by_id.staff]
    assert [shift.need for shift in by_name.shifts] == [shift.need for shift in by_id.shifts]


def test_an_unknown_role_lists_the_roles_by_name_and_id(workspace, cli):
    edit_rules(workspace, "      service: 1\n    # night:", "      cook: 1\n    # night:")
    said = cli("check", env=ZH).stdout
    assert "need.cook: dutyctl.yaml 的 岗位: 中没有岗位“cook”（已有：客服专员（service）、" \
           "客服主管（supervisor）、维修工（technician）" in said


@pytest.mark.parametrize("env, example", [
    ({}, 'expected a date like "2026-12-24" or a range {from: "2026-12-10", to: "2026-12-12"}'),
    (ZH, '应为日期，如 "2026-12-24"，或区间 {from: "2026-12-10", to: "2026-12-12"}'),
], ids=["en", "zh_CN"])
def test_the_leave_example_shows_its_braces_once(workspace, cli, clock, env, example):
    edit_rules(workspace, '- "2026-12-24"', '- "圣诞节"')  # a holiday's name: no date
    said = cli("check", env=env).stdout
    assert f"staff[1].leave[0]: {example}" in said and "{{" not in said
    edit_rules(workspace, '- "圣诞节"', '- "12月24日"')  # no year: which 12月24日? it says so
    said = cli("check", env=env).stdout
    assert "staff[1].leave[0]: " in said and '"2026-12-24"' in said and "{{" not in said


def test_an_impossible_day_in_the_rules_says_the_month_has_no_such_day(workspace, cli):
    edit_rules(workspace, '- "2026-12-24"', '- "2026-11-31"')
    edit_rules(workspace, "extra_holidays: []", 'extra_holidays: ["2027年2月30日"]')
    said = cli("check", env=ZH).stdout
    assert "staff[1].leave[0]: “2026-11-31”：2026年11月只有 30 天，没有 31 日" in said, said
    assert "extra_holidays[0]: “2027年2月30日”：2027年2月只有 28 天，没有 30 日" in said, said
    edit_rules(workspace, '["2027年2月30日"]', "[2027-02-30]")  # unquoted: YAML's own date
    said = cli("check", env=ZH).stdout
    assert "rules.yaml:8: “2027-02-30”：2027年2月只有 28 天，没有 30 日" in said, said
    assert "day is out of range" not in said


def test_rules_dates_written_with_slashes_or_in_chinese(workspace):
    edit_rules(workspace, '- "2026-12-24"', '- "2026/12/24"')
    edit_rules(workspace, 'from: "2026-12-10"', 'from: "2026年12月10日"')
    edit_rules(workspace, 'to: "2026-12-12"', 'to: "２０２６-１２-１２"')
    edit_rules(workspace, "extra_holidays: []", 'extra_holidays: ["2026年12月31日", "2027.1.2"]')
    rules, problems = read_rules(workspace)
    assert problems == []
    assert {date(2026, 12, 24), date(2026, 12, 10), date(2026, 12, 11),
            date(2026, 12, 12)} <= rules.member("lina").leave
    assert rules.calendar.is_holiday(date(2026, 12, 31))
    assert rules.calendar.is_holiday(date(2027, 1, 2))


def test_a_holiday_break_is_listed_as_one_range_as_leave_is(workspace, cli):
    """Spring Festival 2027 as one line, as a supervisor copies it from the notice: the
    year is read from the rules (the package's guess is not used), every day of the range a
    holiday, the day after it not; a range backwards is refused on its line."""
    edit_rules(workspace, "extra_holidays: []",
                'extra_holidays: [{from: "2027-02-06", to: "2027年2月12日", reason: 春节}]')
    edit_rules(workspace, "extra_workdays: []", 'extra_workdays: ["2027-02-14"]')
    rules, problems = read_rules(workspace)
    assert problems == []
    spring = [date(2027, 2, day) for day in range(6, 13)]
    assert all(rules.calendar.is_holiday(day) for day in spring)
    assert not rules.calendar.is_holiday(date(2027, 2, 13))  # a Saturday, not a holiday
    assert not rules.calendar.is_holiday(date(2027, 2, 5))
    assert rules.calendar.holiday_name(date(2027, 2, 8)) == "春节"  # the range's reason
    assert cli("roster", "generate", "--month", "2027-02").exit_code == 0
    shown = cli("roster", "show", "--month", "2027-02", env=ZH).stdout
    assert "2月8日 周一 春节" in shown and "本地节假日" not in shown
    line = edit_rules(workspace, 'to: "2027年2月12日"', 'to: "2027-02-01"')
    said = cli("check", env=ZH).stdout
    assert f"rosters/rules.yaml:{line}: calendar.extra_holidays[0].to: " in said


def test_the_packages_guess_for_a_year_without_notice_is_not_used(monkeypatch):
    """2027 listed in the rules (Spring Festival 02-06..02-12 only): the days the installed
    package guesses for a year it has no notice of (除夕 02-05, 清明 04-05) stay ordinary
    days, as the rules say (was: holidays, so a 一般 repair's working-day deadline and the
    roster's weekday shifts followed the guess)."""
    from dutyctl import sitecalendar

    package_guesses(monkeypatch, {"2027-02-05": "农历除夕", "2027-04-05": "清明节"})
    spring = frozenset(date(2027, 2, day) for day in range(6, 13))
    calendar = sitecalendar.SiteCalendar(extra_holidays=spring)
    assert calendar.covers(2027) and calendar.is_holiday(date(2027, 2, 8))
    for day in (date(2027, 2, 5), date(2027, 4, 5)):  # a Friday, a Monday
        assert not calendar.is_holiday(day) and calendar.is_working_day(day)
        assert calendar.holiday_name(day) is None
    assert not calendar.is_working_day(date(2027, 4, 3))  # a Saturday
    assert calendar.is_holiday(date(2026, 10, 1))  # a year with its notice: the package's


def test_a_month_the_rules_give_no_holiday_where_the_package_guesses_one_is_pointed_out(
        workspace, cli, monkeypatch, clock):
    """2027 listed with New Year only, as a supervisor preparing January: generating February
    says the package guesses 春节 there and where to list the official days; January, listed,
    says nothing of it."""
    package_guesses(monkeypatch, {"2027-02-06": "春节", "2027-02-07": "春节"})
    edit_rules(workspace, "extra_holidays: []", 'extra_holidays: ["2027-01-01"]')
    february = cli("roster", "generate", "--month", "2027-02", "--at", "2026-12-15 10:00")
    assert february.exit_code in (0, 1), february.stderr
    assert ("2027-02: the holidays package guesses 2027-02-06 春节, 2027-02-07 春节 in this "
            "month (a guess, not used), days the rules do not list: if they are official "
            "holidays, list each break whole as the notice gives it (its weekend days too) in "
            "rosters/rules.yaml under calendar: extra_holidays"
            ) in february.stderr
    january = cli("roster", "generate", "--month", "2027-01", "--at", "2026-12-15 10:00")
    assert january.exit_code in (0, 1) and "guesses" not in january.stderr
    # said once as it was written, and by every check of the roster until the days are listed
    reminder = "rosters/2027-02.yaml: 2027-02: the holidays package guesses 2027-02-06 春节"
    clock.set("2026-12-15T10:00:00+08:00")
    for args in (("check",), ("roster", "check"), ("roster", "check", "--month", "2027-02")):
        checked = cli(*args)
        assert reminder in checked.stderr, (args, checked.stderr)
        assert "2027-01: the holidays package" not in checked.stderr
    assert "rosters/2027-02.yaml" not in cli("roster", "check", "--month", "2027-01").stderr
    assert f"warning: {reminder}" in cli("check").stderr  # as check's other warnings
    clock.set("2027-12-15T10:00:00+08:00")  # a roster long worked is not reminded of
    assert "rosters/2027-02.yaml" not in cli("check").stderr
    # a generate refused for another reason (a roster already covers part of the days) says
    # the refusal alone, not the reminder of a roster it did not write
    overlapping = cli("roster", "generate", "--from", "2027-01-25", "--to", "2027-02-10",
                      "--at", "2026-12-15 10:00")
    assert overlapping.exit_code == 2 and "already cover" in overlapping.stderr
    assert "guesses" not in overlapping.stderr, overlapping.stderr
    assert len(overlapping.stderr.strip().splitlines()) == 1, overlapping.stderr


@pytest.mark.parametrize("listed, said", [
    ("[]", "next month (2027-01) cannot be planned yet: the holiday calendar of China has no "
           "official data for 2027 yet"),
    ('["2027-01-09"]', "2027-01: the holidays package guesses 2027-01-01 元旦 in this month"),
    ('["2027-01-01"]', None),
])
def test_check_in_december_says_what_january_lacks_of_its_holidays(
        workspace, cli, monkeypatch, clock, listed, said):
    """Before anything of 2027 is listed, January cannot be planned and a working-day deadline
    reaching it is unknown: `check` says so from December on (it said 一切正常); a year
    unlocked by a make-up working day alone is reminded of the New Year the package guesses,
    before a roster plans 元旦 as a working day."""
    package_guesses(monkeypatch, {"2027-01-01": "元旦"})
    key = "extra_workdays" if listed == '["2027-01-09"]' else "extra_holidays"
    edit_rules(workspace, f"{key}: []", f"{key}: {listed}")
    clock.set("2026-12-10T10:00:00+08:00")
    checked = cli("check")
    assert checked.exit_code == 0, checked.stderr
    warned = [line for line in checked.stderr.splitlines() if "2027" in line]
    if said is None:
        assert warned == []
    else:
        (line,) = warned
        assert line.startswith("warning: rosters/rules.yaml:") and said in line, line
    clock.set("2026-11-10T10:00:00+08:00")  # next month is December: nothing of 2027 yet
    assert "2027" not in cli("check").stderr


def test_a_ticket_whose_deadline_reaches_an_unlisted_year_says_so_as_it_is_filed(
        workspace, cli, monkeypatch, clock):
    """A complaint filed on 12-30, its working-day deadlines reaching 2027 with nothing of
    2027 listed: the deadline is unknown, said as it is filed (it was first said by a
    listing), once; one filed on 12-01 says nothing."""
    package_guesses(monkeypatch, {})
    clock.set("2026-12-30T10:00:00+08:00")
    filed = cli("complaint", "file", "--name", "王五", "--room", "6-2-801", "--phone",
                "13600003333", "--category", "noise", "--content", "楼上噪音", "--staff",
                "zhangwei")
    assert filed.exit_code == 0, filed.stderr
    assert [line for line in filed.stderr.splitlines() if "deadlines unknown" in line] == [
        "deadlines unknown: the holiday calendar has no official data for 2027: list "
        "that year's holidays and make-up working days under calendar.extra_holidays / "
        "extra_workdays in the rules"], filed.stderr
    from_call = cli("log", "call", "--name", "王六", "--room", "6-2-803", "--phone",
                    "13600003335", "--category", "complaint", "--summary", "楼上噪音",
                    "--file-ticket", "--ticket-category", "noise", "--staff", "zhangwei")
    assert from_call.exit_code == 0, from_call.stderr
    assert from_call.stderr.count("deadlines unknown: the holiday calendar has no official "
                                  "data for 2027") == 1, from_call.stderr
    clock.set("2026-12-01T10:00:00+08:00")
    early = cli("complaint", "file", "--name", "王五", "--room", "6-2-802", "--phone",
                "13600003334", "--category", "noise", "--content", "楼上噪音", "--staff",
                "zhangwei")
    assert early.exit_code == 0 and "deadlines unknown" not in early.stderr, early.stderr


@pytest.mark.parametrize("text, day", [
    ("2026-12-24", date(2026, 12, 24)), ("2026/12/24", date(2026, 12, 24)),
    ("2026.1.2", date(2026, 1, 2)), ("2026年1月2日", date(2026, 1, 2)),
    ("2026 年 1 月 2 号", date(2026, 1, 2)), ("20261224", date(2026, 12, 24)),
    ("12月24日", None), ("2026/12-24", None), ("2026/2/30", None), ("明天", None),
], ids=["iso", "slashes", "dots", "chinese", "chinese-spaced", "basic-iso", "no-year",
        "mixed", "impossible", "relative"])
def test_written_date(text, day):
    assert written_date(text) == day


def test_slash_dates_and_months_on_the_command_line():
    now = datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
    assert parse_day("2026/12/3", SHANGHAI, now) == date(2026, 12, 3)
    assert parse_when("2026/12/5 21:00", SHANGHAI, now) == datetime(2026, 12, 5, 21, 0,
                                                                    tzinfo=SHANGHAI)
    assert month_of("2026/12") == date(2026, 12, 1)
    assert month_of("2026年12月") == date(2026, 12, 1)


def test_roster_check_reads_a_month_in_chinese_and_says_days_as_everywhere(workspace, cli):
    assert cli("roster", "generate", "--month", "2026/12").exit_code == 0
    assert cli("roster", "check", "2026年12月", env=ZH).exit_code == 0
    edit_rules(workspace, "      service: 1\n    # night:", "      service: 2\n    # night:")
    checked = cli("roster", "check", "2026年12月", env=ZH)
    assert checked.exit_code == 1
    assert "rosters/2026-12.yaml: 12月1日 周二 夜班 客服专员：覆盖：需 2 人，已排 1 人" \
        in checked.stdout
    assert "2026-12-01 夜班" not in checked.stdout


def test_a_duplicated_staff_id_is_said_in_one_language(workspace, cli):
    rules = (workspace.rosters_dir / "rules.yaml").read_text(encoding="utf-8")
    first = rules.splitlines().index("  - id: chenjing") + 1
    line = edit_rules(workspace, "  - id: sunli", "  - id: chenjing")
    assert f"rosters/rules.yaml:{line}: staff[6].id: 员工编号“chenjing”重复（首次出现在第 " \
           f"{first} 行）" in cli("check", env=ZH).stdout


def test_a_shift_time_typed_in_full_width_is_read(workspace):
    edit_rules(workspace, 'start: "08:00"', 'start: "０８：００"')
    rules, problems = read_rules(workspace)
    assert problems == [] and rules.shift("day").start.hour == 8


def test_check_lists_a_rosters_capacity_first_and_its_days_in_calendar_order(workspace, cli):
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    edit_rules(workspace, "      service: 1\n    # night:",
                "      service: 1\n      supervisor: 1\n    # night:")  # raised after
    lines = cli("check", env=ZH).stdout.splitlines()
    assert lines[0].startswith("rosters/2026-12.yaml: 人力测算：客服主管岗位的班次需要")
    days = [line.split(": ", 1)[1].split(" ", 1)[0] for line in lines[1:]]
    assert days[:11] == [f"12月{day}日" for day in range(1, 12)]


def test_every_argument_of_every_command_says_what_to_give():
    """`roster explain` and `roster swap` listed 日期 [必填] with nothing to say what to type."""
    from tests.sources import leaf_commands

    silent = [f"{' '.join(path)} {param.name}" for path, command in leaf_commands()
              for param in command.params
              if param.param_type_name == "argument" and not getattr(param, "help", None)]
    assert silent == []


@pytest.mark.parametrize("command", [("report", "daily"), ("report", "weekly"),
                                     ("report", "monthly"), ("report", "portfolio"), ("check",)],
                         ids=" ".join)
def test_chinese_help_offers_the_chinese_day_words(cli, command):
    """The words a Chinese screen offers are the ones it reads: 今天, 上周, 本月 (they were
    offered as today, last, this)."""
    shown = cli(*command, "--help", env=ZH).stdout
    assert not {"today", "yesterday", "this", "last"} & set(re.findall(r"[a-z]+", shown))


@pytest.mark.parametrize("typed", ["2026年第48周", "2026年48周", "２０２６年第４８周", "2026-W48"],
                         ids=["chinese", "chinese-without-di", "full-width", "iso"])
def test_a_week_is_read_as_the_weekly_report_titles_it(workspace, cli, clock, typed):
    clock.set("2026-12-01T09:00:00+08:00")
    shown = cli("report", "weekly", "--week", typed, "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["report"]["period"] == "2026-W48"


def test_the_templates_comments_are_in_chinese():
    """A new center's supervisor reads the files `init` makes: every comment line that says
    something in words says it in Chinese (keys, ids and examples may be ASCII)."""
    from dutyctl.workspace import TEMPLATES

    english = []
    templates = Path(__file__).resolve().parents[1] / "dutyctl" / "templates"
    for path in [templates / source for source in TEMPLATES] + [
            path for path in (templates / "zh_CN").rglob("*") if path.is_file()]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            comment = line.partition("#")[2]
            if re.search(r"[a-z]{3,} [a-z]{3,} [a-z]{3,}", comment) \
                    and not re.search(r"[\u4e00-\u9fff]", comment):
                english.append(f"{path.name}:{number}: {line.strip()}")
    assert english == []


@pytest.mark.parametrize("broken, said", [
    (("timezone: Asia/Shanghai", "timezone: 北京时区"),  # unusable: no config at all
     "dutyctl.yaml:4: site.timezone: 未知时区“北京时区”"),
    (("  grace_minutes: 5 ", "  grace_minutes: lots "),  # a bad value elsewhere
     "dutyctl.yaml:112: attendance.grace_minutes: 应为整数"),
], ids=["timezone", "grace_minutes"])
def test_check_with_a_broken_config_still_checks_the_rosters(workspace, cli, broken, said):
    """A roster's findings named roles through dutyctl.yaml: with that file broken, `check`
    stopped at its first problem (exit 2) instead of listing every problem (exit 1); and
    it still names the roles by their names in its `roles:`, never by their ids."""
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    config = workspace.config_path.read_text(encoding="utf-8")
    assert broken[0] in config
    workspace.config_path.write_text(config.replace(*broken), encoding="utf-8")
    edit_rules(workspace, "      service: 1\n    # night:", "      service: 2\n    # night:")
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1, checked.stderr
    lines = checked.stdout.splitlines()
    assert lines[0].startswith(said), lines
    assert any(line.startswith("rosters/2026-12.yaml: 12月1日 周二 夜班 客服专员：覆盖：需 2 人")
               for line in lines), lines
    assert not any("service" in line for line in lines[1:]), lines


def test_check_with_an_unreadable_config_names_roles_by_their_ids(workspace, cli):
    """With dutyctl.yaml not even YAML, nothing names the roles: their ids, still checked."""
    assert cli("roster", "generate", "--month", "2026-12").exit_code == 0
    workspace.config_path.write_text("site: [\n", encoding="utf-8")
    edit_rules(workspace, "      service: 1\n    # night:", "      service: 2\n    # night:")
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1, checked.stderr
    assert any(line.startswith("rosters/2026-12.yaml: 12月1日 周二 夜班 service：覆盖：需 2 人")
               for line in checked.stdout.splitlines()), checked.stdout


def test_a_staff_id_with_a_space_says_what_an_id_may_be(workspace, cli):
    line = edit_rules(workspace, "  - id: gaofeng", "  - id: 高 峰")
    assert f"rosters/rules.yaml:{line}: staff[7].id: “高 峰”不能用作员工编号：含有空格。" \
           "编号由各种文字的字母（包括汉字）和数字组成，中间可用 - _ .，例如 张伟 或 张伟2" \
        in cli("check", env=ZH).stdout


def test_a_shift_id_with_a_colon_and_a_duplicated_one_say_shift(workspace, cli):
    """Each section's refusals are whole sentences of their own (班次编号, not a word pasted
    into the staff's sentence)."""
    unusable = edit_rules(workspace, "  - id: office", "  - id: '行政:班'")
    said = cli("check", env=ZH).stdout
    assert f"rosters/rules.yaml:{unusable}: shifts[3].id: “行政:班”不能用作班次编号" in said
    duplicated = edit_rules(workspace, "  - id: '行政:班'", "  - id: day")
    said = cli("check", env=ZH).stdout
    assert f"rosters/rules.yaml:{duplicated}: shifts[3].id: 班次编号“day”重复（首次出现在第 " in said


def test_a_listed_holiday_s_reason_is_shown_sanitized():
    """The reason comes from a rules file another desk may have written: no raw control
    characters on a terminal."""
    from dutyctl.sitecalendar import SiteCalendar

    day = date(2027, 2, 8)
    calendar = SiteCalendar("CN", frozenset({day}), frozenset(), ((day, "春节\x1b[2J"),))
    assert calendar.holiday_name(day).startswith("春节") and "\x1b" not in calendar.holiday_name(day)


def test_a_role_written_by_id_and_by_name_is_one_role(workspace, cli):
    """need: {service: 1, 客服专员: 1} would make two first seats of one shift and role."""
    edit_rules(workspace, "      service: 1\n    # night:", "      service: 1\n      客服专员: 1\n"
                "    # night:")
    said = cli("check", env=ZH)
    assert said.exit_code == 1 and "“客服专员”就是岗位 service，前面已经写过" in said.stdout


def test_a_role_name_two_roles_share_asks_for_the_id():
    """Two roles of one name (dutyctl.yaml refuses that too): the rules' 客服专员 is not 'no
    such role' but either, and the id is asked for."""
    from dutyctl.roster.rules import parse_rules
    from dutyctl.store import yamlio
    from tests.helpers_roster import DAY, rules_text

    text = rules_text(DAY, "- {id: zhangwei, name: 张伟, roles: [客服专员]}\n")
    _, problems = parse_rules(yamlio.loads(text, "rules.yaml"), "rules.yaml",
                              known_roles={"service": "客服专员", "supervisor": "客服专员"},
                              site_timezone="Asia/Shanghai")
    assert any("'客服专员' could be any of: 客服专员 (service), 客服专员 (supervisor); give the id"
               in str(problem) for problem in problems), problems


def test_a_rotation_s_mistyped_shift_is_one_line_that_lists_the_shifts(workspace, cli):
    """前抬 for 前台 in a rotation's shifts: one line naming the shifts to choose from and the
    one likely meant (as `avoid` says it), not a second one blaming the pattern's (right)
    前台 for not being among the rotation's shifts."""
    path = workspace.rosters_dir / "rules.yaml"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("rotations:\n  - id: 前台轮班\n    shifts: [前抬]\n"
                     "    members: [陈静, 孙丽]\n    pattern: [前台, 前台, 休息, 休息]\n"
                     "    start: \"2026-12-01\"\n")
    line = path.read_text(encoding="utf-8").splitlines().index("    shifts: [前抬]") + 1
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1
    said = [entry for entry in checked.stdout.splitlines() if "rotations[0]" in entry]
    assert said == [f"rosters/rules.yaml:{line}: rotations[0].shifts: 没有班次“前抬”；"
                    "可选：白班、夜班、夜间备班、前台；是不是要输入 前台？"], checked.stdout


@pytest.mark.parametrize("typed, said", [
    ("12月3日-12月5日", "“12月3日-12月5日”没有年份：一段日期请连年份写成 "
                         '{from: "2026-12-03", to: "2026-12-05"} 这样'),
    ('"2026年12月3日-2026年12月5日"', '一段日期请写成 {from: "2026-12-03", to: "2026-12-05"}'),
    ("12月3日至5日", "“12月3日至5日”：一段日期的两头都要写完整的日期，如 "
                   '{from: "2026-12-03", to: "2026-12-05"}'),
    ('"2026年12月3日到6号"', "“2026年12月3日到6号”：一段日期的两头都要写完整的日期，如 "
                          '{from: "2026-12-03", to: "2026-12-06"}'),
], ids=["no-year", "with-year", "end-a-day", "end-a-day-with-year"])
def test_a_leave_typed_as_one_hyphened_range_says_how_to_write_it(workspace, cli, clock, typed,
                                                                  said):
    """A supervisor writes 请假 12月3日-12月5日 as on paper: one line, the range to write."""
    line = edit_rules(workspace, '- "2026-12-24"', f"- {typed}")
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1
    assert f"rosters/rules.yaml:{line}: staff[1].leave[0]: {said}" in checked.stdout, \
        checked.stdout


@pytest.mark.parametrize("typed", ["12月3日至35日", "2月30日"])
def test_a_leave_on_a_day_no_calendar_has_gets_no_made_up_example(workspace, cli, typed):
    """The hint's example is a real day, or there is none: never 2026-12-35."""
    line = edit_rules(workspace, '- "2026-12-24"', f"- {typed}")
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1 and f"rosters/rules.yaml:{line}:" in checked.stdout
    assert "-35" not in checked.stdout and "-02-30" not in checked.stdout, checked.stdout


def test_a_shift_time_said_in_words_says_the_time_to_write_and_nothing_else(workspace, cli):
    """A supervisor writes 前台 开始: 8点半 as on a notice: one line saying to write "08:30";
    the rotation and the wish that name 前台 are not refused as naming no such shift (they
    were: 没有班次“前台”, about a shift standing right there in the file)."""
    line = edit_rules(workspace, '    start: "08:30"', "    start: 8点半")
    edit_rules(workspace, "    avoid: [night]", "    avoid: [night, 前台]")
    with (workspace.rosters_dir / "rules.yaml").open("a", encoding="utf-8") as handle:
        handle.write("rotations:\n  - name: 前台轮班\n    shifts: [前台]\n"
                     "    members: [陈静, 孙丽, 赵磊]\n    start: \"2026-12-01\"\n")
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1
    assert checked.stdout.splitlines() == [
        f'rosters/rules.yaml:{line}: shifts[3].start: “8点半”请写成 "08:30"'
        "（时间一律写成“时:分”，加引号）"], checked.stdout
    edit_rules(workspace, "    start: 8点半", "    start: 下午3点")
    english = cli("check").stdout
    assert "'下午3点' is a time said in words: write it as \"15:00\"" in english, english


def test_a_shifts_section_written_as_one_value_is_one_line_not_a_crash(workspace, cli):
    """`shifts: "23:59"` (a value where the list goes) while a wish says `avoid: [night]`:
    one line for the section, exit 2 from generate, the roster not written. The wish and the
    rotation name shifts of a section not read, so they are not refused too; before, the
    guess at what `night` was meant as searched a list of no shift names and generate ended
    with the unexpected error (exit 3)."""
    path = workspace.rosters_dir / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("\nshifts:\n") + 1, text.index("\nstaff:\n") + 1
    path.write_text(text[:start] + 'shifts: "23:59"\n' + text[end:]
                    + "rotations:\n  - name: 前台轮班\n    shifts: [前台]\n"
                    "    members: [陈静, 孙丽]\n    start: \"2026-12-01\"\n", encoding="utf-8")
    assert "    avoid: [night]" in path.read_text(encoding="utf-8")
    line = text[:start].count("\n") + 1
    made = cli("roster", "generate", "--month", "2026-12", env=ZH)
    assert made.exit_code == 2, made.output
    assert made.stderr.splitlines() == [
        f"rosters/rules.yaml:{line}: shifts: 应为列表：请写成 [23:59]"], made.stderr
    assert not (workspace.rosters_dir / "2026-12.yaml").exists()
    # an empty list is the same: one line, no wish or rotation refused for it
    path.write_text(path.read_text(encoding="utf-8").replace('shifts: "23:59"', "shifts: []"),
                    encoding="utf-8")
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1
    assert [row.split(": ", 1)[1] for row in checked.stdout.splitlines()] == [
        "shifts: 至少需要一项"], checked.stdout


def test_a_rotation_s_mistyped_member_says_whom_it_likely_meant(workspace, cli):
    """孙莉 for 孙丽 (the input method's neighbour) in a rotation's members: the refusal says
    whom, as a name typed at the desk does."""
    path = workspace.rosters_dir / "rules.yaml"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("rotations:\n  - name: 前台轮班\n    shifts: [前台]\n"
                     "    members: [陈静, 孙莉, 赵磊]\n    start: \"2026-12-01\"\n")
    line = path.read_text(encoding="utf-8").splitlines().index("    members: [陈静, 孙莉, 赵磊]") + 1
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1
    assert checked.stdout.splitlines() == [
        f"rosters/rules.yaml:{line}: rotations[0].members: 没有员工“孙莉”；"
        "是不是要输入 孙丽（sunli）？"], checked.stdout


def test_a_local_holiday_alone_in_a_month_does_not_hide_the_national_one_guessed(
        workspace, cli, monkeypatch):
    """Only a local 小区业主节 listed for January 2027 let the year through and passed for the
    month's whole list: 元旦 was planned as a working day in silence. The guess is named."""
    package_guesses(monkeypatch, {"2027-01-01": "元旦"})
    edit_rules(workspace, "extra_holidays: []", 'extra_holidays: ["2027-01-15"]')
    january = cli("roster", "generate", "--month", "2027-01", "--at", "2026-12-15 10:00")
    assert january.exit_code in (0, 1), january.stderr
    assert "guesses 2027-01-01 元旦 in this month (a guess, not used)" in january.stderr, \
        january.stderr
    # nor does a local day next to a one-day holiday (1月2日 beside 元旦's 1月1日)
    edit_rules(workspace, 'extra_holidays: ["2027-01-15"]', 'extra_holidays: ["2027-01-02"]')
    (workspace.rosters_dir / "2027-01.yaml").unlink()
    beside = cli("roster", "generate", "--month", "2027-01", "--at", "2026-12-15 10:00")
    assert "guesses 2027-01-01 元旦 in this month" in beside.stderr, beside.stderr


def test_a_syntax_error_says_the_rest_of_the_file_waits_for_it(workspace, cli):
    """A tab in the indentation stops the parser: the one problem said ("1 个问题") hid every
    other mistake of the file without a word. The line says the file was read no further."""
    line = edit_rules(workspace, "  min_rest_hours: 12", "\tmin_rest_hours: 12")
    checked = cli("check", env=ZH)
    assert f"rosters/rules.yaml:{line}: 缩进里有制表符" in checked.stdout
    assert "文件读到这里就读不下去了：改好后再检查一次，其余的问题才会列出" in checked.stdout


def test_a_chinese_comma_in_avoid_is_named_as_for_roles(workspace, cli):
    """`不愿上: [夜班，周末]`: YAML reads one item, and the line said it was no shift, weekday
    or date, the comma never named (it is, in 岗位)."""
    line = edit_rules(workspace, "  - id: lina\n", "  - id: lina\n    avoid: [night，weekends]\n")
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1
    said = [one for one in checked.stdout.splitlines()
            if one.startswith(f"rosters/rules.yaml:{line + 1}:")]
    assert said and "是几项：各项之间请用半角逗号“,”分隔" in said[0], checked.stdout
    edit_rules(workspace, "    avoid: [night，weekends]\n", "    avoid: [night，下雨天]\n")
    assert "半角逗号" not in cli("check", env=ZH).stdout  # a part that is none: not said so


def test_a_leave_written_as_one_range_of_text_gets_the_whole_list_form(workspace, cli):
    """`leave: 2026-12-10至2026-12-12` was told to be written `[2026-12-10至2026-12-12]`, which
    the next check refused again (a range is {from, to}): the one form that is read, at once."""
    line = edit_rules(workspace, '''    leave:
      - "2026-12-24"
      - from: "2026-12-10"
        to: "2026-12-12"
''', "    leave: 2026-12-10至2026-12-12\n")
    said = cli("check").stdout.splitlines()
    assert (f'rosters/rules.yaml:{line}: staff[1].leave: expected a list: a range of days is '
            'written {from: "2026-12-10", to: "2026-12-12"}, in square brackets [ ]') in said
    edit_rules(workspace, "    leave: 2026-12-10至2026-12-12\n",
               '    leave: [{from: "2026-12-10", to: "2026-12-12"}]\n')
    assert not [one for one in cli("check").stdout.splitlines() if ".leave" in one]


def test_a_full_width_colon_under_a_key_of_one_child_is_named(workspace, cli):
    """`人数:` then `客服专员： 1` on the next line: YAML reads one text, and the line said
    "write key: value, not '客服专员： 1'", the full-width colon never named."""
    line = edit_rules(workspace, "    need:\n      service: 1\n    # night: true",
                      "    need:\n      service： 1\n    # night: true")
    said = cli("check", env=ZH).stdout
    assert "“service： 1”：键后面用了全角冒号“：”" in said, said
    assert f"rosters/rules.yaml:{line}:" in said


def test_a_full_width_colon_in_a_flow_mapping_is_one_line(workspace, cli):
    """`need: {service： 1}`: YAML reads one key with no value, and two lines said it was
    "required" and no role; one line names the full-width colon."""
    line = edit_rules(workspace, "    need:\n      service: 1\n    # night: true",
                      "    need: {service： 1}\n    # night: true")
    said = [one for one in cli("check", env=ZH).stdout.splitlines()
            if one.startswith(f"rosters/rules.yaml:{line}:")]
    assert len(said) == 1 and "键后面用了全角冒号“：”" in said[0], said


def test_a_rotation_s_members_joined_by_a_full_width_comma_are_said_so(workspace, cli):
    """`成员: [陈静，孙丽，赵磊]` (the input method's comma): "no staff member
    '陈静，孙丽，赵磊'"; roles say this, members did not."""
    path = workspace.rosters_dir / "rules.yaml"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("rotations:\n  - name: 前台轮班\n    shifts: [前台]\n"
                     "    members: [陈静，孙丽，赵磊]\n    start: \"2026-12-01\"\n")
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1
    assert "rotations[0].members: “陈静，孙丽，赵磊”是多个人：人与人之间请用半角逗号“,”分隔" in \
        checked.stdout, checked.stdout


@pytest.mark.parametrize("fairness, said", [
    ("[工时，夜班, 周末]", "“工时，夜班”是用全角逗号连成一项的几项：请用半角逗号“,”分开"),
    ("[工时, 夜半]", "；是不是要输入 夜班（nights）？")])
def test_a_fairness_entry_of_two_joined_or_misspelt_is_said_so(workspace, cli, fairness, said):
    """`公平: [工时，夜班]` (the input method's comma) and `夜半` said only "expected one of"."""
    line = edit_rules(workspace, "fairness: [hours, nights, weekends, holidays, on_call]",
                      f"fairness: {fairness}")
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1
    assert f"rosters/rules.yaml:{line}:" in checked.stdout and said in checked.stdout, \
        checked.stdout


def test_a_category_list_of_two_joined_by_a_full_width_comma_is_said_at_its_line(workspace, cli):
    """`选项: [水电，门窗, …]` made one category 水电，门窗, and only a later use of 水电 was
    refused, on another line."""
    path = workspace.config_path
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("categories:\n", "categories:\n  emergency:\n"
                                 "    choices: [停水，停电, 电梯困人]\n", 1), encoding="utf-8")
    line = text[:text.index("categories:\n")].count("\n") + 3
    checked = cli("check", env=ZH)
    assert checked.exit_code == 1
    assert (f"dutyctl.yaml:{line}: categories.emergency.choices[0]: "
            "“停水，停电”是用全角逗号连成一项的几项：请用半角逗号“,”分开") in checked.stdout, \
        checked.stdout


# -- what a Chinese input method or a Windows editor puts in a file ------------------------------

def _said_first(cli) -> str:
    checked = cli("check", env=ZH)
    assert checked.exit_code in (1, 2), checked.stdout
    return (checked.stdout + checked.stderr).splitlines()[0]


def test_a_full_width_space_after_a_colon_is_named_on_its_own_line(workspace, cli):
    """`名称:　阳光花园` (the IME's space after a colon): said on the next line, as "mapping
    values are not allowed here"."""
    path = workspace.config_path
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  name: 阳光花园", "  name:\u3000阳光花园", 1), encoding="utf-8")
    said = _said_first(cli)
    assert said.startswith("dutyctl.yaml:3: “name”的冒号后面是全角空格"), said


def test_chinese_quotation_marks_around_a_time_are_named(workspace, cli):
    line = edit_rules(workspace, 'start: "08:00"', "start: “08:00”")
    said = _said_first(cli)
    assert said.startswith(f"rosters/rules.yaml:{line}:") and \
        "用了中文引号“”：YAML 的引号要用半角，写成 \"08:00\"" in said, said


def test_a_list_in_full_width_brackets_is_written_back_as_yaml_reads_it(workspace, cli):
    """`roles: 【service, supervisor】` was told to write `[【service, supervisor】]`, two
    roles no site has."""
    line = edit_rules(workspace, "roles: [service, supervisor]", "roles: 【service, supervisor】")
    said = _said_first(cli)
    assert said.endswith("列表用了全角括号【】：请写成 [service, supervisor]（请把输入法切换到半角）") \
        and f":{line}:" in said, said
    (workspace.rosters_dir / "rules.yaml").write_text(
        (workspace.rosters_dir / "rules.yaml").read_text(encoding="utf-8").replace(
            "【service, supervisor】", "[service, supervisor]"), encoding="utf-8")
    path = workspace.config_path
    path.write_text(path.read_text(encoding="utf-8").replace(
        "roles:\n  service: 客服专员\n  supervisor: 客服主管\n  technician: 维修工\n  guard: 保安\n"
        "  cleaner: 保洁\n", "roles: ［客服专员, 维修工］\n"), encoding="utf-8")
    assert "列表用了全角括号【】：请写成 [客服专员, 维修工]" in _said_first(cli)


def test_roles_joined_by_a_full_width_comma_are_one_problem_not_seventeen(workspace, cli):
    path = workspace.config_path
    path.write_text(path.read_text(encoding="utf-8").replace(
        "roles:\n  service: 客服专员\n  supervisor: 客服主管\n  technician: 维修工\n  guard: 保安\n"
        "  cleaner: 保洁\n", "roles: [客服专员，客服主管，维修工，保安，保洁]\n").replace(
        "desk: {clerk_role: service, dispatch_role: technician}",
        "desk: {clerk_role: 客服专员, dispatch_role: 维修工}"), encoding="utf-8")
    rules = workspace.rosters_dir / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("service", "客服专员").replace(
        "supervisor", "客服主管").replace("technician", "维修工"), encoding="utf-8")
    said = [line for line in cli("check", env=ZH).stdout.splitlines()
            if not line.startswith("提醒")]
    assert len(said) == 1 and said[0].startswith("dutyctl.yaml:") and "全角逗号" in said[0], said


@pytest.mark.parametrize("encode, said", [
    (lambda text: text.encode("utf-16"),
     "文件是按 UTF-16 编码（记事本的“Unicode”）保存的，不是 UTF-8：请另存为 UTF-8"),
    (lambda text: text.replace("# 站点时区", "# ✗ 站点时区").encode("gb18030"),
     "文件是按 GBK 编码（中文 Windows 上记事本、Excel 的默认编码）保存的，不是 UTF-8：请另存为 UTF-8"),
    (lambda text: text.replace("fairness", "# 工时与夜班\nfairness").encode("utf-8").replace(
        "# 工时与夜班".encode("utf-8"), "# 工时与夜班".encode("gbk")),
     "文件是按 GBK 编码（中文 Windows 上记事本、Excel 的默认编码）保存的，不是 UTF-8：请另存为 UTF-8"),
    (lambda text: text.encode("utf-8") + b"\xff\xfe\xfd",
     "文件是按别的编码（如记事本、Excel 默认的 GBK）保存的，不是 UTF-8：请另存为 UTF-8（记事本：“另存为”，"
     "编码选 UTF-8）")])
def test_a_file_not_in_utf_8_says_how_to_save_it(workspace, cli, encode, said):
    """Only a whole file that read as GBK said what to do: GB18030 (the template's ✗ is not
    GBK), UTF-16 (Notepad's "Unicode"), a line pasted in GBK got "invalid start byte"."""
    rules = workspace.rosters_dir / "rules.yaml"
    rules.write_bytes(encode(rules.read_text(encoding="utf-8")))
    first = _said_first(cli)
    assert first.startswith("rosters/rules.yaml:") and said in first, first


def test_a_dos_end_of_file_mark_at_the_end_is_dropped(workspace, cli):
    """Ctrl-Z at the very end (an old Windows editor's): every command refused, naming a line
    past the end of what Notepad shows."""
    for path in (workspace.config_path, workspace.rosters_dir / "rules.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n") + b"\x1a")
    checked = cli("check", env=ZH)
    assert "U+001A" not in checked.stdout + checked.stderr and checked.exit_code == 0, \
        checked.stdout


def test_an_empty_item_of_any_list_is_said_to_be_empty(workspace, cli):
    """`岗位: [维修工, ""]`, a `- ` with nothing after it: each list said it as a wrong value of
    its own (应为该岗位的显示名称, 应为班次（…）, 应为以下之一：工时…, 应为时间段…), where an empty
    text field says 不能为空."""
    config = workspace.config_path
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^checklist:\n(  .*\n)+", "checklist: [值班电话畅通, \"\"]\n",
                             text), encoding="utf-8")
    rules = workspace.rosters_dir / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("roles: [service]\n", "roles: [service, \"\"]\n", 1).replace(
        "    avoid: [night]", "    avoid:\n      -\n      - night", 1).replace(
        "fairness: [hours,", "fairness: [\" \", hours,", 1), encoding="utf-8")
    said = cli("check", env=ZH)
    assert said.stdout.splitlines()[:4] == ["dutyctl.yaml:104: checklist[1]: 不能为空",
                                            "rosters/rules.yaml:51: staff[1].roles[1]: 不能为空",
                                            "rosters/rules.yaml:60: staff[2].avoid[0]: 不能为空",
                                            "rosters/rules.yaml:86: fairness[0]: 不能为空"], \
        said.stdout
