"""A roster file another desk or a hand edit left with entries dutyctl cannot read (a date as a
number, a role as a list, the staff as a mapping) or an assignment written twice: the readers
(`who`, `attendance`, the reports) say each entry read around once on stderr, as a file read
around is said, and count a person's place in a shift once; `roster check` and `check` name
the line. They had dropped such an entry without a word, and listed 孙丽 twice, in the
handover line too (`孙丽 (白班), 孙丽 (白班)`)."""

from __future__ import annotations

import json

import pytest

from tests.helpers_desk import OCTOBER, write_desk_rules, write_roster

WRONG = ['  - {date: 20261006, shift: night, role: service, staff: lina}',
         '  - {date: "2026-10-06", shift: night, role: [service], staff: sunli}',
         '  - {date: "2026-10-06", shift: night, role: service, staff: {id: lina}}']
SAID = ["assignments[6].date: expected a date like", "assignments[7].role: expected text",
        "assignments[8].staff: expected text"]


@pytest.fixture
def roster(workspace, clock):
    """October's roster with 孙丽's day of 10-06 written twice (line 9) and the WRONG
    entries after it (lines 10 to 12); the clock in that day shift."""
    write_desk_rules(workspace.root)
    path = write_roster(workspace.root, "2026-10-01", "2026-10-31",
                        OCTOBER + [("2026-10-06", "day", "sunli")])
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("overrides: []", "\n".join(WRONG) + "\noverrides: []"),
                    encoding="utf-8")
    clock.set("2026-10-06T10:00:00+08:00")
    return path


TWICE = ("rosters/2026-10.yaml:9: assignments: sunli on day of 2026-10-06 is written twice "
         "(first on line 6): counted once; delete one of them")


def skipped_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("skipped: rosters/")]


@pytest.mark.parametrize("args", [
    ["who"], ["attendance", "--month", "2026-10"], ["report", "daily", "--date", "2026-10-06"],
    ["roster", "show", "--month", "2026-10"]])
def test_a_reader_says_each_entry_it_read_around_once(cli, roster, args):
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    said = skipped_lines(result)
    assert len(said) == 4 and f"skipped: {TWICE}" in said, said  # each once
    for line, words in zip((10, 11, 12), SAID):
        assert any(found.startswith(f"skipped: rosters/2026-10.yaml:{line}: {words}")
                   for found in said), said


def test_an_assignment_written_twice_counts_once_everywhere(cli, roster):
    who = cli("who")
    assert who.exit_code == 0, who.stderr
    assert who.stdout.count("孙丽") == 3, who.stdout  # the row, not clocked in, the handover
    (handover,) = [line for line in who.stdout.splitlines() if "next handover" in line]
    assert handover.endswith(": 孙丽 (白班) -> 张伟 (夜班)"), handover
    detail = cli("attendance", "--month", "2026-10", "--detail", "--format", "csv",
                 "--staff", "sunli")
    assert len([line for line in detail.stdout.splitlines()
                if line.startswith("2026-10-06,day,")]) == 1, detail.stdout
    report = json.loads(cli("report", "daily", "--date", "2026-10-06", "--format", "json").stdout)
    assert report["coverage"]["slots"] == 2
    (day,) = [row for row in report["coverage"]["by_shift"] if row["shift"] == "day"]
    assert day["filled"] == 1
    people = {row["staff"]: row for row in report["attendance"]["people"]}
    assert people["sunli"]["rostered"] == 1
    for args in (["roster", "check", "--month", "2026-10"], ["check"]):
        checked = cli(*args)
        assert checked.exit_code == 1, checked.stderr
        assert TWICE in checked.stdout, checked.stdout
        assert "headcount: 2 people" not in checked.stdout  # the day's one place, filled once
        assert "overlapping shifts" not in checked.stdout  # 孙丽's day with itself


def test_the_entries_are_said_in_chinese_on_a_chinese_screen(cli, roster):
    result = cli("who", env={"DUTYCTL_LANG": "zh_CN"})
    assert ("已跳过：rosters/2026-10.yaml:9: assignments：sunli 在 2026-10-06 的 day 写了两次（第一次"
            "在第 6 行）：只算一次；请删去其中一行") in result.stderr.splitlines(), result.stderr


def test_a_roster_as_generate_writes_it_counts_a_line_written_twice_once(workspace):
    """The lines generate writes are read without YAML (rosterfile.split_roster): a merge
    that kept both sides' copy of a line is counted once there too."""
    from dutyctl.roster.rosterfile import read_roster, roster_from_text, split_roster

    path = write_roster(workspace.root, "2026-10-01", "2026-10-31",
                        OCTOBER + [("2026-10-06", "day", "sunli")])
    text = path.read_text(encoding="utf-8")
    assert split_roster(text) is not None  # the fast way
    for roster, problems in (roster_from_text(text, "rosters/2026-10.yaml"),
                             read_roster(path, "rosters/2026-10.yaml")):
        assert [str(problem) for problem in problems] == [TWICE]
        assert len(roster.assignments) == len(OCTOBER)


def test_a_date_written_as_a_number_is_not_masked_as_a_phone(cli, roster):
    """`date: 20261006` was said `YAML read it as the number 2***1006`, masked as a phone
    number would be: eight digits that are a day are no phone."""
    said = skipped_lines(cli("who"))
    assert any("YAML read it as the number 20261006: put it in quotes" in line
               for line in said), said
    assert not any("***" in line for line in said), said


@pytest.mark.parametrize("value, shown", [
    (20261006, "the number 20261006:"), (20261231, "the number 20261231:"),
    (13812345678, "the number 138****5678:"), (88886666, "the number 8***6666:"),
    (20261399, "the number 2***1399:")])  # no day of the calendar: masked as before
def test_a_number_is_masked_in_a_files_problem_unless_it_is_a_day(value, shown):
    from dutyctl.schema import misread, phones_masked

    assert shown in misread("expected a date", value)
    assert phones_masked("请回电 13812345678，2026-10-06 前") == "请回电 138****5678，2026-10-06 前"
