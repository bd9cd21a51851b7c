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
    # a line typed half: YAML cannot parse the file, no name is known any more
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
    assert line.startswith("roster unreadable, shift times unknown: " + said), line
    assert "could not be read" in result.stdout and "shift times unknown" in result.stdout
    # rostered that day: 张伟 (day) and 李娜 (night), by id where the rules give no name
    zhangwei, lina = ("zhangwei", "lina") if how == "yaml" else ("张伟", "李娜")
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
    assert line.startswith("roster unreadable, absences and coverage not judged in this "
                           "report: " + said), line
    assert "The roster could not be read (rosters/rules.yaml:" in result.stdout
    assert "Not compared with the roster, which could not be read" in result.stdout
    assert "The roster could not be read: coverage is not judged." in result.stdout
    assert "There is no roster for this period" not in result.stdout
    data = json.loads(cli(*args, "-f", "json").stdout)
    assert data["report"]["roster_unreadable"].startswith(said)
    assert data["attendance"]["totals"]["absent"] == 0  # not judged, and said so
    assert files_of(site) == before


def test_fail_on_a_roster_word_cannot_pass_unjudged(cli, site):
    """A cron watching for absences gets exit 1 when they could not be judged, not 0."""
    break_rules(site, "yaml")
    watched = cli("report", "daily", "--date", "2026-10-05", "--fail-on", "overdue,absent,unfilled")
    assert watched.exit_code == 1
    assert watched.stderr.splitlines()[-1] == (
        "--fail-on: absent, unfilled not judged: the roster rules cannot be read")
    assert "The roster could not be read (rosters/rules.yaml:" in watched.stdout  # still made
    other = cli("report", "daily", "--date", "2026-10-05", "--fail-on", "readiness")
    assert other.exit_code == 0 and len(other.stderr.splitlines()) == 1


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
    assert "The roster could not be read" in out.read_text(encoding="utf-8")


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
    assert one_line(result).startswith("roster unreadable, not compared with it: " + said)
    assert result.stdout.startswith("Not compared with the roster, which could not be read")
    rows = json.loads(cli("attendance", "--month", "2026-10", "--detail", "-f", "json").stdout)
    assert [(row["staff"], row["result"]) for row in rows] == [("zhangwei", "unknown")]


@pytest.mark.parametrize("how", BREAKAGES)
def test_roster_show_shows_the_roster_as_written(cli, site, how):
    said = break_rules(site, how)
    result = cli("roster", "show", "--month", "2026-10")
    assert result.exit_code == 0, result.stderr
    assert one_line(result).startswith("roster rules unreadable, the roster is shown as "
                                       "written, without shift times: " + said)
    assert "the roster as written, without shift times" in result.stdout
    zhangwei = "zhangwei" if how == "yaml" else "张伟"
    assert any(line.startswith("Mon 10-05") and zhangwei in line
               for line in result.stdout.splitlines()), result.stdout
    rows = list(csv.DictReader(io.StringIO(
        cli("roster", "show", "--month", "2026-10", "-f", "csv").stdout.lstrip("\ufeff"))))
    assert len(rows) == 5 and rows[0]["staff"] == "zhangwei" and rows[0]["start"] == ""


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
    assert line.startswith("排班表无法读取，本报表未判断缺勤和排班覆盖：rosters/rules.yaml:3: ")
    assert line.endswith("（另有 1 个问题）"), line
    assert "排班表无法读取（rosters/rules.yaml:3: " in result.stdout
    assert "本报表未判断缺勤和排班覆盖。" in result.stdout
    who = cli("who", "--at", "2026-10-05 10:00", env=zh)
    assert who.exit_code == 0 and "排班表无法读取：以下是 10月5日 周一 排班的人员" in who.stdout
    assert one_line(who).startswith("排班表无法读取，班次时间不明：")
    show = cli("roster", "show", "--month", "2026-10", env=zh)
    assert one_line(show).startswith("排班规则无法读取，排班表按原文显示，没有班次时间：")


# -- dutyctl.yaml ----------------------------------------------------------------------------

def test_a_wrong_value_in_dutyctl_yaml_leaves_its_section_out_for_what_only_reads(cli, site):
    config = site / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "visit_rate: 100%", "visit_rate: lots", 1), encoding="utf-8")
    for args in [*REPORTS, ("who", "--at", "2026-10-05 10:00"),
                 ("attendance", "--month", "2026-10"), ("roster", "show", "--month", "2026-10")]:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        line = one_line(result, about="dutyctl.yaml")
        assert line.startswith("dutyctl.yaml: targets not used, their defaults apply: "
                               "dutyctl.yaml:"), line
        assert "targets.visit_rate" in line
    # what writes is refused as ever: nothing written
    before = files_of(site)
    result = cli(*call_flags())
    assert result.exit_code == 2 and "targets.visit_rate" in result.stderr
    assert files_of(site) == before
    # in Chinese
    line = one_line(cli("who", "--at", "2026-10-05 10:00", env={"DUTYCTL_LANG": "zh_CN"}),
                    about="dutyctl.yaml")
    assert line.startswith("dutyctl.yaml 中的 targets 无法使用，改用默认设置：")


def test_a_dutyctl_yaml_yaml_cannot_parse_is_still_refused(cli, site):
    config = site / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "site: [\n", encoding="utf-8")
    result = cli("report", "daily", "--date", "2026-10-05")
    assert result.exit_code == 2 and "dutyctl.yaml:" in result.stderr and not result.stdout


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
    assert "排班表无法读取（rosters/rules.yaml:11: " in done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(
        "排班表无法读取，本报表未判断缺勤和排班覆盖：rosters/rules.yaml:11: "), done.stderr
    assert lines[1].endswith("缺勤无法判断：排班规则无法读取"), done.stderr
