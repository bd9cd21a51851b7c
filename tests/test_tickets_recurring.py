"""Recurring maintenance (周期性维护): config, `repair schedule`, the repairs it files, `check`."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from dutyctl.store import yamlio
from dutyctl.check import recurring_occurrences, repeated_occurrences
from dutyctl.config import load_config
from dutyctl.errors import EXIT_READER_GONE, Problem
from dutyctl.records import parse_record
from dutyctl.tickets.recurring import Occurrence, occurrences, repair_fields
from dutyctl.workspace import Workspace
from tests.conftest import run_dutyctl
from tests.helpers_desk import ok_text as ok
from tests.test_tickets_cli import commits, files

HYDRANTS = """\
recurring:
  hydrants:
    name: 消防栓月检
    where: 全小区消防栓
    category: facilities
    rule: "FREQ=MONTHLY;BYMONTHDAY=1"
    start: "2026-09-01"
    at: "09:00"
"""
PUMPS = """\
  pumps:
    name: 水泵紧急巡查
    where: 地下泵房
    category: water-electric
    urgency: emergency
    rule: "RRULE:FREQ=WEEKLY;BYDAY=TU"
    start: "2026-09-01"
    at: "02:00"
"""
# the three first-of-month occurrences from 2026-09-01 up to 2026-11-26
HYDRANT_DAYS = ("2026-09-01", "2026-10-01", "2026-11-01")


# -- helpers ----------------------------------------------------------------------------------

def with_recurring(root: Path, section: str) -> str:
    """Replace the workspace's `recurring:` section; returns the new config text."""
    path = root / "dutyctl.yaml"
    text = re.sub(r"^recurring:\n(?:[ #].*\n|\n)*", "", path.read_text(encoding="utf-8"),
                  flags=re.MULTILINE)
    text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, fragment: str) -> int:
    return text[:text.index(fragment)].count("\n") + 1


def committed_files(root: Path) -> list[str]:
    done = subprocess.run(["git", "-C", str(root), "show", "--name-only", "--format=%s", "HEAD"],
                          capture_output=True, text=True, check=True)
    return [line for line in done.stdout.splitlines()[1:] if line.strip()]


def shown(cli, record_id: str, as_of: str) -> dict:
    return json.loads(ok(cli("show", record_id, "--format", "json", "--as-of", as_of)))


def schedule(cli, *args: str) -> list[str]:
    return ok(cli("repair", "schedule", *args)).split()


# -- config -----------------------------------------------------------------------------------

def test_config_problems_name_the_line(workspace, cli):
    text = with_recurring(workspace.root, """\
recurring:
  bad-time:
    name: 水箱清洗
    where: 屋顶水箱
    category: facilities
    rule: "FREQ=MONTHLY"
    start: "2026-11-01"
    at: 9:00
  bad-category:
    name: 绿化修剪
    where: 中心花园
    category: gardening
    urgency: someday
    rule: "FREQ=HOURLY"
    start: "2026-11-31"
    at: "09:00"
    every: month
""")
    result = cli("check")
    assert result.exit_code == 1
    found = result.stdout.splitlines()
    expected = {
        "at: 9:00": "recurring.bad-time.at: YAML read 9:00 as the number 540: write \"09:00\"",
        "category: gardening": "recurring.bad-category.category: 'gardening' is not one of",
        "urgency: someday": "recurring.bad-category.urgency: 'someday' is not one of",
        'rule: "FREQ=HOURLY"': "recurring.bad-category.rule: FREQ must be one of",
        'start: "2026-11-31"': "recurring.bad-category.start: expected a date",
        "every: month": "recurring.bad-category.every: unknown field",
    }
    for fragment, message in expected.items():
        prefix = f"dutyctl.yaml:{line_of(text, fragment)}: {message}"
        assert any(line.startswith(prefix) for line in found), (prefix, found)
    # a command that writes refuses the broken config the same way, before doing anything;
    # one that only reads goes on without the section, saying so
    logged = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                 "--summary", "咨询")
    assert logged.exit_code == 2
    assert f"dutyctl.yaml:{line_of(text, 'at: 9:00')}: recurring.bad-time.at" in logged.stderr
    listed = cli("list")
    assert listed.exit_code == 0 and "recurring not used, their defaults apply" in listed.stderr


def test_a_bad_rrule_value_is_reported_by_check_and_refused_by_schedule(workspace, cli):
    text = with_recurring(workspace.root, HYDRANTS.replace("BYMONTHDAY=1", "BYDAY=XX"))
    where = f"dutyctl.yaml:{line_of(text, '    rule:')}: recurring.hydrants.rule: not a valid RRULE"
    checked = cli("check")
    assert checked.exit_code == 1 and where in checked.stdout
    before, history = files(workspace.root), commits(workspace.root)
    result = cli("repair", "schedule", "--until", "2026-11-26")
    assert result.exit_code == 2 and where in result.stderr
    assert "Traceback" not in result.stderr
    assert files(workspace.root) == before and commits(workspace.root) == history


def test_a_rule_that_never_falls_due_is_reported_by_check_and_refused_by_schedule(workspace,
                                                                                   cli):
    """No 30 February, no sixth Monday, no fifth March of a job every 12 months from
    September, an UNTIL before start: each would pass silently and file nothing for ever."""
    for rule, says in (("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "no day in the 10 years from "
                        "start (2026-09-01) fits the rule"),
                       ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6", "no day in the 10 years"),
                       ("FREQ=MONTHLY;INTERVAL=12;BYMONTH=3", "no day in the 10 years"),
                       ("FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20260801", "its UNTIL or COUNT ends "
                        "it before its first day (2026-09-01): it never falls due")):
        text = with_recurring(workspace.root, HYDRANTS.replace("FREQ=MONTHLY;BYMONTHDAY=1",
                                                               rule))
        where = f"dutyctl.yaml:{line_of(text, '    rule:')}: recurring.hydrants.rule: {says}"
        checked = cli("check")
        assert checked.exit_code == 1 and where in checked.stdout, (rule, checked.stdout)
    before = files(workspace.root)
    result = cli("repair", "schedule", "--until", "2026-11-26")
    assert result.exit_code == 2 and where in result.stderr
    assert files(workspace.root) == before
    chinese = cli("--lang", "zh_CN", "check").stdout
    assert "recurring.hydrants.rule: 它的 UNTIL 或 COUNT 在第一次（2026-09-01）之前就结束了" in chinese
    # a leap day every fifth year from 2026 falls due (2036): far, but not never
    with_recurring(workspace.root, HYDRANTS.replace("FREQ=MONTHLY;BYMONTHDAY=1",
                                                    "FREQ=YEARLY;INTERVAL=5;BYMONTH=2;"
                                                    "BYMONTHDAY=29"))
    assert "rule" not in cli("check").stdout
    # ² is a digit to str.isdigit, not to int(): said, not an unexpected error
    with_recurring(workspace.root, HYDRANTS.replace("FREQ=MONTHLY;BYMONTHDAY=1",
                                                    "FREQ=MONTHLY;INTERVAL=²"))
    checked = cli("check")
    assert checked.exit_code == 1 and "recurring.hydrants.rule: INTERVAL must be a whole " \
        "number of 1 or more" in checked.stdout, checked.stdout + checked.stderr
    # from 9997 there are no whole 400 years to look ahead by: no leap day to come, said
    text = with_recurring(workspace.root, HYDRANTS.replace(
        "FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29").replace(
        "2026-09-01", "9997-01-01"))
    checked = cli("check")
    assert checked.exit_code == 1 and f"dutyctl.yaml:{line_of(text, '    rule:')}: recurring." \
        "hydrants.rule: no day in the 10 years from start (9997-01-01) fits" in checked.stdout, \
        checked.stdout + checked.stderr


def test_rules_that_would_move_the_time_or_the_start_are_refused(workspace, cli):
    for rule, says in (("FREQ=DAILY;BYHOUR=8", "BYHOUR not allowed"),
                       ("FREQ=DAILY;DTSTART=20260101", "DTSTART not allowed"),
                       ("every month", "expected a rule such as 每天, 每周一"),
                       ("FREQ=MONTHLY;BYMONTHDAY", "expected an RRULE")):
        text = with_recurring(workspace.root, HYDRANTS.replace("FREQ=MONTHLY;BYMONTHDAY=1",
                                                               rule))
        result = cli("check")
        assert f"dutyctl.yaml:{line_of(text, '    rule:')}: recurring.hydrants.rule: {says}" in (
            result.stdout), result.stdout


def test_the_bundled_examples_parse_with_defaults(workspace):
    config = load_config(workspace.config_path)
    assert len(config.recurring) >= 2
    for job in config.recurring.values():
        assert job.category in config.categories["repair"]
        assert job.urgency in config.urgency["repair"].classes
    with_recurring(workspace.root, HYDRANTS)
    job = load_config(workspace.config_path).recurring["hydrants"]
    assert job.urgency == load_config(workspace.config_path).urgency["repair"].default
    assert (job.start, job.at.isoformat("minutes")) == (date(2026, 9, 1), "09:00")


# -- occurrences ------------------------------------------------------------------------------

def test_occurrences_run_from_the_start_to_the_end_of_until(workspace):
    with_recurring(workspace.root, HYDRANTS)
    config = load_config(workspace.config_path)
    found = occurrences(config.recurring.values(), config.tz, date(2026, 11, 26))
    assert [due.at for due in found] == [
        datetime.fromisoformat(f"{day}T09:00:00+08:00") for day in HYDRANT_DAYS]
    assert all(due.at.tzinfo is config.tz for due in found)
    # until is inclusive: the occurrence on that very day counts
    assert len(occurrences(config.recurring.values(), config.tz, date(2026, 11, 1))) == 3
    assert len(occurrences(config.recurring.values(), config.tz, date(2026, 10, 31))) == 2


# -- repair schedule --------------------------------------------------------------------------


@pytest.mark.auto_commit
def test_schedule_counts_in_proper_plurals_in_english_and_chinese(workspace, cli):
    with_recurring(workspace.root, HYDRANTS)
    dry = cli("repair", "schedule", "--until", "2026-09-01", "--dry-run")
    assert ("would file 1 recurring repair up to 2026-09-01, 0 already filed (dry run: "
            "nothing written)") in dry.stderr
    one = cli("repair", "schedule", "--until", "2026-09-01")
    assert "filed 1 recurring repair up to 2026-09-01, 0 already filed" in one.stderr
    subject = subprocess.run(["git", "-C", str(workspace.root), "log", "-1", "--format=%s"],
                             capture_output=True, text=True).stdout
    assert subject.startswith("周期性报修：登记截至 2026-09-01 的 1 条")  # the site's language
    chinese = cli("--lang", "zh_CN", "repair", "schedule", "--until", "2026-10-01")
    assert "已登记截至 2026-10-01 的周期性报修 1 条，另有 1 条此前已登记" in chinese.stderr
    dry = cli("--lang", "zh_CN", "repair", "schedule", "--until", "2026-11-26", "--dry-run")
    assert ("将登记截至 2026-11-26 的周期性报修 1 条，另有 2 条此前已登记（试运行：未写入任何内容）"
            in dry.stderr)


def test_a_dry_run_table_names_category_and_urgency_in_words(workspace, cli):
    """The plan on a Chinese screen says 公共设施 and 一般 (facilities, general before), under
    任务名称 (the job's name, not a person's 姓名); CSV keeps the ids."""
    from dutyctl.names import Names

    with_recurring(workspace.root, HYDRANTS)
    names = Names.of(workspace)
    category, urgency = names.category("repair", "facilities"), names.urgency("repair", "general")
    dry = ok(cli("--lang", "zh_CN", "repair", "schedule", "--until", "2026-11-26", "--dry-run"))
    header, rule, *rows = dry.splitlines()
    assert "任务名称" in header and "姓名" not in header
    assert rows and all(category in row and urgency in row for row in rows), dry
    assert "facilities" not in dry and "general" not in dry
    data = ok(cli("repair", "schedule", "--until", "2026-11-26", "--dry-run", "-f", "csv"))
    assert data.lstrip("\ufeff").splitlines()[1].endswith(",facilities,general")


def test_a_dry_run_names_each_job_without_its_id_in_its_table_and_workbook(workspace, cli):
    """The plan's table and sheet say the job by its name only (the id from dutyctl.yaml is
    the CSV's, as a staff id beside a name: cli.cellwords.NAMED_BESIDE)."""
    from openpyxl import load_workbook

    with_recurring(workspace.root, HYDRANTS)
    dry = ok(cli("--lang", "zh_CN", "repair", "schedule", "--until", "2026-11-26", "--dry-run"))
    assert "hydrants" not in dry and "消防栓" in dry, dry
    sheet_path = workspace.root.parent / "jobs.xlsx"
    ok(cli("--lang", "zh_CN", "repair", "schedule", "--until", "2026-11-26", "--dry-run",
           "-f", "xlsx", "-o", str(sheet_path)))
    cells = {cell for row in load_workbook(sheet_path).active.iter_rows(values_only=True)
             for cell in row if isinstance(cell, str)}
    assert "hydrants" not in cells and any("消防栓" in cell for cell in cells), cells
    data = ok(cli("repair", "schedule", "--until", "2026-11-26", "--dry-run", "-f", "csv"))
    assert ",hydrants," in data  # the CSV keeps the id


def test_a_dry_run_says_a_building_as_list_does_in_its_table_and_workbook(workspace, cli):
    """A job at building `3` reads 3号楼 in the plan's table and sheet, as `list` shows the
    repairs it files (the words come from cli.cellwords, like every workbook's); CSV keeps 3."""
    from openpyxl import load_workbook

    with_recurring(workspace.root, HYDRANTS.replace("where: 全小区消防栓", 'where: "3"'))
    dry = ok(cli("--lang", "zh_CN", "repair", "schedule", "--until", "2026-09-01",
                 "--dry-run"))
    assert "3号楼" in dry.splitlines()[2], dry
    sheet_path = workspace.root.parent / "plan.xlsx"
    ok(cli("--lang", "zh_CN", "repair", "schedule", "--until", "2026-09-01", "--dry-run",
           "-f", "xlsx", "--output", str(sheet_path)))
    header, first = list(load_workbook(sheet_path).active.iter_rows(values_only=True))[:2]
    assert dict(zip(header, first))["地点"] == "3号楼", (header, first)
    data = ok(cli("repair", "schedule", "--until", "2026-09-01", "--dry-run", "-f", "csv"))
    assert ",3,repair,facilities,general" in data
    schedule(cli, "--until", "2026-09-01")
    listed = ok(cli("--lang", "zh_CN", "list", "--as-of", "2026-09-01 10:00"))
    assert "3号楼" in listed, listed


@pytest.mark.auto_commit
def test_schedule_files_each_occurrence_once_and_commits_them_together(workspace, cli):
    with_recurring(workspace.root, HYDRANTS)
    history = commits(workspace.root)
    result = cli("repair", "schedule", "--until", "2026-11-26")
    filed = ok(result).split()
    assert len(filed) == 3
    assert "filed 3 recurring repairs up to 2026-11-26, 0 already filed" in result.stderr
    for record_id, day in zip(filed, HYDRANT_DAYS):
        record = shown(cli, record_id, "2026-11-26 18:00")
        occurrence = f"{day}T09:00:00+08:00"
        assert record["kind"] == "repair" and record["status"] == "open"
        assert record["recurring"] == {"job": "hydrants", "occurrence": occurrence}
        assert record["created_at"] == occurrence and "resident" not in record
        assert record["where"] == "全小区消防栓" and record["category"] == "facilities"
        assert "消防栓月检" in record["content"]
        assert Path(record["path"]).parent == workspace.root / "records" / Path(
            *day.split("-"))
    assert commits(workspace.root) == history + 1
    assert sorted(committed_files(workspace.root)) == sorted(
        str(path.relative_to(workspace.root)) for path in files(workspace.root))

    listed = cli("list", "--room", "全小区消防栓", "--format", "json")
    assert {row["room"] for row in json.loads(listed.stdout)} == {"全小区消防栓"}
    assert len(json.loads(listed.stdout)) == 3  # the place stands where a resident's room would

    # a second run files nothing and commits nothing
    again = cli("repair", "schedule", "--until", "2026-11-26")
    assert ok(again) == ""
    assert "filed 0 recurring repairs up to 2026-11-26, 3 already filed" in again.stderr
    assert len(files(workspace.root)) == 3 and commits(workspace.root) == history + 1


def test_schedule_catches_up_and_defaults_to_the_day_of_at(workspace, cli):
    with_recurring(workspace.root, HYDRANTS)
    assert len(schedule(cli, "--at", "2026-10-15 08:00")) == 2  # until 10-15
    assert len(schedule(cli, "--until", "2026-11-26")) == 1  # only 11-01 is new
    assert len(files(workspace.root)) == 3


def test_a_record_of_the_same_second_is_not_taken_for_the_occurrence(workspace, cli):
    with_recurring(workspace.root, HYDRANTS)
    ok(cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
           "--content", "门口消防栓漏水", "--category", "facilities",
           "--at", "2026-10-01 09:00"))
    assert len(schedule(cli, "--until", "2026-11-26")) == 3


def test_dry_run_lists_and_writes_nothing(workspace, cli):
    with_recurring(workspace.root, HYDRANTS)
    history = commits(workspace.root)
    result = cli("repair", "schedule", "--until", "2026-11-26", "--dry-run")
    ok(result)
    rows = [line for line in result.stdout.splitlines() if "消防栓月检" in line]
    assert [row.split()[0] for row in rows] == list(HYDRANT_DAYS)
    assert "would file 3" in result.stderr and "nothing written" in result.stderr
    assert files(workspace.root) == [] and commits(workspace.root) == history
    # after a real run, the dry run has nothing left to file
    schedule(cli, "--until", "2026-10-01")
    rest = cli("repair", "schedule", "--until", "2026-11-26", "--dry-run")
    assert [line.split()[0] for line in rest.stdout.splitlines() if "消防栓月检" in line] == [
        "2026-11-01"]
    assert "2 already filed" in rest.stderr


def test_a_recurring_repair_goes_through_the_repair_lifecycle(workspace, cli):
    with_recurring(workspace.root, HYDRANTS + PUMPS)
    filed = schedule(cli, "--until", "2026-09-01")
    records = {shown(cli, record_id, "2026-09-01 20:00")["recurring"]["job"]: record_id
               for record_id in filed}
    hydrant, pump = records["hydrants"], records["pumps"]
    # deadlines run from the occurrence: general class, business clock (Tue 2026-09-01)
    due = {row["deadline"]: row["due"]
           for row in shown(cli, hydrant, "2026-09-01 09:00")["deadlines"]}
    assert due["respond"] == "2026-09-01T11:00:00+08:00"
    # emergency class, 24x7: on site 30 minutes after the 02:00 occurrence
    due = {row["deadline"]: row["due"] for row in shown(cli, pump, "2026-09-01 02:00")["deadlines"]}
    assert due["arrive"] == "2026-09-01T02:30:00+08:00"

    ok(cli("repair", "dispatch", hydrant, "--to", "wangqiang", "--at", "2026-09-01 09:30"))
    ok(cli("repair", "hold", hydrant, "--reason", "等消防水带", "--at", "2026-09-01 10:00"))
    ok(cli("repair", "resume", hydrant, "--at", "2026-09-02 09:00"))
    ok(cli("repair", "done", hydrant, "--result", "12处消防栓检查完毕，更换水带2条",
           "--at", "2026-09-02 15:00", "--staff", "wangqiang"))
    ok(cli("repair", "visit", hydrant, "--satisfaction", "5", "--note", "主管验收合格",
           "--at", "2026-09-03 10:00"))
    record = shown(cli, hydrant, "2026-09-03 10:00")
    assert record["status"] == "closed"
    assert {row["deadline"]: row["state"] for row in record["deadlines"]} == {
        "respond": "met", "arrive": "met", "complete": "met"}
    searched = ok(cli("search", "消防栓", "--format", "csv"))
    assert hydrant in searched
    # a step before the occurrence is refused like one before any repair was filed
    early = cli("repair", "dispatch", pump, "--to", "wangqiang", "--at", "2026-09-01 01:00")
    assert early.exit_code == 2


# -- the record kind --------------------------------------------------------------------------

def _parsed(workspace: Workspace, data: dict) -> list[str]:
    problems: list[Problem] = []
    parse_record(yamlio.loads(yamlio.dumps(data), "r.yaml"), "r.yaml",
                 load_config(workspace.config_path), problems)
    return [problem.message for problem in problems]


def test_a_recurring_repair_names_its_occurrence_instead_of_a_resident(workspace):
    with_recurring(workspace.root, HYDRANTS)
    job = load_config(workspace.config_path).recurring["hydrants"]
    at = datetime.fromisoformat("2026-10-01T09:00:00+08:00")
    base = {"id": "01M3ZRT0C0RT7HW84W9MBWJTS6", "kind": "repair", "schema": 1,
            "created_at": at.isoformat(), "recorded_by": "zhangwei",
            **repair_fields(Occurrence(job, at))}
    assert _parsed(workspace, base) == []
    later = {**base, "recurring": {"job": "hydrants", "occurrence": "2026-10-01T10:00:00+08:00"}}
    assert any("recurring.occurrence: is not the repair's created_at" in message
               for message in _parsed(workspace, later))
    both = {**base, "resident": {"name": "张三", "room": "3-2-501", "phone": "13812345678"}}
    assert any(message.startswith("resident: a repair filed from recurring maintenance")
               for message in _parsed(workspace, both))
    nowhere = {key: value for key, value in base.items() if key != "where"}
    assert "where: is required" in _parsed(workspace, nowhere)
    # a repair without `recurring` still needs its resident
    plain = {key: value for key, value in base.items() if key not in ("recurring", "where")}
    assert "resident: is required" in _parsed(workspace, plain)


# -- check: the same occurrence filed twice ---------------------------------------------------

def test_check_flags_an_occurrence_filed_twice(workspace, cli):
    with_recurring(workspace.root, HYDRANTS)
    schedule(cli, "--until", "2026-10-01")
    assert cli("check").exit_code == 0
    # another desk ran schedule before syncing: the same occurrence, another id
    config = load_config(workspace.config_path)
    at = datetime.fromisoformat("2026-10-01T09:00:00+08:00")
    twin = workspace.store.create("repair", repair_fields(
        Occurrence(config.recurring["hydrants"], at)), at=at, by="lina")
    result = cli("check")
    assert result.exit_code == 1
    flagged = [line for line in result.stdout.splitlines() if "repeats recurring job" in line]
    assert len(flagged) == 1
    assert "'hydrants' at 2026-10-01T09:00:00+08:00" in flagged[0]
    # the one sorting later (same moment: by id) is flagged, naming the other
    first, later = sorted((record for record in workspace.store.scan().records
                           if record.created_at == at), key=lambda record: record.id)
    assert twin.id in (first.id, later.id)
    assert flagged[0].startswith(workspace.relative(later.path))
    assert first.short_id in flagged[0]
    # the older one is closed as a duplicate of the later: check stops flagging either
    closed = cli("repair", "close", first.id, "--as", "duplicate", "--of", later.id,
                 "--reason", "两个值班台都排了这次巡检", "--at", "2026-10-01 10:00")
    assert closed.exit_code == 0, closed.stderr
    assert "now cancelled" in closed.stdout
    assert cli("check").exit_code == 0
    assert [row["id"] for row in shown(cli, first.id, "2026-10-02 00:00")["linked"]] == [later.id]


def test_repeated_occurrences_are_a_pure_function_of_the_records(workspace, cli):
    with_recurring(workspace.root, HYDRANTS)
    schedule(cli, "--until", "2026-11-26")
    records = workspace.store.scan().records
    assert repeated_occurrences(recurring_occurrences(records), str) == []
    assert len(repeated_occurrences(recurring_occurrences(records + records[:2]), str)) == 2


# -- through the console script's entry point (tests/entrypoint.py) --------------------------------

def test_schedule_through_the_entry_point(workspace, dutyctl_forked):
    with_recurring(workspace.root, HYDRANTS)
    first = run_dutyctl(dutyctl_forked, "repair", "schedule", "--until", "2026-11-26",
                        root=workspace.root)
    assert first.returncode == 0, first.stderr
    assert len(first.stdout.split()) == 3
    again = run_dutyctl(dutyctl_forked, "repair", "schedule", "--until", "2026-11-26",
                        root=workspace.root)
    assert again.returncode == 0 and again.stdout == ""
    assert "3 already filed" in again.stderr
    checked = run_dutyctl(dutyctl_forked, "check", root=workspace.root)
    assert checked.returncode == 0, checked.stdout


def test_an_occurrence_in_the_hour_dst_repeats_is_filed_once(workspace, cli):
    # Europe/Berlin repeats 02:00-03:00 on 2026-10-25: the 02:30 occurrence read back from its
    # file carries a fixed offset and must still be recognised as filed
    config = workspace.root / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "timezone: Asia/Shanghai", "timezone: Europe/Berlin"), encoding="utf-8")
    with_recurring(workspace.root, HYDRANTS.replace('"FREQ=MONTHLY;BYMONTHDAY=1"', '"FREQ=DAILY"')
                   .replace('start: "2026-09-01"', 'start: "2026-10-24"')
                   .replace('at: "09:00"', 'at: "02:30"'))
    assert len(schedule(cli, "--until", "2026-10-26")) == 3
    again = cli("repair", "schedule", "--until", "2026-10-26")
    assert ok(again) == "" and "0 recurring repairs" in again.stderr
    assert len(files(workspace.root)) == 3


# -- a reader that leaves early (`repair schedule | head`) ---------------------------------------

def test_the_summary_comes_before_the_ids_and_the_listing(workspace, cli):
    """What a piped reader sees first (`| head`): the summary on stderr, then the ids."""
    with_recurring(workspace.root, HYDRANTS)
    dry = cli("repair", "schedule", "--until", "2026-11-26", "--dry-run")
    ok(dry)
    assert dry.output.index("would file 3") < dry.output.index("消防栓月检")
    result = cli("repair", "schedule", "--until", "2026-11-26")
    first_id = ok(result).split()[0]
    assert result.output.index("filed 3 recurring repairs") < result.output.index(first_id)


def test_every_occurrence_is_filed_and_summed_up_when_the_reader_left_first(workspace,
                                                                            dutyctl_command):
    from tests.test_reader_gone import run_into_closed_pipe

    with_recurring(workspace.root, HYDRANTS)
    done = run_into_closed_pipe(dutyctl_command, "repair", "schedule", "--until", "2026-11-26",
                                root=workspace.root)
    assert done.returncode == EXIT_READER_GONE
    assert "filed 3 recurring repairs up to 2026-11-26, 0 already filed" in done.stderr
    assert len(files(workspace.root)) == 3  # not only those filed before the first id failed


@pytest.mark.auto_commit
def test_a_filing_that_fails_part_way_says_what_it_filed_and_committed(workspace, cli,
                                                                       monkeypatch):
    """The third occurrence cannot be written: the first two are committed, and the run says
    so (summary and ids) before the error, so cron's mail names what is already filed."""
    from dutyctl.errors import EnvironmentFailure
    from dutyctl.tickets import recurring

    file_occurrences = recurring.file_occurrences

    def failing_at_the_third(store, to_file):
        yield from file_occurrences(store, to_file[:2])
        raise EnvironmentFailure("records/2026/11/01: disk full")

    monkeypatch.setattr(recurring, "file_occurrences", failing_at_the_third)
    with_recurring(workspace.root, HYDRANTS)
    history = commits(workspace.root)
    result = cli("repair", "schedule", "--until", "2026-11-26")
    assert result.exit_code == EnvironmentFailure.exit_code
    filed = result.stdout.split()
    assert len(filed) == 2 and sorted(committed_files(workspace.root)) == sorted(
        str(path.relative_to(workspace.root)) for path in files(workspace.root))
    assert commits(workspace.root) == history + 1 and len(files(workspace.root)) == 2
    summary = "filed 2 of 3 recurring repairs up to 2026-11-26 before the error below"
    assert result.stderr.index(summary) < result.stderr.index("disk full")
    for record_id, day in zip(filed, HYDRANT_DAYS):
        assert shown(cli, record_id, "2026-11-26 18:00")["created_at"].startswith(day)
    monkeypatch.setattr(recurring, "file_occurrences", file_occurrences)  # the disk again
    assert len(schedule(cli, "--until", "2026-11-26")) == 1  # the one left, and only it
    monkeypatch.setattr(recurring, "file_occurrences", failing_at_the_third)
    zh = cli("repair", "schedule", "--until", "2027-02-26", env={"DUTYCTL_LANG": "zh_CN"})
    assert zh.exit_code == EnvironmentFailure.exit_code and len(zh.stdout.split()) == 2
    assert "出错前已登记截至 2027-02-26 的周期性报修 2 条（共应登记 3 条），错误如下" in zh.stderr


def test_a_recurring_repair_is_filed_by_the_maintenance_schedule_on_screen(workspace, cli):
    """The records keep the filer's id (`schedule`, the same on every desk); a Chinese
    listing says 维保计划 where a person's name goes, not the English id."""
    with_recurring(workspace.root, HYDRANTS)
    ok(cli("repair", "schedule", "--until", "2026-09-01"))
    listed = ok(cli("--lang", "zh_CN", "list", "--all", env={"COLUMNS": "200"}))
    assert "维保计划" in listed and "schedule" not in listed, listed
    data = ok(cli("list", "--all", "-f", "csv"))
    assert ",schedule," in data
    # a Chinese CSV says the desk's words for what is no one person's id, as the sheet does
    sheet = ok(cli("--lang", "zh_CN", "list", "--all", "-f", "csv"))
    assert ",维保计划," in sheet and "schedule" not in sheet, sheet


def test_show_names_the_job_and_its_occurrence_in_words(workspace, cli):
    """`show` of a recurring repair: 周期性维保：消防栓月检，计划时间 2026-09-01 09:00 (was
    `recurring：job=hydrants occurrence=2026-09-01T09:00:00+08:00`); json keeps the ids."""
    import json

    with_recurring(workspace.root, HYDRANTS)
    (repair,) = ok(cli("repair", "schedule", "--until", "2026-09-01")).split()
    shown = ok(cli("--lang", "zh_CN", "show", repair))
    assert "周期性维保：消防栓月检，计划时间 2026-09-01 09:00" in shown, shown
    assert "recurring" not in shown and "hydrants" not in shown
    data = json.loads(ok(cli("show", repair, "-f", "json")))
    assert data["recurring"]["job"] == "hydrants"


def test_schedule_until_a_day_without_its_year_in_december_is_the_coming_january(
        workspace, cli, clock):
    """On 31 December `--until 1月5日` files up to 5 January of the coming year (was: 5
    January of the year ending, so nothing to file)."""
    with_recurring(workspace.root, HYDRANTS)
    clock.set("2026-12-31T10:00:00+08:00")
    for typed in ("1月5日", "1-5"):
        result = cli("repair", "schedule", "--until", typed, "--dry-run")
        ok(result)
        assert "up to 2027-01-05" in result.stderr, result.stderr
        days = [line.split()[0] for line in result.stdout.splitlines() if "消防栓月检" in line]
        assert days[-1] == "2027-01-01"


def test_a_schedule_with_nothing_due_yet_says_which_comes_first_and_when(workspace, cli, clock):
    """A new workspace's plans start the day after `初始化`: `报修 定期 --预览` said 0 and 0,
    nothing of why. It names the first to come and when; not once one was filed."""
    clock.set("2026-08-20T10:00:00+08:00")
    with_recurring(workspace.root, HYDRANTS + PUMPS)
    early = cli("--lang", "zh_CN", "repair", "schedule", "--until", "2026-08-20", "--dry-run")
    assert early.exit_code == 0, early.stderr
    assert "截至 2026-08-20 没有到期的维保；最早的一次是 水泵紧急巡查，2026-09-01 02:00" in early.stderr, \
        early.stderr
    filed = cli("repair", "schedule", "--until", "2026-08-20")
    assert "none is due up to 2026-08-20: the first, 水泵紧急巡查, falls on 2026-09-01 02:00" \
        in filed.stderr
    assert len(schedule(cli, "--until", "2026-09-01")) == 2
    again = cli("repair", "schedule", "--until", "2026-09-01", "--dry-run")
    assert "none is due" not in again.stderr  # 0 to file, 2 filed already: nothing to explain


@pytest.mark.parametrize("rule, said", [
    ("FREQ=WEEKLY;BYDAY=MOO", "BYDAY 不能是 MOO"),
    ("FREQ=WEEKLY;BYHOURR=3", "没有名为 BYHOURR 的部分"),
    ("BYDAY=MO", "缺少 FREQ"),
    ("FREQ=WEEKLY；BYDAY=MO", "半角分号"),  # the input method's ；
    ("FREQ=WEEKLY;BYDAY=MO;", "半角分号"),
    ("FREQ=DAILY;BYHOUR=25", "BYHOUR 应在 0 到 23 之间"),
    ("X-FOO=1;FREQ=DAILY", "没有名为 X-FOO 的部分"),
    ("FREQ=DAILY;BYDAY=", "BYDAY 没有写值"),
    ("FREQ=MONTHLY;BYSETPOS=0", "BYSETPOS 应在 1 到 366 之间，或从末尾倒数的 -366 到 -1"),
])
def test_why_an_rrule_is_refused_is_said_in_the_desks_words(rule, said):
    """dateutil's reason (invalid 'BYDAY': MOO) was the one English phrase of the line."""
    from datetime import date, time

    from dutyctl import messages
    from dutyctl.config import RecurringJob, rrule_problem

    job = RecurringJob(id="x", name="x", where="x", category="fire", urgency="general",
                       rule=rule, start=date(2026, 1, 1), at=time(9, 0))
    with messages.speaking("zh_CN"):
        problem = rrule_problem(job)
    assert said in problem and "invalid" not in problem and "parameter" not in problem
    assert "unpack" not in problem and "must be" not in problem and "between" not in problem
