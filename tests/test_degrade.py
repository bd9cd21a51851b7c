"""One bad file does not stop a desk: with rosters/rules.yaml broken (a YAML error, a value the
rules refuse) or a section of dutyctl.yaml wrong, the commands that only read (`who`, the
reports, `attendance`, `roster show`) still do what needs no rules, say once on stderr in
one line what they could not use and why, and mark in their output what is missing."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from dutyctl.errors import Problem, ProblemsFound, first_problem
from tests.conftest import run_dutyctl
from tests.helpers_desk import october_site
from tests.helpers_foundation import call_flags, record_files

#: how each breakage is made, and what the stderr line says of it
BREAKAGES = {
    # a line typed half: YAML cannot parse the file; names as last committed (HEAD's rules)
    "yaml": (lambda text: text + "staff: [\n", "rosters/rules.yaml:11: "),
    # parsed, but refused: 8:00 unquoted is read as the number 480
    "invalid": (lambda text: text.replace('start: "08:00"', "start: 8:00", 1),
                "rosters/rules.yaml:3: shifts[0].start: "),
}


@pytest.fixture
def site(cli, workspace, clock):
    """October's roster; 张伟 clocked in for the day shift of 10-05 while the rules were good."""
    october_site(workspace.root)
    clock.set("2026-10-05T10:30:00+08:00")
    result = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    assert result.exit_code == 0, result.stderr
    return workspace.root


def break_rules(root: Path, how: str) -> str:
    """Breaks the rules as BREAKAGES says; the start of the stderr line's reason."""
    change, said = BREAKAGES[how]
    rules = root / "rosters" / "rules.yaml"
    rules.write_text(change(rules.read_text(encoding="utf-8")), encoding="utf-8")
    return said


def one_line(result, *, about: str = "rosters/rules.yaml") -> str:
    """The one stderr line that speaks of `about` (never a traceback)."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if about in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


def files_of(root: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in record_files(root)}


# -- the core --------------------------------------------------------------------------------

def test_first_problem_says_the_first_and_counts_the_rest():
    problems = [Problem("rosters/rules.yaml", 9, "b"), Problem("rosters/rules.yaml", 3, "a"),
                Problem("rosters/rules.yaml", 12, "c")]
    assert first_problem(ProblemsFound(problems)) == "rosters/rules.yaml:3: a (and 2 more problems)"
    assert first_problem(ProblemsFound(problems[:1])) == "rosters/rules.yaml:9: b"


# -- who -------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", BREAKAGES)
def test_who_lists_the_roster_file_and_who_is_clocked_in(cli, site, how):
    said = break_rules(site, how)
    before = files_of(site)
    result = cli("who", "--at", "2026-10-05 10:00")
    assert result.exit_code == 0, result.stderr
    line = one_line(result)
    assert line.startswith("roster rules unreadable, shift times unknown: " + said), line
    assert "could not be read" in result.stdout and "shift times unknown" in result.stdout
    # rostered that day: 张伟 (day) and 李娜 (night) by name, the rules unreadable now named
    # as last committed (was: by id, zhangwei, for a slip in the YAML)
    zhangwei, lina = "张伟", "李娜"
    rows = {line.split()[1]: line for line in result.stdout.splitlines()[3:]}
    assert set(rows) == {zhangwei, lina}, result.stdout
    assert "10-05 07:55" in rows[zhangwei] and "10-05" not in rows[lina]
    assert files_of(site) == before

    data = json.loads(cli("who", "--at", "2026-10-05 10:00", "-f", "json").stdout)
    assert data["roster_unreadable"].startswith(said)
    assert data["on_duty"] is None and data["next_handover"] is None  # unknown, not nobody
    people = {row["staff"]: row for row in data["people"]}
    assert set(people) == {"zhangwei", "lina"}
    assert people["zhangwei"]["clocked_in"] == "2026-10-05T07:55:00+08:00"
    assert people["lina"]["clocked_in"] is None and people["lina"]["date"] == "2026-10-05"
    rows = list(csv.DictReader(io.StringIO(
        cli("who", "--at", "2026-10-05 10:00", "-f", "csv").stdout.lstrip("\ufeff"))))
    assert {row["staff"] for row in rows} == {"zhangwei", "lina"}


def test_who_after_midnight_lists_the_day_befores_night_shift(cli, site, clock):
    """Without the rules no shift's end is known: at 02:00 the night shift rostered the day
    before (李娜, 10-05 20:00-08:00) may still be on, so the day before is read too, its rows
    said to be the day before's."""
    clock.set("2026-10-06T02:30:00+08:00")
    ok = cli("clock", "in", "--staff", "lina", "--at", "2026-10-05 19:55")
    assert ok.exit_code == 0, ok.stderr
    break_rules(site, "invalid")
    result = cli("who", "--at", "2026-10-06 02:00")
    assert result.exit_code == 0, result.stderr
    assert "who is rostered on Tue 10-06 and the day before" in result.stdout
    rows = [" ".join(line.split()[1:]) for line in result.stdout.splitlines()[3:]]
    assert rows[0] == "孙丽 白班 yes" and rows[1].startswith("张伟 夜班 yes")
    assert rows[2].startswith("张伟 白班 the day before")
    assert rows[3] == ("李娜 夜班 the day before clocked in 10-05 19:55, not clocked out"
                       ), result.stdout
    data = json.loads(cli("who", "--at", "2026-10-06 02:00", "-f", "json").stdout)
    lina = [row for row in data["people"] if row["staff"] == "lina"]
    assert lina == [{**lina[0], "date": "2026-10-05", "shift": "night"}]
    assert lina[0]["clocked_in"] == "2026-10-05T19:55:00+08:00"


def test_who_says_a_clock_in_not_clocked_out_and_drops_one_past_a_day(cli, site, clock):
    """Without a shift window nobody is judged on duty: a clock-in still open is said as
    such ("签到于 … 未签退"), and one older than the longest duty (24 h) is a forgotten
    clock-out, no longer counted: 张伟's 07:55 clock-in of 10-05 at 10-06 02:00 (18 h) and at
    10-06 09:30 (25½ h)."""
    clock.set("2026-10-07T12:00:00+08:00")
    result = cli("clock", "in", "--staff", "wangqiang", "--at", "2026-10-05 09:00")
    assert result.exit_code == 0, result.stderr
    break_rules(site, "invalid")
    late = cli("--lang", "zh_CN", "who", "--at", "2026-10-06 02:00")
    assert late.exit_code == 0, late.stderr
    zhangwei = [line for line in late.stdout.splitlines() if "张伟" in line and "前一天" in line]
    assert zhangwei and "签到于 10-05 07:55，未签退" in zhangwei[0], late.stdout
    assert "签到于 10-05 09:00，未签退" in late.stdout  # 王强, not rostered: still listed

    def clocked(at: str) -> dict:
        data = json.loads(cli("who", "--at", at, "-f", "json").stdout)
        return {row["staff"]: row["clocked_in"] for row in data["people"]}

    assert clocked("2026-10-06 02:00")["zhangwei"] == "2026-10-05T07:55:00+08:00"
    assert clocked("2026-10-06 07:55")["zhangwei"] == "2026-10-05T07:55:00+08:00"  # 24 h
    later = clocked("2026-10-06 09:30")
    assert later["zhangwei"] is None  # rostered the day before: listed, not clocked in
    assert "wangqiang" not in later  # neither rostered nor clocked in within a day
    table = cli("who", "--at", "2026-10-06 09:30").stdout
    assert "not clocked out" not in table, table


def test_who_names_someone_clocked_in_who_is_not_on_that_days_roster(cli, site):
    result = cli("clock", "in", "--staff", "wangqiang", "--at", "2026-10-05 09:00")
    assert result.exit_code == 0, result.stderr
    break_rules(site, "yaml")
    data = json.loads(cli("who", "--at", "2026-10-05 10:00", "-f", "json").stdout)
    extra = [row for row in data["people"] if row["staff"] == "wangqiang"]
    assert extra and extra[0]["date"] is None and extra[0]["clocked_in"]


def test_who_with_nobody_rostered_nor_clocked_in_still_says_nobody(cli, workspace, clock):
    october_site(workspace.root)
    clock.set("2026-10-20T10:30:00+08:00")
    break_rules(workspace.root, "yaml")
    result = cli("who", "--at", "2026-10-20 10:00")
    assert result.exit_code == 1
    assert "nobody is rostered on" in result.stderr and "rosters/rules.yaml:11" in result.stderr


# -- the reports -----------------------------------------------------------------------------

REPORTS = [("report", "daily", "--date", "2026-10-05"), ("report", "weekly", "--week", "2026-W41"),
           ("report", "monthly", "--month", "2026-10")]


@pytest.mark.parametrize("how", BREAKAGES)
@pytest.mark.parametrize("args", REPORTS, ids=lambda args: args[1])
def test_a_report_is_made_with_its_roster_part_marked(cli, site, how, args):
    said = break_rules(site, how)
    before = files_of(site)
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    line = one_line(result)
    assert line.startswith("roster rules unreadable, absences and coverage not judged in this "
                           "report: " + said), line
    assert "The roster rules could not be read (rosters/rules.yaml:" in result.stdout
    assert "Not compared with the roster, as its rules could not be read" in result.stdout
    assert "The roster rules could not be read: coverage is not judged." in result.stdout
    assert "There is no roster for this period" not in result.stdout
    data = json.loads(cli(*args, "-f", "json").stdout)
    assert data["report"]["roster_unreadable"].startswith(said)
    assert data["attendance"]["totals"]["absent"] == 0  # not judged, and said so
    assert files_of(site) == before


def test_fail_on_absences_of_days_no_roster_covers_is_not_none(cli, site, clock):
    """A month whose roster was never generated, the desk clocking in all the same: the
    report said "no roster" in its body, counted 0 absences, and `--fail-on absent` exited
    0, a cron reading "none" for "could not tell"; days nothing was recorded on (before the
    desk used dutyctl) stay as they were."""
    clock.set("2026-12-03T12:00:00+08:00")
    assert cli("clock", "in", "--staff", "sunli", "--at", "2026-12-03 07:55").exit_code == 0
    watched = cli("report", "daily", "--date", "2026-12-03", "--fail-on", "absent")
    assert watched.exit_code == 1, watched.stderr
    assert watched.stderr.splitlines()[-1] == (
        "--fail-on: absent not judged: no roster covers 2026-12-03, a day the desk recorded "
        "on; generate it: dutyctl roster generate --month 2026-12")
    idle = cli("report", "daily", "--date", "2026-12-02", "--fail-on", "absent")
    assert idle.exit_code == 0, idle.stderr  # nothing recorded that day
    # a week running from October's roster into November, which has none
    assert cli("clock", "in", "--staff", "lina", "--at", "2026-11-01 07:55").exit_code == 0
    week = cli("report", "weekly", "--week", "2026-W44", "--fail-on", "absent")
    assert week.exit_code == 1 and week.stderr.splitlines()[-1] == (
        "--fail-on: absent not judged: no roster covers 2026-11-01, a day the desk recorded "
        "on; generate it: dutyctl roster generate --month 2026-11"), week.stderr


def test_fail_on_a_roster_word_cannot_pass_unjudged(cli, site):
    """A cron watching for absences gets exit 1 when they could not be judged, not 0."""
    break_rules(site, "yaml")
    watched = cli("report", "daily", "--date", "2026-10-05", "--fail-on", "overdue,absent,unfilled")
    assert watched.exit_code == 1
    assert watched.stderr.splitlines()[-1] == (
        "--fail-on: absent, unfilled not judged: the roster rules cannot be read")
    assert "The roster rules could not be read (rosters/rules.yaml:" in watched.stdout  # still made
    other = cli("report", "daily", "--date", "2026-10-05", "--fail-on", "readiness")
    assert other.exit_code == 0 and len(other.stderr.splitlines()) == 1
    # the option named as typed, in either language
    for option in ("--fail-on", "--失败条件"):
        said = cli("--lang", "zh_CN", "日报", "--日期", "2026-10-05", option, "缺勤")
        assert said.exit_code == 1
        assert said.stderr.splitlines()[-1] == f"{option}：缺勤无法判断：排班规则无法读取", said.stderr
        wrong = cli("--lang", "zh_CN", "日报", "--日期", "2026-10-05", option, "缺")
        assert wrong.exit_code == 2
        assert wrong.stderr.startswith(f"没有名为“缺”的 {option} 项；可选："), wrong.stderr


def test_an_unreadable_calendar_says_its_first_problem_and_how_many_more(workspace):
    from dutyctl.tickets.deadlines import load_book
    from dutyctl.workspace import Workspace

    rules = workspace.root / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "extra_holidays: []", 'extra_holidays: ["someday", "never"]'), encoding="utf-8")
    said = load_book(Workspace(workspace.root)).calendar_problem
    assert said.startswith("calendar unreadable (rosters/rules.yaml:"), said
    assert said.endswith("(and 1 more problem)): run dutyctl check"), said


def test_fail_on_overdue_cannot_pass_when_deadlines_are_unknown(cli, site, clock):
    """A business-hours repair still open has unknown deadlines while the calendar (in the
    rules) cannot be read: whether it is overdue was not judged, and a cron is told so."""
    clock.set("2026-10-09T15:00:00+08:00")  # a working day after the National Day holiday
    filed = cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                "13900001111", "--category", "doors-windows", "--content", "门把手松了",
                "--urgency", "general", "--at", "2026-10-09 09:00")
    assert filed.exit_code == 0, filed.stderr
    good = cli("report", "daily", "--date", "2026-10-09", "--fail-on", "overdue", "-f", "json")
    assert good.exit_code == 1 and "overdue=1" in good.stderr  # 2h respond limit passed
    assert json.loads(good.stdout)["report"]["deadlines_unknown"] is None
    break_rules(site, "yaml")
    watched = cli("report", "daily", "--date", "2026-10-09", "--fail-on", "overdue,absent")
    assert watched.exit_code == 1, watched.stderr
    assert watched.stderr.splitlines()[-2:] == [
        "--fail-on: overdue not judged: some deadlines are unknown",
        "--fail-on: absent not judged: the roster rules cannot be read"]
    assert "deadlines unknown: calendar unreadable" in watched.stderr
    data = json.loads(cli("report", "daily", "--date", "2026-10-09", "-f", "json").stdout)
    assert data["report"]["deadlines_unknown"].startswith("calendar unreadable")
    assert data["alerts"]["overdue"] == 0


def test_a_report_with_readable_rules_says_nothing_of_them(cli, site):
    result = cli("report", "daily", "--date", "2026-10-05", "-f", "json")
    assert result.exit_code == 0 and "rules" not in result.stderr
    assert json.loads(result.stdout)["report"]["roster_unreadable"] is None


def test_a_report_written_to_a_file_is_written_whole(cli, site, tmp_path):
    break_rules(site, "invalid")
    out = tmp_path / "daily.html"
    result = cli("report", "daily", "--date", "2026-10-05", "-f", "html", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    one_line(result)
    assert "The roster rules could not be read" in out.read_text(encoding="utf-8")


def test_a_broken_roster_file_is_still_refused(cli, site):
    """Only the rules are read around: a roster file with a conflict marker is not passed
    over as "nobody was rostered" (tests/test_errors_sweep.py)."""
    roster = site / "rosters" / "2026-10.yaml"
    roster.write_text(roster.read_text(encoding="utf-8").replace(
        "assignments:\n", "assignments:\n<<<<<<< HEAD\n"), encoding="utf-8")
    result = cli("report", "daily", "--date", "2026-10-05")
    assert result.exit_code == 2 and "git conflict marker" in result.stderr


# -- attendance and roster show ----------------------------------------------------------------

@pytest.mark.parametrize("how", BREAKAGES)
def test_attendance_lists_the_duties_compared_with_nothing(cli, site, how):
    said = break_rules(site, how)
    result = cli("attendance", "--month", "2026-10")
    assert result.exit_code == 0, result.stderr
    assert one_line(result).startswith(
        "roster rules unreadable, not compared with the roster: " + said)
    assert result.stdout.startswith(
        "Not compared with the roster, as its rules could not be read")
    # the statutory holiday hours are left empty too (and their column out of the table)
    assert "absences and statutory holiday hours are unknown" in result.stdout
    rows = json.loads(cli("attendance", "--month", "2026-10", "--detail", "-f", "json").stdout)
    assert [(row["staff"], row["result"]) for row in rows] == [("zhangwei", "unknown")]


def test_attendance_for_payroll_leaves_what_was_not_judged_empty(cli, site, clock, tmp_path):
    """JSON, CSV and xlsx of an unreadable roster: rostered, late, absent … are null or empty,
    never a 0 a payroll sheet would take for real; the hours worked are still there."""
    from openpyxl import load_workbook

    clock.set("2026-10-06T10:00:00+08:00")
    out = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-05 20:05", "--no-handover",
              "--reason", "交接本丢了")
    assert out.exit_code == 0, out.stderr
    good = json.loads(cli("attendance", "--month", "2026-10", "-f", "json").stdout)
    assert {row["staff"]: row["absent"] for row in good}["zhangwei"] == 0  # judged: a real 0
    break_rules(site, "yaml")
    (row,) = json.loads(cli("attendance", "--month", "2026-10", "-f", "json").stdout)
    assert row["staff"] == "zhangwei" and row["hours_worked"] == 12.17
    assert [key for key, value in row.items() if value is None] == [
        "rostered", "attended", "late", "late_minutes", "early_leaves", "early_minutes",
        "absent", "on_leave", "upcoming", "unrostered", "hours_rostered", "on_call_duties",
        # which days are statutory in a year listed in the rules is the rules' (清明节)
        "statutory_holiday_hours"]
    (line,) = csv.DictReader(io.StringIO(
        cli("attendance", "--month", "2026-10", "-f", "csv").stdout.lstrip("\ufeff")))
    assert line["absent"] == line["rostered"] == "" and line["hours_worked"] == "12.17"
    sheet = tmp_path / "attendance.xlsx"
    written = cli("attendance", "--month", "2026-10", "-f", "xlsx", "--output", str(sheet))
    assert written.exit_code == 0, written.stderr
    header, first = list(load_workbook(sheet).active.iter_rows(values_only=True))[:2]
    cells = dict(zip(header, first))
    assert cells["absent"] is None and cells["hours worked"] == 12.17, cells


@pytest.mark.parametrize("how", BREAKAGES)
def test_roster_show_shows_the_roster_as_written(cli, site, how):
    said = break_rules(site, how)
    result = cli("roster", "show", "--month", "2026-10")
    assert result.exit_code == 0, result.stderr
    assert one_line(result).startswith("roster rules unreadable, the roster is shown as "
                                       "written, without shift times: " + said)
    assert "the roster as written, without shift times" in result.stdout
    zhangwei = "张伟"  # by name: the rules as last committed name him
    assert any(line.startswith("Mon 10-05") and zhangwei in line
               for line in result.stdout.splitlines()), result.stdout
    rows = list(csv.DictReader(io.StringIO(
        cli("roster", "show", "--month", "2026-10", "-f", "csv").stdout.lstrip("\ufeff"))))
    assert len(rows) == 5 and rows[0]["staff"] == "zhangwei" and rows[0]["start"] == ""


@pytest.mark.parametrize("how", BREAKAGES)
def test_roster_show_without_rules_takes_the_people_written_in_it(cli, site, how):
    """--staff takes an id written in the roster file (or a name the rules still give), and
    refuses anyone else in one line naming who can be chosen; --by staff says it needs the
    rules rather than silently showing the days."""
    break_rules(site, how)
    mine = cli("roster", "show", "--month", "2026-10", "--staff", "zhangwei", "-f", "json")
    assert mine.exit_code == 0, mine.stderr
    assert {row["date"] for row in json.loads(mine.stdout)} == {"2026-10-05", "2026-10-06"}
    named = cli("roster", "show", "--month", "2026-10", "--staff", "张伟", "-f", "json")
    # the name is known: parsed from the rules, or from them as last committed (a YAML slip)
    assert named.exit_code == 0 and json.loads(named.stdout) == json.loads(mine.stdout)
    stranger = cli("roster", "show", "--month", "2026-10", "--staff", "wangqiang")
    assert stranger.exit_code == 2 and not stranger.stdout
    refusal = stranger.stderr.splitlines()[-1]
    assert "'wangqiang' is not in the roster of these days" in refusal and "lina" in refusal
    by_staff = cli("roster", "show", "--month", "2026-10", "--by", "staff")
    assert by_staff.exit_code == 0, by_staff.stderr
    assert "a row per day (a row per person needs the rules)" in by_staff.stdout


# -- in Chinese, and how many more ------------------------------------------------------------

def test_the_line_is_in_chinese_and_counts_the_other_problems(cli, site):
    rules = site / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace('"08:00"', "8:00", 1).replace('"20:00"', "20:00", 1),
                     encoding="utf-8")
    zh = {"DUTYCTL_LANG": "zh_CN"}
    result = cli("report", "daily", "--date", "2026-10-05", env=zh)
    assert result.exit_code == 0, result.stderr
    line = one_line(result)
    assert line.startswith("排班规则无法读取，本报表未判断缺勤和排班覆盖：rosters/rules.yaml:3: ")
    assert line.endswith("（另有 1 个问题）"), line
    assert "排班规则无法读取（rosters/rules.yaml:3: " in result.stdout
    assert "本报表未判断缺勤和排班覆盖。" in result.stdout
    who = cli("who", "--at", "2026-10-05 10:00", env=zh)
    assert who.exit_code == 0 and "排班规则无法读取：以下是 10月5日 周一 及前一天排班的人员" in who.stdout
    assert one_line(who).startswith("排班规则无法读取，班次时间不明：")
    show = cli("roster", "show", "--month", "2026-10", env=zh)
    assert one_line(show).startswith("排班规则无法读取，排班表按原文显示，没有班次时间：")


# -- dutyctl.yaml ----------------------------------------------------------------------------

def test_a_wrong_value_in_dutyctl_yaml_leaves_its_section_out_for_what_only_reads(cli, site):
    config = site / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "visit_rate: 100%", "visit_rate: lots", 1), encoding="utf-8")
    # the desk's questions, as well as the reports and the roster: the front desk still finds
    # a caller, a room, the open tickets and the handovers
    for args in [*REPORTS, ("who", "--at", "2026-10-05 10:00"),
                 ("attendance", "--month", "2026-10"), ("roster", "show", "--month", "2026-10"),
                 ("list",), ("search", "漏水"), ("room", "3-2-501"), ("caller", "13812345678"),
                 ("resident", "list"), ("callback", "list"), ("clock", "status"),
                 ("handover", "pending"), ("checklist", "problems"),
                 ("roster", "stats", "--month", "2026-10"),
                 ("roster", "export", "--month", "2026-10", "-f", "csv")]:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        line = one_line(result, about="dutyctl.yaml")
        assert line.startswith("dutyctl.yaml: targets not used, their defaults apply: "
                               "dutyctl.yaml:"), line
        assert "targets.visit_rate" in line
    (duty,) = json.loads(cli("clock", "status", "-f", "json").stdout)
    shown = cli("show", duty["id"])
    assert shown.exit_code == 0 and one_line(shown, about="dutyctl.yaml").startswith(
        "dutyctl.yaml: targets not used"), shown.stderr
    # what writes is refused as ever: nothing written
    before = files_of(site)
    result = cli(*call_flags())
    assert result.exit_code == 2 and "targets.visit_rate" in result.stderr
    assert files_of(site) == before
    # in Chinese
    line = one_line(cli("who", "--at", "2026-10-05 10:00", env={"DUTYCTL_LANG": "zh_CN"}),
                    about="dutyctl.yaml")
    assert line.startswith("dutyctl.yaml 中的 targets 无法使用，改用默认设置：")


def test_what_only_reads_checks_a_sound_dutyctl_yaml_once(workspace, monkeypatch):
    """config_despite_problems, finding nothing wrong, is the config for the rest of the
    command: it is not parsed a second time by `config`."""
    from dutyctl import config as config_module

    parsed, parse = [], config_module.parse_config
    monkeypatch.setattr(config_module, "parse_config",
                        lambda data, label: (parsed.append(label), parse(data, label))[1])
    read = workspace.config_despite_problems()
    assert workspace.config is read and parsed == ["dutyctl.yaml"]


def test_a_dutyctl_yaml_yaml_cannot_parse_is_still_refused(cli, site):
    config = site / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "site: [\n", encoding="utf-8")
    result = cli("report", "daily", "--date", "2026-10-05")
    assert result.exit_code == 2 and "dutyctl.yaml:" in result.stderr and not result.stdout


def test_a_wrong_time_limit_leaves_out_what_leans_on_it_too(cli, site):
    """`响应: 15分种` in the time limits: left out, a recurring job's urgency had no default
    class, and `who` and `list --open` were refused: the night clerk could not list the open
    tickets. Both sections are left out now, the queries answer."""
    config = site / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    assert "respond: 15m" in text and "\nrecurring:" in text
    config.write_text(text.replace("respond: 15m", "respond: 15分种", 1), encoding="utf-8")
    for args in (("who", "--at", "2026-10-05 10:00"), ("list", "--open")):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        line = one_line(result, about="dutyctl.yaml")
        assert line.startswith("dutyctl.yaml: recurring, urgency not used, their defaults "
                               "apply: dutyctl.yaml:"), line
    assert cli(*call_flags()).exit_code == 2  # what writes is refused as ever


def test_a_section_without_a_default_is_still_refused(cli, site):
    config = site / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("roles:", "roles: 3\nx:", 1),
                      encoding="utf-8")
    result = cli("who", "--at", "2026-10-05 10:00")
    assert result.exit_code == 2 and "roles" in result.stderr and not result.stdout


# -- cron: the installed program ---------------------------------------------------------------

def test_cron_daily_report_with_broken_rules_through_the_installed_binary(site, dutyctl_command):
    break_rules(site, "yaml")
    env = {"PYTHONPATH": str(Path(__file__).with_name("fixed_clock")),
           "DUTYCTL_TEST_NOW": "2026-10-06T07:30:00+08:00", "DUTYCTL_LANG": "zh_CN"}
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        done = run_dutyctl(dutyctl_command, "report", "daily", "--date", "yesterday",
                           "--fail-on", "emergency,overdue,absent", root=site)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    assert done.returncode == 1, done.stderr  # absences watched, and not judged
    assert "2026年10月5日 周一 值班日报" in done.stdout, done.stdout
    assert "排班规则无法读取（rosters/rules.yaml:11: " in done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(
        "排班规则无法读取，本报表未判断缺勤和排班覆盖：rosters/rules.yaml:11: "), done.stderr
    assert lines[1].endswith("缺勤无法判断：排班规则无法读取"), done.stderr


@pytest.mark.auto_commit
def test_a_call_logged_while_the_rules_hold_merge_markers_records_the_staff_id(cli, workspace,
                                                                               clock):
    """rules.yaml in the middle of a conflict (markers in it) cannot be read: the desk still
    logs calls, and 张伟 typed by name is recorded as zhangwei, from the rules as last
    committed, not as the text typed (`check` would call it nobody and refuse every sync)."""
    clock.set("2026-10-12T10:00:00+08:00")
    rules = workspace.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text("<<<<<<< HEAD\n" + text + "=======\n" + text.replace("张伟", "张伟伟", 1)
                     + ">>>>>>> origin/main\n", encoding="utf-8")
    made = cli("--lang", "zh_CN", *call_flags(), user="张伟")
    assert made.exit_code == 0, made.stderr
    (saved,) = [path for path in record_files(workspace.root)
                if path.stem == made.stdout.strip()]
    assert "recorded_by: zhangwei\n" in saved.read_text(encoding="utf-8")
    checked = cli("--lang", "zh_CN", "检查")
    assert "没有员工" not in checked.stdout + checked.stderr
    # a name nobody has in the committed rules either: refused in one line, nothing saved
    before = files_of(workspace.root)
    refused = cli("--lang", "zh_CN", *call_flags(), user="王小明")
    assert refused.exit_code == 2 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert files_of(workspace.root) == before


def test_a_slip_in_the_rules_yaml_still_names_people_and_shifts(cli, site, clock):
    """A half-typed line in rules.yaml: `签到` said `lina 于 … 签到`, `谁值班` listed chenjing
    day: ids a Chinese desk never reads. The names as last committed (HEAD's rules)."""
    break_rules(site, "yaml")
    clock.set("2026-10-05T21:00:00+08:00")
    came = cli("--lang", "zh_CN", "签到", "--操作人", "李娜", "--时间", "2026-10-05 19:50")
    assert came.exit_code == 0, came.stderr
    assert "李娜 于 2026-10-05 19:50 签到" in came.stdout + came.stderr, came.stderr
    who = cli("--lang", "zh_CN", "谁值班", "--时间", "2026-10-05 20:30").stdout
    assert "李娜" in who and "夜班" in who and "lina" not in who and "night" not in who, who
