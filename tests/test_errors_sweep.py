"""Bad input, command by command: one stderr line per problem, a documented exit code, no
traceback, and nothing written when the answer is exit 2 (regressions of the error sweep)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from dutyctl import timeutil
from dutyctl.config import parse_config
from dutyctl.errors import InputError
from dutyctl.sitecalendar import SiteCalendar
from dutyctl.workspace import Workspace
from dutyctl.store import yamlio
from tests.conftest import run_dutyctl
from tests.helpers_desk import october_site, write_roster
from tests.helpers_foundation import call_flags

SHANGHAI = timeutil.zone("Asia/Shanghai")
TICKET = ["--name", "王芳", "--room", "3-2-501", "--phone", "13812345678"]


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the workspace but git's and the caches, with a digest, plus git HEAD."""
    files = {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
             for path in root.rglob("*")
             if path.is_file() and not path.relative_to(root).parts[0] in (".git", ".dutyctl")}
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "-q", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    return {**files, "HEAD": head}


def one_line(result) -> str:
    """The single stderr line of a refused command (never a traceback)."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def refused(cli, root: Path, *args: str, fragment: str, code: int = 2) -> str:
    """Run a command that must fail with `code`, one line holding `fragment`, nothing written."""
    before = snapshot(root)
    result = cli(*args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    line = one_line(result)
    assert fragment in line, line
    assert snapshot(root) == before
    return line


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- empty values are mistakes, never "the default" ---------------------------------------------

@pytest.mark.parametrize("args, flag", [
    ([*call_flags(), "--at", ""], "--at"),           # was: recorded at "now"
    ([*call_flags(), "--staff", ""], "--staff"),     # was: recorded as $DUTYCTL_USER
    (["list", "--since", ""], "--since"),            # was: no filter at all
    (["show", "01M8", "--as-of", ""], "--as-of"),
    (["roster", "generate", "--month", ""], "--month"),  # was: generated next month
    (["report", "daily", "--fail-on", ""], "--fail-on"),
    (["report", "daily", "--output", ""], "--output"),  # was: exit 3 "Device or resource busy"
    (["who", "--at", ""], "--at"),
    (["handover", "--to", "lina", "--note", ""], "--note"),
    (["search", ""], "WORDS..."),
    (["--root", "", "check"], "--root"),
])
def test_an_empty_value_is_refused_not_taken_for_the_default(cli, workspace, args, flag):
    line = refused(cli, workspace.root, *args, fragment=f"missing {flag}: the value given is "
                                                         "empty")
    assert line.count(flag) == 1


def test_an_option_without_its_value_names_the_command(cli, workspace):
    line = refused(cli, workspace.root, "check", "-f", fragment="option -f needs a value")
    assert line.startswith("root check: ")  # was "root: ", as if the option were global


# -- --format is checked before anything is written ---------------------------------------------

def test_a_bad_format_leaves_no_record_behind(cli, workspace):
    # emergency open writes the record, then prints its procedure in --format
    refused(cli, workspace.root, "emergency", "open", "--type", "fire", "--where", "3号楼",
            "--content", "冒烟", "--format", "xml", fragment="unknown format 'xml'")


@pytest.mark.parametrize("args", [["check"], ["list"], ["clock", "status"], ["who"]])
def test_every_listing_names_the_bad_format_in_one_line(cli, workspace, args):
    refused(cli, workspace.root, *args, "--format", "", fragment="--format")
    refused(cli, workspace.root, *args, "-f", "html", fragment="unknown format 'html' "
                                                             "(expected one of: table, json")


# -- broken rules and rosters are said, not read as "nobody" -------------------------------------

def test_a_shift_with_an_unquoted_time_does_not_silently_vanish(cli, workspace):
    october_site(workspace.root)
    rules = workspace.root / "rosters" / "rules.yaml"
    edit(rules, 'start: "08:00"', "start: 8:00")  # YAML 1.1 reads 480
    line = refused(cli, workspace.root, "roster", "export", "--month", "2026-10",
                   fragment="rosters/rules.yaml:")
    assert 'YAML read 8:00 as the number 480: write "08:00"' in line
    # what only reads goes on without the rules, saying so in one line (tests/test_degrade.py)
    for args in (["who", "--at", "2026-10-05 10:00"], ["roster", "show", "--month", "2026-10"],
                 ["attendance", "--month", "2026-10"]):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        said = [line for line in result.stderr.splitlines() if "rosters/rules.yaml" in line]
        assert len(said) == 1 and "480" in said[0]
        assert 'rosters/rules.yaml:3: shifts[0].start: YAML read 8:00 as the number 480' in said[0]
    # the desk still records the clock-in, compared with nothing rather than misjudged
    result = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    assert result.exit_code == 0, result.stderr
    assert "roster rules unreadable, not compared with the roster: rosters/rules.yaml:" in result.stderr
    assert "NOT ROSTERED" not in result.stderr


def test_a_roster_with_a_conflict_marker_is_not_taken_for_no_roster(cli, workspace):
    roster = october_site(workspace.root)
    edit(roster, "assignments:\n", "assignments:\n<<<<<<< HEAD\n")
    line = refused(cli, workspace.root, "who", "--at", "2026-10-05 10:00",
                   fragment="rosters/2026-10.yaml:4: git conflict marker")
    assert "nobody" not in line
    refused(cli, workspace.root, "report", "daily", "--date", "2026-10-05",
            fragment="git conflict marker")
    # regenerating must not silently throw the other side of the merge away
    refused(cli, workspace.root, "roster", "generate", "--month", "2026-10",
            fragment="rosters/2026-10.yaml cannot be read")
    # and the next month must not be planned as if October had no last shifts
    refused(cli, workspace.root, "roster", "generate", "--month", "2026-11",
            fragment="rosters/2026-10.yaml:4: git conflict marker")


def test_a_roster_without_rules_is_not_taken_for_no_roster(cli, workspace):
    october_site(workspace.root)
    (workspace.root / "rosters" / "rules.yaml").unlink()
    # `roster show` shows the roster as written, and says why there are no shift times
    result = cli("roster", "show", "--month", "2026-10")
    assert result.exit_code == 0, result.stderr
    assert "rosters/rules.yaml: no roster rules" in one_line(result)
    assert "the roster as written" in result.stdout
    assert "run 'dutyctl roster generate'" not in result.stderr


def test_a_site_without_rosters_still_clocks_in_unrostered(cli, workspace):
    (workspace.root / "rosters" / "rules.yaml").unlink()
    result = cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55")
    assert result.exit_code == 0, result.stderr
    assert "NOT ROSTERED" in result.stderr and "unreadable" not in result.stderr


# -- unreadable records are said once, wherever they are read around ----------------------------

def test_a_handover_says_which_record_it_could_not_read(cli, workspace):
    filed = cli("complaint", "file", *TICKET, "--content", "楼上装修太吵", "--at",
                "2026-10-05 09:00")
    assert filed.exit_code == 0, filed.stderr
    (path,) = (workspace.root / "records").rglob(f"{filed.stdout.strip()}.yaml")
    path.write_text(path.read_text(encoding="utf-8")[:60], encoding="utf-8")  # truncated
    result = cli("handover", "--to", "lina", "--at", "2026-10-05 20:00")
    assert result.exit_code == 0, result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    assert skipped == [f"skipped: records/2026/10/05/{path.name}:5: not valid YAML: could not "
                       "find expected ':'; the file is read no further: check it again once "
                       "this is mended"]
    for args in (["clock", "status"], ["checklist", "problems"], ["handover", "pending"],
                 ["list"]):
        shown = cli(*args)
        assert shown.exit_code == 0, shown.stderr
        assert shown.stderr.count("skipped: ") == 1, (args, shown.stderr)


def test_a_chinese_screen_says_what_the_parsers_english_is_about(cli, workspace):
    filed = cli("complaint", "file", *TICKET, "--content", "楼上装修太吵", "--at",
                "2026-10-05 09:00")
    (path,) = (workspace.root / "records").rglob(f"{filed.stdout.strip()}.yaml")
    path.write_text(path.read_text(encoding="utf-8")[:60], encoding="utf-8")  # truncated
    listed = cli("list", env={"DUTYCTL_LANG": "zh_CN"})
    assert f"已跳过：records/2026/10/05/{path.name}:5: YAML 格式错误：找不到应有的冒号“:”" \
           "（应写成“键: 值”）" in listed.stderr, listed.stderr


# -- a file where a folder belongs: one line, never a traceback ----------------------------------

def test_a_file_where_a_day_folder_belongs(cli, workspace):
    day = workspace.root / "records" / "2026" / "10" / "05"
    day.parent.mkdir(parents=True)
    day.write_text("", encoding="utf-8")
    listed = cli("list")
    assert listed.exit_code == 0
    assert listed.stderr.splitlines() == [
        "skipped: records/2026/10/05: not a folder: records/ keeps YYYY/MM/DD folders here",
        "no record matches"]
    checked = cli("check")
    assert checked.exit_code == 1
    assert "records/2026/10/05: not a folder" in checked.stdout
    line = refused(cli, workspace.root, *call_flags(), "--at", "2026-10-05 10:00",
                   fragment="records/2026/10/05: not a folder: cannot write", code=3)
    assert "File exists" not in line


def test_a_file_where_the_rosters_folder_belongs(cli, workspace):
    rosters = workspace.root / "rosters"
    (rosters / "rules.yaml").unlink()
    rosters.rmdir()
    rosters.write_text("", encoding="utf-8")
    refused(cli, workspace.root, "roster", "generate", "--month", "2026-12",
            fragment="rosters/rules.yaml: cannot read: Not a directory")
    checked = cli("check")
    assert checked.exit_code == 1 and "Traceback" not in checked.stderr
    assert "rosters/rules.yaml: cannot read: Not a directory" in checked.stdout


def test_records_as_a_file_fails_check(cli, workspace):
    records = workspace.root / "records"
    (records / ".gitkeep").unlink()
    records.rmdir()
    records.write_text("", encoding="utf-8")
    checked = cli("check")
    assert checked.exit_code == 1
    assert "records: not a folder" in checked.stdout


@pytest.mark.auto_commit
def test_a_state_folder_that_is_a_file_does_not_crash_the_commit(cli, workspace):
    shutil.rmtree(workspace.state_dir)  # the test's copy came with its parsed config
    workspace.state_dir.write_text("", encoding="utf-8")
    result = cli(*call_flags())
    assert result.exit_code == 0
    assert one_line(result).startswith("dutyctl: git commit failed, records saved but not "
                                       "committed: ")
    assert len(list((workspace.root / "records").rglob("*.yaml"))) == 1


def test_an_unexpected_failure_is_one_line_and_debug_shows_it(cli, workspace, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("month must be in 1..12")

    monkeypatch.setattr("dutyctl.check.check_workspace", broken)
    result = cli("check")
    assert result.exit_code == 3
    assert one_line(result) == ("dutyctl: unexpected error (ValueError: month must be in "
                                "1..12); DUTYCTL_DEBUG=1 shows where")
    debug = cli("check", env={"DUTYCTL_DEBUG": "1"})
    assert isinstance(debug.exception, ValueError)


def test_an_impossible_unquoted_date_in_the_rules_is_a_located_problem(cli, workspace):
    # PyYAML raises a bare ValueError for 2026-13-01; the loader gives it the node's line
    rules = workspace.root / "rosters" / "rules.yaml"
    edit(rules, "extra_holidays: []", "extra_holidays: [2026-13-01]")
    line = rules.read_text(encoding="utf-8").splitlines().index(
        next(text for text in rules.read_text(encoding="utf-8").splitlines()
             if "2026-13-01" in text)) + 1
    result = cli("check")
    assert result.exit_code == 1
    assert f"rosters/rules.yaml:{line}: '2026-13-01': there is no month 13" in result.stdout
    logged = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                 "--summary", "物业费")
    assert logged.exit_code == 0, logged.stderr  # broken rules never stop a call being logged


# -- the configuration ---------------------------------------------------------------------------

def test_an_empty_configuration_fails_check(cli, workspace):
    (workspace.root / "dutyctl.yaml").write_text("", encoding="utf-8")
    checked = cli("check")
    assert checked.exit_code == 1, checked.stdout
    assert "dutyctl.yaml: site: is required" in checked.stdout  # each section it lacks


def config_problems(workspace: Workspace, old: str, new: str) -> list[str]:
    text = workspace.config_path.read_text(encoding="utf-8")
    assert old in text, old
    _, problems = parse_config(yamlio.loads(text.replace(old, new, 1), "dutyctl.yaml"),
                               "dutyctl.yaml")
    return [str(problem) for problem in problems]


@pytest.mark.parametrize("old, new, expected", [
    ('business_hours: {start: "08:30", end: "17:30"}',
     'business_hours: {start: "18:00", end: "08:00"}', "business_hours.end: must be after start"),
    ('business_hours: {start: "08:30", end: "17:30"}',
     'business_hours: {start: "08:30", end: "08:30"}', "business_hours.end: must be after start"),
    ("grace_minutes: 5", "grace_minutes: 99999999999999", "grace_minutes: at most 1440"),
    ("respond: 15m", "respond: 0m", "respond: must be longer than 0"),
])
def test_configuration_values_that_make_no_sense_are_problems(workspace, old, new, expected):
    found = config_problems(workspace, old, new)
    assert len(found) == 1 and expected in found[0], found
    assert found[0].startswith("dutyctl.yaml:")


def test_a_huge_grace_is_one_line_in_a_report_not_an_overflow(cli, workspace, clock):
    edit(workspace.config_path, "grace_minutes: 5", "grace_minutes: 99999999999999")
    # a report only reads: the section is left out, its defaults apply, said in one line
    result = cli("report", "daily", "--date", "2026-10-12")  # the clock's day, pinned
    assert result.exit_code == 0, result.stderr
    assert "grace_minutes: at most 1440" in one_line(result)
    # what writes is refused, nothing written
    refused(cli, workspace.root, "clock", "in", "--staff", "zhangwei",
            fragment="grace_minutes: at most 1440")


# -- the calendar ----------------------------------------------------------------------------------

def test_years_before_the_official_holiday_data_are_refused(cli, workspace, installed_holidays):
    calendar = SiteCalendar()
    assert not calendar.covers(2000) and calendar.covers(2001)
    refused(cli, workspace.root, "roster", "generate", "--month", "1999-12",
            fragment="no official data for 1999")


# -- filters that no record can match --------------------------------------------------------------

@pytest.mark.parametrize("args, fragment", [
    (["list", "--kind", "calls"], "unknown kind 'calls'; choose one of: call, callout, complaint"),
    (["list", "--status", "opne"], "unknown status 'opne'"),
    (["list", "--kind", "call", "--status", "open"], "unknown status 'open'; choose one of: "
                                                     "answered, awaiting-callback, called-back"),
    (["list", "--category", "噪声"], "unknown category '噪声'; choose one of: "),
    (["list", "--since", "2026-12-01", "--until", "2026-11-01"],
     "--since 2026-12-01 is after --until 2026-11-01"),
    (["search", "漏水", "--kind", "repairs"], "unknown kind 'repairs'"),
    (["search", "  "], "nothing to search for"),
    (["who", "--role", "plumber"], "unknown role 'plumber'"),
    (["handover", "pending", "--to", "nobody"], "no staff member 'nobody'"),
])
def test_a_filter_no_record_can_match_is_an_error(cli, workspace, args, fragment):
    refused(cli, workspace.root, *args, fragment=fragment)


# -- roster edits -----------------------------------------------------------------------------

def test_swapping_someone_with_themselves_is_refused(cli, workspace):
    october_site(workspace.root)
    refused(cli, workspace.root, "roster", "swap", "2026-10-05", "day", "zhangwei",
            "2026-10-06", "night", "zhangwei", "--reason", "换班",
            fragment="张伟 is on both sides: a swap needs two people")


def test_an_override_for_a_role_the_shift_does_not_have_says_so(cli, workspace):
    october_site(workspace.root)
    refused(cli, workspace.root, "roster", "override", "2026-10-05", "day", "lina",
            "--replaces", "zhangwei", "--role", "guard", "--reason", "病假",
            fragment="the 白班 shift has no role '保安' (it needs: 客服专员)")
    refused(cli, workspace.root, "roster", "override", "2026-10-05", "day", "lina",
            "--replaces", "zhangwei", "--role", "plumber", "--reason", "病假",
            fragment="unknown role 'plumber'; choose one of: 客服专员 (service), 客服主管 "
                     "(supervisor)")


@pytest.mark.parametrize("args", [
    ("override", "2026-10-05", "day", "lina", "--replaces", "zhangwei", "--reason", "病假"),
    ("swap", "2026-10-05", "day", "zhangwei", "2026-10-06", "night", "lina", "--reason", "换班"),
])
def test_an_edit_of_a_roster_that_cannot_be_read_names_its_line_once(cli, workspace, args):
    """As every command reading a roster says it (onduty.readable_roster): the path once, at
    the line, not "path: path:line: …" with every problem joined on one line."""
    october_site(workspace.root)
    roster = workspace.root / "rosters" / "2026-10.yaml"
    lines = roster.read_text(encoding="utf-8").splitlines(keepends=True)
    roster.write_text("".join(lines[:3] + ["<<<<<<< HEAD\n"] + lines[3:]), encoding="utf-8")
    line = refused(cli, workspace.root, "roster", *args, fragment="rosters/2026-10.yaml:4: ")
    assert line.startswith("rosters/2026-10.yaml:4: ") and line.count("2026-10.yaml") == 1


def test_checklist_fix_of_an_unknown_item_names_the_items(cli, workspace):
    refused(cli, workspace.root, "checklist", "fix", "printr", "--note", "换了墨盒",
            fragment="no checklist item 'printr' (this site has: 值班电话畅通 (phone), "
                     "电脑与登记系统正常 (computer)")


# -- times and dates out of range ------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["who", "--at", "0001-01-01 00:00"],
    ["who", "--at", "9999-12-31 23:00"],
    ["report", "daily", "--date", "9999-12-31"],
    ["report", "weekly", "--week", "9999-W52"],
    ["roster", "generate", "--month", "0000-01"],
    [*call_flags(), "--at", "1960-01-01 00:00"],  # was: "id: 'ZZPT0…' is not a dutyctl id"
])
def test_a_date_out_of_range_is_one_line(cli, workspace, args):
    refused(cli, workspace.root, *args, fragment="is out of range: dates run from 1970-01-02 "
                                                 "to 9998-12-31")


def test_the_store_refuses_a_moment_no_id_can_name(workspace):
    with pytest.raises(InputError, match="before 1970"):
        workspace.store.create("call", {}, at=datetime(1960, 1, 1, tzinfo=SHANGHAI), by="x")


# -- where --output goes ----------------------------------------------------------------------

def test_output_into_a_folder_that_does_not_exist_is_refused(cli, workspace, tmp_path):
    missing = tmp_path / "typo" / "daily.txt"
    refused(cli, workspace.root, "report", "daily", "--output", str(missing),
            fragment="no such folder")
    assert not missing.parent.exists()
    october_site(workspace.root)
    refused(cli, workspace.root, "roster", "export", "--month", "2026-10", "-o", str(missing),
            fragment="no such folder")
    assert not missing.parent.exists()


# -- what a record may hold -------------------------------------------------------------------

@pytest.mark.parametrize("name, room, summary, fragment", [
    ("张三", "3-2-501\n3-2-502", "x", "--room '3-2-501\\n3-2-502': must be one line"),
    ("张" * 101, "3-2-501", "x", "--name '" + "张" * 20 + "...': longer than 100 characters "
                                 "(101)"),
    ("张三", "3-2-501", "\x1b[2J清屏", "summary: contains the control character U+001B"),
    ("张三", "3-2-501", "漏水\uffff", "summary: contains U+FFFF, which is no character"),
    ("张三", "3-2-501", "长" * 10_001, "summary: longer than 10000 characters (10001)"),
])
def test_text_that_would_break_a_file_a_screen_or_a_commit_is_refused(cli, workspace, name, room,
                                                                       summary, fragment):
    refused(cli, workspace.root, *call_flags(name, room, "13812345678", summary),
            fragment=fragment)


def test_a_multi_line_summary_and_chinese_text_are_fine(cli, workspace):
    result = cli(*call_flags("王芳", "3号楼电梯", "13812345678", "电梯困人\n已通知维保"))
    assert result.exit_code == 0, result.stderr


def test_a_step_with_a_control_character_is_refused(cli, workspace):
    filed = cli("repair", "file", *TICKET, "--content", "水管漏水", "--at", "2026-10-05 09:00")
    assert filed.exit_code == 0, filed.stderr
    sent = cli("repair", "dispatch", filed.stdout.strip(), "--to", "wangqiang", "--at",
               "2026-10-05 09:10")
    assert sent.exit_code == 0, sent.stderr
    refused(cli, workspace.root, "repair", "hold", filed.stdout.strip(), "--reason",
            "等配件\x07", "--at", "2026-10-05 10:00",
            fragment="--reason: contains the control character U+0007")


# -- through the console script's entry point (tests/entrypoint.py) --------------------------------

def test_the_program_refuses_bad_input_in_one_line_without_writing(dutyctl_forked, workspace):
    root = workspace.root
    write_roster(root, "2026-10-01", "2026-10-31", [])
    before = snapshot(root)
    for args, fragment in (
            (["emergency", "open", "--type", "fire", "--where", "3号楼", "--content", "冒烟",
              "--format", "xml"], "unknown format 'xml'"),
            ([*call_flags(), "--at", ""], "missing --at: the value given is empty"),
            (["who", "--at", "2026-10-05 10:00"], "rosters/2026-10.yaml:")):
        if fragment.startswith("rosters/"):
            edit(root / "rosters" / "2026-10.yaml", "assignments:\n",
                 "assignments:\n>>>>>>> theirs\n")
            before = snapshot(root)
        done = run_dutyctl(dutyctl_forked, *args, root=root)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stdout == ""
        assert len(done.stderr.splitlines()) == 1 and fragment in done.stderr, done.stderr
        assert snapshot(root) == before


# -- found by a walk through the desk's commands (2026-12-04) --------------------------------------

def _complaint_and_repair(cli) -> tuple[str, str]:
    complaint = cli("complaint", "file", *TICKET, "--content", "垃圾没清", "--at",
                    "2026-10-05 09:00")
    repair = cli("repair", "file", *TICKET, "--content", "灯不亮", "--at", "2026-10-05 09:00")
    assert complaint.exit_code == 0 and repair.exit_code == 0, (complaint.stderr, repair.stderr)
    return complaint.stdout.strip(), repair.stdout.strip()


def test_a_shared_step_refuses_a_record_of_the_other_kind(cli, workspace):
    """`complaint close`, `repair hold`, a duplicate of another kind, `callout --repair`:
    each once recorded the step on whatever record the id named."""
    complaint, repair = _complaint_and_repair(cli)
    at = ["--at", "2026-10-05 10:00"]
    refused(cli, workspace.root, "complaint", "close", repair, "--as", "invalid", "--reason",
            "x", *at, fragment="is of kind repair, not complaint")
    refused(cli, workspace.root, "repair", "hold", complaint, "--reason", "x", *at,
            fragment="is of kind complaint, not repair (its steps: dutyctl complaint --help)")
    done = cli("--lang", "zh_CN", "报修", "完工", complaint, "--结果", "已修好", "--时间",
               "2026-10-05 10:00")
    assert done.exit_code == 2 and "（它的处理步骤见 dutyctl 投诉 --帮助）" in done.stderr, \
        done.stderr
    refused(cli, workspace.root, "complaint", "visit", repair, "--satisfaction", "3", *at,
            fragment="is of kind repair, not complaint")
    refused(cli, workspace.root, "repair", "close", repair, "--as", "duplicate", "--of",
            complaint, "--reason", "同一件事", *at, fragment="is of kind complaint, not repair")
    refused(cli, workspace.root, "callout", "start", "wangqiang", "--repair", complaint,
            "--at", "2026-10-05 22:00", fragment="is of kind complaint, not repair")


def test_a_text_problem_names_the_option_typed(cli, workspace):
    complaint, _ = _complaint_and_repair(cli)
    refused(cli, workspace.root, "complaint", "handle", complaint, "--action", "x\x1by",
            "--at", "2026-10-05 10:00", fragment="--action: contains the control character")
    refused(cli, workspace.root, "log", "call", *TICKET, "--summary", "a\x07", "--at",
            "2026-10-05 10:00", fragment="--summary: contains the control character U+0007")


@pytest.mark.parametrize("command", [
    ("log", "call", *TICKET, "--summary"),  # the quick path, before Typer loads
    ("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
     "--content")])
def test_text_pasted_from_windows_keeps_its_line_breaks(cli, workspace, command):
    """A summary pasted from a Windows program ends its lines in CR LF: stored with its line
    breaks (was: refused, "contains the control character U+000D", which a clerk cannot act
    on); a CR alone is a line break too."""
    filed = cli(*command, "漏水\r\n楼下也有\r再看", "--at", "2026-10-05 10:00")
    assert filed.exit_code == 0, filed.stderr
    shown = json.loads(cli("show", filed.stdout.split()[0], "-f", "json").stdout)
    assert "漏水\n楼下也有\n再看" in (shown.get("summary"), shown.get("content")), shown


def test_output_never_overwrites_a_workspace_file(cli, workspace):
    for target in ("dutyctl.yaml", "rosters/rules.yaml", "records/x.csv"):
        # the format its name asks for (yaml, csv): refused as the workspace's own file
        refused(cli, workspace.root, "list", "-o", str(workspace.root / target),
                fragment="a file of the workspace itself")
    refused(cli, workspace.root, "report", "daily", "--date", "2026-10-05", "-o",
            str(workspace.root / "dutyctl.yaml"), fragment="a file of the workspace itself")
    refused(cli, workspace.root, "list", "-o", "   ", fragment="the value given is empty")


def test_a_resident_is_not_registered_at_a_place_without_a_scheme(cli, workspace):
    for room, fragment in (("3号楼电梯", "is a place of the site, not a room"),
                           ("3栋", "is a whole building"), ("3号楼2单元", "is a whole unit")):
        refused(cli, workspace.root, "resident", "add", "--name", "周八", "--room", room,
                "--phone", "13512345679", fragment=fragment)


def test_an_emergency_says_its_building_as_typed(cli, workspace):
    """Its default text names the place as typed (5号楼), not as stored (`5`)."""
    import json

    opened = cli("emergency", "open", "--type", "power-outage", "--where", "5号楼", "--at",
                 "2026-10-05 14:00")
    assert opened.exit_code == 0, opened.stderr
    shown = json.loads(cli("show", opened.stdout.splitlines()[0].strip(), "--format",
                           "json").stdout)
    assert shown["where"] == "5"
    assert shown["content"].endswith(" 5号楼") or shown["content"].endswith(" building 5"), \
        shown["content"]


def test_a_call_out_shows_who_came_by_name(cli, workspace):
    started = cli("callout", "start", "wangqiang", "--note", "修水泵", "--at",
                  "2026-10-05 22:00")
    assert started.exit_code == 0, started.stderr
    shown = cli("show", started.stdout.splitlines()[0].strip())
    filed = next(line for line in shown.stdout.splitlines()  # the history's filing row
                 if "修水泵" in line and "22:00" in line)
    assert "wangqiang" not in filed and "王强" in filed, shown.stdout


def test_a_dutyctl_yaml_that_is_a_folder_is_said_not_climbed_past(tmp_path):
    """git can bring `dutyctl.yaml/x` from another desk: the workspace then said "not inside a
    dutyctl workspace", and one inside a bigger workspace would have used that one."""
    from dutyctl.errors import InputError
    from dutyctl.workspace import find_workspace, init_workspace

    outer = tmp_path / "outer"
    init_workspace(outer)
    inner = outer / "site"
    (inner / "dutyctl.yaml").mkdir(parents=True)
    with pytest.raises(InputError) as refused:
        find_workspace(cwd=inner)
    assert "is a folder here, not the file of settings" in str(refused.value)
    assert "git checkout -- dutyctl.yaml" in str(refused.value)


def test_output_takes_the_format_its_file_name_asks_for(cli, workspace, tmp_path, clock):
    """`-o 列表.csv`, `-o 考勤.xlsx` without --format wrote the screen's table under that name
    (Excel refused to open it), exit 0; `-f xlsx -o 日报.html` wrote a workbook named .html."""
    cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
        "--summary", "物业费", "--at", "2026-10-05 09:00")
    listed = cli("list", "--all", "-o", str(tmp_path / "列表.csv"))
    assert listed.exit_code == 0, listed.stderr
    assert (tmp_path / "列表.csv").read_text(encoding="utf-8-sig").startswith("id,kind,")
    assert cli("list", "--all", "-o", str(tmp_path / "列表.xlsx")).exit_code == 0
    assert (tmp_path / "列表.xlsx").read_bytes()[:2] == b"PK"
    said = refused(cli, workspace.root, "--lang", "zh_CN", "report", "daily", "--date",
                   "2026-10-05", "-f", "xlsx", "-o", str(tmp_path / "日报.html"),
                   fragment="日报.html 是 html 文件的名字，但 -f 是 xlsx：请写 -f html")
    assert said and not (tmp_path / "日报.html").exists()
    refused(cli, workspace.root, "who", "-o", str(tmp_path / "谁值班.html"),
            fragment="which this command does not write")
    assert cli("list", "--all", "-o", str(tmp_path / "列表.txt")).exit_code == 0  # a table
    assert (tmp_path / "列表.txt").read_text(encoding="utf-8").startswith("id ")


@pytest.mark.parametrize("args", [("report", "daily", "--date", "2026-10-05"),
                                  ("report", "daily", "--date", "2026-10-05", "-f", "html"),
                                  ("attendance", "--month", "2026-10"), ("list", "--all"),
                                  ("roster", "export")])
def test_output_named_for_a_format_dutyctl_does_not_write_is_refused(cli, workspace, tmp_path,
                                                                       clock, args):
    """`dutyctl 日报 -o 日报.pdf` wrote the text report into a file named .pdf, exit 0, which
    no PDF reader opens: a name for a format no command writes is refused, nothing written."""
    target = tmp_path / "日报.pdf"
    refused(cli, workspace.root, *args, "-o", str(target),
            fragment="日报.pdf is a name for a file in PDF format, which dutyctl does not write")
    assert not target.exists()
    refused(cli, workspace.root, "--lang", "zh_CN", *args, "-o", str(tmp_path / "日报.DOCX"),
            fragment="日报.DOCX 是 Word 文件的名字，dutyctl 不输出这种文件")
    assert not (tmp_path / "日报.DOCX").exists()


@pytest.mark.parametrize("args, suffixes", [
    (("report", "daily", "--date", "2026-10-05"), "(.txt, .xlsx, .json, .html, .md)"),
    (("list", "--all"), "(.txt, .xlsx, .csv, .json, .yaml)"),
    (("roster", "export"), "(.xlsx, .csv, .ics)")])  # no text, no web page: a calendar
def test_a_name_for_a_format_no_command_writes_is_told_the_commands_own(cli, workspace,
                                                                       tmp_path, args,
                                                                       suffixes):
    """`roster export -o 排班.xls` was told to name it `.txt for text, .html, .xlsx`: .txt
    held the calendar, .html was refused next. Each command lists the names it writes; and
    an Excel 97-2003 file is not "a Excel" one."""
    line = refused(cli, workspace.root, "--lang", "en", *args, "-o", str(tmp_path / "x.xls"),
                   fragment="x.xls is a name for a file in Excel 97-2003 format")
    assert f"name it for a format of --format {suffixes} (see " in line, line


@pytest.mark.parametrize("value, words", [
    ("[*值班电话畅通, 打印机正常]", "别名或锚点"),  # an item marked important with a '*'
    ('"\\x4"', "转义"),
    ("&a 1\nb: &a 2", "锚点名称"),
    ("|x", None),
])
def test_what_the_parser_says_in_english_is_never_the_only_english_on_a_chinese_screen(
        value, words):
    """`备勤检查: [*值班电话畅通, …]` (a '*' marking an item important) stopped every command
    with 'YAML 格式错误：did not find expected alphabetic or numeric character'."""
    from dutyctl import messages
    from dutyctl.errors import InputError
    from dutyctl.yamlfull import parse

    with messages.speaking("zh_CN"), pytest.raises(InputError) as refused:
        parse(f"a: 1\nc: {value}\n", "dutyctl.yaml")
    said = refused.value.problem.message
    assert said.startswith("YAML 格式错误：")
    assert not any(word.isascii() and word.isalpha() and len(word) > 3
                   for word in said.replace("YAML", "").split()), said
    assert words is None or words in said
